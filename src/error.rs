//! The one error type of the HTTP API and its mapping to RFC 9457 problem responses.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::access::Denial;
use crate::domain::messages::{Detail, Lang, Term};
use crate::domain::validation::FieldError;
use crate::storage::StorageError;

/// The media type of every error response.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error response (RFC 9457 problem details).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A stable URI naming the kind of problem, e.g. `urn:jixiao:problem:invalid-document`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short summary of the kind of problem; the same for every occurrence.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time.
    pub detail: String,
    /// For invalid input, each bad field: `pointer` is the JSON pointer of the field in the
    /// request body, or `/name` for a query parameter `name`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For a workbook that cannot be read, the sheet concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// For a workbook that cannot be read, the cell concerned, as Excel names it (`F12`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// For a form that another stored form already holds the place of (same unit, kind, year
    /// and project), that form's id; only when the caller may read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<i64>,
    /// The URL of the form `existing_id` names (`/api/v1/evaluations/{id}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing_url: Option<String>,
    /// For text that cannot be read, the line (from 1) where reading stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No token was sent, on a call that needs one.
    #[error("{0}")]
    Unauthenticated(String),
    /// The token sent is unknown, revoked or malformed.
    #[error("{0}")]
    InvalidToken(Detail),
    /// The token is valid but may not do this.
    #[error("{0}")]
    Forbidden(Detail),
    /// The addressed resource does not exist.
    #[error("{0}")]
    NotFound(Detail),
    /// No stored evaluation has this id, or the caller may not know that one has.
    #[error("no evaluation with this id")]
    NoEvaluation,
    /// No resource answers at this path.
    #[error("no resource at {0}")]
    NoResource(String),
    /// The request conflicts with a stored resource.
    #[error("{0}")]
    Conflict(Detail),
    /// The form's state does not allow this (a transition, a change, a review score).
    #[error("{0}")]
    WrongState(Detail),
    /// Another stored form already has this form's unit, kind, year and project.
    #[error("{detail}")]
    Duplicate {
        /// Which identity is taken.
        detail: Detail,
        /// The form holding it, when the caller may read it.
        existing_id: Option<i64>,
    },
    /// `If-Match` named a version that is no longer current.
    #[error("the evaluation has changed since it was read: the current version is {current}")]
    PreconditionFailed {
        /// The current version.
        current: i64,
    },
    /// A write to a stored form came without `If-Match` (RFC 6585 §3).
    #[error(
        "send the `ETag` you last read of this evaluation as `If-Match` (请在 If-Match 中回传最近读取的 ETag), \
         so that this write cannot overwrite a change made since; `If-Match: *` accepts \
         overwriting whatever is current"
    )]
    PreconditionRequired,
    /// The body is not JSON at all.
    #[error("the request body is not valid JSON: {0}")]
    MalformedJson(String),
    /// The body is JSON but not a valid document.
    #[error("the document is not valid: {}", summarize(.0, Lang::Zh))]
    InvalidDocument(Vec<FieldError>),
    /// A query parameter or header is not valid.
    #[error("{detail}")]
    BadRequest {
        /// What is wrong.
        detail: Detail,
        /// The parameters concerned.
        errors: Vec<FieldError>,
    },
    /// The body is over the limit.
    #[error("the request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The body did not arrive within the request deadline.
    #[error(
        "the request body did not arrive within {seconds} s (请求体未在规定时间内送达); send the \
         request again, whole and at once"
    )]
    RequestTimeout {
        /// The deadline in seconds.
        seconds: u64,
    },
    /// The body is not JSON by its content type.
    #[error("the request body must be sent as application/json")]
    UnsupportedMediaType,
    /// The body is not of a media type this call reads.
    #[error("the request body must be sent as {0}")]
    UnsupportedMedia(&'static str),
    /// The body is sent in a content coding this service cannot undo.
    #[error(
        "the request body is sent in the content coding `{0}`, which this service cannot read; \
         send it as it is, or compressed with gzip or deflate"
    )]
    UnsupportedEncoding(String),
    /// A workbook that cannot be read as a form.
    #[error("the workbook cannot be read: {0}")]
    UnreadableWorkbook(crate::import::ImportError),
    /// Text that cannot be read as a form, at the line where reading stopped.
    #[error("the text cannot be read: {0}")]
    UnreadableText(crate::import::ImportError),
    /// The path exists but not with this method.
    #[error("{method} is not allowed here; allowed: {allow}")]
    MethodNotAllowed {
        /// The method used.
        method: String,
        /// The methods the path accepts, comma-separated.
        allow: String,
    },
    /// A client error that arose outside the handlers, kept with its status.
    #[error("{detail}")]
    Refused {
        /// The status it was answered with.
        status: StatusCode,
        /// What was wrong.
        detail: String,
    },
    /// A fault of the service; its cause is logged, never sent.
    #[error("internal error")]
    Internal(String),
}

fn summarize(errors: &[FieldError], lang: Lang) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.pointer, e.detail_in(lang)))
        .collect::<Vec<_>>()
        .join("; ")
}

impl ApiError {
    fn code_and_title(&self) -> (&'static str, Term) {
        match self {
            Self::Unauthenticated(_) => ("unauthenticated", Term::ProblemUnauthenticated),
            Self::InvalidToken(_) => ("invalid-token", Term::ProblemInvalidToken),
            Self::Forbidden(_) => ("forbidden", Term::ProblemForbidden),
            Self::NotFound(_) | Self::NoEvaluation | Self::NoResource(_) => {
                ("not-found", Term::ProblemNotFound)
            }
            Self::Conflict(_) | Self::WrongState(_) | Self::Duplicate { .. } => {
                ("conflict", Term::ProblemConflict)
            }
            Self::PreconditionFailed { .. } => {
                ("precondition-failed", Term::ProblemPreconditionFailed)
            }
            Self::PreconditionRequired => {
                ("precondition-required", Term::ProblemPreconditionRequired)
            }
            Self::MalformedJson(_) => ("malformed-json", Term::ProblemMalformedJson),
            Self::InvalidDocument(_) => ("invalid-document", Term::ProblemInvalidDocument),
            Self::BadRequest { .. } => ("bad-request", Term::ProblemBadRequest),
            Self::PayloadTooLarge { .. } => ("payload-too-large", Term::ProblemPayloadTooLarge),
            Self::RequestTimeout { .. } => ("request-timeout", Term::ProblemRequestTimeout),
            Self::UnsupportedMediaType | Self::UnsupportedMedia(_) => {
                ("unsupported-media-type", Term::ProblemUnsupportedMediaType)
            }
            Self::UnsupportedEncoding(_) => {
                ("unsupported-encoding", Term::ProblemUnsupportedEncoding)
            }
            Self::UnreadableWorkbook(_) => ("unreadable-workbook", Term::ProblemUnreadableWorkbook),
            Self::UnreadableText(_) => ("unreadable-text", Term::ProblemUnreadableText),
            Self::MethodNotAllowed { .. } => ("method-not-allowed", Term::ProblemMethodNotAllowed),
            Self::Refused { status, .. } => refused_code_and_title(*status),
            Self::Internal(_) => ("internal", Term::ProblemInternal),
        }
    }

    /// What went wrong, in `lang` where the catalogue holds the wording; text written where the
    /// error arose is sent as written.
    fn detail(&self, lang: Lang) -> String {
        let detail = match self {
            Self::NoEvaluation => Detail::NoEvaluation,
            Self::Unauthenticated(_) => Detail::TokenRequired,
            Self::NoResource(path) => Detail::NoResource { path: path.clone() },
            Self::PreconditionFailed { current } => Detail::VersionChanged { current: *current },
            Self::PreconditionRequired => Detail::IfMatchRequired,
            Self::MalformedJson(cause) => Detail::MalformedJson {
                cause: cause.clone(),
            },
            Self::InvalidDocument(errors) => Detail::InvalidDocument {
                summary: summarize(errors, lang),
            },
            Self::PayloadTooLarge { limit } => Detail::PayloadTooLarge { limit: *limit },
            Self::RequestTimeout { seconds } => Detail::RequestTimeout { seconds: *seconds },
            Self::UnsupportedMediaType => Detail::JsonRequired,
            Self::UnsupportedMedia(media) => Detail::MediaRequired {
                media: (*media).to_owned(),
            },
            Self::UnsupportedEncoding(coding) => Detail::UnsupportedEncoding {
                coding: coding.clone(),
            },
            Self::UnreadableWorkbook(error) => Detail::UnreadableWorkbook {
                cause: error.to_string(),
            },
            Self::MethodNotAllowed { method, allow } => Detail::MethodNotAllowed {
                method: method.clone(),
                allow: allow.clone(),
            },
            Self::Internal(_) => Detail::Internal,
            Self::InvalidToken(detail)
            | Self::NotFound(detail)
            | Self::Conflict(detail)
            | Self::BadRequest { detail, .. }
            | Self::Forbidden(detail)
            | Self::WrongState(detail)
            | Self::Duplicate { detail, .. } => detail.clone(),
            Self::UnreadableText(_) | Self::Refused { .. } => return self.to_string(),
        };
        detail.render(lang)
    }

    /// Names what was not found, where the storage layer could only say "not found".
    #[must_use]
    pub fn not_found_as(self, detail: impl FnOnce() -> Detail) -> Self {
        match self {
            Self::NotFound(_) | Self::NoEvaluation => Self::NotFound(detail()),
            other => other,
        }
    }

    /// The problem document sent for this error, in Chinese.
    #[must_use]
    pub fn problem(&self) -> Problem {
        self.problem_in(Lang::Zh)
    }

    /// The problem document sent for this error, its title and detail in `lang`; `type`,
    /// `status` and the field errors are the same in every language.
    #[must_use]
    pub fn problem_in(&self, lang: Lang) -> Problem {
        let (code, title) = self.code_and_title();
        let errors = match self {
            Self::InvalidDocument(errors) | Self::BadRequest { errors, .. } => errors
                .iter()
                .map(|error| FieldError {
                    detail: error.detail_in(lang).to_owned(),
                    ..error.clone()
                })
                .collect(),
            _ => Vec::new(),
        };
        let (sheet, cell, line) = match self {
            Self::UnreadableWorkbook(e) => (e.sheet.clone(), e.cell.clone(), None),
            Self::UnreadableText(e) => (None, None, e.line),
            _ => (None, None, None),
        };
        let existing_id = match self {
            Self::Duplicate { existing_id, .. } => *existing_id,
            _ => None,
        };
        Problem {
            existing_id,
            existing_url: existing_id.map(|id| format!("/api/v1/evaluations/{id}")),
            problem_type: format!("urn:jixiao:problem:{code}"),
            title: title.text(lang).to_owned(),
            status: self.status_code().as_u16(),
            detail: self.detail(lang),
            errors,
            sheet,
            cell,
            line,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Unauthenticated(_) | Self::InvalidToken(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) | Self::NoEvaluation | Self::NoResource(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) | Self::WrongState(_) | Self::Duplicate { .. } => {
                StatusCode::CONFLICT
            }
            Self::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            Self::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            Self::MalformedJson(_) | Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::InvalidDocument(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RequestTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            Self::UnsupportedMediaType
            | Self::UnsupportedMedia(_)
            | Self::UnsupportedEncoding(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::UnreadableWorkbook(_) | Self::UnreadableText(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::Refused { status, .. } => *status,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(cause) = self {
            tracing::error!(%cause, "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        match self {
            Self::MethodNotAllowed { allow, .. } => {
                response.insert_header((header::ALLOW, allow.as_str()));
            }
            // RFC 6750 §3: a 401 names the scheme, and says when the token itself was bad.
            Self::Unauthenticated(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, r#"Bearer realm="jixiao""#));
            }
            Self::InvalidToken(_) => {
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    r#"Bearer realm="jixiao", error="invalid_token""#,
                ));
            }
            _ => {}
        }
        let body = serde_json::to_string(&self.problem()).unwrap_or_default();
        response.body(body)
    }
}

/// The problem type and title of a client error that arose outside the handlers.
fn refused_code_and_title(status: StatusCode) -> (&'static str, Term) {
    match status.as_u16() {
        404 => ("not-found", Term::ProblemNotFound),
        405 => ("method-not-allowed", Term::ProblemMethodNotAllowed),
        406 => ("not-acceptable", Term::ProblemNotAcceptable),
        408 => ("request-timeout", Term::ProblemRequestTimeout),
        413 => ("payload-too-large", Term::ProblemPayloadTooLarge),
        414 => ("uri-too-long", Term::ProblemUriTooLong),
        415 => ("unsupported-media-type", Term::ProblemUnsupportedMediaType),
        431 => ("header-fields-too-large", Term::ProblemHeaderFieldsTooLarge),
        _ => ("bad-request", Term::ProblemBadRequest),
    }
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::NotFound => Self::NoEvaluation,
            StorageError::Conflict(detail) => Self::Conflict(detail),
            StorageError::Incomplete(missing) => Self::InvalidDocument(
                missing
                    .into_iter()
                    .map(|gap| FieldError {
                        pointer: gap.pointer,
                        code: "missing".to_owned(),
                        detail: gap.what,
                        location: Some(gap.location),
                        english: Some(gap.what_en.to_owned()),
                    })
                    .collect(),
            ),
            StorageError::Duplicate {
                detail,
                existing_id,
            } => Self::Duplicate {
                detail,
                existing_id,
            },
            StorageError::Locked { status } => Self::WrongState(Detail::Locked { status }),
            StorageError::NotUnderReview { status } => {
                Self::WrongState(Detail::NotUnderReview { status })
            }
            StorageError::WrongState(wrong) => Self::WrongState(Detail::WrongState {
                transition: wrong.transition,
                current: wrong.current,
                allowed: wrong.allowed_from.to_vec(),
            }),
            StorageError::VersionMismatch { current } => Self::PreconditionFailed { current },
            StorageError::PreconditionRequired => Self::PreconditionRequired,
            StorageError::Denied(denial) => denial.into(),
            StorageError::UnitMismatch(detail) => {
                Self::InvalidDocument(vec![FieldError::new("/unit", detail)])
            }
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<crate::domain::reading::ReadError> for ApiError {
    fn from(error: crate::domain::reading::ReadError) -> Self {
        use crate::domain::reading::ReadError;
        match error {
            ReadError::Malformed(detail) => Self::MalformedJson(detail),
            ReadError::Invalid(errors) => Self::InvalidDocument(errors),
        }
    }
}

impl From<Denial> for ApiError {
    fn from(denial: Denial) -> Self {
        match denial {
            Denial::Unauthenticated => Self::Unauthenticated(denial.to_string()),
            Denial::Forbidden(detail) => Self::Forbidden(detail),
            Denial::Hidden => Self::NoEvaluation,
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        Self::Internal(error.to_string())
    }
}

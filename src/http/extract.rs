//! Extractors that turn a request into domain input, failing with `ApiError` only.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::web::{Bytes, Data};
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use serde::de::DeserializeOwned;
use serde_path_to_error::Path;

use super::AppState;
use crate::domain::document::EvaluationDocument;
use crate::domain::precondition::Expected;
use crate::domain::reading::{self, parse_strict, read_document};
use crate::error::ApiError;

/// A JSON body read into `T`, with the text exactly as sent.
pub struct JsonBody<T> {
    /// The parsed value.
    pub value: T,
    /// The body as received.
    pub raw: String,
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let text = body_text(req, payload);
        Box::pin(async move {
            let raw = text.await?;
            let value = parse_json(&raw)?;
            Ok(Self { value, raw })
        })
    }
}

/// A request body read as a form: every problem of the document is reported at once, each
/// placed on the paper form, and the `ruleset` it names is checked.
pub struct DocumentBody {
    /// The form.
    pub value: EvaluationDocument,
    /// The body as received.
    pub raw: String,
}

impl FromRequest for DocumentBody {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let text = body_text(req, payload);
        let rulesets = req
            .app_data::<Data<AppState>>()
            .map(|state| state.rulesets.current());
        Box::pin(async move {
            let raw = text.await?;
            let value = read_document(&raw, rulesets.as_deref())?;
            Ok(Self { value, raw })
        })
    }
}

/// The body of a JSON request as text, within the size limit.
fn body_text(
    req: &HttpRequest,
    payload: &mut Payload,
) -> impl Future<Output = Result<String, ApiError>> + 'static {
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| {
            let media = media.trim().to_ascii_lowercase();
            media == "application/json" || media.ends_with("+json")
        });
    let limit = req
        .app_data::<Data<AppState>>()
        .map_or(super::DEFAULT_BODY_LIMIT, |s| s.body_limit);
    let bytes = Bytes::from_request(req, payload);
    async move {
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = bytes.await.map_err(|e| {
            if e.as_response_error().status_code() == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE
            {
                ApiError::PayloadTooLarge { limit }
            } else {
                ApiError::MalformedJson(e.to_string())
            }
        })?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| ApiError::MalformedJson("the body is not UTF-8 text".into()))
    }
}

/// Reads a JSON object into `T`, naming the failing field by JSON pointer. Fields `T` does not
/// know are refused, so a misspelt field never vanishes silently.
///
/// # Errors
/// `MalformedJson` for text that is not JSON, `InvalidDocument` for JSON of the wrong shape.
pub fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    Ok(parse_strict(text)?)
}

pub(super) fn escape(key: &str) -> String {
    reading::escape(key)
}

pub(super) fn pointer(path: &Path) -> String {
    reading::path_pointer(path)
}

/// The version an `If-Match` header requires: `Unstated` without the header, `Any` for `*`
/// (RFC 9110 §13.1.1: it matches any current representation, so the caller accepts
/// last-write-wins). If-Match compares strongly, so a weak tag (`W/"1"`) never matches; a
/// header that names no version of ours requires version 0, which never exists, so it fails
/// with 412.
#[must_use]
pub fn if_match(req: &HttpRequest) -> Expected {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Expected::Unstated;
    };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Expected::Any;
    }
    let version = text.split(',').find_map(|tag| {
        let tag = tag.trim();
        let opaque = tag.strip_prefix('"')?.strip_suffix('"')?;
        // Either language's tag of a version names that version.
        opaque
            .strip_suffix(EN_SUFFIX)
            .unwrap_or(opaque)
            .parse()
            .ok()
    });
    Expected::Version(version.unwrap_or(0))
}

/// What an English copy's entity tag adds to the version.
pub const EN_SUFFIX: &str = "-en";

/// The `ETag` of a version: the tag of the form's JSON, which `If-Match` compares with.
#[must_use]
pub fn etag(version: i64) -> String {
    super::conditional::EntityTag::of_version(version).header_text()
}

/// The `ETag` of a version as sent in `lang`: `"3"` in Chinese, `"3-en"` in English, since
/// the two carry different text.
#[must_use]
pub fn etag_in(version: i64, lang: crate::domain::messages::Lang) -> String {
    super::conditional::EntityTag::of_version_in(version, lang).header_text()
}

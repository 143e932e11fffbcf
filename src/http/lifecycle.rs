//! Moving a form through review: submit, return, approve, reopen. Each needs `If-Match`, takes
//! an optional comment, and is recorded in the history.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::AppState;
use super::auth::{Authorized, Reopen, Review, Submit};
use super::extract::{etag_in, if_match, parse_json};
use super::language::{localized, requested};
use crate::domain::access::Principal;
use crate::domain::lifecycle::Transition;
use crate::domain::validation::FieldError;
use crate::error::ApiError;
use crate::storage::evaluations::StoredEvaluation;
use crate::storage::review as store;

/// The body of a transition; it may also be empty or `null`. Every transition makes a new
/// version, so the `ETag` changes.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    /// Why: the reviewer's reasons for returning a form, or any remark for the history.
    #[serde(default)]
    pub comment: Option<String>,
}

async fn apply(
    req: HttpRequest,
    actor: Principal,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Bytes,
    transition: Transition,
) -> Result<HttpResponse, ApiError> {
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::MalformedJson("the body is not UTF-8 text".into()))?;
    let request: TransitionRequest = match text.trim() {
        "" | "null" => TransitionRequest::default(),
        _ => parse_json(text)?,
    };
    let has_comment = request
        .comment
        .as_deref()
        .is_some_and(|c| !c.trim().is_empty());
    if transition == Transition::Return && !has_comment {
        return Err(ApiError::InvalidDocument(vec![FieldError::new(
            "/comment",
            "a form is returned with the reviewer's reasons",
        )]));
    }
    let (id, expected) = (id.into_inner(), if_match(&req));
    let stored = state
        .storage(move |conn| {
            store::transition(
                conn,
                id,
                expected,
                transition,
                &actor,
                request.comment.as_deref(),
            )
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag_in(stored.version, requested(&req))))
        .json(localized(stored, requested(&req))))
}

/// Hands a draft or returned form in for review; it is read-only until returned or approved.
///
/// A form that still lacks something (its `completeness` lists it) is refused with 422 and
/// stays as it is.
#[utoipa::path(
    operation_id = "submit_evaluation",
    tag = "review",
    params(
        ("id" = i64, Path, description = "Evaluation id"),
        ("If-Match" = String, Header, description = "The `ETag` last read; 412 if it is no longer current, 428 without it. `*` acts on whatever is current"),
    ),
    request_body(content = Option<TransitionRequest>, content_type = "application/json"),
    responses(
        (status = 200, description = "Submitted", body = StoredEvaluation),
        (status = 404, description = "No evaluation with this id", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The form is not draft or returned; `detail` names its state", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 400, description = "The body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` names a version that is no longer current", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "No `If-Match`: send the `ETag` last read (or `*` to act on whatever version is current)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body is not a transition request, or the form is incomplete: `errors` lists everything missing (code `missing`, `pointer`, paper `location`, and what is missing in `detail`); nothing changes", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/submit")]
pub async fn submit(
    who: Authorized<Submit>,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    apply(req, who.principal, state, id, body, Transition::Submit).await
}

/// Sends a submitted form back to the unit with the reviewer's reasons (`comment`, required);
/// the unit can edit and submit it again.
#[utoipa::path(
    operation_id = "return_evaluation",
    tag = "review",
    params(
        ("id" = i64, Path, description = "Evaluation id"),
        ("If-Match" = String, Header, description = "The `ETag` last read; 412 if it is no longer current, 428 without it. `*` acts on whatever is current"),
    ),
    request_body(content = Option<TransitionRequest>, content_type = "application/json"),
    responses(
        (status = 200, description = "Returned", body = StoredEvaluation),
        (status = 404, description = "No evaluation with this id", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The form is not submitted; `detail` names its state", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 400, description = "The body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` names a version that is no longer current", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "No `If-Match`: send the `ETag` last read (or `*` to act on whatever version is current)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body is not a transition request", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/return")]
pub async fn return_to_unit(
    who: Authorized<Review>,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    apply(req, who.principal, state, id, body, Transition::Return).await
}

/// Accepts a submitted form; it is locked until reopened.
#[utoipa::path(
    operation_id = "approve_evaluation",
    tag = "review",
    params(
        ("id" = i64, Path, description = "Evaluation id"),
        ("If-Match" = String, Header, description = "The `ETag` last read; 412 if it is no longer current, 428 without it. `*` acts on whatever is current"),
    ),
    request_body(content = Option<TransitionRequest>, content_type = "application/json"),
    responses(
        (status = 200, description = "Approved", body = StoredEvaluation),
        (status = 404, description = "No evaluation with this id", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The form is not submitted; `detail` names its state", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 400, description = "The body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` names a version that is no longer current", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "No `If-Match`: send the `ETag` last read (or `*` to act on whatever version is current)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body is not a transition request", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/approve")]
pub async fn approve(
    who: Authorized<Review>,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    apply(req, who.principal, state, id, body, Transition::Approve).await
}

/// Opens an approved form again as a new draft version of the same document; the approved
/// version stays readable under `/versions/{n}`, and the draft names it in `reopened_from`.
#[utoipa::path(
    operation_id = "reopen_evaluation",
    tag = "review",
    params(
        ("id" = i64, Path, description = "Evaluation id"),
        ("If-Match" = String, Header, description = "The `ETag` last read; 412 if it is no longer current, 428 without it. `*` acts on whatever is current"),
    ),
    request_body(content = Option<TransitionRequest>, content_type = "application/json"),
    responses(
        (status = 200, description = "Reopened as a new draft version", body = StoredEvaluation),
        (status = 404, description = "No evaluation with this id", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The form is not approved; `detail` names its state", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 400, description = "The body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` names a version that is no longer current", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "No `If-Match`: send the `ETag` last read (or `*` to act on whatever version is current)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body is not a transition request", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/reopen")]
pub async fn reopen(
    who: Authorized<Reopen>,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    apply(req, who.principal, state, id, body, Transition::Reopen).await
}

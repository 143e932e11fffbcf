//! Scoring a form without storing it.

use std::sync::Arc;

use actix_web::{post, web};

use super::AppState;
use super::auth::{AnyToken, Authorized};
use super::extract::DocumentBody;
use crate::domain::messages::Lang;
use crate::domain::scoring::result::ScoreResult;
use crate::error::ApiError;

/// Scores a form by its ruleset and returns the result; nothing is stored.
///
/// The result is the same as a stored evaluation's `result` for the same document.
#[utoipa::path(
    operation_id = "score_form",
    tag = "scoring",
    request_body(content = crate::domain::document::EvaluationDocument, content_type = "application/json"),
    responses(
        (status = 200, description = "The scored result", body = ScoreResult),
        (status = 400, description = "The body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is over the size limit", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The document is invalid; `errors` lists every problem at once, each with its `pointer`, `code`, paper `location` and `detail`", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/score")]
pub async fn score(
    _who: Authorized<AnyToken>,
    lang: Lang,
    state: web::Data<AppState>,
    body: DocumentBody,
) -> Result<web::Json<ScoreResult>, ApiError> {
    let mut result = state.evaluate(Arc::new(body.value)).await?;
    result.localize(lang);
    Ok(web::Json(result))
}

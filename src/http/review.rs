//! Recording review scores (复核) for a submitted form.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, put, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::AppState;
use super::auth::{Authorized, Review as Reviewing};
use super::extract::{JsonBody, etag_in, if_match};
use super::language::{localized, requested};
use crate::domain::access::Operation;
use crate::domain::lifecycle::Status;
use crate::domain::messages::Detail;
use crate::domain::precondition::Expected;
use crate::domain::scoring::review::{LeafReviewEntry, Review, ReviewEntry, score_reviewed};
use crate::domain::validation::FieldError;
use crate::error::ApiError;
use crate::storage::StorageError;
use crate::storage::evaluations::{self as store, StoredEvaluation};
use crate::storage::review as review_store;

/// Review scores for the execution block and any leaves, replacing those recorded before.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// The review score of the execution block.
    #[serde(default)]
    pub execution: Option<ReviewEntry>,
    /// Review scores of leaves, each naming the leaf by its JSON pointer in the document.
    #[serde(default)]
    pub leaves: Vec<LeafReviewEntry>,
    /// A remark for the history.
    #[serde(default)]
    pub comment: Option<String>,
}

/// Records a reviewer's scores beside the unit's declared scores and the rule scores.
///
/// The form must be submitted. Each score needs a reason and obeys the rules (between 0 and
/// the weight; for a qualitative leaf, inside the band of the tier its actual implies). The
/// result then carries, for the execution block, every leaf and node, and the total and grade,
/// the declared, rule and review figures side by side with their differences. Recording
/// scores makes a new version.
#[utoipa::path(
    operation_id = "review_evaluation",
    tag = "review",
    params(
        ("id" = i64, Path, description = "Evaluation id"),
        ("If-Match" = String, Header, description = "The `ETag` last read; 412 if it is no longer current, 428 without it. `*` acts on whatever is current"),
    ),
    request_body(content = ReviewRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Recorded; the result carries the review scores", body = StoredEvaluation),
        (status = 400, description = "The body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No evaluation with this id", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The form is not submitted; `detail` names its state", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` names a version that is no longer current", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "No `If-Match`: send the `ETag` last read (or `*` to act on whatever version is current)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A review score breaks the rules; `errors` names it", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/review")]
pub async fn record(
    who: Authorized<Reviewing>,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: JsonBody<ReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, actor) = (id.into_inner(), who.principal);
    let reader = actor.clone();
    let stored = state
        .storage(move |conn| store::read_for(conn, id, &reader, Operation::Review))
        .await?;
    // Checked as the storage layer checks a write (after access, before state), but before
    // the scoring: only now is it known that the caller may review the form at all.
    if_match(&req)
        .check(stored.version)
        .map_err(StorageError::from)?;
    if stored.status != Status::Submitted {
        return Err(StorageError::NotUnderReview {
            status: stored.status,
        }
        .into());
    }
    // The scores are checked against the version just read, so even after `If-Match: *` a
    // change in between fails with 412 rather than storing scores of another document.
    let expected = Expected::Version(stored.version);
    let request = body.value;
    if request.execution.is_none() && request.leaves.is_empty() {
        return Err(ApiError::InvalidDocument(vec![FieldError::new(
            "",
            "a review records at least one score (`execution` or `leaves`)",
        )]));
    }
    let review = Arc::new(Review {
        execution: request.execution,
        leaves: request.leaves,
    });
    let rulesets = state.rulesets.current();
    let document = stored.document;
    let ruleset_id = stored.result.ruleset.id;
    let scoring_review = Arc::clone(&review);
    let scored_with = stored.result.ruleset.version;
    let result = super::blocking(move || {
        // The rule scores beside the review must be the ones stored, so the same ruleset
        // version must still be loaded.
        let ruleset = rulesets
            .get(&ruleset_id)
            .filter(|r| r.version == scored_with)
            .ok_or_else(|| {
                ApiError::Conflict(Detail::RulesetNoLongerLoaded {
                    id: ruleset_id.clone(),
                    version: scored_with,
                })
            })?;
        score_reviewed(&document, ruleset, Some(&scoring_review)).map_err(ApiError::InvalidDocument)
    })
    .await??;
    let comment = request.comment;
    let stored = state
        .storage(move |conn| {
            review_store::record_review(
                conn,
                id,
                expected,
                &review,
                &result,
                &actor,
                comment.as_deref(),
            )
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag_in(stored.version, requested(&req))))
        .json(localized(stored, requested(&req))))
}

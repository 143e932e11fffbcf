//! The history of an evaluation and its kept versions.

use actix_web::{get, web};

use super::AppState;
use super::auth::{Authorized, ReadHistory};
use crate::domain::access::Principal;
use crate::domain::messages::Detail;
use crate::domain::messages::Lang;
use crate::error::ApiError;
use crate::storage::history::{self, HistoryEntry, StoredVersion};

/// Lists every change to an evaluation, oldest first: who, when, what (old → new) and why.
///
/// The history is append-only and outlives the evaluation: a deleted evaluation's history
/// ends with its deletion.
#[utoipa::path(
    operation_id = "read_evaluation_history",
    tag = "evaluations",
    params(("id" = i64, Path, description = "Evaluation id")),
    responses(
        (status = 200, description = "The changes, oldest first", body = Vec<HistoryEntry>),
        (status = 404, description = "No evaluation ever had this id", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/history")]
pub async fn read_history(
    who: Authorized<ReadHistory>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<HistoryEntry>>, ApiError> {
    let (id, principal) = (id.into_inner(), who.principal);
    let entries = state
        .storage(move |conn| history::history_for(conn, id, &principal))
        .await?;
    Ok(web::Json(entries))
}

/// Reads an earlier (or the current) version exactly as it was stored, with the ruleset
/// version it was scored under and the SHA-256 of its document, so that a published grade can
/// be recomputed and checked.
#[utoipa::path(
    operation_id = "read_evaluation_version",
    tag = "evaluations",
    params(
        ("id" = i64, Path, description = "Evaluation id"),
        ("n" = i64, Path, description = "Version number, from 1"),
    ),
    responses(
        (status = 200, description = "The version", body = StoredVersion),
        (status = 404, description = "No such evaluation or version", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/versions/{n}")]
pub async fn read_version(
    lang: Lang,
    principal: Principal,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<web::Json<StoredVersion>, ApiError> {
    let (id, n) = path.into_inner();
    let version = state
        .storage(move |conn| history::version_for(conn, id, n, &principal))
        .await
        .map_err(|e| e.not_found_as(|| Detail::NoVersion { id, version: n }))?;
    let mut version = version;
    version.result.localize(lang);
    Ok(web::Json(version))
}

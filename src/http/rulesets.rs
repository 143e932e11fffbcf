//! The rulesets in force.

use actix_web::{get, put, web};

use super::AppState;
use super::auth::{Admin, Authorized};
use super::extract::JsonBody;
use crate::domain::messages::Detail;
use crate::domain::ruleset::Ruleset;
use crate::domain::validation::FieldError;
use crate::error::ApiError;
use crate::storage::StorageError;
use crate::storage::rulesets as storage;

/// Lists every ruleset the service scores with.
#[utoipa::path(
    operation_id = "list_rulesets",
    tag = "rulesets",
    responses((status = 200, description = "Every loaded ruleset", body = Vec<Ruleset>))
)]
#[get("/rulesets")]
pub async fn list(state: web::Data<AppState>) -> web::Json<Vec<Ruleset>> {
    web::Json(state.rulesets.current().iter().cloned().collect())
}

/// Reads one ruleset: its weights, tiers, grade bands, thresholds and tolerances.
#[utoipa::path(
    operation_id = "read_ruleset",
    tag = "rulesets",
    params(("id" = String, Path, description = "Ruleset id, e.g. `hunan-2020`", min_length = 1, pattern = r"^\S+$")),
    responses(
        (status = 200, description = "The ruleset", body = Ruleset),
        (status = 404, description = "No ruleset with this id", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/rulesets/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<Ruleset>, ApiError> {
    state
        .rulesets
        .current()
        .get(&id)
        .cloned()
        .map(web::Json)
        .ok_or_else(|| ApiError::NotFound(Detail::NoRuleset { id: id.clone() }))
}

/// Publishes a ruleset: a new one, or a new version of one in force. It is checked as the
/// rulesets in files are (grade bands and tiers cover 0–100 exactly once, weights sum to 100),
/// kept with every earlier version, and scores every form stored or replaced from then on;
/// forms already stored keep the version they were scored with. It stays in force across
/// restarts unless a file brings a later version.
#[utoipa::path(
    operation_id = "publish_ruleset",
    tag = "rulesets",
    params(("id" = String, Path, description = "Ruleset id; the same as the body's `id`", min_length = 1, pattern = r"^\S+$")),
    request_body(content = Ruleset, content_type = "application/json"),
    responses(
        (status = 200, description = "Published and in force", body = Ruleset),
        (status = 400, description = "The body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The version is not later than the one in force", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a usable ruleset, or its id differs from the path", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/rulesets/{id}")]
pub async fn publish(
    who: Authorized<Admin>,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: JsonBody<serde_json::Value>,
) -> Result<web::Json<Ruleset>, ApiError> {
    let ruleset = Ruleset::parse(&body.raw)
        .map_err(|e| ApiError::InvalidDocument(vec![FieldError::new("", e.to_string())]))?;
    if ruleset.id != *id {
        return Err(ApiError::InvalidDocument(vec![FieldError::new(
            "/id",
            format!(
                "the body is ruleset `{}`, the path names `{id}`",
                ruleset.id
            ),
        )]));
    }
    let (in_force, kept, raw, principal) = (
        state.rulesets.clone(),
        ruleset.clone(),
        body.raw,
        who.principal,
    );
    state
        .storage(move |conn| {
            // The version check, the record and the swap happen as one change.
            in_force.update(|current| {
                if let Some(loaded) = current.get(&kept.id)
                    && loaded.version >= kept.version
                {
                    return Err(StorageError::Conflict(Detail::RulesetInForce {
                        id: loaded.id.clone(),
                        version: loaded.version,
                    }));
                }
                storage::publish(conn, &kept, &raw, &principal)?;
                Ok(current.with(kept))
            })
        })
        .await?;
    tracing::info!(id = %ruleset.id, version = ruleset.version, "ruleset published");
    Ok(web::Json(ruleset))
}

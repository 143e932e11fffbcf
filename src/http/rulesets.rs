//! The rulesets in force.

use actix_web::{get, web};

use super::AppState;
use crate::domain::ruleset::Ruleset;
use crate::error::ApiError;

/// Lists every ruleset the service scores with.
#[utoipa::path(
    operation_id = "list_rulesets",
    tag = "rulesets",
    responses((status = 200, description = "Every loaded ruleset", body = Vec<Ruleset>))
)]
#[get("/rulesets")]
pub async fn list(state: web::Data<AppState>) -> web::Json<Vec<Ruleset>> {
    web::Json(state.rulesets.iter().cloned().collect())
}

/// Reads one ruleset: its weights, tiers, grade bands, thresholds and tolerances.
#[utoipa::path(
    operation_id = "read_ruleset",
    tag = "rulesets",
    params(("id" = String, Path, description = "Ruleset id, e.g. `hunan-2020`")),
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
        .get(&id)
        .cloned()
        .map(web::Json)
        .ok_or_else(|| ApiError::NotFound(format!("no ruleset `{id}`")))
}

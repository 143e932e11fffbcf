//! Liveness and readiness.

use actix_web::{HttpResponse, get, web};

use super::AppState;
use crate::error::ApiError;

/// Whether the service is up and its database answers.
///
/// Answers 200 with `ok` once the database has been opened and migrated.
#[utoipa::path(
    operation_id = "healthz",
    tag = "operations",
    responses(
        (status = 200, description = "The service is ready", body = String, content_type = "text/plain"),
        (status = 500, description = "The database does not answer", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/healthz")]
pub async fn healthz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state
        .storage(|conn| Ok(conn.prepare_cached("SELECT 1")?.query_row([], |_| Ok(()))?))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok"))
}

//! The unit registry (admin): budget codes and the names forms must carry with them.

use actix_web::{HttpResponse, delete, get, put, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::AppState;
use super::auth::{Admin, AnyToken, Authorized};
use super::extract::JsonBody;
use crate::domain::validation::FieldError;
use crate::error::ApiError;
use crate::storage::units::{self, RegisteredUnit};

/// The body of a registration.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitRequest {
    /// The unit's name as its forms print it.
    #[schema(example = "衡阳县财政局", min_length = 1)]
    pub name: String,
}

/// Lists the registered units.
#[utoipa::path(
    operation_id = "list_units",
    tag = "access",
    responses((status = 200, description = "Every registered unit, by code", body = Vec<RegisteredUnit>))
)]
#[get("/units")]
pub async fn list(
    _who: Authorized<AnyToken>,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<RegisteredUnit>>, ApiError> {
    Ok(web::Json(state.storage(|conn| units::list(conn)).await?))
}

/// Registers a unit under its budget code, or renames it. From then on a form with this
/// `unit.code` must carry this name, and no form may carry this name under another code (422
/// naming `/unit`); forms already stored are not changed.
#[utoipa::path(
    operation_id = "set_unit",
    tag = "access",
    params(("code" = String, Path, description = "The budget code (预算编码)")),
    request_body(content = UnitRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Registered", body = RegisteredUnit),
        (status = 400, description = "The body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is registered under another code", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The code or the name is blank", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/units/{code}")]
pub async fn set(
    _who: Authorized<Admin>,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: JsonBody<UnitRequest>,
) -> Result<web::Json<RegisteredUnit>, ApiError> {
    let code = code.into_inner().trim().to_owned();
    let name = body.value.name.trim().to_owned();
    let mut errors = Vec::new();
    if code.is_empty() {
        errors.push(FieldError::new("/code", "the budget code is blank"));
    }
    if name.is_empty() {
        errors.push(FieldError::new("/name", "the name is blank"));
    }
    if !errors.is_empty() {
        return Err(ApiError::InvalidDocument(errors));
    }
    let unit = state
        .storage(move |conn| units::set(conn, &code, &name))
        .await?;
    Ok(web::Json(unit))
}

/// Removes a unit from the registry; its forms stay as they are.
#[utoipa::path(
    operation_id = "remove_unit",
    tag = "access",
    params(("code" = String, Path, description = "The budget code (预算编码)")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No unit with this code is registered", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/units/{code}")]
pub async fn remove(
    _who: Authorized<Admin>,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    let shown = code.clone();
    state
        .storage(move |conn| units::remove(conn, &code))
        .await
        .map_err(|e| e.not_found_as(|| format!("no unit `{shown}` is registered")))?;
    Ok(HttpResponse::NoContent().finish())
}

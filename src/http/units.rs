//! The unit registry (admin): budget codes and the names forms must carry with them.

use actix_web::{HttpResponse, delete, get, put, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::AppState;
use super::auth::{Admin, AnyToken, Authorized};
use super::extract::JsonBody;
use crate::domain::messages::Detail;
use crate::domain::placement::{self, Region};
use crate::domain::validation::FieldError;
use crate::error::ApiError;
use crate::storage::units::{self, RegisteredUnit, Registration};

/// The body of a registration.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitRequest {
    /// The unit's name as its forms print it.
    #[schema(example = "衡阳县财政局", min_length = 1)]
    pub name: String,
    /// The budget code of the unit's 主管部门 (supervising department); leave it out for none.
    /// Not blank.
    #[serde(default)]
    #[schema(example = "430421", min_length = 1)]
    pub department: Option<String>,
    /// The unit's 行政区划 code, six digits (`430421`: 衡阳县); leave it out for none.
    #[serde(default)]
    #[schema(example = "430421", pattern = "^[0-9]{6}$")]
    pub region: Option<String>,
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
/// naming `/unit`); forms already stored are not changed, except that every form with this
/// code takes the registered `department` and `region` at once (what list, export and
/// statistics filters match). A registration replaces the previous one whole: leaving
/// `department` or `region` out clears it.
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
        (status = 422, description = "The code, the name or the department is blank, or the region is not six digits", body = crate::error::Problem, content_type = "application/problem+json"),
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
    let body = body.value;
    let name = body.name.trim().to_owned();
    let mut errors = Vec::new();
    if code.is_empty() {
        errors.push(FieldError::new("/code", "the budget code is blank"));
    }
    if name.is_empty() {
        errors.push(FieldError::new("/name", "the name is blank"));
    }
    let department = body
        .department
        .map(|d| placement::department(&d))
        .transpose()
        .map_err(|e| errors.push(FieldError::new("/department", e)))
        .unwrap_or_default();
    let region = body
        .region
        .map(|r| Region::parse(&r))
        .transpose()
        .map_err(|e| errors.push(FieldError::new("/region", e)))
        .unwrap_or_default();
    if !errors.is_empty() {
        return Err(ApiError::InvalidDocument(errors));
    }
    let registration = Registration {
        code,
        name,
        department,
        region: region.map(|r| r.as_str().to_owned()),
    };
    let unit = state
        .storage(move |conn| units::set(conn, &registration))
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
        .map_err(|e| {
            e.not_found_as(|| Detail::NoUnit {
                code: shown.clone(),
            })
        })?;
    Ok(HttpResponse::NoContent().finish())
}

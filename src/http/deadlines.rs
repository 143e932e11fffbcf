//! Submission deadlines per fiscal year and kind of form.

use actix_web::{HttpResponse, delete, get, put, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::AppState;
use super::auth::{Admin, AnyToken, Authorized};
use super::extract::JsonBody;
use crate::domain::document::FormKind;
use crate::domain::messages::Detail;
use crate::domain::validation::{FISCAL_YEARS, FieldError};
use crate::error::ApiError;
use crate::storage::deadlines::{self, Deadline};

/// The body of a deadline.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeadlineRequest {
    /// The last day to submit, `YYYY-MM-DD`.
    #[schema(value_type = String, format = Date, example = "2021-07-31")]
    pub due_on: String,
}

/// Lists the submission deadlines, latest year first.
#[utoipa::path(
    operation_id = "list_deadlines",
    tag = "review",
    responses((status = 200, description = "Every deadline", body = Vec<Deadline>))
)]
#[get("/deadlines")]
pub async fn list(
    _who: Authorized<AnyToken>,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<Deadline>>, ApiError> {
    Ok(web::Json(
        state.storage(|conn| deadlines::list(conn)).await?,
    ))
}

/// Sets the last day on which forms of a year and kind may be submitted; draft and returned
/// forms are `overdue` after it (in China Standard Time), in reads and lists.
#[utoipa::path(
    operation_id = "set_deadline",
    tag = "review",
    params(
        ("fiscal_year" = i32, Path, minimum = 1990, maximum = 2100, description = "The budget year of the forms"),
        ("kind" = FormKind, Path, description = "Which forms"),
    ),
    request_body(content = DeadlineRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The deadline as set", body = Deadline),
        (status = 400, description = "The body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such kind of form", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The year or the date is not valid", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/deadlines/{fiscal_year}/{kind}")]
pub async fn set(
    _who: Authorized<Admin>,
    state: web::Data<AppState>,
    path: web::Path<(i32, FormKind)>,
    body: JsonBody<DeadlineRequest>,
) -> Result<web::Json<Deadline>, ApiError> {
    let (fiscal_year, kind) = path.into_inner();
    let mut errors = Vec::new();
    if !FISCAL_YEARS.contains(&fiscal_year) {
        errors.push(FieldError::new(
            "/fiscal_year",
            "not a fiscal year this service accepts",
        ));
    }
    let due_on = body.value.due_on;
    // Stored as text and compared as text, so only the one spelling is accepted.
    let well_formed = due_on.len() == 10
        && due_on.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
        && chrono::NaiveDate::parse_from_str(&due_on, "%Y-%m-%d").is_ok();
    if !well_formed {
        errors.push(FieldError::new(
            "/due_on",
            "must be a date written YYYY-MM-DD",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::InvalidDocument(errors));
    }
    let deadline = Deadline {
        fiscal_year,
        kind,
        due_on,
    };
    let stored = deadline.clone();
    state
        .storage(move |conn| deadlines::set(conn, &stored))
        .await?;
    Ok(web::Json(deadline))
}

/// Removes a deadline.
#[utoipa::path(
    operation_id = "remove_deadline",
    tag = "review",
    params(
        ("fiscal_year" = i32, Path, minimum = 1990, maximum = 2100, description = "The budget year of the forms"),
        ("kind" = FormKind, Path, description = "Which forms"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No deadline for this year and kind", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/deadlines/{fiscal_year}/{kind}")]
pub async fn remove(
    _who: Authorized<Admin>,
    state: web::Data<AppState>,
    path: web::Path<(i32, FormKind)>,
) -> Result<HttpResponse, ApiError> {
    let (fiscal_year, kind) = path.into_inner();
    state
        .storage(move |conn| deadlines::remove(conn, fiscal_year, kind))
        .await
        .map_err(|e| {
            e.not_found_as(|| Detail::NoDeadline {
                year: fiscal_year,
                kind,
            })
        })?;
    Ok(HttpResponse::NoContent().finish())
}

//! A unit's forms year by year.

use actix_web::{get, web};
use utoipa::IntoParams;

use super::AppState;
use super::filter_params::{finish, listed, one};
use super::query::Query;
use crate::domain::access::Principal;
use crate::domain::document::FormKind;
use crate::domain::messages::Detail;
use crate::domain::trend::{self, TrendPoint};
use crate::error::ApiError;
use crate::storage;

/// Which forms of the unit.
#[derive(Debug, Default, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendParams {
    /// Department (default) or project forms, by code or label.
    #[param(value_type = FormKind, required = false)]
    kind: Option<String>,
}

/// The unit's forms of one kind year by year, oldest first: rule, declared and review totals
/// and grades, the execution rate, and `total_change`, the rule total minus that of the
/// previous form shown of the same project (for department forms: the unit's previous year
/// shown), `null` for the first.
///
/// Shows what the caller may read: a unit token covering the code sees every form of it,
/// others what they could list (anonymous callers: approved forms only), and changes are
/// worked out among those only. A code with nothing visible is an empty list if registered,
/// else 404.
#[utoipa::path(
    operation_id = "read_unit_trend",
    tag = "evaluations",
    params(("code" = String, Path, description = "The budget code (预算编码)"), TrendParams),
    responses(
        (status = 200, description = "The unit's visible forms, oldest first", body = Vec<TrendPoint>),
        (status = 400, description = "A query parameter is invalid; `errors` names it", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "The code is not registered and no form of it is visible", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/units/{code}/trend")]
pub async fn read(
    principal: Principal,
    state: web::Data<AppState>,
    code: web::Path<String>,
    params: Query<TrendParams>,
) -> Result<web::Json<Vec<TrendPoint>>, ApiError> {
    let visibility = principal.visibility()?;
    let mut errors = Vec::new();
    let kind = one(
        &mut errors,
        "kind",
        params.0.kind,
        |text| {
            FormKind::ALL
                .into_iter()
                .find(|k| k.as_str() == text || k.label() == text)
        },
        || listed(FormKind::ALL.map(|k| (k.as_str().to_owned(), vec![k.label()]))),
    )
    .unwrap_or(FormKind::Department);
    finish(errors)?;
    let code = code.into_inner();
    let shown = code.clone();
    let (rows, registered) = state
        .storage(move |conn| storage::trend::rows(conn, &code, kind, visibility))
        .await?;
    if rows.is_empty() && !registered {
        return Err(ApiError::NotFound(Detail::NoUnitOrForms { code: shown }));
    }
    Ok(web::Json(trend::trend(rows)))
}

//! The paper form of a stored evaluation: as a grid (JSON), a printable page (HTML) or a
//! workbook (XLSX).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::AppState;
use super::evaluations::fetch;
use super::exports::{self, JSON, Workbook, negotiate};
use crate::domain::access::Principal;
use crate::domain::form::{FormGrid, build_form};
use crate::error::ApiError;
use crate::render::{self, HTML, XLSX};
use crate::storage::evaluations::StoredEvaluation;

/// Options of the printable page.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PrintParams {
    /// Print the rule scores (and review scores) beside the declared ones, and the findings
    /// after the table: the reviewer's annotated copy. Default `false`: the clean copy.
    #[serde(default)]
    annotate: bool,
}

/// The evaluation as the paper form: title, header, and the grid of cells with their spans.
///
/// A client can draw the official 自评表 from the grid alone: each row lists the cells that
/// start on it, with their column, row and column spans, and Chinese labels as printed. The
/// printable page and the workbook are `/form.html` and `/form.xlsx`; asking this path for
/// `text/html` or the XLSX media type in `Accept` answers with them too.
#[utoipa::path(
    operation_id = "read_evaluation_form",
    tag = "evaluations",
    params(("id" = i64, Path, description = "Evaluation id"), PrintParams),
    responses(
        (status = 200, description = "The form grid", body = FormGrid),
        (status = 400, description = "A query parameter is invalid (`annotate` is `true` or `false`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No evaluation with this id", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/evaluations/{id}/form")]
pub async fn form(
    req: HttpRequest,
    principal: Principal,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    print: web::Query<PrintParams>,
) -> Result<HttpResponse, ApiError> {
    let media = negotiate(&req, &[JSON, HTML, XLSX]);
    let stored = fetch(&state, id.into_inner(), principal).await?;
    let grid = grid_of(&state, &stored)?;
    match media {
        HTML => Ok(page(&grid, &stored, print.annotate)),
        XLSX => workbook(&req, &grid, &stored),
        _ => Ok(HttpResponse::Ok().json(grid)),
    }
}

/// The form as a self-contained page laid out like the paper form, for printing on A4.
///
/// With `annotate=true`, the rule scores (and review scores, where recorded) stand beside the
/// declared ones, differences marked, and the findings follow the table.
#[utoipa::path(
    operation_id = "print_evaluation_form",
    tag = "evaluations",
    params(("id" = i64, Path, description = "Evaluation id"), PrintParams),
    responses(
        (status = 200, description = "The printable page", body = String, content_type = "text/html"),
        (status = 400, description = "A query parameter is invalid (`annotate` is `true` or `false`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No evaluation with this id", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/evaluations/{id}/form.html")]
pub async fn form_html(
    principal: Principal,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    print: web::Query<PrintParams>,
) -> Result<HttpResponse, ApiError> {
    let stored = fetch(&state, id.into_inner(), principal).await?;
    let grid = grid_of(&state, &stored)?;
    Ok(page(&grid, &stored, print.annotate))
}

/// The form as an Excel workbook in the official layout: merged cells as on paper, figures as
/// numbers with their decimals, borders, column widths, A4 page setup and print area; a
/// second sheet holds the rule scores and findings.
#[utoipa::path(
    operation_id = "export_evaluation_form",
    tag = "evaluations",
    params(("id" = i64, Path, description = "Evaluation id")),
    responses(
        (status = 200, description = "The workbook", content(
            (inline(Workbook) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (inline(Workbook) = "application/octet-stream"),
        )),
        (status = 404, description = "No evaluation with this id", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/evaluations/{id}/form.xlsx")]
pub async fn form_xlsx(
    req: HttpRequest,
    principal: Principal,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let stored = fetch(&state, id.into_inner(), principal).await?;
    let grid = grid_of(&state, &stored)?;
    workbook(&req, &grid, &stored)
}

fn grid_of(state: &AppState, stored: &StoredEvaluation) -> Result<FormGrid, ApiError> {
    // The ruleset only supplies the grade legend; a retired one falls back to the default.
    let rulesets = state.rulesets.current();
    let ruleset = rulesets
        .get(&stored.result.ruleset.id)
        .or_else(|| rulesets.for_form(None))
        .ok_or_else(|| ApiError::Internal("no default ruleset is loaded".into()))?;
    Ok(build_form(&stored.document, ruleset))
}

fn page(grid: &FormGrid, stored: &StoredEvaluation, annotate: bool) -> HttpResponse {
    let body = render::html::form_page(grid, annotate.then_some(&stored.result));
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .body(body)
}

fn workbook(
    req: &HttpRequest,
    grid: &FormGrid,
    stored: &StoredEvaluation,
) -> Result<HttpResponse, ApiError> {
    let body = render::xlsx::form_workbook(grid, &stored.document, &stored.result)
        .map_err(|e| ApiError::Internal(format!("form workbook: {e}")))?;
    let name = format!("evaluation-{}-v{}.xlsx", stored.id, stored.version);
    Ok(exports::workbook(req, &name, body))
}

//! The paper form of a stored evaluation: as a grid (JSON), a printable page (HTML) or a
//! workbook (XLSX).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::AppState;
use super::conditional::{ConditionalRead, EntityTag, NOT_MODIFIED, unless_held};
use super::evaluations::fetch;
use super::exports::{self, JSON, Workbook, negotiate};
use super::query::{Query, switch};
use crate::domain::access::Principal;
use crate::domain::form::{FormGrid, build_form};
use crate::domain::ruleset::Ruleset;
use crate::error::ApiError;
use crate::render::{self, HTML, XLSX};
use crate::storage::evaluations::StoredEvaluation;

/// Options of the printable page.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PrintParams {
    /// Print the rule scores (and review scores) beside the declared ones, and the findings
    /// after the table: the reviewer's annotated copy. Default `false`: the clean copy.
    #[serde(default, deserialize_with = "switch")]
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
    params(("id" = i64, Path, description = "Evaluation id"), PrintParams, ConditionalRead),
    responses(
        (status = 200, description = "The form grid; `ETag` names this rendering of this version", body = FormGrid,
            headers(("ETag" = String, description = "This rendering of this version, for `If-None-Match`"))),
        (status = 304, description = NOT_MODIFIED,
            headers(("ETag" = String, description = "The current tag"))),
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
    print: Query<PrintParams>,
) -> Result<HttpResponse, ApiError> {
    let rendering = match negotiate(&req, &[JSON, HTML, XLSX]) {
        HTML => Rendering::Page {
            annotated: print.annotate,
        },
        XLSX => Rendering::Workbook,
        _ => Rendering::Grid,
    };
    let stored = fetch(&state, id.into_inner(), principal).await?;
    render(&req, &state, &stored, rendering)
}

/// The form as a self-contained page laid out like the paper form, for printing on A4.
///
/// With `annotate=true`, the rule scores (and review scores, where recorded) stand beside the
/// declared ones, differences marked, and the findings follow the table.
#[utoipa::path(
    operation_id = "print_evaluation_form",
    tag = "evaluations",
    params(("id" = i64, Path, description = "Evaluation id"), PrintParams, ConditionalRead),
    responses(
        (status = 200, description = "The printable page; `ETag` names this rendering of this version", body = String, content_type = "text/html",
            headers(("ETag" = String, description = "This rendering of this version, for `If-None-Match`"))),
        (status = 304, description = NOT_MODIFIED,
            headers(("ETag" = String, description = "The current tag"))),
        (status = 400, description = "A query parameter is invalid (`annotate` is `true` or `false`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No evaluation with this id", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/evaluations/{id}/form.html")]
pub async fn form_html(
    req: HttpRequest,
    principal: Principal,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    print: Query<PrintParams>,
) -> Result<HttpResponse, ApiError> {
    let stored = fetch(&state, id.into_inner(), principal).await?;
    let rendering = Rendering::Page {
        annotated: print.annotate,
    };
    render(&req, &state, &stored, rendering)
}

/// The form as an Excel workbook in the official layout: merged cells as on paper, figures as
/// numbers with their decimals, borders, column widths, A4 page setup and print area; a
/// second sheet holds the rule scores and findings.
#[utoipa::path(
    operation_id = "export_evaluation_form",
    tag = "evaluations",
    params(("id" = i64, Path, description = "Evaluation id"), ConditionalRead),
    responses(
        (status = 200, description = "The workbook; `ETag` (weak: each workbook records when it was written) names this rendering of this version", content(
            (inline(Workbook) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (inline(Workbook) = "application/octet-stream"),
        ), headers(("ETag" = String, description = "This rendering of this version, for `If-None-Match`"))),
        (status = 304, description = NOT_MODIFIED,
            headers(("ETag" = String, description = "The current tag"))),
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
    render(&req, &state, &stored, Rendering::Workbook)
}

/// One rendering of a stored form. Each has its own entity tag, as their bytes differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rendering {
    /// The grid as JSON.
    Grid,
    /// The printable page, clean or annotated.
    Page { annotated: bool },
    /// The workbook.
    Workbook,
}

impl Rendering {
    /// The tag of this rendering of `stored` with the grade legend of `legend`: the form's
    /// version, the rendering, and the ruleset version whose legend it prints, since publishing
    /// a new version of that ruleset changes the page without changing the form.
    fn tag(self, stored: &StoredEvaluation, legend: &Ruleset) -> EntityTag {
        let name = match self {
            Self::Grid => "grid",
            Self::Page { annotated: false } => "html",
            Self::Page { annotated: true } => "html-annotated",
            Self::Workbook => "xlsx",
        };
        let opaque = format!("{}-{name}-{}.{}", stored.version, legend.id, legend.version);
        // A workbook records the time it was written, so two of one version differ in bytes
        // but not in content: a weak tag.
        if self == Self::Workbook {
            EntityTag::weak(opaque)
        } else {
            EntityTag::strong(opaque)
        }
    }
}

/// `stored` in `rendering`, or 304 when the caller holds that rendering already.
fn render(
    req: &HttpRequest,
    state: &AppState,
    stored: &StoredEvaluation,
    rendering: Rendering,
) -> Result<HttpResponse, ApiError> {
    // The ruleset only supplies the grade legend; a retired one falls back to the default.
    let rulesets = state.rulesets.current();
    let legend = rulesets
        .get(&stored.result.ruleset.id)
        .or_else(|| rulesets.for_form(None))
        .ok_or_else(|| ApiError::Internal("no default ruleset is loaded".into()))?;
    if rendering == Rendering::Workbook {
        // The workbook's media type follows `Accept`, so a 304 must say it varies on it too.
        let _ = negotiate(req, &[XLSX, exports::OCTET_STREAM]);
    }
    unless_held(req, &rendering.tag(stored, legend), || {
        let grid = build_form(&stored.document, legend);
        match rendering {
            Rendering::Grid => Ok(HttpResponse::Ok().json(grid)),
            Rendering::Page { annotated } => Ok(page(&grid, stored, annotated, legend)),
            Rendering::Workbook => workbook(req, &grid, stored),
        }
    })
}

fn page(
    grid: &FormGrid,
    stored: &StoredEvaluation,
    annotate: bool,
    legend: &Ruleset,
) -> HttpResponse {
    let body = render::html::form_page(grid, annotate.then_some((&stored.result, legend)));
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

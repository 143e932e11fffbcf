//! The paper form of a stored evaluation: as a grid (JSON), a printable page (HTML) or a
//! workbook (XLSX).

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::AppState;
use super::conditional::{ConditionalRead, EntityTag, NOT_MODIFIED, unless_held};
use super::exports::{self, JSON, Workbook, negotiate};
use super::form_reads::{self, Render};
use super::query::{Query, switch};
use super::read_cache::{Legend, Representation};
use crate::domain::access::Principal;
use crate::domain::form::{FormGrid, build_form};
use crate::domain::ruleset::Ruleset;
use crate::domain::rulesets::Rulesets;
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
#[get("/form")]
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
    render(&req, &state, id.into_inner(), principal, rendering).await
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
#[get("/form.html")]
pub async fn form_html(
    req: HttpRequest,
    principal: Principal,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    print: Query<PrintParams>,
) -> Result<HttpResponse, ApiError> {
    let rendering = Rendering::Page {
        annotated: print.annotate,
    };
    render(&req, &state, id.into_inner(), principal, rendering).await
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
#[get("/form.xlsx")]
pub async fn form_xlsx(
    req: HttpRequest,
    principal: Principal,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    render(
        &req,
        &state,
        id.into_inner(),
        principal,
        Rendering::Workbook,
    )
    .await
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
    /// The tag of this rendering of `version` with the grade legend of `legend`: the form's
    /// version, the rendering, and the ruleset version whose legend it prints, since publishing
    /// a new version of that ruleset changes the page without changing the form.
    fn tag(self, version: i64, legend: &Legend) -> EntityTag {
        let name = match self {
            Self::Grid => "grid",
            Self::Page { annotated: false } => "html",
            Self::Page { annotated: true } => "html-annotated",
            Self::Workbook => "xlsx",
        };
        let opaque = format!("{version}-{name}-{}.{}", legend.id, legend.version);
        // A workbook records the time it was written, so two of one version differ in bytes
        // but not in content: a weak tag.
        if self == Self::Workbook {
            EntityTag::weak(opaque)
        } else {
            EntityTag::strong(opaque)
        }
    }
}

/// A rendering of a stored form, with the rulesets in force to take its legend from.
struct Renderer {
    rendering: Rendering,
    rulesets: Arc<Rulesets>,
}

impl Renderer {
    /// The ruleset whose grade legend a form scored with `of` prints: its own, or the
    /// default for a retired one.
    fn ruleset(&self, of: &str) -> Result<&Ruleset, ApiError> {
        self.rulesets
            .get(of)
            .or_else(|| self.rulesets.for_form(None))
            .ok_or_else(|| ApiError::Internal("no default ruleset is loaded".into()))
    }
}

impl Render for Renderer {
    fn representation(&self) -> Representation {
        match self.rendering {
            Rendering::Grid => Representation::Grid,
            Rendering::Page { annotated: false } => Representation::Page,
            Rendering::Page { annotated: true } => Representation::AnnotatedPage,
            Rendering::Workbook => Representation::Workbook,
        }
    }

    fn legend(&self, of: &str) -> Result<Option<Legend>, ApiError> {
        let ruleset = self.ruleset(of)?;
        Ok(Some(Legend {
            of: of.to_owned(),
            id: ruleset.id.clone(),
            version: ruleset.version,
        }))
    }

    fn render(&self, stored: &StoredEvaluation, _: Option<&Legend>) -> Result<Vec<u8>, ApiError> {
        let legend = self.ruleset(&stored.result.ruleset.id)?;
        let grid = build_form(&stored.document, legend);
        match self.rendering {
            Rendering::Grid => {
                serde_json::to_vec(&grid).map_err(|e| ApiError::Internal(format!("form grid: {e}")))
            }
            Rendering::Page { annotated } => Ok(render::html::form_page(
                &grid,
                annotated.then_some((&stored.result, legend)),
            )
            .into_bytes()),
            Rendering::Workbook => {
                render::xlsx::form_workbook(&grid, &stored.document, &stored.result)
                    .map_err(|e| ApiError::Internal(format!("form workbook: {e}")))
            }
        }
    }
}

/// Form `id` in `rendering`, or 304 when the caller holds that rendering already.
async fn render(
    req: &HttpRequest,
    state: &AppState,
    id: i64,
    principal: Principal,
    rendering: Rendering,
) -> Result<HttpResponse, ApiError> {
    let renderer = Renderer {
        rendering,
        rulesets: state.rulesets.current(),
    };
    let served = form_reads::read(
        state,
        super::read_cache::GenerationAsked::of(req),
        id,
        principal,
        (
            super::language::requested(req),
            // A workbook is a zip archive already.
            rendering != Rendering::Workbook && super::encoding::prefers_gzip(req),
        ),
        &renderer,
    )
    .await?;
    let legend = served
        .legend
        .as_ref()
        .ok_or_else(|| ApiError::Internal("a rendering without its legend".into()))?;
    if rendering == Rendering::Workbook {
        // The workbook's media type follows `Accept`, so a 304 must say it varies on it too.
        let _ = negotiate(req, &[XLSX, exports::OCTET_STREAM]);
    }
    unless_held(req, &rendering.tag(served.version, legend), || {
        Ok(match rendering {
            Rendering::Grid => served.respond(
                HttpResponse::Ok()
                    .content_type("application/json")
                    .body(served.body.clone()),
            ),
            Rendering::Page { .. } => served.respond(
                HttpResponse::Ok()
                    .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
                    .body(served.body.clone()),
            ),
            Rendering::Workbook => {
                let name = format!("evaluation-{}-v{}.xlsx", served.id, served.version);
                exports::workbook(req, &name, served.body.clone())
            }
        })
    })
}

//! Forms filled in Excel: reading a workbook into an evaluation (and storing it), and the blank
//! templates to fill.

use std::sync::Arc;

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpMessage as _, HttpRequest, HttpResponse, get, post, web};
use futures_util::StreamExt as _;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::auth::{AnyToken, Authorized};
use super::exports::{Workbook, workbook};
use super::language::requested;
use super::query::{Query, switch};
use crate::domain::document::{EvaluationDocument, FormKind};
use crate::domain::messages::Detail;
use crate::domain::messages::Lang;
use crate::domain::scoring::result::ScoreResult;
use crate::domain::validation::FieldError;
use crate::error::ApiError;
use crate::import::text::{TextLimits, read_text};
use crate::import::{ImportError, ImportNote, Imported, Limits, read_workbook};
use crate::render::{self, XLSX};
use crate::storage::evaluations::{self as store, StoredEvaluation, Submission};

/// Options of an import.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Only read and score the workbook; store nothing.
    #[serde(default, deserialize_with = "switch")]
    dry_run: bool,
}

/// The text of a published report (决算公开) holding the form, as copied out of its PDF or web
/// page: tab-separated cells (or cells apart by two or more spaces), in UTF-8.
#[derive(ToSchema)]
#[schema(value_type = String, example = "部门整体支出绩效自评表\n(2020 年度)\n填报单位：衡阳县工伤保险服务中心\n…")]
pub struct ReportText(
    #[expect(dead_code, reason = "describes the text body for the OpenAPI document")] String,
);

/// A workbook sent as a multipart form: the file in a part (any name; `file` by convention).
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "describes the multipart body for the OpenAPI document"
)]
pub struct ImportUpload {
    /// The .xlsx file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// What an import read, and what became of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    /// Whether this was only a reading.
    pub dry_run: bool,
    /// The evaluation as read from the workbook.
    pub document: EvaluationDocument,
    /// Its scores, grade and findings.
    pub result: ScoreResult,
    /// What the reader decided, each at its sheet and cell (weights read from level-1 labels,
    /// the currency unit, …), or for text at its line (`line`), every guess included.
    pub notes: Vec<ImportNote>,
    /// The stored evaluation, unless this was a dry run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<StoredEvaluation>,
}

/// Reads a filled-in 自评表 workbook (the official department or project layout) into an
/// evaluation, scores it and, unless `dry_run`, stores it as a new draft.
///
/// Send the .xlsx as the raw body (`application/octet-stream`, or the XLSX media type
/// `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`), or as a multipart
/// form. The layout is found by its headings: with or without 指标性质 / 度量单位 columns, with
/// weights in level-1 labels (`产出指标(50分)`), merged or repeated 一级 / 二级 cells, blank
/// rows, and amounts in 元 or 万元. A workbook that cannot be read gets a problem naming the sheet and
/// cell (`sheet`, `cell`); nothing is stored unless all of it is read. Storing needs the right
/// to create the form (admin, or a unit token covering its `unit.code`).
///
/// Or send the text of a published report as `text/plain` (UTF-8): the 部门整体支出 or 项目支出
/// 绩效自评表 is found by its title and read with cells broken across lines, labels spread
/// over several lines and spaces a PDF copy leaves inside words; the 基础数据表 and the
/// 自评报告, where the text has them, become `basic_data` and `report`. Each guess the reader
/// makes is a note naming its line; text that cannot be read gets a problem naming the line
/// where reading stopped (`line`).
#[utoipa::path(
    operation_id = "import_evaluation",
    tag = "evaluations",
    params(ImportParams),
    request_body(content(
        (inline(Workbook) = "application/octet-stream"),
        (ImportUpload = "multipart/form-data"),
        (ReportText = "text/plain"),
    )),
    responses(
        (status = 200, description = "Read and scored (dry run); nothing stored", body = ImportReport),
        (status = 201, description = "Read, scored and stored; `Location` names the evaluation", body = ImportReport,
            headers(("Location" = String, description = "URL of the new evaluation"))),
        (status = 400, description = "A query parameter is invalid (`dry_run` is `true` or `false`), or the multipart form is malformed", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token may not store a form of this unit", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The unit already has this form for this year", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is over the size limit", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is neither an .xlsx file, a multipart form nor UTF-8 text", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The workbook cannot be read (`sheet` and `cell` say where), the text cannot be read (`line` says where), or the form it holds is invalid (`errors`, each naming its cell or line)", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/imports")]
pub async fn import(
    who: Authorized<AnyToken>,
    req: HttpRequest,
    state: web::Data<AppState>,
    params: Query<ImportParams>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let imported = match upload(&req, payload, state.body_limit).await? {
        Upload::Workbook(bytes) => {
            super::blocking(move || read_workbook(&bytes, &Limits::default()))
                .await?
                .map_err(|e| {
                    if e.problems.is_empty() {
                        ApiError::UnreadableWorkbook(e)
                    } else {
                        ApiError::InvalidDocument(e.problems)
                    }
                })?
        }
        Upload::Text(bytes) => {
            let rulesets = state.rulesets.current();
            super::blocking(move || {
                let text = utf8(&bytes)?;
                read_text(text, &TextLimits::default(), &rulesets)
            })
            .await?
            .map_err(|e| {
                if e.problems.is_empty() {
                    ApiError::UnreadableText(e)
                } else {
                    ApiError::InvalidDocument(e.problems)
                }
            })?
        }
    };
    let document = Arc::new(imported.document.clone());
    let result = state
        .evaluate(Arc::clone(&document))
        .await
        .map_err(|e| at_cells(e, &imported))?;
    if params.dry_run {
        return Ok(HttpResponse::Ok().json(report(true, imported, result, None, requested(&req))));
    }
    let principal = who.principal;
    let (json, stored_result) = (imported.json.clone(), result.clone());
    let stored = state
        .storage(move |conn| {
            let submission = Submission {
                submitted_json: &json,
                document: &document,
                result: &stored_result,
            };
            store::insert(conn, &submission, &principal)
        })
        .await?;
    let location = format!("/api/v1/evaluations/{}", stored.id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(report(
            false,
            imported,
            result,
            Some(stored),
            requested(&req),
        )))
}

fn report(
    dry_run: bool,
    imported: Imported,
    mut result: ScoreResult,
    evaluation: Option<StoredEvaluation>,
    lang: Lang,
) -> ImportReport {
    result.localize(lang);
    let evaluation = evaluation.map(|stored| super::language::localized(stored, lang));
    ImportReport {
        dry_run,
        document: imported.document,
        result,
        notes: imported.notes,
        evaluation,
    }
}

/// Adds to each invalid field the cell it was read from.
fn at_cells(error: ApiError, imported: &Imported) -> ApiError {
    match error {
        ApiError::InvalidDocument(errors) => ApiError::InvalidDocument(
            errors
                .into_iter()
                .map(|e| match imported.cell_of(&e.pointer) {
                    Some(cell) => e.read_at(cell),
                    None => e,
                })
                .collect(),
        ),
        other => other,
    }
}

/// What the body holds.
enum Upload {
    Workbook(Vec<u8>),
    Text(Vec<u8>),
}

/// The text as UTF-8, or the line of its first byte that is not.
fn utf8(bytes: &[u8]) -> Result<&str, ImportError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        crate::import::text::unreadable(
            u32::try_from(line).unwrap_or(u32::MAX),
            "这一行不是 UTF-8 文本：请以 UTF-8 编码发送",
        )
    })
}

/// The body: text with `text/plain`, or a workbook (see `workbook_bytes`).
async fn upload(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<Upload, ApiError> {
    let media = req.mime_type().ok().flatten();
    if media
        .as_ref()
        .is_some_and(|m| m.essence_str().eq_ignore_ascii_case("text/plain"))
    {
        let charset = media.as_ref().and_then(|m| m.get_param("charset"));
        if charset.is_some_and(|c| !c.as_str().eq_ignore_ascii_case("utf-8")) {
            return Err(ApiError::UnsupportedMedia(
                "text/plain in UTF-8 (charset=utf-8)",
            ));
        }
        let payload = actix_web::dev::Decompress::from_headers(payload.into_inner(), req.headers());
        return Ok(Upload::Text(read_limited(payload, limit).await?));
    }
    workbook_bytes(req, payload, limit)
        .await
        .map(Upload::Workbook)
}

/// The workbook in the body: raw with the XLSX media type, or the first file of a multipart
/// form; never more than `limit` bytes.
async fn workbook_bytes(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<Vec<u8>, ApiError> {
    // Undone like the JSON extractors undo it; the limit counts the bytes after decoding, so a
    // small compressed body cannot unpack beyond it.
    let payload = actix_web::dev::Decompress::from_headers(payload.into_inner(), req.headers());
    let media = req.mime_type().ok().flatten();
    let essence = media.as_ref().map(|m| m.essence_str().to_ascii_lowercase());
    match essence.as_deref() {
        Some(XLSX) | Some("application/octet-stream") => read_limited(payload, limit).await,
        Some("multipart/form-data") => {
            let mut form = Multipart::new(req.headers(), payload);
            while let Some(field) = form.next().await {
                let field =
                    field.map_err(|e| ApiError::MalformedJson(format!("multipart: {e}")))?;
                let is_file = field
                    .content_disposition()
                    .is_some_and(|d| d.get_filename().is_some() || d.get_name() == Some("file"));
                if is_file {
                    return read_limited(field, limit).await;
                }
            }
            Err(ApiError::InvalidDocument(vec![FieldError::new(
                "/file",
                "the multipart form holds no file",
            )]))
        }
        _ => Err(ApiError::UnsupportedMedia(
            "an .xlsx file (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet), \
             multipart/form-data, or text/plain",
        )),
    }
}

async fn read_limited<S, E>(mut stream: S, limit: usize) -> Result<Vec<u8>, ApiError>
where
    S: futures_util::Stream<Item = Result<web::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| ApiError::MalformedJson(format!("the body: {e}")))?;
        if bytes.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// A blank form to fill in Excel and import: `department.xlsx` or `project.xlsx`.
#[utoipa::path(
    operation_id = "download_template",
    tag = "evaluations",
    params(("template" = String, Path, description = "`department.xlsx` or `project.xlsx`", example = "department.xlsx")),
    responses(
        (status = 200, description = "The blank form", content(
            (inline(Workbook) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (inline(Workbook) = "application/octet-stream"),
        )),
        (status = 404, description = "No template of that name", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/templates/{template}")]
pub async fn template(
    req: HttpRequest,
    state: web::Data<AppState>,
    file: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let file = file.into_inner();
    let kind = match file.as_str() {
        "department.xlsx" => FormKind::Department,
        "project.xlsx" => FormKind::Project,
        _ => {
            return Err(ApiError::NotFound(Detail::NoTemplate {
                name: file.to_string(),
            }));
        }
    };
    let rulesets = state.rulesets.current();
    let ruleset = rulesets
        .for_form(None)
        .ok_or_else(|| ApiError::Internal("no default ruleset is loaded".into()))?;
    let grid = render::template::template_grid(kind, ruleset)
        .map_err(|e| ApiError::Internal(format!("template: {e}")))?;
    let body = render::xlsx::template_workbook(&grid)
        .map_err(|e| ApiError::Internal(format!("template workbook: {e}")))?;
    Ok(workbook(&req, &file, body))
}

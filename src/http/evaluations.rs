//! Stored evaluations: create, read, replace, delete, list, and the form grid.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{FromRequest as _, HttpRequest, HttpResponse, delete, get, post, put, web};

use super::AppState;
use super::auth::{Authorized, Edit};
use super::bulk::{self, CreateParams, LineResult, NDJSON};
use super::conditional::{ConditionalRead, EntityTag, NOT_MODIFIED, tagged, unless_held};
use super::exports::{self, JSON, negotiate};
use super::extract::{DocumentBody, etag_in, if_match};
use super::filter_params::FilterParams;
use super::form_reads::{self, Render};
use super::language::{localized, requested};
use super::list_params::ListParams;
use super::query::Query;
use super::read_cache::{GenerationAsked, Lang, Legend, Representation, today_in_china};
use crate::domain::access::{Operation, Principal};
use crate::domain::document::EvaluationDocument;
use crate::domain::scoring::result::ScoreResult;
use crate::error::ApiError;
use crate::render::{CSV, XLSX};
use crate::storage::evaluations::{self as store, StoredEvaluation, Submission};
use crate::storage::listing::{self, Page};

/// Stores a new evaluation, scored by its ruleset; or many, one a line, from an NDJSON body.
///
/// A unit has one department form per year, and one project form per project and year; a
/// second one is a 409 conflict (replace the first with `PUT` instead).
///
/// With `Content-Type: application/x-ndjson`, each line of the body is one document, stored
/// as a single create would store it, and the answer streams one result line per line:
/// `{"line": n, "id": …, "version": 1}` or `{"line": n, "problem": {…}}`. Each line is held
/// to the body limit and the whole body to the bulk limit. The status is 207 (Multi-Status):
/// each line has its own outcome. With `atomic=true` every line is stored (207) or none is
/// (422, listing the lines that failed).
#[utoipa::path(
    operation_id = "create_evaluation",
    tag = "evaluations",
    params(CreateParams),
    request_body(content(
        (EvaluationDocument = "application/json"),
        (inline(NdjsonDocuments) = "application/x-ndjson"),
    )),
    responses(
        (status = 201, description = "Stored; `Location` names it and `ETag` is its version", body = StoredEvaluation,
            headers(("Location" = String, description = "URL of the new evaluation"), ("ETag" = String, description = "Its version"))),
        (status = 207, description = "An NDJSON body was read: one result line per line, in order, each with its own outcome (with `atomic=true`: every line was stored)", body = LineResult, content_type = "application/x-ndjson"),
        (status = 400, description = "The body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The unit already has this form for this year; `existing_id` and `existing_url` name that form when the caller may read it", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is over the size limit", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The document is invalid; `errors` lists every problem at once, each with its `pointer`, `code`, paper `location` and `detail`. For an NDJSON body with `atomic=true`: nothing was stored, and the body (NDJSON) has a result line for each line that failed", content(
            (crate::error::Problem = "application/problem+json"),
            (LineResult = "application/x-ndjson"),
        )),
    )
)]
#[post("/evaluations")]
pub async fn create(
    who: Authorized<Edit>,
    req: HttpRequest,
    state: web::Data<AppState>,
    params: Query<CreateParams>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    if bulk::is_ndjson(&req) {
        return bulk::create(&req, state, who.principal, payload, params.0.atomic).await;
    }
    let body = DocumentBody::from_request(&req, &mut payload.into_inner()).await?;
    let scored = Scored::of(&state, body).await?;
    let stored = state
        .write(move |conn| store::insert_in(conn, &scored.submission(), &who.principal))
        .await?;
    let location = format!("{}/{}", req.path().trim_end_matches('/'), stored.id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .insert_header((header::ETAG, etag_in(stored.version, requested(&req))))
        .json(localized(stored, requested(&req))))
}

/// The OpenAPI schema of an NDJSON body: text with one evaluation document (as
/// `application/json` takes it) on each line.
pub struct NdjsonDocuments;

impl utoipa::PartialSchema for NdjsonDocuments {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .description(Some(
                "One evaluation document (as `application/json` takes it) on each line",
            ))
            .into()
    }
}

impl utoipa::ToSchema for NdjsonDocuments {}

/// Reads a stored evaluation with its result.
///
/// Send the `ETag` you hold as `If-None-Match` to be told 304 when it is still current. A
/// draft or returned form is always sent whole: its `overdue` follows the deadlines and the
/// calendar, not its version.
#[utoipa::path(
    operation_id = "read_evaluation",
    tag = "evaluations",
    params(("id" = i64, Path, description = "Evaluation id"), ConditionalRead),
    responses(
        (status = 200, description = "The evaluation; `ETag` is its version", body = StoredEvaluation,
            headers(("ETag" = String, description = "The version, for `If-Match` and `If-None-Match`"))),
        (status = 304, description = NOT_MODIFIED,
            headers(("ETag" = String, description = "The current version"))),
        (status = 404, description = "No evaluation with this id", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn read(
    req: HttpRequest,
    principal: Principal,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let lang = requested(&req);
    let served = form_reads::read(
        &state,
        GenerationAsked::of(&req),
        id.into_inner(),
        principal,
        (lang, super::encoding::prefers_gzip(&req)),
        &AsJson { lang },
    )
    .await?;
    let tag = EntityTag::of_version_in(served.version, lang);
    let respond = || Ok(served.respond(json(served.body.clone())));
    // `overdue` is computed as the form is read; it can change while the version stays, so a
    // 304 could keep a stale one.
    if served.awaits_submission {
        return tagged(respond()?, &tag);
    }
    unless_held(&req, &tag, respond)
}

/// The stored form as JSON in the caller's language, as `read` sends it.
struct AsJson {
    lang: Lang,
}

impl Render for AsJson {
    fn representation(&self) -> Representation {
        Representation::Json
    }

    fn legend(&self, _: &str) -> Result<Option<Legend>, ApiError> {
        Ok(None)
    }

    fn render(&self, stored: &StoredEvaluation, _: Option<&Legend>) -> Result<Vec<u8>, ApiError> {
        serde_json::to_vec(&localized(stored.clone(), self.lang))
            .map_err(|e| ApiError::Internal(format!("form JSON: {e}")))
    }
}

/// Replaces a stored evaluation's document and rescores it.
///
/// Send `If-Match` with the `ETag` you read, so that nobody's change in between is lost: a
/// stale version gets 412, a request without `If-Match` 428, and neither changes anything.
/// `If-Match: *` replaces whatever version is current.
#[utoipa::path(
    operation_id = "replace_evaluation",
    tag = "evaluations",
    params(
        ("id" = i64, Path, description = "Evaluation id"),
        ("If-Match" = String, Header, description = "The `ETag` last read; the replacement fails with 412 if it is no longer current, and with 428 without it. `*` replaces whatever is current"),
    ),
    request_body(content = EvaluationDocument, content_type = "application/json"),
    responses(
        (status = 200, description = "Replaced; `ETag` is the new version", body = StoredEvaluation,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "The body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No evaluation with this id", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another evaluation already has the new identity (`existing_id` and `existing_url` name it when the caller may read it), or the form is submitted or approved (`detail` says which)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` names a version that is no longer current", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "No `If-Match`: send the `ETag` last read (or `*` to act on whatever version is current)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is over the size limit", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The document is invalid; `errors` lists every problem at once, each with its `pointer`, `code`, paper `location` and `detail`", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[put("")]
pub async fn replace(
    who: Authorized<Edit>,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: DocumentBody,
) -> Result<HttpResponse, ApiError> {
    let (id, expected) = (id.into_inner(), if_match(&req));
    let scored = Scored::of(&state, body).await?;
    let stored = state
        .storage(move |conn| {
            store::replace(conn, id, expected, &scored.submission(), &who.principal)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag_in(stored.version, requested(&req))))
        .json(localized(stored, requested(&req))))
}

/// Deletes a stored evaluation.
#[utoipa::path(
    operation_id = "delete_evaluation",
    tag = "evaluations",
    params(
        ("id" = i64, Path, description = "Evaluation id"),
        ("If-Match" = String, Header, description = "The `ETag` last read; the deletion fails with 412 if it is no longer current, and with 428 without it. `*` deletes whatever is current"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "The form is submitted or approved; `detail` names its state", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No evaluation with this id", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` names a version that is no longer current", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "No `If-Match`: send the `ETag` last read (or `*` to act on whatever version is current)", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[delete("")]
pub async fn delete(
    who: Authorized<Edit>,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (id, expected) = (id.into_inner(), if_match(&req));
    state
        .storage(move |conn| store::delete(conn, id, expected, &who.principal))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Lists stored evaluations as summaries, a page at a time.
///
/// Follow `next_cursor` (with the same filters and sort) until it is `null`. The same list
/// as one file is `/evaluations.csv` or `/evaluations.xlsx`; asking this path for `text/csv`
/// or the XLSX media type in `Accept` answers with that file too.
#[utoipa::path(
    operation_id = "list_evaluations",
    tag = "evaluations",
    params(FilterParams, ListParams),
    responses(
        (status = 200, description = "One page of summaries; or, asked for `application/x-ndjson` in `Accept`, every matching evaluation (no paging: `limit` is ignored), one per line as `GET /evaluations/{id}` answers it", content(
            (Page = "application/json"),
            (StoredEvaluation = "application/x-ndjson"),
        )),
        (status = 400, description = "A query parameter is invalid; `errors` names it", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/evaluations")]
pub async fn list(
    req: HttpRequest,
    principal: Principal,
    state: web::Data<AppState>,
    filters: Query<FilterParams>,
    params: Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let media = negotiate(&req, &[JSON, CSV, XLSX, NDJSON]);
    if media == NDJSON {
        let visibility = principal.visibility()?;
        let mut query = params.0.parse(filters.0, &state.rulesets.current())?;
        query.filter.visibility = visibility;
        return Ok(bulk::export(
            state.db.clone(),
            query.filter,
            query.sort,
            query.cursor,
            requested(&req),
        ));
    }
    if media != JSON {
        return export(&req, media, principal, &state, filters.0, params.0).await;
    }
    let visibility = principal.visibility()?;
    let mut query = params.0.parse(filters.0, &state.rulesets.current())?;
    query.filter.visibility = visibility.clone();
    // A page depends on the query, on who may see which forms, and on the day (`overdue`);
    // it is kept until anything is committed.
    let (lang, today) = (requested(&req), today_in_china());
    let generation = GenerationAsked::of(&req).or_else(|| state.db.generation());
    let kept = generation.and_then(|generation| {
        state
            .read_cache
            .list(&visibility, req.query_string(), lang, &today, generation)
    });
    if let Some(body) = kept {
        return Ok(json(body));
    }
    let page = state
        .storage(move |conn| {
            // One read transaction, so that the count is of the same forms as the page.
            let tx = conn.transaction()?;
            let mut page = listing::list(
                &tx,
                &query.filter,
                query.sort,
                query.limit,
                query.cursor.as_ref(),
            )?;
            if query.include_count {
                page.total_count = Some(listing::count(&tx, &query.filter)?);
            }
            tx.commit()?;
            Ok(page)
        })
        .await?;
    let body = Bytes::from(
        serde_json::to_vec(&page).map_err(|e| ApiError::Internal(format!("list page: {e}")))?,
    );
    if let Some(generation) = generation {
        let query = req.query_string().to_owned();
        state
            .read_cache
            .keep_list(visibility, query, lang, today, generation, body.clone());
    }
    Ok(json(body))
}

/// A JSON body already serialized.
fn json(body: Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(body)
}

/// Every matching evaluation as CSV (UTF-8 with a byte-order mark, for Excel), one row per
/// form with its grades.
///
/// Takes the filters and sort of the list; the file holds every matching form from `cursor`
/// on, not one page, so `limit` is ignored.
#[utoipa::path(
    operation_id = "export_evaluations_csv",
    tag = "evaluations",
    params(FilterParams, ListParams),
    responses(
        (status = 200, description = "The matching forms as CSV", body = String, content_type = "text/csv"),
        (status = 400, description = "A query parameter is invalid; `errors` names it", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/evaluations.csv")]
pub async fn list_csv(
    req: HttpRequest,
    principal: Principal,
    state: web::Data<AppState>,
    filters: Query<FilterParams>,
    params: Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    export(&req, CSV, principal, &state, filters.0, params.0).await
}

/// Every matching evaluation as an Excel workbook, one row per form with its grades.
///
/// Takes the filters and sort of the list; the workbook holds every matching form from
/// `cursor` on, not one page, so `limit` is ignored.
#[utoipa::path(
    operation_id = "export_evaluations_xlsx",
    tag = "evaluations",
    params(FilterParams, ListParams),
    responses(
        (status = 200, description = "The matching forms as a workbook", content(
            (inline(exports::Workbook) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (inline(exports::Workbook) = "application/octet-stream"),
        )),
        (status = 400, description = "A query parameter is invalid; `errors` names it", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/evaluations.xlsx")]
pub async fn list_xlsx(
    req: HttpRequest,
    principal: Principal,
    state: web::Data<AppState>,
    filters: Query<FilterParams>,
    params: Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    export(&req, XLSX, principal, &state, filters.0, params.0).await
}

/// Every evaluation matching `params` that the caller may read, from the cursor on, as one
/// file of `media`.
async fn export(
    req: &HttpRequest,
    media: &str,
    principal: Principal,
    state: &AppState,
    filters: FilterParams,
    params: ListParams,
) -> Result<HttpResponse, ApiError> {
    let visibility = principal.visibility()?;
    let mut query = params.parse(filters, &state.rulesets.current())?;
    query.filter.visibility = visibility;
    // An export holds every matching form, from the cursor on, not one page.
    let items = state
        .storage(move |conn| {
            listing::list_all(conn, &query.filter, query.sort, query.cursor.as_ref())
        })
        .await?;
    exports::list(req, media, &items)
}

/// A request body read and scored, ready to store.
struct Scored {
    raw: String,
    document: Arc<EvaluationDocument>,
    result: ScoreResult,
}

impl Scored {
    async fn of(state: &AppState, body: DocumentBody) -> Result<Self, ApiError> {
        let document = Arc::new(body.value);
        let result = state.evaluate(Arc::clone(&document)).await?;
        Ok(Self {
            raw: body.raw,
            document,
            result,
        })
    }

    fn submission(&self) -> Submission<'_> {
        Submission {
            submitted_json: &self.raw,
            document: &self.document,
            result: &self.result,
        }
    }
}

pub(super) async fn fetch(
    state: &AppState,
    id: i64,
    principal: Principal,
) -> Result<StoredEvaluation, ApiError> {
    state
        .storage(move |conn| store::read_for(conn, id, &principal, Operation::Read))
        .await
}

//! The HTTP API: routes, their OpenAPI description and the shared state handlers read.

pub mod auth;
pub mod bulk;
pub mod caching;
pub mod conditional;
pub mod dashboard;
pub mod deadlines;
pub mod docs;
pub mod edge;
pub mod encoding;
mod enum_names;
pub mod evaluations;
pub mod exports;
pub mod extract;
pub mod fallback;
pub mod filing;
pub mod filter_params;
pub mod form_reads;
pub mod forms;
pub mod health;
pub mod history;
pub mod imports;
pub mod language;
pub mod lifecycle;
pub mod list_params;
pub mod middleware;
pub mod query;
pub mod read_cache;
pub mod review;
#[cfg(test)]
mod robustness;
pub mod rulesets;
pub mod samples;
mod schema_rules;
mod schema_split;
pub mod score;
mod security;
pub mod stats;
pub mod timeout;
pub mod tokens;
pub mod trend;
pub mod units;

use std::sync::Arc;

use actix_web::web;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt as _;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::document::EvaluationDocument;
use crate::domain::rulesets::Rulesets;
use crate::domain::scoring::result::ScoreResult;
use crate::domain::validation::evaluate;
use crate::error::{ApiError, Problem};
use crate::storage::listing::SortOrder;
use crate::storage::{Database, StorageError};

/// The largest request body accepted, unless configured otherwise: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: Database,
    /// The rulesets in force, by id.
    pub rulesets: RulesetsInForce,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// The largest NDJSON body accepted, in bytes.
    pub bulk_limit: usize,
    /// Whether anyone may read approved forms without a token.
    pub public_reading: bool,
    /// Statistics already computed, served again while no form has changed.
    pub stats_cache: Arc<stats::StatsCache>,
    /// Representations, list pages and tokens already read, served again while current.
    pub read_cache: Arc<read_cache::ReadCache>,
}

impl AppState {
    /// Runs blocking storage work on the blocking pool, as part of the current request.
    ///
    /// # Errors
    /// The storage error mapped to HTTP, or an internal error when the pool fails.
    pub async fn storage<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut rusqlite::Connection) -> Result<T, StorageError> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.db.clone();
        Ok(blocking(move || {
            let mut conn = db.connection()?;
            work(&mut conn)
        })
        .await??)
    }

    /// Runs a write on the writer thread, in the transaction of the writes waiting with it,
    /// and answers once that transaction has committed.
    ///
    /// # Errors
    /// The storage error mapped to HTTP.
    pub async fn write<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&rusqlite::Connection) -> Result<T, StorageError> + Send + 'static,
        T: Send + 'static,
    {
        Ok(self.db.writer().write(work).await?)
    }

    /// Validates and scores a document on the blocking pool, so that a large form never holds
    /// up an async worker.
    ///
    /// # Errors
    /// `InvalidDocument` naming every bad field.
    pub async fn evaluate(
        &self,
        document: Arc<EvaluationDocument>,
    ) -> Result<ScoreResult, ApiError> {
        let rulesets = self.rulesets.current();
        blocking(move || evaluate(&document, &rulesets))
            .await?
            .map_err(ApiError::InvalidDocument)
    }
}

/// The rulesets in force: read by every scoring, replaced whole when an admin publishes a
/// ruleset, so that a scoring never sees half of a change.
#[derive(Clone, Debug)]
pub struct RulesetsInForce(Arc<std::sync::RwLock<Arc<Rulesets>>>);

impl RulesetsInForce {
    /// Puts these rulesets in force.
    #[must_use]
    pub fn new(rulesets: Rulesets) -> Self {
        Self(Arc::new(std::sync::RwLock::new(Arc::new(rulesets))))
    }

    /// The rulesets in force now.
    #[must_use]
    pub fn current(&self) -> Arc<Rulesets> {
        let guard = self
            .0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(&guard)
    }

    /// Replaces the rulesets in force by what `change` makes of them. Changes run one at a
    /// time, so `change` can check the rulesets in force and record the change durably first.
    ///
    /// # Errors
    /// Whatever `change` fails with; the rulesets in force stay as they were.
    pub fn update<E>(
        &self,
        change: impl FnOnce(&Rulesets) -> Result<Rulesets, E>,
    ) -> Result<(), E> {
        let mut guard = self
            .0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let changed = change(&guard)?;
        *guard = Arc::new(changed);
        Ok(())
    }
}

/// Runs `work` on the blocking pool as part of the current request, so that what it logs
/// names the request.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let request = crate::telemetry::request::current();
    Ok(web::block(move || crate::telemetry::request::within_sync(request, work)).await?)
}

/// Registers every `/api/v1` route; the OpenAPI document is collected from the same calls.
///
/// A request is matched against the routes in this order, and a path with a parameter is
/// matched by a regular expression. So the operations on one form, the reads of a form by far
/// the most frequent requests, sit under one scope: its pattern is matched once, and the
/// paths under it are plain text.
pub fn api_v1(config: &mut ServiceConfig) {
    config
        .service(
            utoipa_actix_web::scope("/evaluations/{id}")
                .service(evaluations::read)
                .service(forms::form)
                .service(forms::form_html)
                .service(forms::form_xlsx)
                .service(evaluations::replace)
                .service(evaluations::delete)
                .service(history::read_history)
                .service(history::read_version)
                .service(lifecycle::submit)
                .service(lifecycle::return_to_unit)
                .service(lifecycle::approve)
                .service(lifecycle::reopen)
                .service(review::record),
        )
        .service(evaluations::list)
        .service(evaluations::create)
        .service(evaluations::list_csv)
        .service(evaluations::list_xlsx)
        .service(stats::read)
        .service(imports::import)
        .service(imports::template)
        .service(samples::draw)
        .service(samples::list)
        .service(samples::read)
        .service(deadlines::list)
        .service(deadlines::set)
        .service(deadlines::remove)
        .service(score::score)
        .service(rulesets::list)
        .service(rulesets::read)
        .service(rulesets::publish)
        .service(tokens::list)
        .service(tokens::create)
        .service(tokens::revoke)
        .service(tokens::me)
        .service(units::list)
        .service(units::set)
        .service(units::remove)
        .service(filing::read)
        .service(trend::read);
}

/// The parts of the OpenAPI document that no route carries.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "jixiao",
        description = "Stores, scores, grades and checks budget performance self-evaluations \
            (预算绩效自评表): department-wide (部门整体支出) and project (项目支出) forms. Every \
            amount, weight, score and rate is an exact decimal, sent as a string (or a JSON \
            number, read exactly) and always returned as a string. Errors are RFC 9457 problem \
            documents (`application/problem+json`); invalid input names each bad field by JSON \
            pointer. Request bodies are limited to 1 MiB unless the operator configures \
            otherwise (`--body-limit`); a larger body gets 413. A body that does not arrive within the \
            request deadline (30 s unless the operator configures otherwise, \
            `--request-timeout`) gets 408 `request-timeout`, and its connection is closed.\n\n\
            Callers authenticate with `Authorization: Bearer <token>`. An operation that \
            needs a token lists in its `security` the roles that may call it (`admin`, \
            `reviewer`, `unit`); the others take the document's default, an empty requirement \
            or any valid token: no token is needed — without one, only approved (published) \
            forms are readable, unless the operator turns public reading off. A unit token \
            acts only on forms whose `unit.code` it covers; a form the caller may not read \
            answers 404 whether or not it exists.\n\n\
            A form, its grid, its printable page and its workbook each carry an `ETag`; send it \
            back as `If-None-Match` and a copy that is still current is answered 304 Not \
            Modified, without a body (a draft or returned form's JSON is always sent whole: its \
            `overdue` changes with the calendar, not its version). Every response says in \
            `Cache-Control` who may keep it: what a token reads is `private, no-cache`, what \
            anyone may read `public, no-cache`, writes and errors `no-store`; `Vary` names the \
            request headers it depends on (`Authorization`, `Accept-Encoding`, and `Accept` \
            where the representation is negotiated, `Accept-Language` for API answers).\n\n\
            Text meant for a person — finding `message`s, score `explanation`s, problem \
            `title`s and `detail`s — is Chinese unless the first acceptable tag of \
            `Accept-Language` is English (`en`, `en-US` …). Machine fields (`code`, `severity`, \
            `path`, problem `type`) are the same in both; a finding's `location` is where it \
            sits on the paper form, in the form's Chinese labels. A form's English JSON has its \
            own `ETag` (`\"3-en\"`), which `If-Match` accepts like `\"3\"`.\n\n\
            Query strings are read as strictly as bodies: a parameter an operation does not \
            declare, one it takes once given twice, or a query that is not percent-encoded \
            UTF-8 is a 400 problem naming the parameter. A list filter given more than once \
            matches any of its values.",
        license(name = "MIT", identifier = "MIT"),
    ),
    components(schemas(Problem, SortOrder)),
    tags(
        (name = "evaluations", description = "Stored self-evaluation forms"),
        (name = "review", description = "Moving a form through review: submit, return, approve, reopen"),
        (name = "scoring", description = "Scoring without storing"),
        (name = "access", description = "API tokens: issuing, listing, revoking, and who the caller is"),
        (name = "rulesets", description = "The scoring rules in force"),
        (name = "operations", description = "Health of the service"),
    )
)]
pub struct ApiDoc;

/// The OpenAPI document, built from the same registration the server uses.
#[must_use]
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(health::healthz)
        .service(utoipa_actix_web::scope("/api/v1").configure(api_v1))
        .split_for_parts();
    finish(api)
}

/// The OpenAPI document as the text committed in `openapi/openapi.json`: every object's keys
/// in order, since utoipa keeps extensions in a hash map, whose order changes from run to run.
///
/// # Errors
/// When the document cannot be serialized.
pub fn openapi_json() -> serde_json::Result<String> {
    serde_json::to_string_pretty(&serde_json::to_value(openapi())?)
}

/// Adds what the derives cannot say: who may call each operation (from the same rules the
/// handlers apply), and the rules of request bodies that no derive states. Applied to the
/// served and the committed document alike.
#[must_use]
pub fn finish(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    security::declare(&mut api);
    // Responses get their twins before the request rules are added, which hold requests
    // only: a conditional on a returned schema would also make openapi-generator drop its
    // fields from every schema that includes it with `allOf`.
    schema_split::split(&mut api);
    schema_rules::add(&mut api);
    query::declare(&mut api);
    enum_names::name(&mut api);
    api
}

//! Statistics of stored forms for a dashboard, counted on the server.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use actix_web::{HttpResponse, get, web};
use utoipa::IntoParams;

use super::AppState;
use super::filter_params::{FilterParams, each, finish};
use super::query::Query;
use crate::domain::access::Principal;
use crate::domain::ruleset::GradeCode;
use crate::domain::stats::{self, Dimension, GradeLabels, MAX_DIMENSIONS, Stats};
use crate::error::ApiError;
use crate::storage;

/// How to group.
#[derive(Debug, Default, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    /// Up to three dimensions to group by, comma-separated or repeated
    /// (`group_by=fiscal_year,kind,grade`): `fiscal_year`, `kind`, `grade`, `rule_grade`,
    /// `declared_grade`, `review_grade`, `status`, `ruleset`, `unit`, `department` (the unit's
    /// registered 主管部门), `region` (its registered 行政区划 code; forms of units registered
    /// without one group under `null`, last). None: `overall` only.
    #[param(value_type = Vec<Dimension>, explode, style = Form)]
    #[serde(default)]
    group_by: Vec<String>,
}

/// Counts, scores, grades, funds and findings of the forms matching the filters, overall and
/// by group.
///
/// Covers exactly the forms the caller could list with the same filters. Funds are in 万元
/// whatever each form's `currency_unit`; grade labels are those of the default ruleset.
#[utoipa::path(
    operation_id = "read_stats",
    tag = "evaluations",
    params(FilterParams, StatsParams),
    responses(
        (status = 200, description = "The figures, overall and per group", body = Stats),
        (status = 400, description = "A query parameter is invalid; `errors` names it", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stats")]
pub async fn read(
    principal: Principal,
    state: web::Data<AppState>,
    filters: Query<FilterParams>,
    params: Query<StatsParams>,
) -> Result<HttpResponse, ApiError> {
    let visibility = principal.visibility()?;
    let rulesets = state.rulesets.current();
    let mut errors = Vec::new();
    let mut filter = filters.0.read(&rulesets, &mut errors);
    filter.visibility = visibility;
    let group_by = dimensions(params.0.group_by, &mut errors);
    finish(errors)?;
    let labels: GradeLabels = GradeCode::ALL.map(|code| {
        rulesets
            .get(rulesets.default_id())
            .and_then(|r| r.grade_bands.iter().find(|b| b.code == code))
            .map_or_else(|| code.as_str().to_owned(), |band| band.label.clone())
    });
    let key = format!("{filter:?} {group_by:?} {labels:?}");
    let cache = Arc::clone(&state.stats_cache);
    let stats = state
        .storage(move |conn| {
            // One read transaction, so that the generation is that of the rows read.
            let tx = conn.transaction()?;
            let generation = storage::stats::generation(&tx)?;
            if let Some(hit) = cache.get(&key, &generation) {
                return Ok(hit);
            }
            let rows = storage::stats::rows(&tx, &filter)?;
            let stats = Arc::new(stats::compute(&rows, &group_by, &labels));
            cache.put(key, generation, Arc::clone(&stats));
            Ok(stats)
        })
        .await?;
    Ok(HttpResponse::Ok().json(&*stats))
}

/// Statistics computed for a query (filters, grouping and labels) at a generation of the
/// stored forms. Reading 100 000 forms' summary rows takes hundreds of milliseconds; a
/// dashboard asks the same few questions again and again between changes.
#[derive(Debug, Default)]
pub struct StatsCache(Mutex<HashMap<String, (Generation, Arc<Stats>)>>);

/// What `storage::stats::generation` returns: the change counter and today's date.
type Generation = (i64, String);

/// Queries kept at most; the cache starts over when full (dashboards ask a few).
const CACHED_QUERIES: usize = 256;

impl StatsCache {
    fn get(&self, key: &str, generation: &Generation) -> Option<Arc<Stats>> {
        let entries = self.0.lock().ok()?;
        entries
            .get(key)
            .filter(|(at, _)| at == generation)
            .map(|(_, stats)| Arc::clone(stats))
    }

    fn put(&self, key: String, generation: Generation, stats: Arc<Stats>) {
        if let Ok(mut entries) = self.0.lock() {
            if entries.len() >= CACHED_QUERIES && !entries.contains_key(&key) {
                entries.clear();
            }
            entries.insert(key, (generation, stats));
        }
    }
}

fn dimensions(
    values: Vec<String>,
    errors: &mut Vec<crate::domain::validation::FieldError>,
) -> Vec<Dimension> {
    let names: Vec<String> = values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect();
    let chosen = each(
        errors,
        "group_by",
        names,
        |text| {
            Dimension::ALL
                .into_iter()
                .find(|d| d.as_str() == text)
                .map(|d| vec![d])
        },
        || Dimension::ALL.map(Dimension::as_str).join(", "),
    );
    if chosen.len() > MAX_DIMENSIONS {
        errors.push(crate::domain::validation::FieldError::new(
            "/group_by",
            format!(
                "at most {MAX_DIMENSIONS} dimensions; {} given",
                chosen.len()
            ),
        ));
    }
    chosen
}

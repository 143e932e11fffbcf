//! Listing evaluations: filters on indexed summary columns, a stable sort and keyset paging.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::StorageError;
use super::deadlines::OVERDUE;
use crate::domain::access::Visibility;
use crate::domain::decimal::Dec;
use crate::domain::document::{FormKind, Unit};
use crate::domain::lifecycle::Status;
use crate::domain::placement::RegionPrefix;
use crate::domain::ruleset::GradeCode;
use crate::domain::scoring::findings::{FindingCode, FindingCounts};
use crate::domain::scoring::result::{Grade, RulesetRef};

/// One row of a list: what a dashboard shows without opening the form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EvaluationSummary {
    /// Identifier.
    pub id: i64,
    /// Department or project form.
    pub kind: FormKind,
    /// The year evaluated.
    pub fiscal_year: i32,
    /// The unit.
    pub unit: Unit,
    /// The project's name, on project forms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_name: Option<String>,
    /// The unit's department (主管部门's budget code), from the unit registry; absent when the
    /// unit is not registered with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// The unit's six-digit region (行政区划) code, from the unit registry; absent when the
    /// unit is not registered with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Current version.
    pub version: i64,
    /// Where it stands in review.
    pub status: Status,
    /// Not submitted although its submission deadline has passed.
    pub overdue: bool,
    /// Nothing is missing from the form, so it can be submitted (the evaluation's
    /// `completeness` lists what is).
    pub complete: bool,
    /// The ruleset the result was computed with.
    pub ruleset: RulesetRef,
    /// Computed total.
    pub total: Dec,
    /// The grade to show: the review grade of an approved form where review scores were
    /// recorded, else the grade of the computed total; `grade_source` says which.
    pub grade: Grade,
    /// Where `grade` comes from.
    pub grade_source: GradeSource,
    /// The grade of the computed (rule) total.
    pub rule_grade: Grade,
    /// The grade the unit declared, read by the form's ruleset (its labels and aliases): the
    /// code, and the label as the form wrote it; `null` when the form states no grade or its
    /// ruleset cannot read the one it states.
    #[serde(default)]
    pub declared_grade: Option<Grade>,
    /// The grade of the review total; `null` until review scores are recorded.
    #[serde(default)]
    pub review_grade: Option<Grade>,
    /// The review total, where review scores were recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_total: Option<Dec>,
    /// The unit's declared total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_total: Option<Dec>,
    /// Findings by severity.
    pub findings: FindingCounts,
    /// The review samples (抽查) the form was drawn in, by id; absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub samples: Vec<i64>,
    /// Last change (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// Which score a shown grade comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GradeSource {
    /// The rule total.
    Rule,
    /// The reviewer's total, for an approved form with review scores.
    Review,
}

/// Which evaluations to list. Each filter holds the values any of which a form may have
/// (empty: any value at all); filters combine with AND.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    /// Only these years.
    pub fiscal_years: Vec<i32>,
    /// Only these kinds.
    pub kinds: Vec<FormKind>,
    /// Only these units, each by name or budget code.
    pub units: Vec<String>,
    /// Only forms of units registered under these departments.
    pub departments: Vec<String>,
    /// Only forms of units registered in these regions or under these region prefixes.
    pub regions: Vec<RegionPrefix>,
    /// Only these shown grades (`grade`: the review grade of an approved reviewed form, else
    /// the rule grade).
    pub grades: Vec<GradeCode>,
    /// Only these rule grades.
    pub rule_grades: Vec<GradeCode>,
    /// Only these declared grades, as the form's ruleset reads them.
    pub declared_grades: Vec<GradeCode>,
    /// Only these review grades.
    pub review_grades: Vec<GradeCode>,
    /// Only forms in these review states.
    pub statuses: Vec<Status>,
    /// Only forms having any of these findings.
    pub findings: Vec<FindingCode>,
    /// Only overdue forms (`Some(true)`), or only forms that are not (`Some(false)`).
    pub overdue: Option<bool>,
    /// Only complete forms (`Some(true)`), or only incomplete ones (`Some(false)`).
    pub complete: Option<bool>,
    /// Only forms changed at or after this time (RFC 3339 in UTC with milliseconds, as
    /// `updated_at` is stored).
    pub updated_since: Option<String>,
    /// Only forms whose unit or project name holds any of these texts, folded as names are
    /// (white space dropped, full-width forms folded).
    pub texts: Vec<String>,
    /// Only the forms the caller may see.
    pub visibility: Visibility,
}

/// Sort orders; ties are broken by id in the same direction so paging is stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
pub enum SortOrder {
    /// Oldest first.
    #[default]
    #[serde(rename = "id")]
    Id,
    /// Newest first.
    #[serde(rename = "-id")]
    IdDesc,
    /// Earliest year first.
    #[serde(rename = "fiscal_year")]
    FiscalYear,
    /// Latest year first.
    #[serde(rename = "-fiscal_year")]
    FiscalYearDesc,
    /// Lowest computed total first.
    #[serde(rename = "total")]
    Total,
    /// Highest computed total first.
    #[serde(rename = "-total")]
    TotalDesc,
    /// Least recently changed first.
    #[serde(rename = "updated_at")]
    UpdatedAt,
    /// Most recently changed first.
    #[serde(rename = "-updated_at")]
    UpdatedAtDesc,
    /// By unit name.
    #[serde(rename = "unit")]
    Unit,
    /// By unit name, descending.
    #[serde(rename = "-unit")]
    UnitDesc,
}

impl SortOrder {
    /// Every order, ascending ones first.
    pub const ALL: [Self; 10] = [
        Self::Id,
        Self::FiscalYear,
        Self::Total,
        Self::UpdatedAt,
        Self::Unit,
        Self::IdDesc,
        Self::FiscalYearDesc,
        Self::TotalDesc,
        Self::UpdatedAtDesc,
        Self::UnitDesc,
    ];

    /// The order in Chinese: the heading of the column of the list export it sorts by
    /// (`规则总分`; `更新时间`, which the export does not show), `-` first when descending.
    #[must_use]
    pub fn label(self) -> String {
        let heading = match self {
            Self::Id | Self::IdDesc => "编号",
            Self::FiscalYear | Self::FiscalYearDesc => "年度",
            Self::Total | Self::TotalDesc => "规则总分",
            Self::UpdatedAt | Self::UpdatedAtDesc => "更新时间",
            Self::Unit | Self::UnitDesc => "单位",
        };
        let sign = if self.descending() { "-" } else { "" };
        format!("{sign}{heading}")
    }

    fn column(self) -> &'static str {
        match self {
            Self::Id | Self::IdDesc => "id",
            Self::FiscalYear | Self::FiscalYearDesc => "fiscal_year",
            Self::Total | Self::TotalDesc => "computed_total_cents",
            Self::UpdatedAt | Self::UpdatedAtDesc => "updated_at",
            Self::Unit | Self::UnitDesc => "unit_name",
        }
    }

    fn descending(self) -> bool {
        matches!(
            self,
            Self::IdDesc
                | Self::FiscalYearDesc
                | Self::TotalDesc
                | Self::UpdatedAtDesc
                | Self::UnitDesc
        )
    }

    /// The order's code, as `sort` takes it and cursors record it.
    #[must_use]
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// Where the previous page ended: the last row's sort value and id, for one sort order.
#[derive(Clone, Debug, PartialEq)]
pub struct Cursor {
    sort: SortOrder,
    value: Value,
    id: i64,
}

/// A cursor that this service did not issue, or issued for another sort order.
#[derive(Debug, thiserror::Error)]
#[error("the cursor is not one this list issued for sort `{0}`; start again without a cursor")]
pub struct BadCursor(String);

impl Cursor {
    /// Reads a cursor issued for `sort`.
    ///
    /// # Errors
    /// When the text is not such a cursor.
    pub fn decode(text: &str, sort: SortOrder) -> Result<Self, BadCursor> {
        let bad = || BadCursor(sort.name());
        let bytes = decode_hex(text).ok_or_else(bad)?;
        let (name, value, id): (String, serde_json::Value, i64) =
            serde_json::from_slice(&bytes).map_err(|_| bad())?;
        if name != sort.name() {
            return Err(bad());
        }
        let value = match value {
            serde_json::Value::Number(n) => Value::Integer(n.as_i64().ok_or_else(bad)?),
            serde_json::Value::String(s) => Value::Text(s),
            _ => return Err(bad()),
        };
        Ok(Self { sort, value, id })
    }

    fn encode(&self) -> String {
        let value = match &self.value {
            Value::Integer(i) => serde_json::Value::from(*i),
            Value::Text(s) => serde_json::Value::from(s.as_str()),
            _ => serde_json::Value::Null,
        };
        let json = serde_json::json!([self.sort.name(), value, self.id]).to_string();
        json.bytes().map(|b| format!("{b:02x}")).collect()
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || text.len() > 2048 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Page {
    /// The evaluations on this page.
    pub items: Vec<EvaluationSummary>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    /// How many forms match the filters on all pages together; present when asked for with
    /// `include_count=true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
}

const SUMMARY_COLUMNS: &str =
    "id, kind, fiscal_year, unit_name, unit_code, project_name, department, region, version, status,
    ruleset_id, ruleset_version, computed_total, computed_grade, computed_grade_label,
    declared_total, declared_grade, declared_grade_code, findings_error, findings_warning,
    findings_info, updated_at, complete, review_total, review_grade, review_grade_label,
    (SELECT group_concat(sample_id) FROM review_sample_items WHERE evaluation_id = e.id)
        AS samples";

/// Lists evaluations matching `filter`, `limit` at a time, after `cursor`.
///
/// # Errors
/// When SQLite fails or a stored value cannot be read back.
pub fn list(
    conn: &Connection,
    filter: &ListFilter,
    sort: SortOrder,
    limit: u32,
    cursor: Option<&Cursor>,
) -> Result<Page, StorageError> {
    let (items, next) = list_from(conn, filter, sort, limit, cursor)?;
    Ok(Page {
        items,
        next_cursor: next.map(|c| c.encode()),
        total_count: None,
    })
}

/// Lists evaluations matching `filter`, `limit` at a time, after `cursor`; with the cursor of
/// the next page, if there is one.
///
/// # Errors
/// When SQLite fails or a stored value cannot be read back.
pub fn list_from(
    conn: &Connection,
    filter: &ListFilter,
    sort: SortOrder,
    limit: u32,
    cursor: Option<&Cursor>,
) -> Result<(Vec<EvaluationSummary>, Option<Cursor>), StorageError> {
    let (sql, params) = query(filter, sort, limit, cursor);
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query(params_from_iter(params))?;
    let mut items = Vec::new();
    let mut keys = Vec::new();
    while let Some(row) = rows.next()? {
        items.push(summary(row)?);
        keys.push(row.get::<_, Value>("sort_key")?);
    }
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        let last = items.last().map(|s| s.id).unwrap_or_default();
        let value = keys.swap_remove(limit as usize - 1);
        Some(Cursor {
            sort,
            value,
            id: last,
        })
    } else {
        None
    };
    Ok((items, next_cursor))
}

/// How many evaluations match `filter`.
///
/// # Errors
/// When SQLite fails.
pub fn count(conn: &Connection, filter: &ListFilter) -> Result<u64, StorageError> {
    let mut params = Vec::new();
    let filter_sql = where_clause(&conditions(filter, &mut params));
    let sql = format!("SELECT count(*) FROM evaluations e {filter_sql}");
    let count: i64 = conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(params), |row| row.get(0))?;
    Ok(u64::try_from(count).unwrap_or_default())
}

/// The most rows one export holds; a larger list is exported in parts with `cursor`.
pub const EXPORT_LIMIT: u32 = 50_000;

/// Every evaluation matching `filter` after `cursor`, up to [`EXPORT_LIMIT`], for an export.
///
/// # Errors
/// When SQLite fails or a stored value cannot be read back.
pub fn list_all(
    conn: &Connection,
    filter: &ListFilter,
    sort: SortOrder,
    cursor: Option<&Cursor>,
) -> Result<Vec<EvaluationSummary>, StorageError> {
    Ok(list(conn, filter, sort, EXPORT_LIMIT, cursor)?.items)
}

fn query(
    filter: &ListFilter,
    sort: SortOrder,
    limit: u32,
    cursor: Option<&Cursor>,
) -> (String, Vec<Value>) {
    let mut params: Vec<Value> = Vec::new();
    let mut conditions = conditions(filter, &mut params);
    let column = sort.column();
    let (direction, comparison) = if sort.descending() {
        ("DESC", "<")
    } else {
        ("ASC", ">")
    };
    if let Some(cursor) = cursor {
        params.push(cursor.value.clone());
        params.push(Value::Integer(cursor.id));
        conditions.push(format!(
            "({column}, id) {comparison} (?{}, ?{})",
            params.len() - 1,
            params.len()
        ));
    }
    let filter_sql = where_clause(&conditions);
    // One row more than asked tells whether another page follows.
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, {OVERDUE} AS overdue, {column} AS sort_key
         FROM evaluations e {filter_sql}
         ORDER BY {column} {direction}, id {direction} LIMIT {}",
        u64::from(limit) + 1
    );
    (sql, params)
}

/// The SQL conditions, over the evaluation row `e`, of the forms `filter` lets through; their
/// values are bound in `params`.
pub(super) fn conditions(filter: &ListFilter, params: &mut Vec<Value>) -> Vec<String> {
    let mut conditions = Vec::new();
    let years = filter
        .fiscal_years
        .iter()
        .map(|&y| Value::Integer(y.into()));
    if let Some(years) = placeholders(params, years) {
        conditions.push(format!("fiscal_year IN ({years})"));
    }
    let kinds = filter.kinds.iter().map(|k| Value::Text(k.as_str().into()));
    if let Some(kinds) = placeholders(params, kinds) {
        conditions.push(format!("kind IN ({kinds})"));
    }
    let units = filter.units.iter().map(|u| Value::Text(u.clone()));
    if let Some(units) = placeholders(params, units) {
        conditions.push(format!(
            "(unit_name IN ({units}) OR unit_code IN ({units}))"
        ));
    }
    place_conditions(filter, params, &mut conditions);
    let graded = [
        ("shown_grade", &filter.grades),
        ("computed_grade", &filter.rule_grades),
        ("declared_grade_code", &filter.declared_grades),
        ("review_grade", &filter.review_grades),
    ];
    for (column, grades) in graded {
        let grades = grades.iter().map(|g| Value::Text(g.as_str().into()));
        if let Some(grades) = placeholders(params, grades) {
            conditions.push(format!("{column} IN ({grades})"));
        }
    }
    let statuses = filter
        .statuses
        .iter()
        .map(|s| Value::Text(s.as_str().into()));
    if let Some(statuses) = placeholders(params, statuses) {
        conditions.push(format!("status IN ({statuses})"));
    }
    let findings = filter
        .findings
        .iter()
        .map(|f| Value::Text(f.as_str().into()));
    if let Some(findings) = placeholders(params, findings) {
        conditions.push(format!(
            "id IN (SELECT evaluation_id FROM evaluation_findings WHERE code IN ({findings}))"
        ));
    }
    match filter.complete {
        Some(true) => conditions.push("complete = 1".to_owned()),
        Some(false) => conditions.push("complete = 0".to_owned()),
        None => {}
    }
    match filter.overdue {
        Some(true) => conditions.push(OVERDUE.to_owned()),
        Some(false) => conditions.push(format!("NOT {OVERDUE}")),
        None => {}
    }
    if let Some(since) = &filter.updated_since {
        params.push(Value::Text(since.clone()));
        conditions.push(format!("updated_at >= ?{}", params.len()));
    }
    let texts: Vec<String> = filter
        .texts
        .iter()
        .map(|text| {
            params.push(Value::Text(text.clone()));
            let n = params.len();
            format!("instr(unit_key, ?{n}) > 0 OR instr(project_key, ?{n}) > 0")
        })
        .collect();
    if !texts.is_empty() {
        conditions.push(format!("({})", texts.join(" OR ")));
    }
    match &filter.visibility {
        Visibility::Everything => {}
        Visibility::Published => conditions.push("status = 'approved'".to_owned()),
        Visibility::Units { codes, published } => {
            let codes = codes.iter().map(|code| Value::Text(code.clone()));
            let codes = placeholders(params, codes).unwrap_or_default();
            let own = format!("unit_code_key IN ({codes})");
            conditions.push(if *published {
                format!("({own} OR status = 'approved')")
            } else {
                own
            });
        }
    }
    conditions
}

/// The conditions of the department and region filters.
fn place_conditions(filter: &ListFilter, params: &mut Vec<Value>, conditions: &mut Vec<String>) {
    let departments = filter.departments.iter().map(|d| Value::Text(d.clone()));
    if let Some(departments) = placeholders(params, departments) {
        conditions.push(format!("department IN ({departments})"));
    }
    if let Some(regions) = region_condition(params, "region", &filter.regions) {
        conditions.push(regions);
    }
}

/// `WHERE` and the conditions joined with AND; nothing when there are none.
pub(super) fn where_clause(conditions: &[String]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    }
}

/// The condition that `column` lies in any of the regions `prefixes` name, binding their
/// bounds; `None` without prefixes. A range rather than LIKE, so that an index on the column
/// serves every prefix.
pub(super) fn region_condition(
    params: &mut Vec<Value>,
    column: &str,
    prefixes: &[RegionPrefix],
) -> Option<String> {
    let ranges: Vec<String> = prefixes
        .iter()
        .map(|prefix| {
            let (from, to) = prefix.range();
            params.push(Value::Text(from));
            params.push(Value::Text(to));
            format!(
                "({column} >= ?{} AND {column} < ?{})",
                params.len() - 1,
                params.len()
            )
        })
        .collect();
    (!ranges.is_empty()).then(|| format!("({})", ranges.join(" OR ")))
}

/// Binds `values` as parameters and returns their numbered placeholders (`?3, ?4`), or `None`
/// when there are none. Values are always bound, never written into the SQL.
pub(super) fn placeholders(
    params: &mut Vec<Value>,
    values: impl Iterator<Item = Value>,
) -> Option<String> {
    let first = params.len() + 1;
    params.extend(values);
    (params.len() >= first).then(|| {
        (first..=params.len())
            .map(|n| format!("?{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

fn summary(row: &rusqlite::Row<'_>) -> Result<EvaluationSummary, StorageError> {
    let text = |name: &str| row.get::<_, String>(name);
    let decimal = |name: &str| -> Result<Option<Dec>, StorageError> {
        row.get::<_, Option<String>>(name)?
            .map(|s| s.parse::<Dec>())
            .transpose()
            .map_err(|e| StorageError::Json(serde::de::Error::custom(e)))
    };
    let enum_of = |name: &str| -> Result<serde_json::Value, StorageError> {
        Ok(serde_json::Value::String(text(name)?))
    };
    let status: Status = serde_json::from_value(enum_of("status")?)?;
    let grade_of = |code: &str, label: &str| -> Result<Option<Grade>, StorageError> {
        let Some(code) = row.get::<_, Option<String>>(code)? else {
            return Ok(None);
        };
        Ok(Some(Grade {
            code: serde_json::from_value(serde_json::Value::String(code))?,
            label: row.get::<_, Option<String>>(label)?.unwrap_or_default(),
        }))
    };
    let rule_grade = grade_of("computed_grade", "computed_grade_label")?
        .ok_or_else(|| StorageError::Json(serde::de::Error::custom("no rule grade")))?;
    let review_grade = grade_of("review_grade", "review_grade_label")?;
    let declared_grade = grade_of("declared_grade_code", "declared_grade")?;
    // An approved form shows the reviewer's grade where there is one; the `shown_grade`
    // column that `grade` filters on says the same.
    let (grade, grade_source) = match &review_grade {
        Some(review) if status == Status::Approved => (review.clone(), GradeSource::Review),
        _ => (rule_grade.clone(), GradeSource::Rule),
    };
    Ok(EvaluationSummary {
        id: row.get("id")?,
        kind: serde_json::from_value(enum_of("kind")?)?,
        fiscal_year: row.get("fiscal_year")?,
        unit: Unit {
            name: text("unit_name")?,
            code: row.get("unit_code")?,
        },
        project_name: row.get("project_name")?,
        department: row.get("department")?,
        region: row.get("region")?,
        version: row.get("version")?,
        status,
        overdue: row.get("overdue")?,
        complete: row.get("complete")?,
        ruleset: RulesetRef {
            id: text("ruleset_id")?,
            version: row.get("ruleset_version")?,
        },
        total: decimal("computed_total")?.unwrap_or_default(),
        grade,
        grade_source,
        rule_grade,
        declared_grade,
        review_grade,
        review_total: decimal("review_total")?,
        declared_total: decimal("declared_total")?,
        findings: FindingCounts {
            error: row.get("findings_error")?,
            warning: row.get("findings_warning")?,
            info: row.get("findings_info")?,
        },
        samples: sample_ids(row.get("samples")?),
        updated_at: text("updated_at")?,
    })
}

/// The ids of `group_concat`, which keeps no order, in ascending order.
fn sample_ids(list: Option<String>) -> Vec<i64> {
    let mut ids: Vec<i64> = list
        .iter()
        .flat_map(|l| l.split(','))
        .filter_map(|id| id.parse().ok())
        .collect();
    ids.sort_unstable();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(filter: &ListFilter, sort: SortOrder) -> String {
        let conn = Connection::open_in_memory().unwrap();
        let mut conn = conn;
        crate::storage::migrations::migrations()
            .to_latest(&mut conn)
            .unwrap();
        let (sql, params) = query(filter, sort, 10, None);
        let mut statement = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = statement
            .query_map(params_from_iter(params), |row| row.get::<_, String>(3))
            .unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
    }

    #[test]
    fn every_filter_uses_an_index() {
        let filters = [
            ListFilter {
                fiscal_years: vec![2020],
                ..ListFilter::default()
            },
            ListFilter {
                fiscal_years: vec![2020, 2021],
                ..ListFilter::default()
            },
            ListFilter {
                kinds: vec![FormKind::Project],
                ..ListFilter::default()
            },
            ListFilter {
                units: vec!["x".into()],
                ..ListFilter::default()
            },
            ListFilter {
                units: vec!["x".into(), "430421".into()],
                ..ListFilter::default()
            },
            ListFilter {
                grades: vec![GradeCode::Good],
                ..ListFilter::default()
            },
            ListFilter {
                departments: vec!["430421".into(), "430422".into()],
                ..ListFilter::default()
            },
            ListFilter {
                regions: vec![RegionPrefix::parse("4304").unwrap()],
                ..ListFilter::default()
            },
            ListFilter {
                regions: vec![
                    RegionPrefix::parse("43").unwrap(),
                    RegionPrefix::parse("510104").unwrap(),
                ],
                ..ListFilter::default()
            },
            ListFilter {
                grades: vec![GradeCode::Good, GradeCode::Poor],
                ..ListFilter::default()
            },
            ListFilter {
                rule_grades: vec![GradeCode::Good, GradeCode::Poor],
                ..ListFilter::default()
            },
            ListFilter {
                declared_grades: vec![GradeCode::Fair],
                ..ListFilter::default()
            },
            ListFilter {
                review_grades: vec![GradeCode::Excellent],
                ..ListFilter::default()
            },
            ListFilter {
                findings: vec![FindingCode::RuleGradeDiffers],
                ..ListFilter::default()
            },
            ListFilter {
                statuses: vec![Status::Approved, Status::Submitted],
                ..ListFilter::default()
            },
            ListFilter {
                visibility: Visibility::Published,
                ..ListFilter::default()
            },
            ListFilter {
                visibility: Visibility::Units {
                    codes: vec!["430421".into(), "430422".into()],
                    published: false,
                },
                ..ListFilter::default()
            },
        ];
        for filter in &filters {
            let plan = plan(filter, SortOrder::Id);
            assert!(
                plan.contains("USING INDEX") || plan.contains("USING COVERING INDEX"),
                "{filter:?}: {plan}"
            );
            assert!(
                !plan.split("; ").any(|step| step.starts_with("SCAN e")),
                "{filter:?}: {plan}"
            );
        }
    }

    #[test]
    fn cursors_round_trip_and_refuse_strangers() {
        let cursor = Cursor {
            sort: SortOrder::TotalDesc,
            value: Value::Integer(9355),
            id: 7,
        };
        let text = cursor.encode();
        assert_eq!(Cursor::decode(&text, SortOrder::TotalDesc).unwrap(), cursor);
        assert!(Cursor::decode(&text, SortOrder::Total).is_err());
        assert!(Cursor::decode("zz", SortOrder::Id).is_err());
        assert!(Cursor::decode("abc", SortOrder::Id).is_err());
    }
}

//! The summary rows statistics are computed from, selected with the list's filters.

use rusqlite::{Connection, params_from_iter};
use rust_decimal::Decimal;

use super::StorageError;
use super::deadlines::OVERDUE;
use super::listing::{ListFilter, conditions, where_clause};
use crate::domain::document::FormKind;
use crate::domain::lifecycle::Status;
use crate::domain::ruleset::GradeCode;
use crate::domain::scoring::findings::FindingCounts;
use crate::domain::stats::StatsRow;

/// The generated column `shown_grade` (migration 0011) spelled out: SQLite reads a virtual
/// column from the table row, JSON and all, even where an index holds it, while this
/// expression is read from the covering index `evaluations_for_stats`.
const SHOWN_GRADE: &str = "CASE WHEN status = 'approved' AND review_grade IS NOT NULL
    THEN review_grade ELSE computed_grade END";

/// The rows of every evaluation matching `filter`, summary columns only.
///
/// # Errors
/// When SQLite fails or a stored value cannot be read back.
pub fn rows(conn: &Connection, filter: &ListFilter) -> Result<Vec<StatsRow>, StorageError> {
    let (sql, params) = query(filter);
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query(params_from_iter(params))?;
    let mut read = Vec::new();
    while let Some(row) = rows.next()? {
        let grade = |name: &str| -> Result<Option<GradeCode>, StorageError> {
            row.get::<_, Option<String>>(name)?
                .map(|code| coded(&GradeCode::ALL, GradeCode::as_str, &code))
                .transpose()
        };
        let decimal = |name: &str| -> Result<Option<Decimal>, StorageError> {
            row.get::<_, Option<String>>(name)?
                .map(|text| {
                    text.parse::<Decimal>()
                        .map_err(|e| unreadable(&e.to_string()))
                })
                .transpose()
        };
        let kind: String = row.get("kind")?;
        let status: String = row.get("status")?;
        read.push(StatsRow {
            fiscal_year: row.get("fiscal_year")?,
            kind: coded(&FormKind::ALL, FormKind::as_str, &kind)?,
            status: coded(&Status::ALL, Status::as_str, &status)?,
            ruleset: row.get("ruleset_id")?,
            unit_name: row.get("unit_name")?,
            unit_code: row.get("unit_code")?,
            department: row.get("department")?,
            region: row.get("region")?,
            grade: grade("shown_grade")?.ok_or_else(|| unreadable("no grade"))?,
            rule_grade: grade("computed_grade")?.ok_or_else(|| unreadable("no rule grade"))?,
            declared_grade: grade("declared_grade_code")?,
            review_grade: grade("review_grade")?,
            total: decimal("computed_total")?.unwrap_or_default(),
            declared_total: decimal("declared_total")?,
            review_total: decimal("review_total")?,
            annual_budget: decimal("annual_budget_wan")?,
            executed: decimal("executed_wan")?,
            overdue: row.get("overdue")?,
            findings: FindingCounts {
                error: row.get("findings_error")?,
                warning: row.get("findings_warning")?,
                info: row.get("findings_info")?,
            },
        });
    }
    Ok(read)
}

/// Where the stored forms stand: a number every change to a form or deadline raises, and
/// today's date in China (on which overdue depends). Equal generations have equal statistics.
///
/// # Errors
/// When SQLite fails.
pub fn generation(conn: &Connection) -> Result<(i64, String), StorageError> {
    Ok(conn
        .prepare_cached("SELECT n, date('now', '+8 hours') FROM stats_generation WHERE id = 1")?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))?)
}

/// The statement selecting the summary rows of `filter`, and its parameters.
fn query(filter: &ListFilter) -> (String, Vec<rusqlite::types::Value>) {
    let mut params = Vec::new();
    let filter_sql = where_clause(&conditions(filter, &mut params));
    let sql = format!(
        "SELECT fiscal_year, kind, status, ruleset_id, unit_name, unit_code, department, region,
             {SHOWN_GRADE} AS shown_grade,
             computed_grade, declared_grade_code, review_grade, computed_total, declared_total,
             review_total, annual_budget_wan, executed_wan, {OVERDUE} AS overdue,
             findings_error, findings_warning, findings_info
         FROM evaluations e {filter_sql}"
    );
    (sql, params)
}

/// The value of `all` whose code is `text`.
fn coded<T: Copy>(all: &[T], code: fn(T) -> &'static str, text: &str) -> Result<T, StorageError> {
    all.iter()
        .copied()
        .find(|value| code(*value) == text)
        .ok_or_else(|| unreadable(&format!("unknown code `{text}`")))
}

fn unreadable(reason: &str) -> StorageError {
    StorageError::Json(serde::de::Error::custom(reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_read_the_covering_index_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::storage::migrations::migrations()
            .to_latest(&mut conn)
            .unwrap();
        for (case, filter) in [
            ("all forms", ListFilter::default()),
            (
                "one year",
                ListFilter {
                    fiscal_years: vec![2022],
                    ..ListFilter::default()
                },
            ),
        ] {
            let (sql, params) = query(&filter);
            let mut statement = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let plan = statement
                .query_map(params_from_iter(params), |row| row.get::<_, String>(3))
                .unwrap()
                .map(Result::unwrap)
                .collect::<Vec<_>>()
                .join("; ");
            assert!(
                plan.contains("USING COVERING INDEX evaluations_for_stats"),
                "{case}: {plan}"
            );
        }
    }
}

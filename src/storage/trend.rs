//! A unit's forms of one kind, as far as the caller may see them, for its trend.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use rust_decimal::Decimal;

use super::StorageError;
use super::listing::{ListFilter, conditions, where_clause};
use crate::domain::access::Visibility;
use crate::domain::decimal::Dec;
use crate::domain::document::FormKind;
use crate::domain::scoring::result::Grade;
use crate::domain::trend::{TrendPoint, TrendRow};
use crate::domain::value::normalize;

/// The unit's visible forms of `kind`, and whether its code is registered.
///
/// # Errors
/// When SQLite fails or a stored value cannot be read back.
pub fn rows(
    conn: &Connection,
    code: &str,
    kind: FormKind,
    visibility: Visibility,
) -> Result<(Vec<TrendRow>, bool), StorageError> {
    let filter = ListFilter {
        kinds: vec![kind],
        visibility,
        ..ListFilter::default()
    };
    let mut params = Vec::new();
    let mut conditions = conditions(&filter, &mut params);
    params.push(Value::Text(normalize(code)));
    conditions.push(format!("unit_code_key = ?{}", params.len()));
    let sql = format!(
        "SELECT id, fiscal_year, project_name, project_key, status, computed_total,
             computed_grade, computed_grade_label, declared_total, declared_grade_code,
             review_total, review_grade, review_grade_label, annual_budget_wan, executed_wan
         FROM evaluations e {}",
        where_clause(&conditions)
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query(params_from_iter(params))?;
    let mut read = Vec::new();
    while let Some(row) = rows.next()? {
        let json = |name: &str| -> Result<serde_json::Value, StorageError> {
            Ok(row
                .get::<_, Option<String>>(name)?
                .map_or(serde_json::Value::Null, serde_json::Value::String))
        };
        let decimal = |name: &str| -> Result<Option<Decimal>, StorageError> {
            row.get::<_, Option<String>>(name)?
                .map(|text| text.parse::<Decimal>())
                .transpose()
                .map_err(|e| StorageError::Json(serde::de::Error::custom(e)))
        };
        let grade = |code: &str, label: &str| -> Result<Option<Grade>, StorageError> {
            let Some(code) = serde_json::from_value(json(code)?)? else {
                return Ok(None);
            };
            Ok(Some(Grade {
                code,
                label: row.get::<_, Option<String>>(label)?.unwrap_or_default(),
            }))
        };
        read.push(TrendRow {
            point: TrendPoint {
                id: row.get("id")?,
                fiscal_year: row.get("fiscal_year")?,
                project_name: row.get("project_name")?,
                status: serde_json::from_value(json("status")?)?,
                total: Dec(decimal("computed_total")?.unwrap_or_default()),
                rule_grade: grade("computed_grade", "computed_grade_label")?
                    .ok_or_else(|| StorageError::Json(serde::de::Error::custom("no rule grade")))?,
                declared_total: decimal("declared_total")?.map(Dec),
                declared_grade_code: serde_json::from_value(json("declared_grade_code")?)?,
                review_total: decimal("review_total")?.map(Dec),
                review_grade: grade("review_grade", "review_grade_label")?,
                execution_rate: None,
                total_change: None,
            },
            project_key: row.get("project_key")?,
            annual_budget: decimal("annual_budget_wan")?,
            executed: decimal("executed_wan")?,
        });
    }
    let registered: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM units WHERE code_key = ?1)")?
        .query_row([normalize(code)], |row| row.get(0))?;
    Ok((read, registered))
}

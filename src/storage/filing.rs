//! Who has filed: the registered units joined with their forms of one year and kind.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::StorageError;
use super::deadlines::OVERDUE;
use crate::domain::document::FormKind;
use crate::domain::filing::{self, FiledForm, Filing, FilingUnit};
use crate::domain::lifecycle::Status;
use crate::domain::placement::RegionPrefix;
use crate::domain::ruleset::GradeCode;
use crate::domain::scoring::result::Grade;

/// Which units, for which year and kind.
#[derive(Clone, Debug)]
pub struct FilingQuery {
    /// The year evaluated.
    pub fiscal_year: i32,
    /// Department or project forms.
    pub kind: FormKind,
    /// Only units registered under these departments (none: any).
    pub departments: Vec<String>,
    /// Only units registered in these regions or under these prefixes (none: any).
    pub regions: Vec<RegionPrefix>,
}

/// Every registered unit matching the query with its forms of the year and kind.
///
/// # Errors
/// When SQLite fails or a stored value cannot be read back.
pub fn filing(conn: &Connection, query: &FilingQuery) -> Result<Filing, StorageError> {
    let mut params = vec![
        Value::Integer(query.fiscal_year.into()),
        Value::Text(query.kind.as_str().into()),
    ];
    let mut conditions = Vec::new();
    let departments = query.departments.iter().cloned().map(Value::Text);
    if let Some(departments) = super::listing::placeholders(&mut params, departments) {
        conditions.push(format!("u.department IN ({departments})"));
    }
    if let Some(regions) = super::listing::region_condition(&mut params, "u.region", &query.regions)
    {
        conditions.push(regions);
    }
    let filter_sql = super::listing::where_clause(&conditions);
    // A unit without a form comes back once, with the form's columns NULL.
    let sql = format!(
        "SELECT u.code, u.name, u.department, u.region, e.id, e.project_name, e.status,
             e.shown_grade, e.shown_grade_label, coalesce({OVERDUE}, 0) AS overdue
         FROM units u
         LEFT JOIN evaluations e
             ON e.unit_code_key = u.code_key AND e.fiscal_year = ?1 AND e.kind = ?2
         {filter_sql}
         ORDER BY u.code, e.id"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query(params_from_iter(params))?;
    let mut units: Vec<(FilingUnit, Vec<FiledForm>)> = Vec::new();
    while let Some(row) = rows.next()? {
        let code: String = row.get("code")?;
        if units.last().is_none_or(|(unit, _)| unit.code != code) {
            let unit = FilingUnit {
                code,
                name: row.get("name")?,
                department: row.get("department")?,
                region: row.get("region")?,
            };
            units.push((unit, Vec::new()));
        }
        let Some(id) = row.get::<_, Option<i64>>("id")? else {
            continue;
        };
        let status: String = row.get("status")?;
        let grade: String = row.get("shown_grade")?;
        let form = FiledForm {
            id,
            project_name: row.get("project_name")?,
            status: coded(&Status::ALL, Status::as_str, &status)?,
            grade: Grade {
                code: coded(&GradeCode::ALL, GradeCode::as_str, &grade)?,
                label: row.get("shown_grade_label")?,
            },
            overdue: row.get("overdue")?,
        };
        if let Some((_, forms)) = units.last_mut() {
            forms.push(form);
        }
    }
    let deadline_passed: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM deadlines
                 WHERE fiscal_year = ?1 AND kind = ?2 AND due_on < date('now', '+8 hours'))",
        )?
        .query_row(
            rusqlite::params![query.fiscal_year, query.kind.as_str()],
            |row| row.get(0),
        )?;
    Ok(filing::summarize(units, deadline_passed))
}

/// The value of `all` whose code is `text`.
fn coded<T: Copy>(all: &[T], code: fn(T) -> &'static str, text: &str) -> Result<T, StorageError> {
    all.iter()
        .copied()
        .find(|value| code(*value) == text)
        .ok_or_else(|| {
            StorageError::Json(serde::de::Error::custom(format!("unknown code `{text}`")))
        })
}

//! Submission deadlines per fiscal year and kind of form.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::StorageError;
use crate::domain::document::FormKind;

/// The last day on which forms of a year and kind may be submitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Deadline {
    /// The budget year of the forms.
    pub fiscal_year: i32,
    /// Which forms.
    pub kind: FormKind,
    /// The last day to submit (`YYYY-MM-DD`); a draft or returned form is overdue after it.
    #[schema(format = Date, example = "2021-07-31", pattern = r"^\d{4}-\d{2}-\d{2}$")]
    pub due_on: String,
}

/// The SQL expression that says whether the evaluation row `e` is overdue today. Deadlines are
/// days in China Standard Time (UTC+8), whatever the server's clock zone.
pub(super) const OVERDUE: &str = "(e.status IN ('draft', 'returned') AND EXISTS (
        SELECT 1 FROM deadlines d
        WHERE d.fiscal_year = e.fiscal_year AND d.kind = e.kind
          AND d.due_on < date('now', '+8 hours')))";

/// Sets (or moves) a deadline.
///
/// # Errors
/// When SQLite fails.
pub fn set(conn: &Connection, deadline: &Deadline) -> Result<(), StorageError> {
    conn.execute(
        "INSERT INTO deadlines (fiscal_year, kind, due_on) VALUES (?1, ?2, ?3)
         ON CONFLICT (fiscal_year, kind) DO UPDATE SET due_on = excluded.due_on",
        params![
            deadline.fiscal_year,
            deadline.kind.as_str(),
            deadline.due_on
        ],
    )?;
    Ok(())
}

/// Removes a deadline.
///
/// # Errors
/// `NotFound` when there is none for this year and kind.
pub fn remove(conn: &Connection, fiscal_year: i32, kind: FormKind) -> Result<(), StorageError> {
    let removed = conn.execute(
        "DELETE FROM deadlines WHERE fiscal_year = ?1 AND kind = ?2",
        params![fiscal_year, kind.as_str()],
    )?;
    if removed == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// Every deadline, latest year first.
///
/// # Errors
/// When SQLite fails.
pub fn list(conn: &Connection) -> Result<Vec<Deadline>, StorageError> {
    let mut statement = conn.prepare_cached(
        "SELECT fiscal_year, kind, due_on FROM deadlines ORDER BY fiscal_year DESC, kind",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, i32>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
        ))
    })?;
    let mut deadlines = Vec::new();
    for row in rows {
        let (fiscal_year, kind, due_on) = row?;
        deadlines.push(Deadline {
            fiscal_year,
            kind: serde_json::from_value(serde_json::Value::String(kind))?,
            due_on,
        });
    }
    Ok(deadlines)
}

//! The unit registry: budget codes (预算编码) and the names registered for them by an admin.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::StorageError;
use crate::domain::document::Unit;
use crate::domain::value::normalize;

/// A registered unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RegisteredUnit {
    /// The budget code (预算编码).
    #[schema(example = "430421001")]
    pub code: String,
    /// The unit's name as forms must print it.
    #[schema(example = "衡阳县财政局")]
    pub name: String,
    /// When it was last set (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// Registers a unit, or renames a registered one.
///
/// # Errors
/// `Conflict` when the name is registered under another code.
pub fn set(conn: &Connection, code: &str, name: &str) -> Result<RegisteredUnit, StorageError> {
    let updated_at = super::evaluations::now();
    conn.execute(
        "INSERT INTO units (code, code_key, name, name_key, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_key = excluded.name_key,
             updated_at = excluded.updated_at",
        params![code, normalize(code), name, normalize(name), updated_at],
    )
    .map_err(|e| {
        if super::is_unique_violation(&e) {
            StorageError::Conflict(format!(
                "the name `{name}` or the code `{code}` is already registered for another unit"
            ))
        } else {
            e.into()
        }
    })?;
    Ok(RegisteredUnit {
        code: code.to_owned(),
        name: name.to_owned(),
        updated_at,
    })
}

/// Removes a unit from the registry; its forms stay as they are.
///
/// # Errors
/// `NotFound` when the code is not registered.
pub fn remove(conn: &Connection, code: &str) -> Result<(), StorageError> {
    if conn.execute("DELETE FROM units WHERE code = ?1", [code])? == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// Every registered unit, by code.
///
/// # Errors
/// When SQLite fails.
pub fn list(conn: &Connection) -> Result<Vec<RegisteredUnit>, StorageError> {
    let mut statement = conn.prepare("SELECT code, name, updated_at FROM units ORDER BY code")?;
    let rows = statement.query_map([], |row| {
        Ok(RegisteredUnit {
            code: row.get(0)?,
            name: row.get(1)?,
            updated_at: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Checks a form's unit against the registry: a registered code must come with its
/// registered name, and a registered name may not appear under another code (or none).
///
/// # Errors
/// `UnitMismatch` saying what the registry holds.
pub fn check(conn: &Connection, unit: &Unit) -> Result<(), StorageError> {
    let name_key = normalize(&unit.name);
    let code_key = unit
        .code
        .as_deref()
        .map(normalize)
        .filter(|c| !c.is_empty());
    if let Some(code_key) = &code_key {
        let registered: Option<(String, String)> = conn
            .query_row(
                "SELECT name, name_key FROM units WHERE code_key = ?1",
                [code_key],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        if let Some((name, key)) = registered
            && key != name_key
        {
            return Err(StorageError::UnitMismatch(format!(
                "unit code `{}` is registered as `{name}`",
                unit.code.as_deref().unwrap_or_default()
            )));
        }
    }
    let owner: Option<String> = conn
        .query_row(
            "SELECT code FROM units WHERE name_key = ?1",
            [&name_key],
            |row| row.get(0),
        )
        .optional()?;
    match owner {
        Some(code) if Some(normalize(&code)) != code_key => {
            Err(StorageError::UnitMismatch(format!(
                "`{}` is registered with unit code `{code}`; a form of it carries that code",
                unit.name
            )))
        }
        _ => Ok(()),
    }
}

//! The unit registry: budget codes (预算编码) and the names registered for them by an admin.

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::StorageError;
use crate::domain::document::Unit;
use crate::domain::messages::Detail;
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
    /// The budget code of its 主管部门 (supervising department), if registered.
    #[serde(default)]
    #[schema(example = "430421")]
    pub department: Option<String>,
    /// Its 行政区划 code (six digits), if registered.
    #[serde(default)]
    #[schema(example = "430421", pattern = "^[0-9]{6}$")]
    pub region: Option<String>,
    /// When it was last set (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// What a registration says of a unit.
#[derive(Clone, Debug)]
pub struct Registration {
    /// The budget code.
    pub code: String,
    /// The name its forms must print.
    pub name: String,
    /// Its 主管部门's budget code.
    pub department: Option<String>,
    /// Its 行政区划 code, six digits.
    pub region: Option<String>,
}

/// Registers a unit, or renames or moves a registered one; its forms take its department and
/// region in the same transaction.
///
/// # Errors
/// `Conflict` when the name is registered under another code.
pub fn set(conn: &mut Connection, unit: &Registration) -> Result<RegisteredUnit, StorageError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let registered = set_in(&tx, unit)?;
    tx.commit()?;
    Ok(registered)
}

/// Registers, renames or moves a unit inside the caller's transaction, which the caller
/// commits; so that many units can be registered in one transaction.
///
/// # Errors
/// As [`set`].
pub fn set_in(tx: &Transaction<'_>, unit: &Registration) -> Result<RegisteredUnit, StorageError> {
    let updated_at = super::evaluations::now();
    let Registration {
        code,
        name,
        department,
        region,
    } = unit;
    tx.execute(
        "INSERT INTO units (code, code_key, name, name_key, department, region, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_key = excluded.name_key,
             department = excluded.department, region = excluded.region,
             updated_at = excluded.updated_at",
        params![
            code,
            normalize(code),
            name,
            normalize(name),
            department,
            region,
            updated_at
        ],
    )
    .map_err(|e| {
        if super::is_unique_violation(&e) {
            StorageError::Conflict(Detail::UnitTaken {
                name: name.to_string(),
                code: code.to_string(),
            })
        } else {
            e.into()
        }
    })?;
    place_forms(tx, code, department.as_deref(), region.as_deref())?;
    Ok(RegisteredUnit {
        code: code.clone(),
        name: name.clone(),
        department: department.clone(),
        region: region.clone(),
        updated_at,
    })
}

/// Gives every form of the unit `code` this department and region.
fn place_forms(
    conn: &Connection,
    code: &str,
    department: Option<&str>,
    region: Option<&str>,
) -> Result<(), StorageError> {
    conn.execute(
        "UPDATE evaluations SET department = ?2, region = ?3 WHERE unit_code_key = ?1",
        params![normalize(code), department, region],
    )?;
    Ok(())
}

/// Removes a unit from the registry; its forms stay as they are, except that they no longer
/// carry a department or region, which only the registry gives them.
///
/// # Errors
/// `NotFound` when the code is not registered.
pub fn remove(conn: &mut Connection, code: &str) -> Result<(), StorageError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if tx.execute("DELETE FROM units WHERE code = ?1", [code])? == 0 {
        return Err(StorageError::NotFound);
    }
    place_forms(&tx, code, None, None)?;
    tx.commit()?;
    Ok(())
}

/// Every registered unit, by code.
///
/// # Errors
/// When SQLite fails.
pub fn list(conn: &Connection) -> Result<Vec<RegisteredUnit>, StorageError> {
    let mut statement =
        conn.prepare("SELECT code, name, department, region, updated_at FROM units ORDER BY code")?;
    let rows = statement.query_map([], |row| {
        Ok(RegisteredUnit {
            code: row.get(0)?,
            name: row.get(1)?,
            department: row.get(2)?,
            region: row.get(3)?,
            updated_at: row.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Where the registry places a unit: its 主管部门 and its 行政区划, each when registered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Placement {
    /// The department's budget code.
    pub department: Option<String>,
    /// The six-digit region code.
    pub region: Option<String>,
}

/// Checks a form's unit against the registry: a registered code must come with its
/// registered name, and a registered name may not appear under another code (or none).
/// Answers where the registry places the unit (nowhere, for a unit it does not hold), which
/// the form's row carries.
///
/// # Errors
/// `UnitMismatch` saying what the registry holds.
pub fn check(conn: &Connection, unit: &Unit) -> Result<Placement, StorageError> {
    let name_key = normalize(&unit.name);
    let code_key = unit
        .code
        .as_deref()
        .map(normalize)
        .filter(|c| !c.is_empty());
    let mut placement = Placement::default();
    if let Some(code_key) = &code_key {
        let registered: Option<(String, String, Placement)> = conn
            .prepare_cached(
                "SELECT name, name_key, department, region FROM units WHERE code_key = ?1",
            )?
            .query_row([code_key], |row| {
                let placement = Placement {
                    department: row.get(2)?,
                    region: row.get(3)?,
                };
                Ok((row.get(0)?, row.get(1)?, placement))
            })
            .optional()?;
        if let Some((name, key, registered_at)) = registered {
            if key != name_key {
                return Err(StorageError::UnitMismatch(format!(
                    "unit code `{}` is registered as `{name}`",
                    unit.code.as_deref().unwrap_or_default()
                )));
            }
            placement = registered_at;
        }
    }
    let owner: Option<String> = conn
        .prepare_cached("SELECT code FROM units WHERE name_key = ?1")?
        .query_row([&name_key], |row| row.get(0))
        .optional()?;
    match owner {
        Some(code) if Some(normalize(&code)) != code_key => {
            Err(StorageError::UnitMismatch(format!(
                "`{}` is registered with unit code `{code}`; a form of it carries that code",
                unit.name
            )))
        }
        _ => Ok(placement),
    }
}

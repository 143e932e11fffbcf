//! API tokens: random secrets kept only as SHA-256 hashes, each with a role and a unit scope.

use chrono::{SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::access::Caller;

use super::StorageError;
use super::history::content_hash;

pub use crate::domain::access::Role;

/// A token as listed: never its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Token {
    /// Identifier, named in the history as the actor.
    pub id: i64,
    /// What it may do.
    pub role: Role,
    /// The unit codes a unit token covers.
    pub units: Vec<String>,
    /// A note on whom it was issued to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// When it was issued (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub created_at: String,
    /// When it was revoked, if it was (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub revoked_at: Option<String>,
}

impl Token {
    /// The caller this token makes.
    #[must_use]
    pub fn caller(&self) -> Caller {
        Caller::Token {
            id: self.id,
            role: self.role,
            units: self.units.clone(),
        }
    }
}

/// Why a token cannot be issued.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    /// A unit token covers at least one unit.
    #[error("a unit token needs at least one unit code (--unit CODE)")]
    UnitWithoutUnits,
    /// Admin and reviewer tokens cover every unit.
    #[error("only unit tokens name units; {0} tokens cover every unit")]
    UnitsOnOtherRole(&'static str),
}

/// Checks that the unit scope fits the role, and folds the codes (trimmed, deduplicated).
///
/// # Errors
/// When a unit token names no unit, or another role names some.
pub fn scope(role: Role, units: &[String]) -> Result<Vec<String>, ScopeError> {
    let mut codes: Vec<String> = units
        .iter()
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty())
        .collect();
    codes.sort();
    codes.dedup();
    match (role, codes.is_empty()) {
        (Role::Unit, true) => Err(ScopeError::UnitWithoutUnits),
        (Role::Admin | Role::Reviewer, false) => Err(ScopeError::UnitsOnOtherRole(role.as_str())),
        _ => Ok(codes),
    }
}

/// A new random secret: `jx_` and 64 hex digits carrying 244 random bits.
fn new_secret() -> String {
    let a = uuid::Uuid::new_v4().simple().to_string();
    let b = uuid::Uuid::new_v4().simple().to_string();
    format!("jx_{a}{b}")
}

/// Issues a token and returns it with its secret, which is not kept and cannot be shown again.
///
/// # Errors
/// When SQLite fails.
pub fn create(
    conn: &Connection,
    role: Role,
    units: &[String],
    label: Option<&str>,
) -> Result<(Token, String), StorageError> {
    let secret = new_secret();
    let created_at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    conn.execute(
        "INSERT INTO tokens (role, units_json, secret_hash, label, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            role.as_str(),
            serde_json::to_string(units)?,
            content_hash(&secret),
            label,
            created_at
        ],
    )?;
    let token = Token {
        id: conn.last_insert_rowid(),
        role,
        units: units.to_vec(),
        label: label.map(str::to_owned),
        created_at,
        revoked_at: None,
    };
    Ok((token, secret))
}

/// Every token, oldest first.
///
/// # Errors
/// When SQLite fails.
pub fn list(conn: &Connection) -> Result<Vec<Token>, StorageError> {
    let mut statement = conn.prepare(&format!("SELECT {COLUMNS} FROM tokens ORDER BY id"))?;
    let rows = statement.query_map([], raw)?;
    rows.map(|row| row?.into_token()).collect()
}

/// The active token with this secret.
///
/// # Errors
/// When SQLite fails.
pub fn find_active(conn: &Connection, secret: &str) -> Result<Option<Token>, StorageError> {
    find_active_by_hash(conn, &secret_hash(secret))
}

/// The hash a secret is stored and looked up by; the secret itself is never kept.
#[must_use]
pub fn secret_hash(secret: &str) -> String {
    content_hash(secret)
}

/// The active token whose secret hashes to `hash`, if any.
///
/// # Errors
/// When SQLite fails or the stored row cannot be read.
pub fn find_active_by_hash(conn: &Connection, hash: &str) -> Result<Option<Token>, StorageError> {
    // Asked on every request with a token the service has not seen since the last write.
    conn.prepare_cached(
        "SELECT id, role, units_json, label, created_at, revoked_at FROM tokens
         WHERE secret_hash = ?1 AND revoked_at IS NULL",
    )?
    .query_row([hash], raw)
    .optional()?
    .map(RawToken::into_token)
    .transpose()
}

/// Revokes a token; revoking it again changes nothing.
///
/// # Errors
/// `NotFound` when no token has this id.
pub fn revoke(conn: &Connection, id: i64) -> Result<Token, StorageError> {
    let at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    conn.execute(
        "UPDATE tokens SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1",
        params![id, at],
    )?;
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM tokens WHERE id = ?1"),
        [id],
        raw,
    )
    .optional()?
    .ok_or(StorageError::NotFound)?
    .into_token()
}

/// How many tokens were ever issued.
///
/// # Errors
/// When SQLite fails.
pub fn count(conn: &Connection) -> Result<i64, StorageError> {
    Ok(conn.query_row("SELECT count(*) FROM tokens", [], |row| row.get(0))?)
}

const COLUMNS: &str = "id, role, units_json, label, created_at, revoked_at";

struct RawToken {
    id: i64,
    role: String,
    units: String,
    label: Option<String>,
    created_at: String,
    revoked_at: Option<String>,
}

fn raw(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawToken> {
    Ok(RawToken {
        id: row.get(0)?,
        role: row.get(1)?,
        units: row.get(2)?,
        label: row.get(3)?,
        created_at: row.get(4)?,
        revoked_at: row.get(5)?,
    })
}

impl RawToken {
    fn into_token(self) -> Result<Token, StorageError> {
        Ok(Token {
            id: self.id,
            role: serde_json::from_value(serde_json::Value::String(self.role))?,
            units: serde_json::from_str(&self.units)?,
            label: self.label,
            created_at: self.created_at,
            revoked_at: self.revoked_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::storage::migrations::migrations()
            .to_latest(&mut conn)
            .unwrap();
        conn
    }

    #[test]
    fn a_secret_is_random_long_and_kept_only_as_a_hash() {
        let conn = database();
        let (token, secret) =
            create(&conn, Role::Unit, &["430421".into()], Some("衡阳县")).unwrap();
        assert!(secret.starts_with("jx_") && secret.len() == 67, "{secret}");
        assert!(secret[3..].chars().all(|c| c.is_ascii_hexdigit()));
        let stored: String = conn
            .query_row(
                "SELECT secret_hash FROM tokens WHERE id = ?1",
                [token.id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(stored, content_hash(&secret));
        assert!(!stored.contains(&secret[3..]));
        let (_, other) = create(&conn, Role::Admin, &[], None).unwrap();
        assert_ne!(secret, other);
    }

    #[test]
    fn only_active_tokens_are_found() {
        let conn = database();
        let (token, secret) = create(&conn, Role::Reviewer, &[], None).unwrap();
        assert_eq!(find_active(&conn, &secret).unwrap().unwrap().id, token.id);
        assert!(find_active(&conn, "jx_guess").unwrap().is_none());
        let revoked = revoke(&conn, token.id).unwrap();
        assert!(revoked.revoked_at.is_some());
        assert!(find_active(&conn, &secret).unwrap().is_none());
        assert_eq!(
            revoke(&conn, token.id).unwrap().revoked_at,
            revoked.revoked_at
        );
        assert!(matches!(revoke(&conn, 99), Err(StorageError::NotFound)));
    }

    #[test]
    fn the_unit_scope_fits_the_role() {
        assert_eq!(
            scope(Role::Unit, &[" 2 ".into(), "1".into(), "2".into()]).unwrap(),
            ["1", "2"]
        );
        assert_eq!(scope(Role::Unit, &[]), Err(ScopeError::UnitWithoutUnits));
        assert_eq!(
            scope(Role::Admin, &["1".into()]),
            Err(ScopeError::UnitsOnOtherRole("admin"))
        );
        assert!(scope(Role::Reviewer, &[]).unwrap().is_empty());
    }
}

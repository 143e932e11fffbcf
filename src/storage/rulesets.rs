//! Rulesets published through the API, every version kept.

use rusqlite::{Connection, params};

use super::StorageError;
use super::history::Actor;
use crate::domain::access::Principal;
use crate::domain::messages::Detail;
use crate::domain::ruleset::Ruleset;

/// Keeps a published ruleset version.
///
/// # Errors
/// `Conflict` when this id and version were already published.
pub fn publish(
    conn: &Connection,
    ruleset: &Ruleset,
    json: &str,
    actor: &Principal,
) -> Result<(), StorageError> {
    conn.execute(
        "INSERT INTO rulesets (id, version, json, stored_at, actor_json)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            ruleset.id,
            ruleset.version,
            json,
            super::evaluations::now(),
            serde_json::to_string(&Actor::of(actor))?
        ],
    )
    .map_err(|e| {
        if super::is_unique_violation(&e) {
            StorageError::Conflict(Detail::RulesetPublished {
                id: ruleset.id.clone(),
                version: ruleset.version,
            })
        } else {
            e.into()
        }
    })?;
    Ok(())
}

/// The latest published version of each ruleset, as JSON text by id.
///
/// # Errors
/// When SQLite fails.
pub fn latest(conn: &Connection) -> Result<Vec<(String, String)>, StorageError> {
    let mut statement = conn.prepare(
        "SELECT id, json FROM rulesets r
         WHERE version = (SELECT max(version) FROM rulesets WHERE id = r.id) ORDER BY id",
    )?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

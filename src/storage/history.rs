//! The kept versions of every evaluation and the append-only history of its changes. Both are
//! written in the transaction of the change they record, and never changed afterwards.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::StorageError;
use super::evaluations::Submission;
use crate::domain::access::{FormFacts, Operation, Principal};
use crate::domain::diff::FieldChange;
use crate::domain::document::EvaluationDocument;
use crate::domain::lifecycle::Transition;
use crate::domain::scoring::result::{RulesetRef, ScoreResult};

/// Who made a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Actor {
    /// The caller's role: `admin`, `reviewer` or `unit`, or `system` for the service itself.
    #[schema(value_type = ActorRole)]
    pub role: String,
    /// The id of the caller's token, never the token itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_id: Option<i64>,
}

/// The role an actor in the history had. The history stores the role's name as text; this
/// enum states which names it holds, for the OpenAPI document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActorRole {
    /// An admin token.
    Admin,
    /// A reviewer token (财政局 / 主管部门).
    Reviewer,
    /// A unit token (预算单位).
    Unit,
    /// The service itself, e.g. loading the example forms.
    System,
}

impl Actor {
    /// The caller as the history records it: role and token id, never the secret.
    #[must_use]
    pub fn of(principal: &Principal) -> Self {
        Self {
            role: principal.role_name().into(),
            token_id: principal.token_id(),
        }
    }
}

/// What kind of change an entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The evaluation was stored.
    Created,
    /// Its document was replaced.
    Replaced,
    /// It was deleted; its versions and history are kept.
    Deleted,
    /// It was handed in for review.
    Submitted,
    /// It was sent back to the unit.
    Returned,
    /// It was accepted.
    Approved,
    /// An approved form was opened again as a new draft version.
    Reopened,
    /// A reviewer recorded review scores.
    Reviewed,
}

impl From<Transition> for Action {
    fn from(transition: Transition) -> Self {
        match transition {
            Transition::Submit => Self::Submitted,
            Transition::Return => Self::Returned,
            Transition::Approve => Self::Approved,
            Transition::Reopen => Self::Reopened,
        }
    }
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Replaced => "replaced",
            Self::Deleted => "deleted",
            Self::Submitted => "submitted",
            Self::Returned => "returned",
            Self::Approved => "approved",
            Self::Reopened => "reopened",
            Self::Reviewed => "reviewed",
        }
    }
}

/// One entry of an evaluation's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HistoryEntry {
    /// Position in the whole history, increasing.
    pub id: i64,
    /// The version the change produced (the last version, for a deletion).
    pub version: i64,
    /// When (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub at: String,
    /// What kind of change.
    pub action: Action,
    /// Who.
    pub actor: Actor,
    /// The fields that changed, old → new; empty on creation and deletion.
    pub changes: Vec<FieldChange>,
    /// The comment given with the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A version of an evaluation exactly as it was stored.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct StoredVersion {
    /// The evaluation.
    pub evaluation_id: i64,
    /// The version number.
    pub version: i64,
    /// When this version was stored (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub stored_at: String,
    /// The ruleset it was scored with, and that ruleset's version.
    pub ruleset: RulesetRef,
    /// SHA-256 (hex) of the document as stored, to prove a recomputed grade used the same
    /// document.
    pub content_hash: String,
    /// The document.
    pub document: EvaluationDocument,
    /// The result computed when it was stored.
    pub result: ScoreResult,
}

/// A change to record, beside the version it produced.
pub(super) struct Change<'a> {
    pub evaluation_id: i64,
    pub version: i64,
    pub action: Action,
    pub actor: &'a Principal,
    pub changes: Vec<FieldChange>,
    pub at: &'a str,
    pub comment: Option<&'a str>,
}

/// Keeps the version the form's row has just been written at. Its submitted text, document and
/// result stay in the form's row alone (the kept row leaves them empty) until that row changes
/// them, moves to another version or is deleted, when a trigger copies them into the kept row
/// first (migration 0019); [`version`] reads them from wherever they are.
pub(super) fn keep_version(
    tx: &Connection,
    evaluation_id: i64,
    version: i64,
    submission: &Submission<'_>,
    content_hash: &str,
    at: &str,
) -> Result<(), StorageError> {
    tx.prepare_cached(
        "INSERT INTO evaluation_versions (evaluation_id, version, submitted_json, document_json,
             result_json, ruleset_id, ruleset_version, content_hash, stored_at, unit_code)
         VALUES (?1, ?2, '', '', '', ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        evaluation_id,
        version,
        submission.result.ruleset.id,
        submission.result.ruleset.version,
        content_hash,
        at,
        submission.document.unit.code,
    ])?;
    Ok(())
}

/// Appends a history entry.
pub(super) fn record(tx: &Connection, change: &Change<'_>) -> Result<(), StorageError> {
    tx.prepare_cached(
        "INSERT INTO evaluation_history (evaluation_id, version, at, action, actor_json,
             changes_json, comment)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        change.evaluation_id,
        change.version,
        change.at,
        change.action.as_str(),
        serde_json::to_string(&Actor::of(change.actor))?,
        serde_json::to_string(&change.changes)?,
        change.comment,
    ])?;
    Ok(())
}

/// Keeps the document of `old_version` again as `new_version`, with a new result where one is
/// given (review scores recorded or cleared), else the old result. Called once the form's row
/// has moved to `new_version`, which has copied `old_version` into its kept row.
pub(super) fn keep_as(
    tx: &Transaction<'_>,
    evaluation_id: i64,
    old_version: i64,
    new_version: i64,
    result_json: Option<&str>,
    at: &str,
) -> Result<(), StorageError> {
    let kept = tx.execute(
        "INSERT INTO evaluation_versions (evaluation_id, version, submitted_json, document_json,
             result_json, ruleset_id, ruleset_version, content_hash, stored_at)
         SELECT evaluation_id, ?3, submitted_json, document_json, coalesce(?4, result_json),
             ruleset_id, ruleset_version, content_hash, ?5
         FROM evaluation_versions
         WHERE evaluation_id = ?1 AND version = ?2 AND document_json <> ''",
        params![evaluation_id, old_version, new_version, result_json, at],
    )?;
    // Every version since the first is kept, so the previous one is always there to copy.
    if kept != 1 {
        return Err(StorageError::Sqlite(rusqlite::Error::StatementChangedRows(
            kept,
        )));
    }
    Ok(())
}

/// SHA-256 of a stored document, hex.
#[must_use]
pub fn content_hash(document_json: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(document_json.as_bytes());
    let mut hex = String::with_capacity(2 * digest.len());
    for byte in digest {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    hex
}

/// The history of an evaluation, oldest first; `None` when it never existed.
///
/// # Errors
/// When SQLite fails or a stored entry cannot be read back.
pub fn history(
    conn: &Connection,
    evaluation_id: i64,
) -> Result<Option<Vec<HistoryEntry>>, StorageError> {
    let mut statement = conn.prepare(
        "SELECT id, version, at, action, actor_json, changes_json, comment
         FROM evaluation_history WHERE evaluation_id = ?1 ORDER BY id",
    )?;
    let rows = statement.query_map([evaluation_id], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, String>(4)?,
            row.get::<_, String>(5)?,
            row.get::<_, Option<String>>(6)?,
        ))
    })?;
    let mut entries = Vec::new();
    for row in rows {
        let (id, version, at, action, actor, changes, comment) = row?;
        entries.push(HistoryEntry {
            id,
            version,
            at,
            action: serde_json::from_value(serde_json::Value::String(action))?,
            actor: serde_json::from_str(&actor)?,
            changes: serde_json::from_str(&changes)?,
            comment,
        });
    }
    Ok((!entries.is_empty()).then_some(entries))
}

/// One stored version of an evaluation.
///
/// # Errors
/// When SQLite fails or the stored version cannot be read back.
pub fn version(
    conn: &Connection,
    evaluation_id: i64,
    version: i64,
) -> Result<Option<StoredVersion>, StorageError> {
    let row = conn
        .query_row(
            "SELECT v.stored_at, v.ruleset_id, v.ruleset_version, v.content_hash,
                 CASE WHEN v.document_json = '' THEN e.document_json ELSE v.document_json END,
                 CASE WHEN v.document_json = '' THEN e.result_json ELSE v.result_json END
             FROM evaluation_versions v
             LEFT JOIN evaluations e ON e.id = v.evaluation_id AND e.version = v.version
             WHERE v.evaluation_id = ?1 AND v.version = ?2",
            params![evaluation_id, version],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, u32>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, String>(5)?,
                ))
            },
        )
        .optional()?;
    let Some((stored_at, ruleset_id, ruleset_version, content_hash, document, result)) = row else {
        return Ok(None);
    };
    Ok(Some(StoredVersion {
        evaluation_id,
        version,
        stored_at,
        ruleset: RulesetRef {
            id: ruleset_id,
            version: ruleset_version,
        },
        content_hash,
        document: serde_json::from_str(&document)?,
        result: serde_json::from_str(&result)?,
    }))
}

/// The history of an evaluation as `principal` may see it.
///
/// # Errors
/// `NotFound` when it never existed or the caller may not know it did, `Denied` when the
/// caller may read the form but not its history.
pub fn history_for(
    conn: &Connection,
    evaluation_id: i64,
    principal: &Principal,
) -> Result<Vec<HistoryEntry>, StorageError> {
    let owner = owner(conn, evaluation_id)?.ok_or_else(|| missing(principal))?;
    principal.authorize(Operation::ReadHistory, &owner.facts())?;
    history(conn, evaluation_id)?.ok_or(StorageError::NotFound)
}

/// One version as `principal` may see it: its own forms', or every form's for a reviewer, and
/// the published (approved) versions of any form for everyone else who may read published
/// forms.
///
/// # Errors
/// `NotFound` when there is no such version or the caller may not know there is, `Denied`
/// when a caller without a token asks for a version that was not published.
pub fn version_for(
    conn: &Connection,
    evaluation_id: i64,
    number: i64,
    principal: &Principal,
) -> Result<StoredVersion, StorageError> {
    let owner = owner(conn, evaluation_id)?.ok_or_else(|| missing(principal))?;
    // Who may read a version is decided from its columns, before its document is read.
    let kept: Option<Owner> = conn
        .query_row(
            "SELECT unit_code, EXISTS (SELECT 1 FROM evaluation_history
                 WHERE evaluation_id = ?1 AND version = ?2 AND action = 'approved')
             FROM evaluation_versions WHERE evaluation_id = ?1 AND version = ?2",
            params![evaluation_id, number],
            |row| {
                Ok(Owner {
                    unit_code: row.get(0)?,
                    published: row.get(1)?,
                })
            },
        )
        .optional()?;
    let Some(kept) = kept else {
        principal.authorize(Operation::ReadHistory, &owner.facts())?;
        return Err(StorageError::NotFound);
    };
    principal.authorize(Operation::Read, &kept.facts())?;
    version(conn, evaluation_id, number)?.ok_or(StorageError::NotFound)
}

/// The refusal for an evaluation that does not exist: the same as for one the caller may not
/// see, so that the two cannot be told apart.
pub(super) fn missing(principal: &Principal) -> StorageError {
    principal.not_visible().into()
}

/// Whose an evaluation is, and whether it is published; for a deleted one, as its last
/// version was.
pub(super) struct Owner {
    pub unit_code: Option<String>,
    pub published: bool,
}

impl Owner {
    pub fn facts(&self) -> FormFacts<'_> {
        FormFacts {
            unit_code: self.unit_code.as_deref(),
            published: self.published,
        }
    }
}

pub(super) fn owner(conn: &Connection, evaluation_id: i64) -> Result<Option<Owner>, StorageError> {
    let current = conn
        .prepare_cached("SELECT unit_code, status = 'approved' FROM evaluations WHERE id = ?1")?
        .query_row([evaluation_id], |row| {
            Ok(Owner {
                unit_code: row.get(0)?,
                published: row.get(1)?,
            })
        })
        .optional()?;
    if current.is_some() {
        return Ok(current);
    }
    // A deleted form belongs to whoever its last version named.
    Ok(conn
        .prepare_cached(
            "SELECT unit_code FROM evaluation_versions WHERE evaluation_id = ?1
             ORDER BY version DESC LIMIT 1",
        )?
        .query_row([evaluation_id], |row| {
            Ok(Owner {
                unit_code: row.get(0)?,
                published: false,
            })
        })
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_hash_is_sha256_in_lowercase_hex() {
        assert_eq!(
            content_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            content_hash(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
    use crate::domain::rulesets::Rulesets;
    use crate::domain::validation::evaluate;
    use crate::storage::evaluations::{Submission, insert};

    const SEED: &str = include_str!("../../data/examples/hengyang-2020-department.json");

    #[test]
    fn every_role_name_the_history_records_is_an_actor_role() {
        use crate::domain::access::Role;
        let names = [Role::Admin, Role::Reviewer, Role::Unit]
            .map(Role::as_str)
            .into_iter()
            .chain([Principal::system().role_name()]);
        for name in names {
            let read: Result<ActorRole, _> = serde_json::from_value(name.into());
            assert!(read.is_ok(), "`{name}` is not an ActorRole");
        }
    }

    #[test]
    fn a_version_kept_in_its_form_row_is_read_and_kept_through_changes_and_deletion() {
        use crate::domain::precondition::Expected;
        use crate::storage::evaluations::{delete, replace};
        let mut conn = Connection::open_in_memory().unwrap();
        crate::storage::migrations::migrations()
            .to_latest(&mut conn)
            .unwrap();
        let rulesets = Rulesets::built_in("national-2020").unwrap();
        let first: EvaluationDocument = serde_json::from_str(SEED).unwrap();
        let mut second = first.clone();
        second.unit.name = "衡阳县改名单位".into();
        let store = |document: &EvaluationDocument| {
            let result = evaluate(document, &rulesets).unwrap();
            (serde_json::to_string(document).unwrap(), result)
        };
        let system = Principal::system();
        let (first_json, first_result) = store(&first);
        let submission = Submission {
            submitted_json: SEED,
            document: &first,
            result: &first_result,
        };
        let id = insert(&mut conn, &submission, &system).unwrap().id;
        // The kept row of the current version leaves its texts to the form's row.
        let kept: String = conn
            .query_row(
                "SELECT document_json FROM evaluation_versions WHERE version = 1",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(kept, "");
        let read = |conn: &Connection, number| {
            let kept = version(conn, id, number).unwrap().unwrap();
            serde_json::to_string(&kept.document).unwrap()
        };
        assert_eq!(read(&conn, 1), first_json);
        // Filling it in with anything but the form's own texts is refused.
        assert!(
            conn.execute(
                "UPDATE evaluation_versions SET submitted_json = '{}', document_json = '{}',
                     result_json = '{}' WHERE version = 1",
                [],
            )
            .is_err()
        );

        let (second_json, second_result) = store(&second);
        let submission = Submission {
            submitted_json: &second_json,
            document: &second,
            result: &second_result,
        };
        replace(&mut conn, id, Expected::Version(1), &submission, &system).unwrap();
        assert_eq!(read(&conn, 1), first_json);
        assert_eq!(read(&conn, 2), second_json);
        let submitted: String = conn
            .query_row(
                "SELECT submitted_json FROM evaluation_versions WHERE version = 1",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(submitted, SEED);

        delete(&mut conn, id, Expected::Version(2), &system).unwrap();
        assert_eq!(read(&conn, 1), first_json);
        assert_eq!(read(&conn, 2), second_json);
    }

    #[test]
    fn history_and_versions_refuse_to_be_changed_or_removed() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::storage::migrations::migrations()
            .to_latest(&mut conn)
            .unwrap();
        let document: EvaluationDocument = serde_json::from_str(SEED).unwrap();
        let result = evaluate(&document, &Rulesets::built_in("national-2020").unwrap()).unwrap();
        let submission = Submission {
            submitted_json: SEED,
            document: &document,
            result: &result,
        };
        insert(&mut conn, &submission, &Principal::system()).unwrap();
        for statement in [
            "UPDATE evaluation_history SET comment = 'changed'",
            "DELETE FROM evaluation_history",
            "UPDATE evaluation_versions SET document_json = '{}'",
            "DELETE FROM evaluation_versions",
        ] {
            assert!(
                conn.execute(statement, []).is_err(),
                "{statement} must fail"
            );
        }
        assert_eq!(history(&conn, 1).unwrap().unwrap().len(), 1);
        assert!(version(&conn, 1, 1).unwrap().is_some());
    }
}

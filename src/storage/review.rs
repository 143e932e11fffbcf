//! Review-lifecycle writes: transitions and review scores, each in one transaction with its
//! kept version and history entry.

use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use super::StorageError;
use super::evaluations::{StoredEvaluation, check_version, now, read};
use super::history::{self, Action, Change};
use crate::domain::access::{Operation, Principal};
use crate::domain::diff::{FieldChange, diff};
use crate::domain::lifecycle::{Status, Transition};
use crate::domain::precondition::Expected;
use crate::domain::scoring::result::ScoreResult;
use crate::domain::scoring::review::Review;

/// Moves an evaluation through its review lifecycle, with the reviewer's or unit's comment.
/// Reopening an approved form makes a new draft version of the same document; the approved
/// version stays readable as it was.
///
/// # Errors
/// `NotFound`, `Denied`, `PreconditionRequired` or `VersionMismatch` for an unstated or stale
/// `expected` version, `WrongState` when the transition cannot start from the current state.
pub fn transition(
    conn: &mut Connection,
    id: i64,
    expected: Expected,
    transition: Transition,
    actor: &Principal,
    comment: Option<&str>,
) -> Result<StoredEvaluation, StorageError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let stored = transition_in(&tx, id, expected, transition, actor, comment)?;
    tx.commit()?;
    Ok(stored)
}

/// Moves an evaluation through its review lifecycle inside the caller's transaction, which the
/// caller commits; so that many forms can be moved in one transaction.
///
/// # Errors
/// As [`transition`].
pub fn transition_in(
    tx: &Transaction<'_>,
    id: i64,
    expected: Expected,
    transition: Transition,
    actor: &Principal,
    comment: Option<&str>,
) -> Result<StoredEvaluation, StorageError> {
    let operation = match transition {
        Transition::Submit => Operation::Submit,
        Transition::Return | Transition::Approve => Operation::Review,
        Transition::Reopen => Operation::Reopen,
    };
    let current = check_version(tx, id, expected, actor, operation)?;
    let status = transition.apply(current.status)?;
    if transition == Transition::Submit {
        refuse_incomplete(tx, id, &current.document_json)?;
    }
    let at = now();
    // Every transition makes a version, so that an If-Match read before it cannot act after it.
    let version = current.version + 1;
    if transition == Transition::Reopen {
        // A reopened form is a new draft: the old review does not carry over.
        let result_json = without_review(tx, id)?;
        tx.execute(
            "UPDATE evaluations SET status = ?2, version = ?3, reopened_from = ?4, updated_at = ?5,
                 result_json = ?6, review_json = NULL, review_total = NULL,
                 review_grade = NULL, review_grade_label = NULL
             WHERE id = ?1",
            params![
                id,
                status.as_str(),
                version,
                current.version,
                at,
                result_json
            ],
        )?;
        history::keep_as(tx, id, current.version, version, Some(&result_json), &at)?;
    } else {
        tx.execute(
            "UPDATE evaluations SET status = ?2, version = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, status.as_str(), version, at],
        )?;
        history::keep_as(tx, id, current.version, version, None, &at)?;
    }
    history::record(
        tx,
        &Change {
            evaluation_id: id,
            version,
            action: transition.into(),
            actor,
            changes: vec![FieldChange {
                path: "/status".into(),
                old: current.status.as_str().into(),
                new: status.as_str().into(),
            }],
            at: &at,
            comment,
        },
    )?;
    let stored = read(tx, id)?.ok_or(StorageError::NotFound)?;
    Ok(stored)
}

/// Records review scores for a submitted form, with the result they give, as a new version.
///
/// # Errors
/// `NotFound`, `Denied`, `PreconditionRequired`, `VersionMismatch`, or `NotUnderReview` when the
/// form is not submitted.
pub fn record_review(
    conn: &mut Connection,
    id: i64,
    expected: Expected,
    review: &Review,
    result: &ScoreResult,
    actor: &Principal,
    comment: Option<&str>,
) -> Result<StoredEvaluation, StorageError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current = check_version(&tx, id, expected, actor, Operation::Review)?;
    if current.status != Status::Submitted {
        return Err(StorageError::NotUnderReview {
            status: current.status,
        });
    }
    let old: Option<String> = tx.query_row(
        "SELECT review_json FROM evaluations WHERE id = ?1",
        [id],
        |row| row.get(0),
    )?;
    let review_json = serde_json::to_string(review)?;
    let result_json = serde_json::to_string(result)?;
    let totals = result.review.as_ref();
    let at = now();
    let version = current.version + 1;
    tx.execute(
        "UPDATE evaluations SET review_json = ?2, result_json = ?3, review_total = ?4,
             review_grade = ?5, review_grade_label = ?6, version = ?7, updated_at = ?8
         WHERE id = ?1",
        params![
            id,
            review_json,
            result_json,
            totals.map(|t| t.total.to_string()),
            totals.map(|t| t.grade.code.as_str()),
            totals.map(|t| t.grade.label.clone()),
            version,
            at,
        ],
    )?;
    history::keep_as(&tx, id, current.version, version, Some(&result_json), &at)?;
    super::evaluations::write_findings(&tx, id, result)?;
    // A first review is compared with an empty one, so each recorded score is its own change.
    let old: serde_json::Value = old
        .as_deref()
        .map(serde_json::from_str)
        .transpose()?
        .unwrap_or_else(|| serde_json::json!({}));
    let new: serde_json::Value = serde_json::from_str(&review_json)?;
    let changes = diff(&old, &new)
        .into_iter()
        .map(|change| FieldChange {
            path: format!("/review{}", change.path),
            ..change
        })
        .collect();
    history::record(
        &tx,
        &Change {
            evaluation_id: id,
            version,
            action: Action::Reviewed,
            actor,
            changes,
            at: &at,
            comment,
        },
    )?;
    let stored = read(&tx, id)?.ok_or(StorageError::NotFound)?;
    tx.commit()?;
    Ok(stored)
}

/// The stored result with its review columns removed.
fn without_review(tx: &Transaction<'_>, id: i64) -> Result<String, StorageError> {
    let json: String = tx.query_row(
        "SELECT result_json FROM evaluations WHERE id = ?1",
        [id],
        |row| row.get(0),
    )?;
    let mut result: ScoreResult = serde_json::from_str(&json)?;
    result.clear_review();
    Ok(serde_json::to_string(&result)?)
}

/// Refuses to submit a form that still lacks something, listing every gap.
fn refuse_incomplete(
    tx: &Transaction<'_>,
    id: i64,
    document_json: &str,
) -> Result<(), StorageError> {
    let document: crate::domain::document::EvaluationDocument =
        serde_json::from_str(document_json)?;
    let result_json: String = tx.query_row(
        "SELECT result_json FROM evaluations WHERE id = ?1",
        [id],
        |row| row.get(0),
    )?;
    let result: crate::domain::scoring::result::ScoreResult = serde_json::from_str(&result_json)?;
    let found = crate::domain::completeness::completeness(&document, Some(&result));
    if found.complete {
        Ok(())
    } else {
        Err(StorageError::Incomplete(found.missing))
    }
}

//! Stored evaluations: create, read, replace and delete, each write in one transaction.

use chrono::{SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, ToSql, Transaction, TransactionBehavior};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use utoipa::ToSchema;

use super::history::{self, Action, Change, missing, owner};
use super::units::Placement;
use super::{StorageError, is_unique_violation};
use crate::domain::access::{FormFacts, Operation, Principal};
use crate::domain::completeness::{Completeness, completeness};
use crate::domain::diff::diff;
use crate::domain::document::EvaluationDocument;
use crate::domain::lifecycle::Status;
use crate::domain::precondition::Expected;
use crate::domain::ruleset::GradeCode;
use crate::domain::scoring::findings::FindingCounts;
use crate::domain::scoring::result::ScoreResult;
use crate::domain::scoring::review::Review;
use crate::domain::value::normalize;

/// A stored evaluation: the document as the unit submitted it, with its identity, version and
/// the result computed when it was stored.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct StoredEvaluation {
    /// Identifier assigned by the service.
    pub id: i64,
    /// Starts at 1 and increases with every replacement; the `ETag` is this number.
    pub version: i64,
    /// When the evaluation was first stored (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub created_at: String,
    /// When it was last changed (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// Where it stands in review; only `draft` and `returned` forms can be replaced or deleted.
    pub status: Status,
    /// For a reopened form, the approved version it was reopened from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reopened_from: Option<i64>,
    /// Not submitted although its submission deadline has passed.
    pub overdue: bool,
    /// The review scores recorded for it; the result lays them beside the rule scores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
    /// The document.
    #[serde(flatten)]
    pub document: EvaluationDocument,
    /// Whether the form is filled in enough to be submitted, and what it still lacks. A draft
    /// may be stored incomplete; submitting it is refused (422) until nothing is missing.
    pub completeness: Completeness,
    /// Rule scores, total, grade and findings, computed when the document was stored.
    pub result: ScoreResult,
}

/// A document to store with the result computed for it.
pub struct Submission<'a> {
    /// The request body exactly as received, kept for the record.
    pub submitted_json: &'a str,
    /// The document read from it.
    pub document: &'a EvaluationDocument,
    /// Its result.
    pub result: &'a ScoreResult,
}

/// What storing a submission writes besides its own fields: the document and result as JSON,
/// whether the form is complete and the hash the kept version carries. Worked out from the
/// submission alone, so that a bulk load works it out for its next forms while the writer
/// stores the previous ones.
#[derive(Debug)]
pub struct Encoded {
    document_json: String,
    result_json: String,
    complete: bool,
    content_hash: String,
}

impl Encoded {
    /// Nothing encoded: what is left of an encoding once it has been taken to be stored.
    pub const EMPTY: Self = Self {
        document_json: String::new(),
        result_json: String::new(),
        complete: false,
        content_hash: String::new(),
    };

    /// Encodes `submission`.
    ///
    /// # Errors
    /// When the document or result cannot be serialised.
    pub fn of(submission: &Submission<'_>) -> Result<Self, StorageError> {
        let document_json = serde_json::to_string(submission.document)?;
        Ok(Self {
            content_hash: history::content_hash(&document_json),
            document_json,
            result_json: serde_json::to_string(submission.result)?,
            complete: completeness(submission.document, Some(submission.result)).complete,
        })
    }
}

/// Stores a new evaluation.
///
/// # Errors
/// `Denied` when the caller may not store forms of its unit, `Conflict` when the unit
/// already has a form of this kind for this year (and project).
pub fn insert(
    conn: &mut Connection,
    submission: &Submission<'_>,
    actor: &Principal,
) -> Result<StoredEvaluation, StorageError> {
    actor.authorize_store(submission.document.unit.code.as_deref())?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let stored = insert_in(&tx, submission, actor)?;
    tx.commit()?;
    Ok(stored)
}

/// Stores a new evaluation inside the caller's transaction, which the caller commits; so that
/// many forms can be written in one transaction.
///
/// # Errors
/// As [`insert`].
pub fn insert_in(
    tx: &Connection,
    submission: &Submission<'_>,
    actor: &Principal,
) -> Result<StoredEvaluation, StorageError> {
    let id = insert_row(tx, submission, actor)?;
    read(tx, id)?.ok_or(StorageError::NotFound)
}

/// Stores a new evaluation inside the caller's transaction and answers its id, without reading
/// the stored form back: for bulk loads, which answer only the id (the version is 1).
///
/// # Errors
/// As [`insert`].
pub fn insert_row(
    tx: &Connection,
    submission: &Submission<'_>,
    actor: &Principal,
) -> Result<i64, StorageError> {
    insert_encoded(tx, submission, Encoded::of(submission)?, actor)
}

/// As [`insert_row`], with the submission already encoded.
///
/// # Errors
/// As [`insert`].
pub fn insert_encoded(
    tx: &Connection,
    submission: &Submission<'_>,
    encoded: Encoded,
    actor: &Principal,
) -> Result<i64, StorageError> {
    let (id, row) = insert_form_row(tx, submission, encoded, actor)?;
    record_creation(tx, id, submission, &row, actor)?;
    Ok(id)
}

/// The checks and the one write by which a new form is refused or taken: the caller's right
/// to store for the unit, the unit registry, the form's identity, then the form's row. A
/// refusal leaves nothing written: the checks only read, and the insert of one row checks
/// every constraint before it writes.
fn insert_form_row<'a>(
    tx: &Connection,
    submission: &'a Submission<'a>,
    encoded: Encoded,
    actor: &Principal,
) -> Result<(i64, SummaryColumns<'a>), StorageError> {
    actor.authorize_store(submission.document.unit.code.as_deref())?;
    let placement = super::units::check(tx, &submission.document.unit)?;
    let row = SummaryColumns::of(submission, encoded, placement);
    row.check_name_identity(tx, actor, None)?;
    // `OR FAIL` rather than the default `ABORT`: a one-row insert fails, if at all, before it
    // writes, so it has nothing to back out, and with `ABORT` SQLite would copy every page
    // the insert and its trigger touch (the row's table and index pages, the statistics
    // generation) to a statement journal first, as much work again as the insert. The values
    // are bound, not selected, for the same reason: an insert from a SELECT is journalled too.
    tx.prepare_cached(
        "INSERT OR FAIL INTO evaluations (kind, fiscal_year, unit_name, unit_code, unit_key,
             unit_code_key, project_name, project_key, version, ruleset_id, ruleset_version,
             computed_total, computed_total_cents, computed_grade, computed_grade_label,
             declared_total, declared_grade, declared_grade_code, findings_error,
             findings_warning, findings_info, submitted_json, document_json, result_json,
             created_at, updated_at, annual_budget_wan, executed_wan, complete, department, region)
         VALUES (:kind, :fiscal_year, :unit_name, :unit_code, :unit_key, :unit_code_key,
             :project_name, :project_key, 1, :ruleset_id, :ruleset_version, :computed_total,
             :computed_total_cents, :computed_grade, :computed_grade_label, :declared_total,
             :declared_grade, :declared_grade_code, :findings_error, :findings_warning,
             :findings_info, :submitted_json, :document_json, :result_json, :now, :now,
             :annual_budget_wan, :executed_wan, :complete, :department, :region)",
    )?
    .execute(row.params().as_slice())
    .map_err(|e| identity_conflict(e, &row, tx, actor, None))?;
    Ok((tx.last_insert_rowid(), row))
}

/// What storing a new form writes once its row is taken: its finding codes, its first kept
/// version and its history entry. None of these refuses a form; a failure here is the
/// storage's, and leaves the form half-written until the caller rolls back.
fn record_creation(
    tx: &Connection,
    id: i64,
    submission: &Submission<'_>,
    row: &SummaryColumns<'_>,
    actor: &Principal,
) -> Result<(), StorageError> {
    // A new id has no findings yet to replace.
    add_findings(tx, id, submission.result)?;
    row.keep(tx, id, FIRST_VERSION)?;
    history::record(
        tx,
        &Change {
            evaluation_id: id,
            version: FIRST_VERSION,
            action: Action::Created,
            actor,
            changes: Vec::new(),
            at: &row.now,
            comment: None,
        },
    )
}

/// The version a new evaluation is stored at.
pub const FIRST_VERSION: i64 = 1;

/// Replaces an evaluation's document and result, raising its version by one.
///
/// # Errors
/// `NotFound`, `Denied`, `PreconditionRequired` or `VersionMismatch` when `expected` is unstated
/// or stale, `Locked` in review, `Conflict` when the new identity belongs to another evaluation.
pub fn replace(
    conn: &mut Connection,
    id: i64,
    expected: Expected,
    submission: &Submission<'_>,
    actor: &Principal,
) -> Result<StoredEvaluation, StorageError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current = read_current(&tx, id, actor, Operation::Edit)?;
    // A unit may not hand its form over to a unit it does not cover; refused as access is,
    // before anything is said about versions.
    actor.authorize_store(submission.document.unit.code.as_deref())?;
    let current = current.expect(expected)?.editable()?;
    let placement = super::units::check(&tx, &submission.document.unit)?;
    let row = SummaryColumns::of(submission, Encoded::of(submission)?, placement);
    row.check_name_identity(&tx, actor, Some(id))?;
    let mut params = row.params();
    params.push((":id", &id));
    tx.execute(
        "UPDATE evaluations SET kind = :kind, fiscal_year = :fiscal_year, unit_name = :unit_name,
             unit_code = :unit_code, unit_key = :unit_key, unit_code_key = :unit_code_key,
             project_name = :project_name,
             project_key = :project_key, version = version + 1, ruleset_id = :ruleset_id,
             ruleset_version = :ruleset_version, computed_total = :computed_total,
             computed_total_cents = :computed_total_cents, computed_grade = :computed_grade,
             computed_grade_label = :computed_grade_label, declared_total = :declared_total,
             declared_grade = :declared_grade, declared_grade_code = :declared_grade_code,
             findings_error = :findings_error, annual_budget_wan = :annual_budget_wan,
             executed_wan = :executed_wan, complete = :complete,
             findings_warning = :findings_warning, findings_info = :findings_info,
             submitted_json = :submitted_json, document_json = :document_json,
             result_json = :result_json, updated_at = :now, review_json = NULL,
             review_total = NULL, review_grade = NULL, review_grade_label = NULL,
             department = :department, region = :region
         WHERE id = :id",
        params.as_slice(),
    )
    .map_err(|e| identity_conflict(e, &row, &tx, actor, Some(id)))?;
    write_findings(&tx, id, submission.result)?;
    let stored = read(&tx, id)?.ok_or(StorageError::NotFound)?;
    row.keep(&tx, id, stored.version)?;
    let old: serde_json::Value = serde_json::from_str(&current.document_json)?;
    let new: serde_json::Value = serde_json::from_str(&row.encoded.document_json)?;
    history::record(
        &tx,
        &Change {
            evaluation_id: id,
            version: stored.version,
            action: Action::Replaced,
            actor,
            changes: diff(&old, &new),
            at: &row.now,
            comment: None,
        },
    )?;
    tx.commit()?;
    Ok(stored)
}

/// Deletes an evaluation.
///
/// # Errors
/// `NotFound`, `Denied`, `PreconditionRequired` or `VersionMismatch` when `expected` is unstated
/// or stale, or `Locked` in review.
pub fn delete(
    conn: &mut Connection,
    id: i64,
    expected: Expected,
    actor: &Principal,
) -> Result<(), StorageError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current = check_version(&tx, id, expected, actor, Operation::Edit)?.editable()?;
    tx.execute("DELETE FROM evaluations WHERE id = ?1", [id])?;
    history::record(
        &tx,
        &Change {
            evaluation_id: id,
            version: current.version,
            action: Action::Deleted,
            actor,
            changes: Vec::new(),
            at: &now(),
            comment: None,
        },
    )?;
    tx.commit()?;
    Ok(())
}

/// The query of [`read`]; a literal, so that the statement is prepared once per connection.
/// Its `overdue` is `storage::deadlines::OVERDUE`, which a test holds it to.
const READ: &str = "SELECT id, version, created_at, updated_at, document_json, result_json, status,
         reopened_from, review_json, (e.status IN ('draft', 'returned') AND EXISTS (
        SELECT 1 FROM deadlines d
        WHERE d.fiscal_year = e.fiscal_year AND d.kind = e.kind
          AND d.due_on < date('now', '+8 hours'))) AS overdue
     FROM evaluations e WHERE id = ?1";

/// Reads one evaluation.
///
/// # Errors
/// When SQLite fails or a stored column cannot be read back.
pub fn read(conn: &Connection, id: i64) -> Result<Option<StoredEvaluation>, StorageError> {
    let row = conn
        .prepare_cached(READ)?
        .query_row([id], |row| {
            Ok(StoredRow {
                id: row.get("id")?,
                version: row.get("version")?,
                created_at: row.get("created_at")?,
                updated_at: row.get("updated_at")?,
                document: row.get("document_json")?,
                result: row.get("result_json")?,
                status: row.get("status")?,
                reopened_from: row.get("reopened_from")?,
                review: row.get("review_json")?,
                overdue: row.get("overdue")?,
            })
        })
        .optional()?;
    row.map(StoredRow::into_evaluation).transpose()
}

/// Reads one evaluation for a caller about to do `operation` on it.
///
/// # Errors
/// `NotFound` when it does not exist or the caller may not know it does, `Denied` when the
/// caller may read it but not do `operation`.
pub fn read_for(
    conn: &Connection,
    id: i64,
    principal: &Principal,
    operation: Operation,
) -> Result<StoredEvaluation, StorageError> {
    // Access is decided from the indexed columns before the document is read, so that a
    // refusal costs the same whatever the refused form holds.
    let owner = owner(conn, id)?.ok_or_else(|| missing(principal))?;
    principal.authorize(operation, &owner.facts())?;
    read(conn, id)?.ok_or(StorageError::NotFound)
}

/// What a read needs to know of a stored form before serving a copy kept in memory: which
/// version it is, whose it is, and what its `overdue` depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    /// The stored version.
    pub version: i64,
    /// When it was first stored; with the id and version, it names one stored document.
    pub created_at: String,
    /// Its `unit.code`, as the access rules read it.
    pub unit_code: Option<String>,
    /// Where it stands in review.
    pub status: Status,
    /// The submission deadline of its year and kind, if one is set (`YYYY-MM-DD`).
    pub due_on: Option<String>,
}

impl Head {
    /// What the access rules need to know about it.
    #[must_use]
    pub fn facts(&self) -> FormFacts<'_> {
        FormFacts {
            unit_code: self.unit_code.as_deref(),
            published: self.status == Status::Approved,
        }
    }

    /// Whether it is overdue on `today` (`YYYY-MM-DD`, China Standard Time): as
    /// `storage::deadlines::OVERDUE` says in SQL.
    #[must_use]
    pub fn overdue_on(&self, today: &str) -> bool {
        self.status.awaits_submission() && self.due_on.as_deref().is_some_and(|due| due < today)
    }
}

/// The head of a stored evaluation, without its document; `None` when no such form is stored.
///
/// # Errors
/// When SQLite fails or the stored status is unknown.
pub fn head(conn: &Connection, id: i64) -> Result<Option<Head>, StorageError> {
    let row = conn
        .prepare_cached(
            "SELECT version, created_at, unit_code, status,
                 (SELECT d.due_on FROM deadlines d
                  WHERE d.fiscal_year = e.fiscal_year AND d.kind = e.kind) AS due_on
             FROM evaluations e WHERE id = ?1",
        )?
        .query_row([id], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, Option<String>>(4)?,
            ))
        })
        .optional()?;
    row.map(|(version, created_at, unit_code, status, due_on)| {
        Ok(Head {
            version,
            created_at,
            unit_code,
            status: serde_json::from_value(serde_json::Value::String(status))?,
            due_on,
        })
    })
    .transpose()
}

impl StoredEvaluation {
    /// What the access rules need to know about it.
    #[must_use]
    pub fn facts(&self) -> FormFacts<'_> {
        FormFacts {
            unit_code: self.document.unit.code.as_deref(),
            published: self.status == Status::Approved,
        }
    }
}

/// An evaluation row as SQLite returns it, before its JSON columns are read.
struct StoredRow {
    id: i64,
    version: i64,
    created_at: String,
    updated_at: String,
    document: String,
    result: String,
    status: String,
    reopened_from: Option<i64>,
    review: Option<String>,
    overdue: bool,
}

impl StoredRow {
    fn into_evaluation(self) -> Result<StoredEvaluation, StorageError> {
        let document: EvaluationDocument = serde_json::from_str(&self.document)?;
        let result: ScoreResult = serde_json::from_str(&self.result)?;
        Ok(StoredEvaluation {
            id: self.id,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
            status: serde_json::from_value(serde_json::Value::String(self.status))?,
            reopened_from: self.reopened_from,
            overdue: self.overdue,
            review: self
                .review
                .as_deref()
                .map(serde_json::from_str)
                .transpose()?,
            completeness: completeness(&document, Some(&result)),
            document,
            result,
        })
    }
}

/// How many evaluations are stored.
///
/// # Errors
/// When SQLite fails.
pub fn count(conn: &Connection) -> Result<i64, StorageError> {
    Ok(conn.query_row("SELECT count(*) FROM evaluations", [], |row| row.get(0))?)
}

/// The stored version and document, about to be changed.
pub(super) struct Current {
    pub(super) version: i64,
    pub(super) document_json: String,
    pub(super) status: Status,
}

impl Current {
    /// Refuses a change that does not name this version (or accept any).
    fn expect(self, expected: Expected) -> Result<Self, StorageError> {
        expected.check(self.version)?;
        Ok(self)
    }

    /// Refuses a change to a form that is in review or approved.
    fn editable(self) -> Result<Self, StorageError> {
        if self.status.is_editable() {
            Ok(self)
        } else {
            Err(StorageError::Locked {
                status: self.status,
            })
        }
    }
}

/// Reads the row about to change, checking first that the caller may do `operation` on it and
/// then that it is the version the caller expects, so that neither a version, nor a state, nor
/// a missing `If-Match` tells a caller anything about a form it may not see.
pub(super) fn check_version(
    tx: &Transaction<'_>,
    id: i64,
    expected: Expected,
    principal: &Principal,
    operation: Operation,
) -> Result<Current, StorageError> {
    read_current(tx, id, principal, operation)?.expect(expected)
}

/// Reads the row about to change once the caller may do `operation` on it.
fn read_current(
    tx: &Transaction<'_>,
    id: i64,
    principal: &Principal,
    operation: Operation,
) -> Result<Current, StorageError> {
    let owner = owner(tx, id)?.ok_or_else(|| missing(principal))?;
    principal.authorize(operation, &owner.facts())?;
    // Only a caller who may act on the form gets this far, so only it waits for the document.
    let (version, document_json, status) = tx
        .query_row(
            "SELECT version, document_json, status FROM evaluations WHERE id = ?1",
            [id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get::<_, String>(2)?)),
        )
        .optional()?
        .ok_or(StorageError::NotFound)?;
    let current = Current {
        version,
        document_json,
        status: serde_json::from_value(serde_json::Value::String(status))?,
    };
    Ok(current)
}

fn identity_conflict(
    error: rusqlite::Error,
    row: &SummaryColumns<'_>,
    tx: &Connection,
    actor: &Principal,
    replacing: Option<i64>,
) -> StorageError {
    if is_unique_violation(&error) {
        row.taken(tx, actor, replacing)
    } else {
        error.into()
    }
}

fn identity_text(document: &EvaluationDocument) -> crate::domain::messages::Detail {
    crate::domain::messages::Detail::Duplicate {
        unit: document.unit.name.clone(),
        code: document.unit.code.clone(),
        kind: document.kind,
        year: document.fiscal_year,
        project: document.project.as_ref().map(|p| p.name.clone()),
    }
}

pub(super) fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The columns derived from a submission, ready to bind.
struct SummaryColumns<'a> {
    submission: &'a Submission<'a>,
    kind: &'static str,
    unit_key: String,
    unit_code_key: Option<String>,
    project_name: Option<String>,
    project_key: String,
    total: String,
    total_cents: i64,
    grade_code: &'static str,
    declared_grade_code: Option<&'static str>,
    annual_budget_wan: Option<String>,
    executed_wan: Option<String>,
    counts: FindingCounts,
    declared_total: Option<String>,
    encoded: Encoded,
    /// The time of this write, for `created_at` and `updated_at`.
    now: String,
    /// Where the registry places the form's unit.
    placement: Placement,
}

impl<'a> SummaryColumns<'a> {
    fn of(submission: &'a Submission<'a>, encoded: Encoded, placement: Placement) -> Self {
        let document = submission.document;
        let result = submission.result;
        let project_name = document.project.as_ref().map(|p| p.name.clone());
        let (annual_budget_wan, executed_wan) = super::migrations::funds_wan(document);
        Self {
            annual_budget_wan,
            executed_wan,
            submission,
            kind: document.kind.as_str(),
            unit_key: normalize(&document.unit.name),
            unit_code_key: document
                .unit
                .code
                .as_deref()
                .map(normalize)
                .filter(|code| !code.is_empty()),
            project_key: project_name.as_deref().map(normalize).unwrap_or_default(),
            project_name,
            total: result.total.to_string(),
            total_cents: hundredths(result.total.get()),
            grade_code: result.grade.code.as_str(),
            declared_grade_code: result.declared.grade_code.map(GradeCode::as_str),
            counts: FindingCounts::of(&result.findings),
            declared_total: document.declared_total.map(|d| d.to_string()),
            encoded,
            now: now(),
            placement,
        }
    }

    fn params(&self) -> Vec<(&str, &dyn ToSql)> {
        let document = self.submission.document;
        let result = self.submission.result;
        vec![
            (":kind", &self.kind),
            (":fiscal_year", &document.fiscal_year),
            (":unit_name", &document.unit.name),
            (":unit_code", &document.unit.code),
            (":unit_key", &self.unit_key),
            (":unit_code_key", &self.unit_code_key),
            (":project_name", &self.project_name),
            (":project_key", &self.project_key),
            (":ruleset_id", &result.ruleset.id),
            (":ruleset_version", &result.ruleset.version),
            (":computed_total", &self.total),
            (":computed_total_cents", &self.total_cents),
            (":computed_grade", &self.grade_code),
            (":computed_grade_label", &result.grade.label),
            (":declared_total", &self.declared_total),
            (":declared_grade", &document.declared_grade),
            (":declared_grade_code", &self.declared_grade_code),
            (":annual_budget_wan", &self.annual_budget_wan),
            (":executed_wan", &self.executed_wan),
            (":complete", &self.encoded.complete),
            (":findings_error", &self.counts.error),
            (":findings_warning", &self.counts.warning),
            (":findings_info", &self.counts.info),
            (":submitted_json", &self.submission.submitted_json),
            (":document_json", &self.encoded.document_json),
            (":result_json", &self.encoded.result_json),
            (":now", &self.now),
            (":department", &self.placement.department),
            (":region", &self.placement.region),
        ]
    }
}

impl SummaryColumns<'_> {
    /// Refuses a form without a budget code whose unit name (and project) another form of the
    /// same kind and year already carries. Forms with a code are told apart by their code
    /// alone, in the unique index.
    fn check_name_identity(
        &self,
        tx: &Connection,
        actor: &Principal,
        replacing: Option<i64>,
    ) -> Result<(), StorageError> {
        if self.unit_code_key.is_some() {
            return Ok(());
        }
        let taken: bool = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM evaluations
                 WHERE kind = ?1 AND fiscal_year = ?2 AND unit_key = ?3 AND project_key = ?4
                     AND id IS NOT ?5)",
            )?
            .query_row(
                rusqlite::params![
                    self.kind,
                    self.submission.document.fiscal_year,
                    self.unit_key,
                    self.project_key,
                    replacing
                ],
                |row| row.get(0),
            )?;
        if taken {
            return Err(self.taken(tx, actor, replacing));
        }
        Ok(())
    }

    /// The conflict of a form whose identity another form holds, naming that form only to a
    /// caller who may read it: a unit never learns of another unit's hidden draft.
    fn taken(&self, tx: &Connection, actor: &Principal, replacing: Option<i64>) -> StorageError {
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM evaluations
                 WHERE kind = ?1 AND fiscal_year = ?2 AND project_key = ?3 AND id IS NOT ?4
                     AND (unit_key = ?5 OR (?6 IS NOT NULL AND unit_code_key = ?6))
                 ORDER BY (unit_code_key IS ?6) DESC, id LIMIT 1",
                rusqlite::params![
                    self.kind,
                    self.submission.document.fiscal_year,
                    self.project_key,
                    replacing,
                    self.unit_key,
                    self.unit_code_key,
                ],
                |row| row.get(0),
            )
            .optional()
            .ok()
            .flatten();
        let readable = existing.filter(|&id| {
            owner(tx, id)
                .ok()
                .flatten()
                .is_some_and(|owner| actor.authorize(Operation::Read, &owner.facts()).is_ok())
        });
        StorageError::Duplicate {
            detail: identity_text(self.submission.document),
            existing_id: readable,
        }
    }

    /// Keeps this write as a stored version.
    fn keep(&self, tx: &Connection, id: i64, version: i64) -> Result<(), StorageError> {
        history::keep_version(
            tx,
            id,
            version,
            self.submission,
            &self.encoded.content_hash,
            &self.now,
        )
    }
}

/// Records the finding codes of `result` as the form's, replacing those it had.
pub(super) fn write_findings(
    tx: &Connection,
    id: i64,
    result: &ScoreResult,
) -> Result<(), StorageError> {
    tx.prepare_cached("DELETE FROM evaluation_findings WHERE evaluation_id = ?1")?
        .execute([id])?;
    add_findings(tx, id, result)
}

/// Records the finding codes of `result` as the form's, beside those it has.
fn add_findings(tx: &Connection, id: i64, result: &ScoreResult) -> Result<(), StorageError> {
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO evaluation_findings (evaluation_id, code) VALUES (?1, ?2)",
    )?;
    for finding in &result.findings {
        insert.execute(rusqlite::params![id, finding.code.as_str()])?;
    }
    Ok(())
}

/// A total in hundredths (93.55 → 9355), for exact ordering in SQL.
pub(super) fn hundredths(total: Decimal) -> i64 {
    (total * Decimal::ONE_HUNDRED)
        .trunc()
        .to_i64()
        .unwrap_or(i64::MAX)
}

/// Stores many new evaluations inside the caller's transaction; a form that is refused (a
/// duplicate, a unit the caller may not store for) is left out alone. Answers each one's id or
/// refusal, in order.
///
/// A form is refused only by its checks and its first write, which leave nothing behind when
/// they fail, so no form needs a savepoint of its own: a savepoint would copy every page the
/// form changes that an earlier form of the transaction had changed, most of a bulk load's
/// work.
///
/// # Errors
/// When a form fails after it was taken, or a refusal ended the caller's transaction (SQLite
/// rolls back the whole transaction on a full disk or an I/O error): what the transaction
/// holds can then not be committed, and the caller must roll it back.
pub fn insert_each<'a>(
    conn: &Connection,
    submissions: impl IntoIterator<Item = (Submission<'a>, Encoded)>,
    actor: &Principal,
) -> Result<Vec<Result<i64, StorageError>>, StorageError> {
    let submissions = submissions.into_iter();
    let mut outcomes = Vec::with_capacity(submissions.size_hint().0);
    for (submission, encoded) in submissions {
        match insert_form_row(conn, &submission, encoded, actor) {
            Ok((id, row)) => {
                record_creation(conn, id, &submission, &row, actor)?;
                outcomes.push(Ok(id));
            }
            Err(refused) if conn.is_autocommit() => return Err(refused),
            Err(refused) => outcomes.push(Err(refused)),
        }
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::deadlines::OVERDUE;

    #[test]
    fn the_read_query_says_overdue_as_the_lists_do() {
        assert!(READ.contains(OVERDUE), "{READ}");
    }

    #[test]
    fn a_form_refused_among_many_leaves_nothing_and_the_others_stand() {
        use crate::domain::rulesets::Rulesets;
        use crate::domain::validation::evaluate;
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::migrations::migrations()
            .to_latest(&mut conn)
            .unwrap();
        conn.execute(
            "INSERT INTO units (code, code_key, name, name_key, department, region, updated_at)
             VALUES ('A01', ?1, '甲单位', ?2, 'D01', '430400', 'now')",
            [normalize("A01"), normalize("甲单位")],
        )
        .unwrap();
        let rulesets = Rulesets::built_in("national-2020").unwrap();
        let seed: EvaluationDocument = serde_json::from_str(include_str!(
            "../../data/examples/hengyang-2020-department.json"
        ))
        .unwrap();
        let form = |name: &str, code: &str| {
            let mut document = seed.clone();
            document.unit.name = name.into();
            document.unit.code = Some(code.into());
            let result = evaluate(&document, &rulesets).unwrap();
            (document, result)
        };
        // The third takes the second's code under another name: the insert itself refuses it
        // (the unique index), not a check before it.
        let forms = [
            form("甲单位", "A01"),
            form("乙单位", "B01"),
            form("丁单位", "B01"),
            form("丙单位", "C01"),
        ];
        let tx = conn.transaction().unwrap();
        let submissions = forms.iter().map(|(document, result)| {
            let submission = Submission {
                submitted_json: "{}",
                document,
                result,
            };
            let encoded = Encoded::of(&submission).unwrap();
            (submission, encoded)
        });
        let outcomes = insert_each(&tx, submissions, &Principal::system()).unwrap();
        assert!(!tx.is_autocommit(), "the refusal kept the transaction");
        tx.commit().unwrap();

        assert!(
            matches!(outcomes[2], Err(StorageError::Duplicate { .. })),
            "{outcomes:?}"
        );
        let stored: Vec<i64> = outcomes
            .iter()
            .filter_map(|o| o.as_ref().ok().copied())
            .collect();
        assert_eq!(stored.len(), 3, "{outcomes:?}");
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).unwrap() };
        assert_eq!(count("SELECT count(*) FROM evaluations"), 3);
        assert_eq!(count("SELECT count(*) FROM evaluation_versions"), 3);
        assert_eq!(count("SELECT count(*) FROM evaluation_history"), 3);
        assert_eq!(
            count("SELECT count(DISTINCT evaluation_id) FROM evaluation_findings"),
            3
        );
        assert_eq!(
            count("SELECT n FROM stats_generation"),
            3,
            "one step per stored form"
        );
        // The registered unit's form is placed where the registry places it.
        let placed: (Option<String>, Option<String>) = conn
            .query_row(
                "SELECT department, region FROM evaluations WHERE id = ?1",
                [stored[0]],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        assert_eq!(placed, (Some("D01".into()), Some("430400".into())));
    }
}

//! Review samples (抽查复核): drawing one from the eligible forms and keeping it, append-only,
//! and reading samples back with the review progress of their forms.

use rusqlite::{Connection, OptionalExtension as _, Row, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::StorageError;
use super::evaluations::now;
use crate::domain::access::{Caller, Principal, Role};
use crate::domain::decimal::Dec;
use crate::domain::document::FormKind;
use crate::domain::lifecycle::Status;
use crate::domain::messages::Detail;
use crate::domain::sampling::{self, SampleSize, StratifyBy, Stratum};

/// What a draw asks for, read and checked.
#[derive(Clone, Debug)]
pub struct Draw {
    /// The year of the forms.
    pub fiscal_year: i32,
    /// Only forms of this kind; `None`: both.
    pub kind: Option<FormKind>,
    /// How many to draw.
    pub size: SampleSize,
    /// What to stratify by; `None`: one stratum.
    pub stratify_by: Option<StratifyBy>,
    /// The seed of the generator.
    pub seed: u64,
    /// Whether forms already in a sample of the year may be drawn again.
    pub include_sampled: bool,
}

/// What was asked for, as kept with the sample.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SampleParameters {
    /// The number of forms asked for, when given as a number.
    #[serde(default)]
    pub size: Option<u32>,
    /// The percentage of the eligible forms asked for (rounded up), when given as a rate.
    #[serde(default)]
    pub rate: Option<Dec>,
    /// What the sample is stratified by; `null`: not stratified.
    #[serde(default)]
    pub stratify_by: Option<StratifyBy>,
    /// Whether forms already in an earlier sample of the year could be drawn again.
    pub include_sampled: bool,
}

/// Who drew a sample.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DrawnBy {
    /// The role of the token.
    pub role: Role,
    /// The token's id; `null` when the service itself drew it.
    #[serde(default)]
    pub token_id: Option<i64>,
}

/// One stratum of a sample.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SampleStratum {
    /// The value its forms share (a grade code or a department); `null` for an unstratified
    /// sample, or for forms that have no such value.
    #[serde(default)]
    pub key: Option<String>,
    /// How many forms in it were eligible.
    pub eligible: u32,
    /// How many were drawn.
    pub drawn: u32,
}

/// How far the review of a sample's forms has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SampleProgress {
    /// Forms with review scores recorded.
    pub reviewed: u32,
    /// Forms in the sample.
    pub total: u32,
}

/// A form of a sample, with where its review stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SampleItem {
    /// The evaluation's id.
    pub evaluation_id: i64,
    /// The stratum it was drawn from.
    #[serde(default)]
    pub stratum: Option<String>,
    /// The unit's name; `null` when the form has since been deleted.
    #[serde(default)]
    pub unit_name: Option<String>,
    /// The project's name, on project forms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_name: Option<String>,
    /// Where it stands in review now; `null` when the form has since been deleted.
    #[serde(default)]
    pub status: Option<Status>,
    /// Whether review scores are recorded for it.
    pub reviewed: bool,
    /// The self-evaluation's rule total.
    #[serde(default)]
    pub rule_total: Option<Dec>,
    /// The review total, once reviewed.
    #[serde(default)]
    pub review_total: Option<Dec>,
    /// The review total minus the rule total, once reviewed.
    #[serde(default)]
    pub difference: Option<Dec>,
}

/// A stored review sample with the progress of its review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReviewSample {
    /// Identifier.
    pub id: i64,
    /// The year of the forms.
    pub fiscal_year: i32,
    /// The kind of forms drawn; `null`: both kinds.
    #[serde(default)]
    pub kind: Option<FormKind>,
    /// What was asked for.
    pub parameters: SampleParameters,
    /// The seed the sample was drawn with: the same seed over the same eligible forms draws
    /// the same sample.
    #[schema(maximum = 9_007_199_254_740_991_u64)]
    pub seed: u64,
    /// Who drew it.
    pub drawn_by: DrawnBy,
    /// When (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub drawn_at: String,
    /// How many forms were eligible: submitted or approved, of the year and kind, and — unless
    /// `include_sampled` — in no earlier sample of the year.
    pub eligible: u32,
    /// Each stratum, by key.
    pub strata: Vec<SampleStratum>,
    /// Reviewed forms and all forms.
    pub progress: SampleProgress,
    /// The forms drawn, by id.
    pub items: Vec<SampleItem>,
}

/// Draws a sample as `draw` asks and stores it, in one transaction so that two draws at once
/// never both take the same unsampled forms.
///
/// # Errors
/// `Conflict` when no form is eligible; SQLite errors. Stratified by department, forms of units
/// registered without one (or not registered) form a stratum of their own.
pub fn draw(
    conn: &mut Connection,
    draw: &Draw,
    actor: &Principal,
) -> Result<ReviewSample, StorageError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let strata = eligible(&tx, draw)?;
    let eligible: usize = strata.iter().map(|s| s.ids.len()).sum();
    if eligible == 0 {
        // An empty sample would be kept for ever and tell nobody anything.
        return Err(StorageError::Conflict(Detail::NothingToSample {
            year: draw.fiscal_year,
            include_sampled: draw.include_sampled,
        }));
    }
    let drawn = sampling::draw(&strata, draw.size.of(eligible), draw.seed);
    let kept: Vec<SampleStratum> = drawn
        .iter()
        .map(|d| SampleStratum {
            key: d.key.clone(),
            eligible: count(d.eligible),
            drawn: count(d.ids.len()),
        })
        .collect();
    let (size, rate) = match draw.size {
        SampleSize::Count(n) => (Some(n), None),
        SampleSize::Percent(rate) => (None, Some(rate.to_string())),
    };
    let (role, token) = match &actor.caller {
        Caller::Token { id, role, .. } => (*role, Some(*id)),
        // Only the service itself draws without a token, with an admin's powers.
        Caller::System | Caller::Anonymous => (Role::Admin, None),
    };
    // The seed is at most 2^53 − 1, so it fits SQLite's signed integer.
    let seed = i64::try_from(draw.seed).unwrap_or(i64::MAX);
    tx.execute(
        "INSERT INTO review_samples (fiscal_year, kind, size, rate, stratify_by,
             include_sampled, seed, eligible, strata_json, drawn_by_role, drawn_by_token,
             drawn_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            draw.fiscal_year,
            draw.kind.map(FormKind::as_str),
            size,
            rate,
            draw.stratify_by.map(StratifyBy::as_str),
            draw.include_sampled,
            seed,
            count(eligible),
            serde_json::to_string(&kept)?,
            role.as_str(),
            token,
            now(),
        ],
    )?;
    let id = tx.last_insert_rowid();
    let mut insert = tx.prepare(
        "INSERT INTO review_sample_items (sample_id, evaluation_id, stratum) VALUES (?1, ?2, ?3)",
    )?;
    for stratum in &drawn {
        for evaluation in &stratum.ids {
            insert.execute(params![id, evaluation, stratum.key])?;
        }
    }
    drop(insert);
    let sample = read(&tx, id)?.ok_or(StorageError::NotFound)?;
    tx.commit()?;
    Ok(sample)
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The eligible forms by stratum.
fn eligible(conn: &Connection, draw: &Draw) -> Result<Vec<Stratum>, StorageError> {
    let stratum = match draw.stratify_by {
        None => "NULL",
        Some(StratifyBy::Grade) => "e.shown_grade",
        Some(StratifyBy::Department) => "e.department",
    };
    let sql = format!(
        "SELECT e.id, {stratum} FROM evaluations e
         WHERE e.fiscal_year = ?1 AND e.status IN ('submitted', 'approved')
           AND (?2 IS NULL OR e.kind = ?2)
           AND (?3 OR e.id NOT IN (
               SELECT i.evaluation_id FROM review_sample_items i
               JOIN review_samples s ON s.id = i.sample_id WHERE s.fiscal_year = ?1))"
    );
    let mut strata: Vec<Stratum> = Vec::new();
    let mut statement = conn.prepare(&sql)?;
    let mut rows = statement.query(params![
        draw.fiscal_year,
        draw.kind.map(FormKind::as_str),
        draw.include_sampled
    ])?;
    while let Some(row) = rows.next()? {
        let (id, key): (i64, Option<String>) = (row.get(0)?, row.get(1)?);
        match strata.iter_mut().find(|s| s.key == key) {
            Some(stratum) => stratum.ids.push(id),
            None => strata.push(Stratum { key, ids: vec![id] }),
        }
    }
    Ok(strata)
}

/// A stored sample with the progress of its review; `None` when there is none with this id.
///
/// # Errors
/// SQLite errors, or a stored value that cannot be read back.
pub fn read(conn: &Connection, id: i64) -> Result<Option<ReviewSample>, StorageError> {
    let sample = conn
        .query_row(
            &format!("SELECT {SAMPLE_COLUMNS} FROM review_samples WHERE id = ?1"),
            [id],
            sample_row,
        )
        .optional()?;
    sample.map(|s| with_items(conn, s?)).transpose()
}

/// Every stored sample, of one year or of all, oldest first.
///
/// # Errors
/// SQLite errors, or a stored value that cannot be read back.
pub fn list(
    conn: &Connection,
    fiscal_year: Option<i32>,
) -> Result<Vec<ReviewSample>, StorageError> {
    let mut statement = conn.prepare(&format!(
        "SELECT {SAMPLE_COLUMNS} FROM review_samples
         WHERE ?1 IS NULL OR fiscal_year = ?1 ORDER BY id"
    ))?;
    let samples = statement
        .query_map([fiscal_year], sample_row)?
        .collect::<Result<Vec<_>, _>>()?;
    samples
        .into_iter()
        .map(|sample| with_items(conn, sample?))
        .collect()
}

const SAMPLE_COLUMNS: &str = "id, fiscal_year, kind, size, rate, stratify_by, include_sampled,
    seed, eligible, strata_json, drawn_by_role, drawn_by_token, drawn_at";

fn sample_row(row: &Row<'_>) -> rusqlite::Result<Result<ReviewSample, StorageError>> {
    let text = |value: Option<String>| value.map(serde_json::Value::String);
    let parse = || -> Result<ReviewSample, StorageError> {
        let rate: Option<String> = row.get("rate")?;
        Ok(ReviewSample {
            id: row.get("id")?,
            fiscal_year: row.get("fiscal_year")?,
            kind: text(row.get("kind")?)
                .map(serde_json::from_value)
                .transpose()?,
            parameters: SampleParameters {
                size: row.get("size")?,
                rate: rate
                    .map(|r| r.parse::<Dec>())
                    .transpose()
                    .map_err(|e| StorageError::Json(serde::de::Error::custom(e)))?,
                stratify_by: text(row.get("stratify_by")?)
                    .map(serde_json::from_value)
                    .transpose()?,
                include_sampled: row.get("include_sampled")?,
            },
            seed: u64::try_from(row.get::<_, i64>("seed")?).unwrap_or_default(),
            drawn_by: DrawnBy {
                role: serde_json::from_value(serde_json::Value::String(row.get("drawn_by_role")?))?,
                token_id: row.get("drawn_by_token")?,
            },
            drawn_at: row.get("drawn_at")?,
            eligible: row.get("eligible")?,
            strata: serde_json::from_str(&row.get::<_, String>("strata_json")?)?,
            progress: SampleProgress {
                reviewed: 0,
                total: 0,
            },
            items: Vec::new(),
        })
    };
    Ok(parse())
}

fn with_items(conn: &Connection, mut sample: ReviewSample) -> Result<ReviewSample, StorageError> {
    let mut statement = conn.prepare_cached(
        "SELECT i.evaluation_id, i.stratum, e.unit_name, e.project_name, e.status,
             e.computed_total, e.review_total
         FROM review_sample_items i LEFT JOIN evaluations e ON e.id = i.evaluation_id
         WHERE i.sample_id = ?1 ORDER BY i.evaluation_id",
    )?;
    let decimal = |text: Option<String>| -> Result<Option<Dec>, StorageError> {
        text.map(|t| t.parse::<Dec>())
            .transpose()
            .map_err(|e| StorageError::Json(serde::de::Error::custom(e)))
    };
    let mut rows = statement.query([sample.id])?;
    while let Some(row) = rows.next()? {
        let status: Option<String> = row.get(4)?;
        let rule_total = decimal(row.get(5)?)?;
        let review_total = decimal(row.get(6)?)?;
        let difference = rule_total
            .zip(review_total)
            .map(|(rule, review)| Dec(review.get() - rule.get()));
        sample.items.push(SampleItem {
            evaluation_id: row.get(0)?,
            stratum: row.get(1)?,
            unit_name: row.get(2)?,
            project_name: row.get(3)?,
            status: status
                .map(|s| serde_json::from_value(serde_json::Value::String(s)))
                .transpose()?,
            reviewed: review_total.is_some(),
            rule_total,
            review_total,
            difference,
        });
    }
    sample.progress = SampleProgress {
        reviewed: count(sample.items.iter().filter(|i| i.reviewed).count()),
        total: count(sample.items.len()),
    };
    Ok(sample)
}

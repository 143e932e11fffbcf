//! The baseline for `scripts/bench-writes`: a plain rusqlite program storing the same rows the
//! service stores for a form (the form's summary columns, the document as sent, as read and
//! its result) with the same pragmas (WAL, `synchronous = FULL`, foreign keys, a busy
//! timeout), either one transaction per row or all rows in one transaction. It writes only the
//! form's own row, not the history, version and findings rows the service adds, so it is the
//! cheaper of the two.
//!
//! `cargo run --release --example baseline_inserts -- DB ROWS [per-row|one-transaction]`
//! prints `rows/s: N`.

use std::time::Instant;

use rusqlite::{Connection, params};
use serde_json::Value;

const SEED: &str = include_str!("../data/examples/hengyang-2020-department.json");

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS evaluations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL, fiscal_year INTEGER NOT NULL, unit_name TEXT NOT NULL,
    unit_code TEXT, unit_key TEXT NOT NULL, unit_code_key TEXT, project_name TEXT,
    project_key TEXT NOT NULL, version INTEGER NOT NULL, ruleset_id TEXT NOT NULL,
    ruleset_version INTEGER NOT NULL, computed_total TEXT NOT NULL,
    computed_total_cents INTEGER NOT NULL, computed_grade TEXT NOT NULL,
    computed_grade_label TEXT NOT NULL, declared_total TEXT, declared_grade TEXT,
    findings_error INTEGER NOT NULL, findings_warning INTEGER NOT NULL,
    findings_info INTEGER NOT NULL, submitted_json TEXT NOT NULL, document_json TEXT NOT NULL,
    result_json TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS by_name ON evaluations (kind, fiscal_year, unit_key, project_key);
CREATE UNIQUE INDEX IF NOT EXISTS by_code ON evaluations (kind, fiscal_year, unit_code_key, project_key)
    WHERE unit_code_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS by_year ON evaluations (fiscal_year, id);
";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: baseline_inserts DB ROWS [per-row|one-transaction]")?;
    let rows: u64 = args.next().ok_or("ROWS")?.parse()?;
    let one_transaction = args.next().as_deref() == Some("one-transaction");

    let mut conn = Connection::open(&path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.execute_batch(SCHEMA)?;

    let seed: Value = serde_json::from_str(SEED)?;
    // A result of the same size as the service's: the document's own text stands in for it.
    let result_json = serde_json::to_string(&seed)?;
    let documents: Vec<(String, String)> = (0..rows)
        .map(|i| {
            let mut form = seed.clone();
            let code = format!("7{i:09}");
            form["unit"] = serde_json::json!({ "name": format!("基准单位{i}"), "code": code });
            (code, form.to_string())
        })
        .collect();

    let started = Instant::now();
    if one_transaction {
        let tx = conn.transaction()?;
        for (i, (code, document)) in documents.iter().enumerate() {
            insert(&tx, i, code, document, &result_json)?;
        }
        tx.commit()?;
    } else {
        for (i, (code, document)) in documents.iter().enumerate() {
            let tx = conn.transaction()?;
            insert(&tx, i, code, document, &result_json)?;
            tx.commit()?;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    #[expect(clippy::cast_precision_loss, reason = "a rate")]
    let rate = rows as f64 / seconds;
    println!("rows/s: {rate:.0}");
    Ok(())
}

fn insert(
    conn: &Connection,
    i: usize,
    code: &str,
    document: &str,
    result_json: &str,
) -> rusqlite::Result<()> {
    let now = "2026-12-01T00:00:00.000Z";
    conn.prepare_cached(
        "INSERT INTO evaluations (kind, fiscal_year, unit_name, unit_code, unit_key,
             unit_code_key, project_name, project_key, version, ruleset_id, ruleset_version,
             computed_total, computed_total_cents, computed_grade, computed_grade_label,
             declared_total, declared_grade, findings_error, findings_warning, findings_info,
             submitted_json, document_json, result_json, created_at, updated_at)
         VALUES ('department', 2020, ?1, ?2, ?1, ?2, NULL, '', 1, 'national-2020', 1,
             '93.55', 9355, 'excellent', '优秀', '93.55', '优', 0, 1, 2, ?3, ?3, ?4, ?5, ?5)",
    )?
    .execute(params![
        format!("基准单位{i}"),
        code,
        document,
        result_json,
        now
    ])?;
    Ok(())
}

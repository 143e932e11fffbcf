//! `jixiao import forms.ndjson`: many forms, one a line, into the database offline, in
//! batched transactions, with a progress bar on a terminal and a summary at the end.

use std::fs::File;
use std::io::Read as _;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rusqlite::TransactionBehavior;

use crate::config::ImportArgs;
use crate::domain::access::Principal;
use crate::http::DEFAULT_BODY_LIMIT;
use crate::http::bulk::{Line, LineResult, Lines, Prepared, prepare, store_each};
use crate::startup::load_rulesets;
use crate::storage::Database;

/// How many lines are stored in one transaction.
const BATCH: usize = 1000;

/// The tally of an import.
#[derive(Debug, Default)]
struct Tally {
    stored: u64,
    refused: Vec<LineResult>,
}

/// Reads an NDJSON file and stores each line's form (only scores them with `--dry-run`);
/// prints a summary naming every refused line, and exits 1 when any line was refused.
#[must_use]
pub fn import(args: &ImportArgs) -> ExitCode {
    match import_lines(args) {
        Ok(tally) => {
            eprintln!("{}", summary(&tally, args.dry_run));
            if tally.refused.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(message) => {
            eprintln!("jixiao: {}: {message}", args.file.display());
            ExitCode::FAILURE
        }
    }
}

fn import_lines(args: &ImportArgs) -> Result<Tally, String> {
    let rulesets = load_rulesets(&args.rules).map_err(|e| e.to_string())?;
    let mut file = File::open(&args.file).map_err(|e| e.to_string())?;
    let size = file.metadata().map_err(|e| e.to_string())?.len();
    let db = Database::open(&args.db).map_err(|e| e.to_string())?;
    let mut conn = db.connection().map_err(|e| e.to_string())?;
    // Drawn only on a terminal: stderr redirected to a file or pipe gets the summary alone.
    let bar = ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg}")
            .map_err(|e| e.to_string())?,
    );
    let mut tally = Tally::default();
    let mut lines = Lines::new(DEFAULT_BODY_LIMIT);
    let mut pending: Vec<Line> = Vec::new();
    let mut buffer = vec![0; 256 * 1024];
    let mut store = |chunk: Vec<Line>, tally: &mut Tally| -> Result<(), String> {
        let (mut ready, refused) = prepare(chunk, &rulesets);
        tally.refused.extend(refused);
        if args.dry_run {
            tally.stored += ready.len() as u64;
            return Ok(());
        }
        let results = store_batch(&mut conn, &mut ready)?;
        for result in results {
            if result.is_stored() {
                tally.stored += 1;
            } else {
                tally.refused.push(result);
            }
        }
        Ok(())
    };
    loop {
        let read = file.read(&mut buffer).map_err(|e| e.to_string())?;
        if read == 0 {
            break;
        }
        lines.push(&buffer[..read], &mut pending);
        while pending.len() >= BATCH {
            let rest = pending.split_off(BATCH);
            store(std::mem::replace(&mut pending, rest), &mut tally)?;
            bar.set_message(progress(&tally));
        }
        bar.inc(read as u64);
    }
    lines.finish(&mut pending);
    store(pending, &mut tally)?;
    bar.finish_and_clear();
    tally.refused.sort_by_key(|r| r.line);
    Ok(tally)
}

fn store_batch(
    conn: &mut rusqlite::Connection,
    ready: &mut [Prepared],
) -> Result<Vec<LineResult>, String> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| e.to_string())?;
    let results = store_each(&tx, ready, &Principal::system()).map_err(|e| e.to_string())?;
    tx.commit().map_err(|e| e.to_string())?;
    Ok(results)
}

/// The progress bar's message.
fn progress(tally: &Tally) -> String {
    format!(
        "已保存 {} 份，拒收 {} 行",
        tally.stored,
        tally.refused.len()
    )
}

/// The summary printed at the end: how many forms were stored, and each refused line.
fn summary(tally: &Tally, dry_run: bool) -> String {
    let mut out = if dry_run {
        format!(
            "试导入（未保存）：可保存 {} 份，拒收 {} 行",
            tally.stored,
            tally.refused.len()
        )
    } else {
        format!(
            "已保存 {} 份，拒收 {} 行",
            tally.stored,
            tally.refused.len()
        )
    };
    for refused in &tally.refused {
        let Some(problem) = &refused.problem else {
            continue;
        };
        out.push_str(&format!("\n第 {} 行：{}", refused.line, problem.detail));
        for error in &problem.errors {
            out.push_str(&format!("\n    {}：{}", error.pointer, error.detail));
        }
    }
    out
}

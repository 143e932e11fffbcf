//! `jixiao export` and `jixiao import`: the paper form out of and into the database, offline,
//! as the service's own administrator (the `system` actor in the history).

use std::io::Write as _;
use std::process::ExitCode;

use crate::config::{ExportArgs, ExportFormat, ImportArgs};
use crate::domain::access::{Operation, Principal};
use crate::domain::form::build_form;
use crate::domain::validation::evaluate;
use crate::error::ApiError;
use crate::import::text::{TextLimits, read_text};
use crate::import::{Imported, Limits, read_workbook};
use crate::render;
use crate::startup::load_rulesets;
use crate::storage::Database;
use crate::storage::evaluations::{self as store, Submission};

/// Writes a stored form as XLSX, HTML or CSV to a file or standard output.
#[must_use]
pub fn export(args: &ExportArgs) -> ExitCode {
    finish(export_form(args).and_then(|bytes| {
        match &args.output {
            Some(path) => std::fs::write(path, &bytes)
                .map(|()| format!("wrote {}", path.display()))
                .map_err(|e| format!("{}: {e}", path.display())),
            None => std::io::stdout()
                .write_all(&bytes)
                .map(|()| String::new())
                .map_err(|e| e.to_string()),
        }
    }))
}

fn export_form(args: &ExportArgs) -> Result<Vec<u8>, String> {
    let rulesets = load_rulesets(&args.rules).map_err(|e| e.to_string())?;
    let db = Database::open(&args.db).map_err(|e| e.to_string())?;
    let conn = db.connection().map_err(|e| e.to_string())?;
    let stored = store::read_for(&conn, args.id, &Principal::system(), Operation::Read)
        .map_err(|e| ApiError::from(e).to_string())?;
    let ruleset = rulesets
        .get(&stored.result.ruleset.id)
        .or_else(|| rulesets.for_form(None))
        .ok_or("no default ruleset is loaded")?;
    let grid = build_form(&stored.document, ruleset);
    match args.format {
        ExportFormat::Xlsx => render::xlsx::form_workbook(&grid, &stored.document, &stored.result)
            .map_err(|e| e.to_string()),
        ExportFormat::Html => {
            let annotate = args.annotate.then_some((&stored.result, ruleset));
            Ok(render::html::form_page(&grid, annotate).into_bytes())
        }
        ExportFormat::Csv => Ok(render::csv::form_csv(&grid).into_bytes()),
    }
}

/// Reads a workbook, or the text of a published report (a `.txt` file, or any file that is not
/// a workbook), prints what was read (notes on standard error), and stores it unless
/// `--dry-run`; prints the new evaluation's id. A `.ndjson` (or `.jsonl`) file is read as
/// many forms, one a line.
#[must_use]
pub fn import(args: &ImportArgs) -> ExitCode {
    let ndjson = args
        .file
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("ndjson") || ext.eq_ignore_ascii_case("jsonl"));
    if ndjson {
        return super::bulk::import(args);
    }
    finish(import_file(args))
}

fn import_file(args: &ImportArgs) -> Result<String, String> {
    let bytes = std::fs::read(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    let rulesets = load_rulesets(&args.rules).map_err(|e| e.to_string())?;
    let imported = read_file(&args.file, &bytes, &rulesets)?;
    let result = evaluate(&imported.document, &rulesets).map_err(|errors| {
        errors
            .iter()
            .map(|e| {
                let cell = imported.cell_of(&e.pointer).unwrap_or("?");
                format!("{cell} ({}): {}", e.pointer, e.detail)
            })
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    for note in &imported.notes {
        if note.line.is_some() {
            eprintln!("{}", note.message);
        } else {
            eprintln!("{}!{}: {}", note.sheet, note.cell, note.message);
        }
    }
    if args.json {
        println!("{}", imported.json);
    }
    let summary = format!(
        "{} {} {}: total {} {}",
        imported.document.fiscal_year,
        imported.document.kind.as_str(),
        imported.document.unit.name,
        result.total,
        result.grade.label
    );
    if args.dry_run {
        return Ok(summary);
    }
    let db = Database::open(&args.db).map_err(|e| e.to_string())?;
    let mut conn = db.connection().map_err(|e| e.to_string())?;
    let submission = Submission {
        submitted_json: &imported.json,
        document: &imported.document,
        result: &result,
    };
    let stored = store::insert(&mut conn, &submission, &Principal::system())
        .map_err(|e| ApiError::from(e).to_string())?;
    Ok(format!("{summary}\nstored as evaluation {}", stored.id))
}

/// A workbook (a zip archive) or, otherwise, the text of a published report.
fn read_file(
    path: &std::path::Path,
    bytes: &[u8],
    rulesets: &crate::domain::rulesets::Rulesets,
) -> Result<Imported, String> {
    let is_text = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
        || !bytes.starts_with(b"PK");
    if !is_text {
        return read_workbook(bytes, &Limits::default()).map_err(|e| e.to_string());
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        format!("第 {line} 行不是 UTF-8 文本：请先转成 UTF-8")
    })?;
    read_text(text, &TextLimits::default(), rulesets).map_err(|e| e.to_string())
}

fn finish(outcome: Result<String, String>) -> ExitCode {
    match outcome {
        Ok(message) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("jixiao: {message}");
            ExitCode::FAILURE
        }
    }
}

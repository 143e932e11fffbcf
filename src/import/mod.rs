//! Reading a filled-in 自评表 workbook back into an evaluation document.
//!
//! The form is found by its printed headings, not by fixed cell positions, so the department
//! and project layouts are read alike, with or without separate 指标性质 / 度量单位 columns,
//! with weights written into level-1 labels (`产出指标(50分)`), with merged or repeated 一级 /
//! 二级 cells and blank rows, and with amounts in 元 or 万元. Every value read remembers its
//! cell, so a problem names the sheet and cell to fix. Pure: bytes in, document out.

mod guard;
mod layout;
mod sheet;

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Reader, Xlsx};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::document::EvaluationDocument;

pub use sheet::cell_ref;

/// How large a workbook may be; beyond these it is refused before or while it is read.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Parts in the zip container.
    pub max_parts: usize,
    /// Bytes all parts unpack to.
    pub max_unpacked_bytes: u64,
    /// Rows of a sheet.
    pub max_rows: u32,
    /// Columns of a sheet.
    pub max_cols: u32,
    /// Characters in one cell.
    pub max_cell_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_parts: 200,
            max_unpacked_bytes: 32 * 1024 * 1024,
            max_rows: 2_000,
            max_cols: 64,
            max_cell_chars: 10_000,
        }
    }
}

/// Something the reader decided that the user should know, at the cell it concerns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportNote {
    /// The sheet.
    pub sheet: String,
    /// The cell, as Excel names it (`B21`); empty for the sheet as a whole.
    pub cell: String,
    /// What was read and how.
    pub message: String,
}

/// Why a workbook could not be read, at the sheet and cell concerned where there is one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct ImportError {
    /// The sheet, if the problem is in one.
    pub sheet: Option<String>,
    /// The cell (`F12`), if the problem is in one.
    pub cell: Option<String>,
    /// What is wrong.
    pub detail: String,
}

impl ImportError {
    fn workbook(detail: impl Into<String>) -> Self {
        Self {
            sheet: None,
            cell: None,
            detail: detail.into(),
        }
    }

    fn in_sheet(sheet: &str, detail: impl Into<String>) -> Self {
        Self {
            sheet: Some(sheet.to_owned()),
            cell: None,
            detail: detail.into(),
        }
    }

    fn at(sheet: &str, row: u32, col: u32, detail: impl Into<String>) -> Self {
        Self {
            sheet: Some(sheet.to_owned()),
            cell: Some(cell_ref(row, col)),
            detail: detail.into(),
        }
    }

    fn describe(&self) -> String {
        match (&self.sheet, &self.cell) {
            (Some(sheet), Some(cell)) => format!("{sheet}!{cell}: {}", self.detail),
            (Some(sheet), None) => format!("sheet {sheet}: {}", self.detail),
            _ => self.detail.clone(),
        }
    }
}

/// A workbook read into a document.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The evaluation the workbook holds.
    pub document: EvaluationDocument,
    /// The document as JSON, as it would be posted.
    pub json: String,
    /// What the reader decided, cell by cell.
    pub notes: Vec<ImportNote>,
    /// The cell each value came from, by its JSON pointer in the document.
    pub cells: BTreeMap<String, String>,
}

impl Imported {
    /// The cell a document field came from (`自评表!F12`): the field's own, or the nearest
    /// enclosing one's.
    #[must_use]
    pub fn cell_of(&self, pointer: &str) -> Option<&str> {
        let mut pointer = pointer;
        loop {
            if let Some(cell) = self.cells.get(pointer) {
                return Some(cell);
            }
            pointer = pointer.rsplit_once('/')?.0;
        }
    }
}

/// Reads the 自评表 in a workbook: the sheet named 自评表, or else the first sheet that holds
/// the indicator table.
///
/// # Errors
/// `ImportError` naming the sheet and cell when the file is not a workbook, breaks a limit,
/// holds no form, or holds a value that cannot be read (a formula where a figure belongs).
pub fn read_workbook(bytes: &[u8], limits: &Limits) -> Result<Imported, ImportError> {
    guard::check_container(bytes, limits)?;
    let mut book: Xlsx<Cursor<&[u8]>> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| ImportError::workbook(format!("the workbook cannot be opened: {e}")))?;
    let names = book.sheet_names();
    let mut ordered: Vec<String> = names
        .iter()
        .filter(|n| n.as_str() == crate::render::xlsx::FORM_SHEET)
        .chain(
            names
                .iter()
                .filter(|n| n.as_str() != crate::render::xlsx::FORM_SHEET),
        )
        .take(limits.max_parts)
        .cloned()
        .collect();
    ordered.retain(|n| {
        n != crate::render::xlsx::EXTRA_SHEET && n != crate::render::xlsx::SCORES_SHEET
    });
    for name in &ordered {
        let sheet = sheet::Sheet::load(&mut book, name, limits)?;
        if layout::holds_form(&sheet) {
            let extra = if names.iter().any(|n| n == crate::render::xlsx::EXTRA_SHEET) {
                Some(sheet::Sheet::load(
                    &mut book,
                    crate::render::xlsx::EXTRA_SHEET,
                    limits,
                )?)
            } else {
                None
            };
            return layout::read(&sheet, extra.as_ref());
        }
    }
    Err(ImportError::workbook(format!(
        "no sheet holds a 自评表: none of {} has the indicator table headed 一级指标, 二级指标, \
         三级指标",
        names.join(", ")
    )))
}

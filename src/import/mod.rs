//! Reading a filled-in 自评表 workbook back into an evaluation document.
//!
//! The form is found by its printed headings, not by fixed cell positions, so the department
//! and project layouts are read alike, with or without separate 指标性质 / 度量单位 columns,
//! with weights written into level-1 labels (`产出指标(50分)`), with merged or repeated 一级 /
//! 二级 cells and blank rows, and with amounts in 元 or 万元. Every value read remembers its
//! cell, so a problem names the sheet and cell to fix. Pure: bytes in, document out.

mod cellref;
mod cells;
mod dates;
mod guard;
mod layout;
pub(crate) mod numbers;
mod package;
mod sheet;
mod strings;
mod styles;
#[cfg(test)]
mod tests;
pub mod text;
mod workbook;
mod worksheet;
mod xml;

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::document::EvaluationDocument;
use crate::render::xlsx::{BASIC_DATA_SHEET, EXTRA_SHEET, FORM_SHEET, REPORT_SHEET, SCORES_SHEET};
use package::Package;
use xml::XmlPart;

pub use cellref::cell_ref;

/// How large a workbook may be; beyond these it is refused before or while it is read, so
/// that reading any workbook takes bounded memory and time. The reader streams each part and
/// checks every bound as it goes, before it stores what it has read; each part is unpacked at
/// most once, and reading stops at the first sheet that breaks a bound.
///
/// With the defaults, one import holds at most about 56 MiB beyond the workbook's own bytes,
/// and reads at most 32 MiB of XML (well under a second of CPU): two sheets at a time (the
/// form and its 附加信息), each at most 128 000 stored cells of 64 bytes, 4 MiB of text and as
/// many covered cells of merges; 4 MiB of shared strings and 8 bytes for each of them; the
/// styles; and one XML node at a time. `scripts/hostile-workbooks.py` measures it: the
/// fullest workbook within these limits peaks at about 52 MiB resident, the process included.
///
/// Merged regions are bounded by the sheet's: those starting beyond `max_rows` × `max_cols`
/// are ignored, the rest cut at it, and together they may cover at most `max_rows` ×
/// `max_cols` cells (a real sheet's regions never overlap; overlapping ones are refused).
///
/// Bounds fixed by Excel's own rules rather than set here: a sheet name has at most 31
/// characters, a workbook at most 1 000 custom number formats (Excel allows about 250) of at
/// most 255 characters each, a relationship target at most 260 characters.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Parts in the zip container (200), counted from the archive's end record before its
    /// directory is read (ZIP64 archives are refused). Also the most sheets a workbook may
    /// list, since each sheet is a part of its own; two sheets in one part are refused.
    pub max_parts: usize,
    /// Bytes all parts together unpack to (32 MiB), checked first against the sizes the zip
    /// directory declares and then against the bytes actually inflated, which a crafted
    /// deflate stream can make larger.
    pub max_unpacked_bytes: u64,
    /// Rows of a sheet (2 000): a cell holding a value or formula below them is refused, naming
    /// the sheet's last used cell. Cells holding only a style are ignored wherever they are.
    pub max_rows: u32,
    /// Columns of a sheet (64, A to BL), as for rows. A sheet listing more cells within
    /// `max_rows` × `max_cols` than there are places is refused too (it lists some twice).
    pub max_cols: u32,
    /// Characters in one cell's text, and in one cell's formula (10 000).
    pub max_cell_chars: usize,
    /// Bytes of text and formulas one sheet holds in all (4 MiB), so that one long shared
    /// string referenced by a hundred thousand cells is refused rather than copied into each.
    pub max_sheet_text: usize,
    /// Strings in the shared-strings table (200 000).
    pub max_shared_strings: usize,
    /// Bytes of text in the shared-strings table (4 MiB); a string longer than a cell may
    /// hold keeps only its length.
    pub max_shared_text: usize,
    /// Cell styles the workbook defines (65 536; Excel allows about 64 000).
    pub max_styles: usize,
    /// Bytes of one XML node, a tag with its attributes or a run of text between tags
    /// (1 MiB): the XML reader holds one at a time.
    pub max_xml_node: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_parts: 200,
            max_unpacked_bytes: 32 * 1024 * 1024,
            max_rows: 2_000,
            max_cols: 64,
            max_cell_chars: 10_000,
            max_sheet_text: 4 * 1024 * 1024,
            max_shared_strings: 200_000,
            max_shared_text: 4 * 1024 * 1024,
            max_styles: 65_536,
            max_xml_node: 1024 * 1024,
        }
    }
}

/// Something the reader decided that the user should know, at the cell it concerns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportNote {
    /// The sheet; for text, the part of the report (`自评表`, `基础数据表`, `自评报告`).
    pub sheet: String,
    /// The cell, as Excel names it (`B21`); empty for the sheet as a whole and for text.
    pub cell: String,
    /// For text, the line (from 1) the note concerns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
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
    /// For text, the line (from 1) where reading stopped.
    pub line: Option<u32>,
    /// What is wrong.
    pub detail: String,
    /// For a form read from the workbook that is not valid, every problem, each naming the cell
    /// it was read from.
    pub problems: Vec<crate::domain::validation::FieldError>,
}

impl ImportError {
    fn workbook(detail: impl Into<String>) -> Self {
        Self {
            sheet: None,
            cell: None,
            line: None,
            detail: detail.into(),
            problems: Vec::new(),
        }
    }

    fn in_sheet(sheet: &str, detail: impl Into<String>) -> Self {
        Self {
            sheet: Some(sheet.to_owned()),
            cell: None,
            line: None,
            detail: detail.into(),
            problems: Vec::new(),
        }
    }

    fn at(sheet: &str, row: u32, col: u32, detail: impl Into<String>) -> Self {
        Self {
            sheet: Some(sheet.to_owned()),
            cell: Some(cell_ref(row, col)),
            line: None,
            detail: detail.into(),
            problems: Vec::new(),
        }
    }

    /// The same error, placed in `sheet` unless it is placed already.
    #[must_use]
    fn within(mut self, sheet: &str) -> Self {
        if self.sheet.is_none() {
            self.sheet = Some(sheet.to_owned());
        }
        self
    }

    fn describe(&self) -> String {
        if let Some(line) = self.line {
            return format!("第 {line} 行：{}", self.detail);
        }
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
    let mut package = Package::open(bytes, limits)?;
    let contents = workbook::read(&mut package, limits)?;
    let strings = match &contents.shared_strings {
        Some(part) => read_part(&mut package, part, limits, |xml| strings::read(xml, limits))?,
        None => None,
    }
    .unwrap_or_default();
    let styles = match &contents.styles {
        Some(part) => read_part(&mut package, part, limits, |xml| styles::read(xml, limits))?,
        None => None,
    }
    .unwrap_or_default();
    let context = cells::Context {
        strings: &strings,
        styles: &styles,
        date1904: contents.date1904,
        max_chars: limits.max_cell_chars,
    };
    let mut load = |entry: &workbook::SheetEntry| -> Result<Option<sheet::Sheet>, ImportError> {
        let Some(part) = &entry.part else {
            return Ok(None);
        };
        read_part(&mut package, part, limits, |xml| {
            worksheet::read(xml, &entry.name, &context, limits)
        })
    };
    let sheets = &contents.sheets;
    let candidates = sheets
        .iter()
        .filter(|s| s.name == FORM_SHEET)
        .chain(sheets.iter().filter(|s| s.name != FORM_SHEET))
        .filter(|s| {
            ![EXTRA_SHEET, SCORES_SHEET, BASIC_DATA_SHEET, REPORT_SHEET].contains(&s.name.as_str())
        });
    for entry in candidates {
        let Some(sheet) = load(entry)? else {
            continue;
        };
        if layout::holds_form(&sheet) {
            let mut named = |name: &str| match sheets.iter().find(|s| s.name == name) {
                Some(entry) => load(entry),
                None => Ok(None),
            };
            let extra = named(EXTRA_SHEET)?;
            let basic_data = named(BASIC_DATA_SHEET)?;
            let report = named(REPORT_SHEET)?;
            let companions = layout::Companions {
                extra: extra.as_ref(),
                basic_data: basic_data.as_ref(),
                report: report.as_ref(),
            };
            return layout::read(&sheet, companions);
        }
    }
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    Err(ImportError::workbook(format!(
        "no sheet holds a 自评表: none of {} has the indicator table headed 一级指标, 二级指标, \
         三级指标",
        names.join(", ")
    )))
}

/// Reads one part with `read`, `None` when the package lacks it.
fn read_part<T>(
    package: &mut Package<'_>,
    name: &str,
    limits: &Limits,
    read: impl FnOnce(&mut XmlPart<package::Part<'_, '_>>) -> Result<T, ImportError>,
) -> Result<Option<T>, ImportError> {
    let Some(part) = package.part(name)? else {
        return Ok(None);
    };
    let mut xml = XmlPart::new(part, name, limits.max_xml_node);
    read(&mut xml).map(Some)
}

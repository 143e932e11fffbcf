//! Streams one worksheet part in a single pass: the cells of `<sheetData>` and the regions of
//! `<mergeCells>`. Every limit is checked on each cell as it is read, before anything is stored:
//! its place, its text, the sheet's text so far, the merged area so far. Nothing the size of
//! the sheet's grid is ever allocated; only cells that hold something are kept.

use std::collections::HashMap;
use std::io::Read;

use quick_xml::events::{BytesStart, Event};

use super::cellref::{LAST_COL, LAST_ROW, parse_cell, parse_range, parse_row};
use super::cells::{self, Context, Kind, Written};
use super::sheet::{Cell, Region, Sheet};
use super::xml::{self, XmlPart, clip};
use super::{ImportError, Limits};

/// Reads the worksheet `name` from its part.
///
/// # Errors
/// When the part is malformed, or the sheet breaks a limit; the error names the cell.
pub fn read<R: Read>(
    xml: &mut XmlPart<R>,
    name: &str,
    context: &Context<'_>,
    limits: &Limits,
) -> Result<Sheet, ImportError> {
    let mut reader = Reader {
        name,
        context,
        limits,
        cells: Vec::new(),
        text_bytes: 0,
        rows: 0,
        cols: 0,
        beyond: false,
        row: None,
        next_col: 0,
        shared_formulas: HashMap::new(),
        merged: Vec::new(),
        merged_area: 0,
    };
    let in_sheet = |e: ImportError| e.within(name);
    loop {
        match xml.next().map_err(in_sheet)? {
            Event::Start(tag) | Event::Empty(tag) if xml::is(&tag, "row") => {
                reader.start_row(&tag)?;
            }
            Event::Start(tag) if xml::is(&tag, "c") => {
                let (at, kind, style) = reader.start_cell(&tag)?;
                let written = cells::read_written(xml, limits).map_err(in_sheet)?;
                reader.add(at, kind, style, &written)?;
            }
            // A cell with no content: a style alone, which only moves the column on.
            Event::Empty(tag) if xml::is(&tag, "c") => {
                reader.start_cell(&tag)?;
            }
            Event::Start(tag) | Event::Empty(tag) if xml::is(&tag, "mergeCell") => {
                reader.merge(&tag)?;
            }
            Event::Eof => return reader.finish(),
            _ => {}
        }
    }
}

struct Reader<'r, 'w> {
    name: &'r str,
    context: &'r Context<'w>,
    limits: &'r Limits,
    cells: Vec<((u32, u32), Cell)>,
    /// Bytes of text and formulas kept so far.
    text_bytes: usize,
    /// Rows and columns up to the last cell that holds something.
    rows: u32,
    cols: u32,
    /// Whether a cell holding something lies beyond the limits: from then on only the extent
    /// is followed, for the message, and nothing is kept.
    beyond: bool,
    /// The current `<row>`, 0-based.
    row: Option<u32>,
    /// Where a cell without `r` goes.
    next_col: u32,
    /// The formula of each shared-formula group, by `si`.
    shared_formulas: HashMap<u32, String>,
    merged: Vec<Region>,
    merged_area: u64,
}

impl Reader<'_, '_> {
    fn start_row(&mut self, tag: &BytesStart<'_>) -> Result<(), ImportError> {
        let row = match xml::attribute(tag, "r")? {
            Some(r) => parse_row(&r).ok_or_else(|| {
                ImportError::in_sheet(
                    self.name,
                    format!(
                        "a row numbered `{}`, not a row of a worksheet",
                        clip(&r, 20)
                    ),
                )
            })?,
            None => self
                .row
                .map_or(Some(0), |r| r.checked_add(1).filter(|r| *r <= LAST_ROW))
                .ok_or_else(|| {
                    ImportError::in_sheet(self.name, "more rows than a worksheet has")
                })?,
        };
        self.row = Some(row);
        self.next_col = 0;
        Ok(())
    }

    /// The cell's place (its `r`, or next to the cell before), type and style.
    fn start_cell(
        &mut self,
        tag: &BytesStart<'_>,
    ) -> Result<((u32, u32), Kind, usize), ImportError> {
        let at = match xml::attribute(tag, "r")? {
            Some(r) => parse_cell(&r).ok_or_else(|| {
                ImportError::in_sheet(
                    self.name,
                    format!(
                        "a cell reference `{}` that is not a cell of a worksheet (A1 to \
                         XFD1048576)",
                        clip(&r, 20)
                    ),
                )
            })?,
            None => (self.row.unwrap_or(0), self.next_col),
        };
        if at.1 > LAST_COL {
            return Err(ImportError::in_sheet(
                self.name,
                "more columns in a row than a worksheet has",
            ));
        }
        self.next_col = at.1 + 1;
        let kind = Kind::parse(xml::attribute(tag, "t")?.as_deref())
            .map_err(|detail| ImportError::at(self.name, at.0, at.1, detail))?;
        let style = xml::attribute(tag, "s")?
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Ok((at, kind, style))
    }

    fn add(
        &mut self,
        (row, col): (u32, u32),
        kind: Kind,
        style: usize,
        written: &Written,
    ) -> Result<(), ImportError> {
        // A cell with a style and nothing else is ignored wherever it is: real workbooks
        // format whole columns.
        if !written.holds_something(kind) {
            return Ok(());
        }
        self.rows = self.rows.max(row + 1);
        self.cols = self.cols.max(col + 1);
        if row >= self.limits.max_rows || col >= self.limits.max_cols {
            self.beyond = true;
        }
        if self.beyond {
            return Ok(());
        }
        let at = |detail: String| ImportError::at(self.name, row, col, detail);
        let (text, number) = cells::shown(written, kind, style, self.context).map_err(at)?;
        let formula = self.formula(written).map_err(at)?;
        self.text_bytes += text.len() + formula.as_ref().map_or(0, String::len);
        if self.text_bytes > self.limits.max_sheet_text {
            return Err(at(format!(
                "the sheet holds more than {} MiB of text; a form holds far less",
                self.limits.max_sheet_text / (1024 * 1024)
            )));
        }
        if !text.is_empty() || formula.is_some() {
            // Within the limits there are only so many places; more cells than that list
            // some place twice, as no real workbook does, and would only grow the list.
            let places = u64::from(self.limits.max_rows) * u64::from(self.limits.max_cols);
            if self.cells.len() as u64 >= places {
                return Err(at(format!(
                    "the sheet lists more than {places} cells within its first {} rows and \
                     {} columns, so some more than once",
                    self.limits.max_rows, self.limits.max_cols
                )));
            }
            self.cells.push((
                (row, col),
                Cell {
                    text: text.into(),
                    number,
                    formula: formula.map(String::into_boxed_str),
                },
            ));
        }
        Ok(())
    }

    /// The cell's formula with its `=`: its own text, or its shared group's.
    fn formula(&mut self, written: &Written) -> Result<Option<String>, String> {
        let Some(formula) = &written.formula else {
            return Ok(None);
        };
        if !formula.text.whole || formula.text.chars > self.limits.max_cell_chars {
            return Err(format!(
                "the cell's formula has {} characters; a form's cell holds at most {}",
                formula.text.chars, self.limits.max_cell_chars
            ));
        }
        let text = &formula.text.text;
        if !text.is_empty() {
            if let Some(group) = formula.shared {
                self.text_bytes += text.len();
                self.shared_formulas.insert(group, text.clone());
            }
            return Ok(Some(format!("={text}")));
        }
        // A cell sharing a formula shows its group's, as written in the group's first cell.
        Ok(formula.shared.map(|group| {
            let shared = self.shared_formulas.get(&group).map_or("", String::as_str);
            format!("={shared}")
        }))
    }

    fn merge(&mut self, tag: &BytesStart<'_>) -> Result<(), ImportError> {
        let reference = xml::attribute(tag, "ref")?.unwrap_or_default();
        let ((top, left), (bottom, right)) = parse_range(&reference).ok_or_else(|| {
            ImportError::in_sheet(
                self.name,
                format!(
                    "a merged region `{}` that is not a range of cells",
                    clip(&reference, 30)
                ),
            )
        })?;
        let (max_rows, max_cols) = (self.limits.max_rows, self.limits.max_cols);
        // A region starting beyond the limits holds no cell the reader keeps; one reaching
        // beyond them is kept up to them.
        if self.beyond || top >= max_rows || left >= max_cols {
            return Ok(());
        }
        let (bottom, right) = (bottom.min(max_rows - 1), right.min(max_cols - 1));
        let area = u64::from(bottom - top + 1) * u64::from(right - left + 1);
        self.merged_area += area;
        // Regions never overlap in a real sheet, so together they cover at most the sheet;
        // more means overlapping regions, each of whose cells would be stored.
        if self.merged_area > u64::from(max_rows) * u64::from(max_cols) {
            return Err(ImportError::at(
                self.name,
                top,
                left,
                format!(
                    "merged regions that together cover more than the {max_rows} × {max_cols} \
                     cells a form may have: they overlap"
                ),
            ));
        }
        self.merged.push(((top, left), (bottom, right)));
        Ok(())
    }

    fn finish(self) -> Result<Sheet, ImportError> {
        if self.beyond {
            return Err(ImportError::at(
                self.name,
                self.rows - 1,
                self.cols - 1,
                format!(
                    "the sheet has {} rows and {} columns; a form has at most {} rows and {} \
                     columns",
                    self.rows, self.cols, self.limits.max_rows, self.limits.max_cols
                ),
            ));
        }
        Ok(Sheet::new(
            self.name,
            self.cells,
            &self.merged,
            self.rows,
            self.cols,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::strings::SharedStrings;
    use crate::import::styles::Styles;

    fn sheet_of(body: &str) -> Result<Sheet, ImportError> {
        sheet_within(body, &Limits::default())
    }

    fn sheet_within(body: &str, limits: &Limits) -> Result<Sheet, ImportError> {
        let (strings, styles) = (SharedStrings::default(), Styles::default());
        let context = Context {
            strings: &strings,
            styles: &styles,
            date1904: false,
            max_chars: 10_000,
        };
        let text = format!(
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
             {body}</worksheet>"
        );
        let mut xml = XmlPart::new(text.as_bytes(), "xl/worksheets/sheet1.xml", 1 << 20);
        read(&mut xml, "自评表", &context, limits)
    }

    fn inline(at: &str, text: &str) -> String {
        format!("<c r=\"{at}\" t=\"inlineStr\"><is><t>{text}</t></is></c>")
    }

    #[test]
    fn cells_without_references_follow_the_one_before() {
        let sheet = sheet_of(
            "<sheetData><row><c t=\"inlineStr\"><is><t>a</t></is></c><c><v>2</v></c></row>\
             <row r=\"3\"><c r=\"C3\"><v>3</v></c><c><v>4</v></c></row><row><c><v>5</v></c></row>\
             </sheetData>",
        )
        .unwrap();
        assert_eq!(sheet.text(0, 0), "a");
        assert_eq!(sheet.text(0, 1), "2");
        assert_eq!(sheet.text(2, 2), "3");
        assert_eq!(sheet.text(2, 3), "4");
        assert_eq!(sheet.text(3, 0), "5");
        assert_eq!((sheet.rows, sheet.cols), (4, 4));
    }

    #[test]
    fn a_value_beyond_the_limits_is_refused_at_the_sheets_last_cell() {
        let error = sheet_of(&format!(
            "<sheetData><row r=\"1\">{}</row><row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c>\
             </row></sheetData>",
            inline("A1", "x")
        ))
        .unwrap_err();
        assert_eq!(error.cell.as_deref(), Some("XFD1048576"));
        assert!(
            error.detail.contains("1048576 rows and 16384 columns"),
            "{error}"
        );
        let error =
            sheet_of("<sheetData><row r=\"5\"><c r=\"BM5\"><f>1+1</f></c></row></sheetData>")
                .unwrap_err();
        assert_eq!(error.cell.as_deref(), Some("BM5"), "a formula is something");
    }

    #[test]
    fn styled_empty_cells_anywhere_are_ignored() {
        let sheet = sheet_of(&format!(
            "<sheetData><row r=\"1\">{}</row><row r=\"1048576\"><c r=\"XFD1048576\" s=\"3\"/>\
             <c r=\"XFA1048576\" s=\"3\"><v></v></c></row></sheetData>",
            inline("A1", "x")
        ))
        .unwrap();
        assert_eq!((sheet.rows, sheet.cols), (1, 1));
    }

    #[test]
    fn a_cell_listed_twice_counts_once_and_endless_repeats_are_refused() {
        let limits = Limits {
            max_rows: 2,
            max_cols: 2,
            ..Limits::default()
        };
        let twice = "<sheetData><row r=\"1\"><c r=\"B1\"><v>1</v></c><c r=\"A1\"><v>2</v></c>\
                     <c r=\"B1\"><v>3</v></c></row></sheetData>";
        let sheet = sheet_within(twice, &limits).unwrap();
        assert_eq!((sheet.text(0, 0), sheet.text(0, 1)), ("2", "3"));
        assert_eq!(sheet.filled(0), [0, 1]);
        let endless = format!(
            "<sheetData><row r=\"1\">{}</row></sheetData>",
            "<c r=\"A1\"><f>1</f></c>".repeat(5)
        );
        let error = sheet_within(&endless, &limits).unwrap_err();
        assert!(error.detail.contains("more than 4 cells"), "{error}");
    }

    #[test]
    fn formulas_are_kept_and_shared_ones_show_their_groups() {
        let sheet = sheet_of(
            "<sheetData><row r=\"1\"><c r=\"A1\"><f t=\"shared\" si=\"0\" ref=\"A1:A2\">B1*2</f>\
             <v>4</v></c></row><row r=\"2\"><c r=\"A2\"><f t=\"shared\" si=\"0\"/><v>6</v></c>\
             </row></sheetData>",
        )
        .unwrap();
        assert_eq!(sheet.cell(0, 0).formula.as_deref(), Some("=B1*2"));
        assert_eq!(sheet.cell(1, 0).formula.as_deref(), Some("=B1*2"));
        assert_eq!(sheet.text(1, 0), "6");
    }

    #[test]
    fn merged_regions_cover_their_cells_within_the_limits() {
        let sheet = sheet_of(&format!(
            "<sheetData><row r=\"1\">{}</row></sheetData><mergeCells count=\"3\">\
             <mergeCell ref=\"A1:B2\"/><mergeCell ref=\"BK1:XFD1\"/><mergeCell ref=\"A3000:B3001\"/>\
             </mergeCells>",
            inline("A1", "一级指标")
        ))
        .unwrap();
        assert_eq!(sheet.shown(1, 1), "一级指标");
        assert_eq!(sheet.right_edge(0, 62), 63, "cut at the last column");
        assert!(!sheet.is_covered(2999, 1), "beyond the limits: ignored");
    }

    #[test]
    fn overlapping_merges_are_refused_before_they_are_stored() {
        let merges = "<mergeCell ref=\"A1:BL2000\"/>".repeat(10_000);
        let error = sheet_of(&format!(
            "<sheetData/><mergeCells count=\"10000\">{merges}</mergeCells>"
        ))
        .unwrap_err();
        assert_eq!(error.cell.as_deref(), Some("A1"));
        assert!(error.detail.contains("overlap"), "{error}");
    }

    #[test]
    fn malformed_sheets_are_refused_with_a_message() {
        for (body, says) in [
            (
                "<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></row></sheetData>",
                "well-formed",
            ),
            (
                "<sheetData><row r=\"0\"/></sheetData>",
                "a row numbered `0`",
            ),
            (
                "<sheetData><row><c r=\"ZZZZZZZZ99999999999\"><v>1</v></c></row></sheetData>",
                "not a cell",
            ),
            ("<sheetData><row><c r=\"A1\"><v>1", "expected `</v>`"),
            (
                "<sheetData><row><c r=\"A1\" t=\"x\"><v>1</v></c></row></sheetData>",
                "unknown type",
            ),
            (
                "<sheetData><row><c r=\"A1\"><v>abc</v></c></row></sheetData>",
                "not a number",
            ),
            (
                "<mergeCells><mergeCell ref=\"A1:\"/></mergeCells>",
                "not a range",
            ),
        ] {
            let error = sheet_of(body).unwrap_err();
            assert!(error.detail.contains(says), "{body}: {error}");
            assert_eq!(error.sheet.as_deref(), Some("自评表"), "{body}");
        }
    }

    #[test]
    fn the_sheets_text_is_bounded() {
        let limits = Limits {
            max_sheet_text: 1024 * 1024,
            ..Limits::default()
        };
        let (strings, styles) = (SharedStrings::default(), Styles::default());
        let context = Context {
            strings: &strings,
            styles: &styles,
            date1904: false,
            max_chars: 10_000,
        };
        let long = "x".repeat(10_000);
        let cells: String = (1..=200)
            .map(|r| format!("<row r=\"{r}\">{}</row>", inline(&format!("A{r}"), &long)))
            .collect();
        let text = format!("<worksheet><sheetData>{cells}</sheetData></worksheet>");
        let mut xml = XmlPart::new(text.as_bytes(), "s", 1 << 20);
        let error = read(&mut xml, "自评表", &context, &limits).unwrap_err();
        assert_eq!(error.cell.as_deref(), Some("A105"));
        assert!(error.detail.contains("more than 1 MiB of text"), "{error}");
    }
}

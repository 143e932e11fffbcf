//! One worksheet as the layout reader sees it: each cell's text as displayed, its number where
//! it holds one (with the decimals its format shows), its formula, and the merged regions.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use rust_decimal::Decimal;

use super::{ImportError, Limits};

/// A cell's content.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    /// The text as the cell shows it (numbers with their format's decimals).
    pub text: String,
    /// The number the cell holds, with the decimals its format shows.
    pub number: Option<Decimal>,
    /// The formula behind the value, if any.
    pub formula: Option<String>,
}

/// A worksheet, read.
#[derive(Debug)]
pub struct Sheet {
    /// Its name.
    pub name: String,
    cells: HashMap<(u32, u32), Cell>,
    /// Each covered cell of a merged region, with its region's top-left corner.
    covered: HashMap<(u32, u32), (u32, u32)>,
    /// Each merged region's top-left corner, with its bottom-right corner.
    regions: HashMap<(u32, u32), (u32, u32)>,
    /// Rows and columns in use.
    pub rows: u32,
    /// Columns in use.
    pub cols: u32,
}

static EMPTY: Cell = Cell {
    text: String::new(),
    number: None,
    formula: None,
};

impl Sheet {
    /// Reads a sheet of the workbook, refusing one beyond the limits.
    ///
    /// # Errors
    /// When the sheet cannot be read, is too large, or holds a cell over the size limit.
    pub fn load(
        book: &mut Xlsx<Cursor<&[u8]>>,
        name: &str,
        limits: &Limits,
    ) -> Result<Self, ImportError> {
        let unreadable =
            |e: calamine::XlsxError| ImportError::in_sheet(name, format!("unreadable: {e}"));
        let range = book.worksheet_range(name).map_err(unreadable)?;
        let (rows, cols) = range.end().map_or((0, 0), |(r, c)| (r + 1, c + 1));
        if rows > limits.max_rows || cols > limits.max_cols {
            return Err(ImportError::at(
                name,
                rows.saturating_sub(1),
                cols.saturating_sub(1),
                format!(
                    "the sheet has {rows} rows and {cols} columns; a form has at most {} rows \
                     and {} columns",
                    limits.max_rows, limits.max_cols
                ),
            ));
        }
        let styles = book.worksheet_style(name).map_err(unreadable)?;
        let formulas = book.worksheet_formula(name).map_err(unreadable)?;
        let mut cells = HashMap::new();
        for (row, col, data) in range.used_cells() {
            let (row, col) = (
                u32::try_from(row).unwrap_or(u32::MAX),
                u32::try_from(col).unwrap_or(u32::MAX),
            );
            let (row, col) = (
                row + range.start().map_or(0, |s| s.0),
                col + range.start().map_or(0, |s| s.1),
            );
            let format = styles
                .get((row, col))
                .and_then(|s| s.number_format.as_ref())
                .map(|f| f.format_code.as_str());
            let mut cell = cell_of(data, format);
            if cell.text.chars().count() > limits.max_cell_chars {
                return Err(ImportError::at(
                    name,
                    row,
                    col,
                    format!(
                        "the cell holds {} characters; a form's cell holds at most {}",
                        cell.text.chars().count(),
                        limits.max_cell_chars
                    ),
                ));
            }
            cell.formula = formulas
                .get_value((row, col))
                .filter(|f| !f.is_empty())
                .map(|f| format!("={f}"));
            cells.insert((row, col), cell);
        }
        for (row, col, formula) in formulas.used_cells() {
            let at = (
                u32::try_from(row).unwrap_or(u32::MAX) + formulas.start().map_or(0, |s| s.0),
                u32::try_from(col).unwrap_or(u32::MAX) + formulas.start().map_or(0, |s| s.1),
            );
            if !formula.is_empty() {
                cells.entry(at).or_default().formula = Some(format!("={formula}"));
            }
        }
        let merged = book.merge_cells_by_sheet_name(name).map_err(unreadable)?;
        let mut covered = HashMap::new();
        let mut regions = HashMap::new();
        for region in &merged {
            let (top, left) = region.start;
            let (bottom, right) = region.end;
            let area = u64::from(bottom.saturating_sub(top) + 1)
                * u64::from(right.saturating_sub(left) + 1);
            if area > u64::from(limits.max_rows) * u64::from(limits.max_cols) {
                return Err(ImportError::at(
                    name,
                    top,
                    left,
                    "a merged region larger than a form",
                ));
            }
            regions.insert((top, left), (bottom, right));
            for r in top..=bottom {
                for c in left..=right {
                    if (r, c) != (top, left) {
                        covered.insert((r, c), (top, left));
                    }
                }
            }
        }
        Ok(Self {
            name: name.to_owned(),
            cells,
            covered,
            regions,
            rows,
            cols,
        })
    }

    /// The cell itself; empty for a blank one.
    #[must_use]
    pub fn cell(&self, row: u32, col: u32) -> &Cell {
        self.cells.get(&(row, col)).unwrap_or(&EMPTY)
    }

    /// The cell's own text, trimmed; empty when blank or covered by a merge.
    #[must_use]
    pub fn text(&self, row: u32, col: u32) -> &str {
        self.cell(row, col).text.trim()
    }

    /// Where the value shown at a position lives: the top-left corner of its merged region, or
    /// the position itself.
    #[must_use]
    pub fn anchor(&self, row: u32, col: u32) -> (u32, u32) {
        self.covered.get(&(row, col)).copied().unwrap_or((row, col))
    }

    /// The text shown at a position, through merges.
    #[must_use]
    pub fn shown(&self, row: u32, col: u32) -> &str {
        let (r, c) = self.anchor(row, col);
        self.text(r, c)
    }

    /// Whether a merged region covers this position without starting there.
    #[must_use]
    pub fn is_covered(&self, row: u32, col: u32) -> bool {
        self.covered.contains_key(&(row, col))
    }

    /// The last column a cell starting here reaches.
    #[must_use]
    pub fn right_edge(&self, row: u32, col: u32) -> u32 {
        self.regions
            .get(&(row, col))
            .map_or(col, |&(_, right)| right)
    }

    /// The columns of the cells that start on a row and hold text, left to right.
    #[must_use]
    pub fn filled(&self, row: u32) -> Vec<u32> {
        (0..self.cols)
            .filter(|&c| !self.is_covered(row, c) && !self.text(row, c).is_empty())
            .collect()
    }

    /// The first cell, row by row, whose text passes `test`.
    pub fn find(&self, from_row: u32, test: impl Fn(&str) -> bool) -> Option<(u32, u32)> {
        (from_row..self.rows).find_map(|r| {
            (0..self.cols)
                .find(|&c| !self.is_covered(r, c) && test(self.text(r, c)))
                .map(|c| (r, c))
        })
    }

    /// The first filled cell right of `col` on `row`, skipping the cells `skip` refuses.
    pub fn next_right(
        &self,
        row: u32,
        col: u32,
        skip: impl Fn(&str) -> bool,
    ) -> Option<(u32, u32)> {
        let start = self.right_edge(row, col) + 1;
        (start..self.cols)
            .find(|&c| !self.is_covered(row, c) && !self.text(row, c).is_empty())
            .filter(|&c| !skip(self.text(row, c)))
            .map(|c| (row, c))
    }
}

/// `F12` for row 11, column 5 (both 0-based).
#[must_use]
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

fn cell_of(data: &Data, format: Option<&str>) -> Cell {
    match data {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell {
            text: s.clone(),
            ..Cell::default()
        },
        Data::Float(f) => number_cell(*f, format),
        #[expect(
            clippy::cast_precision_loss,
            reason = "cell integers are far below 2^53"
        )]
        Data::Int(i) => number_cell(*i as f64, format),
        Data::Bool(b) => Cell {
            text: if *b { "TRUE" } else { "FALSE" }.to_owned(),
            ..Cell::default()
        },
        Data::DateTime(d) => Cell {
            text: d.as_f64().to_string(),
            ..Cell::default()
        },
        Data::Error(e) => Cell {
            text: format!("#{e:?}"),
            ..Cell::default()
        },
        Data::Empty => Cell::default(),
    }
}

/// A number as its format shows it: the decimals of `0.00`, a percent for `0.0%`, and the
/// shortest exact form under `General`.
fn number_cell(value: f64, format: Option<&str>) -> Cell {
    let format = format.unwrap_or("General");
    let percent = format.contains('%');
    let shown = if percent { value * 100.0 } else { value };
    let decimals = decimals_of(format);
    let number = match decimals {
        Some(scale) => Decimal::from_f64_retain(shown).map(|d| {
            let mut d = d.round_dp(scale);
            d.rescale(scale);
            d
        }),
        None => format!("{shown}").parse::<Decimal>().ok(),
    };
    let text = match &number {
        Some(n) if percent => format!("{n}%"),
        Some(n) => n.to_string(),
        None => format!("{shown}"),
    };
    Cell {
        text,
        number,
        formula: None,
    }
}

/// The decimals a number format shows: `0.00` → 2, `#,##0` → 0; `None` for `General` and
/// formats that fix none.
fn decimals_of(format: &str) -> Option<u32> {
    let first = format.split(';').next().unwrap_or_default();
    if first.eq_ignore_ascii_case("general") || !first.contains('0') {
        return None;
    }
    let decimals = first.split_once('.').map_or(0, |(_, after)| {
        after.chars().take_while(|c| *c == '0').count()
    });
    u32::try_from(decimals).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_read_like_excel() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(11, 5), "F12");
        assert_eq!(cell_ref(0, 26), "AA1");
    }

    #[test]
    fn numbers_keep_the_decimals_their_format_shows() {
        assert_eq!(number_cell(239.31, Some("0.00")).text, "239.31");
        assert_eq!(number_cell(10.0, Some("0.00")).text, "10.00");
        assert_eq!(number_cell(10.0, Some("0")).text, "10");
        assert_eq!(number_cell(0.9269, Some("0.00%")).text, "92.69%");
        assert_eq!(
            number_cell(11_500_000.0, Some("#,##0.00")).text,
            "11500000.00"
        );
        assert_eq!(number_cell(239.31, None).text, "239.31");
        assert_eq!(
            number_cell(0.1 + 0.2, Some("General")).number,
            "0.30000000000000004".parse().ok()
        );
    }
}

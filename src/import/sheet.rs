//! One worksheet as the layout reader sees it: each cell's text as displayed, its number where
//! it holds one (with the decimals its format shows), its formula, and the merged regions.
//! Only cells that hold something are stored, in one array in row order, so a scan costs what
//! the sheet holds rather than its rows × columns, and a full sheet costs about 64 bytes a cell
//! beyond its text.

use std::collections::HashMap;
use std::sync::LazyLock;

use rust_decimal::Decimal;

/// A cell's content.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    /// The text as the cell shows it (numbers with their format's decimals).
    pub text: Box<str>,
    /// The number the cell holds, with the decimals its format shows.
    pub number: Option<Decimal>,
    /// The formula behind the value, if any.
    pub formula: Option<Box<str>>,
}

/// A merged region: its top-left and bottom-right corners.
pub type Region = ((u32, u32), (u32, u32));

/// A worksheet, read.
#[derive(Debug)]
pub struct Sheet {
    /// Its name.
    pub name: String,
    /// The cells that hold something, by position, in row order.
    cells: Vec<((u32, u32), Cell)>,
    /// Each covered cell of a merged region, with its region's top-left corner.
    covered: HashMap<(u32, u32), (u32, u32)>,
    /// Each merged region's top-left corner, with its bottom-right corner.
    regions: HashMap<(u32, u32), (u32, u32)>,
    /// Rows in use.
    pub rows: u32,
    /// Columns in use.
    pub cols: u32,
}

static EMPTY: LazyLock<Cell> = LazyLock::new(Cell::default);

impl Sheet {
    /// A sheet of these cells (in any order; of a cell listed twice, the last counts) and
    /// merged regions. The caller bounds the regions' total area, since each covered cell is
    /// stored.
    #[must_use]
    pub fn new(
        name: &str,
        mut cells: Vec<((u32, u32), Cell)>,
        merged: &[Region],
        rows: u32,
        cols: u32,
    ) -> Self {
        // Reversed, a stable sort puts the last of a position's cells first, where dedup keeps
        // it. Cells come in row order from any sane workbook, so the sort is one pass.
        cells.reverse();
        cells.sort_by_key(|&(at, _)| at);
        cells.dedup_by_key(|&mut (at, _)| at);
        cells.shrink_to_fit();
        let mut covered = HashMap::new();
        let mut regions = HashMap::new();
        for &((top, left), (bottom, right)) in merged {
            regions.insert((top, left), (bottom, right));
            for r in top..=bottom {
                for c in left..=right {
                    if (r, c) != (top, left) {
                        covered.insert((r, c), (top, left));
                    }
                }
            }
        }
        Self {
            name: name.to_owned(),
            cells,
            covered,
            regions,
            rows,
            cols,
        }
    }

    /// The cell itself; empty for a blank one.
    #[must_use]
    pub fn cell(&self, row: u32, col: u32) -> &Cell {
        self.cells
            .binary_search_by_key(&(row, col), |&(at, _)| at)
            .map_or(&EMPTY, |i| &self.cells[i].1)
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

    /// The cells from `from` on, in row order, that start where they are and show text.
    fn texts_from(
        &self,
        from: (u32, u32),
        to: (u32, u32),
    ) -> impl Iterator<Item = ((u32, u32), &str)> {
        let start = self.cells.partition_point(|&(at, _)| at < from);
        let end = self.cells.partition_point(|&(at, _)| at < to).max(start);
        self.cells[start..end]
            .iter()
            .map(|(at, cell)| (*at, cell.text.trim()))
            .filter(|&((r, c), text)| !text.is_empty() && !self.is_covered(r, c))
    }

    /// The columns of the cells that start on a row and hold text, left to right.
    #[must_use]
    pub fn filled(&self, row: u32) -> Vec<u32> {
        self.texts_from((row, 0), (row, self.cols))
            .map(|((_, c), _)| c)
            .collect()
    }

    /// The first cell holding text, row by row, whose text passes `test`.
    pub fn find(&self, from_row: u32, test: impl Fn(&str) -> bool) -> Option<(u32, u32)> {
        self.texts_from((from_row, 0), (self.rows.max(from_row), 0))
            .find(|&(_, text)| test(text))
            .map(|(at, _)| at)
    }

    /// The first filled cell right of `col` on `row`, skipping the cells `skip` refuses.
    pub fn next_right(
        &self,
        row: u32,
        col: u32,
        skip: impl Fn(&str) -> bool,
    ) -> Option<(u32, u32)> {
        let start = self.right_edge(row, col).saturating_add(1);
        self.texts_from((row, start), (row, self.cols.max(start)))
            .next()
            .filter(|&(_, text)| !skip(text))
            .map(|(at, _)| at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet() -> Sheet {
        let mut cells = Vec::new();
        for (at, text) in [
            ((0, 0), "一级指标"),
            ((0, 3), "placeholder"),
            ((1, 0), "  "),
            ((1, 2), "covered"),
            ((2, 1), "x"),
            ((0, 3), "二级指标"),
            ((2, 1), "x, the last of two"),
        ] {
            cells.push((
                at,
                Cell {
                    text: text.into(),
                    ..Cell::default()
                },
            ));
        }
        Sheet::new("s", cells, &[((0, 0), (1, 2))], 3, 4)
    }

    #[test]
    fn scans_see_the_text_that_shows() {
        let sheet = sheet();
        assert_eq!(sheet.filled(0), [0, 3]);
        assert_eq!(sheet.filled(1), Vec::<u32>::new(), "blank and covered");
        assert_eq!(sheet.find(0, |t| t.starts_with('x')), Some((2, 1)));
        assert_eq!(sheet.text(2, 1), "x, the last of two");
        assert_eq!(sheet.find(5, |_| true), None, "from beyond the last row");
        assert_eq!(sheet.find(1, |t| t.contains("指标")), None);
        assert_eq!(sheet.find(0, |t| t == "covered"), None);
        assert_eq!(sheet.next_right(0, 0, |_| false), Some((0, 3)));
        assert_eq!(sheet.next_right(0, 0, |t| t == "二级指标"), None);
        assert_eq!(sheet.next_right(0, 3, |_| false), None);
        assert_eq!(sheet.shown(1, 1), "一级指标");
        assert_eq!(sheet.anchor(1, 2), (0, 0));
        assert_eq!(sheet.right_edge(0, 0), 2);
        assert!(sheet.is_covered(1, 2) && !sheet.is_covered(0, 0));
        assert_eq!(sheet.text(1, 2), "covered", "its own text, though hidden");
    }
}

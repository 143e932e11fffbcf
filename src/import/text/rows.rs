//! Table rows out of lines: cells broken across lines joined again, rows shifted left by a
//! missing merged column put back in place.

use super::Note;
use super::lines::{Line, compact, squeeze};

/// One row of a table, with the line it starts on.
#[derive(Clone, Debug)]
pub(super) struct Row {
    pub no: u32,
    pub cells: Vec<String>,
}

impl Row {
    /// The cell at `col`, empty beyond the row's end.
    pub fn at(&self, col: usize) -> &str {
        self.cells.get(col).map_or("", |c| c.trim())
    }

    /// The cell at `col`, squeezed.
    pub fn text(&self, col: usize) -> String {
        squeeze(self.at(col))
    }

    /// The cells up to the last one holding text.
    pub fn used(&self) -> usize {
        self.cells
            .iter()
            .rposition(|c| !c.trim().is_empty())
            .map_or(0, |i| i + 1)
    }

    /// The column of the first cell whose compact text satisfies `test`.
    pub fn find(&self, test: impl Fn(&str) -> bool) -> Option<usize> {
        self.cells.iter().position(|c| test(&compact(c)))
    }

    /// Whether some cell's compact text contains `word`.
    pub fn has(&self, word: &str) -> bool {
        self.find(|c| c.contains(word)).is_some()
    }
}

/// Labels that open a row of their own; a line starting with one never continues the line
/// above.
const ROW_LABELS: [&str; 17] = [
    "政府采购",
    "厉行节约",
    "项目名称",
    "主管部门",
    "实施单位",
    "部门资金",
    "项目资金",
    "年度资金总额",
    "按收入性质分",
    "按支出性质分",
    "年度总体目标",
    "绩效指标",
    "综合评定等级",
    "自评等级",
    "总分",
    "说明",
    "其中",
];

/// Lines joined into one row at most.
const MAX_JOINED: usize = 32;

/// `.....`: a row the form leaves for more items.
pub(super) fn is_placeholder(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| matches!(c, '.' | '…' | '。' | '·' | '．'))
}

fn opens_row(first: &str) -> bool {
    let first = compact(first);
    // A level-1 or level-2 label (`产出指标(50分)`, `可持续影响指标`) opens its own row too.
    let (name, _) = super::captions::split_points(&first);
    ROW_LABELS.iter().any(|l| first.starts_with(l))
        || name.ends_with("指标")
        || first.starts_with("..")
        || first.starts_with('…')
        || super::starts_with_list_marker(&first)
        || super::basic::is_top(&first)
}

/// The rows of a table of `width` columns in `lines`: blank lines are skipped; a line whose
/// first cell continues the text of a row that has fewer cells than the table (a cell the
/// copy broke across lines) is joined to that row. Cells are counted as written, empty ones
/// at the end included: a row that ends in separators is whole.
pub(super) fn assemble(
    lines: &[Line],
    width: usize,
    part: &'static str,
    notes: &mut Vec<Note>,
) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    // How many lines the last row was joined from; a cell is broken over a few lines, never
    // over hundreds, and the bound keeps each row's text bounded.
    let mut joined = 0usize;
    for line in lines.iter().filter(|l| !l.is_blank()) {
        let count = line.cells.len();
        let first = line.cells.first().map_or("", |c| c.trim());
        if let Some(prev) = rows.last_mut() {
            let prev_count = prev.cells.len();
            if prev.used() > 0
                && joined < MAX_JOINED
                && !is_placeholder(&compact(prev.at(0)))
                && prev_count < width
                && !first.is_empty()
                && !opens_row(first)
                && prev_count + count - 1 <= width
            {
                if let Some(last) = prev.cells.last_mut() {
                    last.push(' ');
                    last.push_str(first);
                }
                prev.cells.extend(line.cells[1..].iter().cloned());
                notes.push(Note {
                    line: line.no,
                    part,
                    message: format!("“{}”接续第 {} 行被断开的单元格", squeeze(first), prev.no),
                });
                joined += 1;
                continue;
            }
        }
        joined = 0;
        rows.push(Row {
            no: line.no,
            cells: line.cells.clone(),
        });
    }
    rows
}

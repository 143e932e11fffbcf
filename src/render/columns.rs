//! How wide each column of the printed form is, and how large its figures are printed, so that
//! the table fills A4 portrait and no figure is broken across lines.
//!
//! Figures never wrap (`115000000.00` on one line): each column is at least as wide as its
//! longest figure, and when the figures of a wide form do not fit A4 at the text's size, all
//! figures are printed a little smaller, the same size everywhere. The room that is left goes
//! to the columns in the proportions of the paper form.

use unicode_width::UnicodeWidthChar as _;

use crate::domain::form::{CellRole, FormGrid, FormSection, GridCell};

/// The printable width of A4 portrait inside the page margins (210 mm − 2 × 12 mm).
pub const PAGE_WIDTH_MM: f64 = 186.0;
/// The size of the table's text, in points.
pub const TEXT_PT: f64 = 10.5;
/// A figure cell's padding on both sides (0.5 mm each) and its border, in mm, with a little
/// to spare.
const CELL_EXTRA_MM: f64 = 1.6;
/// Millimetres in a point.
const MM_PER_PT: f64 = 25.4 / 72.0;
/// The sizes tried for the figures, largest first.
const FIGURE_PT: [f64; 10] = [10.5, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, SMALLEST_PT];
/// The smallest size a figure is printed at.
const SMALLEST_PT: f64 = 6.0;

/// The widths of the columns in mm, left to right, which decide the size of each figure.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnLayout {
    /// Each column's width in mm; they add up to [`PAGE_WIDTH_MM`].
    pub widths_mm: Vec<f64>,
}

impl ColumnLayout {
    /// The size a figure cell is printed at: the text's size where the figure fits its
    /// columns, else the largest smaller size that fits, as a spreadsheet shrinks to fit.
    #[must_use]
    pub fn figure_size(&self, cell: &GridCell) -> f64 {
        let first = usize::try_from(cell.col).unwrap_or(usize::MAX);
        let span = usize::try_from(cell.col_span.max(1)).unwrap_or(1);
        let room: f64 = self.widths_mm.iter().skip(first).take(span).sum();
        let ems = ems(&printed(cell));
        FIGURE_PT
            .into_iter()
            .find(|pt| need_mm(ems, *pt) <= room)
            .unwrap_or(SMALLEST_PT)
    }
}

/// The width a figure of `ems` needs at `pt`, padding and borders included.
fn need_mm(ems: f64, pt: f64) -> f64 {
    ems * pt * MM_PER_PT + CELL_EXTRA_MM
}

/// What a column holds, told by its heading in the indicator block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Block,
    Level,
    Name,
    Short,
    Figure,
    Deviation,
}

impl Kind {
    fn of_heading(heading: &str) -> Self {
        match heading {
            "一级指标" | "二级指标" => Self::Level,
            "三级指标" => Self::Name,
            "指标性质" | "度量单位" => Self::Short,
            "偏差原因分析及改进措施" => Self::Deviation,
            _ => Self::Figure,
        }
    }

    /// The narrowest the column may be, in mm: room for a few characters of text per line.
    fn min_mm(self) -> f64 {
        match self {
            Self::Block => 10.0,
            Self::Level => 13.5,
            Self::Name => 17.5,
            Self::Short => 10.0,
            Self::Figure => 10.0,
            Self::Deviation => 24.0,
        }
    }

    /// The column's share of the room left over, as on the paper form.
    fn share(self) -> f64 {
        match self {
            Self::Block => 5.0,
            Self::Level => 8.0,
            Self::Name => 14.0,
            Self::Short => 5.0,
            Self::Figure => 7.0,
            Self::Deviation => 18.0,
        }
    }
}

/// Whether a value cell holds a figure that must stay on one line: an amount, a rate, a
/// weight, a score, or a target like `≥95%`.
#[must_use]
pub fn is_figure(cell: &GridCell) -> bool {
    cell.role == CellRole::Value && is_figure_text(&cell.text)
}

pub(crate) fn is_figure_text(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && text.chars().count() <= 24
        && text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || ".,%-+<>=≥≤＞＜％~～ ".contains(c))
}

/// Whether a value cell holds sentences rather than a figure or a name: the goals, the
/// explanations, a leaf's deviation reason, or any text the unit broke into lines. They print
/// left-aligned with their line breaks.
#[must_use]
pub fn is_prose(cell: &GridCell) -> bool {
    const FIELDS: [&str; 4] = [
        "/deviation_analysis",
        "/improvement_measures",
        "/notes",
        "/deviation_reason",
    ];
    let source = cell.source.as_deref().unwrap_or_default();
    cell.role == CellRole::Value
        && !is_figure(cell)
        && (source.starts_with("/goals/")
            || FIELDS.iter().any(|field| source.ends_with(field))
            || cell.text.contains('\n'))
}

/// The printed width of a figure in ems of its font: digits and points about half an em, a
/// full-width character one em.
fn ems(text: &str) -> f64 {
    text.chars()
        .map(|c| match c {
            '0'..='9' | '.' | ',' | '-' | '+' | ' ' => 0.56,
            '%' => 0.9,
            c if c.width().unwrap_or(1) >= 2 => 1.0,
            _ => 0.7,
        })
        .sum()
}

/// The figure as printed; the execution rate carries its percent sign.
#[must_use]
pub fn printed(cell: &GridCell) -> String {
    let is_rate = cell.source.as_deref() == Some("/funds/declared_rate");
    if is_rate && !cell.text.is_empty() && !cell.text.trim_end().ends_with(['%', '％']) {
        format!("{}%", cell.text)
    } else {
        cell.text.clone()
    }
}

/// Lays out the columns of a grid for A4 portrait.
#[must_use]
pub fn layout(grid: &FormGrid) -> ColumnLayout {
    let columns = usize::try_from(grid.columns).unwrap_or(0).max(1);
    let kinds = kinds(grid);
    let figures: Vec<(usize, usize, f64)> = grid
        .rows
        .iter()
        .flat_map(|row| &row.cells)
        .filter(|cell| is_figure(cell))
        .map(|cell| {
            let first = usize::try_from(cell.col).unwrap_or(0).min(columns - 1);
            let span = usize::try_from(cell.col_span.max(1)).unwrap_or(1);
            (first, (first + span).min(columns), ems(&printed(cell)))
        })
        .collect();
    // The widest room any figure gets, lowered until the columns fit the page: figures
    // narrower than it print at the text's size, wider ones shrink into it.
    let mut cap = PAGE_WIDTH_MM;
    let mut mins = minimums(&kinds, &figures, cap);
    while mins.iter().sum::<f64>() > PAGE_WIDTH_MM && cap > 0.0 {
        cap -= 0.5;
        mins = minimums(&kinds, &figures, cap);
    }
    let used: f64 = mins.iter().sum();
    let shares: f64 = kinds.iter().map(|k| k.share()).sum();
    let widths_mm = if used <= PAGE_WIDTH_MM {
        let spare = PAGE_WIDTH_MM - used;
        mins.iter()
            .zip(&kinds)
            .map(|(min, kind)| min + spare * kind.share() / shares)
            .collect()
    } else {
        // Figures too long for A4 even at the smallest size: the widths scaled to the page.
        mins.iter().map(|min| min * PAGE_WIDTH_MM / used).collect()
    };
    ColumnLayout { widths_mm }
}

/// The kind of each column, from the indicator block's heading row.
pub(crate) fn kinds(grid: &FormGrid) -> Vec<Kind> {
    let columns = usize::try_from(grid.columns).unwrap_or(0).max(1);
    let mut kinds = vec![Kind::Figure; columns];
    kinds[0] = Kind::Block;
    let heading = grid
        .rows
        .iter()
        .find(|row| row.section == FormSection::Indicators);
    for cell in heading.map(|row| row.cells.as_slice()).unwrap_or_default() {
        let col = usize::try_from(cell.col).unwrap_or(usize::MAX);
        if col > 0 && col < columns {
            kinds[col] = Kind::of_heading(&cell.text);
        }
    }
    kinds
}

/// The narrowest widths that hold every figure on one line, each at the text's size or shrunk
/// to at most `cap` mm (but no smaller than the smallest size).
fn minimums(kinds: &[Kind], figures: &[(usize, usize, f64)], cap: f64) -> Vec<f64> {
    let mut mins: Vec<f64> = kinds.iter().map(|k| k.min_mm()).collect();
    let need = |ems: f64| need_mm(ems, TEXT_PT).min(cap.max(need_mm(ems, SMALLEST_PT)));
    // Single columns first, then the figures spanning several widen their last column.
    for &(first, _, ems) in figures.iter().filter(|f| f.1 - f.0 == 1) {
        mins[first] = mins[first].max(need(ems));
    }
    for &(first, end, ems) in figures.iter().filter(|f| f.1 - f.0 > 1) {
        let have: f64 = mins[first..end].iter().sum();
        let short = need(ems) - have;
        if short > 0.0 {
            mins[end - 1] += short;
        }
    }
    mins
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::document::EvaluationDocument;
    use crate::domain::form::build_form;
    use crate::domain::rulesets::Rulesets;

    fn grid_of(json: &str, amount: Option<&str>) -> FormGrid {
        let mut document: serde_json::Value = serde_json::from_str(json).unwrap();
        if let Some(amount) = amount {
            for field in ["initial_budget", "annual_budget", "executed"] {
                document["funds"][field] = amount.into();
            }
        }
        let document: EvaluationDocument = serde_json::from_value(document).unwrap();
        let rulesets = Rulesets::built_in("national-2020").unwrap();
        build_form(&document, rulesets.for_form(None).unwrap())
    }

    const DEPARTMENT: &str = include_str!("../../data/examples/hengyang-2020-department.json");
    const PROJECT: &str = include_str!("../../data/examples/sichuan-2022-project-example.json");

    #[test]
    fn figures_are_recognised_and_texts_are_not() {
        for figure in [
            "115000000.00",
            "94",
            "≥95%",
            "100%",
            "-3.5",
            "1,200",
            "≤ 1200",
        ] {
            assert!(is_figure_text(figure), "{figure}");
        }
        for text in ["", "有所提升", "2022年12月底前完成", "%", "基本完成 100%"] {
            assert!(!is_figure_text(text), "{text}");
        }
    }

    #[test]
    fn the_columns_fill_the_page_and_hold_every_figure_on_one_line() {
        for (json, amount) in [
            (DEPARTMENT, None),
            (PROJECT, None),
            (DEPARTMENT, Some("115000000.00")),
            (PROJECT, Some("115000000.00")),
        ] {
            let grid = grid_of(json, amount);
            let layout = layout(&grid);
            let total: f64 = layout.widths_mm.iter().sum();
            assert!((total - PAGE_WIDTH_MM).abs() < 1e-6, "{total}");
            for cell in grid.rows.iter().flat_map(|r| &r.cells) {
                if !is_figure(cell) {
                    continue;
                }
                let from = cell.col as usize;
                let room: f64 = layout.widths_mm[from..from + cell.col_span as usize]
                    .iter()
                    .sum();
                let size = layout.figure_size(cell);
                let need = need_mm(ems(&printed(cell)), size);
                assert!(need <= room, "{} needs {need} mm, has {room}", cell.text);
                assert!(size >= 7.5, "{} at {size}pt", cell.text);
            }
        }
    }

    #[test]
    fn figures_shrink_only_when_they_would_not_fit() {
        let grid = grid_of(PROJECT, Some("115000000.00"));
        let wide = layout(&grid);
        // The long amounts shrink; the scores and rates beside them keep the text's size.
        let sizes: Vec<(String, f64)> = grid
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .filter(|c| is_figure(c))
            .map(|c| (c.text.clone(), wide.figure_size(c)))
            .collect();
        for (text, size) in &sizes {
            if text.len() >= 12 {
                assert!(*size < TEXT_PT, "{text} at {size}pt");
            } else if text.len() <= 6 {
                assert!((size - TEXT_PT).abs() < 1e-9, "{text} at {size}pt");
            }
            assert!(*size >= 7.5, "{text} at {size}pt");
        }
        let grid = grid_of(DEPARTMENT, None);
        let layout = layout(&grid);
        for cell in grid.rows.iter().flat_map(|r| &r.cells) {
            if is_figure(cell) {
                assert!(
                    (layout.figure_size(cell) - TEXT_PT).abs() < 1e-9,
                    "{}",
                    cell.text
                );
            }
        }
    }

    #[test]
    fn the_execution_rate_prints_with_its_percent_sign() {
        let grid = grid_of(DEPARTMENT, None);
        let rate = grid
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .find(|c| c.source.as_deref() == Some("/funds/declared_rate"))
            .unwrap();
        assert_eq!(printed(rate), "94%");
    }
}

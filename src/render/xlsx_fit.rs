//! The form sheet's cells as a spreadsheet needs them: which values are written as numbers and
//! with which format, how wide each column is, and how tall each row must be for its wrapped
//! text, since no spreadsheet grows a row for the text of merged cells by itself.
//!
//! A value is written as a number only when the number, read back under its format, shows
//! exactly the text the unit typed (`300`, `100%`, `0.50`); anything else (`007`, `1,000`,
//! `≥95%`, more digits than a spreadsheet keeps) stays text, so an import gives back the form
//! as typed.

use rust_decimal::Decimal;
use unicode_width::UnicodeWidthChar as _;

use super::columns::{Kind, is_figure_text, kinds};
use crate::domain::form::{CellRole, FormGrid, GridCell};
use crate::import::numbers;

/// Fields whose value is a figure of the form: amounts, rates, weights, scores.
const FIGURE_FIELDS: [&str; 7] = [
    "initial_budget",
    "annual_budget",
    "executed",
    "declared_rate",
    "weight",
    "declared_score",
    "declared_total",
];

/// Spreadsheets keep 15 significant digits of a number.
const MAX_DIGITS: u64 = 1_000_000_000_000_000;

/// The height in points of one line of 10.5 pt 宋体, and what a row adds around its lines.
const LINE_PT: f64 = 14.0;
const ROW_EXTRA_PT: f64 = 3.0;
/// A spreadsheet's default row height in points.
pub(super) const DEFAULT_ROW_PT: f64 = 15.0;
/// Pixels per unit of column width (the default font's digit) and per display column of text
/// in 10.5 pt 宋体: a half-width character is 7 px, a full-width one 14 px.
const PX_PER_WIDTH: f64 = 7.0;
const PX_PER_CHAR: f64 = 7.0;

/// A value written as a number: the number as the file stores it and the format that shows it
/// as typed.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Typed {
    pub value: f64,
    pub format: String,
}

/// How a value cell is written: as a number where the form holds a figure that a number can
/// show exactly, else as its text.
pub(super) fn typed(cell: &GridCell) -> Option<Typed> {
    let source = cell.source.as_deref();
    let field = match source {
        Some(source) => source.rsplit('/').next().unwrap_or_default(),
        // The total weight has no place in the document, but it is a figure.
        None if cell.role == CellRole::Value => "weight",
        None => return None,
    };
    let indicator_value = source.is_some_and(|s| s.starts_with("/indicators/"))
        && matches!(field, "target" | "actual");
    if field == "declared_rate" {
        // The rate is a percentage: 94 is written as 0.94 shown `94%`, read back as 94.
        return as_number(&cell.text, true, |shown| {
            shown.number.map(|n| n.to_string()).as_deref() == Some(cell.text.as_str())
        });
    }
    if FIGURE_FIELDS.contains(&field) {
        return as_number(&cell.text, false, |shown| {
            shown.number.map(|n| n.to_string()).as_deref() == Some(cell.text.as_str())
        });
    }
    if indicator_value {
        // Targets and actuals are read back as the text shown: `100%` must show `100%`.
        let percent = cell.text.ends_with('%');
        return as_number(&cell.text, percent, |shown| shown.text == cell.text);
    }
    None
}

/// `text` as a number (divided by 100 where `percent`), if reading it back passes `reads_back`.
fn as_number(
    text: &str,
    percent: bool,
    reads_back: impl Fn(&numbers::Shown) -> bool,
) -> Option<Typed> {
    let body = if percent {
        text.strip_suffix('%').unwrap_or(text)
    } else {
        text
    };
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return None;
    }
    let number: Decimal = body.parse().ok()?;
    if number.mantissa().unsigned_abs() >= u128::from(MAX_DIGITS) {
        return None;
    }
    let decimals = "0".repeat(number.scale() as usize);
    let point = if decimals.is_empty() { "" } else { "." };
    let (stored, format) = if percent {
        (
            number.checked_div(Decimal::ONE_HUNDRED)?,
            format!("0{point}{decimals}%"),
        )
    } else {
        (number, format!("0{point}{decimals}"))
    };
    // The value as the file will hold it: the nearest double, in its shortest form.
    let value: f64 = stored.to_string().parse().ok()?;
    let written = numbers::parse(&value.to_string())?;
    reads_back(&numbers::show(written, Some(&format), false)).then_some(Typed { value, format })
}

/// The width of each column in character units.
pub(super) fn column_widths(grid: &FormGrid) -> Vec<f64> {
    let mut widths: Vec<f64> = kinds(grid)
        .into_iter()
        .map(|kind| match kind {
            Kind::Block => 7.0,
            Kind::Level => 11.0,
            Kind::Name => 16.0,
            Kind::Short => 8.0,
            Kind::Figure => 9.0,
            Kind::Deviation => 20.0,
        })
        .collect();
    // A number that does not fit its column shows as ####: each column holds its figures.
    for cell in grid.rows.iter().flat_map(|row| &row.cells) {
        let figure = typed(cell).is_some() || is_figure_text(&cell.text);
        let col = usize::try_from(cell.col).unwrap_or(usize::MAX);
        if cell.role == CellRole::Value && figure && cell.col_span == 1 && col < widths.len() {
            let shown = if cell.source.as_deref() == Some("/funds/declared_rate") {
                display_width(&cell.text) + 1
            } else {
                display_width(&cell.text)
            };
            widths[col] = widths[col].max(f64::from(shown) + 2.0);
        }
    }
    widths
}

/// The height in points each table row needs for its wrapped text: the lines of each cell's
/// text at its merged width, a cell spanning rows sharing what it needs among them.
pub(super) fn row_heights(grid: &FormGrid, widths: &[f64]) -> Vec<f64> {
    let mut heights = vec![DEFAULT_ROW_PT; grid.rows.len()];
    let cells: Vec<&GridCell> = grid.rows.iter().flat_map(|row| &row.cells).collect();
    let need = |cell: &GridCell| {
        let lines = if typed(cell).is_some() {
            1
        } else {
            lines_in(&cell.text, span_px(widths, cell))
        };
        height_of(lines)
    };
    for cell in cells.iter().filter(|c| c.row_span <= 1) {
        if let Some(height) = usize::try_from(cell.row)
            .ok()
            .and_then(|r| heights.get_mut(r))
        {
            *height = height.max(need(cell));
        }
    }
    for cell in cells.iter().filter(|c| c.row_span > 1) {
        let first = usize::try_from(cell.row)
            .unwrap_or(usize::MAX)
            .min(heights.len());
        let end = first
            .saturating_add(usize::try_from(cell.row_span).unwrap_or(0))
            .min(heights.len());
        let rows = &mut heights[first..end];
        let short = need(cell) - rows.iter().sum::<f64>();
        if short > 0.0 && !rows.is_empty() {
            let each = short / f64::from(u32::try_from(rows.len()).unwrap_or(1));
            rows.iter_mut().for_each(|h| *h += each);
        }
    }
    heights
}

/// The height a line of text merged across the whole table needs (the footnotes).
pub(super) fn line_height(text: &str, widths: &[f64]) -> f64 {
    let px = widths.iter().map(|w| w * PX_PER_WIDTH + 5.0).sum::<f64>() - 6.0;
    height_of(lines_in(text, px))
}

/// The height of a row of `lines` lines; one line keeps the default height.
fn height_of(lines: u32) -> f64 {
    if lines <= 1 {
        DEFAULT_ROW_PT
    } else {
        f64::from(lines) * LINE_PT + ROW_EXTRA_PT
    }
}

/// The inner width in pixels of a cell across its columns.
fn span_px(widths: &[f64], cell: &GridCell) -> f64 {
    let first = usize::try_from(cell.col).unwrap_or(usize::MAX);
    let span = usize::try_from(cell.col_span.max(1)).unwrap_or(1);
    let px: f64 = widths
        .iter()
        .skip(first)
        .take(span)
        .map(|w| w * PX_PER_WIDTH + 5.0)
        .sum();
    // Cell padding on both sides.
    px - 6.0
}

/// How many lines `text` wraps into at `px` wide: each paragraph at least one line.
fn lines_in(text: &str, px: f64) -> u32 {
    if px <= 0.0 {
        return 1;
    }
    let lines: u32 = text
        .split('\n')
        .map(|paragraph| {
            // A little spare for words that wrap whole.
            let wide = f64::from(display_width(paragraph)) * PX_PER_CHAR * 1.05;
            let lines = (wide / px).ceil();
            if lines < 1.0 {
                1
            } else {
                // A paragraph of at most a few thousand characters: the cast cannot truncate.
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "a positive count of lines, far below u32::MAX"
                )]
                let lines = lines as u32;
                lines
            }
        })
        .sum();
    lines.max(1)
}

/// The text's width in half-width characters: a CJK character counts 2.
fn display_width(text: &str) -> u32 {
    text.chars()
        .map(|c| u32::try_from(c.width().unwrap_or(0)).unwrap_or(2))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, source: &str) -> GridCell {
        GridCell {
            text: text.to_owned(),
            row: 0,
            col: 0,
            row_span: 1,
            col_span: 1,
            role: CellRole::Value,
            source: Some(source.to_owned()),
        }
    }

    const TARGET: &str = "/indicators/0/children/0/children/0/target";

    #[test]
    fn targets_that_a_number_shows_as_typed_are_numbers() {
        for (text, number, format) in [
            ("300", 300.0, "0"),
            ("100%", 1.0, "0%"),
            ("95.5%", 0.955, "0.0%"),
            ("0.50", 0.5, "0.00"),
            ("-3", -3.0, "0"),
            ("115000000.00", 115_000_000.0, "0.00"),
        ] {
            let typed = typed(&value(text, TARGET)).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(
                (typed.value, typed.format.as_str()),
                (number, format),
                "{text}"
            );
        }
    }

    #[test]
    fn targets_a_number_cannot_show_as_typed_stay_text() {
        for text in [
            "",
            "007",
            "1,000",
            "≥95%",
            "+5",
            "-0",
            "1e5",
            "5.",
            ".5",
            "有所提升",
            "100 %",
            "1234567890123456",
            "1_000",
            "%",
        ] {
            assert_eq!(typed(&value(text, TARGET)), None, "{text:?}");
        }
        assert_eq!(
            typed(&value("300", "/goals/0/actual")),
            None,
            "goals are text"
        );
    }

    #[test]
    fn the_rate_is_a_percentage_read_back_as_written() {
        let rate = |text: &str| typed(&value(text, "/funds/declared_rate"));
        assert_eq!(
            rate("94"),
            Some(Typed {
                value: 0.94,
                format: "0%".into()
            })
        );
        assert_eq!(rate("92.69").map(|t| t.format), Some("0.00%".into()));
        assert_eq!(rate("92.69").map(|t| t.value), Some(0.9269));
        let score = typed(&value("9.40", "/funds/declared_score")).unwrap();
        assert_eq!((score.value, score.format.as_str()), (9.4, "0.00"));
    }

    #[test]
    fn lines_count_full_width_characters_twice_and_keep_paragraphs() {
        // 10 CJK characters are 140 px.
        assert_eq!(lines_in("一二三四五六七八九十", 150.0), 1);
        assert_eq!(lines_in("一二三四五六七八九十", 70.0), 3);
        assert_eq!(lines_in("一\n二\n三", 150.0), 3);
        assert_eq!(lines_in("", 150.0), 1);
        assert_eq!(display_width("92.69%"), 6);
        assert_eq!(display_width("有所提升"), 8);
    }
}

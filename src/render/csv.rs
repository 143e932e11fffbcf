//! Lists as CSV (RFC 4180), one row per form, with the same columns as the list workbook.
//! It starts with a UTF-8 byte-order mark, which Excel needs to read Chinese text correctly.

use super::xlsx::{LIST_HEADINGS, ListCell, list_row};
use crate::domain::form::FormGrid;
use crate::storage::listing::EvaluationSummary;

/// The list as CSV text.
#[must_use]
pub fn list_csv(items: &[EvaluationSummary]) -> String {
    let mut out = String::from("\u{feff}");
    push_line(&mut out, LIST_HEADINGS.iter().map(|h| (*h).to_owned()));
    for item in items {
        push_line(
            &mut out,
            list_row(item).into_iter().map(|cell| match cell {
                ListCell::Text(text) => text,
                ListCell::Number(number) => number.to_string(),
            }),
        );
    }
    out
}

/// The form's grid as CSV: one line per grid row, one field per column; a merged cell's text
/// is in its top-left field and the fields it covers are empty.
#[must_use]
pub fn form_csv(grid: &FormGrid) -> String {
    let mut out = String::from("\u{feff}");
    let width = grid.columns as usize;
    push_line(
        &mut out,
        std::iter::once(format!("{}{}", grid.title, grid.subtitle)),
    );
    for row in &grid.rows {
        let mut fields = vec![String::new(); width];
        for cell in &row.cells {
            if let Some(field) = fields.get_mut(cell.col as usize) {
                field.clone_from(&cell.text);
            }
        }
        push_line(&mut out, fields.into_iter());
    }
    out
}

fn push_line(out: &mut String, fields: impl Iterator<Item = String>) {
    let mut first = true;
    for field in fields {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&quote(&field));
    }
    out.push_str("\r\n");
}

/// Quotes a field when it holds a separator, a quote or a line break; a field that a
/// spreadsheet would run as a formula is prefixed with `'`: one starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return (spreadsheets skip the last two and read what follows).
fn quote(field: &str) -> String {
    let runs_as_formula = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let field = if runs_as_formula && field.parse::<f64>().is_err() {
        format!("'{field}")
    } else {
        field.to_owned()
    };
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(quote("-1.5"), "-1.5");
        assert_eq!(quote("\t=1+1"), "'\t=1+1");
        assert_eq!(quote("\r=1+1"), "\"'\r=1+1\"");
        assert_eq!(quote("衡阳县"), "衡阳县");
    }
}

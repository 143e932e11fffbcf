//! Cell references as Excel writes them: `F12` is row 11, column 5 (both 0-based here), and a
//! range is `A1:B2`. Parsing is checked arithmetic over at most Excel's own grid
//! (`XFD1048576`), so a reference like `ZZZZZZZZ99999999999` is refused, never wrapped.

/// The last row of a worksheet, 0-based (row 1 048 576).
pub const LAST_ROW: u32 = 1_048_575;
/// The last column of a worksheet, 0-based (column XFD).
pub const LAST_COL: u32 = 16_383;

/// `F12` for row 11, column 5 (both 0-based).
#[must_use]
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    letters.reverse();
    let letters: String = letters.into_iter().collect();
    format!("{letters}{}", u64::from(row) + 1)
}

/// The 0-based (row, column) of `F12`, or `None` when the text is not a cell of Excel's grid.
#[must_use]
pub fn parse_cell(text: &str) -> Option<(u32, u32)> {
    let digits_at = text.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = text.split_at(digits_at);
    if letters.is_empty() || letters.len() > 3 || digits.len() > 7 {
        return None;
    }
    let mut col: u32 = 0;
    for letter in letters.bytes() {
        let value = match letter {
            b'A'..=b'Z' => letter - b'A' + 1,
            b'a'..=b'z' => letter - b'a' + 1,
            _ => return None,
        };
        col = col * 26 + u32::from(value);
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0') {
        return None;
    }
    let row: u32 = digits.parse().ok()?;
    let (row, col) = (row - 1, col - 1);
    (row <= LAST_ROW && col <= LAST_COL).then_some((row, col))
}

/// The top-left and bottom-right corners of `A1:B2` (or of a single cell, `A1`), in order
/// whichever way round the range was written.
#[must_use]
pub fn parse_range(text: &str) -> Option<((u32, u32), (u32, u32))> {
    let (first, second) = text.split_once(':').unwrap_or((text, text));
    let (r1, c1) = parse_cell(first)?;
    let (r2, c2) = parse_cell(second)?;
    Some(((r1.min(r2), c1.min(c2)), (r1.max(r2), c1.max(c2))))
}

/// A row number as a `<row r="12">` attribute gives it, 0-based.
#[must_use]
pub fn parse_row(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 7 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let row: u32 = text.parse().ok()?;
    row.checked_sub(1).filter(|r| *r <= LAST_ROW)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_written_like_excel() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(11, 5), "F12");
        assert_eq!(cell_ref(0, 25), "Z1");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(1_999, 63), "BL2000");
        assert_eq!(cell_ref(LAST_ROW, LAST_COL), "XFD1048576");
        assert_eq!(cell_ref(u32::MAX, u32::MAX), "MWLQKWV4294967296");
    }

    #[test]
    fn references_read_back_to_the_same_cell() {
        for (row, col) in [(0, 0), (11, 5), (0, 26), (701, 702), (LAST_ROW, LAST_COL)] {
            assert_eq!(parse_cell(&cell_ref(row, col)), Some((row, col)));
        }
        assert_eq!(parse_cell("XFD1048576"), Some((LAST_ROW, LAST_COL)));
        assert_eq!(parse_cell("bl2000"), Some((1_999, 63)));
    }

    #[test]
    fn references_beyond_the_grid_or_malformed_are_refused() {
        for text in [
            "",
            "A",
            "1",
            "A0",
            "A01",
            "XFE1",
            "A1048577",
            "ZZZZZZZZ99999999999",
            "AAAA1",
            "A99999999",
            "A1B",
            "$A$1",
            "A-1",
            "Ä1",
            "A1 ",
        ] {
            assert_eq!(parse_cell(text), None, "{text:?}");
        }
    }

    #[test]
    fn ranges_are_put_in_order() {
        assert_eq!(parse_range("A1:B2"), Some(((0, 0), (1, 1))));
        assert_eq!(parse_range("B2:A1"), Some(((0, 0), (1, 1))));
        assert_eq!(parse_range("C3"), Some(((2, 2), (2, 2))));
        assert_eq!(
            parse_range("A1:XFD1048576"),
            Some(((0, 0), (LAST_ROW, LAST_COL)))
        );
        assert_eq!(parse_range("A1:"), None);
        assert_eq!(parse_range("A1:ZZZZZZZZ99999999999"), None);
    }

    #[test]
    fn row_numbers_are_checked() {
        assert_eq!(parse_row("1"), Some(0));
        assert_eq!(parse_row("1048576"), Some(LAST_ROW));
        for text in ["0", "1048577", "", "-1", "99999999999999999999", "1e3"] {
            assert_eq!(parse_row(text), None, "{text:?}");
        }
    }
}

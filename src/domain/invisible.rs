//! Characters that take no place on the page: Unicode's format characters (general category
//! Cf), such as the zero-width space U+200B and the bidirectional controls U+202A–U+202E.
//!
//! A name that differs from another only by such characters looks the same to every reader,
//! so identities (a unit's name or budget code, a project's name) are compared without them.

/// Every range of general category Cf, as of Unicode 15.1.
const FORMAT_CHARACTERS: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// Whether `c` is a format character (Cf): present in the text, absent from the page.
#[must_use]
pub fn is_format_character(c: char) -> bool {
    let c = u32::from(c);
    // The table is sorted, so the last range starting at or before `c` is the only candidate.
    let after = FORMAT_CHARACTERS.partition_point(|&(start, _)| start <= c);
    after > 0 && c <= FORMAT_CHARACTERS[after - 1].1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_disjoint() {
        for pair in FORMAT_CHARACTERS.windows(2) {
            assert!(pair[0].0 <= pair[0].1 && pair[0].1 < pair[1].0, "{pair:?}");
        }
    }

    #[test]
    fn zero_width_and_bidirectional_controls_are_format_characters() {
        for c in [
            '\u{00AD}',
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{200E}',
            '\u{200F}',
            '\u{202A}',
            '\u{202B}',
            '\u{202E}',
            '\u{2060}',
            '\u{2066}',
            '\u{2069}',
            '\u{FEFF}',
            '\u{E0001}',
            '\u{E007F}',
        ] {
            assert!(is_format_character(c), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn visible_text_and_its_neighbours_are_not() {
        for c in [
            'a',
            '0',
            '甲',
            '　',
            ' ',
            '\u{00AC}',
            '\u{00AE}',
            '\u{200A}',
            '\u{2010}',
            '\u{2029}',
            '\u{2065}',
            '\u{FEFE}',
            '\u{FFFC}',
            '\u{E0000}',
            '\u{E0080}',
        ] {
            assert!(!is_format_character(c), "U+{:04X}", u32::from(c));
        }
    }
}

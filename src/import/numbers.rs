//! A number cell as Excel shows it. The stored `<v>` text is read straight into a `Decimal`
//! (never through `f64`, which would turn `0.1` into `0.1000000000000000055…`), then shown with
//! the decimals its number format fixes, rounded half away from zero as Excel rounds for
//! display; a percent format shows the value ×100 with `%`, `General` the exact shortest form,
//! and a date format the date as `YYYY-MM-DD`.

use rust_decimal::{Decimal, RoundingStrategy};

use super::dates;

/// A number cell's text as displayed, and its value with the decimals shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    /// The text as the cell shows it.
    pub text: String,
    /// The number, with the decimals its format shows; `None` for a date, or a number too
    /// large or too small for a `Decimal` (kept as written).
    pub number: Option<Decimal>,
}

/// Whether `v` is a number as XML Schema writes a double: optional sign, digits with an
/// optional point, an optional exponent. Excel writes nothing else into a numeric `<v>`.
#[must_use]
pub fn is_number(v: &str) -> bool {
    let bytes = v.as_bytes();
    let mut i = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let digits_from = i;
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let mut digits = i - digits_from;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        let from = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        digits += i - from;
    }
    if digits == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let from = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == from {
            return false;
        }
    }
    i == bytes.len()
}

/// The value of a numeric `<v>`, `None` when it does not fit a `Decimal` (beyond ±7.9e28, or
/// more than 28 decimal places). Call only on text `is_number` accepts.
#[must_use]
pub fn parse(v: &str) -> Option<Decimal> {
    let v = v.strip_prefix('+').unwrap_or(v);
    v.parse::<Decimal>().ok()
}

/// How a number shows under a format code (`None` is `General`).
#[must_use]
pub fn show(value: Decimal, format: Option<&str>, date1904: bool) -> Shown {
    let format = format.unwrap_or("General");
    if let Some(parts) = dates::date_parts(format) {
        if let Some(text) = dates::serial_to_text(value, parts, date1904) {
            return Shown { text, number: None };
        }
    }
    let percent = format.contains('%');
    let shown = if percent {
        value.checked_mul(Decimal::ONE_HUNDRED)
    } else {
        Some(value)
    };
    let Some(shown) = shown else {
        return Shown {
            text: value.to_string(),
            number: Some(value),
        };
    };
    let mut number = match decimals_of(format) {
        Some(scale) => {
            let mut rounded =
                shown.round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero);
            rounded.rescale(scale);
            rounded
        }
        None => shown.normalize(),
    };
    // Excel shows −0.001 under `0.00` as 0.00, not −0.00.
    if number.is_zero() {
        number.set_sign_positive(true);
    }
    let text = if percent {
        format!("{number}%")
    } else {
        number.to_string()
    };
    Shown {
        text,
        number: Some(number),
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
    // A Decimal holds at most 28 decimals; no real format asks for more.
    u32::try_from(decimals.min(28)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(v: &str, format: Option<&str>) -> String {
        show(parse(v).unwrap(), format, false).text
    }

    #[test]
    fn numbers_keep_the_decimals_their_format_shows() {
        assert_eq!(shown("239.31", Some("0.00")), "239.31");
        assert_eq!(shown("10", Some("0.00")), "10.00");
        assert_eq!(shown("10", Some("0")), "10");
        assert_eq!(shown("0.9269", Some("0.00%")), "92.69%");
        assert_eq!(shown("0.5", Some("0%")), "50%");
        assert_eq!(shown("11500000", Some("#,##0.00")), "11500000.00");
        assert_eq!(shown("1.15E7", Some("#,##0.00")), "11500000.00");
        assert_eq!(shown("1234.5", Some("#,##0.00;[Red]-#,##0.00")), "1234.50");
        assert_eq!(shown("1234.5", Some("\"¥\"#,##0.0_ ")), "1234.5");
        assert_eq!(shown("7", Some("@")), "7");
    }

    #[test]
    fn rounding_is_half_away_from_zero_as_excel_displays() {
        assert_eq!(shown("2.345", Some("0.00")), "2.35");
        assert_eq!(shown("2.355", Some("0.00")), "2.36");
        assert_eq!(shown("-2.345", Some("0.00")), "-2.35");
        assert_eq!(shown("0.5", Some("0")), "1");
        assert_eq!(shown("1.5", Some("0")), "2");
        assert_eq!(shown("2.5", Some("0")), "3");
        assert_eq!(shown("-0.001", Some("0.00")), "0.00");
        assert_eq!(shown("0.12345", Some("0.00%")), "12.35%");
    }

    #[test]
    fn general_is_the_exact_shortest_form() {
        assert_eq!(shown("239.31", None), "239.31");
        assert_eq!(shown("2.50", Some("General")), "2.5");
        assert_eq!(shown("0.30000000000000004", None), "0.30000000000000004");
        assert_eq!(shown("1.15E7", None), "11500000");
        assert_eq!(shown("1.15E+7", None), "11500000");
        assert_eq!(shown("1e-5", None), "0.00001");
        assert_eq!(shown("-0", None), "0");
        assert_eq!(
            show(parse("0.1").unwrap(), None, false).number,
            "0.1".parse().ok()
        );
    }

    #[test]
    fn only_numbers_are_numbers() {
        for v in [
            "1", "-1", "+1", "1.", ".5", "1.5e3", "1.15E+7", "1E-5", "007",
        ] {
            assert!(is_number(v), "{v:?}");
        }
        for v in [
            "", " 1", "1 ", "-", ".", "e5", "1e", "1e+", "1.2.3", "NaN", "inf", "1_000", "0x10",
            "12,5", "1.5E3.2", "١",
        ] {
            assert!(!is_number(v), "{v:?}");
        }
    }

    #[test]
    fn numbers_beyond_a_decimal_are_kept_as_written() {
        assert_eq!(parse("1E300"), None);
        assert_eq!(parse("4.9406564584124654E-324"), None);
        assert_eq!(parse("1.7976931348623157E+308"), None);
        assert_eq!(parse("1E28"), "1E28".parse().ok());
    }

    #[test]
    fn dates_show_as_iso_dates() {
        let date = |v: &str, format: &str| show(parse(v).unwrap(), Some(format), false);
        assert_eq!(date("44390", "yyyy-mm-dd").text, "2021-07-13");
        assert_eq!(date("44390", "yyyy-mm-dd").number, None);
        assert_eq!(date("44390", "yyyy\"年\"m\"月\"d\"日\"").text, "2021-07-13");
        assert_eq!(
            date("44390.5", "yyyy-mm-dd h:mm").text,
            "2021-07-13 12:00:00"
        );
        assert_eq!(date("0.75", "h:mm").text, "18:00:00");
    }

    proptest::proptest! {
        #[test]
        fn any_value_under_any_format_shows_without_panicking(
            v in "[-+]?[0-9]{0,30}(\\.[0-9]{0,30})?([eE][-+]?[0-9]{1,5})?",
            format in "[0.#,%;\"yYmMdDhHsS\\[\\]$ _*@E+-]{0,16}",
            date1904 in proptest::bool::ANY,
        ) {
            if is_number(&v) {
                if let Some(value) = parse(&v) {
                    let shown = show(value, Some(&format), date1904);
                    proptest::prop_assert!(!shown.text.is_empty());
                }
            }
        }
    }
}

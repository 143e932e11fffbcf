//! Exact decimals as they travel in JSON: read from a string or from a number's own text, never
//! through `f64`, and always written back as a string with the scale they arrived with.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{RefOr, schema::SchemaType};

/// An exact decimal number: an amount, a weight, a score or a rate.
///
/// Accepted as a JSON string (`"239.31"`, `"11,122,315.04"`) or a JSON number, whose digits are
/// read from the text as sent; returned as a string that keeps the scale (`"10.00"` stays
/// `"10.00"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Dec(pub Decimal);

impl Dec {
    /// The value as a `Decimal` for arithmetic.
    #[must_use]
    pub fn get(self) -> Decimal {
        self.0
    }
}

impl From<Decimal> for Dec {
    fn from(value: Decimal) -> Self {
        Self(value)
    }
}

impl fmt::Display for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Why a text could not be read as a decimal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", super::problems::not_a_decimal(&self.text, self.grouping))]
pub struct NotADecimal {
    text: String,
    /// The digits were there, but a separator stood where no thousands separator can.
    grouping: bool,
}

impl NotADecimal {
    /// Whether the text failed only for a separator between digit groups not of three
    /// (`1，2`), which could be a decimal point as well as a thousands separator.
    #[must_use]
    pub fn is_ambiguous_grouping(&self) -> bool {
        self.grouping
    }
}

impl FromStr for Dec {
    type Err = NotADecimal;

    /// Reads plain (`239.31`), grouped (`11,122,315.04`, `1，234`, `1、234`) and exponent (`1e3`)
    /// notation, with full-width digits, point and minus read as their ASCII forms.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = |grouping| NotADecimal {
            text: text.to_owned(),
            grouping,
        };
        let folded = fold_figure(text);
        let plain = if folded.contains(',') {
            ungroup_thousands(&folded)
                .ok_or_else(|| fail(folded.bytes().any(|b| b.is_ascii_digit())))?
        } else {
            folded
        };
        let well_formed = !plain.is_empty()
            && plain
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
        if !well_formed {
            return Err(fail(false));
        }
        let parsed = if plain.contains(['e', 'E']) {
            Decimal::from_scientific(&plain)
        } else {
            Decimal::from_str_exact(plain.trim_start_matches('+'))
        };
        parsed.map(Dec).map_err(|_| fail(false))
    }
}

/// Folds what forms print into ASCII: full-width digits `０-９`, the full-width point `．`,
/// full-width and typographic minus and plus signs, and the separators `，` and `、` (which
/// forms print between groups of three digits) into `,`; white space around is dropped.
#[must_use]
pub fn fold_figure(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '．' => '.',
            '－' | '−' | '﹣' => '-',
            '＋' | '﹢' => '+',
            '，' | '、' | '﹐' => ',',
            'ｅ' => 'e',
            'Ｅ' => 'E',
            other => other,
        })
        .collect()
}

/// `11,122,315.04` → `11122315.04`, refusing commas that are not thousands separators.
fn ungroup_thousands(text: &str) -> Option<String> {
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (integer, fraction) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let mut groups = integer.split(',');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 {
        return None;
    }
    let mut digits = first.to_owned();
    for group in groups {
        if group.len() != 3 {
            return None;
        }
        digits.push_str(group);
    }
    let mut out = format!("{sign}{digits}");
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    Some(out)
}

impl Serialize for Dec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(PlainText::of(self.0).as_str())
    }
}

/// A decimal written out as `Decimal`'s `Display` writes it (every digit of its scale, a `-`
/// for a negative sign, `0` before a bare fraction), on the stack. Every stored form and
/// result carries dozens of figures, and findings and explanations show a few each; going
/// through `fmt` for each was a tenth of the work of encoding a form.
struct PlainText {
    bytes: [u8; Self::CAPACITY],
    start: usize,
}

impl PlainText {
    /// A sign, 29 digits (a 96-bit mantissa has at most 29), a point and a leading `0`.
    const CAPACITY: usize = 32;

    fn of(value: Decimal) -> Self {
        let mut text = Self {
            bytes: [0; Self::CAPACITY],
            start: Self::CAPACITY,
        };
        let scale = value.scale() as usize;
        let mut written = 0;
        // Digits from the last. The few mantissas wider than 64 bits are divided as such only
        // until they fit, since a 128-bit division costs several times a 64-bit one.
        let mut wide = value.mantissa().unsigned_abs();
        let mut narrow = loop {
            match u64::try_from(wide) {
                Ok(narrow) => break narrow,
                Err(_) => {
                    text.push_digit((wide % 10) as u8, &mut written, scale);
                    wide /= 10;
                }
            }
        };
        // At least one digit before the point.
        while narrow > 0 || written <= scale {
            text.push_digit((narrow % 10) as u8, &mut written, scale);
            narrow /= 10;
        }
        if value.is_sign_negative() {
            text.push(b'-');
        }
        text
    }

    fn push_digit(&mut self, digit: u8, written: &mut usize, scale: usize) {
        if *written == scale && scale > 0 {
            self.push(b'.');
        }
        self.push(b'0' + digit);
        *written += 1;
    }

    fn push(&mut self, byte: u8) {
        self.start -= 1;
        self.bytes[self.start] = byte;
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits, `.` and `-` are written.
        std::str::from_utf8(&self.bytes[self.start..]).unwrap_or_default()
    }
}

impl<'de> Deserialize<'de> for Dec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_json_text::<D>(&<Box<RawValue>>::deserialize(deserializer)?)?
            .parse()
            .map_err(D::Error::custom)
    }
}

/// A rate in percent as forms print it: `94`, `"100.00%"`, `103.21`; the `%` sign is dropped,
/// the digits are kept.
///
/// # Errors
/// When the value is not a decimal with an optional trailing percent sign.
pub fn deserialize_percent<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Dec>, D::Error> {
    let Some(raw) = <Option<Box<RawValue>>>::deserialize(deserializer)? else {
        return Ok(None);
    };
    let text = read_json_text::<D>(&raw)?;
    strip_percent(&text)
        .parse()
        .map(Some)
        .map_err(D::Error::custom)
}

/// A printed rate without its percent sign (`100.00%` → `100.00`).
#[must_use]
pub fn strip_percent(text: &str) -> &str {
    let text = text.trim();
    text.strip_suffix('%')
        .or_else(|| text.strip_suffix('％'))
        .unwrap_or(text)
        .trim_end()
}

/// The text of a JSON string, or the digits of a JSON number exactly as written.
fn read_json_text<'de, D: Deserializer<'de>>(raw: &RawValue) -> Result<String, D::Error> {
    // The raw JSON text keeps a number's digits; a typed visitor would get an f64.
    let text = raw.get();
    if text.starts_with('"') {
        serde_json::from_str::<String>(text).map_err(D::Error::custom)
    } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        Ok(text.to_owned())
    } else {
        Err(D::Error::custom(format!(
            "expected a decimal as a string or number, found {}",
            describe_json(text)
        )))
    }
}

fn describe_json(text: &str) -> &'static str {
    match text.as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "another value",
    }
}

/// The pattern of a decimal as the service writes it: digits, a point and digits, and a
/// minus sign for the differences a review records (`"-1.00"`).
pub const RESPONSE_PATTERN: &str = r"^-?[0-9]+(\.[0-9]+)?$";

/// The pattern of a figure a request sends as a string: plain (`"239.31"`) or in groups of
/// three (`"11,122,315.04"`), at most 15 digits before the point and 10 after it, so that any
/// string it admits is within the limits of every rule.
pub const REQUEST_PATTERN: &str = r"^([0-9]{1,15}|[0-9]{1,3}(,[0-9]{3}){1,4})(\.[0-9]{1,10})?$";

/// The pattern of a printed rate: a request figure with an optional percent sign, ASCII or
/// full-width.
pub const PERCENT_PATTERN: &str =
    r"^([0-9]{1,15}|[0-9]{1,3}(,[0-9]{3}){1,4})(\.[0-9]{1,10})?[%％]?$";

impl utoipa::PartialSchema for Dec {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .pattern(Some(RESPONSE_PATTERN))
            .description(Some(
                "An exact decimal, always returned as a string that keeps its scale (\"10.00\" \
                 stays \"10.00\"). Figures of a form are never negative; a difference between \
                 two scores may be (\"-1.00\").",
            ))
            .examples(["239.31"])
            .into()
    }
}

impl utoipa::ToSchema for Dec {
    fn name() -> std::borrow::Cow<'static, str> {
        "Decimal".into()
    }
}

/// The largest magnitude a figure may have: far above any budget in 元, and small enough that
/// no product or quotient the rules form can overflow a `Decimal`.
pub const MAX_MAGNITUDE: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0); // 10^15

/// The most decimal places a figure may have.
pub const MAX_SCALE: u32 = 10;

/// Whether `value` lies within the magnitude and precision every rule can work with exactly.
#[must_use]
pub fn within_limits(value: Decimal) -> bool {
    if value.scale() > MAX_SCALE {
        return false;
    }
    // A mantissa within the bound is within it at any scale; only a larger one needs the
    // comparison, which rescales.
    value.mantissa().unsigned_abs() <= MAX_MAGNITUDE.mantissa().unsigned_abs()
        || value.abs() <= MAX_MAGNITUDE
}

/// The request-side schema of a figure: a decimal string or a JSON number, both read exactly.
/// Responses always carry the string form (`Decimal`).
pub struct DecimalInput;

/// The request-side schema of a printed rate: like `DecimalInput`, with an optional `%`.
pub struct PercentInput;

fn input_schema(description: &str, pattern: &str) -> RefOr<Schema> {
    // Only the string form is declared, so that generated clients send figures as text and
    // never round them through a binary float; the JSON number the service also reads would
    // make them a union of a string and a float.
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .pattern(Some(pattern))
        .description(Some(description))
        .examples(["239.31"])
        .into()
}

impl utoipa::PartialSchema for DecimalInput {
    fn schema() -> RefOr<Schema> {
        input_schema(
            "An exact non-negative decimal as a string: \"239.31\", or with thousands \
             separators, \"11,122,315.04\"; at most 15 digits before the point and 10 after \
             it. The service also reads a JSON number digit for digit (never through floating \
             point), but a client that sends strings keeps every digit it was given.",
            REQUEST_PATTERN,
        )
    }
}

impl utoipa::ToSchema for DecimalInput {
    fn name() -> std::borrow::Cow<'static, str> {
        "DecimalInput".into()
    }
}

impl utoipa::PartialSchema for PercentInput {
    fn schema() -> RefOr<Schema> {
        input_schema(
            "A rate in percent as printed, as a string: \"94\", \"100.00%\"; the percent \
             sign is dropped and the digits kept. A JSON number is read too.",
            PERCENT_PATTERN,
        )
    }
}

impl utoipa::ToSchema for PercentInput {
    fn name() -> std::borrow::Cow<'static, str> {
        "PercentInput".into()
    }
}

/// Rounds half up (away from zero) to two places and shows both places: `6.4` → `6.40`.
#[must_use]
pub fn round2(value: Decimal) -> Decimal {
    let (magnitude, scale) = (value.mantissa().unsigned_abs(), value.scale());
    // Weights, declared scores and whole-number rule scores have two places or fewer: they are
    // only widened. Quotients carry up to 28 places: their mantissa is divided down to two
    // places at once, rounding half away from zero, rather than place by place.
    let shown = if scale <= 2 {
        magnitude * 10_u128.pow(2 - scale)
    } else {
        let divisor = 10_u128.pow(scale - 2);
        let quotient = magnitude / divisor;
        let remainder = magnitude - quotient * divisor;
        quotient + u128::from(remainder * 2 >= divisor)
    };
    if shown <= MAX_MANTISSA {
        // What rounds to zero is a plain zero, as the general rounding gives it; a negative
        // zero stays one.
        let negative = value.is_sign_negative() && (shown != 0 || magnitude == 0);
        return from_magnitude(shown, negative, 2);
    }
    let mut rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    rounded
}

/// The largest mantissa a `Decimal` holds: 96 bits.
const MAX_MANTISSA: u128 = (1 << 96) - 1;

/// `±magnitude × 10^-scale`, for a magnitude within [`MAX_MANTISSA`] and a scale up to 28:
/// built from its parts, without the checks `from_i128_with_scale` makes.
fn from_magnitude(magnitude: u128, negative: bool, scale: u32) -> Decimal {
    debug_assert!(magnitude <= MAX_MANTISSA && scale <= 28);
    // The three 32-bit words of the mantissa, lowest first.
    let word = |shift: u32| (magnitude >> shift) as u32;
    let mut value = Decimal::from_parts(word(0), word(32), word(64), false, scale);
    value.set_sign_negative(negative);
    value
}

/// `*total += value`, with the same result to the last place and scale. Sums of weights and
/// scores add figures of one scale, mostly not negative: those add their mantissas directly,
/// where the general addition first works out how to align and round them.
pub fn add_to(total: &mut Decimal, value: Decimal) {
    if total.scale() == value.scale() && !total.is_sign_negative() && !value.is_sign_negative() {
        let sum = total.mantissa().unsigned_abs() + value.mantissa().unsigned_abs();
        if sum <= MAX_MANTISSA {
            *total = from_magnitude(sum, false, value.scale());
            return;
        }
    }
    *total += value;
}

/// `value / 100` exactly as `Decimal`'s division gives it (`1500` → `15`, `1250` → `12.50`),
/// by moving the point rather than dividing: every qualitative band takes a percentage of a
/// weight.
#[must_use]
pub fn hundredth(value: Decimal) -> Decimal {
    let (magnitude, scale) = (value.mantissa().unsigned_abs(), value.scale());
    // Weights and percentages have a few places; many places or digits, where the division
    // starts to trim and round, are divided.
    if magnitude == 0 || scale > 8 || magnitude > u128::from(u64::MAX) {
        return value / Decimal::ONE_HUNDRED;
    }
    // The division keeps the scale where the mantissa divides by 100, and adds two places
    // where it does not.
    let negative = value.is_sign_negative();
    if magnitude % 100 == 0 {
        from_magnitude(magnitude / 100, negative, scale)
    } else {
        from_magnitude(magnitude, negative, scale + 2)
    }
}

/// `value` shown as on a form: trailing zeros dropped (`10.00` → `10`, `6.40` → `6.4`).
#[must_use]
pub fn plain(value: Decimal) -> String {
    let mut text = String::new();
    write_plain(&mut text, value);
    text
}

/// Appends [`plain`]`(value)` to `out`: the digits as written, less the zeros that end the
/// fraction, which is what `normalize` and then `Display` give without the divisions.
pub fn write_plain(out: &mut String, value: Decimal) {
    let written = PlainText::of(value);
    let mut shown = written.as_str();
    if shown.contains('.') {
        shown = shown.trim_end_matches('0').trim_end_matches('.');
    }
    // A zero is shown without a sign, as `normalize` makes it.
    out.push_str(if shown == "-0" { "0" } else { shown });
}

/// `value` written as its `Display` writes it (`239.31`, `10.00`, `-0.05`).
#[must_use]
pub fn decimal_text(value: Decimal) -> String {
    PlainText::of(value).as_str().to_owned()
}

/// Appends `value` to `out` as its `Display` writes it, without going through a formatter.
pub fn write_decimal(out: &mut String, value: Decimal) {
    out.push_str(PlainText::of(value).as_str());
}

#[cfg(test)]
mod tests {
    #[test]
    fn plain_text_writes_what_display_writes() {
        let mut cases = vec![
            Decimal::ZERO,
            Decimal::new(0, 2),
            -Decimal::new(0, 2),
            Decimal::new(5, 3),
            Decimal::new(-5, 3),
            Decimal::new(1000, 2),
            Decimal::new(123, 0),
            Decimal::new(1_112_231_504, 2),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(1, 28),
            Decimal::new(-1, 28),
        ];
        // A deterministic spread of mantissas and scales.
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let high = u32::try_from(seed >> 40).unwrap();
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let low = seed;
            let scale = u32::try_from(seed % 29).unwrap();
            let digits = (seed >> 8) % 4;
            let (lo, mid, hi) = match digits {
                0 => (u32::try_from(low % 1000).unwrap(), 0, 0),
                1 => (u32::try_from(low >> 32).unwrap(), 0, 0),
                2 => (
                    u32::try_from(low >> 32).unwrap(),
                    u32::try_from(low & 0xffff_ffff).unwrap(),
                    0,
                ),
                _ => (
                    u32::try_from(low >> 32).unwrap(),
                    u32::try_from(low & 0xffff_ffff).unwrap(),
                    high,
                ),
            };
            cases.push(Decimal::from_parts(lo, mid, hi, seed & 1 == 1, scale));
        }
        for value in cases {
            assert_eq!(
                PlainText::of(value).as_str(),
                value.to_string(),
                "{value:?}"
            );
        }
    }

    use super::*;

    /// `round2` and `add_to` as the general `Decimal` operations give them, scale included.
    fn general_round2(value: Decimal) -> Decimal {
        let mut rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        rounded.rescale(2);
        rounded
    }

    fn same(a: Decimal, b: Decimal) -> bool {
        a == b && a.scale() == b.scale() && a.is_sign_negative() == b.is_sign_negative()
    }

    #[test]
    fn the_short_ways_give_what_the_general_operations_give_at_the_edges() {
        let max_mantissa = i128::try_from(super::MAX_MANTISSA).unwrap();
        let edges = [
            Decimal::ZERO,
            Decimal::new(0, 2),
            Decimal::from_parts(0, 0, 0, true, 0),
            Decimal::from_parts(0, 0, 0, true, 1),
            Decimal::new(5, 1),
            Decimal::new(-5, 1),
            Decimal::new(640, 2),
            Decimal::new(10, 0),
            Decimal::new(-3, 0),
            Decimal::new(12_345, 3),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::from_i128_with_scale(max_mantissa / 100, 0),
            Decimal::from_i128_with_scale(max_mantissa / 100 + 1, 0),
            Decimal::from_i128_with_scale(max_mantissa / 10, 1),
            Decimal::from_i128_with_scale(max_mantissa / 10 + 1, 1),
            Decimal::from_i128_with_scale(max_mantissa, 2),
            Decimal::from_i128_with_scale(max_mantissa, 28),
            // A negative zero, what rounds to zero, and figures of many digits or places.
            Decimal::from_parts(0, 0, 0, true, 3),
            Decimal::new(-1, 3),
            Decimal::new(-4_894_452_721_986_002_980, 0),
            Decimal::new(4_472_732_489_149_720_790, 20),
            Decimal::from_i128_with_scale(-2_134_883_541_162_876_735_265_159_010, 0),
        ];
        for a in edges {
            assert!(same(round2(a), general_round2(a)), "round2({a:?})");
            assert!(same(hundredth(a), a / Decimal::ONE_HUNDRED), "{a:?} / 100");
            assert_eq!(plain(a), a.normalize().to_string(), "plain({a:?})");
            for b in edges {
                // Beyond the largest decimal both additions overflow, and the service never
                // adds there.
                let Some(sum) = a.checked_add(b) else {
                    continue;
                };
                let mut total = a;
                add_to(&mut total, b);
                assert!(same(total, sum), "{a:?} + {b:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn round2_and_add_to_are_the_general_operations(
            a in proptest::num::i128::ANY,
            b in proptest::num::i64::ANY,
            scale_a in 0_u32..=28,
            scale_b in 0_u32..=4,
            negative in proptest::bool::ANY,
        ) {
            for mantissa in [a >> 32, a >> 80, i128::from(b), i128::from(b % 10_000)] {
                let mut value = Decimal::from_i128_with_scale(mantissa, scale_a);
                value.set_sign_negative(negative && mantissa == 0 || value.is_sign_negative());
                proptest::prop_assert!(same(round2(value), general_round2(value)), "{:?}", value);
                for scale in [scale_a, scale_b] {
                    let other = Decimal::from_i128_with_scale(i128::from(b) >> 8, scale);
                    let mut total = value;
                    add_to(&mut total, other);
                    proptest::prop_assert!(same(total, value + other), "{:?} + {:?}", value, other);
                }
            }
        }

        #[test]
        fn hundredth_and_plain_are_the_general_division_and_normalization(
            mantissa in proptest::num::i128::ANY,
            small in proptest::num::i64::ANY,
            scale in 0_u32..=28,
        ) {
            for mantissa in [mantissa >> 32, i128::from(small), i128::from(small % 1000) * 100] {
                let value = Decimal::from_i128_with_scale(mantissa, scale);
                proptest::prop_assert!(
                    same(hundredth(value), value / Decimal::ONE_HUNDRED),
                    "{:?}", value
                );
                proptest::prop_assert_eq!(plain(value), value.normalize().to_string());
            }
        }

        #[test]
        fn decimal_text_is_what_display_writes(
            mantissa in proptest::num::i128::ANY,
            small in proptest::num::i64::ANY,
            scale in 0_u32..=28,
        ) {
            for mantissa in [mantissa >> 32, i128::from(small), i128::from(small % 1000)] {
                let value = Decimal::from_i128_with_scale(mantissa, scale);
                proptest::prop_assert_eq!(decimal_text(value), value.to_string());
            }
        }
    }

    #[test]
    fn decimal_text_writes_zeros_signs_and_small_fractions_as_display_does() {
        for value in [
            Decimal::ZERO,
            Decimal::new(0, 2),
            Decimal::from_parts(0, 0, 0, true, 0),
            Decimal::from_parts(0, 0, 0, true, 2),
            Decimal::new(5, 2),
            Decimal::new(-5, 3),
            Decimal::new(23931, 2),
            Decimal::new(1000, 2),
            Decimal::new(i64::MAX, 28),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::from_i128_with_scale(u64::MAX.into(), 28),
            Decimal::from_i128_with_scale(i128::from(u64::MAX) + 1, 3),
        ] {
            assert_eq!(decimal_text(value), value.to_string(), "{value:?}");
        }
        assert_eq!(plain(Decimal::new(640, 2)), "6.4");
        assert_eq!(plain(Decimal::new(1000, 2)), "10");
    }

    fn dec(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    #[test]
    fn reads_strings_and_numbers_exactly() {
        for (json, expected) in [
            (r#""239.31""#, "239.31"),
            ("239.31", "239.31"),
            ("10.00", "10.00"),
            (r#""10.00""#, "10.00"),
            ("0.30000000000000000001", "0.30000000000000000001"),
            (r#""11,122,315.04""#, "11122315.04"),
            ("1e3", "1000"),
            ("-5", "-5"),
        ] {
            let parsed: Dec = serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
            assert_eq!(parsed.to_string(), expected, "case {json}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_decimal() {
        for json in [
            r#""""#,
            r#""abc""#,
            r#""1,23""#,
            r#""12,3456""#,
            "true",
            "null",
            "[1]",
            r#""94%""#,
        ] {
            assert!(serde_json::from_str::<Dec>(json).is_err(), "case {json}");
        }
    }

    #[test]
    fn reads_printed_rates_with_or_without_a_percent_sign() {
        #[derive(Deserialize)]
        struct Rate {
            #[serde(default, deserialize_with = "deserialize_percent")]
            rate: Option<Dec>,
        }
        for (json, expected) in [
            (r#"{"rate": "94"}"#, Some("94")),
            (r#"{"rate": "100.00%"}"#, Some("100.00")),
            (r#"{"rate": 103.21}"#, Some("103.21")),
            (r#"{"rate": null}"#, None),
            ("{}", None),
        ] {
            let rate: Rate = serde_json::from_str(json).unwrap();
            assert_eq!(
                rate.rate.map(|r| r.to_string()).as_deref(),
                expected,
                "case {json}"
            );
        }
        assert!(serde_json::from_str::<Rate>(r#"{"rate": "94%%x"}"#).is_err());
    }

    #[test]
    fn writes_strings_with_scale() {
        let json = serde_json::to_string(&Dec(dec("6.40"))).unwrap();
        assert_eq!(json, r#""6.40""#);
    }

    #[test]
    fn rounds_half_up_to_two_places() {
        assert_eq!(round2(dec("9.40392")).to_string(), "9.40");
        assert_eq!(round2(dec("93.555")).to_string(), "93.56");
        assert_eq!(round2(dec("93.5549")).to_string(), "93.55");
        assert_eq!(round2(dec("6.4")).to_string(), "6.40");
        assert_eq!(round2(dec("0.005")).to_string(), "0.01");
    }

    #[test]
    fn limits_are_ten_to_the_fifteenth_and_ten_places() {
        assert_eq!(MAX_MAGNITUDE, dec("1000000000000000"));
        assert!(within_limits(dec("1000000000000000")));
        assert!(within_limits(dec("-0.0000000001")));
        assert!(!within_limits(dec("1000000000000000.1")));
        assert!(!within_limits(dec("0.00000000001")));
        // Mantissas above the bound, at a scale that brings the value back within it or not.
        assert!(within_limits(dec("999999999999999.9999999999")));
        assert!(within_limits(dec("-1000000000000000.0000000000")));
        assert!(!within_limits(dec("1000000000000000.0000000001")));
        assert!(!within_limits(dec("-1000000000000000.01")));
    }

    #[test]
    fn the_request_patterns_admit_what_forms_write_and_nothing_the_service_refuses() {
        let request = regex::Regex::new(REQUEST_PATTERN).unwrap();
        let percent = regex::Regex::new(PERCENT_PATTERN).unwrap();
        for text in [
            "239.31",
            "11,122,315.04",
            "0",
            "10.00",
            "999,999,999,999,999.5",
        ] {
            assert!(request.is_match(text), "case {text}");
            assert!(percent.is_match(text), "case {text}");
        }
        for text in ["100.00%", "94％"] {
            assert!(percent.is_match(text), "case {text}");
            assert!(!request.is_match(text), "case {text}");
        }
        for text in [
            "",
            "-5",
            "1,23",
            "12,3456",
            "abc",
            "1.",
            ".5",
            "1000000000000000.1",
        ] {
            assert!(!request.is_match(text), "case {text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn every_string_the_request_pattern_admits_is_read_within_limits(
            text in proptest::string::string_regex(
                REQUEST_PATTERN.trim_start_matches('^').trim_end_matches('$'),
            ).unwrap(),
        ) {
            let read: Dec = text.parse().unwrap();
            proptest::prop_assert!(within_limits(read.get()), "{text}");
            proptest::prop_assert!(read.get() >= Decimal::ZERO, "{text}");
        }

        #[test]
        fn every_decimal_the_service_writes_matches_the_response_pattern(
            mantissa in proptest::num::i64::ANY,
            scale in 0_u32..=10,
        ) {
            let pattern = regex::Regex::new(RESPONSE_PATTERN).unwrap();
            let written = serde_json::to_value(Dec(Decimal::new(mantissa, scale))).unwrap();
            let text = written.as_str().unwrap();
            proptest::prop_assert!(pattern.is_match(text), "{text}");
        }
    }

    #[test]
    fn shows_plain_numbers() {
        assert_eq!(plain(dec("10.00")), "10");
        assert_eq!(plain(dec("6.40")), "6.4");
    }
}

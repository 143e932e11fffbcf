//! Reading the raw text of a 指标值 or 完成值 cell into operator, number and unit, or into
//! qualitative text, the way real forms write them (`≥95%`, `95%以上`, `≤90万元`, `小于5%`,
//! `﹦100`, `2370人`, `有所提升`, `—`).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::decimal::{Dec, within_limits};

/// A comparison written in front of (or behind) a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// ≥, 不低于, 以上.
    Ge,
    /// &gt;, 大于, 超过.
    Gt,
    /// ≤, 不超过, 以下, 以内.
    Le,
    /// &lt;, 小于, 低于.
    Lt,
    /// =, 等于.
    Eq,
}

impl Comparator {
    /// The symbol printed on forms.
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Ge => "≥",
            Self::Gt => ">",
            Self::Le => "≤",
            Self::Lt => "<",
            Self::Eq => "=",
        }
    }

    /// Reads a separate 指标性质 cell (`≥`, `＜`, `不超过`, `=`); `None` when it is not a comparison.
    #[must_use]
    pub fn from_cell(text: &str) -> Option<Self> {
        let normalized = normalize(text);
        let (comparator, rest) = strip_leading_comparator(&normalized);
        comparator.filter(|_| rest.is_empty())
    }
}

/// What a cell holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A number, perhaps with a comparison and a unit.
    Quantity,
    /// Qualitative text such as `有所提升` or `按时完成`.
    Text,
    /// A blank, `—` or `/`.
    Empty,
}

/// A cell read into its parts; `raw` is the text exactly as submitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ParsedValue {
    /// The cell text as submitted.
    pub raw: String,
    /// What the cell holds.
    pub kind: ValueKind,
    /// The comparison, for quantities that carry one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<Comparator>,
    /// The number, for quantities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<Dec>,
    /// The unit after the number (`%`, `万元`, `人次`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// A word around the number that is neither comparison nor unit (`增`, `左右`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
}

impl ParsedValue {
    /// The number of a quantity.
    #[must_use]
    pub fn quantity(&self) -> Option<Decimal> {
        match self.kind {
            ValueKind::Quantity => self.number.map(Dec::get),
            _ => None,
        }
    }

    /// The normalized text, for comparing qualitative cells.
    #[must_use]
    pub fn normalized_text(&self) -> String {
        normalize(&self.raw)
    }
}

/// Words that mean "at least" / "more than" / "at most" / "less than" / "equal", longest first
/// within each meaning so that `不低于` is not read as `低于`.
const LEADING_WORDS: &[(&str, Comparator)] = &[
    ("大于或等于", Comparator::Ge),
    ("大于等于", Comparator::Ge),
    ("不低于", Comparator::Ge),
    ("不少于", Comparator::Ge),
    ("不小于", Comparator::Ge),
    ("至少", Comparator::Ge),
    ("达到", Comparator::Ge),
    ("小于或等于", Comparator::Le),
    ("小于等于", Comparator::Le),
    ("不超过", Comparator::Le),
    ("不高于", Comparator::Le),
    ("不多于", Comparator::Le),
    ("不大于", Comparator::Le),
    ("控制在", Comparator::Le),
    ("大于", Comparator::Gt),
    ("高于", Comparator::Gt),
    ("超过", Comparator::Gt),
    ("多于", Comparator::Gt),
    ("小于", Comparator::Lt),
    ("低于", Comparator::Lt),
    ("少于", Comparator::Lt),
    ("等于", Comparator::Eq),
    (">=", Comparator::Ge),
    ("<=", Comparator::Le),
    ("≥", Comparator::Ge),
    ("≤", Comparator::Le),
    (">", Comparator::Gt),
    ("<", Comparator::Lt),
    ("=", Comparator::Eq),
];

/// Whether `c` begins a word of [`LEADING_WORDS`] (a test keeps the two in step).
fn may_begin_comparator(c: char) -> bool {
    matches!(
        c,
        '大' | '不'
            | '至'
            | '达'
            | '小'
            | '控'
            | '高'
            | '超'
            | '多'
            | '低'
            | '少'
            | '等'
            | '>'
            | '<'
            | '≥'
            | '≤'
            | '='
    )
}

/// Words behind a number that state the comparison (`95%以上`, `20万元以内`).
const TRAILING_WORDS: &[(&str, Option<Comparator>)] = &[
    ("及以上", Some(Comparator::Ge)),
    ("以上", Some(Comparator::Ge)),
    ("及以下", Some(Comparator::Le)),
    ("以下", Some(Comparator::Le)),
    ("以内", Some(Comparator::Le)),
    ("之内", Some(Comparator::Le)),
    ("左右", None),
];

/// Words in front of an actual that describe a change rather than a comparison (`增372人次`).
const LEADING_QUALIFIERS: &[&str] = &["增加", "减少", "增长", "大约", "约", "增", "减"];

/// Text that, after a number, shows the cell is a date or a sentence rather than a unit.
const NOT_A_UNIT: &[&str] = &[
    "完成", "前", "底", "后", "提升", "提高", "达", "未", "内", "-", "~", "至", "到", "或",
];

const MAX_UNIT_CHARS: usize = 6;

const EMPTY_MARKS: &[&str] = &["", "—", "——", "-", "--", "–", "/", "\\", "无", "N/A", "n/a"];
/// The longest of [`EMPTY_MARKS`], in bytes: a longer cell is not compared with them.
const LONGEST_EMPTY_MARK: usize = "——".len();

/// Reads one cell. Never fails: what is not a quantity is text, and the raw string is kept.
#[must_use]
pub fn parse_cell(raw: &str) -> ParsedValue {
    parse_cell_into(raw, &mut String::new())
}

/// [`parse_cell`], writing the cell's [`normalize`]d text into `text` (cleared first): a caller
/// reading many cells reuses one buffer, and can compare the folded text as words.
pub fn parse_cell_into(raw: &str, text: &mut String) -> ParsedValue {
    normalize_into(raw, text);
    let mut value = ParsedValue {
        raw: raw.to_owned(),
        kind: ValueKind::Text,
        operator: None,
        number: None,
        unit: None,
        qualifier: None,
    };
    if text.len() <= LONGEST_EMPTY_MARK && EMPTY_MARKS.contains(&text.as_str()) {
        value.kind = ValueKind::Empty;
        return value;
    }
    if let Some(quantity) = read_quantity(text) {
        value.kind = ValueKind::Quantity;
        value.operator = quantity.operator;
        value.number = Some(Dec(quantity.number));
        value.unit = quantity.unit;
        value.qualifier = quantity.qualifier;
    }
    value
}

struct Quantity {
    operator: Option<Comparator>,
    number: Decimal,
    unit: Option<String>,
    qualifier: Option<String>,
}

fn read_quantity(text: &str) -> Option<Quantity> {
    // Most cells begin with their figure, and no qualifier or comparator begins with a digit:
    // those are looked for only before something else.
    let starts_with_digit = text.as_bytes().first().is_some_and(u8::is_ascii_digit);
    let leading = if starts_with_digit {
        None
    } else {
        LEADING_QUALIFIERS
            .iter()
            .find(|q| strip_word(text, q).is_some())
    };
    let (mut qualifier, rest) = match leading {
        Some(q) => (Some((*q).to_owned()), &text[q.len()..]),
        None => (None, text),
    };
    let (mut operator, rest) = if starts_with_digit {
        (None, rest)
    } else {
        strip_leading_comparator(rest)
    };
    let (number, rest) = split_number(rest)?;
    let mut remainder = rest;
    // Every trailing word ends in a Chinese character: after `%`, a letter or nothing, none is.
    let trailing_words = if remainder.as_bytes().last().is_some_and(|b| !b.is_ascii()) {
        TRAILING_WORDS
    } else {
        &[]
    };
    for (word, meaning) in trailing_words {
        if let Some(stripped) = strip_word_end(remainder, word) {
            remainder = stripped;
            match meaning {
                Some(comparator) => {
                    if operator.is_some_and(|op| op != *comparator) {
                        return None;
                    }
                    operator = Some(*comparator);
                }
                None => qualifier = Some((*word).to_owned()),
            }
            break;
        }
    }
    let unit = read_unit(remainder)?;
    Some(Quantity {
        operator,
        number,
        unit,
        qualifier,
    })
}

/// `Ok(None)` for no unit, `None` when the text after the number is not a unit.
fn read_unit(remainder: &str) -> Option<Option<String>> {
    match remainder {
        "" => return Some(None),
        // The commonest unit by far, and plainly one.
        "%" => return Some(Some(remainder.to_owned())),
        _ => {}
    }
    let plausible = remainder.chars().count() <= MAX_UNIT_CHARS
        && !remainder.chars().any(|c| c.is_ascii_digit())
        && !NOT_A_UNIT
            .iter()
            .any(|word| contains_short(remainder, word));
    plausible.then(|| Some(remainder.to_owned()))
}

/// Whether `text`, a few words long (a cell, a name), contains `word`, as `str::contains`
/// answers: a plain scan, since setting up the general substring search costs more than the
/// search itself on text this short. (A match of UTF-8 bytes is a match of characters.)
#[must_use]
pub fn contains_short(text: &str, word: &str) -> bool {
    let Some(&first) = word.as_bytes().first() else {
        return true;
    };
    text.as_bytes()
        .windows(word.len())
        .any(|window| window[0] == first && window == word.as_bytes())
}

/// `text.trim()`, decided from two bytes for text that begins and ends in a character that
/// cannot be white space (an ASCII letter, digit or sign, or a character from U+4000 on, where
/// the CJK ideographs are): names and cells are trimmed on every form, and most need nothing
/// cut.
#[must_use]
pub fn trimmed(text: &str) -> &str {
    let bytes = text.as_bytes();
    // White space is ASCII 9–13 and 32, or begins with byte C2, E1, E2 or E3 (U+0085 to
    // U+3000): an ASCII byte above 32, or a leading byte from E4 on, begins none of it.
    let plainly_kept = |lead: u8| (lead > b' ' && lead.is_ascii()) || lead >= 0xE4;
    let Some(&first) = bytes.first() else {
        return text;
    };
    // The last character begins at the last byte that does not continue one (10xxxxxx).
    let last = bytes
        .iter()
        .rev()
        .take(4)
        .find(|&&b| b & 0xC0 != 0x80)
        .copied()
        .unwrap_or(first);
    if plainly_kept(first) && plainly_kept(last) {
        text
    } else {
        text.trim()
    }
}

/// `text.strip_prefix(word)`, the first two bytes compared in place before the whole word: a
/// cell is tried against every word of a list, and its first character tells it from most.
fn strip_word<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let (text_bytes, word_bytes) = (text.as_bytes(), word.as_bytes());
    let differs = |i: usize| {
        word_bytes
            .get(i)
            .is_some_and(|b| text_bytes.get(i) != Some(b))
    };
    if differs(0) || differs(1) {
        return None;
    }
    text.strip_prefix(word)
}

/// `text.strip_suffix(word)`, the last two bytes compared in place first, as [`strip_word`].
fn strip_word_end<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let (text_bytes, word_bytes) = (text.as_bytes(), word.as_bytes());
    let differs = |back: usize| {
        word_bytes.len() > back
            && (text_bytes.len() <= back
                || text_bytes[text_bytes.len() - 1 - back]
                    != word_bytes[word_bytes.len() - 1 - back])
    };
    if differs(0) || differs(1) {
        return None;
    }
    text.strip_suffix(word)
}

fn strip_leading_comparator(text: &str) -> (Option<Comparator>, &str) {
    // Qualitative cells (`有所提升`, `按时完成`) begin with none of the words: their first
    // character turns them away before the list is tried.
    if !text.chars().next().is_some_and(may_begin_comparator) {
        return (None, text);
    }
    for (word, comparator) in LEADING_WORDS {
        if let Some(rest) = strip_word(text, word) {
            // `≥=` and `>=` written with a stray second sign.
            let rest = rest.strip_prefix('=').unwrap_or(rest);
            return (Some(*comparator), rest);
        }
    }
    (None, text)
}

/// Splits a leading decimal number (`-1,234.5`) from the rest of the text.
fn split_number(text: &str) -> Option<(Decimal, &str)> {
    // One pass over the bytes: the figure is ASCII, and the first byte of anything else ends
    // it on a character boundary.
    let bytes = text.as_bytes();
    let end = bytes
        .iter()
        .enumerate()
        .find(|&(i, &b)| !(b.is_ascii_digit() || b == b'.' || b == b',' || (i == 0 && b == b'-')))
        .map_or(bytes.len(), |(i, _)| i);
    let mut digits_end = end;
    while digits_end > 0 && matches!(bytes[digits_end - 1], b',' | b'.') {
        digits_end -= 1;
    }
    let candidate = &text[..digits_end];
    if !candidate.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    // The candidate holds ASCII digits, points and a leading minus only: without a thousands
    // separator it is plain decimal notation, read without the folding `Dec` does for input.
    let number = if candidate.contains(',') {
        candidate.parse::<Dec>().ok()?.get()
    } else {
        Decimal::from_str_exact(candidate).ok()?
    };
    // A figure beyond what the rules compute with is no measurement; read the cell as text.
    if !within_limits(number) {
        return None;
    }
    Some((number, &text[candidate.len()..]))
}

/// Folds full-width forms and look-alike signs to one spelling and drops white space and
/// invisible format characters, so that `＜5％`, `≦5%` and `< 5 %` read the same, and so do
/// `甲单位` and `甲\u{200B}单位`.
#[must_use]
pub fn normalize(text: &str) -> String {
    let mut folded = String::new();
    normalize_into(text, &mut folded);
    folded
}

/// [`normalize`], borrowing `text` when there is nothing to drop or fold (most names and
/// cells), so that comparing a name with a few words costs no allocation.
#[must_use]
pub fn normalized(text: &str) -> std::borrow::Cow<'_, str> {
    if all_kept_as_is(text) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(normalize(text))
    }
}

/// [`normalize`] into `folded`, which is cleared first.
fn normalize_into(text: &str, folded: &mut String) {
    folded.clear();
    // Most cells (`100%`, `有所提升`) have nothing to drop or fold: they are copied whole.
    if all_kept_as_is(text) {
        folded.push_str(text);
        return;
    }
    // Folding never makes the text longer: one reservation of the input's size is enough.
    folded.reserve(text.len());
    folded.extend(
        text.chars()
            .filter(|&c| !c.is_whitespace() && !super::invisible::is_format_character(c))
            .map(fold_char),
    );
}

/// Whether [`normalize`] keeps `c` as it is: ASCII other than white space, and the common CJK
/// ideographs, are neither white space, format characters nor folded. The definition that
/// [`all_kept_as_is`] reads from bytes, and is tested against.
#[cfg(test)]
fn kept_as_is(c: char) -> bool {
    (c.is_ascii() && !c.is_whitespace()) || ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Whether [`normalize`] keeps every character of `text` as it is: ASCII other than white
/// space, and the common CJK ideographs U+4E00 to U+9FFF, are neither white space, format
/// characters nor folded. Read from the UTF-8 bytes without decoding characters, since every
/// cell and name is checked: the ideographs are the three-byte sequences led by E5 to E9, or by
/// E4 with a second byte from B8 on.
fn all_kept_as_is(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&lead) = bytes.get(at) {
        at += match lead {
            b'\t'..=b'\r' | b' ' => return false,
            0..=0x7F => 1,
            0xE5..=0xE9 => 3,
            0xE4 if bytes.get(at + 1).is_some_and(|&second| second >= 0xB8) => 3,
            _ => return false,
        };
    }
    true
}

/// One character of [`normalize`] in its folded spelling.
fn fold_char(c: char) -> char {
    match c {
        // Full-width ASCII block (！ to ～) maps onto ASCII.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '≧' | '⩾' => '≥',
        '≦' | '⩽' => '≤',
        '﹦' => '=',
        '﹤' => '<',
        '﹥' => '>',
        '﹪' => '%',
        '≯' => '≤',
        '≮' => '≥',
        '。' => '.',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quantity(raw: &str) -> (Option<Comparator>, String, Option<String>) {
        let value = parse_cell(raw);
        assert_eq!(
            value.kind,
            ValueKind::Quantity,
            "{raw} should be a quantity"
        );
        (
            value.operator,
            value.number.expect("number").to_string(),
            value.unit,
        )
    }

    #[test]
    fn words_are_stripped_and_found_as_the_standard_library_does() {
        let texts = [
            "",
            "≥",
            "≥95%",
            "大于等于90",
            "以上",
            "90以上",
            "约",
            "5万元",
            "a",
            "ab",
        ];
        let words = [
            "",
            "≥",
            "大于",
            "大于等于",
            "以上",
            "及以上",
            "约",
            "元",
            "a",
            "ab",
            "b",
        ];
        for text in texts {
            for word in words {
                assert_eq!(
                    strip_word(text, word),
                    text.strip_prefix(word),
                    "{text} {word}"
                );
                assert_eq!(
                    strip_word_end(text, word),
                    text.strip_suffix(word),
                    "{text} {word}"
                );
                assert_eq!(
                    contains_short(text, word),
                    text.contains(word),
                    "{text} {word}"
                );
            }
        }
    }

    #[test]
    fn the_byte_check_keeps_what_the_character_check_keeps() {
        let mut texts: Vec<String> = [
            "",
            "100%",
            "有所提升",
            "≥95%",
            "＜5％",
            "a b",
            "a\tb",
            "一",
            "龥",
        ]
        .iter()
        .map(|t| (*t).to_owned())
        .collect();
        // Every character of the Basic Multilingual Plane and a few beyond, alone and between
        // kept ones.
        for c in (0..=0x1_0100_u32).filter_map(char::from_u32) {
            texts.push(c.to_string());
            texts.push(format!("指标{c}9"));
        }
        for text in &texts {
            assert_eq!(
                all_kept_as_is(text),
                text.chars().all(kept_as_is),
                "{text:?}"
            );
        }
    }

    #[test]
    fn trimmed_is_what_trim_gives() {
        let mut texts: Vec<String> = [
            "",
            " ",
            "a",
            " a ",
            "有所提升",
            " 有所提升\u{3000}",
            "\u{3000}",
            "提升\u{3000}",
            "\u{a0}x",
            "x\u{85}",
            "\u{2003}名称",
            "名称\u{2029}",
            "\u{1680}",
            "\u{b}a",
            "a\u{7f}",
            "é",
            "\u{10000}",
            "a\u{10000}",
            "\u{202f}",
            "\u{205f}",
        ]
        .iter()
        .map(|t| (*t).to_owned())
        .collect();
        // Every white-space character, and its neighbours, at either end.
        for c in (0..=0x3100_u32).filter_map(char::from_u32) {
            texts.push(format!("{c}名称"));
            texts.push(format!("名称{c}"));
            texts.push(c.to_string());
        }
        for text in &texts {
            assert_eq!(trimmed(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn every_comparison_word_begins_with_a_character_the_reader_looks_for() {
        for (word, _) in LEADING_WORDS {
            let first = word.chars().next().expect("a word");
            assert!(may_begin_comparator(first), "{word}");
        }
        assert!(!may_begin_comparator('有'));
        assert!(!may_begin_comparator('9'));
    }

    #[test]
    fn the_short_cuts_of_the_cell_reader_skip_only_words_that_cannot_match() {
        let starts_with_digit = |word: &str| word.as_bytes()[0].is_ascii_digit();
        assert!(!LEADING_QUALIFIERS.iter().any(|w| starts_with_digit(w)));
        assert!(!LEADING_WORDS.iter().any(|(w, _)| starts_with_digit(w)));
        assert!(
            TRAILING_WORDS
                .iter()
                .all(|(w, _)| !w.as_bytes()[w.len() - 1].is_ascii())
        );
        assert!(EMPTY_MARKS.iter().all(|m| m.len() <= LONGEST_EMPTY_MARK));
    }

    #[test]
    fn reads_every_quantity_format_seen_on_forms() {
        use Comparator::{Eq, Ge, Le, Lt};
        let pct = Some("%".to_owned());
        let cases: Vec<(&str, Option<Comparator>, &str, Option<String>)> = vec![
            ("300", None, "300", None),
            ("100%", None, "100", pct.clone()),
            ("95%以上", Some(Ge), "95", pct.clone()),
            ("≥95%", Some(Ge), "95", pct.clone()),
            ("≧90%", Some(Ge), "90", pct.clone()),
            ("≤90万元", Some(Le), "90", Some("万元".into())),
            ("＜5%", Some(Lt), "5", pct.clone()),
            ("小于5%", Some(Lt), "5", pct.clone()),
            ("=100%", Some(Eq), "100", pct.clone()),
            ("﹦100", Some(Eq), "100", None),
            ("≥50个", Some(Ge), "50", Some("个".into())),
            ("≥266米", Some(Ge), "266", Some("米".into())),
            ("2370人", None, "2370", Some("人".into())),
            ("20万元", None, "20", Some("万元".into())),
            ("0起", None, "0", Some("起".into())),
            ("72.74%", None, "72.74", pct.clone()),
            ("12次", None, "12", Some("次".into())),
            ("11,122,315.04", None, "11122315.04", None),
            ("１００％", None, "100", pct.clone()),
            ("≥ 95 %", Some(Ge), "95", pct.clone()),
            (">=95%", Some(Ge), "95", pct.clone()),
            ("不低于90%", Some(Ge), "90", pct.clone()),
            ("不超过20万元", Some(Le), "20", Some("万元".into())),
            ("20万元以内", Some(Le), "20", Some("万元".into())),
            ("≤3个月", Some(Le), "3", Some("个月".into())),
        ];
        for (raw, op, number, unit) in cases {
            assert_eq!(quantity(raw), (op, number.to_owned(), unit), "case {raw}");
        }
    }

    #[test]
    fn keeps_an_approximation_word() {
        let value = parse_cell("约300人");
        assert_eq!(
            value.quantity().map(|n| n.to_string()).as_deref(),
            Some("300")
        );
        assert_eq!(value.qualifier.as_deref(), Some("约"));
    }

    #[test]
    fn keeps_the_change_word_of_an_actual() {
        let value = parse_cell("增372人次");
        assert_eq!(value.kind, ValueKind::Quantity);
        assert_eq!(value.number.unwrap().to_string(), "372");
        assert_eq!(value.unit.as_deref(), Some("人次"));
        assert_eq!(value.qualifier.as_deref(), Some("增"));
    }

    #[test]
    fn reads_qualitative_text_as_text() {
        for raw in [
            "不突破预算",
            "有所提升",
            "显著提升",
            "按时完成",
            "12月底之前完成",
            "达成预期指标",
            "完成",
            "已公开",
            "90%-95%",
            "79228162514264337593543950335",
            "0.000000000001",
            "2021年12月31日前",
        ] {
            assert_eq!(parse_cell(raw).kind, ValueKind::Text, "case {raw}");
        }
    }

    #[test]
    fn reads_blanks_and_dashes_as_empty() {
        for raw in ["", "  ", "—", "——", "-", "/", "无"] {
            assert_eq!(parse_cell(raw).kind, ValueKind::Empty, "case {raw:?}");
        }
    }

    #[test]
    fn keeps_the_raw_text() {
        assert_eq!(parse_cell(" ≧90％ ").raw, " ≧90％ ");
    }

    #[test]
    fn refuses_contradicting_comparisons() {
        assert_eq!(parse_cell("≤95%以上").kind, ValueKind::Text);
    }

    #[test]
    fn a_name_with_nothing_to_fold_is_borrowed() {
        use std::borrow::Cow;
        assert!(matches!(normalized("产出指标"), Cow::Borrowed("产出指标")));
        assert!(matches!(normalized("100%"), Cow::Borrowed("100%")));
        assert_eq!(normalized("产出 指标"), "产出指标");
        assert_eq!(normalized("＜5％"), "<5%");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_keeps_the_raw_text(raw in ".{0,40}") {
            let value = parse_cell(&raw);
            proptest::prop_assert_eq!(&value.raw, &raw);
            proptest::prop_assert_eq!(value.kind == ValueKind::Quantity, value.number.is_some());
        }

        #[test]
        fn normalized_reads_as_normalize(raw in ".{0,40}") {
            proptest::prop_assert_eq!(normalized(&raw), normalize(&raw));
        }

        #[test]
        fn contains_short_answers_as_contains(text in "[产出效益指标满意度 a%]{0,12}", word in "[产出效益指标 a%]{0,3}") {
            proptest::prop_assert_eq!(contains_short(&text, &word), text.contains(word.as_str()));
        }
    }

    #[test]
    fn reads_a_separate_operator_column() {
        assert_eq!(Comparator::from_cell("≥"), Some(Comparator::Ge));
        assert_eq!(Comparator::from_cell("＜"), Some(Comparator::Lt));
        assert_eq!(Comparator::from_cell("不超过"), Some(Comparator::Le));
        assert_eq!(Comparator::from_cell("定性"), None);
    }
}

//! Cell strings: the workbook's shared strings (`xl/sharedStrings.xml`) and the rich text of a
//! string, whether shared (`<si>`) or inline (`<is>`). A rich string is the concatenation of
//! its `<t>` runs, leaving out the phonetic guide (`<rPh>`) that Japanese and some Chinese
//! workbooks carry above the text.

use std::borrow::Cow;
use std::io::Read;

use quick_xml::events::Event;

use super::xml::{self, XmlPart};
use super::{ImportError, Limits};

/// The shared strings, all their text in one buffer so a hundred thousand short strings cost
/// eight bytes each beyond their text.
#[derive(Debug, Default)]
pub struct SharedStrings {
    text: String,
    /// Each string's end in `text` (it starts where the one before ends) and its length in
    /// characters; a string longer than a cell may hold keeps only its length.
    entries: Vec<(u32, u32)>,
}

/// A shared string, as a cell refers to it.
#[derive(Debug, PartialEq, Eq)]
pub enum Shared<'s> {
    /// The text.
    Text(&'s str),
    /// A string longer than a cell may hold, with its length in characters.
    TooLong(usize),
}

impl SharedStrings {
    /// The string at `index`, `None` beyond the table.
    #[must_use]
    pub fn get(&self, index: usize) -> Option<Shared<'_>> {
        let &(end, chars) = self.entries.get(index)?;
        let start = index
            .checked_sub(1)
            .and_then(|i| self.entries.get(i))
            .map_or(0, |&(end, _)| end);
        let (start, end) = (start as usize, end as usize);
        if start == end && chars > 0 {
            return Some(Shared::TooLong(chars as usize));
        }
        self.text.get(start..end).map(Shared::Text)
    }

    /// How many strings the table holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    fn push(&mut self, string: &RichText, limits: &Limits) -> Result<(), ImportError> {
        if self.entries.len() >= limits.max_shared_strings {
            return Err(ImportError::workbook(format!(
                "the workbook has more than {} shared strings; a form has far fewer",
                limits.max_shared_strings
            )));
        }
        let too_long = string.chars > limits.max_cell_chars;
        if !too_long {
            if self.text.len() + string.text.len() > limits.max_shared_text {
                return Err(ImportError::workbook(format!(
                    "the workbook's shared strings hold more than {} MiB of text; a form holds \
                     far less",
                    limits.max_shared_text / (1024 * 1024)
                )));
            }
            self.text.push_str(&string.text);
        }
        // Both fit: the text is at most `max_shared_text` bytes, a length at most the text.
        let end = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        let chars = u32::try_from(string.chars).unwrap_or(u32::MAX);
        self.entries.push((end, chars));
        Ok(())
    }
}

/// Reads `xl/sharedStrings.xml`.
///
/// # Errors
/// When the part is malformed or holds more strings or text than the limits allow.
pub fn read<R: Read>(xml: &mut XmlPart<R>, limits: &Limits) -> Result<SharedStrings, ImportError> {
    let mut strings = SharedStrings::default();
    loop {
        match xml.next()? {
            Event::Start(tag) if xml::is(&tag, "si") => {
                let string = read_rich(xml, limits.max_cell_chars)?;
                strings.push(&string, limits)?;
            }
            Event::Empty(tag) if xml::is(&tag, "si") => {
                strings.push(&RichText::default(), limits)?;
            }
            Event::Eof => return Ok(strings),
            _ => {}
        }
    }
}

/// A string read from `<si>` or `<is>`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RichText {
    /// The text; empty when it is longer than the reader keeps.
    pub text: String,
    /// Its length in characters.
    pub chars: usize,
}

/// One `<t>` run being read.
struct Run {
    text: String,
    /// Characters as written, counted also for a run too long to keep.
    raw_chars: usize,
    kept: bool,
    preserve: bool,
    depth: usize,
}

/// Reads the rich text of the element just opened (`<si>` or `<is>`) up to its end. Text past
/// `max_chars` characters is counted, not kept, so a string of any length costs at most that
/// much memory. (A run over `4 × max_chars` bytes as written is counted as written, before
/// `_xHHHH_` escapes are decoded; only a string over the limit anyway can be that long.)
///
/// # Errors
/// When the XML is malformed or ends inside the element.
pub fn read_rich<R: Read>(xml: &mut XmlPart<R>, max_chars: usize) -> Result<RichText, ImportError> {
    let mut out = RichText::default();
    let mut depth = 0usize;
    let mut phonetic = 0usize;
    let mut run: Option<Run> = None;
    let mut chunk = String::new();
    let room = max_chars.saturating_mul(4);
    loop {
        let event = xml.next()?;
        match &event {
            Event::Start(tag) => {
                depth += 1;
                if xml::is(tag, "rPh") {
                    phonetic += 1;
                } else if xml::is(tag, "t") && phonetic == 0 && run.is_none() {
                    let preserve = xml::attribute(tag, "space")?.is_some_and(|v| v == "preserve");
                    run = Some(Run {
                        text: String::new(),
                        raw_chars: 0,
                        kept: true,
                        preserve,
                        depth,
                    });
                }
            }
            Event::End(tag) => {
                if depth == 0 {
                    return Ok(out);
                }
                if run.as_ref().is_some_and(|r| r.depth == depth) {
                    if let Some(finished) = run.take() {
                        finish(&mut out, finished, max_chars);
                    }
                }
                if xml::is_end(tag, "rPh") {
                    phonetic = phonetic.saturating_sub(1);
                }
                depth -= 1;
            }
            Event::Eof => return Err(xml.error("ends inside a string")),
            other => {
                if let Some(run) = run.as_mut() {
                    chunk.clear();
                    xml::text_of(other, &mut chunk)?;
                    run.raw_chars += chunk.chars().count();
                    let used = out.text.len() + run.text.len();
                    if run.kept && used + chunk.len() <= room {
                        run.text.push_str(&chunk);
                    } else {
                        run.kept = false;
                        run.text = String::new();
                    }
                }
            }
        }
    }
}

fn finish(out: &mut RichText, run: Run, max_chars: usize) {
    if !run.kept {
        out.chars += run.raw_chars;
        out.text = String::new();
        return;
    }
    let text = if run.preserve {
        run.text.as_str()
    } else {
        // As Excel reads it: without xml:space="preserve", the run's outer ASCII whitespace is
        // layout, not text.
        run.text.trim_matches([' ', '\t', '\r', '\n'])
    };
    let text = unescape_excel(text);
    out.chars += text.chars().count();
    if out.chars > max_chars {
        out.text = String::new();
    } else {
        out.text.push_str(&text);
    }
}

/// Decodes Excel's `_xHHHH_` escapes, by which it writes characters XML cannot hold (`_x000D_`
/// for a carriage return), one UTF-16 unit each, so a character beyond the BMP is a pair of
/// them; `_x005F_` is the escape of `_`, which keeps a literal `_x000D_` as text.
#[must_use]
pub fn unescape_excel(text: &str) -> Cow<'_, str> {
    if !text.contains("_x") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut pending_high: Option<u16> = None;
    while let Some(at) = rest.find("_x") {
        let unit = rest
            .get(at + 2..at + 7)
            .filter(|s| s.ends_with('_') && s[..4].bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|s| u16::from_str_radix(&s[..4], 16).ok());
        let Some(unit) = unit else {
            flush(&mut out, &mut pending_high);
            out.push_str(&rest[..at + 2]);
            rest = &rest[at + 2..];
            continue;
        };
        if at > 0 {
            flush(&mut out, &mut pending_high);
            out.push_str(&rest[..at]);
        }
        match (pending_high.take(), unit) {
            (Some(high), 0xDC00..=0xDFFF) => {
                let code =
                    0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            (high, 0xD800..=0xDBFF) => {
                if high.is_some() {
                    out.push(char::REPLACEMENT_CHARACTER);
                }
                pending_high = Some(unit);
            }
            (high, _) => {
                if high.is_some() {
                    out.push(char::REPLACEMENT_CHARACTER);
                }
                out.push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
        }
        rest = &rest[at + 7..];
    }
    flush(&mut out, &mut pending_high);
    out.push_str(rest);
    Cow::Owned(out)
}

/// A high surrogate with no low one after it stands for no character.
fn flush(out: &mut String, pending_high: &mut Option<u16>) {
    if pending_high.take().is_some() {
        out.push(char::REPLACEMENT_CHARACTER);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(xml_text: &str) -> Result<SharedStrings, ImportError> {
        let mut xml = XmlPart::new(xml_text.as_bytes(), "xl/sharedStrings.xml", 1 << 20);
        read(&mut xml, &Limits::default())
    }

    fn texts(strings: &SharedStrings) -> Vec<String> {
        (0..strings.len())
            .map(|i| match strings.get(i).unwrap() {
                Shared::Text(t) => t.to_owned(),
                Shared::TooLong(n) => format!("<{n} chars>"),
            })
            .collect()
    }

    #[test]
    fn plain_and_rich_strings_read_as_their_text() {
        let strings = table(
            r#"<?xml version="1.0" encoding="UTF-8"?>
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5">
              <si><t>一级指标</t></si>
              <si><r><rPr><b/></rPr><t>产出</t></r><r><t xml:space="preserve"> 指标 </t></r></si>
              <si><t>  trimmed  </t></si>
              <si/>
              <si><t>a &amp; b &#x4E00; <![CDATA[<c>]]></t></si>
            </sst>"#,
        )
        .unwrap();
        assert_eq!(
            texts(&strings),
            ["一级指标", "产出 指标 ", "trimmed", "", "a & b 一 <c>"]
        );
        assert_eq!(strings.get(5), None);
    }

    #[test]
    fn phonetic_runs_are_left_out() {
        let strings = table(
            "<sst><si><t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh>\
             <phoneticPr fontId=\"1\"/></si>\
             <si><r><t>衡</t></r><rPh sb=\"0\" eb=\"1\"><t>héng</t></rPh><r><t>阳</t></r></si></sst>",
        )
        .unwrap();
        assert_eq!(texts(&strings), ["東京", "衡阳"]);
    }

    #[test]
    fn strings_longer_than_a_cell_keep_only_their_length() {
        let long = "长".repeat(10_001);
        let strings = table(&format!(
            "<sst><si><t>{long}</t></si><si><t>x</t></si></sst>"
        ))
        .unwrap();
        assert_eq!(texts(&strings), ["<10001 chars>", "x"]);
        let split = format!(
            "<sst><si><r><t>{}</t></r><r><t>{}</t></r></si></sst>",
            "a".repeat(6_000),
            "b".repeat(6_000)
        );
        assert_eq!(texts(&table(&split).unwrap()), ["<12000 chars>"]);
    }

    #[test]
    fn the_table_is_bounded_in_count_and_text() {
        let limits = Limits {
            max_shared_strings: 2,
            ..Limits::default()
        };
        let mut xml = XmlPart::new(&b"<sst><si/><si/><si/></sst>"[..], "s", 1 << 20);
        let error = read(&mut xml, &limits).unwrap_err();
        assert!(
            error.detail.contains("more than 2 shared strings"),
            "{error}"
        );
        let limits = Limits {
            max_shared_text: 1024 * 1024,
            ..Limits::default()
        };
        let many = format!(
            "<sst>{}</sst>",
            "<si><t>1234567890</t></si>".repeat(110_000)
        );
        let mut xml = XmlPart::new(many.as_bytes(), "s", 1 << 20);
        let error = read(&mut xml, &limits).unwrap_err();
        assert!(error.detail.contains("more than 1 MiB of text"), "{error}");
    }

    #[test]
    fn malformed_tables_are_refused() {
        for bad in [
            "<sst><si><t>open",
            "<sst><si><t>a</x></si></sst>",
            "<sst><si><t>&bogus;</t></si></sst>",
        ] {
            assert!(table(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn excel_escapes_are_decoded() {
        assert_eq!(unescape_excel("a_x000D_b"), "a\rb");
        assert_eq!(unescape_excel("_x005F_x000D_"), "_x000D_");
        assert_eq!(unescape_excel("_xD83D__xDE00_"), "😀");
        assert_eq!(unescape_excel("_xD83D_x"), "\u{FFFD}x");
        assert_eq!(unescape_excel("_x12_ and _xZZZZ_"), "_x12_ and _xZZZZ_");
        assert_eq!(unescape_excel("plain"), "plain");
        assert_eq!(unescape_excel("一_x4E00_"), "一一");
    }
}

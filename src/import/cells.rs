//! One `<c>` element of a worksheet: what it holds as written (`<v>`, `<f>`, `<is>`), and the
//! text and number it shows — a shared string looked up, a number in its style's format, a
//! boolean as `TRUE`/`FALSE`. Text is kept only up to the cell limit and counted beyond it.

use std::io::Read;

use quick_xml::events::Event;
use rust_decimal::Decimal;

use super::numbers;
use super::strings::{self, RichText, Shared, SharedStrings};
use super::styles::Styles;
use super::xml::{self, XmlPart, clip};
use super::{ImportError, Limits};

/// What a cell's `t` attribute says its value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A number (`n`, or no `t`).
    Number,
    /// An index into the shared strings (`s`).
    Shared,
    /// A string in the cell's own `<is>` (`inlineStr`).
    Inline,
    /// A formula's string result (`str`).
    FormulaString,
    /// `0` or `1` (`b`).
    Boolean,
    /// An error value such as `#DIV/0!` (`e`).
    Error,
    /// An ISO 8601 date (`d`).
    Date,
}

impl Kind {
    /// The kind a `t` attribute names.
    ///
    /// # Errors
    /// The detail, for a type Excel does not write.
    pub fn parse(t: Option<&str>) -> Result<Self, String> {
        Ok(match t {
            None | Some("n") => Self::Number,
            Some("s") => Self::Shared,
            Some("inlineStr") => Self::Inline,
            Some("str") => Self::FormulaString,
            Some("b") => Self::Boolean,
            Some("e") => Self::Error,
            Some("d") => Self::Date,
            Some(other) => return Err(format!("a cell of unknown type `{}`", clip(other, 20))),
        })
    }
}

/// Text read from `<v>` or `<f>`.
#[derive(Debug, Default)]
pub struct Text {
    /// The text, if it was short enough to keep.
    pub text: String,
    /// Its length in characters.
    pub chars: usize,
    /// Whether all of it was kept.
    pub whole: bool,
}

/// A cell's `<f>`.
#[derive(Debug, Default)]
pub struct Formula {
    /// The formula's text, without `=`; empty in a cell that shares another's.
    pub text: Text,
    /// The shared formula group (`si`) of a `t="shared"` formula.
    pub shared: Option<u32>,
}

/// What a `<c>` element holds, as written.
#[derive(Debug, Default)]
pub struct Written {
    /// `<v>`.
    pub value: Option<Text>,
    /// `<is>`.
    pub inline: Option<RichText>,
    /// `<f>`.
    pub formula: Option<Formula>,
}

impl Written {
    /// Whether the cell holds a value or a formula, rather than only a style.
    #[must_use]
    pub fn holds_something(&self, kind: Kind) -> bool {
        let value = match kind {
            Kind::Inline => self.inline.is_some(),
            _ => self.value.as_ref().is_some_and(|v| v.chars > 0),
        };
        let formula = self
            .formula
            .as_ref()
            .is_some_and(|f| f.text.chars > 0 || f.shared.is_some());
        value || formula
    }
}

/// Reads the content of the `<c>` element just opened, up to its end.
///
/// # Errors
/// When the XML is malformed or ends inside the cell.
pub fn read_written<R: Read>(
    xml: &mut XmlPart<R>,
    limits: &Limits,
) -> Result<Written, ImportError> {
    let mut written = Written::default();
    let mut depth = 0usize;
    loop {
        let event = xml.next()?;
        match &event {
            Event::Start(tag) if depth == 0 && xml::is(tag, "v") => {
                written.value = Some(collect(xml, limits.max_cell_chars)?);
            }
            Event::Start(tag) if depth == 0 && xml::is(tag, "f") => {
                let shared = shared_group(tag)?;
                let text = collect(xml, limits.max_cell_chars)?;
                written.formula = Some(Formula { text, shared });
            }
            Event::Empty(tag) if depth == 0 && xml::is(tag, "f") => {
                let shared = shared_group(tag)?;
                written.formula = Some(Formula {
                    text: Text {
                        whole: true,
                        ..Text::default()
                    },
                    shared,
                });
            }
            Event::Start(tag) if depth == 0 && xml::is(tag, "is") => {
                written.inline = Some(strings::read_rich(xml, limits.max_cell_chars)?);
            }
            Event::Empty(tag) if depth == 0 && xml::is(tag, "is") => {
                written.inline = Some(RichText::default());
            }
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(written),
            Event::End(_) => depth -= 1,
            Event::Eof => return Err(xml.error("ends inside a cell")),
            _ => {}
        }
    }
}

/// The `si` of `<f t="shared" si="0">`.
fn shared_group(tag: &quick_xml::events::BytesStart<'_>) -> Result<Option<u32>, ImportError> {
    if xml::attribute(tag, "t")?.as_deref() != Some("shared") {
        return Ok(None);
    }
    Ok(xml::attribute(tag, "si")?.and_then(|si| si.parse().ok()))
}

/// The text of the element just opened, up to its end: at most `4 × max_chars` bytes kept
/// (enough for `max_chars` characters of any script), the rest counted.
fn collect<R: Read>(xml: &mut XmlPart<R>, max_chars: usize) -> Result<Text, ImportError> {
    let room = max_chars.saturating_mul(4);
    let mut out = Text {
        whole: true,
        ..Text::default()
    };
    let mut chunk = String::new();
    let mut depth = 0usize;
    loop {
        let event = xml.next()?;
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(out),
            Event::End(_) => depth -= 1,
            Event::Eof => return Err(xml.error("ends inside a cell")),
            other => {
                chunk.clear();
                xml::text_of(other, &mut chunk)?;
                out.chars += chunk.chars().count();
                if out.whole && out.text.len() + chunk.len() <= room {
                    out.text.push_str(&chunk);
                } else {
                    out.whole = false;
                    out.text = String::new();
                }
            }
        }
    }
}

/// What the reader needs beside a cell to show it.
pub struct Context<'w> {
    /// The shared strings.
    pub strings: &'w SharedStrings,
    /// The styles.
    pub styles: &'w Styles,
    /// Whether dates count from 1904.
    pub date1904: bool,
    /// Characters a cell may show.
    pub max_chars: usize,
}

/// The text a cell shows and the number it holds.
///
/// # Errors
/// The detail, when the value cannot be read (`12,5` in a number cell, a shared string the
/// workbook lacks) or the text is longer than a cell may hold.
pub fn shown(
    written: &Written,
    kind: Kind,
    style: usize,
    context: &Context<'_>,
) -> Result<(String, Option<Decimal>), String> {
    let too_long = |chars: usize| {
        format!(
            "the cell holds {chars} characters; a form's cell holds at most {}",
            context.max_chars
        )
    };
    let text_within = |text: String| {
        let chars = text.chars().count();
        if chars > context.max_chars {
            Err(too_long(chars))
        } else {
            Ok((text, None))
        }
    };
    if kind == Kind::Inline {
        let inline = written.inline.as_ref();
        let chars = inline.map_or(0, |i| i.chars);
        if chars > context.max_chars {
            return Err(too_long(chars));
        }
        return Ok((inline.map(|i| i.text.clone()).unwrap_or_default(), None));
    }
    let Some(value) = written.value.as_ref().filter(|v| v.chars > 0) else {
        // A formula not yet calculated shows nothing.
        return Ok((String::new(), None));
    };
    if !value.whole {
        return Err(too_long(value.chars));
    }
    let v = value.text.as_str();
    match kind {
        Kind::Shared => {
            let index = v
                .trim()
                .parse::<usize>()
                .map_err(|_| format!("a shared string index `{}` that is not one", clip(v, 20)))?;
            match context.strings.get(index) {
                Some(Shared::Text(text)) => Ok((text.to_owned(), None)),
                Some(Shared::TooLong(chars)) => Err(too_long(chars)),
                None => Err(format!(
                    "a reference to shared string {index}, but the workbook has {}",
                    context.strings.len()
                )),
            }
        }
        Kind::FormulaString => text_within(strings::unescape_excel(v).into_owned()),
        Kind::Error | Kind::Date => text_within(v.to_owned()),
        Kind::Boolean => match v.trim() {
            "1" | "true" => Ok(("TRUE".to_owned(), None)),
            "0" | "false" => Ok(("FALSE".to_owned(), None)),
            other => Err(format!("a boolean cell holding `{}`", clip(other, 20))),
        },
        Kind::Number | Kind::Inline => {
            let v = v.trim();
            if !numbers::is_number(v) {
                return Err(format!(
                    "a number cell holding `{}`, which is not a number",
                    clip(v, 40)
                ));
            }
            Ok(match numbers::parse(v) {
                Some(number) => {
                    let format = context.styles.format(style);
                    let shown = numbers::show(number, format, context.date1904);
                    (shown.text, shown.number)
                }
                // Beyond what a Decimal holds (1E300): kept as written.
                None => (v.to_owned(), None),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(inner: &str) -> Written {
        let xml_text = format!("<c>{inner}</c>");
        let mut xml = XmlPart::new(xml_text.as_bytes(), "sheet", 1 << 20);
        assert!(matches!(xml.next().unwrap(), Event::Start(_)));
        read_written(&mut xml, &Limits::default()).unwrap()
    }

    fn show(inner: &str, t: Option<&str>) -> Result<(String, Option<Decimal>), String> {
        let strings = SharedStrings::default();
        let styles = Styles::default();
        let context = Context {
            strings: &strings,
            styles: &styles,
            date1904: false,
            max_chars: 10,
        };
        shown(&written(inner), Kind::parse(t).unwrap(), 0, &context)
    }

    #[test]
    fn inline_strings_are_their_runs() {
        assert_eq!(
            show("<is><t>一级</t></is>", Some("inlineStr")).unwrap().0,
            "一级"
        );
        assert_eq!(
            show(
                "<is><r><t>产出</t></r><r><t>指标</t></r><rPh><t>x</t></rPh></is>",
                Some("inlineStr")
            )
            .unwrap()
            .0,
            "产出指标"
        );
        assert!(show("<is><t>12345678901</t></is>", Some("inlineStr")).is_err());
    }

    #[test]
    fn values_show_as_their_type_says() {
        assert_eq!(show("<v>1</v>", Some("b")).unwrap().0, "TRUE");
        assert_eq!(show("<v>#DIV/0!</v>", Some("e")).unwrap().0, "#DIV/0!");
        assert_eq!(
            show("<v>2021-07-13</v>", Some("d")).unwrap().0,
            "2021-07-13"
        );
        assert_eq!(
            show("<f>A1&amp;\"x\"</f><v>ax</v>", Some("str")).unwrap().0,
            "ax"
        );
        let (text, number) = show("<v>1.15E7</v>", None).unwrap();
        assert_eq!(
            (text.as_str(), number),
            ("11500000", "11500000".parse().ok())
        );
        assert_eq!(show("<f>1+1</f>", None).unwrap().0, "", "not calculated");
    }

    #[test]
    fn unreadable_values_are_refused() {
        assert!(
            show("<v>12,5</v>", None)
                .unwrap_err()
                .contains("not a number")
        );
        assert!(
            show("<v>12,5</v>", Some("n"))
                .unwrap_err()
                .contains("not a number")
        );
        assert!(
            show("<v>3</v>", Some("s"))
                .unwrap_err()
                .contains("shared string 3")
        );
        assert!(show("<v>x</v>", Some("s")).is_err());
        assert!(show("<v>2</v>", Some("b")).is_err());
        assert!(
            show("<v>12345678901</v>", Some("e"))
                .unwrap_err()
                .contains("11 characters")
        );
        assert!(Kind::parse(Some("zz")).is_err());
    }

    #[test]
    fn formulas_and_empty_cells_are_told_apart() {
        assert!(!written("").holds_something(Kind::Number));
        assert!(!written("<v></v>").holds_something(Kind::Number));
        assert!(written("<v>0</v>").holds_something(Kind::Number));
        assert!(written("<f>1+1</f>").holds_something(Kind::Number));
        assert!(written("<f t=\"shared\" si=\"0\"/>").holds_something(Kind::Number));
        assert!(!written("<f/>").holds_something(Kind::Number));
        assert!(written("<is/>").holds_something(Kind::Inline));
    }
}

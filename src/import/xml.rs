//! Streaming one XML part under a size limit per node, with the few helpers every part's
//! reader needs: attributes by local name, text with its entities resolved, and errors that
//! say which part is malformed.
//!
//! quick-xml buffers a whole event (a start tag with its attributes, a run of text) before
//! returning it, so a single 30 MB text node would be 30 MB in memory however the reader
//! above it bounds its own data; the per-node limit is enforced underneath it, on the bytes it
//! pulls, so that no event grows past it.

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesEnd, BytesStart, Event};

use super::ImportError;
use super::package::Overrun;

/// An XML node (tag or text run) larger than the reader accepts.
#[derive(Debug, thiserror::Error)]
#[error("holds an XML node of more than {0} KiB; a form's parts hold none that large")]
struct NodeTooLarge(u64);

/// Counts the bytes quick-xml pulls for the current event and fails past the limit.
struct Capped<R> {
    inner: R,
    pulled: u64,
    limit: u64,
}

impl<R: BufRead> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Capped<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pulled > self.limit {
            return Err(io::Error::other(NodeTooLarge(self.limit / 1024)));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.pulled = self
            .pulled
            .saturating_add(u64::try_from(amount).unwrap_or(u64::MAX));
        self.inner.consume(amount);
    }
}

/// One XML part, read event by event.
pub struct XmlPart<R: Read> {
    reader: Reader<Capped<BufReader<R>>>,
    buf: Vec<u8>,
    /// The part's name in the package, for messages.
    name: String,
}

impl<R: Read> XmlPart<R> {
    /// Reads `source`, the part `name`, refusing any node over `node_limit` bytes.
    pub fn new(source: R, name: &str, node_limit: u64) -> Self {
        let capped = Capped {
            inner: BufReader::with_capacity(16 * 1024, source),
            pulled: 0,
            limit: node_limit,
        };
        let mut reader = Reader::from_reader(capped);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Self {
            reader,
            buf: Vec::new(),
            name: name.to_owned(),
        }
    }

    /// The next event; `Event::Eof` at the end.
    ///
    /// # Errors
    /// When the part is not well-formed XML, is cut short by the package's budget, or holds a
    /// node over the limit.
    pub fn next(&mut self) -> Result<Event<'_>, ImportError> {
        self.buf.clear();
        self.reader.get_mut().pulled = 0;
        match self.reader.read_event_into(&mut self.buf) {
            Ok(event) => Ok(event),
            Err(error) => Err(malformed(&self.name, self.reader.error_position(), &error)),
        }
    }

    /// An error about this part.
    pub fn error(&self, detail: impl std::fmt::Display) -> ImportError {
        ImportError::workbook(format!("the part {} {detail}", self.name))
    }
}

/// Appends the text an event carries (text, CDATA, an entity or character reference) to
/// `out`, with line ends normalised as XML 1.0 reads them; other events add nothing.
///
/// # Errors
/// For an entity that is neither predefined nor a character reference.
pub fn text_of(event: &Event<'_>, out: &mut String) -> Result<(), ImportError> {
    match event {
        Event::Text(text) => out.push_str(&text.xml10_content()),
        Event::CData(data) => out.push_str(&data.xml10_content()),
        Event::GeneralRef(reference) => {
            let predefined = match reference.as_ref() {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "apos" => Some('\''),
                "quot" => Some('"'),
                _ => None,
            };
            let resolved = predefined.or_else(|| reference.resolve_char_ref().ok().flatten());
            match resolved {
                Some(c) => out.push(c),
                None => {
                    return Err(ImportError::workbook(format!(
                        "the workbook's XML uses the undefined entity &{};",
                        clip(reference.as_ref(), 40)
                    )));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The value of the attribute whose local name (without a namespace prefix) is `name`.
///
/// # Errors
/// When the tag's attributes are malformed.
pub fn attribute<'a>(
    tag: &'a BytesStart<'_>,
    name: &str,
) -> Result<Option<Cow<'a, str>>, ImportError> {
    for attribute in tag.attributes() {
        let attribute = attribute.map_err(|e| {
            ImportError::workbook(format!(
                "the workbook's XML has a malformed attribute: {}",
                clip(&e.to_string(), 200)
            ))
        })?;
        if attribute.key.local_name().as_ref() == name {
            let value = attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| {
                    ImportError::workbook(format!(
                        "the workbook's XML has a malformed attribute: {}",
                        clip(&e.to_string(), 200)
                    ))
                })?;
            return Ok(Some(value));
        }
    }
    Ok(None)
}

/// Whether a tag's local name (without a namespace prefix) is `name`.
#[must_use]
pub fn is(tag: &BytesStart<'_>, name: &str) -> bool {
    tag.local_name().as_ref() == name
}

/// Whether a closing tag's local name (without a namespace prefix) is `name`.
#[must_use]
pub fn is_end(tag: &BytesEnd<'_>, name: &str) -> bool {
    tag.local_name().as_ref() == name
}

/// At most `max` characters of `text`, with `…` where it was cut: input is echoed in messages
/// only this far.
#[must_use]
pub fn clip(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((at, _)) => Cow::Owned(format!("{}…", &text[..at])),
        None => Cow::Borrowed(text),
    }
}

fn malformed(part: &str, position: u64, error: &quick_xml::Error) -> ImportError {
    if let quick_xml::Error::Io(io) = error {
        if let Some(inner) = io.get_ref() {
            if let Some(large) = inner.downcast_ref::<NodeTooLarge>() {
                return ImportError::workbook(format!("the part {part} {large}"));
            }
            if let Some(over) = inner.downcast_ref::<Overrun>() {
                return ImportError::workbook(over.to_string());
            }
        }
        return ImportError::workbook(format!(
            "the part {part} cannot be unpacked: {}",
            clip(&io.to_string(), 200)
        ));
    }
    ImportError::workbook(format!(
        "the part {part} is not well-formed XML (at byte {position}): {}",
        clip(&error.to_string(), 200)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(text: &str, limit: u64) -> Result<usize, ImportError> {
        let mut xml = XmlPart::new(text.as_bytes(), "xl/part.xml", limit);
        let mut count = 0;
        while !matches!(xml.next()?, Event::Eof) {
            count += 1;
        }
        Ok(count)
    }

    #[test]
    fn no_node_grows_past_the_limit() {
        let long_text = format!("<a>{}</a>", "x".repeat(100_000));
        assert_eq!(events(&long_text, 200_000).unwrap(), 3);
        let error = events(&long_text, 50_000).unwrap_err();
        assert!(
            error.detail.contains("xl/part.xml holds an XML node"),
            "{error}"
        );
        let long_tag = format!("<a {}/>", "b=\"1\" ".repeat(20_000));
        assert!(events(&long_tag, 50_000).is_err());
        let many_small = "<a>x</a>".repeat(100_000);
        assert_eq!(
            events(&many_small, 64).unwrap(),
            300_000,
            "the limit is per node"
        );
    }

    #[test]
    fn attributes_are_found_by_local_name() {
        let mut xml = XmlPart::new(
            &br#"<sheet x:name="a &amp; b" r:id="rId1" name="plain"/>"#[..],
            "p",
            1 << 20,
        );
        let Event::Empty(tag) = xml.next().unwrap() else {
            panic!("not an empty tag");
        };
        assert_eq!(attribute(&tag, "name").unwrap().as_deref(), Some("a & b"));
        assert_eq!(attribute(&tag, "id").unwrap().as_deref(), Some("rId1"));
        assert_eq!(attribute(&tag, "missing").unwrap(), None);
    }

    #[test]
    fn text_resolves_entities_and_refuses_unknown_ones() {
        let mut out = String::new();
        let mut xml = XmlPart::new(
            &b"<t>a&lt;&#x4E00;&#20108;<![CDATA[&x]]>\r\n</t>"[..],
            "p",
            1 << 20,
        );
        while let Ok(event) = xml.next() {
            if matches!(event, Event::Eof) {
                break;
            }
            text_of(&event, &mut out).unwrap();
        }
        assert_eq!(out, "a<一二&x\n");
        let mut xml = XmlPart::new(&b"<t>&nbsp;</t>"[..], "p", 1 << 20);
        xml.next().unwrap();
        let event = xml.next().unwrap();
        assert!(text_of(&event, &mut out).is_err());
    }

    #[test]
    fn messages_echo_input_only_so_far() {
        assert_eq!(clip("abcdef", 3), "abc…");
        assert_eq!(clip("一二", 3), "一二");
    }
}

//! The workbook's table of contents: its sheets by name, in order, each with the part that holds
//! it (`xl/workbook.xml` names them, `xl/_rels/workbook.xml.rels` maps them to parts), and where
//! the shared strings and styles are. A workbook that lists more sheets than a package has parts,
//! or two sheets in one part, is refused here, before any sheet is read.

use std::collections::HashMap;
use std::io::Read;

use quick_xml::events::Event;

use super::package::Package;
use super::xml::{self, XmlPart, clip};
use super::{ImportError, Limits};

const WORKBOOK: &str = "xl/workbook.xml";
const RELATIONSHIPS: &str = "xl/_rels/workbook.xml.rels";
/// Excel's own limit on a sheet's name.
const MAX_SHEET_NAME_CHARS: usize = 31;
/// Longer than any part name a workbook needs.
const MAX_TARGET_CHARS: usize = 260;

/// A sheet of the workbook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetEntry {
    /// Its name, as its tab shows it.
    pub name: String,
    /// The part holding it; `None` for a chart sheet or a sheet whose part is missing.
    pub part: Option<String>,
}

/// What the workbook's table of contents says.
#[derive(Debug, Default)]
pub struct Contents {
    /// The sheets, in tab order.
    pub sheets: Vec<SheetEntry>,
    /// Whether dates count from 1904 (old Mac workbooks) rather than 1900.
    pub date1904: bool,
    /// The shared strings part, if any.
    pub shared_strings: Option<String>,
    /// The styles part, if any.
    pub styles: Option<String>,
}

/// What a relationship points at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Worksheet,
    SharedStrings,
    Styles,
}

/// Reads the workbook's sheets and the parts they live in.
///
/// # Errors
/// When the parts are malformed, list more sheets than `max_parts`, or put two sheets in one
/// part.
pub fn read(package: &mut Package<'_>, limits: &Limits) -> Result<Contents, ImportError> {
    let targets = match package.part(RELATIONSHIPS)? {
        Some(part) => {
            let mut xml = XmlPart::new(part, RELATIONSHIPS, limits.max_xml_node);
            relationships(&mut xml, limits)?
        }
        None => HashMap::new(),
    };
    let Some(part) = package.part(WORKBOOK)? else {
        return Err(ImportError::workbook(
            "the zip archive is not an Excel workbook: it has no xl/workbook.xml",
        ));
    };
    let mut xml = XmlPart::new(part, WORKBOOK, limits.max_xml_node);
    let (listed, date1904) = sheets(&mut xml, limits)?;
    drop(xml);
    let mut contents = Contents {
        date1904,
        ..Contents::default()
    };
    for (kind, slot, fallback) in [
        (
            Kind::SharedStrings,
            &mut contents.shared_strings,
            "xl/sharedStrings.xml",
        ),
        (Kind::Styles, &mut contents.styles, "xl/styles.xml"),
    ] {
        *slot = targets
            .values()
            .find(|(k, _)| *k == kind)
            .map(|(_, target)| target.clone())
            .or_else(|| package.has(fallback).then(|| fallback.to_owned()));
    }
    let mut owner: HashMap<String, String> = HashMap::new();
    for (name, id) in listed {
        let part = id
            .and_then(|id| targets.get(&id))
            .filter(|(kind, _)| *kind == Kind::Worksheet)
            .map(|(_, target)| target.clone())
            .filter(|target| package.has(target));
        if let Some(part) = &part {
            let key = part.to_ascii_lowercase();
            if let Some(first) = owner.get(&key) {
                return Err(ImportError::workbook(format!(
                    "the sheets {first} and {name} are one part ({part}); a workbook keeps each \
                     sheet in its own"
                )));
            }
            owner.insert(key, name.clone());
        }
        contents.sheets.push(SheetEntry { name, part });
    }
    Ok(contents)
}

/// Each sheet's name and relationship id, as `xl/workbook.xml` lists them.
type Listed = Vec<(String, Option<String>)>;

/// The sheets `xl/workbook.xml` lists, and whether its dates count from 1904.
fn sheets<R: Read>(xml: &mut XmlPart<R>, limits: &Limits) -> Result<(Listed, bool), ImportError> {
    let mut listed = Vec::new();
    let mut date1904 = false;
    loop {
        match xml.next()? {
            Event::Start(tag) | Event::Empty(tag) if xml::is(&tag, "sheet") => {
                if listed.len() >= limits.max_parts {
                    return Err(ImportError::workbook(format!(
                        "the workbook lists more than {} sheets; it has at most {} parts to \
                         hold them",
                        limits.max_parts, limits.max_parts
                    )));
                }
                let name = xml::attribute(&tag, "name")?.unwrap_or_default();
                if name.chars().count() > MAX_SHEET_NAME_CHARS {
                    return Err(ImportError::workbook(format!(
                        "the workbook has a sheet named {}, longer than Excel allows \
                         ({MAX_SHEET_NAME_CHARS} characters)",
                        clip(&name, 40)
                    )));
                }
                let name = name.into_owned();
                let id = xml::attribute(&tag, "id")?
                    .filter(|id| id.len() <= MAX_TARGET_CHARS)
                    .map(|id| id.into_owned());
                listed.push((name, id));
            }
            Event::Start(tag) | Event::Empty(tag) if xml::is(&tag, "workbookPr") => {
                date1904 = xml::attribute(&tag, "date1904")?
                    .is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"));
            }
            Event::Eof => return Ok((listed, date1904)),
            _ => {}
        }
    }
}

/// The worksheet, shared-strings and styles relationships of the workbook, by id, with the
/// parts they point at.
fn relationships<R: Read>(
    xml: &mut XmlPart<R>,
    limits: &Limits,
) -> Result<HashMap<String, (Kind, String)>, ImportError> {
    let mut targets = HashMap::new();
    loop {
        match xml.next()? {
            Event::Start(tag) | Event::Empty(tag) if xml::is(&tag, "Relationship") => {
                let kind = xml::attribute(&tag, "Type")?;
                let kind = match kind.as_deref().and_then(|t| t.rsplit('/').next()) {
                    Some("worksheet") => Kind::Worksheet,
                    Some("sharedStrings") => Kind::SharedStrings,
                    Some("styles") => Kind::Styles,
                    _ => continue,
                };
                if xml::attribute(&tag, "TargetMode")?.is_some_and(|m| m == "External") {
                    continue;
                }
                let id = xml::attribute(&tag, "Id")?.unwrap_or_default();
                let target = xml::attribute(&tag, "Target")?.unwrap_or_default();
                if id.len() > MAX_TARGET_CHARS || target.len() > MAX_TARGET_CHARS {
                    return Err(ImportError::workbook(format!(
                        "the workbook's relationship {} is longer than any part name",
                        clip(&id, 40)
                    )));
                }
                if targets.len() >= limits.max_parts {
                    return Err(ImportError::workbook(format!(
                        "the workbook lists more than {} sheets and parts; it has at most {} \
                         parts",
                        limits.max_parts, limits.max_parts
                    )));
                }
                let (id, target) = (id.into_owned(), resolve(&target));
                targets.insert(id, (kind, target));
            }
            Event::Eof => return Ok(targets),
            _ => {}
        }
    }
}

/// The package part a relationship target names: relative to `xl/`, or absolute from the
/// package root, with `.` and `..` segments resolved.
fn resolve(target: &str) -> String {
    let target = target.replace('\\', "/");
    let (base, path): (Vec<&str>, &str) = match target.strip_prefix('/') {
        Some(absolute) => (Vec::new(), absolute),
        None => (vec!["xl"], target.as_str()),
    };
    let mut segments = base;
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_the_workbook() {
        assert_eq!(resolve("worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(
            resolve("/xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(resolve("./worksheets/../styles.xml"), "xl/styles.xml");
        assert_eq!(resolve("../../../etc/passwd"), "etc/passwd");
        assert_eq!(
            resolve("worksheets\\sheet2.xml"),
            "xl/worksheets/sheet2.xml"
        );
    }
}

//! Hostile workbooks, built here with the `zip` crate: the smallest packages that carry one
//! attack each on the workbook reader.
#![expect(
    clippy::unwrap_used,
    reason = "the workbook builders are test code that fails loudly"
)]

use std::io::{Cursor, Write as _};

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub(crate) const SHEET_PART: &str = "xl/worksheets/sheet1.xml";

/// A workbook whose sheets (named in order) all point at one worksheet part holding `body`
/// inside `<worksheet>`, with shared strings if there are any.
pub(crate) fn workbook(sheets: &[&str], body: &str, shared: &[&str]) -> Vec<u8> {
    let entries: String = sheets
        .iter()
        .enumerate()
        .map(|(i, name)| {
            format!(
                "<sheet name=\"{name}\" sheetId=\"{}\" r:id=\"rId1\"/>",
                i + 1
            )
        })
        .collect();
    let strings: String = shared
        .iter()
        .map(|s| format!("<si><t>{s}</t></si>"))
        .collect();
    let parts = [
        (
            "xl/workbook.xml",
            format!(
                "<workbook xmlns=\"{MAIN}\" xmlns:r=\"{REL}\"><sheets>{entries}</sheets></workbook>"
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                "<Relationships><Relationship Id=\"rId1\" Type=\"{REL}/worksheet\" \
                 Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" \
                 Type=\"{REL}/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"
            ),
        ),
        (
            "xl/sharedStrings.xml",
            format!("<sst xmlns=\"{MAIN}\">{strings}</sst>"),
        ),
        (
            SHEET_PART,
            format!("<worksheet xmlns=\"{MAIN}\">{body}</worksheet>"),
        ),
    ];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The form sheet alone, holding `body`.
pub(crate) fn form_sheet(body: &str) -> Vec<u8> {
    workbook(&["自评表"], body, &[])
}

/// `A1` and one value at `far`.
pub(crate) fn two_corners(far: &str) -> Vec<u8> {
    let row = far.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    form_sheet(&format!(
        "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>一级指标</t></is></c></row>\
         <row r=\"{row}\"><c r=\"{far}\"><v>1</v></c></row></sheetData>"
    ))
}

/// Excel's name of a 0-based column.
pub(crate) fn column(col: u32) -> String {
    let mut name = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        name.push(char::from(b'A' + u8::try_from((n - 1) % 26).unwrap()));
        n = (n - 1) / 26;
    }
    name.into_iter().rev().collect()
}

/// Rows × columns of cells from the top-left, each written by `cell(reference)`.
pub(crate) fn grid(rows: u32, cols: u32, cell: impl Fn(&str) -> String) -> String {
    let mut out = String::from("<sheetData>");
    for r in 1..=rows {
        out.push_str(&format!("<row r=\"{r}\">"));
        for c in 0..cols {
            out.push_str(&cell(&format!("{}{r}", column(c))));
        }
        out.push_str("</row>");
    }
    out.push_str("</sheetData>");
    out
}

/// The archive with `part`'s uncompressed size declared as `size` in its local header and in
/// the central directory, as a crafted zip would lie about it.
pub(crate) fn understate(mut bytes: Vec<u8>, part: &str, size: u32) -> Vec<u8> {
    for (signature, size_at, name_at) in [(b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)] {
        let mut at = 0;
        while let Some(found) = bytes[at..].windows(4).position(|w| w == signature) {
            let start = at + found;
            if bytes.get(start + name_at..start + name_at + part.len()) == Some(part.as_bytes()) {
                bytes[start + size_at..start + size_at + 4].copy_from_slice(&size.to_le_bytes());
            }
            at = start + 4;
        }
    }
    bytes
}

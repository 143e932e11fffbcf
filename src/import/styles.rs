//! Cell styles (`xl/styles.xml`), as far as reading values needs them: the number format each
//! style shows its number with. A cell's `s` attribute indexes `<cellXfs>`; each `<xf>` names
//! a format by id, either the workbook's own (`<numFmts>`) or one of Excel's built-in ones.

use std::collections::HashMap;
use std::io::Read;

use quick_xml::events::Event;

use super::xml::{self, XmlPart, clip};
use super::{ImportError, Limits};

/// The longest format code Excel accepts.
const MAX_FORMAT_CHARS: usize = 255;
/// More custom number formats than any workbook has (Excel allows between 200 and 250).
const MAX_NUMBER_FORMATS: usize = 1_000;

/// The number format of each cell style.
#[derive(Debug, Default)]
pub struct Styles {
    /// Each cell style's number format id, by style index.
    formats: Vec<u32>,
    /// The workbook's own format codes, by id.
    custom: HashMap<u32, String>,
}

impl Styles {
    /// The format code a style shows numbers with; `None` is `General` (also for a style the
    /// workbook does not define).
    #[must_use]
    pub fn format(&self, style: usize) -> Option<&str> {
        let id = *self.formats.get(style)?;
        self.custom
            .get(&id)
            .map(String::as_str)
            .or_else(|| builtin(id))
    }
}

/// Reads `xl/styles.xml`.
///
/// # Errors
/// When the part is malformed, or defines more styles or formats than the limits allow.
pub fn read<R: Read>(xml: &mut XmlPart<R>, limits: &Limits) -> Result<Styles, ImportError> {
    let mut styles = Styles::default();
    let mut in_cell_xfs = false;
    let mut depth_in_xfs = 0usize;
    loop {
        match xml.next()? {
            Event::Start(tag) if xml::is(&tag, "cellXfs") => {
                in_cell_xfs = true;
                depth_in_xfs = 0;
            }
            Event::Start(tag) if in_cell_xfs => {
                if depth_in_xfs == 0 && xml::is(&tag, "xf") {
                    add_style(&mut styles, &tag, limits)?;
                }
                depth_in_xfs += 1;
            }
            Event::Empty(tag) if in_cell_xfs && depth_in_xfs == 0 && xml::is(&tag, "xf") => {
                add_style(&mut styles, &tag, limits)?;
            }
            Event::End(tag) if in_cell_xfs => {
                if depth_in_xfs == 0 && xml::is_end(&tag, "cellXfs") {
                    in_cell_xfs = false;
                } else {
                    depth_in_xfs = depth_in_xfs.saturating_sub(1);
                }
            }
            Event::Start(tag) | Event::Empty(tag) if xml::is(&tag, "numFmt") => {
                let id = xml::attribute(&tag, "numFmtId")?.and_then(|v| v.parse::<u32>().ok());
                let code = xml::attribute(&tag, "formatCode")?;
                if let (Some(id), Some(code)) = (id, code) {
                    if code.chars().count() > MAX_FORMAT_CHARS {
                        return Err(ImportError::workbook(format!(
                            "the workbook has a number format of more than {MAX_FORMAT_CHARS} \
                             characters ({}); Excel allows none that long",
                            clip(&code, 40)
                        )));
                    }
                    if styles.custom.len() >= MAX_NUMBER_FORMATS {
                        return Err(ImportError::workbook(format!(
                            "the workbook defines more than {MAX_NUMBER_FORMATS} number \
                             formats; Excel allows about 250"
                        )));
                    }
                    styles.custom.insert(id, code.into_owned());
                }
            }
            Event::Eof => return Ok(styles),
            _ => {}
        }
    }
}

fn add_style(
    styles: &mut Styles,
    tag: &quick_xml::events::BytesStart<'_>,
    limits: &Limits,
) -> Result<(), ImportError> {
    if styles.formats.len() >= limits.max_styles {
        return Err(too_many(limits));
    }
    let id = xml::attribute(tag, "numFmtId")?
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(0);
    styles.formats.push(id);
    Ok(())
}

fn too_many(limits: &Limits) -> ImportError {
    ImportError::workbook(format!(
        "the workbook defines more than {} cell styles; Excel allows about 64 000",
        limits.max_styles
    ))
}

/// Excel's built-in number formats, by id: 0–22 and 37–49 as ECMA-376 lists them, and 27–36
/// and 50–58 as the Chinese (PRC) edition shows its dates.
fn builtin(id: u32) -> Option<&'static str> {
    Some(match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        5 => "\"¥\"#,##0;\"¥\"-#,##0",
        6 => "\"¥\"#,##0;[Red]\"¥\"-#,##0",
        7 => "\"¥\"#,##0.00;\"¥\"-#,##0.00",
        8 => "\"¥\"#,##0.00;[Red]\"¥\"-#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "yyyy/m/d",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "yyyy/m/d h:mm",
        27 | 36 | 50 | 57 => "yyyy\"年\"m\"月\"",
        28 | 29 | 51 | 54 | 56 | 58 => "m\"月\"d\"日\"",
        30 => "m-d-yy",
        31 | 52 | 53 => "yyyy\"年\"m\"月\"d\"日\"",
        32 => "h\"时\"mm\"分\"",
        33 => "h\"时\"mm\"分\"ss\"秒\"",
        34 => "上午/下午h\"时\"mm\"分\"",
        35 | 55 => "上午/下午h\"时\"mm\"分\"ss\"秒\"",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        41 => "_(* #,##0_);_(* \\(#,##0\\);_(* \"-\"_);_(@_)",
        42 => "_(\"¥\"* #,##0_);_(\"¥\"* \\(#,##0\\);_(\"¥\"* \"-\"_);_(@_)",
        43 => "_(* #,##0.00_);_(* \\(#,##0.00\\);_(* \"-\"??_);_(@_)",
        44 => "_(\"¥\"* #,##0.00_);_(\"¥\"* \\(#,##0.00\\);_(\"¥\"* \"-\"??_);_(@_)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mm:ss.0",
        48 => "##0.0E+0",
        49 => "@",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styles(text: &str) -> Result<Styles, ImportError> {
        let mut xml = XmlPart::new(text.as_bytes(), "xl/styles.xml", 1 << 20);
        read(&mut xml, &Limits::default())
    }

    #[test]
    fn a_style_index_names_its_number_format() {
        let styles = styles(
            r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
              <numFmts count="1"><numFmt numFmtId="164" formatCode="0.000"/></numFmts>
              <cellStyleXfs count="1"><xf numFmtId="10"/></cellStyleXfs>
              <cellXfs count="4">
                <xf numFmtId="0" fontId="0"/>
                <xf numFmtId="164" applyNumberFormat="1"><alignment wrapText="1"/></xf>
                <xf numFmtId="10"/>
                <xf numFmtId="31"/>
              </cellXfs>
            </styleSheet>"#,
        )
        .unwrap();
        assert_eq!(styles.format(0), Some("General"));
        assert_eq!(styles.format(1), Some("0.000"));
        assert_eq!(styles.format(2), Some("0.00%"));
        assert_eq!(styles.format(3), Some("yyyy\"年\"m\"月\"d\"日\""));
        assert_eq!(styles.format(4), None, "a style the workbook lacks");
    }

    #[test]
    fn every_builtin_number_format_is_known() {
        for id in (0..=22).chain(27..=58) {
            assert!(builtin(id).is_some(), "{id}");
        }
        assert_eq!(builtin(23), None);
        assert_eq!(builtin(164), None);
    }

    #[test]
    fn styles_are_bounded() {
        let many = format!(
            "<styleSheet><cellXfs>{}</cellXfs></styleSheet>",
            "<xf/>".repeat(70_000)
        );
        let error = styles(&many).unwrap_err();
        assert!(error.detail.contains("cell styles"), "{error}");
        let formats: String = (0..1_001)
            .map(|i| format!("<numFmt numFmtId=\"{}\" formatCode=\"0.0\"/>", 164 + i))
            .collect();
        let formats = format!("<styleSheet><numFmts>{formats}</numFmts></styleSheet>");
        assert!(
            styles(&formats)
                .unwrap_err()
                .detail
                .contains("number formats")
        );
        let long = format!(
            "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"{}\"/></numFmts></styleSheet>",
            "0".repeat(300)
        );
        assert!(styles(&long).unwrap_err().detail.contains("255 characters"));
    }
}

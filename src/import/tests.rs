//! Whole workbooks through `read_workbook`: hostile packages are refused with a message naming
//! what is wrong, within the limits, and no input of any shape makes the reader panic.

use std::io::{Cursor, Write as _};

use proptest::prelude::*;

use super::*;

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn zip_of(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn workbook_xml(sheets: &[(&str, &str)]) -> Vec<u8> {
    let sheets: String = sheets
        .iter()
        .enumerate()
        .map(|(i, (name, id))| format!("<sheet name=\"{name}\" sheetId=\"{i}\" r:id=\"{id}\"/>"))
        .collect();
    format!("<workbook xmlns=\"{MAIN}\" xmlns:r=\"{REL}\"><sheets>{sheets}</sheets></workbook>")
        .into_bytes()
}

fn rels(targets: &[(&str, &str, &str)]) -> Vec<u8> {
    let targets: String = targets
        .iter()
        .map(|(id, kind, target)| {
            format!("<Relationship Id=\"{id}\" Type=\"{REL}/{kind}\" Target=\"{target}\"/>")
        })
        .collect();
    format!("<Relationships>{targets}</Relationships>").into_bytes()
}

/// A workbook of one sheet, 自评表, holding `body` inside `<worksheet>`.
fn one_sheet(body: &str) -> Vec<u8> {
    zip_of(&[
        ("xl/workbook.xml", workbook_xml(&[("自评表", "rId1")])),
        (
            "xl/_rels/workbook.xml.rels",
            rels(&[("rId1", "worksheet", "worksheets/sheet1.xml")]),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!("<worksheet xmlns=\"{MAIN}\">{body}</worksheet>").into_bytes(),
        ),
    ])
}

fn refusal(bytes: &[u8]) -> ImportError {
    read_workbook(bytes, &Limits::default()).unwrap_err()
}

#[test]
fn an_exported_form_reads_back() {
    let imported = read_workbook(&repack(&exported_seed()), &Limits::default()).unwrap();
    assert_eq!(imported.document.fiscal_year, 2020);
}

/// The workbook of `document` as the service exports it.
fn workbook_of(document: &EvaluationDocument) -> Vec<u8> {
    use crate::domain::form::build_form;
    use crate::domain::rulesets::Rulesets;
    use crate::domain::validation::evaluate;

    let rulesets = Rulesets::built_in("national-2020").unwrap();
    let result = evaluate(document, &rulesets).unwrap();
    let grid = build_form(document, rulesets.get(&result.ruleset.id).unwrap());
    crate::render::xlsx::form_workbook(&grid, document, &result).unwrap()
}

#[test]
fn the_basic_data_and_report_sheets_read_back_into_the_same_document() {
    let full = include_str!("../../data/examples/hengyang-2020-department-full.json");
    let document: EvaluationDocument = serde_json::from_str(full).unwrap();
    let imported = read_workbook(&workbook_of(&document), &Limits::default()).unwrap();
    assert_eq!(imported.document.basic_data, document.basic_data);
    assert_eq!(imported.document.report, document.report);
    assert_eq!(
        imported.document, document,
        "the whole document round-trips"
    );
    assert_eq!(
        imported.cell_of("/basic_data/spending/2/last_year_actual"),
        Some("基础数据表!D8")
    );
}

#[test]
fn without_the_extra_sheet_the_basic_data_rows_take_their_parents_from_the_layout() {
    use std::io::Read as _;

    let full = include_str!("../../data/examples/hengyang-2020-department-full.json");
    let document: EvaluationDocument = serde_json::from_str(full).unwrap();
    let bytes = workbook_of(&document);
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    // The workbook's third sheet is 附加信息: blank its rows of parents by dropping the sheet
    // from the workbook's list.
    let mut parts: Vec<(String, Vec<u8>)> = (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            (file.name().unwrap().into_owned(), data)
        })
        .collect();
    for (name, data) in &mut parts {
        if name == "xl/workbook.xml" {
            let text = String::from_utf8(data.clone()).unwrap();
            *data = text
                .replace("name=\"附加信息\"", "name=\"其他\"")
                .into_bytes();
        }
    }
    let imported = read_workbook(&repack(&parts), &Limits::default()).unwrap();
    assert_eq!(imported.document.basic_data, document.basic_data);
}

#[test]
fn a_value_in_the_last_cell_of_the_grid_is_refused_naming_it() {
    let error = refusal(&one_sheet(
        "<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\
         <row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row></sheetData>",
    ));
    assert_eq!(error.sheet.as_deref(), Some("自评表"));
    assert_eq!(error.cell.as_deref(), Some("XFD1048576"));
}

#[test]
fn sheets_are_found_through_the_relationships_and_shared_parts() {
    let bytes = zip_of(&[
        (
            "xl/workbook.xml",
            workbook_xml(&[("Sheet1", "rId7"), ("图表", "rId8")]),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            rels(&[
                ("rId7", "worksheet", "/xl/worksheets/data.xml"),
                ("rId8", "chartsheet", "chartsheets/sheet1.xml"),
                ("rId9", "sharedStrings", "strings.xml"),
            ]),
        ),
        (
            "xl/strings.xml",
            b"<sst><si><t>\xe9\xa2\x84\xe7\xae\x97</t></si></sst>".to_vec(),
        ),
        (
            "xl/worksheets/data.xml",
            b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>\
              </sheetData></worksheet>"
                .to_vec(),
        ),
    ]);
    let error = refusal(&bytes);
    assert!(
        error
            .detail
            .contains("none of Sheet1, 图表 has the indicator table"),
        "{error}"
    );
}

#[test]
fn sheets_sharing_a_part_are_refused_before_any_is_read() {
    let sheets: Vec<(String, &str)> = (0..3).map(|i| (format!("S{i}"), "rId1")).collect();
    let sheets: Vec<(&str, &str)> = sheets.iter().map(|(n, id)| (n.as_str(), *id)).collect();
    let bytes = zip_of(&[
        ("xl/workbook.xml", workbook_xml(&sheets)),
        (
            "xl/_rels/workbook.xml.rels",
            rels(&[("rId1", "worksheet", "worksheets/sheet1.xml")]),
        ),
        ("xl/worksheets/sheet1.xml", b"<worksheet/>".to_vec()),
    ]);
    let error = refusal(&bytes);
    assert!(error.detail.contains("S0 and S1 are one part"), "{error}");
}

#[test]
fn a_workbook_listing_more_sheets_than_parts_is_refused() {
    let names: Vec<String> = (0..10_000).map(|i| format!("S{i}")).collect();
    let sheets: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "rId1")).collect();
    let bytes = zip_of(&[("xl/workbook.xml", workbook_xml(&sheets))]);
    let error = refusal(&bytes);
    assert!(error.detail.contains("more than 200 sheets"), "{error}");
}

/// The archive with `part`'s uncompressed size declared as `size`, in its local header and in
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

#[test]
fn a_part_that_inflates_past_its_declared_size_is_stopped() {
    let sheet = format!(
        "<worksheet><sheetData>{}</sheetData></worksheet>",
        " ".repeat(48 * 1024 * 1024)
    );
    let bytes = zip_of(&[
        ("xl/workbook.xml", workbook_xml(&[("自评表", "rId1")])),
        (
            "xl/_rels/workbook.xml.rels",
            rels(&[("rId1", "worksheet", "worksheets/sheet1.xml")]),
        ),
        ("xl/worksheets/sheet1.xml", sheet.into_bytes()),
    ]);
    let error = refusal(&understate(bytes, "xl/worksheets/sheet1.xml", 1024));
    assert!(
        error
            .detail
            .contains("the part xl/worksheets/sheet1.xml cannot be unpacked"),
        "{error}"
    );
}

#[test]
fn one_long_shared_string_in_many_cells_is_refused_by_the_sheets_text_limit() {
    let long = "长".repeat(10_000);
    let cells: String = (1..=2_000)
        .map(|r| {
            let row: String = (0..64)
                .map(|c| format!("<c r=\"{}\" t=\"s\"><v>0</v></c>", cell_ref(r - 1, c)))
                .collect();
            format!("<row r=\"{r}\">{row}</row>")
        })
        .collect();
    let bytes = zip_of(&[
        ("xl/workbook.xml", workbook_xml(&[("自评表", "rId1")])),
        (
            "xl/_rels/workbook.xml.rels",
            rels(&[
                ("rId1", "worksheet", "worksheets/sheet1.xml"),
                ("rId2", "sharedStrings", "sharedStrings.xml"),
            ]),
        ),
        (
            "xl/sharedStrings.xml",
            format!("<sst><si><t>{long}</t></si></sst>").into_bytes(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!("<worksheet><sheetData>{cells}</sheetData></worksheet>").into_bytes(),
        ),
    ]);
    let error = refusal(&bytes);
    assert!(error.detail.contains("more than 4 MiB of text"), "{error}");
    // 4 MiB of 30 000-byte strings: the 140th cell, on the third row.
    assert_eq!(error.cell.as_deref(), Some("L3"));
}

#[test]
fn malformed_parts_are_refused_with_a_message() {
    let sheet_rel = rels(&[("rId1", "worksheet", "worksheets/sheet1.xml")]);
    for (name, text) in [
        (
            "xl/workbook.xml",
            "<workbook><sheets><sheet name=\"a\"></workbook>",
        ),
        (
            "xl/_rels/workbook.xml.rels",
            "<Relationships><Relationship Id=\"x",
        ),
        ("xl/sharedStrings.xml", "<sst><si><t>a</si></sst>"),
        (
            "xl/styles.xml",
            "<styleSheet><cellXfs><xf numFmtId=\"1\"></cellXfs>",
        ),
        (
            "xl/worksheets/sheet1.xml",
            "<worksheet><sheetData><row></c></sheetData>",
        ),
    ] {
        let mut parts = vec![
            ("xl/workbook.xml", workbook_xml(&[("自评表", "rId1")])),
            ("xl/_rels/workbook.xml.rels", sheet_rel.clone()),
            ("xl/worksheets/sheet1.xml", b"<worksheet/>".to_vec()),
            ("xl/sharedStrings.xml", b"<sst/>".to_vec()),
            ("xl/styles.xml", b"<styleSheet/>".to_vec()),
        ];
        for part in &mut parts {
            if part.0 == name {
                part.1 = text.as_bytes().to_vec();
            }
        }
        let error = refusal(&zip_of(&parts));
        assert!(
            error
                .detail
                .contains(&format!("the part {name} is not well-formed XML")),
            "{name}: {error}"
        );
    }
}

/// Pieces of the XML a workbook's parts are made of, well- and ill-formed, to build parts from.
fn piece() -> impl Strategy<Value = String> {
    const FIXED: &[&str] = &[
        "<sheetData>",
        "</sheetData>",
        "<row r=\"1\">",
        "<row>",
        "<row r=\"1048577\">",
        "</row>",
        "<c r=\"A1\">",
        "<c r=\"B2\" t=\"s\">",
        "<c t=\"inlineStr\">",
        "<c r=\"XFD1048576\">",
        "<c r=\"ZZZZZZZZ99999999999\">",
        "<c t=\"b\">",
        "<c s=\"1\" t=\"n\">",
        "<c s=\"99999999999\">",
        "</c>",
        "<c/>",
        "<v>",
        "</v>",
        "<v>0</v>",
        "<v>1.5E7</v>",
        "<v>44390.5</v>",
        "<v>-1E300</v>",
        "<f>",
        "</f>",
        "<f t=\"shared\" si=\"0\"/>",
        "<f t=\"shared\" si=\"0\">A1</f>",
        "<is>",
        "</is>",
        "<t>",
        "</t>",
        "<t xml:space=\"preserve\">",
        "<r>",
        "</r>",
        "<rPh>",
        "</rPh>",
        "<si>",
        "</si>",
        "<sst>",
        "</sst>",
        "<mergeCells>",
        "<mergeCell ref=\"A1:B2\"/>",
        "<mergeCell ref=\"A1:XFD1048576\"/>",
        "<mergeCell ref=\"B2:A1\"/>",
        "<mergeCell/>",
        "<workbook>",
        "<sheets>",
        "<sheet name=\"自评表\" r:id=\"rId1\"/>",
        "<sheet name=\"附加信息\" r:id=\"rId2\"/>",
        "<sheet name=\"x\"/>",
        "<workbookPr date1904=\"1\"/>",
        "<Relationships>",
        "<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>",
        "<Relationship Id=\"rId2\" Type=\"x/worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>",
        "<Relationship Id=\"rId3\" Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/>",
        "<Relationship Id=\"rId4\" Type=\"x/styles\" Target=\"../xl/styles.xml\"/>",
        "<styleSheet>",
        "<numFmts>",
        "<numFmt numFmtId=\"164\" formatCode=\"0.00%\"/>",
        "<numFmt numFmtId=\"165\" formatCode=\"yyyy-mm-dd\"/>",
        "<cellXfs>",
        "</cellXfs>",
        "<xf numFmtId=\"164\"/>",
        "<xf numFmtId=\"14\">",
        "</xf>",
        "一级指标",
        "二级指标",
        "三级指标",
        "（2020年度）",
        "填报单位：某局",
        "总分",
        "&amp;",
        "&#x4E00;",
        "&#0;",
        "&bogus;",
        "_xD83D_",
        "<![CDATA[x]]>",
        "<!-- c -->",
        "<?pi x?>",
        "<!DOCTYPE x>",
        "]]>",
        "<",
        ">",
        "&",
        "\"",
    ];
    prop_oneof![
        4 => proptest::sample::select(FIXED).prop_map(str::to_owned),
        1 => "[a-zA-Z0-9 ._:=\"/<>&;#-]{0,12}",
    ]
}

fn xml_part() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(piece(), 0..40).prop_map(|pieces| pieces.concat().into_bytes())
}

fn package() -> impl Strategy<Value = Vec<u8>> {
    const NAMES: &[&str] = &[
        "[Content_Types].xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet2.xml",
        "xl/sharedStrings.xml",
        "xl/styles.xml",
        "XL/WORKBOOK.XML",
    ];
    prop::collection::vec((proptest::sample::select(NAMES), xml_part()), 0..8).prop_map(|parts| {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            // A name twice is refused by the zip writer; the first copy stands.
            if zip.start_file(name, options).is_ok() {
                zip.write_all(&data).unwrap();
            }
        }
        zip.finish().unwrap().into_inner()
    })
}

/// A package whose table of contents is sound, with arbitrary sheets, strings and styles, so
/// that most cases reach the cell reader.
fn sound_package() -> impl Strategy<Value = Vec<u8>> {
    (xml_part(), xml_part(), xml_part(), xml_part()).prop_map(|(sheet, extra, strings, styles)| {
        let wrap = |open: &str, inner: Vec<u8>, close: &str| {
            [open.as_bytes(), &inner, close.as_bytes()].concat()
        };
        zip_of(&[
            (
                "xl/workbook.xml",
                workbook_xml(&[("自评表", "rId1"), ("附加信息", "rId2")]),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                rels(&[
                    ("rId1", "worksheet", "worksheets/sheet1.xml"),
                    ("rId2", "worksheet", "worksheets/sheet2.xml"),
                    ("rId3", "sharedStrings", "sharedStrings.xml"),
                    ("rId4", "styles", "styles.xml"),
                ]),
            ),
            (
                "xl/worksheets/sheet1.xml",
                wrap(
                    "<worksheet><sheetData><row r=\"1\">",
                    sheet,
                    "</row></sheetData></worksheet>",
                ),
            ),
            (
                "xl/worksheets/sheet2.xml",
                wrap("<worksheet><sheetData>", extra, "</sheetData></worksheet>"),
            ),
            (
                "xl/sharedStrings.xml",
                wrap("<sst><si>", strings, "</si></sst>"),
            ),
            (
                "xl/styles.xml",
                wrap("<styleSheet><cellXfs>", styles, "</cellXfs></styleSheet>"),
            ),
        ])
    })
}

/// The parts of the seed exported as the official form, by name.
fn exported_seed() -> Vec<(String, Vec<u8>)> {
    static PARTS: std::sync::LazyLock<Vec<(String, Vec<u8>)>> =
        std::sync::LazyLock::new(export_seed);
    PARTS.clone()
}

fn export_seed() -> Vec<(String, Vec<u8>)> {
    use crate::domain::form::build_form;
    use crate::domain::rulesets::Rulesets;
    use crate::domain::validation::evaluate;
    use std::io::Read as _;

    let seed = include_str!("../../data/examples/hengyang-2020-department.json");
    let document: EvaluationDocument = serde_json::from_str(seed).unwrap();
    let rulesets = Rulesets::built_in("national-2020").unwrap();
    let result = evaluate(&document, &rulesets).unwrap();
    let grid = build_form(&document, rulesets.get(&result.ruleset.id).unwrap());
    let bytes = crate::render::xlsx::form_workbook(&grid, &document, &result).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            (file.name().unwrap().into_owned(), data)
        })
        .collect()
}

fn repack(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let parts: Vec<(&str, Vec<u8>)> = parts.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
    zip_of(&parts)
}

/// Replaces the text of the `nth` element closing with `close` (`</t>`, `</v>`) in `part`.
fn replace_nth_text(part: &mut Vec<u8>, close: &str, nth: prop::sample::Index, text: &str) {
    let xml = String::from_utf8_lossy(part).into_owned();
    let ends: Vec<usize> = xml.match_indices(close).map(|(at, _)| at).collect();
    if ends.is_empty() {
        return;
    }
    let end = ends[nth.index(ends.len())];
    let start = xml[..end].rfind('>').map_or(end, |at| at + 1);
    *part = format!("{}{text}{}", &xml[..start], &xml[end..]).into_bytes();
}

/// Texts a form's cells might hold, sensible and not.
fn cell_text() -> impl Strategy<Value = String> {
    const TEXTS: &[&str] = &[
        "",
        " ",
        "一级指标",
        "二级指标",
        "三级指标",
        "产出指标（50分）",
        "产出指标(50分)",
        "总分",
        "（2020年度）",
        "2020年度部门整体支出绩效自评表",
        "项目支出绩效自评表",
        "项目名称",
        "填报单位：",
        "填报单位（盖章）：某局",
        "年度总体目标",
        "年初预算数",
        "部门资金（万元）",
        "评定等级",
        "优",
        "-",
        "—",
        "0",
        "-1",
        "100",
        "1.5E7",
        "1E300",
        "99999999999999999999999999999",
        "0.000000000000000000000000000001",
        "abc",
    ];
    prop_oneof![
        3 => proptest::sample::select(TEXTS).prop_map(str::to_owned),
        1 => "[0-9.eE+-]{0,12}",
        1 => "[一二三级指标分（）()0-9 ]{0,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read_workbook(&bytes, &Limits::default());
    }

    #[test]
    fn arbitrary_packages_of_xml_parts_never_panic(bytes in prop_oneof![package(), sound_package()]) {
        let _ = read_workbook(&bytes, &Limits::default());
    }

    #[test]
    fn a_damaged_package_never_panics(
        bytes in package(),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let mut bytes = bytes;
        if !bytes.is_empty() {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let _ = read_workbook(&bytes, &Limits::default());
    }

    #[test]
    fn an_exported_form_with_its_xml_damaged_never_panics(
        part in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        cut in 0usize..64,
        insert in piece(),
    ) {
        let mut parts = exported_seed();
        let i = part.index(parts.len());
        let data = &mut parts[i].1;
        let from = at.index(data.len() + 1);
        let to = (from + cut).min(data.len());
        data.splice(from..to, insert.into_bytes());
        let _ = read_workbook(&repack(&parts), &Limits::default());
    }

    #[test]
    fn an_exported_form_with_odd_cell_texts_never_panics(
        edits in prop::collection::vec(
            (any::<bool>(), any::<prop::sample::Index>(), cell_text()),
            1..12,
        ),
    ) {
        let mut parts = exported_seed();
        for (shared, nth, text) in edits {
            let (name, close) = if shared {
                ("xl/sharedStrings.xml", "</t>")
            } else {
                ("xl/worksheets/sheet1.xml", "</v>")
            };
            if let Some(part) = parts.iter_mut().find(|(n, _)| n == name) {
                replace_nth_text(&mut part.1, close, nth, &text);
            }
        }
        let _ = read_workbook(&repack(&parts), &Limits::default());
    }
}

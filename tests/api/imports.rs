//! Forms filled in Excel: exported workbooks import back as the same evaluation, real-form
//! variants of the layout are read, and malformed workbooks are refused naming the cell.
#![expect(
    clippy::unwrap_used,
    reason = "the workbook builders are test code that fails loudly"
)]

use std::io::{Cursor, Write as _};

use calamine::Reader as _;
use rust_xlsxwriter::{Format, Workbook};

use crate::hostile;
use crate::support::*;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn import(app: &TestApp, body: &[u8], dry_run: bool) -> Reply {
    let path = format!("/api/v1/imports?dry_run={dry_run}");
    app.post_raw(&path, XLSX, body).await
}

async fn export(app: &TestApp, id: i64) -> Vec<u8> {
    let reply = app.get(&format!("{}/form.xlsx", evaluation(id))).await;
    assert_eq!(reply.status, 200, "{}", body_text(&reply));
    reply.body
}

fn examples() -> Vec<(String, Value)> {
    let mut files: Vec<_> = std::fs::read_dir(data_dir().join("examples"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (
                path.display().to_string(),
                serde_json::from_str(&text).unwrap(),
            )
        })
        .collect()
}

fn assert_unreadable(reply: &Reply, cell: Option<&str>, says: &str) {
    assert_problem(reply, 422, "unreadable-workbook", None);
    let problem = reply.json();
    assert!(
        problem["detail"].as_str().unwrap().contains(says),
        "expected `{says}` in {problem}"
    );
    if let Some(cell) = cell {
        assert_eq!(problem["sheet"], "自评表", "{problem}");
        assert_eq!(problem["cell"], cell, "{problem}");
    }
}

#[actix_web::test]
async fn every_example_exported_to_excel_imports_back_as_the_same_evaluation() {
    for (file, form) in examples() {
        // Arrange: a service of its own per example, as two examples may hold one form.
        let app = spawn_app().await;
        let stored = app.create(&form).await;
        let workbook = export(&app, id_of(&stored)).await;

        // Act
        let reply = import(&app, &workbook, true).await;

        // Assert: every field, every raw string.
        assert_eq!(reply.status, 200, "{file}: {}", body_text(&reply));
        let report = reply.json();
        assert_eq!(report["dry_run"], true);
        assert_eq!(report["document"], document_of(&stored), "{file}");
        assert_eq!(report["result"], stored["result"], "{file}");
        assert!(
            report.get("evaluation").is_none(),
            "a dry run stores nothing"
        );
        assert_eq!(listed_ids(&app, "").await.len(), 1, "{file}");
    }
}

#[actix_web::test]
async fn an_import_is_stored_as_the_units_new_draft() {
    // Arrange: the project example exported from one service, imported into another.
    let source = spawn_app().await;
    let (_, project) = examples()
        .into_iter()
        .find(|(_, f)| f["kind"] == "project")
        .unwrap();
    let workbook = export(&source, id_of(&source.create(&project).await)).await;
    let app = spawn_app().await;
    let code = project["unit"]["code"].as_str().unwrap();
    let unit = app.as_caller(Some(&app.issue("unit", &[code]).await));
    let other = app.as_caller(Some(&app.issue("unit", &["000000"]).await));
    let reviewer = app.as_caller(Some(&app.issue("reviewer", &[]).await));

    // Act & Assert: refused to whoever may not create the form, nothing stored.
    assert_problem(
        &import(&app.anonymous(), &workbook, false).await,
        401,
        "unauthenticated",
        None,
    );
    assert_problem(
        &import(&other, &workbook, false).await,
        403,
        "forbidden",
        None,
    );
    assert_problem(
        &import(&reviewer, &workbook, false).await,
        403,
        "forbidden",
        None,
    );
    assert_eq!(
        import(&reviewer, &workbook, true).await.status,
        200,
        "a reviewer may read one"
    );
    assert!(listed_ids(&app, "").await.is_empty());
    let reply = import(&unit, &workbook, false).await;
    assert_eq!(reply.status, 201, "{}", body_text(&reply));
    let report = reply.json();
    let id = id_of(&report["evaluation"]);
    assert_eq!(reply.header("location"), Some(evaluation(id)));
    let stored = unit.get(&evaluation(id)).await.json();
    assert_eq!(stored["status"], "draft");
    assert_eq!(stored["result"]["total"], "95.77");
    let history = unit
        .get(&format!("{}/history", evaluation(id)))
        .await
        .json();
    assert_eq!(history[0]["actor"]["role"], "unit");
    // The same workbook again is the same form again: a conflict, nothing added.
    assert_problem(
        &import(&unit, &workbook, false).await,
        409,
        "conflict",
        None,
    );
}

#[actix_web::test]
async fn a_workbook_can_be_sent_as_a_multipart_form() {
    let app = spawn_app().await;
    let workbook = export(&app, id_of(&app.create(&seed()).await)).await;
    let boundary = "jixiao-test-boundary";
    let mut body = Vec::new();
    write!(
        body,
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"自评表.xlsx\"\r\n\
         Content-Type: {XLSX}\r\n\r\n"
    )
    .unwrap();
    body.extend_from_slice(&workbook);
    write!(body, "\r\n--{boundary}--\r\n").unwrap();
    let content_type = format!("multipart/form-data; boundary={boundary}");

    let reply = app
        .post_raw("/api/v1/imports?dry_run=true", &content_type, &body)
        .await;

    assert_eq!(reply.status, 200, "{}", body_text(&reply));
    assert_eq!(reply.json()["result"]["total"], "93.55");
}

/// How a hand-made workbook departs from the exported layout.
#[derive(Default, Clone, Copy)]
struct Variant {
    /// Repeat a spanning cell's text in every cell it spans instead of merging.
    repeat_instead_of_merge: bool,
    /// Put a blank row after every indicator row.
    blank_rows: bool,
    /// Write `产出指标(50分)` with half-width parentheses.
    half_width_points: bool,
    /// Write the cell with this source as a formula.
    formula_at: Option<&'static str>,
    /// Add rows of filler below the form.
    extra_rows: u32,
    /// Put this many characters into the goals' first cell.
    huge_cell: usize,
    /// Leave out the 填报单位 line above the table, as many regions print the project form.
    no_unit_line: bool,
    /// Leave out the 分值 and 得分 columns and the totals, as some regions print the form.
    no_weight_columns: bool,
}

/// Whether a grid cell is one of the 分值 / 得分 cells a form printed without them lacks.
fn weight_or_score(grid_row: &Value, cell: &Value) -> bool {
    let text = cell["text"].as_str().unwrap_or_default();
    let source = cell["source"].as_str().unwrap_or_default();
    text == "分值"
        || text == "得分"
        || source.ends_with("/weight")
        || source.ends_with("/declared_score")
        || source == "/declared_total"
        || (grid_row["section"] == "total" && cell["role"] == "value" && source.is_empty())
}

/// Writes the seed's form grid into a workbook the way a unit's own spreadsheet might hold it:
/// every value as text, laid out as the grid says, varied as asked.
fn hand_made(grid: &Value, variant: Variant) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("自评表").unwrap();
    let plain = Format::new();
    let columns = u16::try_from(grid["columns"].as_u64().unwrap()).unwrap();
    sheet
        .write_string(0, 0, grid["title"].as_str().unwrap())
        .unwrap();
    sheet
        .write_string(1, 0, grid["subtitle"].as_str().unwrap())
        .unwrap();
    for (i, line) in grid["header"].as_array().unwrap().iter().enumerate() {
        if variant.no_unit_line && line["label"].as_str().unwrap().starts_with("填报单位") {
            continue;
        }
        let text = format!(
            "{}：{}",
            line["label"].as_str().unwrap(),
            line["value"].as_str().unwrap()
        );
        sheet
            .write_string(2, u16::try_from(i * 4).unwrap(), &text)
            .unwrap();
    }
    let mut row: u32 = 3;
    for grid_row in grid["rows"].as_array().unwrap() {
        let top = row;
        for cell in grid_row["cells"].as_array().unwrap() {
            if variant.no_weight_columns && weight_or_score(grid_row, cell) {
                continue;
            }
            let mut text = cell["text"].as_str().unwrap().to_owned();
            if variant.half_width_points {
                text = text.replace('（', "(").replace("分）", "分)");
            }
            if variant.huge_cell > 0 && cell["source"] == "/goals/0/expected" {
                text = "目".repeat(variant.huge_cell);
            }
            let col = u16::try_from(cell["col"].as_u64().unwrap()).unwrap();
            let rows = u32::try_from(cell["row_span"].as_u64().unwrap()).unwrap();
            let cols = u16::try_from(cell["col_span"].as_u64().unwrap()).unwrap();
            let stretch = if variant.blank_rows && grid_row["section"] == "indicators" {
                2
            } else {
                1
            };
            let bottom = top + rows * stretch - 1;
            let right = col + cols - 1;
            if variant.formula_at.is_some() && cell["source"].as_str() == variant.formula_at {
                sheet.write_formula(top, col, "=5+5").unwrap();
                continue;
            }
            if variant.repeat_instead_of_merge {
                for r in top..=bottom {
                    if variant.blank_rows && (r - top) % 2 == 1 {
                        continue;
                    }
                    sheet.write_string(r, col, &text).unwrap();
                }
            } else if bottom > top || right > col {
                sheet
                    .merge_range(top, col, bottom, right, &text, &plain)
                    .unwrap();
            } else {
                sheet.write_string(top, col, &text).unwrap();
            }
        }
        row += if variant.blank_rows && grid_row["section"] == "indicators" {
            2
        } else {
            1
        };
    }
    for (i, line) in grid["signatures"].as_array().unwrap().iter().enumerate() {
        let text = format!(
            "{}：{}",
            line["label"].as_str().unwrap(),
            line["value"].as_str().unwrap()
        );
        sheet
            .write_string(row, u16::try_from(i * 3).unwrap(), &text)
            .unwrap();
    }
    for extra in 0..variant.extra_rows {
        sheet.write_string(row + 2 + extra, 0, "附").unwrap();
    }
    let _ = columns;
    workbook.save_to_buffer().unwrap()
}

/// The seed as stored, without its ruleset (the hand-made workbooks do not carry one).
async fn seed_and_grid(app: &TestApp) -> (Value, Value) {
    let stored = app.create(&seed()).await;
    let grid = app
        .get(&format!("{}/form", evaluation(id_of(&stored))))
        .await
        .json();
    let mut document = document_of(&stored);
    document.as_object_mut().unwrap().remove("ruleset");
    (document, grid)
}

#[actix_web::test]
async fn real_form_variants_of_the_layout_read_the_same() {
    let app = spawn_app().await;
    let (document, grid) = seed_and_grid(&app).await;
    for (name, variant) in [
        ("merged, figures as text", Variant::default()),
        (
            "repeated level cells instead of merges",
            Variant {
                repeat_instead_of_merge: true,
                ..Variant::default()
            },
        ),
        (
            "blank rows between indicators",
            Variant {
                blank_rows: true,
                ..Variant::default()
            },
        ),
        (
            "repeated cells and blank rows",
            Variant {
                repeat_instead_of_merge: true,
                blank_rows: true,
                ..Variant::default()
            },
        ),
        (
            "half-width points in the labels",
            Variant {
                half_width_points: true,
                ..Variant::default()
            },
        ),
    ] {
        // Act
        let reply = import(&app, &hand_made(&grid, variant), true).await;

        // Assert
        assert_eq!(reply.status, 200, "{name}: {}", body_text(&reply));
        let report = reply.json();
        assert_eq!(report["document"], document, "{name}");
        let notes: Vec<&str> = report["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["message"].as_str().unwrap())
            .collect();
        assert!(
            notes.contains(&"weight 50 read from the label `产出指标（50分）`")
                || notes.contains(&"weight 50 read from the label `产出指标(50分)`"),
            "{name}: {notes:?}"
        );
        assert!(
            report["notes"][0]["cell"]
                .as_str()
                .is_some_and(|c| !c.is_empty())
        );
    }
}

#[actix_web::test]
async fn a_project_form_without_a_unit_line_takes_the_unit_from_its_implementer() {
    // Arrange
    let app = spawn_app().await;
    let example = examples()
        .into_iter()
        .map(|(_, document)| document)
        .find(|document| document["kind"] == "project")
        .expect("a project example");
    let stored = app.create(&example).await;
    let grid = app
        .get(&format!("{}/form", evaluation(id_of(&stored))))
        .await
        .json();
    let without = Variant {
        no_unit_line: true,
        ..Variant::default()
    };

    // Act
    let reply = import(&app, &hand_made(&grid, without), true).await;
    let mut blank_line = grid.clone();
    blank_line["header"][0]["value"] = json!("");
    let blank = import(&app, &hand_made(&blank_line, Variant::default()), true).await;
    let refused = import(&app, &hand_made(&seed_grid(&app).await, without), true).await;

    // Assert
    assert_eq!(reply.status, 200, "{}", body_text(&reply));
    let report = reply.json();
    let implementer = &example["project"]["implementer"];
    assert_eq!(report["document"]["unit"]["name"], *implementer);
    assert_eq!(
        report["document"]["project"]["department"],
        example["project"]["department"]
    );
    assert_eq!(report["document"]["project"]["implementer"], *implementer);
    let note = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["message"].as_str().unwrap().contains("取自实施单位"))
        .unwrap_or_else(|| panic!("no note on the unit: {}", report["notes"]));
    assert_eq!(
        note["message"],
        format!(
            "表中未印填报单位，填报单位取自实施单位：{}",
            implementer.as_str().unwrap()
        )
    );
    assert!(note["cell"].as_str().is_some_and(|c| !c.is_empty()));
    // Everything else reads as with the line.
    let with_line = import(&app, &hand_made(&grid, Variant::default()), true)
        .await
        .json();
    let mut expected = with_line["document"].clone();
    expected["unit"]["name"] = implementer.clone();
    assert_eq!(report["document"], expected);
    // A 填报单位 line left blank is as good as none.
    assert_eq!(blank.status, 200, "{}", body_text(&blank));
    assert_eq!(blank.json()["document"], expected);
    // A department form has no 实施单位 to fall back on.
    assert_unreadable(&refused, None, "no 填报单位");
}

#[actix_web::test]
async fn a_form_printed_without_weight_and_score_columns_is_scored_with_the_rulesets_weights() {
    // Arrange
    let app = spawn_app().await;
    // The seed as printed without any weight, its level-1 labels without points too.
    let stored = app
        .create(&crate::inferred_weights::unweighted("hunan-2020"))
        .await;
    let grid = app
        .get(&format!("{}/form", evaluation(id_of(&stored))))
        .await
        .json();
    let without = Variant {
        no_weight_columns: true,
        ..Variant::default()
    };

    // Act
    let reply = import(&app, &hand_made(&grid, without), true).await;

    // Assert
    assert_eq!(reply.status, 200, "{}", body_text(&reply));
    let report = reply.json();
    let document = &report["document"];
    assert!(document["funds"].get("weight").is_none(), "{document}");
    assert!(document.get("declared_total").is_none(), "{document}");
    let leaf = &document["indicators"][0]["children"][0]["children"][0];
    assert!(leaf.get("weight").is_none(), "{leaf}");
    assert_eq!(leaf["target"], "300");
    let result = &report["result"];
    let inferred = findings(result)
        .into_iter()
        .filter(|(code, ..)| code == "weight_inferred")
        .count();
    assert_eq!(
        inferred, 10,
        "the funds and 9 leaves: {}",
        result["findings"]
    );
    assert_eq!(result["applicable_weight"], "100");
    assert_eq!(result["total"], "95.55");
}

/// The seed's form grid.
async fn seed_grid(app: &TestApp) -> Value {
    seed_and_grid(app).await.1
}

#[actix_web::test]
async fn malformed_workbooks_are_refused_naming_the_cell_and_nothing_is_stored() {
    // Arrange
    let app = spawn_app().await;
    let (_, grid) = seed_and_grid(&app).await;
    let seed_id = listed_ids(&app, "").await;
    let not_a_workbook_zip = {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("notes.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"hello").unwrap();
        zip.finish().unwrap().into_inner()
    };
    let bomb = {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/workbook.xml", options).unwrap();
        zip.write_all(b"<workbook/>").unwrap();
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        let zeros = vec![b' '; 1024 * 1024];
        for _ in 0..64 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap().into_inner()
    };
    assert!(
        bomb.len() < 1024 * 1024,
        "the bomb fits the body limit: {}",
        bomb.len()
    );
    let no_form = {
        let mut workbook = Workbook::new();
        workbook
            .add_worksheet()
            .write_string(0, 0, "预算执行情况")
            .unwrap();
        workbook.save_to_buffer().unwrap()
    };
    let formula = hand_made(
        &grid,
        Variant {
            formula_at: Some("/indicators/0/children/0/children/0/weight"),
            ..Variant::default()
        },
    );
    let ten_thousand_rows = hand_made(
        &grid,
        Variant {
            extra_rows: 10_000,
            ..Variant::default()
        },
    );
    let huge_cell = hand_made(
        &grid,
        Variant {
            huge_cell: 20_000,
            ..Variant::default()
        },
    );

    // Act & Assert
    assert_unreadable(
        &import(&app, b"PK not really", false).await,
        None,
        "not a zip",
    );
    assert_unreadable(
        &import(&app, &not_a_workbook_zip, false).await,
        None,
        "xl/workbook.xml",
    );
    assert_unreadable(
        &import(&app, &bomb, false).await,
        None,
        "unpacks to more than",
    );
    assert_unreadable(
        &import(&app, &no_form, false).await,
        None,
        "no sheet holds a 自评表",
    );
    assert_unreadable(
        &import(&app, &formula, false).await,
        Some("G21"),
        "a formula (=5+5)",
    );
    assert_unreadable(
        &import(&app, &ten_thousand_rows, false).await,
        Some("H10034"),
        "10034 rows",
    );
    assert_unreadable(
        &import(&app, &huge_cell, false).await,
        Some("B17"),
        "20000 characters",
    );
    let reply = app.post_raw("/api/v1/imports", "text/csv", b"a,b").await;
    assert_problem(&reply, 415, "unsupported-media-type", None);
    assert_eq!(listed_ids(&app, "").await, seed_id, "nothing was stored");
}

#[actix_web::test]
async fn blank_templates_download_and_say_what_is_missing_when_imported_empty() {
    let app = spawn_app().await;
    for kind in ["department", "project"] {
        let reply = app
            .anonymous()
            .get(&format!("/api/v1/templates/{kind}.xlsx"))
            .await;
        assert_eq!(reply.status, 200, "{}", body_text(&reply));
        assert_eq!(reply.content_type(), XLSX);
        let mut book: calamine::Xlsx<_> =
            calamine::Reader::new(Cursor::new(reply.body.clone())).unwrap();
        let sheet = book.worksheet_range("自评表").unwrap();
        let texts: Vec<String> = sheet.used_cells().map(|(_, _, d)| d.to_string()).collect();
        assert!(texts.iter().any(|t| t == "数量指标"), "{texts:?}");
        let empty = import(&app, &reply.body, true).await;
        assert_unreadable(&empty, None, "no fiscal year");
    }
    let missing = app.get("/api/v1/templates/other.xlsx").await;
    assert_problem(&missing, 404, "not-found", None);
}

/// Refused as unreadable within `seconds`, the service still answering after it.
async fn refused_quickly(app: &TestApp, body: &[u8], cell: Option<&str>, says: &str) {
    let started = std::time::Instant::now();
    let reply = import(app, body, true).await;
    let took = started.elapsed();
    assert_unreadable(&reply, cell, says);
    assert!(took.as_secs_f64() < 2.0, "took {took:?} to refuse");
    assert_eq!(app.get("/healthz").await.status, 200, "still serving");
}

#[actix_web::test]
async fn a_value_in_the_last_cell_of_the_grid_is_refused_and_the_service_keeps_serving() {
    let app = spawn_app().await;
    let workbook = hostile::two_corners("XFD1048576");
    assert!(workbook.len() < 2048, "{} bytes", workbook.len());

    refused_quickly(
        &app,
        &workbook,
        Some("XFD1048576"),
        "1048576 rows and 16384 columns",
    )
    .await;
}

#[actix_web::test]
async fn a_value_in_the_last_row_within_the_columns_is_refused_quickly() {
    let app = spawn_app().await;

    let workbook = hostile::two_corners("BL1048576");

    refused_quickly(
        &app,
        &workbook,
        Some("BL1048576"),
        "1048576 rows and 64 columns",
    )
    .await;
}

#[actix_web::test]
async fn sheets_pointing_at_one_large_part_are_refused_without_reading_it_again_and_again() {
    // Arrange: a full sheet of text (8 MB unpacked) that every listed sheet points at.
    let app = spawn_app().await;
    let body = hostile::grid(2_000, 64, |at| {
        format!("<c r=\"{at}\" t=\"inlineStr\"><is><t>预算执行情况说明{at}</t></is></c>")
    });
    let names: Vec<String> = (0..10_000).map(|i| format!("S{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let ten_thousand = hostile::workbook(&names, &body, &[]);
    let two = hostile::workbook(&names[..2], &body, &[]);
    assert!(
        ten_thousand.len() < 1024 * 1024,
        "{} bytes",
        ten_thousand.len()
    );

    // Act & Assert
    refused_quickly(&app, &ten_thousand, None, "lists more than 200 sheets").await;
    refused_quickly(&app, &two, None, "the sheets S0 and S1 are one part").await;
}

#[actix_web::test]
async fn one_long_shared_string_in_every_cell_is_refused_by_the_sheets_text_limit() {
    let app = spawn_app().await;
    let long = "长".repeat(10_000);
    let body = hostile::grid(2_000, 64, |at| {
        format!("<c r=\"{at}\" t=\"s\"><v>0</v></c>")
    });

    let workbook = hostile::workbook(&["自评表"], &body, &[&long]);

    refused_quickly(&app, &workbook, Some("L3"), "more than 4 MiB of text").await;
}

#[actix_web::test]
async fn merged_regions_overlapping_over_the_whole_sheet_are_refused() {
    let app = spawn_app().await;
    let merges = "<mergeCell ref=\"A1:BL2000\"/>".repeat(10_000);

    let workbook = hostile::form_sheet(&format!(
        "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>一级指标</t></is></c></row>\
         </sheetData><mergeCells count=\"10000\">{merges}</mergeCells>"
    ));

    refused_quickly(&app, &workbook, Some("A1"), "they overlap").await;
}

#[actix_web::test]
async fn a_part_that_inflates_past_its_declared_size_is_refused() {
    let app = spawn_app().await;
    let spaces = " ".repeat(256 * 1024 * 1024);
    let workbook = hostile::form_sheet(&format!("<sheetData>{spaces}</sheetData>"));
    drop(spaces);

    let lying = hostile::understate(workbook, hostile::SHEET_PART, 1024);

    assert!(lying.len() < 1024 * 1024, "{} bytes", lying.len());
    refused_quickly(
        &app,
        &lying,
        None,
        "the part xl/worksheets/sheet1.xml cannot be unpacked",
    )
    .await;
}

#[actix_web::test]
async fn malformed_xml_and_values_that_are_no_numbers_are_refused_naming_them() {
    let app = spawn_app().await;
    let unclosed =
        hostile::form_sheet("<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></row></sheetData>");
    let not_a_number = hostile::form_sheet(
        "<sheetData><row r=\"1\"><c r=\"B1\"><v>12,5 万元</v></c></row></sheetData>",
    );

    refused_quickly(
        &app,
        &unclosed,
        None,
        "the part xl/worksheets/sheet1.xml is not well-formed XML",
    )
    .await;
    refused_quickly(
        &app,
        &not_a_number,
        Some("B1"),
        "`12,5 万元`, which is not a number",
    )
    .await;
}

#[actix_web::test]
async fn a_workbook_with_blank_cells_is_stored_as_an_incomplete_draft() {
    // Arrange: the seed's grid with its first leaf's 分值, the funds' 分值 and the second
    // leaf's 实际完成值 left blank.
    let app = spawn_app().await;
    let (_, mut grid) = seed_and_grid(&app).await;
    let leaf = "/indicators/0/children/0/children/0";
    let second = "/indicators/0/children/0/children/1";
    let blanks = [
        format!("{leaf}/weight"),
        "/funds/weight".to_owned(),
        format!("{second}/actual"),
    ];
    for row in grid["rows"].as_array_mut().unwrap() {
        for cell in row["cells"].as_array_mut().unwrap() {
            if blanks.iter().any(|b| cell["source"] == b.as_str()) {
                cell["text"] = json!("");
            }
        }
    }
    let workbook = hand_made(&grid, Variant::default());
    let fresh = spawn_app().await;

    // Act
    let dry = import(&fresh, &workbook, true).await;
    let stored = import(&fresh, &workbook, false).await;

    // Assert: read, scored as far as it goes, stored as a draft that lists what it lacks.
    assert_eq!(dry.status, 200, "{}", body_text(&dry));
    assert_eq!(stored.status, 201, "{}", body_text(&stored));
    let report = stored.json();
    assert_eq!(report["result"]["partial"], true, "{report}");
    let evaluation = &report["evaluation"];
    assert_eq!(evaluation["status"], "draft");
    assert_eq!(evaluation["completeness"]["complete"], false);
    let missing: Vec<(String, String)> = evaluation["completeness"]["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            assert!(m["location"].is_string(), "{m}");
            (
                m["pointer"].as_str().unwrap().to_owned(),
                m["what"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        missing,
        vec![
            ("/funds/weight".to_owned(), "分值未填".to_owned()),
            (format!("{leaf}/weight"), "分值未填".to_owned()),
            (format!("{second}/actual"), "实际完成值未填".to_owned()),
        ]
    );
}

#[actix_web::test]
async fn a_workbook_with_several_bad_figures_names_every_one_at_its_cell() {
    // Arrange: a weight in words and an amount whose separator could be a decimal point.
    let app = spawn_app().await;
    let (_, mut grid) = seed_and_grid(&app).await;
    let leaf_weight = "/indicators/0/children/0/children/0/weight";
    for row in grid["rows"].as_array_mut().unwrap() {
        for cell in row["cells"].as_array_mut().unwrap() {
            if cell["source"] == leaf_weight {
                cell["text"] = json!("十分");
            } else if cell["source"] == "/funds/executed" {
                cell["text"] = json!("239，31");
            }
        }
    }
    let workbook = hand_made(&grid, Variant::default());

    // Act
    let reply = import(&app, &workbook, true).await;

    // Assert
    assert_problem(&reply, 422, "invalid-document", Some(leaf_weight));
    let errors = reply.json()["errors"].as_array().unwrap().clone();
    assert_eq!(errors.len(), 2, "{errors:?}");
    for (pointer, code) in [
        ("/funds/executed", "ambiguous_separator"),
        (leaf_weight, "not_a_weight"),
    ] {
        let error = errors
            .iter()
            .find(|e| e["pointer"] == pointer)
            .unwrap_or_else(|| panic!("{pointer} in {errors:?}"));
        assert_eq!(error["code"], code, "{error}");
        assert!(error["location"].is_string(), "{error}");
        assert!(
            error["detail"].as_str().unwrap().starts_with("自评表!"),
            "the cell comes first: {error}"
        );
    }
}

#[actix_web::test]
async fn an_incomplete_draft_exported_to_excel_imports_back_as_the_same_draft() {
    // Arrange: a draft without the funds' 分值, one leaf's 分值 and another's 实际完成值.
    let app = spawn_app().await;
    let mut form = seed();
    form["funds"].as_object_mut().unwrap().remove("weight");
    form["indicators"][0]["children"][0]["children"][0]
        .as_object_mut()
        .unwrap()
        .remove("weight");
    form["indicators"][0]["children"][0]["children"][1]["actual"] = json!("");
    let stored = app.create(&form).await;
    let workbook = export(&app, id_of(&stored)).await;

    // Act
    let reply = import(&app, &workbook, true).await;

    // Assert
    assert_eq!(reply.status, 200, "{}", body_text(&reply));
    let report = reply.json();
    assert_eq!(report["document"], document_of(&stored));
    assert_eq!(report["result"], stored["result"]);
}

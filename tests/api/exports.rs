//! The paper form and lists out of the service: the printable page, the workbooks (read back
//! with another library than the one that wrote them) and CSV.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use std::collections::BTreeMap;

use crate::support::*;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn workbook(reply: &Reply) -> Xlsx<Cursor<Vec<u8>>> {
    assert_eq!(reply.status, 200, "{}", body_text(reply));
    assert_eq!(reply.content_type(), XLSX);
    Xlsx::new(Cursor::new(reply.body.clone())).expect("a workbook calamine can open")
}

async fn get_as(app: &TestApp, path: &str, accept: &str) -> Reply {
    app.send(
        app.client
            .get(app.url(path))
            .insert_header(("accept", accept)),
        None,
    )
    .await
}

fn text(data: Option<&Data>) -> String {
    match data {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => format!("{other:?}"),
    }
}

#[actix_web::test]
async fn the_form_workbook_has_the_paper_layout_with_numbers_as_numbers() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    let grid = app.get(&format!("{}/form", evaluation(id))).await.json();

    // Act
    let reply = app.get(&format!("{}/form.xlsx", evaluation(id))).await;

    // Assert
    let mut book = workbook(&reply);
    assert!(
        reply
            .header("content-disposition")
            .is_some_and(|d| d.contains(".xlsx"))
    );
    assert_eq!(book.sheet_names(), ["自评表", "规则评分", "附加信息"]);
    let sheet = book.worksheet_range("自评表").expect("the form sheet");
    assert_eq!(text(sheet.get_value((0, 0))), "部门整体支出绩效自评表");
    assert_eq!(text(sheet.get_value((1, 0))), "（2020年度）");
    assert!(text(sheet.get_value((2, 0))).contains(SEED_UNIT));
    // Every grid cell sits where the grid puts it (three rows lower), figures as numbers.
    let mut numbers = 0;
    for row in grid["rows"].as_array().unwrap() {
        for cell in row["cells"].as_array().unwrap() {
            let at = (
                3 + u32::try_from(cell["row"].as_u64().unwrap()).unwrap(),
                u32::try_from(cell["col"].as_u64().unwrap()).unwrap(),
            );
            let expected = cell["text"].as_str().unwrap();
            match sheet.get_value(at) {
                Some(Data::Float(f)) => {
                    numbers += 1;
                    // Percentages are stored as fractions: the rate 94 as 0.94, `100%` as 1.
                    let (digits, percent) = match expected.strip_suffix('%') {
                        Some(digits) => (digits, true),
                        None => (expected, cell["source"] == "/funds/declared_rate"),
                    };
                    let written: f64 = digits.parse().unwrap();
                    let written = if percent { written / 100.0 } else { written };
                    assert!((f - written).abs() < 1e-9, "{at:?}: {f} ≠ {expected}");
                }
                other => assert_eq!(text(other), expected, "{at:?}"),
            }
        }
    }
    assert!(
        numbers >= 20,
        "budget figures, weights and scores are numbers: {numbers}"
    );
    // Merged as on paper: the block label spans the funds rows, level-1 names their leaves.
    let merged: Vec<(u32, u32, u32, u32)> = book
        .merge_cells_by_sheet_name("自评表")
        .unwrap()
        .iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect();
    let spans = grid["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["cells"].as_array().unwrap())
        .filter(|c| c["row_span"] != 1 || c["col_span"] != 1)
        .count();
    assert!(
        merged.len() >= spans,
        "{} merges for {spans} spanning cells",
        merged.len()
    );
    let block = &grid["rows"][0]["cells"][0];
    assert_eq!(block["text"], "部门资金（万元）");
    let block_end = 3 + u32::try_from(block["row_span"].as_u64().unwrap()).unwrap() - 1;
    assert!(block_end > 10, "{block}");
    assert!(
        merged.contains(&(3, 0, block_end, 0)),
        "部门资金 spans the funds block: {merged:?}"
    );
    // The second sheet: rule scores beside declared ones, and the findings.
    let scores = book.worksheet_range("规则评分").unwrap();
    let rows: Vec<Vec<String>> = scores
        .rows()
        .map(|r| r.iter().map(|c| text(Some(c))).collect())
        .collect();
    assert_eq!(rows[1][0], "预算执行率");
    assert_eq!((rows[1][3].as_str(), rows[1][4].as_str()), ("8", "9.4"));
    assert!(rows.iter().any(|r| r[1] == "declared_score_differs"));
    // Each finding reads as a reviewer reads it: Chinese severity, paper location, message.
    let finding = rows
        .iter()
        .find(|r| r[2] == "绩效指标 › 产出指标 › 数量指标 › 减少三公开支 › 得分")
        .expect("the finding on 减少三公开支, placed on the paper form");
    assert_eq!(finding[0], "警告");
    assert_eq!(finding[3], "“减少三公开支”自评得分 7，按规则应得 6.40。");
    assert_eq!(
        rows[2][1],
        "绩效指标 › 产出指标 › 数量指标 › 开通工伤保险人社通账号的企业数"
    );
    assert!(
        rows.iter()
            .flatten()
            .all(|cell| !cell.starts_with("/indicators") && !cell.starts_with("/funds")),
        "no JSON pointer is shown"
    );
}

#[actix_web::test]
async fn the_printable_page_is_laid_out_like_the_paper_form() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);

    // Act
    let page = app.get(&format!("{}/form.html", evaluation(id))).await;
    let negotiated = get_as(&app, &format!("{}/form", evaluation(id)), "text/html").await;
    let annotated = app
        .get(&format!("{}/form.html?annotate=true", evaluation(id)))
        .await;

    // Assert
    assert_eq!(page.status, 200);
    assert_eq!(page.content_type(), "text/html; charset=utf-8");
    assert_eq!(
        page.body, negotiated.body,
        "/form with Accept: text/html is the page"
    );
    let html = body_text(&page);
    for expected in [
        "<h1>部门整体支出绩效自评表</h1>",
        "（2020年度）",
        "填报单位（盖章）：衡阳县工伤保险服务中心",
        "size: A4",
        "综合评定等级",
    ] {
        assert!(html.contains(expected), "{expected}");
    }
    assert!(!html.contains("规则 "), "the clean copy");
    let annotated = body_text(&annotated);
    assert!(annotated.contains("规则 9.40"), "the reviewer's copy");
    assert!(annotated.contains("declared_score_differs"));
    let unreadable = app
        .get(&format!("{}/form.html?annotate=maybe", evaluation(id)))
        .await;
    assert_problem(&unreadable, 400, "bad-request", Some("/annotate"));
    assert!(
        body_text(&unreadable).contains("allowed: true, false"),
        "{}",
        body_text(&unreadable)
    );
    // JSON stays the default.
    let grid = get_as(
        &app,
        &format!("{}/form", evaluation(id)),
        "application/json",
    )
    .await;
    assert_eq!(grid.json()["title"], "部门整体支出绩效自评表");
}

#[actix_web::test]
async fn lists_export_as_csv_and_xlsx_with_one_row_per_form() {
    // Arrange
    let app = spawn_app().await;
    let stored = store_seven(&app).await;

    // Act
    let csv = app
        .get(&format!("{EVALUATIONS}.csv?sort=-total&limit=2"))
        .await;
    let xlsx = app
        .get(&format!("{EVALUATIONS}.xlsx?fiscal_year=2021"))
        .await;
    let negotiated_csv = get_as(
        &app,
        &format!("{EVALUATIONS}?sort=-total&limit=2"),
        "text/csv",
    )
    .await;
    let negotiated_xlsx = get_as(&app, &format!("{EVALUATIONS}?fiscal_year=2021"), XLSX).await;

    // Assert: every matching form, not one page; `Accept` on the list gives the same files.
    assert_eq!(csv.status, 200);
    assert_eq!(negotiated_csv.body, csv.body);
    assert_eq!(negotiated_xlsx.content_type(), XLSX);
    assert_eq!(
        workbook(&negotiated_xlsx)
            .worksheet_range("评价列表")
            .unwrap()
            .rows()
            .count(),
        3
    );
    assert_eq!(csv.content_type(), "text/csv; charset=utf-8");
    let text = body_text(&csv);
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 1 + stored.len(), "{text}");
    assert!(lines[0].starts_with("\u{feff}编号,年度,类型,单位"));
    assert!(lines[1].contains(",93.55,优秀,"), "{}", lines[1]);
    let mut book = workbook(&xlsx);
    let sheet = book.worksheet_range("评价列表").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(text_of).collect())
        .collect();
    assert_eq!(rows.len(), 3, "a heading and the two 2021 forms: {rows:?}");
    assert_eq!(rows[1][3], FINANCE);
    assert_eq!(rows[1][4], FINANCE_CODE);
}

fn text_of(data: &Data) -> String {
    text(Some(data))
}

#[actix_web::test]
async fn exports_show_only_what_the_caller_may_read() {
    // Arrange
    let app = spawn_app().await;
    let draft = id_of(&app.create(&seed()).await);
    let anonymous = app.anonymous();

    // Act & Assert
    for suffix in ["/form.html", "/form.xlsx"] {
        let reply = anonymous
            .get(&format!("{}{suffix}", evaluation(draft)))
            .await;
        assert_problem(&reply, 401, "unauthenticated", None);
    }
    for csv in [
        anonymous.get(&format!("{EVALUATIONS}.csv")).await,
        get_as(&anonymous, EVALUATIONS, "text/csv").await,
    ] {
        assert_eq!(
            body_text(&csv).trim_end().split("\r\n").count(),
            1,
            "no published form yet"
        );
    }
}

#[actix_web::test]
async fn workbooks_are_also_offered_as_plain_bytes() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);

    // Act & Assert: generated clients that read only `application/octet-stream` ask for it.
    for path in [
        format!("{}/form.xlsx", evaluation(id)),
        format!("{EVALUATIONS}.xlsx"),
        "/api/v1/templates/project.xlsx".to_owned(),
    ] {
        let bytes = get_as(&app, &path, "application/octet-stream").await;
        assert_eq!(bytes.status, 200, "{path}");
        assert_eq!(bytes.content_type(), "application/octet-stream", "{path}");
        assert!(bytes.body.starts_with(b"PK"), "{path}");
        let default = app.get(&path).await;
        assert_eq!(default.content_type(), XLSX, "{path}");
    }
}

/// Every XML part of a workbook parses as XML to its end.
fn assert_well_formed(workbook: &[u8]) {
    let mut archive = zip::ZipArchive::new(Cursor::new(workbook)).expect("a zip archive");
    let mut parts = 0;
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).expect("a readable part");
        let name = part.name().expect("a part name").into_owned();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut text = String::new();
        std::io::Read::read_to_string(&mut part, &mut text).expect("UTF-8 XML");
        let mut reader = quick_xml::Reader::from_str(&text);
        reader.config_mut().check_end_names = true;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed XML: {e}"),
            }
        }
        parts += 1;
    }
    assert!(parts >= 8, "a workbook has its parts: {parts}");
}

#[actix_web::test]
async fn every_workbook_the_service_writes_is_well_formed_xml() {
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    for path in [
        format!("{}/form.xlsx", evaluation(id)),
        "/api/v1/templates/department.xlsx".to_owned(),
        "/api/v1/templates/project.xlsx".to_owned(),
    ] {
        let reply = app.get(&path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_well_formed(&reply.body);
    }
    let list = app.get(&format!("{EVALUATIONS}.xlsx")).await;
    assert_well_formed(&list.body);
}

/// The `<row>` heights (points, by 0-based row) and `<col>` widths (by 0-based column) of the
/// form sheet, read from its XML: calamine reads neither.
fn sizes(workbook: &[u8]) -> (BTreeMap<u32, f64>, BTreeMap<u32, f64>) {
    let mut zip = zip::ZipArchive::new(Cursor::new(workbook)).expect("the form sheet as written");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip
            .by_name("xl/worksheets/sheet1.xml")
            .expect("the form sheet as written"),
        &mut xml,
    )
    .expect("the form sheet as written");
    let attribute = |tag: &str, name: &str| -> Option<f64> {
        let tag = format!(" {tag}");
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[start..].split('"').next()?.parse().ok()
    };
    let mut rows = BTreeMap::new();
    for tag in xml.split("<row ").skip(1) {
        let tag = tag.split('>').next().expect("the form sheet as written");
        if let (Some(r), Some(ht)) = (attribute(tag, "r"), attribute(tag, "ht")) {
            rows.insert(r as u32 - 1, ht);
        }
    }
    let mut cols = BTreeMap::new();
    for tag in xml.split("<col ").skip(1) {
        let tag = tag.split('>').next().expect("the form sheet as written");
        let (min, max, width) = (
            attribute(tag, "min").expect("the form sheet as written") as u32,
            attribute(tag, "max").expect("the form sheet as written") as u32,
            attribute(tag, "width").expect("the form sheet as written"),
        );
        for c in min..=max {
            cols.insert(c - 1, width);
        }
    }
    (rows, cols)
}

#[actix_web::test]
async fn the_form_workbook_fits_its_text_and_keeps_figures_as_numbers_shown_as_typed() {
    // Arrange: nine-digit amounts, texts of several paragraphs, and targets typed every way.
    let app = spawn_app().await;
    let mut form = crate::browser::long_project();
    for (pointer, typed) in [
        ("/indicators/0/children/0/children/0/target", "300"),
        ("/indicators/0/children/0/children/1/target", "100%"),
        ("/indicators/0/children/1/children/0/target", "0.50"),
        ("/indicators/0/children/1/children/0/actual", "007"),
        ("/indicators/0/children/3/children/0/target", "1,000"),
        ("/indicators/0/children/3/children/0/actual", "≥95%"),
    ] {
        *form.pointer_mut(pointer).unwrap() = json!(typed);
    }
    let stored = app.create(&form).await;
    let id = id_of(&stored);
    let grid = app.get(&format!("{}/form", evaluation(id))).await.json();

    // Act
    let reply = app.get(&format!("{}/form.xlsx", evaluation(id))).await;
    let imported = app
        .post_raw("/api/v1/imports?dry_run=true", XLSX, &reply.body)
        .await;

    // Assert: figures are numbers, text that no number shows as typed stays text.
    let mut book = workbook(&reply);
    let sheet = book.worksheet_range("自评表").unwrap();
    let cells: Vec<&Value> = grid["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["cells"].as_array().unwrap())
        .collect();
    let at = |source: &str| {
        let cell = cells
            .iter()
            .find(|c| c["source"] == source)
            .unwrap_or_else(|| panic!("no cell for {source}"));
        let position = (
            3 + cell["row"].as_u64().unwrap() as u32,
            cell["col"].as_u64().unwrap() as u32,
        );
        sheet.get_value(position).cloned()
    };
    let expected_numbers = [
        ("/funds/initial_budget", 115_000_000.0),
        ("/funds/executed", 111_223_150.4),
        ("/funds/declared_rate", 0.9269),
        ("/funds/weight", 10.0),
        ("/funds/declared_score", 9.27),
        ("/declared_total", 95.77),
        ("/indicators/0/children/0/children/0/target", 300.0),
        ("/indicators/0/children/0/children/1/target", 1.0),
        ("/indicators/0/children/0/children/0/weight", 20.0),
        ("/indicators/0/children/1/children/0/target", 0.5),
        ("/indicators/0/children/3/children/0/declared_score", 5.0),
    ];
    for (source, number) in expected_numbers {
        assert_eq!(at(source), Some(Data::Float(number)), "{source}");
    }
    for (source, text) in [
        ("/indicators/0/children/1/children/0/actual", "007"),
        ("/indicators/0/children/3/children/0/target", "1,000"),
        ("/indicators/0/children/3/children/0/actual", "≥95%"),
        (
            "/indicators/0/children/2/children/0/target",
            "2022年12月底前完成",
        ),
    ] {
        assert_eq!(at(source), Some(Data::String(text.into())), "{source}");
    }
    // Rows are as tall as their wrapped text; the amounts' columns are as wide as the amounts.
    let (heights, widths) = sizes(&reply.body);
    let row_of = |source: &str| {
        let cell = cells.iter().find(|c| c["source"] == source).unwrap();
        3 + cell["row"].as_u64().unwrap() as u32
    };
    for source in [
        "/deviation_analysis",
        "/goals/0/expected",
        "/improvement_measures",
    ] {
        let height = heights.get(&row_of(source)).copied().unwrap_or(15.0);
        let paragraphs = form
            .pointer(source)
            .unwrap()
            .as_str()
            .unwrap()
            .lines()
            .count();
        assert!(paragraphs >= 3);
        assert!(
            height >= 14.0 * paragraphs as f64,
            "{source}: {paragraphs} paragraphs in {height} pt"
        );
    }
    let heading = cells
        .iter()
        .find(|c| c["text"] == "偏差原因分析及改进措施")
        .unwrap();
    let heading_row = 3 + heading["row"].as_u64().unwrap() as u32;
    assert!(
        heights.get(&heading_row).is_some_and(|h| *h > 15.0),
        "a long heading wraps onto two lines: {heights:?}"
    );
    let single_lines = cells
        .iter()
        .filter(|c| c["source"] == "/funds/breakdown/2/name")
        .map(|c| 3 + c["row"].as_u64().unwrap() as u32);
    for row in single_lines {
        assert!(
            !heights.contains_key(&row),
            "其他资金 keeps the default height: {heights:?}"
        );
    }
    let columns = grid["columns"].as_u64().unwrap() as u32;
    for c in 0..columns {
        assert!(
            widths.contains_key(&c),
            "column {c} has its width: {widths:?}"
        );
    }
    let amount = cells
        .iter()
        .find(|c| c["source"] == "/funds/initial_budget")
        .unwrap();
    let amount_col = amount["col"].as_u64().unwrap() as u32;
    assert!(widths[&amount_col] >= 14.0, "{widths:?}");
    // And the import gives back the form as typed.
    assert_eq!(imported.status, 200, "{}", body_text(&imported));
    assert_eq!(imported.json()["document"], document_of(&stored));
}

//! The 基础数据表 and the 自评报告 beside the department form: stored and returned exactly,
//! checked, laid out on the form grid, printed and exported.

use crate::support::*;

const FULL_TEXT: &str = include_str!("../../data/examples/hengyang-2020-department-full.json");

fn full() -> Value {
    serde_json::from_str(FULL_TEXT).expect("the full example is JSON")
}

#[actix_web::test]
async fn the_full_example_round_trips_with_every_figure_and_paragraph() {
    // Arrange
    let app = spawn_app().await;
    let form = full();

    // Act
    let created = app.post_json(EVALUATIONS, &form).await;

    // Assert
    assert_eq!(created.status, 201, "{}", body_text(&created));
    let id = id_of(&created.json());
    let stored = app.get(&evaluation(id)).await.json();
    assert_eq!(document_of(&stored), form, "every field comes back as sent");
    assert_eq!(
        stored["basic_data"]["spending"][4]["last_year_actual"],
        "13.80"
    );
    assert_eq!(stored["report"]["report_date"], "2021-07-11");

    let result = &stored["result"];
    assert_eq!(result["basic_data"]["control_rate"], "100.00");
    assert_eq!(
        result["basic_data"]["rows"][2]["against_last_year"],
        json!({ "amount": "-14.12", "percent": "-83.11" })
    );
    let differs: Vec<&Value> = result["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "report_figure_differs")
        .collect();
    assert_eq!(differs.len(), 1, "{result}");
    assert_eq!(differs[0]["path"], "/report/sections/2/text");
    assert_eq!(differs[0]["expected"], "-141200 元");
    assert_eq!(differs[0]["actual"], "同比上年减少了3200元");
    let reception = result["report_checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["keyword"] == "公务接待" && c["quoted"] == "比上年决算数减少10%")
        .expect("the 公务接待 reduction is checked");
    assert_eq!(reception["outcome"], "matches");
    assert_eq!(reception["form_value"], "-10");
    assert!(
        result["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["code"] != "basic_data_does_not_sum"),
        "the 三公经费 parts add up: {result}"
    );

    // The finding filter and the counts know the new codes.
    assert_eq!(
        listed_ids(&app, "finding=report_figure_differs").await,
        [id]
    );
    assert_eq!(
        listed_ids(&app, "finding=basic_spending_over_budget").await,
        [id]
    );
    assert!(
        listed_ids(&app, "finding=control_rate_differs")
            .await
            .is_empty()
    );
}

#[actix_web::test]
async fn a_form_without_the_attachments_is_answered_as_before() {
    let app = spawn_app().await;
    let stored = app.create(&seed()).await;
    assert!(stored.get("basic_data").is_none() && stored.get("report").is_none());
    assert!(stored["result"].get("basic_data").is_none());
    assert!(stored["result"].get("report_checks").is_none());
    let grid = app
        .get(&format!("{}/form", evaluation(id_of(&stored))))
        .await
        .json();
    assert!(grid.get("basic_data").is_none() && grid.get("report").is_none());
}

#[actix_web::test]
async fn malformed_basic_data_is_refused_naming_the_field() {
    let app = spawn_app().await;
    for (change, pointer) in [
        (
            json!({ "name": "公务接待", "parent": 7, "actual": "1" }),
            "/basic_data/spending/6/parent",
        ),
        (
            json!({ "name": " ", "actual": "1" }),
            "/basic_data/spending/6/name",
        ),
        (
            json!({ "name": "公务接待", "actual": "-1" }),
            "/basic_data/spending/6/actual",
        ),
    ] {
        let mut form = full();
        form["basic_data"]["spending"][6] = change;
        let reply = app.post_json(EVALUATIONS, &form).await;
        assert_problem(&reply, 422, "invalid-document", Some(pointer));
    }
    let mut form = full();
    form["basic_data"]["staffing"]["retired"] = json!("5");
    let reply = app.post_json(EVALUATIONS, &form).await;
    assert_eq!(reply.status, 422, "{}", body_text(&reply));
    assert!(body_text(&reply).contains("/basic_data/staffing/retired"));
    let mut form = full();
    form["report"]["report_date"] = json!("2021年7月11日");
    let reply = app.post_json(EVALUATIONS, &form).await;
    assert_eq!(reply.status, 422, "{}", body_text(&reply));
    assert!(body_text(&reply).contains("/report/report_date"));
}

#[actix_web::test]
async fn the_grid_the_page_and_the_workbook_carry_the_basic_data_and_the_report() {
    let app = spawn_app().await;
    let id = id_of(&app.create(&full()).await);

    let grid = app.get(&format!("{}/form", evaluation(id))).await.json();
    let basic = &grid["basic_data"];
    assert_eq!(basic["title"], "部门整体支出绩效评价基础数据表");
    assert_eq!(basic["columns"], 4);
    let cells: Vec<&Value> = basic["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["cells"].as_array().unwrap())
        .collect();
    let at = |source: &str| {
        cells
            .iter()
            .find(|c| c["source"] == source)
            .map(|c| c["text"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        at("/basic_data/spending/2/last_year_actual").as_deref(),
        Some("16.99")
    );
    assert_eq!(
        at("/basic_data/staffing/declared_control_rate").as_deref(),
        Some("100")
    );
    assert_eq!(grid["report"]["sections"][5]["heading"], "六、绩效评价结果");

    let page = app.get(&format!("{}/form.html", evaluation(id))).await;
    assert_eq!(page.status, 200);
    let html = body_text(&page);
    assert!(html.contains("<h1>部门整体支出绩效评价基础数据表</h1>"));
    assert!(html.contains("<h2>一、部门、单位基本情况</h2>"));
    assert!(html.contains("中心核定事业编制 21 人，在职 21 人，退休 5 人。"));

    let workbook = app.get(&format!("{}/form.xlsx", evaluation(id))).await;
    assert_eq!(workbook.status, 200);
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(workbook.body)).unwrap();
    use calamine::Reader as _;
    assert!(book.sheet_names().contains(&"基础数据表".to_owned()));
    assert!(book.sheet_names().contains(&"自评报告".to_owned()));
    let sheet = book.worksheet_range("基础数据表").unwrap();
    let texts: Vec<String> = sheet.rows().flatten().map(ToString::to_string).collect();
    for text in [
        "经费控制情况",
        "2、三公经费",
        "16.99",
        "13.8",
        "厉行节约保障措施",
    ] {
        assert!(texts.iter().any(|t| t == text), "{text} in {texts:?}");
    }
}

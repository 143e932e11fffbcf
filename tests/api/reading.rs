//! Scoring without storing, the form grid and the rulesets.

use crate::support::*;

// ---------------------------------------------------------------------------------------------
// 9. Scoring without storing
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn scoring_returns_the_stored_result_without_storing_anything() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let scored = app.post_json("/api/v1/score", &seed()).await;

    // Assert
    assert_eq!(scored.status, 200, "{}", body_text(&scored));
    let result = scored.json();
    assert_eq!(result["total"], "93.55");
    assert_nothing_stored(&app, "scoring").await;
    let stored = app.create(&seed()).await;
    assert_eq!(
        result, stored["result"],
        "the same result as the stored evaluation's"
    );
}

#[actix_web::test]
async fn scoring_an_invalid_form_is_an_invalid_document_problem() {
    // Arrange
    let app = spawn_app().await;
    let mut form = seed();
    form["ruleset"] = json!("nowhere-1999");

    // Act
    let reply = app.post_json("/api/v1/score", &form).await;

    // Assert
    assert_problem(&reply, 422, "invalid-document", Some("/ruleset"));
    assert_nothing_stored(&app, "scoring an invalid form").await;
}

// ---------------------------------------------------------------------------------------------
// 10. The form grid
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn the_form_grid_prints_every_figure_of_the_seed() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);

    // Act
    let reply = app.get(&format!("{}/form", evaluation(id))).await;

    // Assert
    assert_eq!(reply.status, 200, "{}", body_text(&reply));
    let grid = reply.json();
    assert_eq!(grid["title"], "部门整体支出绩效自评表");
    assert_eq!(grid["subtitle"], "（2020年度）");
    let cells: Vec<&Value> = grid["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .flat_map(|row| row["cells"].as_array().expect("cells"))
        .collect();
    let texts: Vec<&str> = cells.iter().filter_map(|c| c["text"].as_str()).collect();
    for figure in [
        "144.22",
        "254.48",
        "239.31",
        "94",
        "10",
        "8",
        "167.31",
        "65",
        "22.17",
        "184.32",
        "54.98",
        "300",
        "315",
        "5000",
        "3200",
        "100%",
        "95%",
        "有所提升",
        "不突破预算",
        "15",
        "13",
        "5",
        "4",
        "92",
        "优秀",
    ] {
        assert!(texts.contains(&figure), "no cell shows {figure}");
    }
    // Who filled it in, and when, are printed above and below the table, not in it.
    assert_eq!(
        grid["header"],
        json!([
            { "label": "填报单位（盖章）", "value": SEED_UNIT },
            { "label": "填报时间", "value": "2021年7月13日" },
        ])
    );
    assert_eq!(
        grid["signatures"],
        json!([
            { "label": "填表人", "value": "刘永好" },
            { "label": "联系电话", "value": "17769395763" },
            { "label": "单位负责人签字", "value": "" },
        ])
    );
    let output = cells
        .iter()
        .find(|c| c["text"] == "产出指标（50分）")
        .expect("a cell shows 产出指标（50分）");
    assert_eq!(
        (&output["row_span"], &output["col"], &output["col_span"]),
        (&json!(5), &json!(1), &json!(1)),
        "{output}"
    );
}

// ---------------------------------------------------------------------------------------------
// 11. Rulesets
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn the_rulesets_in_force_are_listed_and_readable() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let list = app.get("/api/v1/rulesets").await;
    let hunan = app.get("/api/v1/rulesets/hunan-2020").await;
    let unknown = app.get("/api/v1/rulesets/atlantis-2020").await;

    // Assert
    assert_eq!(list.status, 200, "{}", body_text(&list));
    let ids: BTreeSet<String> = list
        .json()
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    let expected: BTreeSet<String> = [
        "national-2020",
        "hunan-2020",
        "hubei",
        "district-20-80",
        "sichuan-2023",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(ids, expected);
    assert_eq!(hunan.status, 200, "{}", body_text(&hunan));
    let hunan = hunan.json();
    assert_eq!(hunan["id"], "hunan-2020");
    let labels: Vec<&str> = hunan["grade_bands"]
        .as_array()
        .expect("grade bands")
        .iter()
        .filter_map(|b| b["label"].as_str())
        .collect();
    assert_eq!(labels, ["优秀", "良好", "较差", "差"]);
    assert_problem(&unknown, 404, "not-found", None);
}

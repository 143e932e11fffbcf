//! Forms printed without 分值: scored with the ruleset's weights, reported, printed in brackets,
//! and exported workbooks that import back without taking the brackets for weights.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::support::*;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The seed printed without 分值 and 得分 columns, scored under `ruleset`.
pub(crate) fn unweighted(ruleset: &str) -> Value {
    let mut form = seed();
    form["ruleset"] = json!(ruleset);
    let funds = form["funds"].as_object_mut().expect("the seed's shape");
    funds.remove("weight");
    funds.remove("declared_score");
    form.as_object_mut()
        .expect("the seed's shape")
        .remove("declared_total");
    for level1 in form["indicators"].as_array_mut().expect("the seed's shape") {
        level1
            .as_object_mut()
            .expect("the seed's shape")
            .remove("weight");
        for level2 in level1["children"].as_array_mut().expect("the seed's shape") {
            for leaf in level2["children"].as_array_mut().expect("the seed's shape") {
                let leaf = leaf.as_object_mut().expect("the seed's shape");
                leaf.remove("weight");
                leaf.remove("declared_score");
            }
        }
    }
    form
}

fn inferred(result: &Value) -> Vec<(String, String)> {
    findings(result)
        .into_iter()
        .filter(|(code, ..)| code == "weight_inferred")
        .map(|(_, severity, path, expected, _)| {
            assert_eq!(severity, "info");
            (path, expected)
        })
        .collect()
}

#[actix_web::test]
async fn a_form_without_weights_gets_the_rulesets_weights_total_and_grade() {
    // Arrange
    let app = spawn_app().await;

    for (ruleset, total, grade, funds_weight, first_leaf) in [
        ("hunan-2020", "95.55", "优秀", "10", "10"),
        ("national-2020", "95.55", "优", "10", "10"),
        ("hubei", "95.43", "优", "20", "8"),
        ("district-20-80", "95.16", "优", "20", "8.89"),
        ("sichuan-2023", "95.55", "优", "10", "10"),
    ] {
        // Act
        let reply = app.post_json("/api/v1/score", &unweighted(ruleset)).await;

        // Assert
        assert_eq!(reply.status, 200, "{ruleset}: {}", body_text(&reply));
        let result = reply.json();
        assert_eq!(result["total"], total, "{ruleset}");
        assert_eq!(result["grade"]["label"], grade, "{ruleset}");
        assert_eq!(result["execution"]["weight"], funds_weight, "{ruleset}");
        let weights = inferred(&result);
        assert_eq!(weights.len(), 10, "{ruleset}: the funds and 9 leaves");
        assert_eq!(weights[0], ("/funds/weight".into(), funds_weight.into()));
        assert_eq!(
            weights[1],
            (
                "/indicators/0/children/0/children/0/weight".into(),
                first_leaf.into()
            ),
            "{ruleset}"
        );
    }
}

#[actix_web::test]
async fn a_stored_form_without_weights_prints_them_in_brackets_and_imports_back() {
    // Arrange
    let app = spawn_app().await;
    let stored = app.create(&unweighted("hunan-2020")).await;
    let id = id_of(&stored);
    assert_eq!(stored["result"]["total"], "95.55");
    assert!(
        document_of(&stored)["funds"].get("weight").is_none(),
        "the document keeps its blank weights"
    );

    // Act
    let grid = app.get(&format!("{}/form", evaluation(id))).await.json();
    let page = app.get(&format!("{}/form.html", evaluation(id))).await;
    let workbook = app.get(&format!("{}/form.xlsx", evaluation(id))).await;

    // Assert
    let cell = |source: &str| {
        grid["rows"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["cells"].as_array().unwrap())
            .find(|c| c["source"] == source)
            .map(|c| c["text"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_eq!(cell("/funds/weight"), "(10)");
    assert_eq!(cell("/indicators/1/children/0/children/0/weight"), "(15)");
    let html = String::from_utf8(page.body.clone()).unwrap();
    assert!(
        html.contains("(15)"),
        "the printed page shows the inferred weights"
    );
    assert!(
        html.contains("按评分规则推定"),
        "and says where they come from"
    );

    assert_eq!(workbook.status, 200);
    let mut book = Xlsx::new(Cursor::new(workbook.body.clone())).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let texts: Vec<String> = sheet
        .used_cells()
        .filter_map(|(_, _, data)| match data {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(texts.iter().any(|t| t == "(10)"), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("按评分规则推定")));

    // The bracketed weights are not read back as the form's: it stays a form without weights.
    let imported = app
        .post_raw("/api/v1/imports?dry_run=true", XLSX, &workbook.body)
        .await;
    assert_eq!(imported.status, 200, "{}", body_text(&imported));
    let imported = imported.json();
    let document = &imported["document"];
    assert!(document["funds"].is_object(), "{imported}");
    assert!(document["funds"].get("weight").is_none(), "{document}");
    assert_eq!(imported["result"]["total"], "95.55");
    assert!(
        imported["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["message"].as_str().unwrap().contains("推定")),
        "{}",
        imported["notes"]
    );
}

#[actix_web::test]
async fn a_published_ruleset_must_say_how_its_weights_are_shared() {
    // Arrange
    let app = spawn_app().await;
    let path = "/api/v1/rulesets/hunan-2020";
    let mut ruleset = app.get(path).await.json();
    ruleset["version"] = json!(ruleset["version"].as_i64().unwrap() + 1);
    let mut broken = ruleset.clone();
    broken["weights"]["level1"][0]["share"] = json!("level2");

    // Act
    let refused = app.put_json(path, &broken, None).await;
    ruleset["weights"]["level1"][0]["share"] = json!("level2");
    ruleset["weights"]["level1"][0]["level2"] = json!([
        {"label": "数量指标", "matches": ["数量"], "weight": "30"},
        {"label": "质量、时效、成本指标", "matches": ["质量", "时效", "成本"], "weight": "20"}
    ]);
    let published = app.put_json(path, &ruleset, None).await;
    let scored = app
        .post_json("/api/v1/score", &unweighted("hunan-2020"))
        .await
        .json();

    // Assert
    assert_problem(&refused, 422, "invalid-document", None);
    assert!(
        body_text(&refused).contains("level-2"),
        "{}",
        body_text(&refused)
    );
    assert_eq!(published.status, 200, "{}", body_text(&published));
    let leaves: Vec<&Value> = scored["indicators"][0]["children"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l2| l2["children"].as_array().unwrap())
        .map(|leaf| &leaf["weight"])
        .collect();
    assert_eq!(
        leaves,
        [
            &json!("15"),
            &json!("15"),
            &json!("6.67"),
            &json!("6.67"),
            &json!("6.66")
        ]
    );
}

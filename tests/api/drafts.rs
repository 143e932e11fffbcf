//! Incomplete drafts: a half-filled form is stored, scored as far as it goes and says what it
//! lacks; it cannot be submitted until nothing is missing.

use crate::support::*;

const LEAF: &str = "/indicators/0/children/0/children/0";

/// The seed as a clerk might have half copied it: no funds weight, a leaf without weight, a
/// blank leaf name, a blank actual and no goals.
fn half_filled() -> Value {
    let mut form = seed();
    form["funds"]
        .as_object_mut()
        .expect("funds")
        .remove("weight");
    form.as_object_mut().expect("a form").remove("goals");
    let leaf = &mut form["indicators"][0]["children"][0]["children"][0];
    leaf["weight"] = Value::Null;
    leaf["name"] = json!("");
    form["indicators"][0]["children"][0]["children"][1]["actual"] = json!("");
    form
}

fn missing_of(stored: &Value) -> Vec<(String, String, String)> {
    stored["completeness"]["missing"]
        .as_array()
        .unwrap_or_else(|| panic!("no completeness: {stored}"))
        .iter()
        .map(|m| {
            let text = |field: &str| m[field].as_str().unwrap_or_default().to_owned();
            (text("pointer"), text("location"), text("what"))
        })
        .collect()
}

#[actix_web::test]
async fn a_half_filled_draft_is_stored_and_lists_what_it_lacks() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let created = app.create(&half_filled()).await;
    let read = app.get(&evaluation(id_of(&created))).await.json();

    // Assert
    assert_eq!(read["completeness"], created["completeness"]);
    assert_eq!(read["completeness"]["complete"], false);
    assert_eq!(
        missing_of(&read),
        vec![
            (
                "/funds/weight".into(),
                "部门资金 › 分值".into(),
                "分值未填".into()
            ),
            (
                "/goals".into(),
                "年度总体目标".into(),
                "年度总体目标未填".into()
            ),
            (
                format!("{LEAF}/name"),
                "绩效指标 › 产出指标 › 数量指标 › 第 1 个三级指标 › 指标名称".into(),
                "名称未填".into()
            ),
            (
                format!("{LEAF}/weight"),
                "绩效指标 › 产出指标 › 数量指标 › 第 1 个三级指标 › 分值".into(),
                "分值未填".into()
            ),
            (
                "/indicators/0/children/0/children/1/actual".into(),
                "绩效指标 › 产出指标 › 数量指标 › 减少三公开支 › 实际完成值".into(),
                "实际完成值未填".into()
            ),
        ]
    );
    // Scored as far as it goes: the rows left out say why, and the total says it is partial.
    let result = &read["result"];
    assert_eq!(result["partial"], true);
    let left_out: Vec<(&str, &str)> = result["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "weight_missing" || f["code"] == "actual_missing")
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default(),
                f["path"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        left_out,
        vec![
            ("weight_missing", "/funds/weight"),
            (
                "weight_missing",
                "/indicators/0/children/0/children/0/weight"
            ),
            (
                "actual_missing",
                "/indicators/0/children/0/children/1/actual"
            ),
        ]
    );
    assert_eq!(result["applicable_weight"], "70");
}

#[actix_web::test]
async fn a_figure_that_is_there_must_still_be_a_figure() {
    let app = spawn_app().await;
    let mut form = half_filled();
    form["indicators"][0]["children"][0]["children"][1]["weight"] = json!("十");

    let reply = app.post_json(EVALUATIONS, &form).await;

    assert_problem(
        &reply,
        422,
        "invalid-document",
        Some("/indicators/0/children/0/children/1/weight"),
    );
    assert!(listed_ids(&app, "").await.is_empty());
}

#[actix_web::test]
async fn an_incomplete_form_cannot_be_submitted_and_nothing_changes() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&half_filled()).await);
    let tag = app.etag(id).await;

    // Act
    let refused = move_to(&app, id, "submit", None, Some(&tag)).await;

    // Assert
    assert_problem(&refused, 422, "invalid-document", Some("/funds/weight"));
    let errors = refused.json()["errors"].clone();
    let listed: Vec<(String, String, String)> = errors
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            assert_eq!(e["code"], "missing", "{e}");
            let text = |field: &str| e[field].as_str().unwrap_or_default().to_owned();
            (text("pointer"), text("location"), text("detail"))
        })
        .collect();
    let read = app.get(&evaluation(id)).await.json();
    assert_eq!(listed, missing_of(&read));
    assert_eq!(read["status"], "draft");
    assert_eq!(app.etag(id).await, tag, "the version did not move");
}

#[actix_web::test]
async fn a_draft_completed_by_replacement_can_be_submitted() {
    // Arrange: a half-filled draft, replaced first by another half-filled version.
    let app = spawn_app().await;
    let id = id_of(&app.create(&half_filled()).await);
    let mut still_half = half_filled();
    still_half["goals"] = seed()["goals"].clone();
    let tag = app.etag(id).await;
    let replaced = app.put_json(&evaluation(id), &still_half, Some(&tag)).await;
    assert_eq!(replaced.status, 200, "{}", body_text(&replaced));
    assert_eq!(missing_of(&replaced.json()).len(), 4);

    // Act: completed by a second replacement, then submitted.
    let tag = app.etag(id).await;
    let completed = app.put_json(&evaluation(id), &seed(), Some(&tag)).await;
    let tag = app.etag(id).await;
    let submitted = move_to(&app, id, "submit", None, Some(&tag)).await;

    // Assert
    assert_eq!(completed.status, 200, "{}", body_text(&completed));
    let completed = completed.json();
    assert_eq!(completed["completeness"]["complete"], true);
    assert_eq!(completed["completeness"]["missing"], json!([]));
    assert!(completed["result"].get("partial").is_none());
    assert_eq!(submitted.status, 200, "{}", body_text(&submitted));
    assert_eq!(submitted.json()["status"], "submitted");
}

#[actix_web::test]
async fn the_list_tells_complete_forms_from_incomplete_drafts() {
    // Arrange
    let app = spawn_app().await;
    let draft = id_of(&app.create(&half_filled()).await);
    let complete = id_of(&app.create(&form_of("甲单位", 2020)).await);

    // Act
    let incomplete_only = listed_ids(&app, "complete=false").await;
    let complete_only = listed_ids(&app, "complete=true").await;
    let page = app.get(EVALUATIONS).await.json();
    let wrong = app.get(&format!("{EVALUATIONS}?complete=maybe")).await;

    // Assert
    assert_eq!(incomplete_only, vec![draft]);
    assert_eq!(complete_only, vec![complete]);
    let flags: Vec<(i64, bool)> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| (id_of(item), item["complete"] == true))
        .collect();
    assert!(flags.contains(&(draft, false)), "{flags:?}");
    assert!(flags.contains(&(complete, true)), "{flags:?}");
    assert_problem(&wrong, 400, "bad-request", Some("/complete"));
}

//! Review scores (复核) beside the declared and rule scores.

use crate::support::*;

async fn submitted_seed(app: &TestApp) -> i64 {
    let id = id_of(&app.create(&seed()).await);
    let reply = move_to(app, id, "submit", None, Some("\"1\"")).await;
    assert_eq!(reply.status, 200, "{}", body_text(&reply));
    id
}

fn review_path(id: i64) -> String {
    format!("{}/review", evaluation(id))
}

#[actix_web::test]
async fn review_scores_stand_beside_the_declared_and_rule_scores() {
    // Arrange
    let app = spawn_app().await;
    let id = submitted_seed(&app).await;
    let review = json!({
        "execution": { "score": "8", "reason": "年末资金未及时执行" },
        "leaves": [
            { "path": "/indicators/1/children/1/children/0", "score": "12", "reason": "安全感提升证据不足" }
        ],
        "comment": "复核意见"
    });

    // Act
    let reply = app.put_json(&review_path(id), &review, Some("\"2\"")).await;

    // Assert
    assert_eq!(reply.status, 200, "{}", body_text(&reply));
    assert_eq!(
        reply.header("etag").as_deref(),
        Some("\"3\""),
        "submitting made version 2"
    );
    let stored = reply.json();
    let result = &stored["result"];
    assert_eq!(result["total"], "93.55", "the rule total stays");
    assert_eq!(result["review"]["total"], "91.15");
    assert_eq!(result["review"]["difference"], "-2.40");
    assert_eq!(result["review"]["grade"]["label"], "优秀");
    assert_eq!(
        result["execution"]["review"],
        json!({ "score": "8", "reason": "年末资金未及时执行", "difference": "-1.40" })
    );
    let leaf = &result["indicators"][1]["children"][1]["children"][0];
    assert_eq!(leaf["declared_score"], "13");
    assert_eq!(leaf["score"], "13.00");
    assert_eq!(leaf["review"]["score"], "12");
    assert_eq!(result["indicators"][1]["review_score"], "27.00");
    assert_eq!(stored["review"]["leaves"][0]["score"], "12");
    let history = app.get(&format!("{}/history", evaluation(id))).await.json();
    let last = &history[2];
    assert_eq!(last["action"], "reviewed");
    assert_eq!(last["comment"], "复核意见");
    assert_eq!(last["changes"][0]["path"], "/review/execution");
}

#[actix_web::test]
async fn review_scores_break_no_rule_and_only_submitted_forms_take_them() {
    // Arrange
    let app = spawn_app().await;
    let draft = id_of(&app.create(&form_of("甲单位", 2020)).await);
    let id = submitted_seed(&app).await;
    let bad = json!({
        "execution": { "score": "11", "reason": "x" },
        "leaves": [{ "path": "/indicators/1/children/1/children/0", "score": "11.99", "reason": "x" }]
    });

    // Act
    let refused = app.put_json(&review_path(id), &bad, Some("\"2\"")).await;
    let on_draft = app
        .put_json(
            &review_path(draft),
            &json!({ "leaves": [{ "path": "/nowhere", "score": "1", "reason": "x" }] }),
            Some("\"1\""),
        )
        .await;

    // Assert
    assert_problem(&refused, 422, "invalid-document", Some("/execution/score"));
    assert_problem(&refused, 422, "invalid-document", Some("/leaves/0/score"));
    assert_problem(&on_draft, 409, "conflict", None);
    assert!(body_text(&on_draft).contains("draft"));
    let unchanged = app.get(&evaluation(id)).await.json();
    assert_eq!(unchanged["version"], 2, "as submitted");
    assert!(unchanged.get("review").is_none());
}

#[actix_web::test]
async fn an_approved_form_shows_its_review_grade_and_says_so() {
    // Arrange
    let app = spawn_app().await;
    let id = submitted_seed(&app).await;
    let review = json!({
        "execution": { "score": "0", "reason": "执行率未达要求" },
        "leaves": [{ "path": "/indicators/0/children/0/children/0", "score": "0", "reason": "无佐证" }]
    });
    assert_eq!(
        app.put_json(&review_path(id), &review, Some("\"2\""))
            .await
            .status,
        200
    );
    let before = page(&app, "").await["items"][0].clone();

    // Act
    let approved = move_to(&app, id, "approve", None, Some("\"3\"")).await;
    let after = page(&app, "").await["items"][0].clone();

    // Assert
    assert_eq!(approved.status, 200, "{}", body_text(&approved));
    assert_eq!(before["grade"]["label"], "优秀");
    assert_eq!(before["grade_source"], "rule");
    assert_eq!(after["grade"], json!({ "code": "fair", "label": "较差" }));
    assert_eq!(after["grade_source"], "review");
    assert_eq!(after["review_total"], "74.15");
    assert_eq!(after["total"], "93.55");
}

#[actix_web::test]
async fn replacing_a_returned_form_clears_its_review() {
    // Arrange
    let app = spawn_app().await;
    let id = submitted_seed(&app).await;
    let review = json!({ "execution": { "score": "8", "reason": "x" } });
    assert_eq!(
        app.put_json(&review_path(id), &review, Some("\"2\""))
            .await
            .status,
        200
    );
    let returned = move_to(&app, id, "return", Some("请修改"), Some("\"3\"")).await;
    assert_eq!(returned.status, 200);

    // Act
    let replaced = app.put_json(&evaluation(id), &seed(), Some("\"4\"")).await;

    // Assert
    assert_eq!(replaced.status, 200, "{}", body_text(&replaced));
    let stored = replaced.json();
    assert!(stored.get("review").is_none());
    assert!(stored["result"].get("review").is_none());
}

#[actix_web::test]
async fn reopening_an_approved_form_clears_its_review() {
    // Arrange
    let app = spawn_app().await;
    let id = submitted_seed(&app).await;
    let review = json!({ "execution": { "score": "8", "reason": "x" } });
    assert_eq!(
        app.put_json(&review_path(id), &review, Some("\"2\""))
            .await
            .status,
        200
    );
    let approved = move_to(&app, id, "approve", None, Some("\"3\"")).await;
    assert_eq!(approved.status, 200);

    // Act
    let reopened = move_to(&app, id, "reopen", Some("重新复核"), Some("\"4\"")).await;

    // Assert
    assert_eq!(reopened.status, 200, "{}", body_text(&reopened));
    let stored = reopened.json();
    assert!(stored.get("review").is_none());
    assert!(stored["result"].get("review").is_none());
    assert!(stored["result"]["execution"].get("review").is_none());
    let approved = app
        .get(&format!(
            "{}/versions/{}",
            evaluation(id),
            stored["reopened_from"]
        ))
        .await
        .json();
    assert_eq!(
        approved["result"]["review"]["total"], "92.15",
        "the approved version keeps it"
    );
    assert!(
        app.put_json(&review_path(id), &review, Some("\"5\""))
            .await
            .status
            == 409,
        "a draft takes no review"
    );
}

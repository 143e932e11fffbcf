//! The four grades of a form — shown, rule, declared, review — each filtered on as named.

use crate::support::*;

/// The seed (rules and unit both say 优秀) reviewed down to 较差 and approved, beside a form the
/// rules grade 良好 although it declares 优秀. Returns their ids.
async fn reviewed_and_declared_apart(app: &TestApp) -> (i64, i64) {
    let reviewed = id_of(&app.create(&seed()).await);
    let declared_too_high = id_of(&app.create(&good(form_of("衡阳县卫生健康局", 2020))).await);
    expect_status(app, reviewed, "submit", None, "submitted").await;
    let review = json!({
        "execution": { "score": "0", "reason": "执行率未达要求" },
        "leaves": [{ "path": "/indicators/0/children/0/children/0", "score": "0", "reason": "无佐证" }]
    });
    let tag = app.etag(reviewed).await;
    let reply = app
        .put_json(
            &format!("{}/review", evaluation(reviewed)),
            &review,
            Some(&tag),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", body_text(&reply));
    expect_status(app, reviewed, "approve", None, "approved").await;
    (reviewed, declared_too_high)
}

#[actix_web::test]
async fn each_grade_filter_reads_the_grade_it_names() {
    // Arrange
    let app = spawn_app().await;
    let (reviewed, other) = reviewed_and_declared_apart(&app).await;
    let cases: [(&str, &[i64]); 12] = [
        ("grade=fair", &[reviewed]),
        ("grade=%E8%BE%83%E5%B7%AE", &[reviewed]),
        ("grade=excellent", &[]),
        ("grade=good", &[other]),
        ("rule_grade=excellent", &[reviewed]),
        ("rule_grade=good", &[other]),
        ("review_grade=fair", &[reviewed]),
        ("review_grade=excellent&review_grade=good", &[]),
        ("declared_grade=excellent", &[reviewed, other]),
        ("declared_grade=good", &[]),
        ("rule_grade=excellent&grade=fair", &[reviewed]),
        ("rule_grade=good&review_grade=fair", &[]),
    ];

    for (query, expected) in cases {
        // Act
        let ids = listed_ids(&app, query).await;

        // Assert
        assert_eq!(ids, expected, "?{query}");
    }
    let item = &page(&app, "").await["items"][0];
    assert_eq!(item["grade"], json!({ "code": "fair", "label": "较差" }));
    assert_eq!(item["grade_source"], "review");
    assert_eq!(
        item["rule_grade"],
        json!({ "code": "excellent", "label": "优秀" })
    );
    assert_eq!(
        item["review_grade"],
        json!({ "code": "fair", "label": "较差" })
    );
    assert_eq!(
        item["declared_grade"],
        json!({ "code": "excellent", "label": "优秀" })
    );
}

#[actix_web::test]
async fn a_review_grade_is_shown_and_filtered_on_only_once_approved() {
    // Arrange
    let app = spawn_app().await;
    let (reviewed, _) = reviewed_and_declared_apart(&app).await;

    // Act
    expect_status(&app, reviewed, "reopen", None, "draft").await;

    // Assert
    assert_eq!(listed_ids(&app, "grade=excellent").await, [reviewed]);
    assert!(listed_ids(&app, "review_grade=fair").await.is_empty());
    let item = &page(&app, "").await["items"][0];
    assert_eq!(item["grade_source"], "rule");
    assert!(item["review_grade"].is_null(), "{item}");
}

#[actix_web::test]
async fn an_unreadable_or_absent_declared_grade_is_null() {
    // Arrange
    let app = spawn_app().await;
    let mut unreadable = form_of("衡阳县教育局", 2020);
    unreadable["declared_grade"] = json!("甲等");
    let mut absent = form_of("衡阳县卫生健康局", 2020);
    absent
        .as_object_mut()
        .expect("a form")
        .remove("declared_grade");

    // Act
    app.create(&unreadable).await;
    app.create(&absent).await;

    // Assert
    let items = page(&app, "").await["items"].clone();
    assert!(items[0]["declared_grade"].is_null(), "{items}");
    assert!(items[1]["declared_grade"].is_null(), "{items}");
    assert!(
        listed_ids(&app, "declared_grade=excellent")
            .await
            .is_empty()
    );
}

#[actix_web::test]
async fn the_rules_grading_otherwise_than_the_unit_is_a_finding() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let agreeing = app.create(&seed()).await;
    let declared_too_high = app.create(&good(form_of("衡阳县卫生健康局", 2020))).await;

    // Assert
    let codes = |stored: &Value| -> Vec<String> {
        findings(&stored["result"])
            .into_iter()
            .map(|f| f.0)
            .collect()
    };
    assert!(!codes(&agreeing).contains(&"rule_grade_differs".to_owned()));
    assert!(
        findings(&declared_too_high["result"]).contains(&finding(
            "rule_grade_differs",
            "warning",
            "/declared_grade",
            "良好",
            "优秀"
        )),
        "{}",
        declared_too_high["result"]["findings"]
    );
    assert!(
        !codes(&declared_too_high).contains(&"declared_grade_differs".to_owned()),
        "the declared total 92 is 优秀, as declared"
    );
}

//! A unit's forms year by year, as far as each caller may see them.

use crate::support::*;

fn changes(points: &Value) -> Vec<(i64, String, Value)> {
    points
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| {
            (
                p["fiscal_year"].as_i64().expect("a year"),
                p["total"].as_str().expect("a total").to_owned(),
                p["total_change"].clone(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn a_units_trend_shows_each_years_change_among_what_the_caller_may_read() {
    // Arrange: 2019 poor (approved), 2020 good (draft), 2021 the seed (approved).
    let app = spawn_app().await;
    register(&app, FINANCE_CODE, FINANCE, None, None).await;
    let y2021 = id_of(&app.create(&finance(2021)).await);
    let y2019 = id_of(&app.create(&poor(finance(2019))).await);
    app.create(&good(finance(2020))).await;
    for id in [y2019, y2021] {
        expect_status(&app, id, "submit", None, "submitted").await;
        expect_status(&app, id, "approve", Some("同意"), "approved").await;
    }
    let own = app.as_caller(Some(&app.issue("unit", &[FINANCE_CODE]).await));
    let other = app.as_caller(Some(&app.issue("unit", &["430421002"]).await));
    let path = format!("/api/v1/units/{FINANCE_CODE}/trend");

    // Act
    let all = app.get(&path).await;
    let own_view = own.get(&path).await.json();
    let public = app.anonymous().get(&path).await.json();
    let other_view = other.get(&path).await.json();

    // Assert
    assert_eq!(all.status, 200, "{}", body_text(&all));
    let all = all.json();
    let s = |t: &str| t.to_owned();
    assert_eq!(
        changes(&all),
        [
            (2019, s("58.08"), Value::Null),
            (2020, s("87.01"), json!("28.93")),
            (2021, s("93.55"), json!("6.54")),
        ]
    );
    assert_eq!(all[0]["status"], "approved");
    assert_eq!(all[0]["rule_grade"]["code"], "poor");
    assert_eq!(all[1]["execution_rate"], "78.59");
    assert_eq!(all[2]["id"], y2021);
    assert_eq!(own_view, all);
    let published = [
        (2019, s("58.08"), Value::Null),
        (2021, s("93.55"), json!("35.47")),
    ];
    assert_eq!(changes(&public), published, "the draft is not shown");
    assert_eq!(changes(&other_view), published);
    let projects = app.get(&format!("{path}?kind=project")).await.json();
    assert_eq!(projects, json!([]));
}

#[actix_web::test]
async fn a_code_with_nothing_visible_is_empty_if_registered_else_not_found() {
    let app = spawn_app().await;
    register(&app, FINANCE_CODE, FINANCE, None, None).await;
    app.create(&coded_form("衡阳县教育局", "430421002", 2021))
        .await;

    let registered = app
        .anonymous()
        .get(&format!("/api/v1/units/{FINANCE_CODE}/trend"))
        .await;
    assert_eq!(registered.status, 200);
    assert_eq!(registered.json(), json!([]));
    // Unregistered, with only a draft: an admin sees it, an anonymous caller is told
    // nothing exists.
    let path = "/api/v1/units/430421002/trend";
    assert_eq!(changes(&app.get(path).await.json()).len(), 1);
    assert_problem(&app.anonymous().get(path).await, 404, "not-found", None);
    assert_problem(
        &app.get(&format!("{path}?kind=other")).await,
        400,
        "bad-request",
        Some("/kind"),
    );
}

//! Units registered with their 主管部门 and 行政区划, and forms filtered and grouped by them.

use crate::support::*;

#[actix_web::test]
async fn units_register_a_department_and_a_six_digit_region() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let unit = register(
        &app,
        FINANCE_CODE,
        FINANCE,
        Some(" 430421 "),
        Some("430421"),
    )
    .await;
    let bare = register(&app, "430421002", "衡阳县教育局", None, None).await;

    // Assert
    assert_eq!(unit["department"], "430421", "trimmed");
    assert_eq!(unit["region"], "430421");
    assert_eq!(bare["department"], Value::Null);
    assert_eq!(bare["region"], Value::Null);
    let listed = app.get("/api/v1/units").await.json();
    assert_eq!(listed[0]["region"], "430421");
    let path = format!("/api/v1/units/{FINANCE_CODE}");
    let cases = [
        (json!({ "name": FINANCE, "region": "43042" }), "/region"),
        (json!({ "name": FINANCE, "region": "43042a" }), "/region"),
        (
            json!({ "name": FINANCE, "region": "４３０４２１" }),
            "/region",
        ),
        (json!({ "name": FINANCE, "region": "4304210" }), "/region"),
        (
            json!({ "name": FINANCE, "department": "  " }),
            "/department",
        ),
    ];
    for (body, pointer) in cases {
        let reply = app.put_json(&path, &body, None).await;
        assert_problem(&reply, 422, "invalid-document", Some(pointer));
    }
    let wrong_type = app
        .put_json(&path, &json!({ "name": FINANCE, "region": 430421 }), None)
        .await;
    assert_problem(&wrong_type, 422, "invalid-document", Some("/region"));
    // Nothing refused was stored.
    assert_eq!(app.get("/api/v1/units").await.json()[0]["region"], "430421");
}

#[actix_web::test]
async fn forms_take_their_units_place_and_follow_the_registry() {
    // Arrange: a registered unit, one registered later, one never registered.
    let app = spawn_app().await;
    register(&app, FINANCE_CODE, FINANCE, Some("430421"), Some("430421")).await;
    let finance_form = id_of(&app.create(&finance(2021)).await);
    let school = id_of(
        &app.create(&coded_form("衡阳县教育局", "430421002", 2021))
            .await,
    );
    let loose = id_of(&app.create(&form_of("某单位", 2021)).await);
    let department = |d: &str| format!("department={d}");

    // Act & Assert: the form created after registration carries its unit's place.
    assert_eq!(
        listed_ids(&app, &department("430421")).await,
        [finance_form]
    );
    assert_eq!(listed_ids(&app, "region=4304").await, [finance_form]);
    let listed = page(&app, "region=4304").await;
    assert_eq!(listed["items"][0]["department"], "430421", "{listed}");
    assert_eq!(listed["items"][0]["region"], "430421", "{listed}");
    let unplaced = page(&app, &format!("unit={}", encode("某单位"))).await;
    assert!(unplaced["items"][0].get("region").is_none(), "{unplaced}");

    // Registering the second unit places its form already stored.
    register(
        &app,
        "430421002",
        "衡阳县教育局",
        Some("430400"),
        Some("430482"),
    )
    .await;
    assert_eq!(
        listed_ids(&app, "region=4304").await,
        [finance_form, school]
    );
    assert_eq!(listed_ids(&app, "region=43").await, [finance_form, school]);
    assert_eq!(listed_ids(&app, "region=430482").await, [school]);
    assert_eq!(listed_ids(&app, "region=51").await, Vec::<i64>::new());
    assert_eq!(
        listed_ids(&app, "department=430421&department=430400").await,
        [finance_form, school]
    );

    // Moving a unit moves its forms; removing it takes their place away.
    register(&app, FINANCE_CODE, FINANCE, Some("430400"), Some("510104")).await;
    assert_eq!(
        listed_ids(&app, &department("430421")).await,
        Vec::<i64>::new()
    );
    assert_eq!(listed_ids(&app, "region=51").await, [finance_form]);
    let replaced = app
        .put_json(
            &evaluation(finance_form),
            &finance(2021),
            Some(&app.etag(finance_form).await),
        )
        .await;
    assert_eq!(replaced.status, 200, "{}", body_text(&replaced));
    assert_eq!(
        listed_ids(&app, "region=51").await,
        [finance_form],
        "kept on replace"
    );
    assert_eq!(
        app.delete("/api/v1/units/430421002", None).await.status,
        204
    );
    assert_eq!(listed_ids(&app, "region=43").await, Vec::<i64>::new());
    assert_eq!(listed_ids(&app, "").await, [finance_form, school, loose]);

    // Bad filters are named with what is allowed.
    let reply = app
        .get(&format!("{EVALUATIONS}?region=430&region=4304"))
        .await;
    assert_problem(&reply, 400, "bad-request", Some("/region"));
    assert!(body_text(&reply).contains("2, 4 or 6 digits"));
}

#[actix_web::test]
async fn statistics_and_exports_filter_and_group_by_department_and_region() {
    // Arrange
    let app = spawn_app().await;
    register(&app, FINANCE_CODE, FINANCE, Some("430421"), Some("430421")).await;
    register(
        &app,
        "430421002",
        "衡阳县教育局",
        Some("430421"),
        Some("430482"),
    )
    .await;
    register(&app, "430421003", "衡阳县卫健局", Some("430400"), None).await;
    app.create(&finance(2021)).await;
    app.create(&finance(2020)).await;
    app.create(&coded_form("衡阳县教育局", "430421002", 2021))
        .await;
    app.create(&coded_form("衡阳县卫健局", "430421003", 2021))
        .await;
    app.create(&form_of("某单位", 2021)).await;

    // Act
    let by_department = app.get("/api/v1/stats?group_by=department").await.json();
    let by_region = app
        .get("/api/v1/stats?group_by=region&department=430421")
        .await
        .json();
    let prefixed = app.get("/api/v1/stats?region=4304").await.json();
    let csv = app.get("/api/v1/evaluations.csv?region=430482").await;

    // Assert
    let groups = |stats: &Value, name: &str| -> Vec<(Value, u64)> {
        stats["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| (g["key"][name].clone(), g["count"].as_u64().unwrap()))
            .collect()
    };
    assert_eq!(
        groups(&by_department, "department"),
        [(json!("430400"), 1), (json!("430421"), 3), (Value::Null, 1)]
    );
    assert_eq!(
        groups(&by_region, "region"),
        [(json!("430421"), 2), (json!("430482"), 1)]
    );
    assert_eq!(prefixed["overall"]["count"], 3, "{prefixed}");
    assert_eq!(csv.status, 200);
    let text = body_text(&csv);
    assert!(text.contains("衡阳县教育局"), "{text}");
    assert!(!text.contains(FINANCE), "{text}");
}

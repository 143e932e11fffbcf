//! Who has filed: every registered unit's standing for a year and kind.

use crate::support::*;

/// Five registered units of 2021: A without a form, B a draft, C submitted, D approved, E
/// returned; and one unregistered unit's draft, which the list does not show.
async fn five_units(app: &TestApp) {
    let units = [
        ("430421001", "甲单位", "430421", "430421"),
        ("430421002", "乙单位", "430421", "430421"),
        ("430421003", "丙单位", "430400", "430482"),
        ("430421004", "丁单位", "430400", "430482"),
        ("430421005", "戊单位", "430400", "510104"),
    ];
    for (code, name, department, region) in units {
        register(app, code, name, Some(department), Some(region)).await;
    }
    for (code, name) in &units[1..].iter().map(|u| (u.0, u.1)).collect::<Vec<_>>() {
        app.create(&coded_form(name, code, 2021)).await;
    }
    app.create(&form_of("未登记单位", 2021)).await;
    let id = |n: i64| n + 1;
    expect_status(app, id(1), "submit", None, "submitted").await;
    expect_status(app, id(2), "submit", None, "submitted").await;
    expect_status(app, id(2), "approve", Some("同意"), "approved").await;
    expect_status(app, id(3), "submit", None, "submitted").await;
    let tag = app.etag(id(3)).await;
    let returned = app
        .client
        .post(app.url(&format!("{}/return", evaluation(id(3)))))
        .insert_header(("content-type", "application/json"))
        .insert_header(("if-match", tag));
    let reply = app
        .send(
            returned,
            Some(json!({ "comment": "请补充说明" }).to_string().as_bytes()),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", body_text(&reply));
}

fn standing(filing: &Value) -> Vec<(String, String, bool, Vec<i64>)> {
    filing["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| {
            (
                u["code"].as_str().expect("a code").to_owned(),
                u["status"].as_str().expect("a status").to_owned(),
                u["overdue"].as_bool().expect("overdue"),
                u["forms"]
                    .as_array()
                    .expect("forms")
                    .iter()
                    .map(|f| f["id"].as_i64().expect("an id"))
                    .collect(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn every_registered_unit_is_listed_with_its_standing_and_the_counts() {
    // Arrange
    let app = spawn_app().await;
    five_units(&app).await;
    assert_eq!(
        set_deadline(&app, 2021, "department", "2022-03-31")
            .await
            .status,
        200
    );
    let reviewer = app.as_caller(Some(&app.issue("reviewer", &[]).await));

    // Act
    let reply = reviewer.get("/api/v1/filing?fiscal_year=2021").await;

    // Assert
    assert_eq!(reply.status, 200, "{}", body_text(&reply));
    let filing = reply.json();
    let s = |t: &str| t.to_owned();
    assert_eq!(
        standing(&filing),
        [
            (s("430421001"), s("missing"), true, vec![]),
            (s("430421002"), s("draft"), true, vec![1]),
            (s("430421003"), s("submitted"), false, vec![2]),
            (s("430421004"), s("approved"), false, vec![3]),
            (s("430421005"), s("returned"), true, vec![4]),
        ]
    );
    assert_eq!(
        filing["counts"],
        json!({ "missing": 1, "draft": 1, "returned": 1, "submitted": 1, "approved": 1, "overdue": 3 })
    );
    let draft = &filing["units"][1];
    assert_eq!(draft["name"], "乙单位");
    assert_eq!(draft["department"], "430421");
    assert_eq!(draft["region"], "430421");
    assert_eq!(draft["forms"][0]["status"], "draft");
    assert_eq!(
        draft["forms"][0]["grade"],
        json!({ "code": "excellent", "label": "优秀" })
    );
    assert_eq!(draft["forms"][0]["overdue"], true);

    // Another year has no forms, and no deadline: everyone is missing, nobody overdue.
    let empty = reviewer.get("/api/v1/filing?fiscal_year=2020").await.json();
    assert_eq!(empty["counts"]["missing"], 5);
    assert_eq!(empty["counts"]["overdue"], 0);
}

#[actix_web::test]
async fn filing_filters_by_department_and_region_and_counts_project_forms() {
    // Arrange
    let app = spawn_app().await;
    five_units(&app).await;
    let mut project = project_of("甲单位", 2021, "乡村道路");
    project["unit"]["code"] = json!("430421001");
    let first = id_of(&app.create(&project).await);
    project["project"]["name"] = json!("饮水工程");
    let second = id_of(&app.create(&project).await);
    expect_status(&app, second, "submit", None, "submitted").await;

    // Act
    let by_department = app
        .get("/api/v1/filing?fiscal_year=2021&department=430421")
        .await
        .json();
    let by_region = app
        .get("/api/v1/filing?fiscal_year=2021&region=4304&region=51")
        .await
        .json();
    let projects = app
        .get(&format!(
            "/api/v1/filing?fiscal_year=2021&kind={}&region=430421",
            encode("项目支出")
        ))
        .await
        .json();

    // Assert
    let codes =
        |filing: &Value| -> Vec<String> { standing(filing).into_iter().map(|u| u.0).collect() };
    assert_eq!(codes(&by_department), ["430421001", "430421002"]);
    assert_eq!(
        codes(&by_region),
        [
            "430421001",
            "430421002",
            "430421003",
            "430421004",
            "430421005"
        ]
    );
    let s = |t: &str| t.to_owned();
    assert_eq!(
        standing(&projects),
        [
            (s("430421001"), s("draft"), false, vec![first, second]),
            (s("430421002"), s("missing"), false, vec![]),
        ]
    );
    assert_eq!(projects["units"][0]["forms"][1]["project_name"], "饮水工程");
    assert_eq!(projects["counts"]["draft"], 1);
    assert_eq!(projects["counts"]["missing"], 1);
}

#[actix_web::test]
async fn only_reviewers_and_admins_see_who_has_filed() {
    let app = spawn_app().await;
    let path = "/api/v1/filing?fiscal_year=2021";
    let unit = app.as_caller(Some(&app.issue("unit", &["430421001"]).await));
    let reviewer = app.as_caller(Some(&app.issue("reviewer", &[]).await));

    assert_eq!(app.get(path).await.status, 200);
    assert_eq!(reviewer.get(path).await.status, 200);
    assert_problem(&unit.get(path).await, 403, "forbidden", None);
    assert_problem(
        &app.anonymous().get(path).await,
        401,
        "unauthenticated",
        None,
    );
    let cases = [
        ("/api/v1/filing", "/fiscal_year"),
        ("/api/v1/filing?fiscal_year=1989", "/fiscal_year"),
        ("/api/v1/filing?fiscal_year=2021&kind=other", "/kind"),
        ("/api/v1/filing?fiscal_year=2021&region=430", "/region"),
        ("/api/v1/filing?fiscal_year=2021&grade=good", "/grade"),
    ];
    for (path, pointer) in cases {
        assert_problem(&app.get(path).await, 400, "bad-request", Some(pointer));
    }
}

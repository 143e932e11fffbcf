//! Review samples (抽查复核): reproducible draws, strata, repeats, callers and progress.

use crate::support::*;

const SAMPLES: &str = "/api/v1/review-samples";

/// Stores `n` forms of 2020 by units named `prefix` 0..n, graded by `grade` of each index, and
/// submits them; returns their ids.
async fn submitted_forms(
    app: &TestApp,
    n: usize,
    grade: impl Fn(usize) -> &'static str,
) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        let form = form_of(&format!("抽查单位{i}"), 2020);
        let form = match grade(i) {
            "good" => good(form),
            "poor" => poor(form),
            _ => form,
        };
        let id = id_of(&app.create(&form).await);
        let reply = move_to(app, id, "submit", None, Some("\"1\"")).await;
        assert_eq!(reply.status, 200, "{}", body_text(&reply));
        ids.push(id);
    }
    ids
}

async fn draw(app: &TestApp, body: &Value) -> Value {
    let reply = app.post_json(SAMPLES, body).await;
    assert_eq!(reply.status, 201, "{}", body_text(&reply));
    let sample = reply.json();
    assert_eq!(
        reply.header("location"),
        Some(format!("{SAMPLES}/{}", sample["id"])),
    );
    sample
}

fn drawn_ids(sample: &Value) -> Vec<i64> {
    sample["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items: {sample}"))
        .iter()
        .map(|i| i["evaluation_id"].as_i64().expect("an id"))
        .collect()
}

#[actix_web::test]
async fn the_same_seed_draws_the_same_sample_and_no_seed_gets_one_returned() {
    // Arrange
    let app = spawn_app().await;
    submitted_forms(&app, 12, |_| "excellent").await;
    let ask =
        json!({ "fiscal_year": 2020, "size": 4, "seed": 20_240_601, "include_sampled": true });

    // Act
    let first = draw(&app, &ask).await;
    let again = draw(&app, &ask).await;
    let other = draw(
        &app,
        &json!({ "fiscal_year": 2020, "size": 4, "seed": 7, "include_sampled": true }),
    )
    .await;
    let unseeded = draw(
        &app,
        &json!({ "fiscal_year": 2020, "rate": "25", "include_sampled": true }),
    )
    .await;

    // Assert
    assert_eq!(drawn_ids(&first).len(), 4);
    assert_eq!(drawn_ids(&first), drawn_ids(&again));
    assert_ne!(drawn_ids(&first), drawn_ids(&other));
    assert_eq!(first["seed"], 20_240_601);
    assert_eq!(first["eligible"], 12);
    assert_eq!(first["drawn_by"]["role"], "admin");
    let seed = unseeded["seed"].as_u64().expect("a seed is returned");
    assert_eq!(drawn_ids(&unseeded).len(), 3, "25% of 12");
    let replay = draw(
        &app,
        &json!({ "fiscal_year": 2020, "size": 3, "seed": seed, "include_sampled": true }),
    )
    .await;
    assert_eq!(drawn_ids(&replay), drawn_ids(&unseeded));
}

#[actix_web::test]
async fn strata_share_the_sample_in_proportion_with_one_at_least() {
    // Arrange: 6 excellent, 3 good, 1 poor.
    let app = spawn_app().await;
    let ids = submitted_forms(&app, 10, |i| match i {
        0..6 => "excellent",
        6..9 => "good",
        _ => "poor",
    })
    .await;

    // Act
    let sample = draw(
        &app,
        &json!({ "fiscal_year": 2020, "size": 5, "stratify_by": "grade", "seed": 1 }),
    )
    .await;

    // Assert: shares 3, 1.5, 0.5 → largest remainders give 3, 1, 1 with poor's one form kept.
    let strata: Vec<(String, u64, u64)> = sample["strata"]
        .as_array()
        .expect("strata")
        .iter()
        .map(|s| {
            (
                s["key"].as_str().unwrap_or("").to_owned(),
                s["eligible"].as_u64().unwrap(),
                s["drawn"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        strata,
        [
            ("excellent".into(), 6, 3),
            ("good".into(), 3, 1),
            ("poor".into(), 1, 1)
        ]
    );
    assert!(drawn_ids(&sample).contains(&ids[9]), "the only poor form");
    for item in sample["items"].as_array().unwrap() {
        let id = item["evaluation_id"].as_i64().unwrap();
        let index = ids.iter().position(|&i| i == id).unwrap();
        let expected = match index {
            0..6 => "excellent",
            6..9 => "good",
            _ => "poor",
        };
        assert_eq!(item["stratum"], expected, "form {id}");
    }
}

#[actix_web::test]
async fn a_second_draw_never_repeats_stored_forms_unless_asked_and_lists_show_them() {
    // Arrange
    let app = spawn_app().await;
    submitted_forms(&app, 6, |_| "excellent").await;
    let draft = id_of(&app.create(&form_of("草稿单位", 2020)).await);
    let first = draw(&app, &json!({ "fiscal_year": 2020, "size": 4, "seed": 3 })).await;

    // Act
    let second = draw(&app, &json!({ "fiscal_year": 2020, "size": 4, "seed": 3 })).await;
    let repeated = draw(
        &app,
        &json!({ "fiscal_year": 2020, "size": 6, "include_sampled": true }),
    )
    .await;
    let empty = app
        .post_json(SAMPLES, &json!({ "fiscal_year": 2020, "size": 1 }))
        .await;

    // Assert
    let (a, b) = (drawn_ids(&first), drawn_ids(&second));
    assert_eq!(b.len(), 2, "only two forms were left: {second}");
    assert!(a.iter().all(|id| !b.contains(id)), "{a:?} and {b:?}");
    assert_eq!(second["eligible"], 2);
    assert_eq!(
        drawn_ids(&repeated).len(),
        6,
        "every submitted form, drafts never"
    );
    assert!(!drawn_ids(&repeated).contains(&draft));
    assert_problem(&empty, 409, "conflict", None);
    let page = page(&app, "").await;
    for item in page["items"].as_array().unwrap() {
        let id = id_of(item);
        let mut expected: Vec<i64> = [&first, &second, &repeated]
            .iter()
            .filter(|s| drawn_ids(s).contains(&id))
            .map(|s| s["id"].as_i64().unwrap())
            .collect();
        expected.sort_unstable();
        let shown: Vec<i64> = item["samples"]
            .as_array()
            .map(|s| s.iter().map(|v| v.as_i64().unwrap()).collect())
            .unwrap_or_default();
        assert_eq!(shown, expected, "form {id}");
    }
    let listed = app.get(&format!("{SAMPLES}?fiscal_year=2020")).await.json();
    assert_eq!(listed.as_array().map(Vec::len), Some(3));
    let other_year = app.get(&format!("{SAMPLES}?fiscal_year=2021")).await.json();
    assert_eq!(other_year, json!([]));
}

#[actix_web::test]
async fn only_reviewers_and_admins_draw_and_read_samples() {
    // Arrange
    let app = spawn_app().await;
    submitted_forms(&app, 2, |_| "excellent").await;
    let reviewer = app.as_caller(Some(&app.issue("reviewer", &[]).await));
    let unit = app.as_caller(Some(&app.issue("unit", &["430421001"]).await));
    let ask = json!({ "fiscal_year": 2020, "size": 1 });

    // Act
    let by_reviewer = reviewer.post_json(SAMPLES, &ask).await;
    let by_unit = unit.post_json(SAMPLES, &ask).await;
    let anonymous = app.anonymous().post_json(SAMPLES, &ask).await;
    let read_by_unit = unit.get(&format!("{SAMPLES}/1")).await;
    let list_anonymous = app.anonymous().get(SAMPLES).await;

    // Assert
    assert_eq!(by_reviewer.status, 201, "{}", body_text(&by_reviewer));
    assert_eq!(by_reviewer.json()["drawn_by"]["role"], "reviewer");
    assert_problem(&by_unit, 403, "forbidden", None);
    assert_problem(&anonymous, 401, "unauthenticated", None);
    assert_problem(&read_by_unit, 403, "forbidden", None);
    assert_problem(&list_anonymous, 401, "unauthenticated", None);
    assert_problem(
        &app.get(&format!("{SAMPLES}/99")).await,
        404,
        "not-found",
        None,
    );
}

#[actix_web::test]
async fn bad_requests_are_refused_naming_the_field() {
    // Arrange
    let app = spawn_app().await;

    // Act & Assert
    for (body, pointer) in [
        (json!({ "fiscal_year": 2020 }), ""),
        (json!({ "fiscal_year": 2020, "size": 1, "rate": "5" }), ""),
        (json!({ "fiscal_year": 2020, "size": 0 }), "/size"),
        (json!({ "fiscal_year": 2020, "rate": "101" }), "/rate"),
        (json!({ "fiscal_year": 2020, "rate": "0" }), "/rate"),
        (json!({ "fiscal_year": 1200, "size": 1 }), "/fiscal_year"),
        (
            json!({ "fiscal_year": 2020, "size": 1, "seed": 9_007_199_254_740_992_u64 }),
            "/seed",
        ),
    ] {
        let reply = app.post_json(SAMPLES, &body).await;
        assert_problem(&reply, 422, "invalid-document", Some(pointer));
    }
}

#[actix_web::test]
async fn progress_shows_each_form_and_the_difference_after_a_review() {
    // Arrange
    let app = spawn_app().await;
    let ids = submitted_forms(&app, 2, |_| "excellent").await;
    let sample = draw(&app, &json!({ "fiscal_year": 2020, "size": 2, "seed": 5 })).await;
    assert_eq!(sample["progress"], json!({ "reviewed": 0, "total": 2 }));
    let review = json!({ "execution": { "score": "8", "reason": "年末资金未及时执行" } });
    let reply = app
        .put_json(
            &format!("{}/review", evaluation(ids[0])),
            &review,
            Some("\"2\""),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", body_text(&reply));

    // Act
    let read = app.get(&format!("{SAMPLES}/{}", sample["id"])).await;

    // Assert
    assert_eq!(read.status, 200, "{}", body_text(&read));
    let read = read.json();
    assert_eq!(read["progress"], json!({ "reviewed": 1, "total": 2 }));
    let items = read["items"].as_array().unwrap();
    let reviewed = items.iter().find(|i| i["evaluation_id"] == ids[0]).unwrap();
    assert_eq!(reviewed["status"], "submitted");
    assert_eq!(reviewed["reviewed"], true);
    assert_eq!(reviewed["rule_total"], "93.55");
    assert_eq!(reviewed["review_total"], "92.15");
    assert_eq!(reviewed["difference"], "-1.40");
    let other = items.iter().find(|i| i["evaluation_id"] == ids[1]).unwrap();
    assert_eq!(other["reviewed"], false);
    assert_eq!(other["difference"], Value::Null);
}

#[actix_web::test]
async fn department_strata_follow_the_units_registered_departments() {
    // Arrange: three forms of department 430421100, one of 430421200, one of no department.
    let app = spawn_app().await;
    let departments = [
        Some("430421100"),
        Some("430421100"),
        Some("430421100"),
        Some("430421200"),
        None,
    ];
    let mut by_department = std::collections::BTreeMap::new();
    for (i, department) in departments.into_iter().enumerate() {
        let code = format!("43042130{i}");
        let name = format!("分层单位{i}");
        register(&app, &code, &name, department, None).await;
        let id = id_of(&app.create(&coded_form(&name, &code, 2020)).await);
        let reply = move_to(&app, id, "submit", None, Some("\"1\"")).await;
        assert_eq!(reply.status, 200, "{}", body_text(&reply));
        by_department.insert(id, department);
    }

    // Act: a sample of three, stratified by department.
    let sample = draw(
        &app,
        &json!({ "fiscal_year": 2020, "size": 3, "stratify_by": "department", "seed": 11 }),
    )
    .await;

    // Assert: one form of each of the three strata.
    let drawn: BTreeSet<Option<&str>> = drawn_ids(&sample)
        .iter()
        .map(|id| by_department[id])
        .collect();
    assert_eq!(
        drawn,
        BTreeSet::from([Some("430421100"), Some("430421200"), None]),
        "{sample}"
    );
}

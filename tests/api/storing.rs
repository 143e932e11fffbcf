//! Storing, reading and the identity of a form.

use crate::support::*;

// ---------------------------------------------------------------------------------------------
// 1–2. Creating
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn creating_a_form_stores_it_unchanged_with_its_score_grade_and_findings() {
    // Arrange
    let app = spawn_app().await;
    let form = seed();

    // Act
    let created = app.post_json(EVALUATIONS, &form).await;

    // Assert
    assert_eq!(created.status, 201, "{}", body_text(&created));
    assert_eq!(created.content_type(), "application/json");
    let body = created.json();
    let id = id_of(&body);
    assert!(id > 0, "{body}");
    assert_eq!(created.header("location"), Some(evaluation(id)));
    assert_eq!(created.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(body["version"], 1);
    let created_at = body["created_at"].as_str().expect("created_at is text");
    assert!(
        chrono::DateTime::parse_from_rfc3339(created_at).is_ok() && created_at.ends_with('Z'),
        "created_at {created_at} is RFC 3339 UTC"
    );
    assert_eq!(body["updated_at"], body["created_at"]);

    let read = app.get(&evaluation(id)).await;
    assert_eq!(read.status, 200, "{}", body_text(&read));
    assert_eq!(read.header("etag").as_deref(), Some("\"1\""));
    let stored = read.json();
    assert_eq!(stored, body, "GET returns what POST returned");
    assert_eq!(
        document_of(&stored),
        form,
        "every field of the seed comes back as sent"
    );

    let result = &stored["result"];
    assert_eq!(result["total"], "93.55");
    assert_eq!(
        result["grade"],
        json!({ "code": "excellent", "label": "优秀" })
    );
    assert_eq!(
        result["ruleset"],
        json!({ "id": "hunan-2020", "version": 1 })
    );
    assert_eq!(
        findings(result),
        [
            finding(
                "declared_score_differs",
                "warning",
                "/funds/declared_score",
                "9.40",
                "8"
            ),
            finding(
                "breakdown_does_not_sum",
                "info",
                "/funds/breakdown/4/executed",
                "239.31",
                "239.30"
            ),
            finding(
                "declared_score_differs",
                "warning",
                "/indicators/0/children/0/children/1/declared_score",
                "6.40",
                "7"
            ),
            finding(
                "declared_score_differs",
                "warning",
                "/indicators/2/children/0/children/1/declared_score",
                "4.75",
                "4"
            ),
        ]
    );
}

#[actix_web::test]
async fn numbers_sent_as_json_numbers_are_read_exactly_and_returned_as_strings() {
    // Arrange: the seed's text with three amounts as bare JSON numbers, digit for digit.
    let app = spawn_app().await;
    let replacements = [
        (r#""executed": "239.31","#, r#""executed": 239.31,"#),
        (
            r#""weight": "10", "declared_score": "10" }"#,
            r#""weight": 10.00, "declared_score": "10" }"#,
        ),
        (
            r#""initial_budget": "144.22","#,
            r#""initial_budget": 1234567.0000000001,"#,
        ),
    ];
    let mut text = SEED_TEXT.to_owned();
    for (from, to) in replacements {
        assert!(text.contains(from), "the seed has {from}");
        text = text.replacen(from, to, 1);
    }

    // Act
    let created = app
        .post_raw(EVALUATIONS, "application/json", text.as_bytes())
        .await;

    // Assert
    assert_eq!(created.status, 201, "{}", body_text(&created));
    let stored = app.get(&evaluation(id_of(&created.json()))).await.json();
    assert_eq!(stored["funds"]["executed"], json!("239.31"));
    assert_eq!(
        stored["indicators"][0]["children"][0]["children"][0]["weight"],
        json!("10.00"),
        "the scale is kept"
    );
    assert_eq!(
        stored["funds"]["initial_budget"],
        json!("1234567.0000000001"),
        "no digit is lost to floating point (f64 reads 1234567.0000000002)"
    );
    assert_eq!(stored["result"]["total"], "93.55", "10.00 scores as 10");
}

// ---------------------------------------------------------------------------------------------
// 3. Reading
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn reading_an_id_that_does_not_exist_is_a_not_found_problem() {
    // Arrange
    let app = spawn_app().await;
    let stored = app.create(&seed()).await;
    let missing = id_of(&stored) + 1;

    for path in [
        evaluation(missing),
        format!("{EVALUATIONS}/abc"),
        format!("{EVALUATIONS}/{missing}/form"),
        format!("{EVALUATIONS}/abc/form"),
    ] {
        // Act
        let reply = app.get(&path).await;

        // Assert
        assert_eq!(reply.status, 404, "GET {path}: {}", body_text(&reply));
        assert_problem(&reply, 404, "not-found", None);
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Identity
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn a_second_department_form_of_the_same_unit_and_year_is_a_conflict() {
    // Arrange
    let app = spawn_app().await;
    let first = app.create(&seed()).await;

    // Act
    let again = app.post_json(EVALUATIONS, &seed()).await;
    let next_year = app.post_json(EVALUATIONS, &form_of(SEED_UNIT, 2021)).await;

    // Assert
    assert_problem(&again, 409, "conflict", None);
    assert_eq!(
        next_year.status,
        201,
        "same unit, another year: {}",
        body_text(&next_year)
    );
    assert_eq!(
        listed_ids(&app, "").await,
        [id_of(&first), id_of(&next_year.json())]
    );
}

#[actix_web::test]
async fn a_unit_may_store_several_projects_a_year_but_each_only_once() {
    // Arrange
    let app = spawn_app().await;
    let department = app.create(&seed()).await;

    // Act
    let first = app
        .post_json(EVALUATIONS, &project_of(SEED_UNIT, 2020, "人社通推广"))
        .await;
    let second = app
        .post_json(EVALUATIONS, &project_of(SEED_UNIT, 2020, "工伤预防宣传"))
        .await;
    let again = app
        .post_json(EVALUATIONS, &project_of(SEED_UNIT, 2020, "人社通推广"))
        .await;

    // Assert
    assert_eq!(first.status, 201, "first project: {}", body_text(&first));
    assert_eq!(second.status, 201, "second project: {}", body_text(&second));
    assert_problem(&again, 409, "conflict", None);
    assert_eq!(first.json()["project"], json!({ "name": "人社通推广" }));
    assert_eq!(
        listed_ids(&app, "").await,
        [
            id_of(&department),
            id_of(&first.json()),
            id_of(&second.json())
        ]
    );
}

#[actix_web::test]
async fn a_unit_is_recognized_by_its_folded_name_or_its_budget_code() {
    // Arrange
    let app = spawn_app().await;
    let mut coded = seed();
    coded["unit"]["code"] = json!("430421");
    app.create(&coded).await;
    let mut spaced = seed();
    spaced["unit"]["name"] = json!(" 衡阳县 工伤保险服务中心 ");
    let mut uncoded = seed();
    uncoded["unit"]["code"] = Value::Null;
    let mut renamed_with_code = form_of("衡阳县工伤保险基金管理中心", 2020);
    renamed_with_code["unit"]["code"] = json!("４３０４２１");

    for (case, form) in [
        ("the same name with stray spaces", spaced),
        ("the same name without a code", uncoded),
        (
            "another name with the same code in full-width digits",
            renamed_with_code,
        ),
    ] {
        // Act
        let reply = app.post_json(EVALUATIONS, &form).await;

        // Assert
        assert_problem(&reply, 409, "conflict", None);
        assert!(
            body_text(&reply).contains("已有 2020 年度的部门整体支出绩效自评表"),
            "{case}"
        );
    }
    assert_eq!(listed_ids(&app, "").await.len(), 1);
}

//! The evaluations API end to end: storing, reading, replacing, deleting and listing forms,
//! scoring without storing, the form grid, the rulesets, and the operational behaviour every
//! response shares (request ids, problems, compression, CORS, concurrency, examples).

use std::collections::BTreeSet;
use std::future::Future;
use std::rc::Rc;

use serde_json::{Value, json};

use crate::helpers::{
    Reply, TestApp, assert_problem, data_dir, form_of, seed, spawn_app, spawn_with,
};

const EVALUATIONS: &str = "/api/v1/evaluations";
const SEED_UNIT: &str = "衡阳县工伤保险服务中心";
const SEED_TEXT: &str = include_str!("../../data/examples/hengyang-2020-department.json");
const DASHBOARD: &str = "https://dashboard.example.org";

// ---------------------------------------------------------------------------------------------
// Small helpers over the shared harness
// ---------------------------------------------------------------------------------------------

fn evaluation(id: i64) -> String {
    format!("{EVALUATIONS}/{id}")
}

fn id_of(stored: &Value) -> i64 {
    stored["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id: {stored}"))
}

fn body_text(reply: &Reply) -> String {
    String::from_utf8_lossy(&reply.body).into_owned()
}

/// A stored evaluation without what the service adds: the document as it was submitted.
fn document_of(stored: &Value) -> Value {
    let mut document = stored.clone();
    let fields = document
        .as_object_mut()
        .expect("an evaluation is an object");
    for added in ["id", "version", "created_at", "updated_at", "result"] {
        assert!(
            fields.remove(added).is_some(),
            "the evaluation has no `{added}`"
        );
    }
    document
}

/// Each finding as (code, severity, path, expected, actual), in the order reported.
fn findings(result: &Value) -> Vec<(String, String, String, String, String)> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    result["findings"]
        .as_array()
        .expect("findings are a list")
        .iter()
        .map(|f| {
            (
                text(&f["code"]),
                text(&f["severity"]),
                text(&f["path"]),
                text(&f["expected"]),
                text(&f["actual"]),
            )
        })
        .collect()
}

fn finding(
    code: &str,
    severity: &str,
    path: &str,
    expected: &str,
    actual: &str,
) -> (String, String, String, String, String) {
    (
        code.into(),
        severity.into(),
        path.into(),
        expected.into(),
        actual.into(),
    )
}

/// Percent-encodes a query value (the unit names are Chinese).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A list page, failing the test unless it is 200.
async fn page(app: &TestApp, query: &str) -> Value {
    let reply = app.get(&format!("{EVALUATIONS}?{query}")).await;
    assert_eq!(reply.status, 200, "?{query}: {}", body_text(&reply));
    reply.json()
}

fn ids_on(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items: {page}"))
        .iter()
        .map(id_of)
        .collect()
}

async fn listed_ids(app: &TestApp, query: &str) -> Vec<i64> {
    let page = page(app, query).await;
    assert!(
        page["next_cursor"].is_null(),
        "?{query} fits one page: {page}"
    );
    ids_on(&page)
}

async fn assert_nothing_stored(app: &TestApp, after: &str) {
    let ids = listed_ids(app, "").await;
    assert!(ids.is_empty(), "after {after} the list holds {ids:?}");
}

/// Follows `next_cursor` from the first page to the last; returns the ids in order and the
/// number of pages.
async fn walk(app: &TestApp, sort: &str, limit: usize) -> (Vec<i64>, usize) {
    let (mut ids, mut pages, mut cursor) = (Vec::new(), 0, None::<String>);
    loop {
        let mut query = format!("sort={}&limit={limit}", encode(sort));
        if let Some(cursor) = &cursor {
            query.push_str(&format!("&cursor={}", encode(cursor)));
        }
        let page = page(app, &query).await;
        pages += 1;
        let on_page = ids_on(&page);
        assert!(
            !on_page.is_empty() && on_page.len() <= limit,
            "sort {sort}, page {pages} has {on_page:?}"
        );
        ids.extend(on_page);
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => {
                assert!(page["next_cursor"].is_null(), "{page}");
                return (ids, pages);
            }
        }
        assert!(pages < 20, "the walk of sort {sort} never ends");
    }
}

/// Runs the requests at the same time (each on its own task) and returns their replies in the
/// order given.
async fn concurrently<F>(requests: Vec<F>) -> Vec<Reply>
where
    F: Future<Output = Reply> + 'static,
{
    let handles: Vec<_> = requests.into_iter().map(actix_web::rt::spawn).collect();
    let mut replies = Vec::with_capacity(handles.len());
    for handle in handles {
        replies.push(handle.await.expect("the request task completes"));
    }
    replies
}

fn statuses(replies: &[Reply]) -> Vec<u16> {
    let mut statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    statuses.sort_unstable();
    statuses
}

// ---------------------------------------------------------------------------------------------
// Forms
// ---------------------------------------------------------------------------------------------

/// The seed as a project form of `unit`: a project, and a `source` breakdown.
fn project_of(unit: &str, year: i64, project: &str) -> Value {
    let mut form = form_of(unit, year);
    form["kind"] = json!("project");
    form["project"] = json!({ "name": project });
    form["funds"]["breakdown"] = json!([
        { "group": "source", "name": "当年财政拨款", "annual_budget": "254.48", "executed": "239.31" }
    ]);
    form
}

/// Spent 200 of 254.48 and opened 150 of 300 accounts: 87.01, 良好.
fn good(mut form: Value) -> Value {
    form["funds"]["executed"] = json!("200");
    form["indicators"][0]["children"][0]["children"][0]["actual"] = json!("150");
    form
}

/// Spent 150, opened no accounts, audited half: 75.04, 较差.
fn fair(mut form: Value) -> Value {
    form["funds"]["executed"] = json!("150");
    form["indicators"][0]["children"][0]["children"][0]["actual"] = json!("0");
    form["indicators"][0]["children"][1]["children"][0]["actual"] = json!("50%");
    form
}

/// Spent 100 and missed three output targets entirely: 58.08, 差.
fn poor(mut form: Value) -> Value {
    form["funds"]["executed"] = json!("100");
    let output = &mut form["indicators"][0]["children"];
    output[0]["children"][0]["actual"] = json!("0");
    output[1]["children"][0]["actual"] = json!("0%");
    output[2]["children"][0]["actual"] = json!("0%");
    form
}

const FINANCE: &str = "衡阳县财政局";
const FINANCE_CODE: &str = "430421001";

fn finance(year: i64) -> Value {
    let mut form = form_of(FINANCE, year);
    form["unit"]["code"] = json!(FINANCE_CODE);
    form
}

/// Seven forms, by index:
///
/// | # | unit                 | kind       | year | total | grade     |
/// |---|----------------------|------------|------|-------|-----------|
/// | 0 | 衡阳县工伤保险服务中心 | department | 2020 | 93.55 | excellent |
/// | 1 | 衡阳县财政局 (code)    | department | 2021 | 87.01 | good      |
/// | 2 | 衡阳县教育局           | department | 2019 | 58.08 | poor      |
/// | 3 | 衡阳县工伤保险服务中心 | project    | 2020 | 93.55 | excellent |
/// | 4 | 衡阳县财政局 (code)    | project    | 2021 | 75.04 | fair      |
/// | 5 | 衡阳县卫生健康局       | department | 2020 | 87.01 | good      |
/// | 6 | 衡阳县财政局 (code)    | department | 2020 | 93.55 | excellent |
fn seven_forms() -> Vec<Value> {
    let mut finance_project = fair(finance(2021));
    finance_project["kind"] = json!("project");
    finance_project["project"] = json!({ "name": "预算一体化" });
    finance_project["funds"]["breakdown"] = json!([]);
    vec![
        seed(),
        good(finance(2021)),
        poor(form_of("衡阳县教育局", 2019)),
        project_of(SEED_UNIT, 2020, "人社通推广"),
        finance_project,
        good(form_of("衡阳县卫生健康局", 2020)),
        finance(2020),
    ]
}

const SEVEN_TOTALS: [&str; 7] = [
    "93.55", "87.01", "58.08", "93.55", "75.04", "87.01", "93.55",
];

/// Stores the seven forms; returns them as stored, in the table's order.
async fn store_seven(app: &TestApp) -> Vec<Value> {
    let mut stored = Vec::new();
    for form in seven_forms() {
        stored.push(app.create(&form).await);
    }
    let totals: Vec<&str> = stored
        .iter()
        .map(|s| s["result"]["total"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(totals, SEVEN_TOTALS, "the fixtures score as documented");
    stored
}

/// What a list shows of a stored evaluation.
fn summary_of(stored: &Value) -> Value {
    let result = &stored["result"];
    let count = |severity: &str| {
        result["findings"]
            .as_array()
            .expect("findings are a list")
            .iter()
            .filter(|f| f["severity"] == severity)
            .count()
    };
    let mut summary = json!({
        "id": stored["id"],
        "kind": stored["kind"],
        "fiscal_year": stored["fiscal_year"],
        "unit": stored["unit"],
        "version": stored["version"],
        "ruleset": result["ruleset"],
        "total": result["total"],
        "grade": result["grade"],
        "declared_total": stored["declared_total"],
        "declared_grade": stored["declared_grade"],
        "findings": { "error": count("error"), "warning": count("warning"), "info": count("info") },
        "updated_at": stored["updated_at"],
    });
    if let Some(project) = stored.get("project") {
        summary["project_name"] = project["name"].clone();
    }
    summary
}

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
            r#""initial_budget": 144.2200000000000000001,"#,
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
        json!("144.2200000000000000001"),
        "no digit is lost to floating point"
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

// ---------------------------------------------------------------------------------------------
// 5. Replacing
// ---------------------------------------------------------------------------------------------

/// The seed with the funds' declared score corrected to the rule score.
fn corrected_seed() -> Value {
    let mut form = seed();
    form["funds"]["declared_score"] = json!("9.40");
    form
}

#[actix_web::test]
async fn replacing_raises_the_version_and_rescores_the_form() {
    // Arrange
    let app = spawn_app().await;
    let created = app.create(&seed()).await;
    let id = id_of(&created);
    let replacement = corrected_seed();

    // Act
    let replaced = app.put_json(&evaluation(id), &replacement, None).await;

    // Assert
    assert_eq!(replaced.status, 200, "{}", body_text(&replaced));
    assert_eq!(replaced.header("etag").as_deref(), Some("\"2\""));
    let body = replaced.json();
    assert_eq!(body["version"], 2);
    assert_eq!(body["id"], id);
    assert_eq!(
        body["created_at"], created["created_at"],
        "creation time is kept"
    );
    assert!(
        body["updated_at"].as_str() >= created["updated_at"].as_str(),
        "{} then {}",
        created["updated_at"],
        body["updated_at"]
    );
    let read = app.get(&evaluation(id)).await;
    assert_eq!(read.header("etag").as_deref(), Some("\"2\""));
    let stored = read.json();
    assert_eq!(stored, body);
    assert_eq!(document_of(&stored), replacement);
    assert_eq!(stored["result"]["total"], "93.55");
    assert_eq!(stored["result"]["declared"]["sum_of_scores"], "93.40");
    assert_eq!(
        findings(&stored["result"]),
        [
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
            // The declared scores as written add up to 9.40 + 10 + 7 + … = 93.40.
            finding(
                "declared_total_differs",
                "warning",
                "/declared_total",
                "93.40",
                "92"
            ),
        ],
        "the corrected score no longer differs; the declared total now does"
    );
}

#[actix_web::test]
async fn replacing_with_a_stale_or_unreadable_if_match_fails_and_changes_nothing() {
    // Arrange: version 2 is current.
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    let second = app
        .put_json(&evaluation(id), &corrected_seed(), Some("\"1\""))
        .await;
    assert_eq!(
        second.status,
        200,
        "If-Match \"1\" on version 1: {}",
        body_text(&second)
    );
    let before = app.get(&evaluation(id)).await.json();

    for if_match in ["\"1\"", "xyz", "\"3\"", "W/\"1\""] {
        // Act
        let reply = app.put_json(&evaluation(id), &seed(), Some(if_match)).await;

        // Assert
        assert_eq!(
            reply.status,
            412,
            "If-Match {if_match}: {}",
            body_text(&reply)
        );
        assert_problem(&reply, 412, "precondition-failed", None);
        let after = app.get(&evaluation(id)).await.json();
        assert_eq!(
            after, before,
            "If-Match {if_match} left the evaluation unchanged"
        );
    }
}

#[actix_web::test]
async fn replacing_with_the_current_if_match_succeeds() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    let second = app.put_json(&evaluation(id), &corrected_seed(), None).await;
    assert_eq!(second.status, 200, "{}", body_text(&second));

    // Act
    let third = app.put_json(&evaluation(id), &seed(), Some("\"2\"")).await;

    // Assert
    assert_eq!(third.status, 200, "{}", body_text(&third));
    assert_eq!(third.header("etag").as_deref(), Some("\"3\""));
    let stored = app.get(&evaluation(id)).await.json();
    assert_eq!(stored["version"], 3);
    assert_eq!(document_of(&stored), seed());
}

#[actix_web::test]
async fn replacing_an_id_that_does_not_exist_is_a_not_found_problem() {
    // Arrange
    let app = spawn_app().await;
    let missing = id_of(&app.create(&seed()).await) + 1;

    // Act
    let reply = app
        .put_json(&evaluation(missing), &form_of("新单位", 2020), None)
        .await;

    // Assert
    assert_problem(&reply, 404, "not-found", None);
    assert_eq!(
        listed_ids(&app, "").await,
        [missing - 1],
        "nothing was created"
    );
}

#[actix_web::test]
async fn replacing_a_form_with_another_stored_forms_identity_is_a_conflict() {
    // Arrange
    let app = spawn_app().await;
    let first = app.create(&seed()).await;
    let other = app.create(&form_of("衡阳县财政局", 2020)).await;
    let (first_before, other_before) = (
        app.get(&evaluation(id_of(&first))).await.json(),
        app.get(&evaluation(id_of(&other))).await.json(),
    );

    // Act: the other unit's form becomes the seed unit's form for 2020.
    let reply = app
        .put_json(&evaluation(id_of(&other)), &corrected_seed(), None)
        .await;

    // Assert
    assert_problem(&reply, 409, "conflict", None);
    assert_eq!(
        app.get(&evaluation(id_of(&first))).await.json(),
        first_before
    );
    assert_eq!(
        app.get(&evaluation(id_of(&other))).await.json(),
        other_before
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Deleting
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn deleting_removes_the_evaluation() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);

    // Act
    let deleted = app.delete(&evaluation(id), None).await;

    // Assert
    assert_eq!(deleted.status, 204, "{}", body_text(&deleted));
    assert!(deleted.body.is_empty(), "{}", body_text(&deleted));
    assert_problem(&app.get(&evaluation(id)).await, 404, "not-found", None);
    assert_nothing_stored(&app, "the deletion").await;
    let again = app.delete(&evaluation(id), None).await;
    assert_problem(&again, 404, "not-found", None);
}

#[actix_web::test]
async fn deleting_an_id_that_does_not_exist_is_a_not_found_problem() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let reply = app.delete(&evaluation(1), None).await;

    // Assert
    assert_problem(&reply, 404, "not-found", None);
}

#[actix_web::test]
async fn deleting_with_a_stale_if_match_fails_and_keeps_the_evaluation() {
    // Arrange: version 2 is current.
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    let replaced = app.put_json(&evaluation(id), &corrected_seed(), None).await;
    assert_eq!(replaced.status, 200, "{}", body_text(&replaced));

    // Act
    let stale = app.delete(&evaluation(id), Some("\"1\"")).await;

    // Assert
    assert_problem(&stale, 412, "precondition-failed", None);
    let still = app.get(&evaluation(id)).await;
    assert_eq!(still.status, 200, "the evaluation is still there");
    assert_eq!(still.json()["version"], 2);
    let current = app.delete(&evaluation(id), Some("\"2\"")).await;
    assert_eq!(
        current.status,
        204,
        "If-Match \"2\": {}",
        body_text(&current)
    );
    assert_problem(&app.get(&evaluation(id)).await, 404, "not-found", None);
}

// ---------------------------------------------------------------------------------------------
// 7. Listing
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn the_list_filters_by_year_kind_unit_and_grade_and_their_combinations() {
    // Arrange
    let app = spawn_app().await;
    let stored = store_seven(&app).await;
    let id = |index: usize| id_of(&stored[index]);
    let finance = encode(FINANCE);
    let cases: Vec<(String, Vec<usize>)> = vec![
        (String::new(), vec![0, 1, 2, 3, 4, 5, 6]),
        ("fiscal_year=2020".into(), vec![0, 3, 5, 6]),
        ("fiscal_year=2019".into(), vec![2]),
        ("fiscal_year=2018".into(), vec![]),
        ("kind=project".into(), vec![3, 4]),
        ("kind=department".into(), vec![0, 1, 2, 5, 6]),
        (format!("unit={finance}"), vec![1, 4, 6]),
        (format!("unit={FINANCE_CODE}"), vec![1, 4, 6]),
        (format!("unit={}", encode(SEED_UNIT)), vec![0, 3]),
        ("unit=nobody".into(), vec![]),
        ("grade=excellent".into(), vec![0, 3, 6]),
        ("grade=good".into(), vec![1, 5]),
        ("grade=fair".into(), vec![4]),
        ("grade=poor".into(), vec![2]),
        ("fiscal_year=2020&kind=department".into(), vec![0, 5, 6]),
        (format!("unit={FINANCE_CODE}&fiscal_year=2021"), vec![1, 4]),
        (
            format!("unit={finance}&kind=department&grade=excellent"),
            vec![6],
        ),
        (
            "kind=department&grade=good&fiscal_year=2020".into(),
            vec![5],
        ),
        ("fiscal_year=2019&kind=project".into(), vec![]),
        ("grade=excellent&sort=-id".into(), vec![6, 3, 0]),
    ];

    for (query, expected) in cases {
        // Act
        let ids = listed_ids(&app, &query).await;

        // Assert
        let expected: Vec<i64> = expected.into_iter().map(id).collect();
        assert_eq!(ids, expected, "?{query}");
    }
}

#[actix_web::test]
async fn the_list_summarizes_each_evaluation() {
    // Arrange
    let app = spawn_app().await;
    let stored = store_seven(&app).await;

    // Act
    let page = page(&app, "").await;

    // Assert
    let items = page["items"].as_array().expect("items");
    let mut seed_summary = items[0].clone();
    assert!(seed_summary["updated_at"].is_string(), "{seed_summary}");
    seed_summary
        .as_object_mut()
        .expect("a summary is an object")
        .remove("updated_at");
    assert_eq!(
        seed_summary,
        json!({
            "id": id_of(&stored[0]),
            "kind": "department",
            "fiscal_year": 2020,
            "unit": { "name": SEED_UNIT },
            "version": 1,
            "ruleset": { "id": "hunan-2020", "version": 1 },
            "total": "93.55",
            "grade": { "code": "excellent", "label": "优秀" },
            "declared_total": "92",
            "declared_grade": "优秀",
            "findings": { "error": 0, "warning": 3, "info": 1 },
        })
    );
    assert_eq!(items[4]["project_name"], "预算一体化");
    assert_eq!(
        items[4]["unit"],
        json!({ "name": FINANCE, "code": FINANCE_CODE })
    );
    assert_eq!(
        items[4]["grade"],
        json!({ "code": "fair", "label": "较差" })
    );
    assert_eq!(items[2]["grade"], json!({ "code": "poor", "label": "差" }));
    let expected: Vec<Value> = stored.iter().map(summary_of).collect();
    assert_eq!(items, &expected, "every summary agrees with its evaluation");
}

#[actix_web::test]
async fn the_list_sorts_by_total_descending_and_by_year_ascending() {
    // Arrange
    let app = spawn_app().await;
    let stored = store_seven(&app).await;
    let id = |index: usize| id_of(&stored[index]);
    // Ties are broken by id in the sort's direction.
    let cases: [(&str, [usize; 7]); 6] = [
        ("id", [0, 1, 2, 3, 4, 5, 6]),
        ("-id", [6, 5, 4, 3, 2, 1, 0]),
        ("-total", [6, 3, 0, 5, 1, 4, 2]),
        ("total", [2, 4, 1, 5, 0, 3, 6]),
        ("fiscal_year", [2, 0, 3, 5, 6, 1, 4]),
        ("-fiscal_year", [4, 1, 6, 5, 3, 0, 2]),
    ];

    for (sort, expected) in cases {
        // Act
        let ids = listed_ids(&app, &format!("sort={}", encode(sort))).await;

        // Assert
        let expected: Vec<i64> = expected.into_iter().map(id).collect();
        assert_eq!(ids, expected, "sort={sort}");
    }
    let totals: Vec<String> = page(&app, "sort=-total").await["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|s| s["total"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        totals,
        [
            "93.55", "93.55", "93.55", "87.01", "87.01", "75.04", "58.08"
        ]
    );
}

#[actix_web::test]
async fn paging_with_a_cursor_walks_every_item_exactly_once_in_order() {
    // Arrange
    let app = spawn_app().await;
    store_seven(&app).await;

    for sort in ["id", "-total", "fiscal_year", "-unit", "-updated_at"] {
        // Act
        let (walked, pages) = walk(&app, sort, 2).await;

        // Assert
        let whole = listed_ids(&app, &format!("sort={}&limit=200", encode(sort))).await;
        assert_eq!(whole.len(), 7, "sort={sort}");
        assert_eq!(
            walked, whole,
            "sort={sort}: pages of 2 give the same order as one page"
        );
        assert_eq!(pages, 4, "sort={sort}: 7 items in pages of 2");
    }
    let (walked, pages) = walk(&app, "-total", 7).await;
    assert_eq!(
        (walked.len(), pages),
        (7, 1),
        "a page exactly as long as the list is the last"
    );
}

#[actix_web::test]
async fn invalid_list_parameters_are_bad_request_problems_naming_the_parameter() {
    // Arrange
    let app = spawn_app().await;
    store_seven(&app).await;
    let foreign_cursor = page(&app, "sort=-total&limit=2").await["next_cursor"]
        .as_str()
        .expect("a first page of two has a cursor")
        .to_owned();
    let cases = [
        ("limit=0".to_owned(), "/limit"),
        ("limit=201".to_owned(), "/limit"),
        ("limit=x".to_owned(), "/limit"),
        ("limit=-1".to_owned(), "/limit"),
        ("kind=foo".to_owned(), "/kind"),
        ("grade=foo".to_owned(), "/grade"),
        ("grade=%E4%BC%98%E7%A7%80".to_owned(), "/grade"),
        ("sort=foo".to_owned(), "/sort"),
        ("fiscal_year=abc".to_owned(), "/fiscal_year"),
        ("cursor=zz".to_owned(), "/cursor"),
        ("cursor=abc".to_owned(), "/cursor"),
        (format!("sort=id&cursor={foreign_cursor}"), "/cursor"),
        (format!("sort=total&cursor={foreign_cursor}"), "/cursor"),
        (format!("cursor={foreign_cursor}"), "/cursor"),
    ];

    for (query, pointer) in cases {
        // Act
        let reply = app.get(&format!("{EVALUATIONS}?{query}")).await;

        // Assert
        assert_eq!(reply.status, 400, "?{query}: {}", body_text(&reply));
        assert_problem(&reply, 400, "bad-request", Some(pointer));
        let named: Vec<Value> = reply.json()["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e["pointer"].clone())
            .collect();
        assert_eq!(named, [json!(pointer)], "?{query} names only {pointer}");
    }
    let boundary = page(&app, "limit=200").await;
    assert_eq!(ids_on(&boundary).len(), 7, "limit=200 is allowed");
}

// ---------------------------------------------------------------------------------------------
// 8. Invalid input
// ---------------------------------------------------------------------------------------------

fn seed_with(change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut form = seed();
    change(&mut form);
    form.to_string().into_bytes()
}

/// A case of an invalid body: name, content type, body, status, problem code, pointer.
type InvalidBody = (
    &'static str,
    &'static str,
    Vec<u8>,
    u16,
    &'static str,
    Option<String>,
);

fn first_leaf(form: &mut Value) -> &mut Value {
    &mut form["indicators"][0]["children"][0]["children"][0]
}

#[actix_web::test]
async fn invalid_bodies_are_problems_naming_the_field_and_store_nothing() {
    // Arrange
    let app = spawn_app().await;
    let json = "application/json";
    let leaf = "/indicators/0/children/0/children/0";
    let cases: Vec<InvalidBody> = vec![
        (
            "malformed JSON",
            json,
            br#"{"kind":"#.to_vec(),
            400,
            "malformed-json",
            None,
        ),
        (
            "not JSON at all",
            json,
            b"kind=department".to_vec(),
            400,
            "malformed-json",
            None,
        ),
        (
            "text/plain",
            "text/plain",
            seed().to_string().into_bytes(),
            415,
            "unsupported-media-type",
            None,
        ),
        (
            "missing funds.weight",
            json,
            seed_with(|f| {
                f["funds"].as_object_mut().expect("funds").remove("weight");
            }),
            422,
            "invalid-document",
            Some("/funds/weight".into()),
        ),
        (
            "fiscal_year as text",
            json,
            seed_with(|f| f["fiscal_year"] = json!("abc")),
            422,
            "invalid-document",
            Some("/fiscal_year".into()),
        ),
        (
            "a weight that is a boolean",
            json,
            seed_with(|f| first_leaf(f)["weight"] = json!(true)),
            422,
            "invalid-document",
            Some(format!("{leaf}/weight")),
        ),
        (
            "a negative leaf weight",
            json,
            seed_with(|f| first_leaf(f)["weight"] = json!("-10")),
            422,
            "invalid-document",
            Some(format!("{leaf}/weight")),
        ),
        (
            "a negative funds weight",
            json,
            seed_with(|f| f["funds"]["weight"] = json!(-10)),
            422,
            "invalid-document",
            Some("/funds/weight".into()),
        ),
        (
            "an unknown ruleset",
            json,
            seed_with(|f| f["ruleset"] = json!("hunan-2099")),
            422,
            "invalid-document",
            Some("/ruleset".into()),
        ),
        (
            "a project form without its project",
            json,
            seed_with(|f| f["kind"] = json!("project")),
            422,
            "invalid-document",
            Some("/project".into()),
        ),
    ];

    for (case, content_type, body, status, code, pointer) in cases {
        // Act
        let reply = app.post_raw(EVALUATIONS, content_type, &body).await;

        // Assert
        assert_eq!(reply.status, status, "{case}: {}", body_text(&reply));
        assert_problem(&reply, status, code, pointer.as_deref());
        assert_nothing_stored(&app, case).await;
    }
}

#[actix_web::test]
async fn unknown_fields_are_problems_pointing_at_the_field_itself() {
    // Arrange
    let app = spawn_app().await;
    let leaf = "/indicators/0/children/0/children/0";
    let cases = [
        (
            "a level-4 indicator: a leaf with children",
            seed_with(|f| first_leaf(f)["children"] = json!([{ "name": "四级", "weight": "1" }])),
            format!("{leaf}/children"),
            "the indicator tree has three levels at most",
        ),
        (
            "an unknown field in funds",
            seed_with(|f| f["funds"]["surplus"] = json!("1")),
            "/funds/surplus".to_owned(),
            "unknown field `surplus`",
        ),
        (
            "an unknown top-level field",
            seed_with(|f| f["remarks"] = json!("无")),
            "/remarks".to_owned(),
            "unknown field `remarks`",
        ),
    ];

    for (case, body, pointer, detail) in cases {
        // Act
        let reply = app.post_raw(EVALUATIONS, "application/json", &body).await;

        // Assert
        assert_eq!(reply.status, 422, "{case}: {}", body_text(&reply));
        let errors = reply.json()["errors"].clone();
        assert_eq!(errors[0]["pointer"], json!(pointer), "{case}: {errors}");
        let said = errors[0]["detail"].as_str().unwrap_or_default();
        assert!(said.starts_with(detail), "{case}: {said}");
        assert_problem(&reply, 422, "invalid-document", Some(&pointer));
        assert_nothing_stored(&app, case).await;
    }
}

#[actix_web::test]
async fn a_body_over_the_limit_is_a_payload_too_large_problem_and_stores_nothing() {
    // Arrange
    let app = spawn_with(|args| args.body_limit = 2000).await;
    let body = seed().to_string().into_bytes();
    assert!(body.len() > 2000, "the seed is {} bytes", body.len());

    // Act
    let reply = app.post_raw(EVALUATIONS, "application/json", &body).await;

    // Assert
    assert_problem(&reply, 413, "payload-too-large", None);
    assert_nothing_stored(&app, "a body over the limit").await;
}

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

// ---------------------------------------------------------------------------------------------
// 12. Operations
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn the_health_check_answers_ok() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let reply = app.get("/healthz").await;

    // Assert
    assert_eq!(reply.status, 200);
    assert_eq!(body_text(&reply), "ok");
}

#[actix_web::test]
async fn every_response_carries_a_request_id_and_echoes_the_callers_own() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    let paths = [
        "/healthz".to_owned(),
        evaluation(id),
        evaluation(id + 1),
        format!("{EVALUATIONS}?limit=0"),
        "/nowhere".to_owned(),
    ];

    for path in &paths {
        // Act
        let plain = app.get(path).await;
        let own = app
            .send(
                app.client
                    .get(app.url(path))
                    .insert_header(("x-request-id", "trace-42")),
                None,
            )
            .await;

        // Assert
        let generated = plain.header("x-request-id").unwrap_or_default();
        assert!(
            uuid::Uuid::parse_str(&generated).is_ok(),
            "GET {path} ({}) got request id {generated:?}",
            plain.status
        );
        assert_eq!(
            own.header("x-request-id").as_deref(),
            Some("trace-42"),
            "GET {path}"
        );
    }
    let created = app.post_json(EVALUATIONS, &form_of("新单位", 2020)).await;
    assert!(created.header("x-request-id").is_some(), "POST");
    let deleted = app.delete(&evaluation(id), None).await;
    assert!(deleted.header("x-request-id").is_some(), "DELETE");
}

#[actix_web::test]
async fn an_unsupported_method_is_a_method_not_allowed_problem_with_allow() {
    // Arrange
    let app = spawn_app().await;
    let cases = [
        ("/api/v1/evaluations/1", "GET, PUT, DELETE, HEAD"),
        ("/api/v1/evaluations", "GET, POST, HEAD"),
    ];

    for (path, allow) in cases {
        // Act
        let reply = app.send(app.client.patch(app.url(path)), None).await;

        // Assert
        assert_problem(&reply, 405, "method-not-allowed", None);
        assert_eq!(
            reply.header("allow").as_deref(),
            Some(allow),
            "PATCH {path}"
        );
    }
}

/// `Allow` lists HEAD wherever GET is served, so HEAD must be answered there.
#[actix_web::test]
async fn head_is_answered_where_allow_lists_it() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);

    for path in [
        evaluation(id),
        EVALUATIONS.to_owned(),
        "/healthz".to_owned(),
    ] {
        // Act
        let reply = app.send(app.client.head(app.url(&path)), None).await;

        // Assert
        assert_eq!(
            reply.status,
            200,
            "HEAD {path}: allow {:?}",
            reply.header("allow")
        );
        assert!(reply.body.is_empty(), "HEAD {path} has no body");
    }
}

#[actix_web::test]
async fn an_unknown_path_is_a_not_found_problem() {
    // Arrange
    let app = spawn_app().await;

    for path in [
        "/nowhere",
        "/api/v2/evaluations",
        "/api/v1/evaluations/1/nothing",
    ] {
        // Act
        let reply = app.get(path).await;

        // Assert
        assert_eq!(reply.status, 404, "GET {path}: {}", body_text(&reply));
        assert_problem(&reply, 404, "not-found", None);
    }
}

#[actix_web::test]
async fn responses_are_gzipped_for_clients_that_accept_it() {
    // Arrange
    let app = spawn_app().await;
    let path = evaluation(id_of(&app.create(&seed()).await));

    // Act
    let identity = app.get(&path).await;
    let gzipped = app
        .send(
            app.client
                .get(app.url(&path))
                .insert_header(("accept-encoding", "gzip")),
            None,
        )
        .await;

    // Assert
    assert_eq!(identity.status, 200);
    assert_eq!(identity.header("content-encoding"), None);
    assert_eq!(gzipped.status, 200);
    assert_eq!(gzipped.header("content-encoding").as_deref(), Some("gzip"));
    assert_eq!(&gzipped.body[..2], [0x1f, 0x8b], "a gzip stream");
    assert!(
        gzipped.body.len() < identity.body.len(),
        "{} gzipped bytes against {}",
        gzipped.body.len(),
        identity.body.len()
    );
}

#[actix_web::test]
async fn a_listed_origin_may_call_the_api_from_a_browser() {
    // Arrange
    let app = spawn_app().await;
    let path = evaluation(id_of(&app.create(&seed()).await));

    // Act
    let simple = app
        .send(
            app.client
                .get(app.url(&path))
                .insert_header(("origin", DASHBOARD)),
            None,
        )
        .await;
    let preflight = app
        .send(
            app.client
                .options(app.url(&path))
                .insert_header(("origin", DASHBOARD))
                .insert_header(("access-control-request-method", "PUT"))
                .insert_header(("access-control-request-headers", "if-match, content-type")),
            None,
        )
        .await;

    // Assert
    assert_eq!(simple.status, 200);
    assert_eq!(
        simple.header("access-control-allow-origin").as_deref(),
        Some(DASHBOARD)
    );
    let exposed = simple
        .header("access-control-expose-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    for header in ["etag", "location", "x-request-id"] {
        assert!(
            exposed.contains(header),
            "{header} is not exposed: {exposed}"
        );
    }
    assert_eq!(preflight.status, 200, "{}", body_text(&preflight));
    assert_eq!(
        preflight.header("access-control-allow-origin").as_deref(),
        Some(DASHBOARD)
    );
    let methods = preflight
        .header("access-control-allow-methods")
        .unwrap_or_default();
    assert!(
        methods.split(',').any(|m| m.trim() == "PUT"),
        "allowed methods: {methods}"
    );
    let headers = preflight
        .header("access-control-allow-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(
        headers.split(',').any(|h| h.trim() == "if-match"),
        "allowed headers: {headers}"
    );
}

#[actix_web::test]
async fn an_unlisted_origin_gets_no_cors_permission() {
    // Arrange
    let app = spawn_app().await;
    let stranger = "https://evil.example.com";

    // Act
    let simple = app
        .send(
            app.client
                .get(app.url("/healthz"))
                .insert_header(("origin", stranger)),
            None,
        )
        .await;
    let preflight = app
        .send(
            app.client
                .options(app.url(EVALUATIONS))
                .insert_header(("origin", stranger))
                .insert_header(("access-control-request-method", "POST")),
            None,
        )
        .await;

    // Assert
    assert_eq!(
        simple.header("access-control-allow-origin"),
        None,
        "GET: {}",
        simple.status
    );
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        None,
        "OPTIONS: {}",
        preflight.status
    );
}

// ---------------------------------------------------------------------------------------------
// 13. Concurrency
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn concurrent_creations_of_distinct_units_all_succeed() {
    // Arrange
    let app = Rc::new(spawn_app().await);
    let requests = (0..20)
        .map(|i| {
            let app = Rc::clone(&app);
            async move {
                app.post_json(EVALUATIONS, &form_of(&format!("单位{i}"), 2020))
                    .await
            }
        })
        .collect();

    // Act
    let replies = concurrently(requests).await;

    // Assert
    assert_eq!(statuses(&replies), [201; 20]);
    let ids: BTreeSet<i64> = replies.iter().map(|r| id_of(&r.json())).collect();
    assert_eq!(ids.len(), 20, "distinct ids: {ids:?}");
    let listed: BTreeSet<i64> = listed_ids(&app, "").await.into_iter().collect();
    assert_eq!(listed, ids);
}

#[actix_web::test]
async fn concurrent_replacements_of_one_version_let_exactly_one_win() {
    // Arrange
    let app = Rc::new(spawn_app().await);
    let id = id_of(&app.create(&seed()).await);
    let requests = (0..10)
        .map(|i| {
            let app = Rc::clone(&app);
            let mut form = seed();
            form["declared_total"] = json!(format!("9{i}"));
            async move { app.put_json(&evaluation(id), &form, Some("\"1\"")).await }
        })
        .collect();

    // Act
    let replies = concurrently(requests).await;

    // Assert
    let mut expected = vec![200];
    expected.extend([412; 9]);
    assert_eq!(statuses(&replies), expected);
    for reply in replies.iter().filter(|r| r.status == 412) {
        assert_problem(reply, 412, "precondition-failed", None);
    }
    let winner = replies
        .iter()
        .find(|r| r.status == 200)
        .expect("a winner")
        .json();
    let stored = app.get(&evaluation(id)).await.json();
    assert_eq!(stored["version"], 2);
    assert_eq!(stored, winner, "the stored evaluation is the winner's");
}

#[actix_web::test]
async fn concurrent_creations_of_the_same_form_store_it_once() {
    // Arrange
    let app = Rc::new(spawn_app().await);
    let requests = (0..10)
        .map(|_| {
            let app = Rc::clone(&app);
            async move { app.post_json(EVALUATIONS, &seed()).await }
        })
        .collect();

    // Act
    let replies = concurrently(requests).await;

    // Assert
    let mut expected = vec![201];
    expected.extend([409; 9]);
    assert_eq!(statuses(&replies), expected);
    for reply in replies.iter().filter(|r| r.status == 409) {
        assert_problem(reply, 409, "conflict", None);
    }
    let created = replies
        .iter()
        .find(|r| r.status == 201)
        .expect("a winner")
        .json();
    assert_eq!(listed_ids(&app, "").await, [id_of(&created)]);
}

// ---------------------------------------------------------------------------------------------
// 14. Examples
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn the_examples_are_loaded_into_an_empty_database_once() {
    // Arrange: every example file, the seed among them.
    let examples = std::fs::read_dir(data_dir().join("examples"))
        .expect("the examples folder")
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "json"))
        .count();
    assert!(examples >= 1, "data/examples holds the seed");
    let first = spawn_with(|args| args.no_examples = false).await;
    let db = first.db_path.clone();

    // Act
    let loaded = page(&first, "").await;
    let second = spawn_with(move |args| {
        args.db = db;
        args.no_examples = false;
    })
    .await;
    let reloaded = page(&second, "").await;

    // Assert
    let items = loaded["items"].as_array().expect("items");
    assert_eq!(
        items.len(),
        examples,
        "one evaluation per example file: {loaded}"
    );
    let seeds: Vec<&Value> = items
        .iter()
        .filter(|item| item["unit"] == json!({ "name": SEED_UNIT }))
        .collect();
    assert_eq!(seeds.len(), 1, "{loaded}");
    assert_eq!(seeds[0]["total"], "93.55");
    assert_eq!(seeds[0]["declared_total"], "92");
    assert_eq!(
        seeds[0]["grade"],
        json!({ "code": "excellent", "label": "优秀" })
    );
    assert_eq!(
        ids_on(&reloaded),
        ids_on(&loaded),
        "the second start loads nothing"
    );
    assert_eq!(ids_on(&page(&first, "").await), ids_on(&loaded));
    let stored = first.get(&evaluation(id_of(seeds[0]))).await.json();
    assert_eq!(
        document_of(&stored),
        seed(),
        "the example is stored as written"
    );
}

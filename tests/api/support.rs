//! Helpers and fixture forms shared by the evaluation tests.
#![allow(
    dead_code,
    unused_imports,
    reason = "each test module uses its own share"
)]

// Re-exported so that every test module starts with `use crate::support::*;`.
pub(crate) use std::collections::BTreeSet;
pub(crate) use std::future::Future;
pub(crate) use std::rc::Rc;

pub(crate) use serde_json::{Value, json};

pub(crate) use crate::helpers::{
    Reply, TestApp, assert_problem, data_dir, form_of, seed, spawn_app, spawn_with,
};

pub(crate) const EVALUATIONS: &str = "/api/v1/evaluations";
pub(crate) const SEED_UNIT: &str = "衡阳县工伤保险服务中心";
pub(crate) const SEED_TEXT: &str =
    include_str!("../../data/examples/hengyang-2020-department.json");
pub(crate) const DASHBOARD: &str = "https://dashboard.example.org";

// ---------------------------------------------------------------------------------------------
// Small helpers over the shared harness
// ---------------------------------------------------------------------------------------------

pub(crate) fn evaluation(id: i64) -> String {
    format!("{EVALUATIONS}/{id}")
}

pub(crate) fn id_of(stored: &Value) -> i64 {
    stored["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id: {stored}"))
}

pub(crate) fn body_text(reply: &Reply) -> String {
    String::from_utf8_lossy(&reply.body).into_owned()
}

/// A stored evaluation without what the service adds: the document as it was submitted.
pub(crate) fn document_of(stored: &Value) -> Value {
    let mut document = stored.clone();
    let fields = document
        .as_object_mut()
        .expect("an evaluation is an object");
    for added in [
        "id",
        "version",
        "created_at",
        "updated_at",
        "status",
        "overdue",
        "result",
        "completeness",
    ] {
        assert!(
            fields.remove(added).is_some(),
            "the evaluation has no `{added}`"
        );
    }
    document
}

/// Each finding as (code, severity, path, expected, actual), in the order reported.
pub(crate) fn findings(result: &Value) -> Vec<(String, String, String, String, String)> {
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

pub(crate) fn finding(
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
pub(crate) fn encode(value: &str) -> String {
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
pub(crate) async fn page(app: &TestApp, query: &str) -> Value {
    let reply = app.get(&format!("{EVALUATIONS}?{query}")).await;
    assert_eq!(reply.status, 200, "?{query}: {}", body_text(&reply));
    reply.json()
}

pub(crate) fn ids_on(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items: {page}"))
        .iter()
        .map(id_of)
        .collect()
}

pub(crate) async fn listed_ids(app: &TestApp, query: &str) -> Vec<i64> {
    let page = page(app, query).await;
    assert!(
        page["next_cursor"].is_null(),
        "?{query} fits one page: {page}"
    );
    ids_on(&page)
}

pub(crate) async fn assert_nothing_stored(app: &TestApp, after: &str) {
    let ids = listed_ids(app, "").await;
    assert!(ids.is_empty(), "after {after} the list holds {ids:?}");
}

/// Follows `next_cursor` from the first page to the last; returns the ids in order and the
/// number of pages.
pub(crate) async fn walk(app: &TestApp, sort: &str, limit: usize) -> (Vec<i64>, usize) {
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
pub(crate) async fn concurrently<F>(requests: Vec<F>) -> Vec<Reply>
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

pub(crate) fn statuses(replies: &[Reply]) -> Vec<u16> {
    let mut statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    statuses.sort_unstable();
    statuses
}

// ---------------------------------------------------------------------------------------------
// Forms
// ---------------------------------------------------------------------------------------------

/// The seed as a project form of `unit`: a project, and a `source` breakdown.
pub(crate) fn project_of(unit: &str, year: i64, project: &str) -> Value {
    let mut form = form_of(unit, year);
    form["kind"] = json!("project");
    form["project"] = json!({ "name": project });
    form["funds"]["breakdown"] = json!([
        { "group": "source", "name": "当年财政拨款", "annual_budget": "254.48", "executed": "239.31" }
    ]);
    form
}

/// Spent 200 of 254.48 and opened 150 of 300 accounts: 87.01, 良好.
pub(crate) fn good(mut form: Value) -> Value {
    form["funds"]["executed"] = json!("200");
    form["indicators"][0]["children"][0]["children"][0]["actual"] = json!("150");
    form
}

/// Spent 150, opened no accounts, audited half: 75.04, 较差.
pub(crate) fn fair(mut form: Value) -> Value {
    form["funds"]["executed"] = json!("150");
    form["indicators"][0]["children"][0]["children"][0]["actual"] = json!("0");
    form["indicators"][0]["children"][1]["children"][0]["actual"] = json!("50%");
    form
}

/// Spent 100 and missed three output targets entirely: 58.08, 差.
pub(crate) fn poor(mut form: Value) -> Value {
    form["funds"]["executed"] = json!("100");
    let output = &mut form["indicators"][0]["children"];
    output[0]["children"][0]["actual"] = json!("0");
    output[1]["children"][0]["actual"] = json!("0%");
    output[2]["children"][0]["actual"] = json!("0%");
    form
}

pub(crate) const FINANCE: &str = "衡阳县财政局";
pub(crate) const FINANCE_CODE: &str = "430421001";

pub(crate) fn finance(year: i64) -> Value {
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
pub(crate) fn seven_forms() -> Vec<Value> {
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

pub(crate) const SEVEN_TOTALS: [&str; 7] = [
    "93.55", "87.01", "58.08", "93.55", "75.04", "87.01", "93.55",
];

/// Stores the seven forms; returns them as stored, in the table's order.
pub(crate) async fn store_seven(app: &TestApp) -> Vec<Value> {
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
pub(crate) fn summary_of(stored: &Value) -> Value {
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
        "status": stored["status"],
        "overdue": stored["overdue"],
        "complete": stored["completeness"]["complete"],
        "ruleset": result["ruleset"],
        "total": result["total"],
        "grade": result["grade"],
        "grade_source": "rule",
        "rule_grade": result["grade"],
        "declared_grade": match result["declared"]["grade_code"].as_str() {
            Some(code) => json!({ "code": code, "label": stored["declared_grade"] }),
            None => Value::Null,
        },
        "review_grade": result["review"]["grade"],
        "declared_total": stored["declared_total"],
        "findings": { "error": count("error"), "warning": count("warning"), "info": count("info") },
        "updated_at": stored["updated_at"],
    });
    if let Some(project) = stored.get("project") {
        summary["project_name"] = project["name"].clone();
    }
    summary
}

/// Sets the submission deadline of a year's forms of a kind.
pub(crate) async fn set_deadline(app: &TestApp, year: i64, kind: &str, due_on: &str) -> Reply {
    let request = app
        .client
        .put(app.url(&format!("/api/v1/deadlines/{year}/{kind}")))
        .insert_header(("content-type", "application/json"));
    let body = json!({ "due_on": due_on }).to_string();
    app.send(request, Some(body.as_bytes())).await
}

// ---------------------------------------------------------------------------------------------
// Review lifecycle
// ---------------------------------------------------------------------------------------------

/// Posts a lifecycle transition with an optional comment and `If-Match`.
pub(crate) async fn move_to(
    app: &TestApp,
    id: i64,
    transition: &str,
    comment: Option<&str>,
    if_match: Option<&str>,
) -> Reply {
    let mut request = app
        .client
        .post(app.url(&format!("{}/{transition}", evaluation(id))))
        .insert_header(("content-type", "application/json"));
    if let Some(tag) = if_match {
        request = request.insert_header(("if-match", tag));
    }
    let body = comment
        .map(|c| json!({ "comment": c }).to_string())
        .unwrap_or_default();
    app.send(request, Some(body.as_bytes())).await
}

/// Posts a transition with the `ETag` just read, and asserts that it leads to `status`.
pub(crate) async fn expect_status(
    app: &TestApp,
    id: i64,
    transition: &str,
    comment: Option<&str>,
    status: &str,
) -> Value {
    let tag = app.etag(id).await;
    let reply = move_to(app, id, transition, comment, Some(&tag)).await;
    assert_eq!(reply.status, 200, "{transition}: {}", body_text(&reply));
    let stored = reply.json();
    assert_eq!(stored["status"], status, "{transition}");
    stored
}

// ---------------------------------------------------------------------------------------------
// The unit registry
// ---------------------------------------------------------------------------------------------

/// The seed as the form of the unit `name` with budget code `code`.
pub(crate) fn coded_form(name: &str, code: &str, year: i64) -> Value {
    let mut form = form_of(name, year);
    form["unit"]["code"] = json!(code);
    form
}

/// Registers a unit (as `app`'s caller), asserting that it is accepted.
pub(crate) async fn register(
    app: &TestApp,
    code: &str,
    name: &str,
    department: Option<&str>,
    region: Option<&str>,
) -> Value {
    let mut body = json!({ "name": name });
    if let Some(department) = department {
        body["department"] = json!(department);
    }
    if let Some(region) = region {
        body["region"] = json!(region);
    }
    let reply = app
        .put_json(&format!("/api/v1/units/{code}"), &body, None)
        .await;
    assert_eq!(reply.status, 200, "{}", body_text(&reply));
    reply.json()
}

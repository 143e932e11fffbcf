//! Many forms in one request and every matching form in one response, as NDJSON; and many
//! single creates committed together by the writer.

use crate::support::*;

const NDJSON: &str = "application/x-ndjson";

fn ndjson(forms: &[Value]) -> Vec<u8> {
    let mut body = String::new();
    for form in forms {
        body.push_str(&form.to_string());
        body.push('\n');
    }
    body.into_bytes()
}

/// The result lines of an NDJSON answer.
fn lines(reply: &Reply) -> Vec<Value> {
    body_text(reply)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

fn problem_code(line: &Value) -> String {
    line["problem"]["type"]
        .as_str()
        .unwrap_or_default()
        .trim_start_matches("urn:jixiao:problem:")
        .to_owned()
}

#[actix_web::test]
async fn an_ndjson_body_stores_each_good_line_and_answers_each_line_in_order() {
    // Arrange: good, malformed, blank, duplicate of the first, invalid, good.
    let mut invalid = form_of("单位丙", 2020);
    invalid["fiscal_year"] = json!("not a year");
    let mut body = Vec::new();
    body.extend(ndjson(&[form_of("单位甲", 2020)]));
    body.extend(b"{not json\n\n");
    body.extend(ndjson(&[
        form_of("单位甲", 2020),
        invalid,
        form_of("单位乙", 2020),
    ]));
    let app = spawn_app().await;

    // Act
    let reply = app.post_raw(EVALUATIONS, NDJSON, &body).await;

    // Assert
    assert_eq!(reply.status, 207, "{}", body_text(&reply));
    assert_eq!(reply.content_type(), NDJSON);
    let results = lines(&reply);
    let numbers: Vec<u64> = results
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2, 4, 5, 6], "{results:?}");
    let codes: Vec<String> = results.iter().map(problem_code).collect();
    assert_eq!(
        codes,
        ["", "malformed-json", "conflict", "invalid-document", ""],
        "{results:?}"
    );
    assert_eq!(results[3]["problem"]["status"], 422);
    assert_eq!(
        results[3]["problem"]["errors"][0]["pointer"],
        "/fiscal_year"
    );
    let stored: BTreeSet<i64> = [&results[0], &results[4]]
        .iter()
        .map(|r| {
            assert_eq!(r["version"], 1);
            id_of(r)
        })
        .collect();
    let listed: BTreeSet<i64> = listed_ids(&app, "").await.into_iter().collect();
    assert_eq!(listed, stored);
    let read = app.get(&evaluation(id_of(&results[4]))).await.json();
    assert_eq!(read["unit"]["name"], "单位乙");
    assert!(read["result"]["total"].is_string(), "scored: {read}");
    let history = app
        .get(&format!("{}/history", evaluation(id_of(&results[0]))))
        .await;
    assert_eq!(history.status, 200, "{}", body_text(&history));
}

#[actix_web::test]
async fn an_atomic_ndjson_body_stores_every_line() {
    // Arrange
    let forms: Vec<Value> = (0..5).map(|i| form_of(&format!("单位{i}"), 2021)).collect();
    let app = spawn_app().await;

    // Act
    let reply = app
        .post_raw(
            &format!("{EVALUATIONS}?atomic=true"),
            NDJSON,
            &ndjson(&forms),
        )
        .await;

    // Assert
    assert_eq!(reply.status, 207, "{}", body_text(&reply));
    let results = lines(&reply);
    assert_eq!(results.len(), 5);
    assert!(results.iter().all(|r| r["id"].is_i64()), "{results:?}");
    assert_eq!(listed_ids(&app, "").await.len(), 5);
}

#[actix_web::test]
async fn an_atomic_ndjson_body_with_a_bad_line_stores_nothing_and_names_the_bad_lines() {
    // Arrange: line 3 repeats line 1, line 4 is not JSON.
    let mut body = ndjson(&[
        form_of("单位甲", 2021),
        form_of("单位乙", 2021),
        form_of("单位甲", 2021),
    ]);
    body.extend(b"[]\n");
    let app = spawn_app().await;

    // Act
    let reply = app
        .post_raw(&format!("{EVALUATIONS}?atomic=true"), NDJSON, &body)
        .await;

    // Assert
    assert_eq!(reply.status, 422, "{}", body_text(&reply));
    let results = lines(&reply);
    let numbers: Vec<u64> = results
        .iter()
        .map(|r| r["line"].as_u64().unwrap_or_else(|| panic!("{results:?}")))
        .collect();
    assert_eq!(
        numbers,
        [4],
        "a line that cannot be read is named first: {results:?}"
    );
    assert_nothing_stored(&app, "a refused atomic body").await;

    // Act: only the duplicate is wrong now.
    let body = ndjson(&[
        form_of("单位甲", 2021),
        form_of("单位乙", 2021),
        form_of("单位甲", 2021),
    ]);
    let reply = app
        .post_raw(&format!("{EVALUATIONS}?atomic=true"), NDJSON, &body)
        .await;

    // Assert
    assert_eq!(reply.status, 422, "{}", body_text(&reply));
    let results = lines(&reply);
    assert_eq!(results.len(), 1, "{results:?}");
    assert_eq!(results[0]["line"], 3);
    assert_eq!(problem_code(&results[0]), "conflict");
    assert_nothing_stored(&app, "an atomic body with a duplicate").await;
}

#[actix_web::test]
async fn a_unit_token_is_refused_each_line_of_another_units_code() {
    // Arrange
    let app = spawn_app().await;
    let unit = app.as_caller(Some(&app.issue("unit", &[FINANCE_CODE]).await));
    let body = ndjson(&[
        coded_form("衡阳县财政局", FINANCE_CODE, 2020),
        coded_form("衡阳县教育局", "430421002", 2020),
        coded_form("衡阳县财政局", FINANCE_CODE, 2021),
    ]);

    // Act
    let reply = unit.post_raw(EVALUATIONS, NDJSON, &body).await;

    // Assert
    assert_eq!(reply.status, 207, "{}", body_text(&reply));
    let results = lines(&reply);
    assert!(results[0]["id"].is_i64(), "{results:?}");
    assert_eq!(results[1]["problem"]["status"], 403, "{results:?}");
    assert!(results[2]["id"].is_i64(), "{results:?}");
    assert_eq!(
        listed_ids(&app.as_caller(Some(&app.admin)), "").await.len(),
        2
    );
}

#[actix_web::test]
async fn a_line_over_the_body_limit_is_refused_alone() {
    // Arrange
    let app = spawn_with(|args| args.body_limit = 64 * 1024).await;
    let mut huge = form_of("单位乙", 2020);
    huge["project"] = json!({ "name": "x".repeat(70 * 1024) });
    let body = ndjson(&[form_of("单位甲", 2020), huge, form_of("单位丙", 2020)]);

    // Act
    let reply = app.post_raw(EVALUATIONS, NDJSON, &body).await;

    // Assert
    assert_eq!(reply.status, 207, "{}", body_text(&reply));
    let results = lines(&reply);
    let codes: Vec<String> = results.iter().map(problem_code).collect();
    assert_eq!(codes, ["", "payload-too-large", ""], "{results:?}");
}

#[actix_web::test]
async fn a_body_over_the_bulk_limit_is_refused_before_anything_is_stored() {
    // Arrange
    let app = spawn_with(|args| args.bulk_limit = 4 * 1024).await;
    let body = ndjson(&[form_of("单位甲", 2020), form_of("单位乙", 2020)]);

    // Act
    let reply = app.post_raw(EVALUATIONS, NDJSON, &body).await;

    // Assert
    assert_problem(&reply, 413, "payload-too-large", None);
    assert_nothing_stored(&app, "a body over the bulk limit").await;
}

#[actix_web::test]
async fn many_concurrent_creates_are_each_stored_except_the_one_duplicate() {
    // Arrange
    let app = Rc::new(spawn_app().await);
    let mut forms: Vec<Value> = (0..40)
        .map(|i| form_of(&format!("单位{i}"), 2020))
        .collect();
    forms.push(form_of("单位7", 2020));
    let requests = forms
        .into_iter()
        .map(|form| {
            let app = Rc::clone(&app);
            async move { app.post_json(EVALUATIONS, &form).await }
        })
        .collect();

    // Act
    let replies = concurrently(requests).await;

    // Assert
    let mut expected = vec![201; 40];
    expected.push(409);
    assert_eq!(statuses(&replies), expected);
    let conflict = replies.iter().find(|r| r.status == 409).unwrap();
    assert_problem(conflict, 409, "conflict", None);
    let ids: BTreeSet<i64> = replies
        .iter()
        .filter(|r| r.status == 201)
        .map(|r| id_of(&r.json()))
        .collect();
    let listed: BTreeSet<i64> = listed_ids(&app, "limit=100").await.into_iter().collect();
    assert_eq!(listed, ids);
    for id in ids {
        let history = app.get(&format!("{}/history", evaluation(id))).await;
        assert_eq!(history.status, 200, "{}", body_text(&history));
    }
}

#[actix_web::test]
async fn the_ndjson_list_streams_every_match_as_read_one_by_one() {
    // Arrange: more forms than one chunk of the stream, over two years.
    let app = spawn_app().await;
    let forms: Vec<Value> = (0..300)
        .map(|i| form_of(&format!("单位{i}"), 2020 + i % 2))
        .collect();
    let reply = app.post_raw(EVALUATIONS, NDJSON, &ndjson(&forms)).await;
    assert_eq!(reply.status, 207);
    let get_ndjson = |query: &str| {
        let request = app
            .client
            .get(app.url(&format!("{EVALUATIONS}?{query}")))
            .insert_header(("accept", NDJSON));
        app.send(request, None)
    };

    // Act
    let all = get_ndjson("").await;
    let year = get_ndjson("fiscal_year=2021&sort=-id").await;

    // Assert
    assert_eq!(all.status, 200, "{}", body_text(&all));
    assert_eq!(all.content_type(), NDJSON);
    let all = lines(&all);
    let counted = page(&app, "include_count=true").await["total_count"].clone();
    assert_eq!(json!(all.len()), counted);
    let ids: Vec<i64> = all.iter().map(id_of).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted, "every form once, by id");
    let one = app.get(&evaluation(ids[17])).await.json();
    assert_eq!(all[17], one, "a line is the form as read alone");
    let year = lines(&year);
    let counted = page(&app, "fiscal_year=2021&include_count=true").await["total_count"].clone();
    assert_eq!(json!(year.len()), counted);
    assert!(year.iter().all(|f| f["fiscal_year"] == 2021));
    let ids: Vec<i64> = year.iter().map(id_of).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "sorted newest first");
}

//! Conditional reads and what caches may keep: `If-None-Match` answered 304 on every tagged
//! representation, never for a form the caller may not see, with `Cache-Control` and `Vary`.

use crate::support::*;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A GET with extra request headers.
async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = app.client.get(app.url(path));
    for (name, value) in headers {
        request = request.insert_header((*name, *value));
    }
    app.send(request, None).await
}

/// Every tagged representation of form `id`: a name for messages, the path and the `Accept`.
fn representations(id: i64) -> Vec<(&'static str, String, &'static str)> {
    let form = evaluation(id);
    vec![
        ("json", form.clone(), "application/json"),
        ("grid", format!("{form}/form"), "application/json"),
        ("grid as html", format!("{form}/form"), "text/html"),
        ("grid as xlsx", format!("{form}/form"), XLSX),
        ("html", format!("{form}/form.html"), "*/*"),
        (
            "annotated html",
            format!("{form}/form.html?annotate=true"),
            "*/*",
        ),
        ("xlsx", format!("{form}/form.xlsx"), "*/*"),
    ]
}

/// A stored form taken through review to approved: its JSON is sent 304 as well.
async fn approved(app: &TestApp) -> i64 {
    let id = id_of(&app.create(&seed()).await);
    expect_status(app, id, "submit", None, "submitted").await;
    expect_status(app, id, "approve", None, "approved").await;
    id
}

#[actix_web::test]
async fn a_current_tag_gets_304_on_every_tagged_representation() {
    // Arrange
    let app = spawn_app().await;
    let id = approved(&app).await;

    // Compressed where it helps, as most clients ask: `Vary` must read the same on the 304.
    for (name, path, accept) in representations(id) {
        let first = get_with(
            &app,
            &path,
            &[("accept", accept), ("accept-encoding", "gzip")],
        )
        .await;
        assert_eq!(first.status, 200, "{name}: {}", body_text(&first));
        let tag = first.header("etag").expect("an ETag");
        let weak = format!("W/{}", tag.trim_start_matches("W/"));
        let listed = format!("\"elsewhere\", {tag}");

        for held in [tag.as_str(), weak.as_str(), listed.as_str(), "*"] {
            // Act
            let again = get_with(
                &app,
                &path,
                &[
                    ("accept", accept),
                    ("accept-encoding", "gzip"),
                    ("if-none-match", held),
                ],
            )
            .await;

            // Assert
            assert_eq!(
                again.status,
                304,
                "{name} with {held}: {}",
                body_text(&again)
            );
            assert!(again.body.is_empty(), "{name}: a 304 has no body");
            assert_eq!(again.header("etag"), Some(tag.clone()), "{name}");
            assert_eq!(
                again.header("cache-control"),
                first.header("cache-control"),
                "{name}"
            );
            assert_eq!(again.header("vary"), first.header("vary"), "{name}");
        }
    }
}

#[actix_web::test]
async fn a_stale_tag_gets_the_current_representation() {
    // Arrange
    let app = spawn_app().await;
    let id = approved(&app).await;
    let mut held = Vec::new();
    for (name, path, accept) in representations(id) {
        let reply = get_with(&app, &path, &[("accept", accept)]).await;
        held.push((name, path, accept, reply.header("etag").expect("an ETag")));
    }
    expect_status(&app, id, "reopen", Some("a figure is wrong"), "draft").await;
    expect_status(&app, id, "submit", None, "submitted").await;

    for (name, path, accept, old) in &held {
        // Act
        let reply = get_with(&app, path, &[("accept", accept), ("if-none-match", old)]).await;

        // Assert
        assert_eq!(reply.status, 200, "{name} after two new versions");
        assert_ne!(reply.header("etag").as_ref(), Some(old), "{name}");
        assert!(!reply.body.is_empty(), "{name}");
    }
}

#[actix_web::test]
async fn each_representation_has_its_own_tag_and_the_json_keeps_its_version() {
    // Arrange
    let app = spawn_app().await;
    let id = approved(&app).await;
    let mut tags = Vec::new();
    for (name, path, accept) in representations(id) {
        let reply = get_with(&app, &path, &[("accept", accept)]).await;
        tags.push((name, reply.header("etag").expect("an ETag")));
    }

    // Act
    let mut answers = Vec::new();
    for (name, path, accept) in representations(id) {
        let own = &tags.iter().find(|(n, _)| *n == name).expect("its tag").1;
        let others: Vec<&str> = tags
            .iter()
            .map(|(_, tag)| tag.as_str())
            .filter(|tag| tag != own)
            .collect();
        let reply = get_with(
            &app,
            &path,
            &[("accept", accept), ("if-none-match", &others.join(", "))],
        )
        .await;
        answers.push((name, reply.status));
    }

    // Assert
    assert!(
        answers.iter().all(|(_, status)| *status == 200),
        "{answers:?}"
    );
    let json = get_with(&app, &evaluation(id), &[]).await.json();
    assert_eq!(
        tags[0].1,
        format!("\"{}\"", json["version"]),
        "If-Match's tag"
    );
    // The same rendering under two paths is one representation; the others differ.
    assert_eq!(tags[2].1, tags[4].1, "{tags:?}");
    assert_eq!(tags[3].1, tags[6].1, "{tags:?}");
    let distinct: BTreeSet<&str> = tags.iter().map(|(_, tag)| tag.as_str()).collect();
    assert_eq!(distinct.len(), tags.len() - 2, "{tags:?}");
    // A workbook records when it was written, so its bytes are new each time: a weak tag.
    for (name, tag) in &tags {
        assert_eq!(
            tag.starts_with("W/"),
            name.contains("xlsx"),
            "{name}: {tag}"
        );
    }
}

#[actix_web::test]
async fn a_draft_is_sent_whole_as_json_since_it_can_fall_overdue_without_a_new_version() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    let tag = app.etag(id).await;
    let page = get_with(&app, &format!("{}/form.html", evaluation(id)), &[]).await;
    let page_tag = page.header("etag").expect("an ETag");
    let deadline = json!({ "due_on": "2021-01-31" });
    let set = app
        .put_json("/api/v1/deadlines/2020/department", &deadline, None)
        .await;
    assert_eq!(set.status, 200, "{}", body_text(&set));

    // Act
    let json = get_with(&app, &evaluation(id), &[("if-none-match", &tag)]).await;
    let page = get_with(
        &app,
        &format!("{}/form.html", evaluation(id)),
        &[("if-none-match", &page_tag)],
    )
    .await;

    // Assert
    assert_eq!(json.status, 200);
    assert_eq!(json.header("etag"), Some(tag), "the version is unchanged");
    assert_eq!(json.json()["overdue"], true, "what a 304 would have hidden");
    assert_eq!(page.status, 304, "the page does not show `overdue`");
}

#[actix_web::test]
async fn no_condition_reveals_a_form_the_caller_may_not_read() {
    // Arrange
    let app = spawn_app().await;
    let own = app.as_caller(Some(&app.issue("unit", &[FINANCE_CODE]).await));
    let other = app.as_caller(Some(&app.issue("unit", &["430421002"]).await));
    let id = id_of(&own.create(&finance(2021)).await);
    let tag = own.etag(id).await;

    // Another unit is told the form does not exist; an anonymous caller that it needs a token.
    let anonymous = app.anonymous();
    for (caller, status, code) in [
        (&other, 404, "not-found"),
        (&anonymous, 401, "unauthenticated"),
    ] {
        for (name, path, accept) in representations(id) {
            for held in ["*", tag.as_str(), "\"1-html-national-2020.1\""] {
                // Act
                let reply = get_with(
                    caller,
                    &path,
                    &[("accept", accept), ("if-none-match", held)],
                )
                .await;

                // Assert
                assert_problem(&reply, status, code, None);
                assert_eq!(reply.header("etag"), None, "{name} with {held}");
                assert_eq!(reply.header("cache-control").as_deref(), Some("no-store"));
            }
        }
    }
    let mine = get_with(&own, &format!("{}/form.html", evaluation(id)), &[]).await;
    let held = mine.header("etag").expect("an ETag");
    let reply = get_with(
        &own,
        &format!("{}/form.html", evaluation(id)),
        &[("if-none-match", &held)],
    )
    .await;
    assert_eq!(reply.status, 304, "the owner's own copy is current");
}

#[actix_web::test]
async fn a_head_request_is_answered_as_the_get_it_mirrors() {
    // Arrange
    let app = spawn_app().await;
    let id = approved(&app).await;
    let path = format!("{}/form.html", evaluation(id));
    let got = get_with(&app, &path, &[]).await;
    let tag = got.header("etag").expect("an ETag");

    // Act
    let head = app.send(app.client.head(app.url(&path)), None).await;
    let held = app
        .send(
            app.client
                .head(app.url(&path))
                .insert_header(("if-none-match", tag.as_str())),
            None,
        )
        .await;

    // Assert
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    for name in ["etag", "cache-control", "vary", "content-type"] {
        assert_eq!(head.header(name), got.header(name), "{name}");
    }
    assert_eq!(held.status, 304);
    assert_eq!(held.header("etag"), Some(tag));
}

#[actix_web::test]
async fn publishing_a_ruleset_changes_the_tags_of_the_pages_that_print_its_legend() {
    // Arrange
    let app = spawn_app().await;
    let mut form = seed();
    form["ruleset"] = json!("national-2020");
    let id = id_of(&app.create(&form).await);
    let path = format!("{}/form.html", evaluation(id));
    let before = get_with(&app, &path, &[])
        .await
        .header("etag")
        .expect("an ETag");
    let mut ruleset = app.get("/api/v1/rulesets/national-2020").await.json();
    ruleset["version"] = json!(ruleset["version"].as_i64().unwrap() + 1);
    ruleset["grade_bands"][0]["label"] = json!("优秀");
    let published = app
        .put_json("/api/v1/rulesets/national-2020", &ruleset, None)
        .await;
    assert_eq!(published.status, 200, "{}", body_text(&published));

    // Act
    let after = get_with(&app, &path, &[("if-none-match", &before)]).await;

    // Assert
    assert_eq!(after.status, 200, "the legend changed");
    assert!(body_text(&after).contains("优秀（S≥90）"), "the new legend");
}

#[actix_web::test]
async fn responses_say_who_may_keep_them_and_what_they_vary_on() {
    // Arrange
    let app = spawn_app().await;
    let id = approved(&app).await;
    let draft = id_of(&app.create(&form_of("别的单位", 2020)).await);
    let anonymous = app.anonymous();
    let vary = |reply: &Reply| -> BTreeSet<String> {
        reply
            .header("vary")
            .unwrap_or_default()
            .split(',')
            .map(|name| name.trim().to_ascii_lowercase())
            .collect()
    };
    let set =
        |names: &[&str]| -> BTreeSet<String> { names.iter().map(|n| (*n).to_owned()).collect() };

    // Act & Assert: what a token reads is private; what anyone may read is public.
    for (caller, expected) in [
        (&app, "private, no-cache"),
        (&anonymous, "public, no-cache"),
    ] {
        for path in [
            evaluation(id),
            format!("{}/form.html", evaluation(id)),
            format!("{}/form.xlsx", evaluation(id)),
            EVALUATIONS.to_owned(),
        ] {
            let reply = caller.get(&path).await;
            assert_eq!(reply.status, 200, "{path}");
            assert_eq!(
                reply.header("cache-control").as_deref(),
                Some(expected),
                "{path}"
            );
            assert!(
                vary(&reply).is_superset(&set(&["authorization", "accept-encoding"])),
                "{path}: {:?}",
                reply.header("vary")
            );
        }
    }
    let draft_read = app.get(&evaluation(draft)).await;
    assert_eq!(
        draft_read.header("cache-control").as_deref(),
        Some("private, no-cache")
    );
    // Negotiated responses vary on Accept as well.
    for path in [EVALUATIONS.to_owned(), format!("{}/form", evaluation(id))] {
        let reply = get_with(&app, &path, &[("accept", "text/csv")]).await;
        assert!(vary(&reply).contains("accept"), "{path}");
    }
    assert!(!vary(&app.get(&evaluation(id)).await).contains("accept"));
    // Errors and writes are kept by nobody; a token's secret least of all.
    let missing = app.get(&evaluation(draft + 100)).await;
    assert_eq!(missing.header("cache-control").as_deref(), Some("no-store"));
    let tag = app.etag(draft).await;
    let replaced = app
        .put_json(&evaluation(draft), &form_of("别的单位", 2020), Some(&tag))
        .await;
    assert_eq!(replaced.status, 200);
    assert_eq!(
        replaced.header("cache-control").as_deref(),
        Some("no-store")
    );
    let issued = app
        .post_json("/api/v1/tokens", &json!({ "role": "reviewer" }))
        .await;
    assert_eq!(issued.status, 201);
    assert_eq!(issued.header("cache-control").as_deref(), Some("no-store"));
}

#[actix_web::test]
async fn a_browser_dashboard_may_send_if_none_match_and_read_the_tag() {
    // Arrange
    let app = spawn_app().await;
    let id = approved(&app).await;

    // Act
    let preflight = app
        .send(
            app.client
                .options(app.url(&evaluation(id)))
                .insert_header(("origin", DASHBOARD))
                .insert_header(("access-control-request-method", "GET"))
                .insert_header(("access-control-request-headers", "if-none-match")),
            None,
        )
        .await;

    // Assert
    assert_eq!(preflight.status, 200, "{}", body_text(&preflight));
    let allowed = preflight
        .header("access-control-allow-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(allowed.contains("if-none-match"), "{allowed}");
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read as _;
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut plain)
        .expect("a gzip body");
    plain
}

#[actix_web::test]
async fn a_kept_form_is_sent_gzipped_to_clients_that_ask_and_reads_as_the_plain_one() {
    // Arrange
    let app = spawn_app().await;
    let id = approved(&app).await;
    let mut other = seed();
    other["unit"] = json!({ "name": "另一单位", "code": "999001" });
    let draft = id_of(&app.create(&other).await);
    let set = app
        .put_json(
            "/api/v1/deadlines/2020/department",
            &json!({ "due_on": "2021-01-31" }),
            None,
        )
        .await;
    assert_eq!(set.status, 200, "{}", body_text(&set));
    let mut paths: Vec<(String, String, &str)> = representations(id)
        .into_iter()
        .map(|(name, path, accept)| (name.to_owned(), path, accept))
        .collect();
    // An overdue draft: its kept bytes are written over, so it is compressed at the read.
    paths.push((
        "overdue draft".into(),
        evaluation(draft),
        "application/json",
    ));

    for (name, path, accept) in &paths {
        let plain = get_with(&app, path, &[("accept", accept)]).await;
        assert_eq!(plain.status, 200, "{name}: {}", body_text(&plain));
        assert_eq!(plain.header("content-encoding"), None, "{name}");
        // Twice: rendered and kept, then from what was kept.
        for round in 0..2 {
            // Act
            let zipped = get_with(
                &app,
                path,
                &[
                    ("accept", accept),
                    ("accept-encoding", "deflate;q=0.5, gzip"),
                ],
            )
            .await;
            let refused = get_with(
                &app,
                path,
                &[
                    ("accept", accept),
                    ("accept-encoding", "gzip;q=0, identity"),
                ],
            )
            .await;

            // Assert
            assert_eq!(zipped.status, 200, "{name} {round}");
            assert_eq!(zipped.header("etag"), plain.header("etag"), "{name}");
            assert_eq!(refused.header("content-encoding"), None, "{name} {round}");
            if *accept == XLSX || path.ends_with("form.xlsx") {
                assert_eq!(
                    zipped.header("content-encoding"),
                    None,
                    "{name}: a zip already"
                );
                continue;
            }
            assert_eq!(
                zipped.header("content-encoding").as_deref(),
                Some("gzip"),
                "{name} {round}"
            );
            assert_eq!(gunzip(&zipped.body), plain.body, "{name} {round}");
            assert_eq!(refused.body, plain.body, "{name} {round}");
        }
    }
    let overdue = get_with(&app, &evaluation(draft), &[("accept-encoding", "gzip")]).await;
    let overdue: serde_json::Value = serde_json::from_slice(&gunzip(&overdue.body)).unwrap();
    assert_eq!(overdue["overdue"], true);
}

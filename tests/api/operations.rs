//! What every response shares: request ids, problems, compression, CORS.

use crate::support::*;

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
    let deleted = app.delete(&evaluation(id), Some("\"1\"")).await;
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
async fn small_bodies_and_workbooks_are_sent_uncompressed() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    let gzip_get = |path: String| {
        let app = app.clone();
        async move {
            app.send(
                app.client
                    .get(app.url(&path))
                    .insert_header(("accept-encoding", "gzip")),
                None,
            )
            .await
        }
    };

    // Act
    let small = gzip_get(format!("{EVALUATIONS}?fiscal_year=1990")).await;
    let missing = gzip_get(evaluation(id + 1)).await;
    let workbook = gzip_get(format!("{}/form.xlsx", evaluation(id))).await;

    // Assert
    for (reply, what) in [
        (&small, "an empty list"),
        (&missing, "a problem"),
        (&workbook, "a workbook"),
    ] {
        assert!(reply.status == 200 || reply.status == 404, "{what}");
        assert_eq!(reply.header("content-encoding"), None, "{what}");
        assert!(reply.header("content-length").is_some(), "{what}");
    }
    assert_eq!(&workbook.body[..2], b"PK", "a zip archive as it is");
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
    assert_problem(&preflight, 400, "bad-request", None);
}

//! Query strings as strict as bodies: unknown and repeated parameters, labels for codes,
//! repeated filters as "any of", and the same rules for exports and every other endpoint.

use crate::support::*;

/// The ids of the forms a CSV export holds, from its first column.
fn csv_ids(reply: &Reply) -> Vec<i64> {
    body_text(reply)
        .trim_start_matches('\u{feff}')
        .trim_end()
        .split("\r\n")
        .skip(1)
        .map(|line| {
            line.split(',')
                .next()
                .unwrap_or_default()
                .parse()
                .expect("an id")
        })
        .collect()
}

async fn get_as(app: &TestApp, path: &str, accept: &str) -> Reply {
    app.send(
        app.client
            .get(app.url(path))
            .insert_header(("accept", accept)),
        None,
    )
    .await
}

/// The details of a 400 problem's errors, by pointer.
fn errors_of(reply: &Reply) -> Vec<(String, String)> {
    assert_problem(reply, 400, "bad-request", None);
    reply.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["pointer"].as_str().unwrap_or_default().to_owned(),
                e["detail"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn an_unknown_parameter_is_refused_naming_it_and_the_known_ones() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    let form = evaluation(id);
    let cases = [
        (
            app.get(&format!("{EVALUATIONS}?year=2020")).await,
            "/year",
            "fiscal_year、kind、unit、department、region、grade、rule_grade、declared_grade、review_grade、status、finding、\
             overdue、complete、updated_since、q、sort、limit、cursor、include_count",
        ),
        (
            app.get(&format!("{EVALUATIONS}?late=true&fiscal_year=2020"))
                .await,
            "/late",
            "fiscal_year、kind",
        ),
        (
            get_as(&app, &format!("{EVALUATIONS}?yr=2020"), "text/csv").await,
            "/yr",
            "fiscal_year",
        ),
        (
            app.get(&format!("{form}/form.html?annotated=true")).await,
            "/annotated",
            "参数为：annotate",
        ),
        (
            app.post_raw(
                "/api/v1/imports?dryrun=true",
                "application/octet-stream",
                b"x",
            )
            .await,
            "/dryrun",
            "参数为：dry_run",
        ),
        (
            app.get(&format!("{form}?fields=id")).await,
            "/fields",
            "此操作不带查询参数",
        ),
    ];

    for (reply, pointer, known) in cases {
        // Assert
        let errors = errors_of(&reply);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, pointer, "{errors:?}");
        let name = pointer.trim_start_matches('/');
        assert!(errors[0].1.contains(&format!("`{name}`")), "{errors:?}");
        assert!(errors[0].1.contains(known), "{errors:?}");
    }
    assert_nothing_stored_but(&app, id).await;
}

async fn assert_nothing_stored_but(app: &TestApp, id: i64) {
    assert_eq!(listed_ids(app, "").await, [id], "the import was not run");
}

#[actix_web::test]
async fn a_bad_value_is_answered_with_the_values_allowed() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    let cases = [
        (
            "kind=dept",
            "/kind",
            "department (部门整体支出), project (项目支出)",
        ),
        ("grade=top", "/grade", "excellent (优, 优秀)"),
        (
            "status=done",
            "/status",
            "draft (草稿), submitted (已提交), returned (已退回), approved (已审核)",
        ),
        ("sort=best", "/sort", "-total (-规则总分)"),
        ("limit=1001", "/limit", "from 1 to 1000"),
        ("fiscal_year=20", "/fiscal_year", "from 1990 to 2100"),
    ];

    for (query, pointer, allowed) in cases {
        // Act
        let reply = app.get(&format!("{EVALUATIONS}?{query}")).await;

        // Assert
        let errors = errors_of(&reply);
        assert_eq!(errors.len(), 1, "?{query}: {errors:?}");
        assert_eq!(errors[0].0, pointer, "?{query}");
        assert!(errors[0].1.contains(allowed), "?{query}: {errors:?}");
    }
    let page = app
        .get(&format!("{}/form.html?annotate=yes", evaluation(id)))
        .await;
    let errors = errors_of(&page);
    assert_eq!(errors[0].0, "/annotate");
    assert!(errors[0].1.contains("allowed: true, false"), "{errors:?}");
}

#[actix_web::test]
async fn labels_select_the_same_forms_as_codes() {
    // Arrange
    let app = spawn_app().await;
    let stored = store_seven(&app).await;
    expect_status(&app, id_of(&stored[1]), "submit", None, "submitted").await;
    expect_status(&app, id_of(&stored[2]), "submit", None, "submitted").await;
    expect_status(&app, id_of(&stored[2]), "approve", None, "approved").await;
    let cases = [
        ("kind=department", "kind=部门整体支出"),
        ("kind=project", "kind=项目支出"),
        ("grade=excellent", "grade=优秀"),
        ("grade=excellent", "grade=优"),
        ("grade=good", "grade=良好"),
        ("grade=fair", "grade=较差"),
        ("grade=fair", "grade=中"),
        ("grade=poor", "grade=差"),
        ("status=draft", "status=草稿"),
        ("status=submitted", "status=已提交"),
        ("status=approved", "status=已审核"),
        ("sort=-total", "sort=-规则总分"),
        ("sort=fiscal_year", "sort=年度"),
        ("sort=-unit", "sort=-单位"),
    ];

    for (code, label) in cases {
        // Act
        let by_code = listed_ids(&app, code).await;
        let by_label = listed_ids(&app, &encode_values(label)).await;

        // Assert
        assert!(!by_code.is_empty(), "{code} selects some forms");
        assert_eq!(by_label, by_code, "{label} is {code}");
    }
}

/// Percent-encodes the values of a query written with raw Chinese text.
fn encode_values(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => format!("{name}={}", encode(value)),
            None => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[actix_web::test]
async fn a_repeated_filter_matches_any_of_its_values() {
    // Arrange
    let app = spawn_app().await;
    let stored = store_seven(&app).await;
    let id = |index: usize| id_of(&stored[index]);
    expect_status(&app, id(5), "submit", None, "submitted").await;
    let finance = encode(FINANCE);
    let health = encode("衡阳县卫生健康局");
    let cases: Vec<(String, Vec<usize>)> = vec![
        ("fiscal_year=2019&fiscal_year=2021".into(), vec![1, 2, 4]),
        ("fiscal_year=2019&fiscal_year=2019".into(), vec![2]),
        (
            "kind=department&kind=project".into(),
            vec![0, 1, 2, 3, 4, 5, 6],
        ),
        ("grade=good&grade=poor".into(), vec![1, 2, 5]),
        (format!("grade=fair&grade={}", encode("差")), vec![2, 4]),
        (
            "status=draft&status=submitted".into(),
            vec![0, 1, 2, 3, 4, 5, 6],
        ),
        ("status=submitted".into(), vec![5]),
        (
            format!("unit={FINANCE_CODE}&unit={health}"),
            vec![1, 4, 5, 6],
        ),
        (format!("unit={finance}&unit={FINANCE_CODE}"), vec![1, 4, 6]),
        // Different filters still combine with AND.
        (
            "fiscal_year=2020&fiscal_year=2021&kind=project".into(),
            vec![3, 4],
        ),
        (
            format!("grade=excellent&grade=good&unit={finance}&fiscal_year=2021"),
            vec![1],
        ),
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
async fn a_cursor_walks_repeated_and_labelled_filters_to_the_end() {
    // Arrange
    let app = spawn_app().await;
    store_seven(&app).await;
    let filters = format!(
        "grade={}&grade=good&kind={}&sort={}",
        encode("优"),
        encode("部门整体支出"),
        encode("-规则总分")
    );
    let whole = listed_ids(&app, &filters).await;

    // Act
    let (mut walked, mut cursor) = (Vec::new(), None::<String>);
    for _ in 0..10 {
        let mut query = format!("{filters}&limit=1");
        if let Some(cursor) = &cursor {
            query.push_str(&format!("&cursor={}", encode(cursor)));
        }
        let page = page(&app, &query).await;
        walked.extend(ids_on(&page));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }

    // Assert
    assert_eq!(whole.len(), 4, "{whole:?}");
    assert_eq!(walked, whole);
}

#[actix_web::test]
async fn a_parameter_that_is_not_a_filter_is_taken_once() {
    // Arrange
    let app = spawn_app().await;
    store_seven(&app).await;
    let cursor = page(&app, "limit=1").await["next_cursor"]
        .as_str()
        .expect("a cursor")
        .to_owned();

    for query in [
        "limit=1&limit=2".to_owned(),
        "sort=id&sort=-id".to_owned(),
        format!("cursor={cursor}&cursor={cursor}"),
    ] {
        // Act
        let reply = app.get(&format!("{EVALUATIONS}?{query}")).await;

        // Assert
        let errors = errors_of(&reply);
        let name = query.split('=').next().unwrap_or_default();
        assert_eq!(errors.len(), 1, "?{query}: {errors:?}");
        assert_eq!(errors[0].0, format!("/{name}"), "?{query}");
        assert!(errors[0].1.contains("给了 2 次"), "?{query}: {errors:?}");
    }
    let id = listed_ids(&app, "limit=200").await[0];
    let twice = app
        .get(&format!(
            "{}/form.html?annotate=true&annotate=false",
            evaluation(id)
        ))
        .await;
    assert_eq!(errors_of(&twice)[0].0, "/annotate");
}

#[actix_web::test]
async fn a_query_that_is_not_percent_encoded_utf8_is_a_problem() {
    // Arrange
    let app = spawn_app().await;

    for (query, pointer) in [
        ("grade=%zz", Some("/grade")),
        ("grade=%E4%BC", Some("/grade")),
        ("unit=%", Some("/unit")),
        ("gr%FFade=1", None),
    ] {
        // Act
        let reply = app.get(&format!("{EVALUATIONS}?{query}")).await;

        // Assert
        assert_problem(&reply, 400, "bad-request", pointer);
        let detail = reply.json()["detail"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(detail.contains("百分号编码的 UTF-8"), "?{query}: {detail}");
    }
}

#[actix_web::test]
async fn exports_take_the_same_parameters_as_the_list() {
    // Arrange
    let app = spawn_app().await;
    store_seven(&app).await;
    let query = format!(
        "fiscal_year=2019&fiscal_year=2021&grade={}&grade=poor&sort={}",
        encode("良好"),
        encode("-编号")
    );
    let listed = listed_ids(&app, &query).await;

    // Act
    let csv = get_as(&app, &format!("{EVALUATIONS}?{query}"), "text/csv").await;
    let xlsx = get_as(
        &app,
        &format!("{EVALUATIONS}?{query}"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    .await;
    let unknown = get_as(
        &app,
        &format!("{EVALUATIONS}?{query}&years=2020"),
        "text/csv",
    )
    .await;
    let twice = get_as(&app, &format!("{EVALUATIONS}?{query}&sort=id"), "text/csv").await;

    // Assert
    assert_eq!(csv.status, 200, "{}", body_text(&csv));
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(csv_ids(&csv), listed);
    assert_eq!(xlsx.status, 200);
    assert_eq!(&xlsx.body[..2], b"PK");
    assert_eq!(errors_of(&unknown)[0].0, "/years");
    assert_eq!(errors_of(&twice)[0].0, "/sort");
}

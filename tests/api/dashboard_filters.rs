//! The filters a dashboard needs: findings, overdue, changes since, name search, counts.

use crate::support::*;

fn ids_where(stored: &[Value], keep: impl Fn(&Value) -> bool) -> Vec<i64> {
    stored.iter().filter(|s| keep(s)).map(id_of).collect()
}

fn has_finding(stored: &Value, code: &str) -> bool {
    findings(&stored["result"]).iter().any(|f| f.0 == code)
}

#[actix_web::test]
async fn a_finding_filter_lists_the_forms_having_any_of_the_findings() {
    // Arrange
    let app = spawn_app().await;
    let stored = store_seven(&app).await;
    let cases: [&[&str]; 4] = [
        &["rule_grade_differs"],
        &["declared_total_differs"],
        &["rule_grade_differs", "declared_grade_missing"],
        &["unit_mismatch"],
    ];

    for codes in cases {
        // Act
        let query: Vec<String> = codes.iter().map(|c| format!("finding={c}")).collect();
        let ids = listed_ids(&app, &query.join("&")).await;

        // Assert
        let expected = ids_where(&stored, |s| codes.iter().any(|c| has_finding(s, c)));
        assert_eq!(ids, expected, "{codes:?}");
    }
    assert!(
        !listed_ids(&app, "finding=rule_grade_differs")
            .await
            .is_empty(),
        "the fixtures declare 优秀 where the rules give less"
    );
    let reply = app.get(&format!("{EVALUATIONS}?finding=bad_finding")).await;
    assert_problem(&reply, 400, "bad-request", Some("/finding"));
}

#[actix_web::test]
async fn the_finding_filter_follows_a_replacement() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&good(seed())).await);
    assert_eq!(listed_ids(&app, "finding=rule_grade_differs").await, [id]);

    // Act
    let reply = app.put_json(&evaluation(id), &seed(), Some("\"1\"")).await;

    // Assert
    assert_eq!(reply.status, 200, "{}", body_text(&reply));
    assert!(
        listed_ids(&app, "finding=rule_grade_differs")
            .await
            .is_empty()
    );
}

#[actix_web::test]
async fn overdue_filters_forms_past_their_deadline_either_way() {
    // Arrange
    let app = spawn_app().await;
    let stored = store_seven(&app).await;
    assert_eq!(
        set_deadline(&app, 2019, "department", "2020-07-31")
            .await
            .status,
        200
    );

    // Act
    let overdue = listed_ids(&app, "overdue=true").await;
    let not_overdue = listed_ids(&app, "overdue=false").await;

    // Assert
    assert_eq!(overdue, [id_of(&stored[2])]);
    assert_eq!(
        not_overdue,
        ids_where(&stored, |s| s["fiscal_year"] != 2019)
    );
    let reply = app.get(&format!("{EVALUATIONS}?overdue=yes")).await;
    assert_problem(&reply, 400, "bad-request", Some("/overdue"));
}

#[actix_web::test]
async fn updated_since_lists_what_changed_at_or_after_a_time_in_any_offset() {
    // Arrange
    let app = spawn_app().await;
    let stored = store_seven(&app).await;
    let since = stored[3]["updated_at"].as_str().expect("a time").to_owned();
    let instant = chrono::DateTime::parse_from_rfc3339(&since).expect("RFC 3339");
    let in_beijing = instant
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
        .to_rfc3339();

    // Act
    let ids = listed_ids(&app, &format!("updated_since={}", encode(&since))).await;
    let same = listed_ids(&app, &format!("updated_since={}", encode(&in_beijing))).await;

    // Assert
    let expected = ids_where(&stored, |s| {
        s["updated_at"].as_str() >= Some(since.as_str())
    });
    assert_eq!(ids, expected);
    assert_eq!(same, expected, "{in_beijing}");
    assert!(
        ids.contains(&id_of(&stored[3])),
        "the time given is included"
    );
    let reply = app
        .get(&format!("{EVALUATIONS}?updated_since=yesterday"))
        .await;
    assert_problem(&reply, 400, "bad-request", Some("/updated_since"));
}

#[actix_web::test]
async fn q_finds_forms_by_any_part_of_their_unit_or_project_name() {
    // Arrange
    let app = spawn_app().await;
    let stored = store_seven(&app).await;
    let id = |i: usize| id_of(&stored[i]);
    let cases: [(&str, Vec<i64>); 5] = [
        ("q=卫生", vec![id(5)]),
        ("q=预算一体", vec![id(4)]),
        ("q=卫生&q=教育", vec![id(2), id(5)]),
        ("q=卫生 健康", vec![id(5)]),
        ("q=人社通&kind=project", vec![id(3)]),
    ];

    for (query, expected) in cases {
        // Act
        let encoded: Vec<String> = query
            .split('&')
            .map(|pair| {
                let (name, value) = pair.split_once('=').expect("name=value");
                format!("{name}={}", encode(value))
            })
            .collect();
        let ids = listed_ids(&app, &encoded.join("&")).await;

        // Assert
        assert_eq!(ids, expected, "?{query}");
    }
}

#[actix_web::test]
async fn include_count_counts_every_page_and_limit_goes_to_1000() {
    // Arrange
    let app = spawn_app().await;
    store_seven(&app).await;

    // Act
    let counted = page(&app, "limit=2&include_count=true").await;
    let filtered = page(&app, "limit=1&include_count=true&grade=excellent").await;
    let uncounted = page(&app, "limit=2").await;
    let large = page(&app, "limit=1000").await;

    // Assert
    assert_eq!(counted["total_count"], 7);
    assert_eq!(ids_on(&counted).len(), 2);
    assert_eq!(filtered["total_count"], 3);
    assert!(uncounted.get("total_count").is_none(), "{uncounted}");
    assert_eq!(ids_on(&large).len(), 7);
    let reply = app.get(&format!("{EVALUATIONS}?limit=1001")).await;
    assert_problem(&reply, 400, "bad-request", Some("/limit"));
}

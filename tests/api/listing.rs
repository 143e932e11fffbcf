//! Listing: filters, summaries, sorting and paging.

use crate::support::*;

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
            "status": "draft",
            "overdue": false,
            "complete": true,
            "ruleset": { "id": "hunan-2020", "version": 1 },
            "total": "93.55",
            "grade": { "code": "excellent", "label": "优秀" },
            "grade_source": "rule",
            "rule_grade": { "code": "excellent", "label": "优秀" },
            "declared_grade": { "code": "excellent", "label": "优秀" },
            "review_grade": null,
            "declared_total": "92",
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
        ("limit=1001".to_owned(), "/limit"),
        ("limit=x".to_owned(), "/limit"),
        ("limit=-1".to_owned(), "/limit"),
        ("kind=foo".to_owned(), "/kind"),
        ("grade=foo".to_owned(), "/grade"),
        ("grade=%E4%BC%98%E7%A7%80%E5%A5%BD".to_owned(), "/grade"),
        ("year=2020".to_owned(), "/year"),
        ("overdue=1".to_owned(), "/overdue"),
        ("overdue=true&overdue=false".to_owned(), "/overdue"),
        ("include_count=yes".to_owned(), "/include_count"),
        ("grade=%zz".to_owned(), "/grade"),
        ("sort=foo".to_owned(), "/sort"),
        ("fiscal_year=abc".to_owned(), "/fiscal_year"),
        ("fiscal_year=1989".to_owned(), "/fiscal_year"),
        ("limit=1&limit=2".to_owned(), "/limit"),
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
    let boundary = page(&app, "limit=1000").await;
    assert_eq!(ids_on(&boundary).len(), 7, "limit=1000 is allowed");
}

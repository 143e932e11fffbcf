//! Concurrent writes and loading the examples.

use crate::support::*;

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
    let requests = (0..20)
        .map(|i| {
            let app = Rc::clone(&app);
            let mut form = seed();
            form["declared_total"] = json!(format!("{}", 80 + i));
            async move { app.put_json(&evaluation(id), &form, Some("\"1\"")).await }
        })
        .collect();

    // Act
    let replies = concurrently(requests).await;

    // Assert
    let mut expected = vec![200];
    expected.extend([412; 19]);
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
    let history = app.get(&format!("{}/history", evaluation(id))).await.json();
    let actions: Vec<&str> = history
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions, ["created", "replaced"], "one replacement recorded");
}

#[actix_web::test]
async fn concurrent_replacements_without_if_match_are_all_refused() {
    // Arrange: the lost update this guards against: each would overwrite the others.
    let app = Rc::new(spawn_app().await);
    let id = id_of(&app.create(&seed()).await);
    let before = app.get(&evaluation(id)).await.json();
    let requests = (0..20)
        .map(|i| {
            let app = Rc::clone(&app);
            let mut form = seed();
            form["declared_total"] = json!(format!("{}", 80 + i));
            async move { app.put_json(&evaluation(id), &form, None).await }
        })
        .collect();

    // Act
    let replies = concurrently(requests).await;

    // Assert
    assert_eq!(statuses(&replies), [428; 20]);
    for reply in &replies {
        assert_problem(reply, 428, "precondition-required", None);
    }
    assert_eq!(app.get(&evaluation(id)).await.json(), before);
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
    // Arrange: every form among the example files, the seed among them; a form given twice
    // (the seed, and the seed with its basic data and report) is one form.
    let examples = std::fs::read_dir(data_dir().join("examples"))
        .expect("the examples folder")
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "json"))
        .map(|entry| {
            let text = std::fs::read_to_string(entry.path()).expect("an example");
            let form: Value = serde_json::from_str(&text).expect("an example is JSON");
            (
                form["kind"].to_string(),
                form["unit"]["name"].to_string(),
                form["fiscal_year"].to_string(),
                form["project"]["name"].to_string(),
            )
        })
        .collect::<BTreeSet<_>>()
        .len();
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
    assert!(
        second.admin.is_empty(),
        "a database with tokens gets no new one"
    );
    let reloaded = page(&second.as_caller(Some(&first.admin)), "").await;

    // Assert
    let items = loaded["items"].as_array().expect("items");
    assert_eq!(
        items.len(),
        examples,
        "one evaluation per form among the example files: {loaded}"
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
    // The seed with its basic data and report comes first in name order and stands for it.
    let full: Value = serde_json::from_str(include_str!(
        "../../data/examples/hengyang-2020-department-full.json"
    ))
    .expect("the full example is JSON");
    assert_eq!(
        document_of(&stored),
        full,
        "the example is stored as written"
    );
}

//! The history of changes and the kept versions.

use crate::support::*;

fn content_hash_of(form: &Value) -> String {
    let document: jixiao::domain::document::EvaluationDocument =
        serde_json::from_value(form.clone()).expect("a valid document");
    jixiao::storage::history::content_hash(&serde_json::to_string(&document).expect("serializable"))
}

#[actix_web::test]
async fn every_change_is_recorded_and_every_version_kept() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    let mut changed = seed();
    changed["funds"]["executed"] = json!("240");
    changed["indicators"][0]["children"][0]["children"][1]["declared_score"] = json!("6.4");

    // Act
    let replaced = app.put_json(&evaluation(id), &changed, Some("\"1\"")).await;
    let deleted = app.delete(&evaluation(id), Some("\"2\"")).await;

    // Assert
    assert_eq!(replaced.status, 200, "{}", body_text(&replaced));
    assert_eq!(deleted.status, 204);
    let history = app.get(&format!("{}/history", evaluation(id))).await;
    assert_eq!(history.status, 200, "the history outlives the evaluation");
    let entries = history.json();
    let summary: Vec<(String, i64)> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["version"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("created".to_owned(), 1),
            ("replaced".to_owned(), 2),
            ("deleted".to_owned(), 2)
        ]
    );
    assert_eq!(
        entries[0]["actor"],
        json!({ "role": "admin", "token_id": 1 })
    );
    assert_eq!(entries[0]["changes"], json!([]));
    assert_eq!(
        entries[1]["changes"],
        json!([
            { "path": "/funds/executed", "old": "239.31", "new": "240" },
            {
                "path": "/indicators/0/children/0/children/1/declared_score",
                "old": "7",
                "new": "6.4"
            }
        ])
    );
}

#[actix_web::test]
async fn an_earlier_version_reads_exactly_as_it_was_with_its_ruleset_and_hash() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    let mut changed = seed();
    changed["ruleset"] = json!("national-2020");
    let replaced = app.put_json(&evaluation(id), &changed, Some("\"1\"")).await;
    assert_eq!(replaced.status, 200, "{}", body_text(&replaced));

    // Act
    let first = app.get(&format!("{}/versions/1", evaluation(id))).await;
    let second = app.get(&format!("{}/versions/2", evaluation(id))).await;

    // Assert
    assert_eq!(first.status, 200, "{}", body_text(&first));
    let first = first.json();
    assert_eq!(first["version"], 1);
    assert_eq!(
        first["document"],
        seed(),
        "the first version is the seed as sent"
    );
    assert_eq!(
        first["ruleset"],
        json!({ "id": "hunan-2020", "version": 1 })
    );
    assert_eq!(first["result"]["grade"]["label"], "优秀");
    assert_eq!(first["content_hash"], json!(content_hash_of(&seed())));
    let second = second.json();
    assert_eq!(second["ruleset"]["id"], "national-2020");
    assert_eq!(second["result"]["grade"]["label"], "优");
    assert_eq!(second["content_hash"], json!(content_hash_of(&changed)));
    assert_ne!(first["content_hash"], second["content_hash"]);
}

#[actix_web::test]
async fn versions_and_histories_that_never_existed_are_not_found() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);

    for path in [
        format!("{}/versions/2", evaluation(id)),
        format!("{}/versions/0", evaluation(id)),
        format!("{}/versions/1", evaluation(id + 1)),
        format!("{}/history", evaluation(id + 1)),
    ] {
        // Act
        let reply = app.get(&path).await;

        // Assert
        assert_problem(&reply, 404, "not-found", None);
    }
}

#[actix_web::test]
async fn examples_are_recorded_as_loaded_by_the_service() {
    // Arrange
    let app = spawn_with(|args| args.no_examples = false).await;
    let first = listed_ids(&app, "").await[0];

    // Act
    let history = app
        .get(&format!("{}/history", evaluation(first)))
        .await
        .json();

    // Assert
    assert_eq!(history[0]["actor"], json!({ "role": "system" }));
    assert_eq!(history[0]["action"], "created");
}

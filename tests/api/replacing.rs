//! Replacing and deleting, guarded by versions.

use crate::support::*;

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
    let replaced = app
        .put_json(&evaluation(id), &replacement, Some("\"1\""))
        .await;

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

    // If-Match compares strongly: even the current version as a weak tag does not match.
    for if_match in ["\"1\"", "xyz", "\"3\"", "W/\"1\"", "W/\"2\""] {
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
    let second = app
        .put_json(&evaluation(id), &corrected_seed(), Some("\"1\""))
        .await;
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
        .put_json(&evaluation(id_of(&other)), &corrected_seed(), Some("\"1\""))
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
    let deleted = app.delete(&evaluation(id), Some("\"1\"")).await;

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
    let replaced = app
        .put_json(&evaluation(id), &corrected_seed(), Some("\"1\""))
        .await;
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

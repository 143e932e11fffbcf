//! Rulesets published by an admin: checked, versioned, in force at once and after a restart,
//! while forms already stored keep the version they were scored with.

use crate::support::*;

const RULESET: &str = "/api/v1/rulesets/national-2020";

#[actix_web::test]
async fn an_admin_publishes_a_later_version_and_new_forms_are_scored_with_it() {
    // Arrange
    let app = spawn_app().await;
    let mut form = seed();
    form["ruleset"] = json!("national-2020");
    let before = app.create(&form).await;
    let mut ruleset = app.get(RULESET).await.json();
    let version = ruleset["version"].as_i64().unwrap();
    ruleset["version"] = json!(version + 1);

    // Act
    let published = app.put_json(RULESET, &ruleset, None).await;

    // Assert
    assert_eq!(published.status, 200, "{}", body_text(&published));
    assert_eq!(app.get(RULESET).await.json()["version"], version + 1);
    let mut next_year = form.clone();
    next_year["fiscal_year"] = json!(2021);
    let after = app.create(&next_year).await;
    assert_eq!(after["result"]["ruleset"]["version"], version + 1);
    let kept = app.get(&evaluation(id_of(&before))).await.json();
    assert_eq!(
        kept["result"]["ruleset"]["version"], version,
        "stored forms keep theirs"
    );
    // The same version again, or an earlier one, is refused.
    let again = app.put_json(RULESET, &ruleset, None).await;
    assert_problem(&again, 409, "conflict", None);
    // In force after a restart on the same database.
    let db = app.db_path.clone();
    let restarted = spawn_with(move |args| args.db = db).await;
    let reread = restarted.anonymous().get(RULESET).await.json();
    assert_eq!(reread["version"], version + 1);
}

#[actix_web::test]
async fn only_usable_rulesets_are_published_and_only_by_an_admin() {
    let app = spawn_app().await;
    let mut ruleset = app.get(RULESET).await.json();
    ruleset["version"] = json!(ruleset["version"].as_i64().unwrap() + 1);
    let unit = app.as_caller(Some(&app.issue("unit", &["1"]).await));
    let reviewer = app.as_caller(Some(&app.issue("reviewer", &[]).await));

    assert_problem(
        &unit.put_json(RULESET, &ruleset, None).await,
        403,
        "forbidden",
        None,
    );
    assert_problem(
        &reviewer.put_json(RULESET, &ruleset, None).await,
        403,
        "forbidden",
        None,
    );
    let anonymous = app.anonymous().put_json(RULESET, &ruleset, None).await;
    assert_problem(&anonymous, 401, "unauthenticated", None);
    let elsewhere = app
        .put_json("/api/v1/rulesets/hunan-2020", &ruleset, None)
        .await;
    assert_problem(&elsewhere, 422, "invalid-document", Some("/id"));
    let mut unbounded = ruleset.clone();
    unbounded["version"] = json!(2_147_483_648_u64);
    let reply = app.put_json(RULESET, &unbounded, None).await;
    assert_problem(&reply, 422, "invalid-document", None);
    let mut gap = ruleset.clone();
    gap["grade_bands"][0]["min"] = json!("91");
    let reply = app.put_json(RULESET, &gap, None).await;
    assert_problem(&reply, 422, "invalid-document", None);
    assert!(
        body_text(&reply).contains("grade bands"),
        "{}",
        body_text(&reply)
    );
    assert_eq!(
        app.get(RULESET).await.json()["version"],
        ruleset["version"].as_i64().unwrap() - 1,
        "nothing was published"
    );
}

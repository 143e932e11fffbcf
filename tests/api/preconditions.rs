//! Every write to a stored form must say which version it changes (`If-Match`), so that no
//! change is silently lost; access control still answers first.

use crate::support::*;

/// Each write to a stored form, with the transitions that bring a new form to the state in
/// which it succeeds, and its success status.
const WRITES: [(&str, &[&str], u16); 7] = [
    ("replace", &[], 200),
    ("delete", &[], 204),
    ("submit", &[], 200),
    ("review", &["submit"], 200),
    ("return", &["submit"], 200),
    ("approve", &["submit"], 200),
    ("reopen", &["submit", "approve"], 200),
];

/// Sends the write `name` to evaluation `id`, with `If-Match` when `tag` is given.
async fn write(app: &TestApp, id: i64, name: &str, tag: Option<&str>) -> Reply {
    match name {
        "replace" => app.put_json(&evaluation(id), &good(seed()), tag).await,
        "delete" => app.delete(&evaluation(id), tag).await,
        "review" => {
            let review = json!({ "execution": { "score": "8", "reason": "复核" } });
            let path = format!("{}/review", evaluation(id));
            app.put_json(&path, &review, tag).await
        }
        transition => move_to(app, id, transition, Some("理由"), tag).await,
    }
}

/// The form and its history as the admin sees them.
async fn state_of(app: &TestApp, id: i64) -> (Value, Value) {
    let form = app.get(&evaluation(id)).await;
    let history = app.get(&format!("{}/history", evaluation(id))).await;
    assert_eq!((form.status, history.status), (200, 200));
    (form.json(), history.json())
}

#[actix_web::test]
async fn every_write_without_if_match_is_refused_with_428_and_changes_nothing() {
    let app = spawn_app().await;
    for (year, (name, path, success)) in (2001..).zip(WRITES) {
        // Arrange: a form in the state where the write succeeds.
        let id = id_of(&app.create(&form_of(SEED_UNIT, year)).await);
        for step in path {
            let tag = app.etag(id).await;
            let reply = move_to(&app, id, step, None, Some(&tag)).await;
            assert_eq!(reply.status, 200, "{step}: {}", body_text(&reply));
        }
        let before = state_of(&app, id).await;

        // Act
        let refused = write(&app, id, name, None).await;

        // Assert
        assert_problem(&refused, 428, "precondition-required", None);
        let detail = refused.json()["detail"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            detail.contains("If-Match") && detail.contains("ETag"),
            "{name}: {detail}"
        );
        assert_eq!(state_of(&app, id).await, before, "{name} changed nothing");
        let tag = app.etag(id).await;
        let accepted = write(&app, id, name, Some(&tag)).await;
        assert_eq!(accepted.status, success, "{name}: {}", body_text(&accepted));
    }
}

#[actix_web::test]
async fn a_form_the_caller_may_not_touch_is_refused_as_such_without_if_match() {
    // Arrange: B's draft, hidden from A; B's published form, readable by A.
    let app = spawn_app().await;
    let unit_a = app.as_caller(Some(&app.issue("unit", &[FINANCE_CODE]).await));
    let unit_b = app.as_caller(Some(&app.issue("unit", &["430421002"]).await));
    let mut form_b = form_of("衡阳县教育局", 2021);
    form_b["unit"]["code"] = json!("430421002");
    let draft = id_of(&unit_b.create(&form_b).await);
    form_b["fiscal_year"] = json!(2020);
    let published = id_of(&unit_b.create(&form_b).await);
    expect_status(&unit_b, published, "submit", None, "submitted").await;
    expect_status(&app, published, "approve", None, "approved").await;
    let before = (state_of(&app, draft).await, state_of(&app, published).await);

    for name in ["replace", "delete", "submit"] {
        // Act
        let hidden = write(&unit_a, draft, name, None).await;
        let nobody = write(&unit_a, 999_999, name, None).await;
        let forbidden = write(&unit_a, published, name, None).await;
        let anonymous = write(&app.anonymous(), draft, name, None).await;

        // Assert: the hidden form answers exactly as an id nobody has.
        assert_problem(&hidden, 404, "not-found", None);
        assert_eq!(
            hidden.json()["detail"]
                .as_str()
                .map(|d| d.replace(&draft.to_string(), "ID")),
            nobody.json()["detail"]
                .as_str()
                .map(|d| d.replace("999999", "ID")),
            "{name}"
        );
        assert_problem(&forbidden, 403, "forbidden", None);
        assert_problem(&anonymous, 401, "unauthenticated", None);
    }
    for name in ["review", "return", "approve", "reopen"] {
        assert_problem(
            &write(&unit_a, draft, name, None).await,
            403,
            "forbidden",
            None,
        );
        let anonymous = write(&app.anonymous(), draft, name, None).await;
        assert_problem(&anonymous, 401, "unauthenticated", None);
    }
    let after = (state_of(&app, draft).await, state_of(&app, published).await);
    assert_eq!(after, before, "nothing changed");
}

#[actix_web::test]
async fn if_match_star_accepts_whatever_version_is_current() {
    // Arrange: version 2 is current.
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    let second = app.put_json(&evaluation(id), &seed(), Some("\"1\"")).await;
    assert_eq!(second.status, 200, "{}", body_text(&second));

    // Act & Assert
    let replaced = app
        .put_json(&evaluation(id), &good(seed()), Some("*"))
        .await;
    assert_eq!(replaced.status, 200, "{}", body_text(&replaced));
    assert_eq!(replaced.header("etag").as_deref(), Some("\"3\""));
    for (step, status) in [("submit", "submitted"), ("approve", "approved")] {
        let reply = move_to(&app, id, step, None, Some("*")).await;
        assert_eq!(reply.status, 200, "{step}: {}", body_text(&reply));
        assert_eq!(reply.json()["status"], status);
    }
    let reopened = move_to(&app, id, "reopen", Some("更正"), Some("*")).await;
    assert_eq!(reopened.status, 200, "{}", body_text(&reopened));
    let deleted = app.delete(&evaluation(id), Some("*")).await;
    assert_eq!(deleted.status, 204, "{}", body_text(&deleted));
    assert_nothing_stored(&app, "the deletion").await;
}

#[actix_web::test]
async fn a_review_with_a_stale_if_match_is_refused_before_it_is_scored() {
    // Arrange: submitted as version 2.
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    expect_status(&app, id, "submit", None, "submitted").await;
    let before = state_of(&app, id).await;

    // Act
    let stale = write(&app, id, "review", Some("\"1\"")).await;
    let star = write(&app, id, "review", Some("*")).await;

    // Assert
    assert_problem(&stale, 412, "precondition-failed", None);
    assert_eq!(star.status, 200, "{}", body_text(&star));
    assert_ne!(state_of(&app, id).await, before);
}

//! The review lifecycle: submit, return, approve and reopen, their rules and their history.

use crate::support::*;

#[actix_web::test]
async fn a_form_goes_through_review_and_every_step_is_recorded() {
    // Arrange
    let app = spawn_app().await;
    let created = app.create(&seed()).await;
    let id = id_of(&created);
    assert_eq!(created["status"], "draft");

    // Act and assert, step by step.
    expect_status(&app, id, "submit", None, "submitted").await;
    let locked = app.put_json(&evaluation(id), &seed(), Some("\"2\"")).await;
    assert_problem(&locked, 409, "conflict", None);
    assert!(
        body_text(&locked).contains("submitted"),
        "{}",
        body_text(&locked)
    );
    assert_problem(
        &app.delete(&evaluation(id), Some("\"2\"")).await,
        409,
        "conflict",
        None,
    );

    expect_status(
        &app,
        id,
        "return",
        Some("执行率偏低，请补充原因"),
        "returned",
    )
    .await;
    let mut fixed = seed();
    fixed["deviation_analysis"] = json!("年末收到上级拨款，未及执行。");
    let replaced = app.put_json(&evaluation(id), &fixed, Some("\"3\"")).await;
    assert_eq!(
        replaced.status,
        200,
        "a returned form is editable: {}",
        body_text(&replaced)
    );
    assert_eq!(replaced.json()["status"], "returned");

    expect_status(&app, id, "submit", None, "submitted").await;
    let approved = expect_status(&app, id, "approve", Some("同意"), "approved").await;
    assert_eq!(approved["version"], 6, "every step makes a version");
    assert_problem(
        &app.put_json(&evaluation(id), &seed(), Some("\"6\"")).await,
        409,
        "conflict",
        None,
    );

    let reopened = expect_status(&app, id, "reopen", Some("复核发现问题"), "draft").await;
    assert_eq!(reopened["version"], 7, "reopening makes a new version");
    assert_eq!(reopened["reopened_from"], 6);
    let kept = app
        .get(&format!("{}/versions/6", evaluation(id)))
        .await
        .json();
    assert_eq!(
        kept["document"]["deviation_analysis"],
        "年末收到上级拨款，未及执行。"
    );

    let history = app.get(&format!("{}/history", evaluation(id))).await.json();
    let steps: Vec<(&str, i64, Option<&str>)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["version"].as_i64().unwrap(),
                e["comment"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("created", 1, None),
            ("submitted", 2, None),
            ("returned", 3, Some("执行率偏低，请补充原因")),
            ("replaced", 4, None),
            ("submitted", 5, None),
            ("approved", 6, Some("同意")),
            ("reopened", 7, Some("复核发现问题")),
        ]
    );
    assert_eq!(
        history[5]["changes"],
        json!([{ "path": "/status", "old": "submitted", "new": "approved" }])
    );
}

#[actix_web::test]
async fn a_transition_from_the_wrong_state_is_a_conflict_naming_the_state() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);

    for (transition, state) in [
        ("return", "draft"),
        ("approve", "draft"),
        ("reopen", "draft"),
    ] {
        // Act
        let reply = move_to(&app, id, transition, Some("理由"), Some("\"1\"")).await;

        // Assert
        assert_problem(&reply, 409, "conflict", None);
        let detail = reply.json()["detail"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            detail.contains(&format!("（{state}）的表")),
            "{transition}: {detail}"
        );
    }
    let unchanged = app.get(&evaluation(id)).await.json();
    assert_eq!(unchanged["status"], "draft");
    assert_eq!(unchanged["version"], 1);
}

#[actix_web::test]
async fn a_form_is_returned_only_with_reasons() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    expect_status(&app, id, "submit", None, "submitted").await;

    // Act
    let without = move_to(&app, id, "return", None, None).await;
    let blank = move_to(&app, id, "return", Some("  "), None).await;

    // Assert
    assert_problem(&without, 422, "invalid-document", Some("/comment"));
    assert_problem(&blank, 422, "invalid-document", Some("/comment"));
    assert_eq!(app.get(&evaluation(id)).await.json()["status"], "submitted");
}

#[actix_web::test]
async fn concurrent_approvals_let_exactly_one_through() {
    // Arrange
    let app = Rc::new(spawn_app().await);
    let id = id_of(&app.create(&seed()).await);
    expect_status(&app, id, "submit", None, "submitted").await;
    let requests: Vec<_> = (0..10)
        .map(|_| {
            let app = Rc::clone(&app);
            async move { move_to(&app, id, "approve", None, Some("\"2\"")).await }
        })
        .collect();

    // Act
    let replies = concurrently(requests).await;

    // Assert
    let mut expected = vec![200];
    expected.extend([412; 9]);
    assert_eq!(statuses(&replies), expected);
    let history = app.get(&format!("{}/history", evaluation(id))).await.json();
    let approvals = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "approved")
        .count();
    assert_eq!(approvals, 1);
}

#[actix_web::test]
async fn a_transition_with_a_stale_version_or_a_bad_body_changes_nothing() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);

    // Act
    let stale = move_to(&app, id, "submit", None, Some("\"7\"")).await;
    let malformed = app
        .post_raw(
            &format!("{}/submit", evaluation(id)),
            "application/json",
            b"{\"comment\":",
        )
        .await;
    let unknown = app
        .post_json(
            &format!("{}/submit", evaluation(id)),
            &json!({ "remark": "x" }),
        )
        .await;
    let missing = move_to(&app, id + 1, "submit", None, None).await;

    // Assert
    assert_problem(&stale, 412, "precondition-failed", None);
    assert_problem(&malformed, 400, "malformed-json", None);
    assert_problem(&unknown, 422, "invalid-document", Some("/remark"));
    assert_problem(&missing, 404, "not-found", None);
    assert_eq!(app.get(&evaluation(id)).await.json()["status"], "draft");
}

#[actix_web::test]
async fn the_list_filters_by_review_state() {
    // Arrange
    let app = spawn_app().await;
    let first = id_of(&app.create(&form_of("甲单位", 2020)).await);
    let second = id_of(&app.create(&form_of("乙单位", 2020)).await);
    expect_status(&app, second, "submit", None, "submitted").await;

    // Act and assert
    assert_eq!(listed_ids(&app, "status=draft").await, [first]);
    assert_eq!(listed_ids(&app, "status=submitted").await, [second]);
    assert!(listed_ids(&app, "status=approved").await.is_empty());
    let summary = &page(&app, "").await["items"][1];
    assert_eq!(summary["status"], "submitted");
    assert_problem(
        &app.get(&format!("{EVALUATIONS}?status=done")).await,
        400,
        "bad-request",
        Some("/status"),
    );
}

#[actix_web::test]
async fn every_transition_from_every_state_over_http() {
    // Arrange: the path to each state, and what each transition does from it.
    let app = spawn_app().await;
    let paths: [(&str, &[&str]); 4] = [
        ("draft", &[]),
        ("submitted", &["submit"]),
        ("returned", &["submit", "return"]),
        ("approved", &["submit", "approve"]),
    ];
    let legal = [
        ("submit", ["submitted", "", "submitted", ""]),
        ("return", ["", "returned", "", ""]),
        ("approve", ["", "approved", "", ""]),
        ("reopen", ["", "", "", "draft"]),
    ];
    let mut year = 2000;
    for (state_index, (state, path)) in paths.iter().enumerate() {
        for (transition, outcomes) in &legal {
            year += 1;
            let id = id_of(&app.create(&form_of("衡阳县状态测试单位", year)).await);
            for step in *path {
                let tag = app.etag(id).await;
                let reply = move_to(&app, id, step, Some("理由"), Some(&tag)).await;
                assert_eq!(reply.status, 200, "{step}: {}", body_text(&reply));
            }
            let before = app.get(&evaluation(id)).await.json();
            assert_eq!(before["status"], *state);

            // Act
            let tag = app.etag(id).await;
            let reply = move_to(&app, id, transition, Some("理由"), Some(&tag)).await;

            // Assert
            let after = app.get(&evaluation(id)).await.json();
            match outcomes[state_index] {
                "" => {
                    assert_problem(&reply, 409, "conflict", None);
                    assert!(body_text(&reply).contains(state), "{}", body_text(&reply));
                    assert_eq!(after, before, "{transition} from {state} changed nothing");
                }
                next => {
                    assert_eq!(reply.status, 200, "{transition} from {state}");
                    assert_eq!(after["status"], next, "{transition} from {state}");
                    assert_eq!(after["version"], before["version"].as_i64().unwrap() + 1);
                }
            }
        }
    }
}

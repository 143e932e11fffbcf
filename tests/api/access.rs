//! Access control: every caller is refused what its token does not allow, with the right
//! status, and nothing changes when it is refused.

use crate::support::*;

const UNIT_A: &str = FINANCE_CODE;
const UNIT_B: &str = "430421002";
const UNIT_B_NAME: &str = "衡阳县教育局";
const NOBODY: i64 = 999_999;

/// An app with a unit token for A, one for B, a reviewer, and three forms: A's draft, B's
/// draft, and B's approved form.
struct World {
    admin: TestApp,
    unit_a: TestApp,
    unit_b: TestApp,
    reviewer: TestApp,
    anonymous: TestApp,
    own_draft: i64,
    other_draft: i64,
    other_approved: i64,
}

fn form_of_b(year: i64) -> Value {
    let mut form = form_of(UNIT_B_NAME, year);
    form["unit"]["code"] = json!(UNIT_B);
    form
}

async fn world_with(app: TestApp) -> World {
    let unit_a = app.as_caller(Some(&app.issue("unit", &[UNIT_A]).await));
    let unit_b = app.as_caller(Some(&app.issue("unit", &[UNIT_B]).await));
    let reviewer = app.as_caller(Some(&app.issue("reviewer", &[]).await));
    let own_draft = id_of(&unit_a.create(&finance(2021)).await);
    let other_draft = id_of(&unit_b.create(&form_of_b(2021)).await);
    let other_approved = id_of(&unit_b.create(&form_of_b(2020)).await);
    expect_status(&unit_b, other_approved, "submit", None, "submitted").await;
    expect_status(&reviewer, other_approved, "approve", None, "approved").await;
    World {
        anonymous: app.anonymous(),
        admin: app,
        unit_a,
        unit_b,
        reviewer,
        own_draft,
        other_draft,
        other_approved,
    }
}

async fn world() -> World {
    world_with(spawn_app().await).await
}

impl World {
    /// Every form and its history as the admin sees them, to prove that refusals change
    /// nothing.
    async fn state(&self) -> Vec<(Value, Value)> {
        let mut state = Vec::new();
        for id in [self.own_draft, self.other_draft, self.other_approved] {
            let form = self.admin.get(&evaluation(id)).await;
            let history = self.admin.get(&format!("{}/history", evaluation(id))).await;
            assert_eq!((form.status, history.status), (200, 200));
            state.push((form.json(), history.json()));
        }
        state
    }
}

async fn transition(app: &TestApp, id: i64, name: &str) -> Reply {
    move_to(app, id, name, Some("理由"), None).await
}

fn is_invalid_token(reply: &Reply) -> bool {
    reply
        .header("www-authenticate")
        .is_some_and(|h| h.contains(r#"error="invalid_token""#))
}

#[actix_web::test]
async fn a_unit_cannot_learn_that_another_units_draft_exists() {
    // Arrange
    let world = world().await;
    let before = world.state().await;
    let a = &world.unit_a;
    let (draft, nobody) = (evaluation(world.other_draft), evaluation(NOBODY));

    // Act & Assert: every read of the draft answers exactly as for an id nobody has.
    for suffix in ["", "/form", "/history", "/versions/1", "/versions/2"] {
        let hidden = a.get(&format!("{draft}{suffix}")).await;
        let missing = a.get(&format!("{nobody}{suffix}")).await;
        assert_problem(&hidden, 404, "not-found", None);
        // The detail may name the id asked for, and nothing else.
        let detail = |reply: &Reply, id: i64| {
            reply.json()["detail"]
                .as_str()
                .unwrap_or_default()
                .replace(&format!("第 {id} 号"), "第 ID 号")
        };
        assert_eq!(
            detail(&hidden, world.other_draft),
            detail(&missing, NOBODY),
            "{suffix}"
        );
    }
    // Writes too, whatever version they name, so If-Match cannot probe it.
    for tag in [None, Some("\"1\""), Some("\"7\"")] {
        let put = a.put_json(&draft, &finance(2021), tag).await;
        assert_problem(&put, 404, "not-found", None);
        let delete = a.delete(&draft, tag).await;
        assert_problem(&delete, 404, "not-found", None);
        let submit = move_to(a, world.other_draft, "submit", None, tag).await;
        assert_problem(&submit, 404, "not-found", None);
    }
    assert_eq!(world.state().await, before, "nothing changed");
}

#[actix_web::test]
async fn a_unit_lists_its_own_forms_and_published_ones_whatever_the_filter() {
    // Arrange
    let world = world().await;
    let (own, approved) = (world.own_draft, world.other_approved);

    // Act & Assert
    for (query, expected) in [
        (String::new(), vec![own, approved]),
        (format!("unit={UNIT_B}"), vec![approved]),
        (format!("unit={}", encode(UNIT_B_NAME)), vec![approved]),
        ("status=draft".into(), vec![own]),
        ("fiscal_year=2021".into(), vec![own]),
        (format!("unit={UNIT_B}&status=draft"), vec![]),
        ("sort=-id".into(), vec![approved, own]),
    ] {
        assert_eq!(
            listed_ids(&world.unit_a, &query).await,
            expected,
            "?{query}"
        );
    }
    // Guessing ids finds nothing more.
    for id in 1..=12 {
        let reply = world.unit_a.get(&evaluation(id)).await;
        let readable = id == own || id == approved;
        assert_eq!(reply.status, if readable { 200 } else { 404 }, "id {id}");
    }
    // B sees its own draft, and A's only once published.
    assert_eq!(
        listed_ids(&world.unit_b, "").await,
        [world.other_draft, approved]
    );
}

#[actix_web::test]
async fn a_unit_may_read_but_not_touch_another_units_published_form() {
    // Arrange
    let world = world().await;
    let before = world.state().await;
    let (a, id) = (&world.unit_a, world.other_approved);

    // Act & Assert
    assert_eq!(a.get(&evaluation(id)).await.status, 200);
    assert_eq!(a.get(&format!("{}/form", evaluation(id))).await.status, 200);
    let history = a.get(&format!("{}/history", evaluation(id))).await;
    assert_problem(&history, 403, "forbidden", None);
    let put = a.put_json(&evaluation(id), &finance(2020), None).await;
    assert_problem(&put, 403, "forbidden", None);
    assert_problem(
        &a.delete(&evaluation(id), None).await,
        403,
        "forbidden",
        None,
    );
    for name in ["submit", "reopen"] {
        assert_problem(&transition(a, id, name).await, 403, "forbidden", None);
    }
    assert_eq!(world.state().await, before, "nothing changed");
}

#[actix_web::test]
async fn a_unit_cannot_act_as_a_reviewer_or_an_admin() {
    // Arrange
    let world = world().await;
    let a = &world.unit_a;
    expect_status(a, world.own_draft, "submit", None, "submitted").await;
    let before = world.state().await;

    // Act & Assert: review work on its own submitted form.
    for name in ["return", "approve", "reopen"] {
        let reply = transition(a, world.own_draft, name).await;
        assert_problem(&reply, 403, "forbidden", None);
    }
    let review = json!({ "execution": { "score": "9", "reason": "自己复核" } });
    let reply = a
        .put_json(
            &format!("{}/review", evaluation(world.own_draft)),
            &review,
            None,
        )
        .await;
    assert_problem(&reply, 403, "forbidden", None);
    // Admin work.
    let reply = a
        .post_json("/api/v1/tokens", &json!({ "role": "admin" }))
        .await;
    assert_problem(&reply, 403, "forbidden", None);
    assert_problem(&a.get("/api/v1/tokens").await, 403, "forbidden", None);
    assert_problem(
        &a.delete("/api/v1/tokens/1", None).await,
        403,
        "forbidden",
        None,
    );
    let deadline = json!({ "due_on": "2099-12-31" });
    let reply = a
        .put_json("/api/v1/deadlines/2021/department", &deadline, None)
        .await;
    assert_problem(&reply, 403, "forbidden", None);
    // Forms of units it does not cover, new or by moving its own.
    let reply = a.post_json(EVALUATIONS, &form_of_b(2019)).await;
    assert_problem(&reply, 403, "forbidden", None);
    let reply = a.post_json(EVALUATIONS, &form_of("无编码单位", 2019)).await;
    assert_problem(&reply, 403, "forbidden", None);
    // A token it made up.
    let forged = a.as_caller(Some(&format!("jx_{}", "0".repeat(64))));
    let reply = forged.get(&evaluation(world.own_draft)).await;
    assert_problem(&reply, 401, "invalid-token", None);
    assert!(is_invalid_token(&reply));
    assert_eq!(world.state().await, before, "nothing changed");
    assert_eq!(a.get("/api/v1/deadlines").await.json(), json!([]));
    assert_eq!(
        world
            .admin
            .get("/api/v1/tokens")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[actix_web::test]
async fn a_unit_cannot_hand_its_form_to_another_unit() {
    // Arrange
    let world = world().await;
    let before = world.state().await;

    // Act
    let mut moved = finance(2021);
    moved["unit"]["code"] = json!(UNIT_B);
    let reply = world
        .unit_a
        .put_json(&evaluation(world.own_draft), &moved, None)
        .await;

    // Assert
    assert_problem(&reply, 403, "forbidden", None);
    assert!(body_text(&reply).contains(UNIT_B), "{}", body_text(&reply));
    assert_eq!(world.state().await, before);
}

#[actix_web::test]
async fn a_reviewer_reviews_but_never_edits_or_submits() {
    // Arrange
    let world = world().await;
    let before = world.state().await;
    let reviewer = &world.reviewer;
    let draft = evaluation(world.other_draft);

    // Act & Assert
    assert_eq!(reviewer.get(&draft).await.status, 200);
    assert_eq!(reviewer.get(&format!("{draft}/history")).await.status, 200);
    let reply = reviewer.post_json(EVALUATIONS, &form_of_b(2019)).await;
    assert_problem(&reply, 403, "forbidden", None);
    let reply = reviewer.put_json(&draft, &form_of_b(2021), None).await;
    assert_problem(&reply, 403, "forbidden", None);
    assert_problem(&reviewer.delete(&draft, None).await, 403, "forbidden", None);
    let reply = transition(reviewer, world.other_draft, "submit").await;
    assert_problem(&reply, 403, "forbidden", None);
    let reply = reviewer
        .post_json("/api/v1/tokens", &json!({ "role": "reviewer" }))
        .await;
    assert_problem(&reply, 403, "forbidden", None);
    assert_eq!(world.state().await, before, "nothing changed");
    assert_eq!(
        listed_ids(reviewer, "").await,
        [world.own_draft, world.other_draft, world.other_approved]
    );
}

#[actix_web::test]
async fn a_revoked_token_stops_working_at_once() {
    // Arrange
    let world = world().await;
    let me = world.unit_a.get("/api/v1/me").await.json();
    assert_eq!(me["role"], "unit");
    assert_eq!(me["units"], json!([UNIT_A]));
    let before = world.state().await;

    // Act
    let revoked = world
        .admin
        .delete(&format!("/api/v1/tokens/{}", me["token_id"]), None)
        .await;

    // Assert
    assert_eq!(revoked.status, 200, "{}", body_text(&revoked));
    assert!(revoked.json()["revoked_at"].is_string());
    let a = &world.unit_a;
    let own = evaluation(world.own_draft);
    let replies = [
        a.get(&own).await,
        a.get(EVALUATIONS).await,
        a.get(&evaluation(world.other_approved)).await,
        a.put_json(&own, &finance(2021), None).await,
        a.delete(&own, None).await,
        transition(a, world.own_draft, "submit").await,
        a.get("/api/v1/rulesets").await,
    ];
    for reply in &replies {
        assert_problem(reply, 401, "invalid-token", None);
        assert!(is_invalid_token(reply));
    }
    assert_eq!(world.state().await, before, "nothing changed");
}

#[actix_web::test]
async fn submitted_and_approved_forms_are_read_only_to_their_unit() {
    // Arrange
    let world = world().await;
    let (a, id) = (&world.unit_a, world.own_draft);
    expect_status(a, id, "submit", None, "submitted").await;

    for state in ["submitted", "approved"] {
        let before = world.state().await;
        let tag = a.etag(id).await;
        // Act
        let put = a
            .put_json(&evaluation(id), &good(finance(2021)), Some(&tag))
            .await;
        let delete = a.delete(&evaluation(id), Some(&tag)).await;
        let submit = move_to(a, id, "submit", None, Some(&tag)).await;
        // Assert
        for reply in [&put, &delete, &submit] {
            assert_problem(reply, 409, "conflict", None);
            assert!(body_text(reply).contains(state), "{}", body_text(reply));
        }
        assert_eq!(world.state().await, before, "nothing changed while {state}");
        if state == "submitted" {
            expect_status(&world.reviewer, id, "approve", None, "approved").await;
        }
    }
    // Reopened by the reviewer, it is the unit's to edit again.
    expect_status(&world.reviewer, id, "reopen", None, "draft").await;
    let tag = a.etag(id).await;
    let put = a
        .put_json(&evaluation(id), &good(finance(2021)), Some(&tag))
        .await;
    assert_eq!(put.status, 200, "{}", body_text(&put));
}

#[actix_web::test]
async fn anonymous_callers_read_published_forms_and_nothing_else() {
    // Arrange
    let world = world().await;
    let before = world.state().await;
    let anonymous = &world.anonymous;
    let published = evaluation(world.other_approved);
    let approved_version = world.admin.get(&published).await.json()["version"].clone();

    // Act & Assert: what is published.
    for path in [
        published.clone(),
        format!("{published}/form"),
        format!("{published}/versions/{approved_version}"),
        "/api/v1/rulesets".into(),
    ] {
        assert_eq!(anonymous.get(&path).await.status, 200, "{path}");
    }
    assert_eq!(listed_ids(anonymous, "").await, [world.other_approved]);
    assert_eq!(
        listed_ids(anonymous, "status=draft").await,
        Vec::<i64>::new()
    );

    // Everything else asks for a token, whether or not the form exists.
    let draft = evaluation(world.own_draft);
    let mut refused = vec![
        anonymous.get(&draft).await,
        anonymous.get(&evaluation(NOBODY)).await,
        anonymous.get(&format!("{draft}/form")).await,
        anonymous.get(&format!("{published}/history")).await,
        anonymous.get(&format!("{published}/versions/1")).await,
        anonymous
            .post_raw(EVALUATIONS, "application/json", b"{")
            .await,
        anonymous.post_json(EVALUATIONS, &finance(2019)).await,
        anonymous.put_json(&draft, &finance(2021), None).await,
        anonymous.delete(&draft, None).await,
        anonymous.post_json("/api/v1/score", &seed()).await,
        anonymous.get("/api/v1/deadlines").await,
        anonymous.get("/api/v1/tokens").await,
        anonymous.get("/api/v1/me").await,
    ];
    for name in ["submit", "return", "approve", "reopen"] {
        refused.push(transition(anonymous, world.other_approved, name).await);
    }
    for reply in &refused {
        assert_problem(reply, 401, "unauthenticated", None);
        assert_eq!(
            reply.header("www-authenticate").as_deref(),
            Some(r#"Bearer realm="jixiao""#)
        );
    }
    assert_eq!(refused[0].json()["detail"], refused[1].json()["detail"]);
    assert_eq!(world.state().await, before, "nothing changed");
}

#[actix_web::test]
async fn the_operator_can_close_public_reading() {
    // Arrange
    let world = world_with(spawn_with(|args| args.public_reading = false).await).await;
    let published = evaluation(world.other_approved);

    // Act & Assert
    for path in [
        published.clone(),
        format!("{published}/form"),
        EVALUATIONS.to_owned(),
    ] {
        assert_problem(
            &world.anonymous.get(&path).await,
            401,
            "unauthenticated",
            None,
        );
    }
    // Another unit no longer sees it either; its own unit, reviewers and admins do.
    assert_problem(&world.unit_a.get(&published).await, 404, "not-found", None);
    assert_eq!(listed_ids(&world.unit_a, "").await, [world.own_draft]);
    for caller in [&world.unit_b, &world.reviewer, &world.admin] {
        assert_eq!(caller.get(&published).await.status, 200);
    }
}

#[actix_web::test]
async fn the_whole_review_is_traceable_to_the_tokens_that_made_it() {
    // Arrange
    let world = world().await;
    let (unit, reviewer) = (&world.unit_a, &world.reviewer);
    let unit_id = unit.get("/api/v1/me").await.json()["token_id"].clone();
    let reviewer_id = reviewer.get("/api/v1/me").await.json()["token_id"].clone();
    let id = world.own_draft;
    let url = evaluation(id);

    // Act: submit, return, fix, resubmit, review, approve.
    expect_status(unit, id, "submit", None, "submitted").await;
    expect_status(
        reviewer,
        id,
        "return",
        Some("满意度得分依据不足"),
        "returned",
    )
    .await;
    let tag = unit.etag(id).await;
    let fixed = unit.put_json(&url, &good(finance(2021)), Some(&tag)).await;
    assert_eq!(fixed.status, 200, "{}", body_text(&fixed));
    expect_status(unit, id, "submit", Some("已补充"), "submitted").await;
    let review = json!({
        "execution": { "score": "8", "reason": "执行率按实际支付口径复核" },
        "comment": "复核"
    });
    let tag = reviewer.etag(id).await;
    let reviewed = reviewer
        .put_json(&format!("{url}/review"), &review, Some(&tag))
        .await;
    assert_eq!(reviewed.status, 200, "{}", body_text(&reviewed));
    let approved = expect_status(reviewer, id, "approve", None, "approved").await;

    // Assert: who did each step, by token id and role.
    let history = unit.get(&format!("{url}/history")).await.json();
    let steps: Vec<(String, Value, Value)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["actor"]["role"].clone(),
                e["actor"]["token_id"].clone(),
            )
        })
        .collect();
    let by =
        |action: &str, role: &str, token: &Value| (action.to_owned(), json!(role), token.clone());
    assert_eq!(
        steps,
        [
            by("created", "unit", &unit_id),
            by("submitted", "unit", &unit_id),
            by("returned", "reviewer", &reviewer_id),
            by("replaced", "unit", &unit_id),
            by("submitted", "unit", &unit_id),
            by("reviewed", "reviewer", &reviewer_id),
            by("approved", "reviewer", &reviewer_id),
        ]
    );
    assert!(!body_text(&unit.get(&format!("{url}/history")).await).contains("jx_"));
    // Anyone reads the published form, with the review grade in the list.
    let public = world.anonymous.get(&url).await;
    assert_eq!(public.status, 200);
    assert_eq!(public.json(), approved);
    let listed = page(&world.anonymous, "unit=430421001").await;
    assert_eq!(listed["items"][0]["grade_source"], "review");
    // Reopened, the draft is private again but the published version stays readable.
    expect_status(reviewer, id, "reopen", Some("更正"), "draft").await;
    assert_eq!(world.anonymous.get(&url).await.status, 401);
    let version = approved["version"].as_i64().unwrap();
    let kept = world
        .anonymous
        .get(&format!("{url}/versions/{version}"))
        .await;
    assert_eq!(kept.status, 200);
    assert_eq!(kept.json()["result"], approved["result"]);
}

#[actix_web::test]
async fn a_return_and_an_approval_racing_let_one_through_and_lose_nothing() {
    // Arrange: two reviewers act on the same submitted version at once, and the unit tries
    // to withdraw by editing.
    let world = world().await;
    let id = world.own_draft;
    let submitted = expect_status(&world.unit_a, id, "submit", None, "submitted").await;
    let tag = format!("\"{}\"", submitted["version"]);
    let second_reviewer = world
        .admin
        .as_caller(Some(&world.admin.issue("reviewer", &[]).await));
    let (first, second, unit) = (
        world.reviewer.clone(),
        second_reviewer,
        world.unit_a.clone(),
    );
    let (tag_1, tag_2, tag_3) = (tag.clone(), tag.clone(), tag.clone());

    // Act
    let replies = concurrently(vec![
        Box::pin(async move { move_to(&first, id, "return", Some("缺少佐证"), Some(&tag_1)).await })
            as std::pin::Pin<Box<dyn Future<Output = Reply>>>,
        Box::pin(async move { move_to(&second, id, "approve", None, Some(&tag_2)).await }),
        Box::pin(async move {
            unit.put_json(&evaluation(id), &good(finance(2021)), Some(&tag_3))
                .await
        }),
    ])
    .await;

    // Assert: one transition won and the other got 412; the edit was refused, as locked (409)
    // or as stale (412) depending on whether it came before or after the winner.
    let transitions = statuses(&replies[..2]);
    assert_eq!(transitions, [200, 412], "{transitions:?}");
    assert!(
        [409, 412].contains(&replies[2].status),
        "{}",
        body_text(&replies[2])
    );
    let stored = world.admin.get(&evaluation(id)).await.json();
    let winner = if replies[0].status == 200 {
        "returned"
    } else {
        "approved"
    };
    assert_eq!(stored["status"], winner);
    assert_eq!(
        stored["version"],
        submitted["version"].as_i64().unwrap() + 1
    );
    let history = world
        .admin
        .get(&format!("{}/history", evaluation(id)))
        .await
        .json();
    let actions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["created", "submitted", winner]);
}

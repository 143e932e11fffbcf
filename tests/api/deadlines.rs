//! Submission deadlines and overdue forms.

use crate::support::*;

#[actix_web::test]
async fn forms_not_submitted_by_a_past_deadline_are_overdue() {
    // Arrange
    let app = spawn_app().await;
    let draft = id_of(&app.create(&form_of("甲单位", 2020)).await);
    let submitted = id_of(&app.create(&form_of("乙单位", 2020)).await);
    let other_year = id_of(&app.create(&form_of("丙单位", 2021)).await);
    let reply = move_to(&app, submitted, "submit", None, Some("\"1\"")).await;
    assert_eq!(reply.status, 200);

    // Act
    let set = set_deadline(&app, 2020, "department", "2021-07-31").await;
    let future = set_deadline(&app, 2021, "department", "2999-12-31").await;

    // Assert
    assert_eq!(set.status, 200, "{}", body_text(&set));
    assert_eq!(
        set.json(),
        json!({ "fiscal_year": 2020, "kind": "department", "due_on": "2021-07-31" })
    );
    assert_eq!(future.status, 200);
    for (id, overdue) in [(draft, true), (submitted, false), (other_year, false)] {
        let stored = app.get(&evaluation(id)).await.json();
        assert_eq!(stored["overdue"], overdue, "evaluation {id}");
    }
    let overdue: Vec<i64> = page(&app, "").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["overdue"] == true)
        .map(|item| item["id"].as_i64().unwrap())
        .collect();
    assert_eq!(overdue, [draft]);
    let listed = app.get("/api/v1/deadlines").await.json();
    assert_eq!(listed.as_array().unwrap().len(), 2);
}

#[actix_web::test]
async fn a_deadline_can_be_moved_and_removed() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    set_deadline(&app, 2020, "department", "2021-07-31").await;
    assert_eq!(app.get(&evaluation(id)).await.json()["overdue"], true);

    // Act
    let moved = set_deadline(&app, 2020, "department", "2999-01-01").await;
    let after_move = app.get(&evaluation(id)).await.json();
    let removed = app.delete("/api/v1/deadlines/2020/department", None).await;
    let again = app.delete("/api/v1/deadlines/2020/department", None).await;

    // Assert
    assert_eq!(moved.status, 200);
    assert_eq!(after_move["overdue"], false);
    assert_eq!(removed.status, 204);
    assert_problem(&again, 404, "not-found", None);
}

#[actix_web::test]
async fn invalid_deadlines_are_refused() {
    // Arrange
    let app = spawn_app().await;

    for (year, kind, due_on, status, pointer) in [
        (2020, "department", "2021-02-30", 422, Some("/due_on")),
        (2020, "department", "31/07/2021", 422, Some("/due_on")),
        (2020, "department", " 2021-7-31", 422, Some("/due_on")),
        (2020, "department", "+2021-07-31", 422, Some("/due_on")),
        (1900, "department", "2021-07-31", 422, Some("/fiscal_year")),
        (2020, "unit", "2021-07-31", 404, None),
    ] {
        // Act
        let reply = set_deadline(&app, year, kind, due_on).await;

        // Assert
        let code = if status == 404 {
            "not-found"
        } else {
            "invalid-document"
        };
        assert_problem(&reply, status, code, pointer);
    }
    assert_eq!(app.get("/api/v1/deadlines").await.json(), json!([]));
}

//! The unit registry: an admin registers budget codes with their names, and forms must agree.

use crate::support::*;

#[actix_web::test]
async fn registered_units_hold_forms_to_their_code_and_name() {
    // Arrange
    let app = spawn_app().await;
    let unit = app.as_caller(Some(&app.issue("unit", &[FINANCE_CODE]).await));
    let other = app.as_caller(Some(&app.issue("unit", &["430421002"]).await));
    let registered = app
        .put_json(
            &format!("/api/v1/units/{FINANCE_CODE}"),
            &json!({ "name": FINANCE }),
            None,
        )
        .await;
    assert_eq!(registered.status, 200, "{}", body_text(&registered));

    // Act & Assert: the registered pair is accepted, any other pairing is not.
    assert_eq!(
        unit.post_json(EVALUATIONS, &finance(2021)).await.status,
        201
    );
    let mut renamed = finance(2020);
    renamed["unit"]["name"] = json!("衡阳县财政所");
    let reply = unit.post_json(EVALUATIONS, &renamed).await;
    assert_problem(&reply, 422, "invalid-document", Some("/unit"));
    assert!(body_text(&reply).contains("registered as `衡阳县财政局`"));
    // Another unit cannot use the registered name under its own code, so it cannot probe
    // whether that unit's forms exist either.
    let mut borrowed = finance(2021);
    borrowed["unit"]["code"] = json!("430421002");
    let reply = other.post_json(EVALUATIONS, &borrowed).await;
    assert_problem(&reply, 422, "invalid-document", Some("/unit"));
    // Folded spellings are the same unit.
    let mut spaced = finance(2019);
    spaced["unit"]["name"] = json!("衡阳县 财政局");
    assert_eq!(unit.post_json(EVALUATIONS, &spaced).await.status, 201);
    assert_eq!(listed_ids(&app, "").await.len(), 2);
}

#[actix_web::test]
async fn only_admins_manage_the_registry() {
    let app = spawn_app().await;
    let unit = app.as_caller(Some(&app.issue("unit", &[FINANCE_CODE]).await));
    let path = format!("/api/v1/units/{FINANCE_CODE}");
    let body = json!({ "name": FINANCE });

    assert_problem(
        &unit.put_json(&path, &body, None).await,
        403,
        "forbidden",
        None,
    );
    assert_problem(
        &app.anonymous().get("/api/v1/units").await,
        401,
        "unauthenticated",
        None,
    );
    assert_eq!(app.put_json(&path, &body, None).await.status, 200);
    let twice = app.put_json("/api/v1/units/430421009", &body, None).await;
    assert_problem(&twice, 409, "conflict", None);
    let blank = app
        .put_json("/api/v1/units/430421009", &json!({ "name": " " }), None)
        .await;
    assert_problem(&blank, 422, "invalid-document", Some("/name"));
    let listed = unit.get("/api/v1/units").await.json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["name"], FINANCE);
    assert_problem(&unit.delete(&path, None).await, 403, "forbidden", None);
    assert_eq!(app.delete(&path, None).await.status, 204);
    assert_problem(&app.delete(&path, None).await, 404, "not-found", None);
}

//! Invalid input: every problem names the field and nothing is stored.

use crate::support::*;

// ---------------------------------------------------------------------------------------------
// 8. Invalid input
// ---------------------------------------------------------------------------------------------

fn seed_with(change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut form = seed();
    change(&mut form);
    form.to_string().into_bytes()
}

/// A case of an invalid body: name, content type, body, status, problem code, pointer.
type InvalidBody = (
    &'static str,
    &'static str,
    Vec<u8>,
    u16,
    &'static str,
    Option<String>,
);

fn first_leaf(form: &mut Value) -> &mut Value {
    &mut form["indicators"][0]["children"][0]["children"][0]
}

#[actix_web::test]
async fn invalid_bodies_are_problems_naming_the_field_and_store_nothing() {
    // Arrange
    let app = spawn_app().await;
    let json = "application/json";
    let leaf = "/indicators/0/children/0/children/0";
    let cases: Vec<InvalidBody> = vec![
        (
            "malformed JSON",
            json,
            br#"{"kind":"#.to_vec(),
            400,
            "malformed-json",
            None,
        ),
        (
            "not JSON at all",
            json,
            b"kind=department".to_vec(),
            400,
            "malformed-json",
            None,
        ),
        (
            "text/plain",
            "text/plain",
            seed().to_string().into_bytes(),
            415,
            "unsupported-media-type",
            None,
        ),
        // A missing weight is no longer invalid: it is blank on the form (scored with the
        // ruleset's weights when the form has none, else left out and reported).
        (
            "missing unit",
            json,
            seed_with(|f| {
                f.as_object_mut().expect("a form").remove("unit");
            }),
            422,
            "invalid-document",
            Some("/unit".into()),
        ),
        (
            "fiscal_year as text",
            json,
            seed_with(|f| f["fiscal_year"] = json!("abc")),
            422,
            "invalid-document",
            Some("/fiscal_year".into()),
        ),
        (
            "a weight that is a boolean",
            json,
            seed_with(|f| first_leaf(f)["weight"] = json!(true)),
            422,
            "invalid-document",
            Some(format!("{leaf}/weight")),
        ),
        (
            "a negative leaf weight",
            json,
            seed_with(|f| first_leaf(f)["weight"] = json!("-10")),
            422,
            "invalid-document",
            Some(format!("{leaf}/weight")),
        ),
        (
            "a negative funds weight",
            json,
            seed_with(|f| f["funds"]["weight"] = json!(-10)),
            422,
            "invalid-document",
            Some("/funds/weight".into()),
        ),
        (
            "an unknown ruleset",
            json,
            seed_with(|f| f["ruleset"] = json!("hunan-2099")),
            422,
            "invalid-document",
            Some("/ruleset".into()),
        ),
        (
            "a project form without its project",
            json,
            seed_with(|f| f["kind"] = json!("project")),
            422,
            "invalid-document",
            Some("/project".into()),
        ),
    ];

    for (case, content_type, body, status, code, pointer) in cases {
        // Act
        let reply = app.post_raw(EVALUATIONS, content_type, &body).await;

        // Assert
        assert_eq!(reply.status, status, "{case}: {}", body_text(&reply));
        assert_problem(&reply, status, code, pointer.as_deref());
        assert_nothing_stored(&app, case).await;
    }
}

#[actix_web::test]
async fn unknown_fields_are_problems_pointing_at_the_field_itself() {
    // Arrange
    let app = spawn_app().await;
    let leaf = "/indicators/0/children/0/children/0";
    let cases = [
        (
            "a level-4 indicator: a leaf with children",
            seed_with(|f| first_leaf(f)["children"] = json!([{ "name": "四级", "weight": "1" }])),
            format!("{leaf}/children"),
            "too_deep",
        ),
        (
            "an unknown field in funds",
            seed_with(|f| f["funds"]["surplus"] = json!("1")),
            "/funds/surplus".to_owned(),
            "unknown_field",
        ),
        (
            "an unknown top-level field",
            seed_with(|f| f["remarks"] = json!("无")),
            "/remarks".to_owned(),
            "unknown_field",
        ),
    ];

    for (case, body, pointer, code) in cases {
        // Act
        let reply = app.post_raw(EVALUATIONS, "application/json", &body).await;

        // Assert
        assert_eq!(reply.status, 422, "{case}: {}", body_text(&reply));
        let errors = reply.json()["errors"].clone();
        assert_eq!(errors[0]["pointer"], json!(pointer), "{case}: {errors}");
        assert_eq!(errors[0]["code"], code, "{case}: {errors}");
        assert!(errors[0]["location"].is_string(), "{case}: {errors}");
        assert_problem(&reply, 422, "invalid-document", Some(&pointer));
        assert_nothing_stored(&app, case).await;
    }
}

#[actix_web::test]
async fn a_body_over_the_limit_is_a_payload_too_large_problem_and_stores_nothing() {
    // Arrange
    let app = spawn_with(|args| args.body_limit = 2000).await;
    let body = seed().to_string().into_bytes();
    assert!(body.len() > 2000, "the seed is {} bytes", body.len());

    // Act
    let reply = app.post_raw(EVALUATIONS, "application/json", &body).await;

    // Assert
    assert_problem(&reply, 413, "payload-too-large", None);
    assert_nothing_stored(&app, "a body over the limit").await;
}

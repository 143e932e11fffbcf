//! A form's identity: a unit's view of the service depends only on what it may read. Its
//! identity is its budget code where it has one, names and codes are compared as a reader sees
//! them, and a refusal never reads, nor waits for, the refused form.

use crate::support::*;

const UNIT_A: &str = "430421101";
const UNIT_A_NAME: &str = "甲单位";
const UNIT_B: &str = "430421102";

fn form_with(name: &str, code: Option<&str>, year: i64) -> Value {
    let mut form = form_of(name, year);
    if let Some(code) = code {
        form["unit"]["code"] = json!(code);
    }
    form
}

#[actix_web::test]
async fn a_unit_can_neither_learn_of_nor_block_another_units_hidden_draft() {
    // Arrange: no units registered; A has a hidden draft for 2090.
    let app = spawn_app().await;
    let unit_a = app.as_caller(Some(&app.issue("unit", &[UNIT_A]).await));
    let unit_b = app.as_caller(Some(&app.issue("unit", &[UNIT_B]).await));
    unit_a
        .create(&form_with(UNIT_A_NAME, Some(UNIT_A), 2090))
        .await;

    // Act: B files its own code under A's name, for the year A has a draft and for one it has
    // not.
    let same_year = unit_b
        .post_json(EVALUATIONS, &form_with(UNIT_A_NAME, Some(UNIT_B), 2090))
        .await;
    let other_year = unit_b
        .post_json(EVALUATIONS, &form_with(UNIT_A_NAME, Some(UNIT_B), 2091))
        .await;

    // Assert: both answers are the same, and A can still file the other year.
    assert_eq!(same_year.status, 201, "{}", body_text(&same_year));
    assert_eq!(other_year.status, 201, "{}", body_text(&other_year));
    let a_later = unit_a
        .post_json(EVALUATIONS, &form_with(UNIT_A_NAME, Some(UNIT_A), 2091))
        .await;
    assert_eq!(a_later.status, 201, "{}", body_text(&a_later));
}

#[actix_web::test]
async fn a_unit_still_has_one_form_of_a_kind_a_year_under_its_code() {
    let app = spawn_app().await;
    let unit_a = app.as_caller(Some(&app.issue("unit", &[UNIT_A]).await));
    unit_a
        .create(&form_with(UNIT_A_NAME, Some(UNIT_A), 2021))
        .await;

    let renamed = unit_a
        .post_json(
            EVALUATIONS,
            &form_with("甲单位（新名称）", Some(UNIT_A), 2021),
        )
        .await;

    assert_problem(&renamed, 409, "conflict", None);
}

#[actix_web::test]
async fn invisible_characters_do_not_make_a_second_form_of_the_same_unit() {
    let app = spawn_app().await;
    let unit_a = app.as_caller(Some(&app.issue("unit", &[UNIT_A]).await));
    unit_a
        .create(&form_with(UNIT_A_NAME, Some(UNIT_A), 2021))
        .await;
    app.create(&form_with("乙单位", None, 2021)).await;

    // Zero-width space, right-to-left embedding, word joiner, byte-order mark, soft hyphen.
    for invisible in ['\u{200B}', '\u{202B}', '\u{2060}', '\u{FEFF}', '\u{00AD}'] {
        let code = format!("430421{invisible}101");
        let by_code = unit_a
            .post_json(EVALUATIONS, &form_with(UNIT_A_NAME, Some(&code), 2021))
            .await;
        assert_problem(&by_code, 409, "conflict", None);

        let name = format!("乙{invisible}单位");
        let by_name = app
            .post_json(EVALUATIONS, &form_with(&name, None, 2021))
            .await;
        assert_problem(&by_name, 409, "conflict", None);
    }
    assert_eq!(listed_ids(&app, "").await.len(), 2);
}

#[actix_web::test]
async fn a_refusal_is_decided_before_the_refused_form_is_read() {
    // Arrange: B's draft, whose stored document and versions are then made unreadable, so
    // that any answer that read them would be a 500.
    let app = spawn_app().await;
    let unit_a = app.as_caller(Some(&app.issue("unit", &[UNIT_A]).await));
    let unit_b = app.as_caller(Some(&app.issue("unit", &[UNIT_B]).await));
    let hidden = id_of(
        &unit_b
            .create(&form_with("乙单位", Some(UNIT_B), 2021))
            .await,
    );
    {
        let db = rusqlite::Connection::open(&app.db_path).expect("the database opens");
        db.execute_batch(&format!(
            "UPDATE evaluations SET document_json = '{{', result_json = '{{' WHERE id = {hidden};
             DROP TRIGGER evaluation_versions_are_kept_unchanged;
             UPDATE evaluation_versions SET document_json = '{{', result_json = '{{'
                 WHERE evaluation_id = {hidden};"
        ))
        .expect("the stored form is damaged");
    }
    let path = evaluation(hidden);

    // Act and assert: every refusal is the plain 404 of an unknown id.
    for reply in [
        unit_a.get(&path).await,
        unit_a.get(&format!("{path}/form")).await,
        unit_a.get(&format!("{path}/form.html")).await,
        unit_a.get(&format!("{path}/form.xlsx")).await,
        unit_a.get(&format!("{path}/history")).await,
        unit_a.get(&format!("{path}/versions/1")).await,
        unit_a
            .put_json(
                &path,
                &form_with("甲单位", Some(UNIT_A), 2021),
                Some("\"1\""),
            )
            .await,
        unit_a.delete(&path, Some("\"1\"")).await,
        move_to(&unit_a, hidden, "submit", None, Some("\"1\"")).await,
    ] {
        assert_problem(&reply, 404, "not-found", None);
    }
    // The owner, who may read it, does reach the damaged document: the damage is real.
    assert_eq!(unit_b.get(&path).await.status, 500);
}

#[actix_web::test]
async fn a_form_without_a_code_is_known_by_its_name_to_the_admin_only() {
    // Arrange: the admin's form of 丙单位 with no code, and unit A's form under its code.
    let app = spawn_app().await;
    let unit_a = app.as_caller(Some(&app.issue("unit", &[UNIT_A]).await));
    let unit_b = app.as_caller(Some(&app.issue("unit", &[UNIT_B]).await));
    app.create(&form_with("丙单位", None, 2021)).await;
    unit_a
        .create(&form_with(UNIT_A_NAME, Some(UNIT_A), 2021))
        .await;

    // Act: the unit files under the name of the admin's form, which it cannot see; the admin
    // files without a code under the name of the unit's form, which it can.
    let by_unit = unit_b
        .post_json(EVALUATIONS, &form_with("丙单位", Some(UNIT_B), 2021))
        .await;
    let by_admin = app
        .post_json(EVALUATIONS, &form_with(UNIT_A_NAME, None, 2021))
        .await;

    // Assert
    assert_eq!(by_unit.status, 201, "{}", body_text(&by_unit));
    assert_problem(&by_admin, 409, "conflict", None);
}

#[actix_web::test]
async fn a_name_of_invisible_characters_alone_is_blank() {
    let app = spawn_app().await;

    let reply = app
        .post_json(
            EVALUATIONS,
            &form_with("\u{200B}\u{202B} \u{FEFF}", None, 2021),
        )
        .await;

    assert_problem(&reply, 422, "invalid-document", Some("/unit/name"));
    assert_nothing_stored(&app, "a blank name").await;
}

//! Reading a submitted form: every problem in one answer, placed on the paper form and worded
//! as the value it should be; figures in full-width digits read as their ASCII form; a
//! duplicate names the form it collides with, to a caller who may read that form.

use crate::support::*;

const LEAF: &str = "/indicators/0/children/0/children/0";

fn errors_of(reply: &Reply) -> Vec<Value> {
    reply.json()["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn error_at<'a>(errors: &'a [Value], pointer: &str) -> &'a Value {
    errors
        .iter()
        .find(|e| e["pointer"] == pointer)
        .unwrap_or_else(|| panic!("no error at {pointer} among {errors:?}"))
}

#[actix_web::test]
async fn a_form_with_five_problems_gets_all_five_in_one_answer() {
    // Arrange: a missing field, a misspelt field, a year in words, a weight that is text and an
    // amount whose separator could be a decimal point.
    let app = spawn_app().await;
    let mut form = seed();
    form.as_object_mut().expect("a form").remove("kind");
    form["funds"]["excuted"] = json!("239.31");
    form["fiscal_year"] = json!("二〇二〇年");
    form["indicators"][0]["children"][0]["children"][0]["weight"] = json!("十分");
    form["funds"]["annual_budget"] = json!("254，48");

    // Act
    let reply = app.post_json(EVALUATIONS, &form).await;

    // Assert
    assert_problem(&reply, 422, "invalid-document", Some("/kind"));
    let errors = errors_of(&reply);
    assert_eq!(errors.len(), 5, "{errors:#?}");
    for (pointer, code, location, says) in [
        ("/kind", "required", "表格种类", "必填"),
        (
            "/funds/excuted",
            "unknown_field",
            "部门资金 › excuted",
            "表中没有这一项",
        ),
        (
            "/fiscal_year",
            "not_a_year",
            "年度",
            "应为年度，四位整数，如 2020",
        ),
        (
            &format!("{LEAF}/weight"),
            "not_a_weight",
            "绩效指标 › 产出指标 › 数量指标 › 开通工伤保险人社通账号的企业数 › 分值",
            "应为分值",
        ),
        (
            "/funds/annual_budget",
            "ambiguous_separator",
            "部门资金 › 全年预算数",
            "千位",
        ),
    ] {
        let error = error_at(&errors, pointer);
        assert_eq!(error["code"], code, "{error}");
        assert_eq!(error["location"], location, "{error}");
        let detail = error["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(says), "{pointer}: {detail}");
        assert!(
            !detail.contains("i32") && !detail.contains("expected"),
            "{detail}"
        );
    }
    assert_eq!(listed_ids(&app, "").await.len(), 0, "nothing is stored");
}

#[actix_web::test]
async fn a_year_as_text_is_read_and_a_year_in_another_form_is_named_as_a_year() {
    // Arrange
    let app = spawn_app().await;
    let mut as_text = seed();
    as_text["fiscal_year"] = json!("2023");
    let mut in_words = seed();
    in_words["fiscal_year"] = json!("2023年度");

    // Act
    let read = app.post_json("/api/v1/score", &as_text).await;
    let refused = app.post_json(EVALUATIONS, &in_words).await;

    // Assert
    assert_eq!(read.status, 200, "{}", body_text(&read));
    assert_problem(&refused, 422, "invalid-document", Some("/fiscal_year"));
    let errors = errors_of(&refused);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["detail"], "应为年度，四位整数，如 2020");
    assert_eq!(errors[0]["code"], "not_a_year");
    assert_eq!(errors[0]["location"], "年度");
}

#[actix_web::test]
async fn full_width_amounts_weights_and_rates_equal_their_ascii_form() {
    // Arrange: the seed with its figures printed in full-width digits and separators.
    let app = spawn_app().await;
    let ascii = seed();
    let mut wide = seed();
    wide["funds"]["executed"] = json!("２３９．３１");
    wide["funds"]["initial_budget"] = json!("１４４．２２");
    wide["funds"]["annual_budget"] = json!("２５４．４８");
    wide["funds"]["weight"] = json!("１０");
    wide["funds"]["declared_rate"] = json!("９４％");
    wide["funds"]["breakdown"][0]["annual_budget"] = json!("１６７．３１");
    wide["indicators"][0]["children"][0]["children"][0]["weight"] = json!("１０");
    wide["indicators"][0]["children"][0]["children"][0]["declared_score"] = json!("１０");
    wide["fiscal_year"] = json!("２０２０");
    let mut grouped = seed();
    grouped["currency_unit"] = json!("元");
    grouped["funds"]["executed"] = json!("2，393，100");
    grouped["funds"]["annual_budget"] = json!("2、544、800");
    let mut grouped_ascii = seed();
    grouped_ascii["currency_unit"] = json!("元");
    grouped_ascii["funds"]["executed"] = json!("2393100");
    grouped_ascii["funds"]["annual_budget"] = json!("2544800");

    // Act
    let scored_ascii = app.post_json("/api/v1/score", &ascii).await;
    let scored_wide = app.post_json("/api/v1/score", &wide).await;
    let scored_grouped = app.post_json("/api/v1/score", &grouped).await;
    let scored_grouped_ascii = app.post_json("/api/v1/score", &grouped_ascii).await;
    let stored = app.create(&wide).await;

    // Assert
    for reply in [
        &scored_ascii,
        &scored_wide,
        &scored_grouped,
        &scored_grouped_ascii,
    ] {
        assert_eq!(reply.status, 200, "{}", body_text(reply));
    }
    assert_eq!(scored_wide.json(), scored_ascii.json());
    assert_eq!(scored_grouped.json(), scored_grouped_ascii.json());
    assert_eq!(stored["fiscal_year"], 2020);
    assert_eq!(stored["funds"]["executed"], "239.31");
    assert_eq!(stored["funds"]["weight"], "10");
    assert_eq!(stored["funds"]["declared_rate"], "94");
    assert_eq!(
        stored["indicators"][0]["children"][0]["children"][0]["declared_score"],
        "10"
    );
}

#[actix_web::test]
async fn separators_not_between_groups_of_three_are_refused_not_guessed() {
    let app = spawn_app().await;
    for text in ["1，2", "12、34", "1,2345"] {
        let mut form = seed();
        form["funds"]["executed"] = json!(text);

        let reply = app.post_json("/api/v1/score", &form).await;

        assert_problem(&reply, 422, "invalid-document", Some("/funds/executed"));
        let errors = errors_of(&reply);
        assert_eq!(
            errors[0]["code"], "ambiguous_separator",
            "{text}: {errors:?}"
        );
        assert!(
            errors[0]["detail"]
                .as_str()
                .is_some_and(|d| d.contains(text) && d.contains("应为金额")),
            "{errors:?}"
        );
    }
}

#[actix_web::test]
async fn a_duplicate_names_the_stored_form_to_its_owner() {
    // Arrange
    let app = spawn_app().await;
    let unit = app.as_caller(Some(&app.issue("unit", &["430421101"]).await));
    let mut form = form_of("甲单位", 2021);
    form["unit"]["code"] = json!("430421101");
    let first = id_of(&unit.create(&form).await);

    // Act
    let again = unit.post_json(EVALUATIONS, &form).await;

    // Assert
    assert_problem(&again, 409, "conflict", None);
    let problem = again.json();
    assert_eq!(problem["existing_id"], first, "{problem}");
    assert_eq!(problem["existing_url"], evaluation(first), "{problem}");
    assert_eq!(unit.get(&evaluation(first)).await.status, 200);
}

#[actix_web::test]
async fn a_duplicate_of_a_form_the_caller_may_not_read_does_not_name_it() {
    // Arrange: the rules give a unit no way to collide with a form it may not read, so the
    // collision is forged: unit B's hidden draft is made to hold unit A's place.
    let app = spawn_app().await;
    let unit_a = app.as_caller(Some(&app.issue("unit", &["430421101"]).await));
    let unit_b = app.as_caller(Some(&app.issue("unit", &["430421102"]).await));
    let mut form_b = form_of("乙单位", 2021);
    form_b["unit"]["code"] = json!("430421102");
    let hidden = id_of(&unit_b.create(&form_b).await);
    {
        let db = rusqlite::Connection::open(&app.db_path).expect("the database opens");
        db.execute(
            "UPDATE evaluations SET unit_code_key = '430421101' WHERE id = ?1",
            [hidden],
        )
        .expect("the draft takes A's place");
    }
    let mut form_a = form_of("甲单位", 2021);
    form_a["unit"]["code"] = json!("430421101");

    // Act
    let refused = unit_a.post_json(EVALUATIONS, &form_a).await;
    let by_admin = app.post_json(EVALUATIONS, &form_a).await;

    // Assert: the unit is told only that the place is taken; the admin, who may read the
    // draft, is told which form holds it.
    assert_problem(&refused, 409, "conflict", None);
    let problem = refused.json();
    assert!(problem.get("existing_id").is_none(), "{problem}");
    assert!(problem.get("existing_url").is_none(), "{problem}");
    assert_eq!(unit_a.get(&evaluation(hidden)).await.status, 404);
    assert_problem(&by_admin, 409, "conflict", None);
    assert_eq!(by_admin.json()["existing_id"], hidden);
}

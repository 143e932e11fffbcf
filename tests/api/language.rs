//! The language of what a person reads: Chinese by default, English on `Accept-Language: en`;
//! codes, pointers and problem types the same in both.

use crate::support::*;

async fn get_in(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = app.client.get(app.url(path));
    for (name, value) in headers {
        request = request.insert_header((*name, *value));
    }
    app.send(request, None).await
}

async fn post_in(app: &TestApp, path: &str, body: &Value, language: &str) -> Reply {
    let request = app
        .client
        .post(app.url(path))
        .insert_header(("content-type", "application/json"))
        .insert_header(("accept-language", language));
    app.send(request, Some(body.to_string().as_bytes())).await
}

fn varies_on_language(reply: &Reply) -> bool {
    reply
        .header("vary")
        .is_some_and(|vary| vary.to_ascii_lowercase().contains("accept-language"))
}

#[actix_web::test]
async fn a_missing_evaluation_is_a_chinese_problem_by_default_and_english_on_request() {
    // Arrange
    let app = spawn_app().await;
    let path = evaluation(999_999);

    // Act
    let chinese = app.get(&path).await;
    let english = get_in(&app, &path, &[("accept-language", "en-GB, zh;q=0.5")]).await;

    // Assert
    assert_problem(&chinese, 404, "not-found", None);
    assert_eq!(chinese.json()["title"], "未找到");
    assert_eq!(chinese.json()["detail"], "没有这个编号的自评表");
    assert_problem(&english, 404, "not-found", None);
    assert_eq!(english.json()["title"], "Not found");
    assert_eq!(english.json()["detail"], "no evaluation with this id");
    assert_eq!(english.header("content-language").as_deref(), Some("en"));
    assert!(varies_on_language(&chinese) && varies_on_language(&english));
}

#[actix_web::test]
async fn an_invalid_document_is_a_chinese_problem_by_default_and_english_on_request() {
    // Arrange
    let app = spawn_app().await;
    let mut form = seed();
    form["ruleset"] = json!("nowhere-1999");

    // Act
    let chinese = app.post_json("/api/v1/score", &form).await;
    let english = post_in(&app, "/api/v1/score", &form, "en").await;
    let other = post_in(&app, "/api/v1/score", &form, "fr, en;q=0.9").await;

    // Assert
    assert_problem(&chinese, 422, "invalid-document", Some("/ruleset"));
    assert_eq!(chinese.json()["title"], "表格内容不合规");
    assert!(
        chinese.json()["detail"]
            .as_str()
            .unwrap_or_default()
            .starts_with("表格内容不合规：")
    );
    assert_problem(&english, 422, "invalid-document", Some("/ruleset"));
    assert_eq!(english.json()["title"], "Invalid document");
    let machine = |reply: &Reply| -> Vec<(String, String)> {
        reply.json()["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                (
                    e["pointer"].as_str().unwrap_or_default().to_owned(),
                    e["code"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(
        machine(&chinese),
        machine(&english),
        "the field errors are the same machine fields"
    );
    let english_detail = english.json()["errors"][0]["detail"].clone();
    assert!(
        english_detail
            .as_str()
            .is_some_and(|d| d.is_ascii() && d.contains("ruleset")),
        "each field error is worded in English too: {english_detail}"
    );
    assert_eq!(
        other.json()["title"],
        "表格内容不合规",
        "the first tag decides"
    );
}

#[actix_web::test]
async fn findings_read_in_chinese_with_their_location_and_in_english_on_request() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    let path = evaluation(id);

    // Act
    let chinese = app.get(&path).await;
    let english = get_in(&app, &path, &[("accept-language", "en")]).await;

    // Assert
    assert_eq!(chinese.status, 200);
    assert_eq!(english.status, 200);
    let zh = chinese.json()["result"].clone();
    let en = english.json()["result"].clone();
    let first = &zh["findings"][0];
    assert_eq!(first["code"], "declared_score_differs");
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["path"], "/funds/declared_score");
    assert_eq!(first["location"], "部门资金 › 得分");
    assert_eq!(
        first["message"],
        "预算执行率自评得分 8 与规则得分 9.40 不符。"
    );
    assert_eq!(
        en["findings"][0]["message"],
        "The declared execution score 8 differs from the rule score 9.40."
    );
    let leaf = &zh["findings"][2];
    assert_eq!(
        leaf["location"],
        "绩效指标 › 产出指标 › 数量指标 › 减少三公开支 › 得分"
    );
    assert_eq!(
        leaf["message"],
        "“减少三公开支”自评得分 7，按规则应得 6.40。"
    );
    assert_eq!(
        zh["indicators"][0]["children"][0]["children"][1]["explanation"],
        "正向指标：得分 = 分值 10 × min(完成值 3200 ÷ 指标值 5000, 1) = 6.40（四舍五入保留两位小数）"
    );
    assert_eq!(
        en["indicators"][0]["children"][0]["children"][1]["explanation"],
        "positive rule: weight × min(actual / target, 1) = 10 × min(3200 / 5000, 1) = 6.40 (rounded half up to 2 places)"
    );
    assert!(
        zh["total_explanation"]
            .as_str()
            .unwrap_or_default()
            .starts_with("总分")
    );
    assert!(
        en["total_explanation"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Σ")
    );
    for (zh, en) in zh["findings"]
        .as_array()
        .unwrap()
        .iter()
        .zip(en["findings"].as_array().unwrap())
    {
        for field in ["code", "severity", "path", "location", "expected", "actual"] {
            assert_eq!(
                zh[field], en[field],
                "{field} is the same in both languages"
            );
        }
        assert!(zh["message"].is_string() && en["message"].is_string());
        assert_ne!(zh["message"], en["message"]);
    }
    assert!(varies_on_language(&chinese) && varies_on_language(&english));
}

#[actix_web::test]
async fn each_language_has_its_own_entity_tag_and_either_serves_if_match() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);
    let path = evaluation(id);
    let english = get_in(&app, &path, &[("accept-language", "en")]).await;
    let draft_tag = english.header("etag").expect("an ETag");

    // Act
    let replaced = app.put_json(&path, &seed(), Some(&draft_tag)).await;
    expect_status(&app, id, "submit", None, "submitted").await;
    let zh_tag = app.get(&path).await.header("etag").expect("an ETag");
    let en_tag = get_in(&app, &path, &[("accept-language", "en")])
        .await
        .header("etag")
        .expect("an ETag");
    let revalidated_other = get_in(
        &app,
        &path,
        &[("accept-language", "en"), ("if-none-match", &zh_tag)],
    )
    .await;
    let revalidated_same = get_in(
        &app,
        &path,
        &[("accept-language", "en"), ("if-none-match", &en_tag)],
    )
    .await;

    // Assert
    assert_eq!(draft_tag, "\"1-en\"");
    assert_eq!(replaced.status, 200, "{}", body_text(&replaced));
    assert_eq!(replaced.header("etag").as_deref(), Some("\"2\""));
    assert_eq!(zh_tag, "\"3\"");
    assert_eq!(en_tag, "\"3-en\"");
    assert_eq!(
        revalidated_other.status, 200,
        "a Chinese copy is not the English one"
    );
    assert!(body_text(&revalidated_other).contains("The declared execution score"));
    assert_eq!(revalidated_same.status, 304);
}

#[actix_web::test]
async fn list_exports_write_kinds_states_and_grade_sources_in_chinese() {
    // Arrange
    let app = spawn_app().await;
    app.create(&seed()).await;

    // Act
    let csv = app.get("/api/v1/evaluations.csv").await;

    // Assert
    assert_eq!(csv.status, 200, "{}", body_text(&csv));
    let text = body_text(&csv);
    let row = text.lines().nth(1).expect("one form");
    for word in ["部门整体支出", "草稿", "规则"] {
        assert!(row.split(',').any(|field| field == word), "{word} in {row}");
    }
    for word in ["department", "draft", "rule"] {
        assert!(
            !row.split(',').any(|field| field == word),
            "{word} in {row}"
        );
    }
}

#[actix_web::test]
async fn the_reviewers_copy_names_the_rules_and_places_each_finding_in_chinese() {
    // Arrange
    let app = spawn_app().await;
    let id = id_of(&app.create(&seed()).await);

    // Act
    let page = app
        .get(&format!("{}/form.html?annotate=true", evaluation(id)))
        .await;

    // Assert
    assert_eq!(page.status, 200);
    let html = body_text(&page);
    assert!(
        html.contains("湖南省 2020 部门整体支出绩效自评（第 1 版）"),
        "{html}"
    );
    assert!(!html.contains("hunan-2020 1"));
    assert!(html.contains("<td>警告</td>"));
    assert!(html.contains("绩效指标 › 产出指标 › 数量指标 › 减少三公开支 › 得分"));
    assert!(html.contains("“减少三公开支”自评得分 7，按规则应得 6.40。"));
    let findings = &html[html
        .find("<section class=\"findings\">")
        .expect("the findings")..];
    assert!(!findings.contains("/indicators/0/children/0/children/1/declared_score"));
}

#[actix_web::test]
async fn a_call_without_a_token_is_told_so_in_chinese_and_in_english_on_request() {
    // Arrange
    let app = spawn_app().await;
    let anonymous = app.anonymous();

    // Act
    let chinese = anonymous.post_json("/api/v1/score", &seed()).await;
    let english = post_in(&anonymous, "/api/v1/score", &seed(), "en-US").await;

    // Assert
    assert_problem(&chinese, 401, "unauthenticated", None);
    assert_eq!(chinese.json()["title"], "需要身份认证");
    assert!(
        chinese.json()["detail"]
            .as_str()
            .unwrap_or_default()
            .starts_with("此操作需要令牌")
    );
    assert_problem(&english, 401, "unauthenticated", None);
    assert_eq!(english.json()["title"], "Authentication required");
    assert_eq!(
        english.header("www-authenticate").as_deref(),
        Some(r#"Bearer realm="jixiao""#),
        "the English problem keeps the challenge"
    );
}

//! Forms read from the text of a published report (决算公开): the seed report posted whole
//! reads as the example form with its basic data and report; guesses are notes naming their
//! lines; unreadable text is refused naming the line where reading stopped.
#![expect(clippy::unwrap_used, reason = "test code that fails loudly")]

use crate::support::*;

const TEXT: &str = "text/plain; charset=utf-8";

fn seed_text() -> String {
    std::fs::read_to_string(data_dir().join("reports/hengyang-2020.txt")).unwrap()
}

fn example() -> Value {
    let text = std::fs::read_to_string(data_dir().join("examples/hengyang-2020-department.json"));
    serde_json::from_str(&text.unwrap()).unwrap()
}

/// The document without the parts the example form does not hold.
fn form_only(document: &Value) -> Value {
    let mut document = document.clone();
    let fields = document.as_object_mut().unwrap();
    fields.remove("basic_data");
    fields.remove("report");
    document
}

#[actix_web::test]
async fn the_seed_report_posted_whole_reads_as_the_example_form() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let reply = app
        .post_raw("/api/v1/imports?dry_run=true", TEXT, seed_text().as_bytes())
        .await;

    // Assert
    assert_eq!(reply.status, 200, "{}", body_text(&reply));
    let report = reply.json();
    assert_eq!(report["dry_run"], true);
    assert_eq!(form_only(&report["document"]), example());
    assert_eq!(report["result"]["total"], "93.55");
    let basic = &report["document"]["basic_data"];
    assert_eq!(basic["staffing"]["authorized"], "21");
    assert_eq!(basic["spending"][3]["name"], "公务用车购置和维护经费");
    assert_eq!(basic["spending"][3]["parent"], 2);
    assert_eq!(report["document"]["report"]["report_date"], "2021-07-11");
    let notes = report["notes"].as_array().unwrap();
    let note = notes
        .iter()
        .find(|n| n["message"] == "第 556 行：按行首空白判断“质量指标”属于“产出指标”")
        .unwrap_or_else(|| panic!("no note on line 556 in {notes:#?}"));
    assert_eq!(note["line"], 556);
    assert!(
        report.get("evaluation").is_none(),
        "a dry run stores nothing"
    );
    assert!(listed_ids(&app, "").await.is_empty());
}

#[actix_web::test]
async fn the_seed_report_is_stored_with_its_basic_data_and_report() {
    let app = spawn_app().await;

    let reply = app
        .post_raw("/api/v1/imports", TEXT, seed_text().as_bytes())
        .await;

    assert_eq!(reply.status, 201, "{}", body_text(&reply));
    let id = id_of(&reply.json()["evaluation"]);
    let stored = app.get(&evaluation(id)).await.json();
    assert_eq!(form_only(&document_of(&stored)), example());
    assert_eq!(
        stored["basic_data"]["frugality_measures"],
        "严格三公经费审批手续，提高工作人员节约意识，打印资料尽量打印双面"
    );
    assert_eq!(stored["report"]["sections"].as_array().unwrap().len(), 6);
}

#[actix_web::test]
async fn unreadable_text_is_refused_naming_the_line() {
    let app = spawn_app().await;
    let text = seed_text().replace(
        "\t减少三公开支\t5000\t3200\t10\t7",
        "\t减少三公开支\t5000\t3200\t十\t7",
    );

    let reply = app
        .post_raw("/api/v1/imports?dry_run=true", TEXT, text.as_bytes())
        .await;

    assert_problem(&reply, 422, "unreadable-text", None);
    let problem = reply.json();
    assert_eq!(problem["line"], 555, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("第 555 行"),
        "{problem}"
    );

    let mut bytes = b"\xe9\x83\xa8\n\xff\xfe".to_vec();
    bytes.extend_from_slice(seed_text().as_bytes());
    let reply = app.post_raw("/api/v1/imports", TEXT, &bytes).await;
    assert_problem(&reply, 422, "unreadable-text", None);
    assert_eq!(reply.json()["line"], 2);

    let reply = app
        .post_raw("/api/v1/imports", "text/plain; charset=gbk", b"x")
        .await;
    assert_problem(&reply, 415, "unsupported-media-type", None);
}

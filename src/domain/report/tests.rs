use serde_json::json;

use super::*;
use crate::domain::rulesets::Rulesets;
use crate::domain::validation::evaluate;

const FULL: &str = include_str!("../../../data/examples/hengyang-2020-department-full.json");

fn full() -> serde_json::Value {
    serde_json::from_str(FULL).unwrap()
}

fn run(value: serde_json::Value) -> (Vec<ReportCheck>, Vec<Finding>) {
    let document: EvaluationDocument = serde_json::from_value(value).unwrap();
    let mut findings = Vec::new();
    let checks = check_report(&document, &mut findings);
    (checks, findings)
}

/// The full example with its report replaced by one section of `text`.
fn with_text(text: &str) -> serde_json::Value {
    let mut value = full();
    value["report"]["sections"] = json!([{ "heading": "二、一般公共预算支出情况", "text": text }]);
    value
}

fn found<'a>(checks: &'a [ReportCheck], keyword: &str, quoted: &str) -> &'a ReportCheck {
    checks
        .iter()
        .find(|c| c.keyword == keyword && c.quoted == quoted)
        .unwrap_or_else(|| panic!("no check of {keyword} {quoted}"))
}

#[test]
fn the_seed_report_differs_only_in_its_three_public_reduction_of_3200_yuan() {
    let (checks, findings) = run(full());
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let finding = &findings[0];
    assert_eq!(finding.code, FindingCode::ReportFigureDiffers);
    assert_eq!(finding.path, "/report/sections/2/text");
    assert!(
        finding
            .message
            .to_string()
            .contains("同比上年减少了 3200 元"),
        "{}",
        finding.message
    );
    assert!(
        finding
            .message
            .to_string()
            .contains("2.87 − 16.99 = -14.12 万元"),
        "{}",
        finding.message
    );
    assert_eq!(finding.expected.as_deref(), Some("-141200 元"));
    assert_eq!(finding.actual.as_deref(), Some("同比上年减少了3200元"));

    let reduction = found(&checks, "三公经费", "同比上年减少了3200元");
    assert_eq!(reduction.outcome, ReportCheckOutcome::Differs);
    assert_eq!(reduction.quoted_value.unwrap().to_string(), "-3200");
    assert_eq!(reduction.form_value.unwrap().to_string(), "-141200");
    assert_eq!(reduction.form_path, "/basic_data/spending/2/actual");

    // Everything else the report quotes agrees with the form and the basic data.
    for (keyword, quoted, form) in [
        ("公务接待", "比上年决算数减少10%", "-10"),
        ("公车运行维护", "比年初预算数减少22%", "-22"),
        ("公车运行维护", "比上年决算数减少10%", "-10"),
        ("三公经费", "总额2.87万元", "2.87"),
        ("预算执行率", "94%", "94"),
        ("基本支出", "比上年增加61.75万元", "61.75"),
        ("基本支出", "增加了35%", "35"),
        ("基本支出", "年初预算数为144.22万元", "144.22"),
        ("决算收入总计", "254.48万元", "254.48"),
        ("决算支出总计", "239.31万元", "239.31"),
        ("人员经费", "支出184.32万元", "184.32"),
        ("公用经费", "54.98万元", "54.98"),
        ("编制", "21人", "21"),
        ("在职", "21人", "21"),
    ] {
        let check = found(&checks, keyword, quoted);
        assert_eq!(
            check.outcome,
            ReportCheckOutcome::Matches,
            "{keyword} {quoted}"
        );
        assert_eq!(
            check.form_value.unwrap().to_string(),
            form,
            "{keyword} {quoted}"
        );
    }
    let grade = found(&checks, "评价结果", "优秀");
    assert_eq!(grade.outcome, ReportCheckOutcome::Matches);
    assert_eq!(grade.form_path, "/declared_grade");
    // 上级补助收入 65 万元, 占 65.74%, 比上年度增加 84.50 万元 (of income, which the form does
    // not state for last year), 征缴 2591 万元, 280 人次 are never compared.
    for stray in [
        "65万元",
        "65.74%",
        "比上年度增加84.50万元",
        "2591万元",
        "280人",
        "5人",
    ] {
        assert!(
            checks.iter().all(|c| !c.quoted.ends_with(stray)),
            "{stray} was read: {checks:#?}"
        );
    }
}

#[test]
fn the_seed_result_carries_the_checks_and_the_finding() {
    let document: EvaluationDocument = serde_json::from_str(FULL).unwrap();
    let result = evaluate(&document, &Rulesets::built_in("national-2020").unwrap()).unwrap();
    let codes: Vec<&str> = result.findings.iter().map(|f| f.code.as_str()).collect();
    assert!(codes.contains(&"report_figure_differs"));
    assert!(codes.contains(&"basic_spending_over_budget"));
    assert!(!codes.contains(&"basic_data_does_not_sum"));
    assert!(!codes.contains(&"control_rate_differs"));
    assert!(result.report_checks.len() > 20);
    assert_eq!(
        result.basic_data.unwrap().control_rate.unwrap().to_string(),
        "100.00"
    );
}

#[test]
fn yuan_and_ten_thousand_yuan_are_compared_in_the_unit_the_report_quotes() {
    // 2.87 万元 = 28700 元; 14.12 万元 = 141200 元.
    let (checks, findings) = run(with_text(
        "“三公”经费总额 28700 元，比上年减少 141200 元，比上年减少 14.12 万元，比上年减少 0.32 万元。",
    ));
    assert_eq!(
        found(&checks, "三公经费", "总额28700元").outcome,
        ReportCheckOutcome::Matches
    );
    assert_eq!(
        found(&checks, "三公经费", "比上年减少141200元").outcome,
        ReportCheckOutcome::Matches
    );
    assert_eq!(
        found(&checks, "三公经费", "比上年减少14.12万元").outcome,
        ReportCheckOutcome::Matches
    );
    assert_eq!(
        found(&checks, "三公经费", "比上年减少0.32万元").outcome,
        ReportCheckOutcome::Differs
    );
    assert_eq!(findings.len(), 1);

    // The basic data in 元, the report in 万元.
    let mut value = with_text("“三公”经费总额 2.87 万元，同比上年减少了 3200 元。");
    let rows = value["basic_data"]["spending"].as_array_mut().unwrap();
    for row in rows {
        for field in ["actual", "budget", "last_year_actual"] {
            if let Some(text) = row[field].as_str() {
                let yuan = rust_decimal::Decimal::from_str_exact(text).unwrap()
                    * rust_decimal::Decimal::from(10_000);
                row[field] = json!(yuan.normalize().to_string());
            }
        }
    }
    value["basic_data"]["currency_unit"] = json!("元");
    let (checks, findings) = run(value);
    assert_eq!(
        found(&checks, "三公经费", "总额2.87万元").outcome,
        ReportCheckOutcome::Matches
    );
    let reduction = found(&checks, "三公经费", "同比上年减少了3200元");
    assert_eq!(reduction.outcome, ReportCheckOutcome::Differs);
    assert_eq!(reduction.form_value.unwrap().to_string(), "-141200");
    assert_eq!(findings.len(), 1);
}

#[test]
fn a_change_in_the_wrong_direction_differs() {
    let (checks, _) = run(with_text("“三公”经费比上年增加 14.12 万元。"));
    assert_eq!(
        found(&checks, "三公经费", "比上年增加14.12万元").outcome,
        ReportCheckOutcome::Differs
    );
}

#[test]
fn figures_without_a_clear_keyword_are_left_alone() {
    for text in [
        // A sub-item's amount after the total's clause is not the total.
        "2020 年决算收入总计 254.48 万元，其中：上级补助收入 65 万元，比上年度增加 84.50 万元。",
        // A share is not an amount.
        "其中基本支出 239.31 万元，占总支出的 100%。",
        // 编制 as a verb, 在职 without a head count.
        "严格按照财政部门要求编制部门预算，编制 2021 年预算。",
        // A count of visits is not an amount of money.
        "国内公务接待 28 批次，接待人次 280 人。",
        // The keyword far before the figure.
        "三公经费支出严格按照规定的审批程序和标准执行共计 9 万元。",
    ] {
        let (checks, findings) = run(with_text(text));
        let stray: Vec<_> = checks
            .iter()
            .filter(|c| !matches!(c.quoted.as_str(), "254.48万元" | "239.31万元"))
            .collect();
        assert!(stray.is_empty(), "{text}: {stray:#?}");
        assert!(findings.is_empty(), "{text}: {findings:#?}");
    }
}

#[test]
fn a_grade_other_than_the_declared_one_differs() {
    let (checks, findings) = run(with_text("2020 年部门整体支出绩效评价自查自评结果为良好。"));
    assert_eq!(
        found(&checks, "评价结果", "良好").outcome,
        ReportCheckOutcome::Differs
    );
    assert!(
        findings[0].message.to_string().contains("优秀"),
        "{}",
        findings[0].message
    );
    // Praise is not a grade.
    let (checks, _) = run(with_text("评价结果为良好的社会效益打下基础。"));
    assert!(checks.is_empty());
}

#[test]
fn without_the_form_figure_nothing_is_compared() {
    let mut value = with_text("“三公”经费总额 2.87 万元，同比上年减少了 3200 元。");
    value.as_object_mut().unwrap().remove("basic_data");
    let (checks, findings) = run(value);
    assert!(checks.is_empty() && findings.is_empty());
}

#[test]
fn a_project_form_may_carry_both_and_is_checked_the_same_way() {
    let mut value: serde_json::Value = serde_json::from_str(include_str!(
        "../../../data/examples/sichuan-2022-project-example.json"
    ))
    .unwrap();
    value["basic_data"] = full()["basic_data"].clone();
    value["report"] = json!({
        "sections": [{ "heading": "一、项目基本情况", "text": "“三公”经费总额 2.87 万元，同比上年减少了 3200 元。" }]
    });
    let document: EvaluationDocument = serde_json::from_value(value).unwrap();
    let result = evaluate(&document, &Rulesets::built_in("national-2020").unwrap()).unwrap();
    let outcomes: Vec<ReportCheckOutcome> =
        result.report_checks.iter().map(|c| c.outcome).collect();
    assert_eq!(
        outcomes,
        [ReportCheckOutcome::Matches, ReportCheckOutcome::Differs]
    );
    assert!(result.basic_data.is_some());
}

mod never_panics {
    use proptest::prelude::*;

    use super::super::{grade_quote, quotes, sentences};
    use crate::domain::basic_data::bare_name;

    /// Text made of the pieces the reader looks for, so that odd mixtures of them are tried.
    fn prose() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("三公经费".to_owned()),
            Just("“三公”".to_owned()),
            Just("公务接待费".to_owned()),
            Just("预算执行率".to_owned()),
            Just("比上年".to_owned()),
            Just("同比".to_owned()),
            Just("减少了".to_owned()),
            Just("增加".to_owned()),
            Just("年初预算".to_owned()),
            Just("万元".to_owned()),
            Just("元".to_owned()),
            Just("%".to_owned()),
            Just("人".to_owned()),
            Just("，".to_owned()),
            Just("。".to_owned()),
            Just("评价结果为优秀".to_owned()),
            Just("（1）".to_owned()),
            Just("其中：".to_owned()),
            "[0-9]{1,4}(\\.[0-9]{1,3})?",
            "\\PC{0,3}",
        ];
        prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn reading_any_prose_never_panics(text in prose()) {
            for sentence in sentences(&text) {
                let _ = quotes(&sentence);
                let _ = grade_quote(&sentence);
            }
            let _ = bare_name(&text);
        }
    }
}

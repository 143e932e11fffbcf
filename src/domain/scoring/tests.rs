//! Rule tests: the seed form end to end, then every rule at its edges.

use rust_decimal::Decimal;

use super::findings::{FindingCode, Severity};
use super::result::ScoreResult;
use crate::domain::document::{EvaluationDocument, Leaf, Method};
use crate::domain::messages::Lang;
use crate::domain::rulesets::Rulesets;
use crate::domain::validation::evaluate;

const SEED: &str = include_str!("../../../data/examples/hengyang-2020-department.json");

fn rulesets() -> Rulesets {
    Rulesets::built_in("national-2020").unwrap()
}

fn seed() -> EvaluationDocument {
    serde_json::from_str(SEED).unwrap()
}

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

fn score(doc: &EvaluationDocument) -> ScoreResult {
    evaluate(doc, &rulesets()).unwrap()
}

fn codes_at(result: &ScoreResult, code: FindingCode) -> Vec<String> {
    result
        .findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| f.path.clone())
        .collect()
}

#[test]
fn the_seed_scores_93_55_excellent_beside_its_declared_92() {
    let result = score(&seed());
    assert_eq!(result.ruleset.id, "hunan-2020");
    assert_eq!(result.total.to_string(), "93.55");
    assert_eq!(result.grade.label, "优秀");
    assert_eq!(result.execution.rate.unwrap().to_string(), "94.04");
    assert_eq!(result.execution.score.to_string(), "9.40");
    assert_eq!(result.declared.total.unwrap().to_string(), "92");
    assert_eq!(result.declared.sum_of_scores.to_string(), "92");
    assert_eq!(result.declared.grade.as_deref(), Some("优秀"));
}

#[test]
fn the_seed_reports_its_own_inconsistencies() {
    let result = score(&seed());
    assert_eq!(
        codes_at(&result, FindingCode::DeclaredScoreDiffers),
        vec![
            "/funds/declared_score",
            "/indicators/0/children/0/children/1/declared_score",
            "/indicators/2/children/0/children/1/declared_score",
        ]
    );
    let breakdown: Vec<_> = result
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::BreakdownDoesNotSum)
        .collect();
    assert_eq!(breakdown.len(), 1, "{breakdown:?}");
    assert_eq!(breakdown[0].severity, Severity::Info);
    assert_eq!(breakdown[0].path, "/funds/breakdown/4/executed");
    assert_eq!(breakdown[0].actual.as_deref(), Some("239.30"));
    let problems: Vec<_> = result
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn the_seed_explains_its_scores() {
    let result = score(&seed());
    let leaf = &result.indicators[0].children[0].children[1];
    assert_eq!(leaf.score.to_string(), "6.40");
    assert_eq!(
        leaf.explanation.to_string(),
        "正向指标：得分 = 分值 10 × min(完成值 3200 ÷ 指标值 5000, 1) = 6.40（四舍五入保留两位小数）"
    );
    assert!(
        leaf.explanation
            .render(Lang::En)
            .contains("10 × min(3200 / 5000, 1) = 6.40"),
        "{}",
        leaf.explanation.render(Lang::En)
    );
    assert!(
        result
            .execution
            .explanation
            .to_string()
            .contains("分值 10 × min(全年执行数 239.31 ÷ 全年预算数 254.48, 1) = 9.40"),
        "{}",
        result.execution.explanation
    );
    let satisfaction = &result.indicators[2].children[0].children[1];
    assert_eq!(satisfaction.score.to_string(), "4.75");
    let sustained = &result.indicators[1].children[1].children[0];
    assert_eq!(sustained.method, Method::Qualitative);
    assert_eq!(sustained.score.to_string(), "13.00");
    assert_eq!(result.indicators[1].weight.to_string(), "30");
}

fn one_leaf(
    target: &str,
    actual: &str,
    weight: &str,
    declared: Option<&str>,
) -> EvaluationDocument {
    let mut doc = seed();
    doc.indicators.truncate(1);
    doc.indicators[0].children.truncate(1);
    doc.indicators[0].children[0].children = vec![Leaf {
        name: "测试指标".into(),
        target: target.into(),
        actual: actual.into(),
        weight: Some(d(weight).into()),
        declared_score: declared.map(|s| d(s).into()),
        operator: None,
        unit: None,
        method: None,
        deviation_reason: None,
    }];
    doc
}

fn leaf_score(
    target: &str,
    actual: &str,
    weight: &str,
    declared: Option<&str>,
) -> (String, ScoreResult) {
    let result = score(&one_leaf(target, actual, weight, declared));
    let leaf = &result.indicators[0].children[0].children[0];
    (leaf.score.to_string(), result.clone())
}

#[test]
fn quantitative_rules_at_their_edges() {
    for (target, actual, expected) in [
        ("300", "315", "10.00"), // capped: no bonus points
        ("300", "300", "10.00"),
        ("300", "150", "5.00"),
        ("≥95%", "94.05%", "9.90"),
        ("5000", "3200", "6.40"),
        ("≤90万元", "90万元", "10.00"),
        ("≤90万元", "100万元", "9.00"),
        ("≤90万元", "0", "10.00"), // reverse with a zero actual meets it in full
        ("≤5%", "0%", "10.00"),
        ("0起", "0起", "10.00"), // a bare zero target is a ceiling
        ("0起", "2起", "0.00"),
        ("=100%", "100%", "10.00"),
        ("=100%", "90%", "9.00"),
        ("﹦100", "110", "10.00"),
        ("≥0", "5", "10.00"),
        ("300", "-5", "0.00"),
    ] {
        let (score, _) = leaf_score(target, actual, "10", Some("0"));
        assert_eq!(score, expected, "{target} → {actual}");
    }
}

#[test]
fn equal_targets_missed_are_flagged() {
    let (_, result) = leaf_score("=100%", "90%", "10", Some("9"));
    assert_eq!(codes_at(&result, FindingCode::EqualTargetNotMet).len(), 1);
    let (_, result) = leaf_score("=100%", "100%", "10", Some("10"));
    assert!(codes_at(&result, FindingCode::EqualTargetNotMet).is_empty());
}

#[test]
fn over_achievement_is_flagged_from_the_threshold() {
    let (score, result) = leaf_score("100", "120", "10", Some("10"));
    assert_eq!(score, "10.00");
    assert_eq!(codes_at(&result, FindingCode::OverAchievement).len(), 1);
    let (_, result) = leaf_score("100", "119.99", "10", Some("10"));
    assert!(codes_at(&result, FindingCode::OverAchievement).is_empty());
}

#[test]
fn qualitative_tiers_at_their_edges() {
    // Achieved band [8, 10], partial [6, 8), not achieved [0, 6) of weight 10: the upper edge
    // of an open band belongs to the tier above, so its top is one cent below it.
    for (actual, declared, expected, outside) in [
        ("有所提升", Some("10"), "10.00", false),
        ("有所提升", Some("8"), "8.00", false),
        ("有所提升", Some("7.99"), "8.00", true),
        ("基本完成", Some("7.999"), "8.00", false),
        ("基本完成", Some("7.99"), "7.99", false),
        ("基本完成", Some("8"), "7.99", true),
        ("基本完成", Some("6"), "6.00", false),
        ("基本完成", Some("5.99"), "6.00", true),
        ("基本完成", Some("9"), "7.99", true),
        ("未完成", Some("5.99"), "5.99", false),
        ("未完成", Some("6"), "5.99", true),
        ("未完成", Some("0"), "0.00", false),
        ("未完成", Some("7"), "5.99", true),
        ("有所提升", None, "10.00", false),
        ("基本完成", None, "7.99", false),
    ] {
        let (score, result) = leaf_score("有所提升", actual, "10", declared);
        assert_eq!(score, expected, "{actual} declared {declared:?}");
        let flagged = !codes_at(&result, FindingCode::QualitativeScoreOutsideBand).is_empty();
        assert_eq!(flagged, outside, "{actual} declared {declared:?}");
        assert!(
            !codes_at(&result, FindingCode::DeclaredScoreDiffers)
                .iter()
                .any(|p| p.starts_with("/indicators")),
            "qualitative scores are reported once, as outside their band"
        );
    }
}

#[test]
fn unknown_tiers_keep_the_declared_score_capped() {
    for (declared, expected) in [(Some("7"), "7.00"), (Some("12"), "10.00"), (None, "0.00")] {
        let (score, result) = leaf_score("有所提升", "较好", "10", declared);
        assert_eq!(score, expected, "{declared:?}");
        assert_eq!(
            codes_at(&result, FindingCode::QualitativeTierUnknown).len(),
            1
        );
    }
}

#[test]
fn scores_above_the_weight_are_errors() {
    let (_, result) = leaf_score("100", "100", "10", Some("11"));
    let errors: Vec<_> = result
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::ScoreExceedsWeight)
        .collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].severity, Severity::Error);
}

#[test]
fn not_applicable_leaves_leave_the_total_rescaled() {
    let mut doc = seed();
    doc.indicators[0].children[0].children[1].method = Some(Method::NotApplicable);
    let result = score(&doc);
    // 93.5539… − 6.40 = 87.1539… over 90 applicable points.
    assert_eq!(result.applicable_weight.to_string(), "90");
    assert_eq!(result.total.to_string(), "96.84");
}

#[test]
fn zero_budget_makes_the_rate_not_computable() {
    let mut doc = seed();
    doc.funds.annual_budget = Some(d("0").into());
    let result = score(&doc);
    assert!(result.execution.rate.is_none());
    assert_eq!(result.execution.score.to_string(), "0.00");
    assert_eq!(codes_at(&result, FindingCode::RateNotComputable).len(), 1);
    doc.funds.annual_budget = None;
    let result = score(&doc);
    assert_eq!(codes_at(&result, FindingCode::RateNotComputable).len(), 1);
}

#[test]
fn execution_is_capped_at_the_weight() {
    let mut doc = seed();
    doc.funds.executed = Some(d("300").into());
    let result = score(&doc);
    assert_eq!(result.execution.score.to_string(), "10.00");
    assert_eq!(result.execution.rate.unwrap().to_string(), "117.89");
}

#[test]
fn declared_totals_and_grades_are_checked() {
    let mut doc = seed();
    doc.declared_total = Some(d("95").into());
    doc.declared_grade = Some("良好".into());
    let result = score(&doc);
    assert_eq!(
        codes_at(&result, FindingCode::DeclaredTotalDiffers),
        vec!["/declared_total"]
    );
    assert_eq!(
        codes_at(&result, FindingCode::DeclaredGradeDiffers),
        vec!["/declared_grade"]
    );
    doc.declared_grade = Some("甲等".into());
    let result = score(&doc);
    assert_eq!(
        codes_at(&result, FindingCode::ValueUnreadable),
        vec!["/declared_grade"]
    );
}

#[test]
fn the_declared_grade_is_checked_against_the_declared_and_the_rule_total_apart() {
    // (declared total, declared grade, declared grade differs, rule grade differs); the rules
    // give the seed 93.55, 优秀.
    let cases = [
        (None, "优秀", false, false),
        (Some("85"), "良好", false, true),
        (Some("85"), "优秀", true, false),
        (Some("95"), "良好", true, true),
        (Some("95"), "甲等", false, false),
    ];
    for (total, grade, declared_differs, rule_differs) in cases {
        let mut doc = seed();
        doc.declared_total = total.map(|t| d(t).into());
        doc.declared_grade = Some(grade.into());
        let result = score(&doc);
        let case = format!("{total:?} {grade}");
        assert_eq!(
            !codes_at(&result, FindingCode::DeclaredGradeDiffers).is_empty(),
            declared_differs,
            "{case}"
        );
        assert_eq!(
            !codes_at(&result, FindingCode::RuleGradeDiffers).is_empty(),
            rule_differs,
            "{case}"
        );
    }
}

#[test]
fn the_declared_rate_is_checked_with_its_tolerance() {
    let mut doc = seed();
    doc.funds.declared_rate = Some(d("94.5").into());
    assert!(codes_at(&score(&doc), FindingCode::DeclaredRateDiffers).is_empty());
    doc.funds.declared_rate = Some(d("94.6").into());
    assert_eq!(
        codes_at(&score(&doc), FindingCode::DeclaredRateDiffers).len(),
        1
    );
}

#[test]
fn a_group_weight_is_checked_against_its_rows_and_the_ruleset() {
    let mut doc = seed();
    doc.indicators[0].weight = Some(d("60").into());
    let result = score(&doc);
    assert_eq!(
        codes_at(&result, FindingCode::WeightsDoNotSum),
        vec!["/indicators/0/weight"]
    );
    // The rows still weigh 100, so the total is not rescaled.
    assert!(codes_at(&result, FindingCode::TotalWeightNot100).is_empty());
    assert_eq!(
        codes_at(&result, FindingCode::Level1WeightDiffersFromRuleset),
        vec!["/indicators/0/weight"]
    );
}

#[test]
fn low_execution_needs_a_reason_and_results_must_follow_spending() {
    let mut doc = seed();
    doc.funds.executed = Some(d("127.24").into()); // 50 %
    doc.deviation_analysis = None;
    let result = score(&doc);
    assert_eq!(
        codes_at(&result, FindingCode::LowExecutionWithoutReason).len(),
        1
    );
    assert_eq!(
        codes_at(&result, FindingCode::ResultsExceedSpending).len(),
        1
    );
    assert!(!codes_at(&result, FindingCode::MissingDeviationReason).is_empty());
}

#[test]
fn grades_follow_the_rounded_total() {
    let mut doc = one_leaf("100", "100", "90", Some("90"));
    doc.funds.executed = doc.funds.annual_budget; // execution 10/10
    let result = score(&doc);
    assert_eq!(result.total.to_string(), "100.00");
    // 90 − 10.01 leaves 79.99 + 10 = 89.99: just below the top band.
    doc.indicators[0].children[0].children[0].actual = "88.8777".into();
    let result = score(&doc);
    assert_eq!(result.total.to_string(), "89.99");
    assert_eq!(result.grade.label, "良好");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            "[0-9]{1,6}(\\.[0-9]{1,3})?%?",
            "(≥|≤|=|＜|﹦|不低于|小于)?[0-9]{1,5}(万元|个|%|人次)?(以上|以内)?",
            "(有所提升|完成|未完成|基本完成|达成预期指标|—|)",
            "(≥|≤)?(0\\.0000000001|1000000000000000|999999999999999\\.9999999999|79228162514264337593543950335)%?",
            ".{0,12}",
        ]
    }

    proptest! {
        #[test]
        fn scoring_never_panics_and_never_exceeds_the_weight(
            target in cell(),
            actual in cell(),
            weight in 0u32..=100,
            declared in proptest::option::of(0u32..=150),
            method in proptest::option::of(prop_oneof![
                Just(Method::Positive), Just(Method::Reverse), Just(Method::Equal),
                Just(Method::Qualitative), Just(Method::NotApplicable)]),
        ) {
            let mut doc = one_leaf(&target, &actual, &weight.to_string(), None);
            let leaf = &mut doc.indicators[0].children[0].children[0];
            leaf.declared_score = declared.map(|v| Decimal::from(v).into());
            leaf.method = method;
            let result = score(&doc);
            let scored = &result.indicators[0].children[0].children[0];
            prop_assert!(scored.score.get() <= Decimal::from(weight));
            prop_assert!(scored.score.get() >= Decimal::ZERO);
            prop_assert!(result.total.get() <= Decimal::ONE_HUNDRED);
        }
    }
}

#[test]
fn a_percentage_against_a_plain_number_is_flagged() {
    let (_, result) = leaf_score("≥95%", "0.96", "10", Some("10"));
    assert_eq!(codes_at(&result, FindingCode::UnitMismatch).len(), 1);
    let (_, result) = leaf_score("≥95%", "96%", "10", Some("10"));
    assert!(codes_at(&result, FindingCode::UnitMismatch).is_empty());
    let (_, result) = leaf_score("≥50个", "52", "10", Some("10"));
    assert!(codes_at(&result, FindingCode::UnitMismatch).is_empty());
}

#[test]
fn a_separate_unit_column_applies_to_target_and_actual() {
    let mut doc = one_leaf("90", "96.5", "10", Some("10"));
    let leaf = &mut doc.indicators[0].children[0].children[0];
    leaf.unit = Some("%".into());
    leaf.operator = Some("≥".into());
    let result = score(&doc);
    assert!(codes_at(&result, FindingCode::UnitMismatch).is_empty());
    assert_eq!(
        result.indicators[0].children[0].children[0]
            .score
            .to_string(),
        "10.00"
    );
}

#[test]
fn extreme_figures_within_the_limits_never_overflow() {
    for (budget, executed) in [
        ("0.0000000001", "1000000000000000"),
        ("1000000000000000", "0.0000000001"),
        ("1000000000000000", "1000000000000000"),
    ] {
        let mut doc = seed();
        doc.funds.annual_budget = Some(d(budget).into());
        doc.funds.executed = Some(d(executed).into());
        doc.funds.declared_rate = Some(d("1000000000000000").into());
        doc.funds.breakdown.clear();
        let result = score(&doc);
        assert!(
            result.execution.score.get() <= Decimal::TEN,
            "{budget} / {executed}"
        );
    }
    let (score, _) = leaf_score("0.0000000001", "1000000000000000", "1000000000000000", None);
    assert_eq!(score, "1000000000000000.00");
    let (score, _) = leaf_score("≤1000000000000000", "0.0000000001", "10", None);
    assert_eq!(score, "10.00");
}

#[test]
fn figures_beyond_the_limits_are_refused_with_their_path() {
    let mut doc = seed();
    doc.funds.executed = Some(d("79228162514264337593543950335").into());
    doc.indicators[0].children[0].children[0].weight = Some(d("0.00000000001").into());
    let errors = evaluate(&doc, &rulesets()).unwrap_err();
    let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/funds/executed",
            "/indicators/0/children/0/children/0/weight"
        ]
    );
}

#[test]
fn an_actual_never_filled_in_leaves_the_row_out_of_a_partial_total() {
    let (score, result) = leaf_score("≥95%", "", "10", Some("10"));
    assert_eq!(score, "0.00");
    assert!(result.partial);
    assert!(result.total_explanation.to_string().starts_with("部分得分"));
    assert_eq!(
        codes_at(&result, FindingCode::ActualMissing),
        vec!["/indicators/0/children/0/children/0/actual"]
    );
    assert_eq!(result.applicable_weight.to_string(), "10");
}

#[test]
fn a_leaf_without_weight_is_left_out_and_the_total_says_it_is_partial() {
    let mut doc = seed();
    doc.indicators[0].children[0].children[0].weight = None;
    doc.funds.weight = None;
    let result = score(&doc);
    assert!(result.partial);
    assert_eq!(
        codes_at(&result, FindingCode::WeightMissing),
        vec![
            "/funds/weight",
            "/indicators/0/children/0/children/0/weight"
        ]
    );
    assert_eq!(result.applicable_weight.to_string(), "80");
}

#[test]
fn a_blank_actual_against_a_number_scores_nothing_and_says_why() {
    for actual in ["—", "/"] {
        let (score, result) = leaf_score("≥95%", actual, "10", Some("10"));
        assert_eq!(score, "0.00", "actual {actual:?}");
        let unreadable = codes_at(&result, FindingCode::ValueUnreadable);
        assert_eq!(
            unreadable,
            vec!["/indicators/0/children/0/children/0/actual"]
        );
        assert_eq!(
            codes_at(&result, FindingCode::DeclaredScoreDiffers),
            vec![
                "/funds/declared_score",
                "/indicators/0/children/0/children/0/declared_score"
            ]
        );
    }
}

#[test]
fn the_rate_is_not_computable_without_an_executed_amount() {
    let mut doc = seed();
    doc.funds.executed = None;
    let result = score(&doc);
    assert_eq!(
        codes_at(&result, FindingCode::RateNotComputable),
        vec!["/funds/executed"]
    );
}

#[test]
fn rows_weighing_110_are_reported_and_the_total_rescaled() {
    let mut doc = seed();
    let leaf = &mut doc.indicators[0].children[0].children[0];
    leaf.weight = Some(d("20").into());
    leaf.declared_score = Some(d("20").into());
    let result = score(&doc);
    assert_eq!(
        codes_at(&result, FindingCode::TotalWeightNot100),
        vec!["/indicators"]
    );
    assert_eq!(
        codes_at(&result, FindingCode::WeightsDoNotSum),
        vec!["/indicators/0/weight"]
    );
    // (93.5539… + 10) / 110 × 100
    assert_eq!(result.total.to_string(), "94.14");
}

#[test]
fn a_declared_weight_over_an_empty_group_is_reported() {
    let mut doc = seed();
    doc.indicators[2].children.clear();
    let result = score(&doc);
    assert_eq!(
        codes_at(&result, FindingCode::WeightsDoNotSum),
        vec!["/indicators/2/weight"]
    );
    assert_eq!(
        codes_at(&result, FindingCode::TotalWeightNot100),
        vec!["/indicators"]
    );
}

fn with_operator(operator: &str, target: &str, actual: &str) -> ScoreResult {
    let mut doc = one_leaf(target, actual, "10", Some("10"));
    doc.indicators[0].children[0].children[0].operator = Some(operator.into());
    score(&doc)
}

#[test]
fn operator_columns_name_the_direction_in_words_too() {
    let result = with_operator("反向", "1200", "1300");
    let leaf = &result.indicators[0].children[0].children[0];
    assert_eq!(leaf.method, Method::Reverse);
    assert_eq!(leaf.score.to_string(), "9.23");
    assert!(codes_at(&result, FindingCode::ValueUnreadable).is_empty());
    let result = with_operator("定量", "1200", "1300");
    assert!(codes_at(&result, FindingCode::ValueUnreadable).is_empty());
}

#[test]
fn an_operator_naming_no_method_is_reported() {
    let result = with_operator("越大越好", "1200", "1300");
    assert_eq!(
        codes_at(&result, FindingCode::ValueUnreadable),
        vec!["/indicators/0/children/0/children/0/operator"]
    );
}

#[test]
fn a_blank_target_is_reported() {
    let (_, result) = leaf_score("—", "完成", "10", Some("10"));
    assert_eq!(
        codes_at(&result, FindingCode::ValueUnreadable),
        vec!["/indicators/0/children/0/children/0/target"]
    );
}

#[test]
fn a_number_target_read_against_text_reports_the_qualitative_rule() {
    let (_, result) = leaf_score("≥95%", "达成预期指标", "10", Some("10"));
    let leaf = &result.indicators[0].children[0].children[0];
    assert_eq!(leaf.method, Method::Qualitative);
    assert_eq!(leaf.score.to_string(), "10.00");
}

#[test]
fn a_declared_total_is_rescaled_like_the_computed_one_when_leaves_do_not_apply() {
    let mut doc = seed();
    doc.indicators[0].children[0].children[1].method = Some(Method::NotApplicable);
    // Declared scores without 减少三公开支 (7): 85 of 90 applicable points = 94.44.
    doc.declared_total = Some(d("94.44").into());
    assert!(codes_at(&score(&doc), FindingCode::DeclaredTotalDiffers).is_empty());
    doc.declared_total = Some(d("85").into());
    let result = score(&doc);
    let differs: Vec<_> = result
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::DeclaredTotalDiffers)
        .collect();
    assert_eq!(differs.len(), 1);
    assert_eq!(differs[0].expected.as_deref(), Some("94.44"));
}

#[test]
fn money_in_different_units_is_compared_in_the_targets_unit() {
    let (score, result) = leaf_score("≤90万元", "900000元", "10", Some("10"));
    assert_eq!(score, "10.00");
    assert!(codes_at(&result, FindingCode::UnitMismatch).is_empty());
    let (score, result) = leaf_score("≤90万元", "1000000元", "10", Some("9"));
    assert_eq!(score, "9.00");
    let explanation = &result.indicators[0].children[0].children[0].explanation;
    assert!(
        explanation
            .to_string()
            .starts_with("完成值 1000000元 折合 100万元；反向指标"),
        "{explanation}"
    );
    assert!(
        explanation
            .render(Lang::En)
            .starts_with("actual 1000000元 = 100万元; reverse rule"),
        "{explanation}"
    );
    let (score, _) = leaf_score("≥2亿元", "15000万元", "10", Some("7.5"));
    assert_eq!(score, "7.50");
}

/// The seed's findings and explanations as a reviewer reads them in `lang`: one line per
/// finding (severity, code, location, message), then each explanation.
fn seed_as_read(lang: Lang) -> String {
    let result = score(&seed());
    assert_eq!(result.ruleset.id, "hunan-2020");
    let mut out = String::new();
    for finding in &result.findings {
        out.push_str(&format!(
            "{} {} | {} | {}\n",
            finding.severity.label(lang),
            finding.code.as_str(),
            finding.location,
            finding.message.render(lang)
        ));
    }
    out.push_str(&format!("{}\n", result.execution.explanation.render(lang)));
    for leaf in result
        .indicators
        .iter()
        .flat_map(|l1| &l1.children)
        .flat_map(|l2| &l2.children)
    {
        out.push_str(&format!(
            "{}: {}\n",
            leaf.name,
            leaf.explanation.render(lang)
        ));
    }
    out.push_str(&format!("{}\n", result.total_explanation.render(lang)));
    out
}

/// Compares with the committed text; `BLESS=1` rewrites it instead.
fn assert_snapshot(actual: &str, file: &str) {
    let path = format!(
        "{}/src/domain/scoring/snapshots/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        actual, expected,
        "{file} differs; rerun with BLESS=1 after checking"
    );
}

#[test]
fn the_seeds_findings_read_in_chinese_with_their_paper_locations() {
    assert_snapshot(&seed_as_read(Lang::Zh), "seed_findings.zh.txt");
}

#[test]
fn the_seeds_findings_read_in_english_on_request() {
    assert_snapshot(&seed_as_read(Lang::En), "seed_findings.en.txt");
}

#[test]
fn findings_on_indicator_nodes_are_placed_by_their_names() {
    let mut form: serde_json::Value = serde_json::from_str(SEED).unwrap();
    form["indicators"][0]["children"][0]["weight"] = serde_json::json!("99");
    form["indicators"][1]["weight"] = serde_json::json!("1");
    let result = score(&serde_json::from_value(form).unwrap());
    let located = |path: &str| {
        result
            .findings
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.location.clone())
    };
    assert_eq!(
        located("/indicators/0/children/0/weight").as_deref(),
        Some("绩效指标 › 产出指标 › 数量指标 › 分值")
    );
    assert_eq!(
        located("/indicators/1/weight").as_deref(),
        Some("绩效指标 › 效益指标 › 分值")
    );
    assert!(result.findings.iter().all(|f| !f.location.is_empty()));
}

#[test]
fn node_paths_are_the_pointers_of_their_nodes() {
    for index in [0, 7, 10, 99, 123, 1000, usize::MAX] {
        assert_eq!(super::level1_path(index), format!("/indicators/{index}"));
        assert_eq!(
            super::child_path("/indicators/3", index),
            format!("/indicators/3/children/{index}")
        );
    }
}

use rust_decimal::Decimal;

use super::*;

fn d(text: &str) -> Decimal {
    text.parse().expect("a decimal")
}

fn s(text: &str) -> String {
    text.to_owned()
}

/// The position of each key among the samples. The match is exhaustive, so a new key does not
/// compile until it has a place here, and the test below fails until it has a sample.
fn key_index(msg: &Msg) -> usize {
    match msg {
        Msg::MissingDeviationReason { .. } => 0,
        Msg::OperatorUnreadable { .. } => 1,
        Msg::TargetBlank { .. } => 2,
        Msg::NotANumber { .. } => 3,
        Msg::EqualTargetNotMet { .. } => 4,
        Msg::OverAchievement { .. } => 5,
        Msg::ActualBlank { .. } => 6,
        Msg::UnitMismatch { .. } => 7,
        Msg::TierUnknown { .. } => 8,
        Msg::ScoreOutsideBand { .. } => 9,
        Msg::QualitativeScoreMissing { .. } => 10,
        Msg::LeafScoreMissing { .. } => 11,
        Msg::LeafScoreExceedsWeight { .. } => 12,
        Msg::LeafScoreDiffers { .. } => 13,
        Msg::RateNotComputable { .. } => 14,
        Msg::DeclaredRateDiffers { .. } => 15,
        Msg::ExecutionScoreMissing => 16,
        Msg::ExecutionScoreExceedsWeight { .. } => 17,
        Msg::ExecutionScoreDiffers { .. } => 18,
        Msg::BreakdownDoesNotSum { .. } => 19,
        Msg::WeightsDoNotSum { .. } => 20,
        Msg::TotalWeightNot100 { .. } => 21,
        Msg::WeightDiffersFromRuleset { .. } => 22,
        Msg::DeclaredTotalDiffers { .. } => 23,
        Msg::DeclaredGradeMissing { .. } => 24,
        Msg::DeclaredGradeUnreadable { .. } => 25,
        Msg::DeclaredGradeDiffers { .. } => 26,
        Msg::RuleGradeDiffers { .. } => 27,
        Msg::LowExecutionWithoutReason { .. } => 28,
        Msg::ResultsExceedSpending { .. } => 29,
        Msg::ExplainNotApplicable => 30,
        Msg::ExplainQuantitative { .. } => 31,
        Msg::ExplainActualBlank { .. } => 32,
        Msg::ExplainTierUnknown { .. } => 33,
        Msg::ExplainQualitative { .. } => 34,
        Msg::ExplainExecution { .. } => 35,
        Msg::ExplainExecutionNotComputable { .. } => 36,
        Msg::ExplainTotalNoWeight => 37,
        Msg::ExplainTotalFull { .. } => 38,
        Msg::ExplainTotalRescaled { .. } => 39,
        Msg::ExplainReviewTotal { .. } => 40,
        Msg::RulesetVersion { .. } => 41,
        Msg::ControlRateDiffers { .. } => 42,
        Msg::BasicDataDoesNotSum { .. } => 43,
        Msg::BasicDataPartExceeds { .. } => 44,
        Msg::BasicDataGrew { .. } => 45,
        Msg::BasicDataOverBudget { .. } => 46,
        Msg::ReportFigureDiffers { .. } => 47,
        Msg::LeafLeftOut { .. } => 48,
        Msg::FundsWeightMissing => 49,
        Msg::WeightInferredExecution { .. } => 50,
        Msg::WeightShared { .. } => 51,
        Msg::WeightLevel1Unknown { .. } => 52,
        Msg::WeightLevel2Unknown { .. } => 53,
        Msg::ExplainLeftOut { .. } => 54,
        Msg::ExplainTotalPartial { .. } => 55,
    }
}

const KEYS: usize = 56;

#[expect(
    clippy::too_many_lines,
    reason = "one sample per key: the list reads as one table"
)]
fn samples() -> Vec<Msg> {
    let name = s("开通账号");
    vec![
        Msg::MissingDeviationReason {
            name: name.clone(),
            target: s("≥300个"),
            actual: s("250个"),
        },
        Msg::OperatorUnreadable {
            name: name.clone(),
            operator: s("约"),
            method: Method::Positive,
        },
        Msg::TargetBlank { name: name.clone() },
        Msg::NotANumber {
            name: name.clone(),
            cell: Cell::Actual,
            text: s("较好"),
            method: Method::Reverse,
        },
        Msg::EqualTargetNotMet { name: name.clone() },
        Msg::OverAchievement {
            name: name.clone(),
            percent: d("250"),
            threshold: d("200"),
        },
        Msg::ActualBlank {
            name: name.clone(),
            target: s("≥300个"),
        },
        Msg::UnitMismatch {
            name: name.clone(),
            target_unit: Some(s("%")),
            actual_unit: None,
        },
        Msg::TierUnknown {
            name: name.clone(),
            actual: s("见附件"),
            target: s("有效"),
        },
        Msg::ScoreOutsideBand {
            name: name.clone(),
            declared: d("10"),
            tier: s("部分达成"),
            band: s("[6, 8)"),
            clamped: d("7.99"),
        },
        Msg::QualitativeScoreMissing {
            name: name.clone(),
            top: d("10"),
        },
        Msg::LeafScoreMissing { name: name.clone() },
        Msg::LeafScoreExceedsWeight {
            name: name.clone(),
            declared: d("12"),
            weight: d("10"),
        },
        Msg::LeafScoreDiffers {
            name: name.clone(),
            declared: d("9"),
            score: d("9.4"),
        },
        Msg::RateNotComputable {
            why: RateProblem::NoRate {
                budget: d("10"),
                executed: d("-1"),
            },
        },
        Msg::DeclaredRateDiffers {
            declared: d("95"),
            computed: d("94.04"),
        },
        Msg::ExecutionScoreMissing,
        Msg::ExecutionScoreExceedsWeight {
            declared: d("12"),
            weight: d("10"),
        },
        Msg::ExecutionScoreDiffers {
            declared: d("8"),
            score: d("9.404"),
        },
        Msg::BreakdownDoesNotSum {
            scope: BreakdownScope::Group(BreakdownGroup::Income),
            names: vec![s("财政拨款"), s("其他资金")],
            column: AmountColumn::AnnualBudget,
            figures: vec![d("200"), d("39.3")],
            sum: d("239.3"),
            total: d("239.31"),
            difference: d("0.01"),
            rounding: true,
        },
        Msg::WeightsDoNotSum {
            name: s("产出指标"),
            declared: d("50"),
            sum: d("45"),
        },
        Msg::TotalWeightNot100 {
            total: d("95"),
            execution: d("10"),
            indicators: d("85"),
        },
        Msg::WeightDiffersFromRuleset {
            scope: WeightScope::Level1(s("产出指标")),
            got: d("40"),
            ruleset: s("hunan-2020"),
            want: d("50"),
        },
        Msg::DeclaredTotalDiffers {
            total: d("95"),
            sum: d("93.5"),
        },
        Msg::DeclaredGradeMissing {
            ruleset: s("hunan-2020"),
        },
        Msg::DeclaredGradeUnreadable {
            grade: s("甲"),
            labels: vec![s("优"), s("良")],
        },
        Msg::DeclaredGradeDiffers {
            grade: s("优"),
            total: d("85"),
            due: s("良"),
        },
        Msg::RuleGradeDiffers {
            grade: s("优"),
            rule: s("良"),
        },
        Msg::LowExecutionWithoutReason {
            rate: d("70"),
            threshold: d("80"),
        },
        Msg::ResultsExceedSpending {
            indicators: d("98"),
            rate: d("60"),
            margin: d("30"),
        },
        Msg::ExplainNotApplicable,
        Msg::ExplainQuantitative {
            conversion: Some(Conversion {
                from: d("1000000"),
                from_unit: s("元"),
                to: d("100"),
                to_unit: s("万元"),
            }),
            rule: QuantRule::Reverse {
                weight: d("10"),
                target: d("90"),
                actual: d("100"),
            },
            score: d("9"),
        },
        Msg::ExplainActualBlank {
            method: Method::Equal,
        },
        Msg::ExplainTierUnknown {
            actual: s("见附件"),
            weight: d("10"),
            score: d("8"),
        },
        Msg::ExplainQualitative {
            tier: s("达成"),
            reason: TierReason::Says(s("完成")),
            band: s("[8, 10]"),
            weight: d("10"),
            min_percent: d("80"),
            max_percent: d("100"),
            declared: BandUse::Clamped(d("11")),
            score: d("10"),
        },
        Msg::ExplainExecution {
            weight: d("10"),
            executed: d("225.05"),
            budget: d("239.31"),
            score: d("9.404"),
            rate: d("94.04"),
        },
        Msg::ExplainExecutionNotComputable {
            why: RateProblem::BudgetZero,
        },
        Msg::ExplainTotalNoWeight,
        Msg::ExplainTotalFull { total: d("93.55") },
        Msg::ExplainTotalRescaled {
            sum: d("80"),
            weight: d("90"),
            total: d("88.89"),
        },
        Msg::ExplainReviewTotal {
            sum: d("80"),
            weight: d("90"),
            total: d("88.89"),
        },
        Msg::RulesetVersion {
            name: s("湖南省 2020 部门整体支出绩效自评"),
            version: 1,
        },
        Msg::ControlRateDiffers {
            declared: d("100"),
            actual: d("20"),
            authorized: d("21"),
            rate: d("95.24"),
        },
        Msg::BasicDataDoesNotSum {
            parent: s("三公经费"),
            names: vec![s("公务用车购置和维护经费"), s("公务接待"), s("出国经费")],
            figures: vec![s("1.81"), s("1.06"), s("0")],
            sum: d("2.87"),
            total: d("2.97"),
            unit: s("万元"),
        },
        Msg::BasicDataPartExceeds {
            child: s("三公经费"),
            value: d("300"),
            parent: s("一、部门基本支出"),
            total: d("239.31"),
            unit: s("万元"),
        },
        Msg::BasicDataGrew {
            name: s("三公经费"),
            actual: Some(d("18")),
            last_year: Some(d("16.99")),
            amount: d("1.01"),
            percent: Some(d("5.94")),
            unit: s("万元"),
        },
        Msg::BasicDataOverBudget {
            name: s("一、部门基本支出"),
            actual: Some(d("239.31")),
            budget: None,
            amount: d("95.09"),
            percent: None,
            unit: s("万元"),
        },
        Msg::ReportFigureDiffers {
            sentence: s("同比上年减少了3200元"),
            keyword: s("三公经费"),
            quoted: s("减少3200元"),
            form: s("2.87 − 16.99 = −14.12 万元"),
            quoted_value: Some(d("-3200")),
            form_value: Some(d("-141200")),
            unit: Some(s("元")),
        },
        Msg::LeafLeftOut {
            name: name.clone(),
            blank: Blank::Weight,
        },
        Msg::FundsWeightMissing,
        Msg::WeightInferredExecution {
            ruleset: s("湖南省 2020 部门整体支出绩效自评"),
            ruleset_id: s("hunan-2020"),
            weight: d("10"),
        },
        Msg::WeightShared {
            pool: WeightPool::Level1 {
                label: s("产出指标"),
            },
            weight: d("50"),
            ruleset: s("湖南省 2020 部门整体支出绩效自评"),
            ruleset_id: s("hunan-2020"),
            shares: vec![d("16.67"), d("16.67"), d("16.66")],
        },
        Msg::WeightLevel1Unknown {
            name: s("其他指标"),
            ruleset: s("湖南省 2020 部门整体支出绩效自评"),
            ruleset_id: s("hunan-2020"),
        },
        Msg::WeightLevel2Unknown {
            name: s("其他"),
            level1: s("产出指标"),
            ruleset: s("湖南省 2020 部门整体支出绩效自评"),
            ruleset_id: s("hunan-2020"),
        },
        Msg::ExplainLeftOut {
            blank: Blank::Actual,
        },
        Msg::ExplainTotalPartial {
            total: Box::new(Msg::ExplainTotalFull { total: d("93.55") }),
        },
    ]
}

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_key_has_a_sample_rendered_in_both_languages() {
    let samples = samples();
    let mut seen = [false; KEYS];
    for msg in &samples {
        seen[key_index(msg)] = true;
        let zh = msg.render(Lang::Zh);
        let en = msg.render(Lang::En);
        assert!(has_cjk(&zh), "{msg:?} in Chinese: {zh}");
        assert!(!en.trim().is_empty(), "{msg:?} in English is empty");
        assert_ne!(zh, en, "{msg:?}");
    }
    let missing: Vec<usize> = (0..KEYS).filter(|i| !seen[*i]).collect();
    assert!(missing.is_empty(), "keys without a sample: {missing:?}");
}

#[test]
fn every_term_and_detail_reads_in_both_languages() {
    for term in Term::ALL {
        assert!(has_cjk(term.text(Lang::Zh)), "{term:?}");
        assert!(!term.text(Lang::En).is_empty(), "{term:?}");
    }
    let details = [
        Detail::NoEvaluation,
        Detail::NoResource { path: s("/x") },
        Detail::TokenRequired,
        Detail::VersionChanged { current: 3 },
        Detail::IfMatchRequired,
        Detail::MalformedJson { cause: s("EOF") },
        Detail::PayloadTooLarge { limit: 10 },
        Detail::RequestTimeout { seconds: 5 },
        Detail::JsonRequired,
        Detail::MediaRequired {
            media: s("text/csv"),
        },
        Detail::UnsupportedEncoding { coding: s("br") },
        Detail::UnreadableWorkbook { cause: s("zip") },
        Detail::MethodNotAllowed {
            method: s("PATCH"),
            allow: s("GET"),
        },
        Detail::Internal,
        Detail::InvalidDocument { summary: s("/x") },
        Detail::RoleMayNot {
            role: crate::domain::access::Role::Unit,
            operation: crate::domain::access::Operation::Review,
        },
        Detail::ReviewerMayNotStore,
        Detail::UnitNotCovered {
            units: vec![s("430421001")],
            code: Some(s("430421002")),
        },
        Detail::OnlyRoles {
            roles: vec![crate::domain::access::Role::Admin],
            role: crate::domain::access::Role::Unit,
        },
        Detail::TokenMalformed,
        Detail::TokenUnknown,
        Detail::WrongState {
            transition: crate::domain::lifecycle::Transition::Approve,
            current: crate::domain::lifecycle::Status::Draft,
            allowed: vec![crate::domain::lifecycle::Status::Submitted],
        },
        Detail::Locked {
            status: crate::domain::lifecycle::Status::Approved,
        },
        Detail::NotUnderReview {
            status: crate::domain::lifecycle::Status::Draft,
        },
        Detail::NoSample { id: 3 },
        Detail::NoVersion { id: 1, version: 9 },
        Detail::NoUnit { code: s("430421") },
        Detail::NoUnitOrForms { code: s("430421") },
        Detail::NoToken { id: 4 },
        Detail::NoRuleset {
            id: s("hunan-2021"),
        },
        Detail::NoDeadline {
            year: 2021,
            kind: crate::domain::document::FormKind::Project,
        },
        Detail::NoTemplate { name: s("x.xlsx") },
        Detail::DocsUnavailable,
        Detail::QueryInvalid,
        Detail::QueryNotUtf8 { reason: s("%ZZ") },
        Detail::RulesetInForce {
            id: s("hunan-2020"),
            version: 2,
        },
        Detail::RulesetPublished {
            id: s("hunan-2020"),
            version: 2,
        },
        Detail::RulesetNoLongerLoaded {
            id: s("hunan-2020"),
            version: 1,
        },
        Detail::NothingToSample {
            year: 2020,
            include_sampled: false,
        },
        Detail::UnitTaken {
            name: s("甲单位"),
            code: s("430421"),
        },
        Detail::Duplicate {
            unit: s("衡阳县工伤保险服务中心"),
            code: Some(s("430421001")),
            kind: crate::domain::document::FormKind::Department,
            year: 2020,
            project: None,
        },
    ];
    for detail in &details {
        assert!(has_cjk(&detail.render(Lang::Zh)), "{detail:?}");
        assert!(!detail.render(Lang::En).is_empty(), "{detail:?}");
    }
}

#[test]
fn the_positive_rule_reads_in_the_official_terms() {
    let msg = Msg::ExplainQuantitative {
        conversion: None,
        rule: QuantRule::Positive {
            weight: d("10"),
            actual: d("315"),
            target: d("300"),
        },
        score: d("10"),
    };
    assert_eq!(
        msg.render(Lang::Zh),
        "正向指标：得分 = 分值 10 × min(完成值 315 ÷ 指标值 300, 1) = 10.00（四舍五入保留两位小数）"
    );
    assert_eq!(
        msg.render(Lang::En),
        "positive rule: weight × min(actual / target, 1) = 10 × min(315 / 300, 1) = 10.00 (rounded half up to 2 places)"
    );
}

#[test]
fn stored_text_reads_back_as_keys_and_old_text_as_written() {
    let text = Text::from(Msg::LeafScoreMissing {
        name: s("开通账号"),
    });
    let json = serde_json::to_string(&text).expect("serialize");
    assert_eq!(json, r#"{"key":"leaf_score_missing","name":"开通账号"}"#);
    let back: Text = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, text);
    let old: Text = serde_json::from_str(r#""`x` has no declared score.""#).expect("old");
    assert_eq!(old.render(Lang::Zh), "`x` has no declared score.");
    let decimals = Text::from(Msg::ExplainTotalFull { total: d("93.55") });
    let json = serde_json::to_string(&decimals).expect("serialize");
    let back: Text = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back.render(Lang::Zh), decimals.render(Lang::Zh));
}

#[test]
fn accept_language_takes_the_first_acceptable_tag() {
    let cases = [
        (None, Lang::Zh),
        (Some("en"), Lang::En),
        (Some("en-US,en;q=0.9"), Lang::En),
        (Some("EN-gb"), Lang::En),
        (Some("zh-CN,en;q=0.8"), Lang::Zh),
        (Some("*"), Lang::Zh),
        (Some("fr, en"), Lang::Zh),
        (Some("en;q=0, zh"), Lang::Zh),
        (Some("en;q=0, en-US"), Lang::En),
        (Some(""), Lang::Zh),
    ];
    for (header, want) in cases {
        assert_eq!(Lang::negotiate(header), want, "{header:?}");
    }
}

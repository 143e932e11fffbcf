//! Forms printed without weights, scored with each shipped ruleset's expected weights.

use rust_decimal::Decimal;

use super::findings::{FindingCode, Severity};
use super::result::ScoreResult;
use crate::domain::decimal::Dec;
use crate::domain::document::EvaluationDocument;
use crate::domain::rulesets::Rulesets;
use crate::domain::validation::evaluate;

const DEPARTMENT: &str = include_str!("../../../data/examples/hengyang-2020-department.json");
const PROJECT: &str = include_str!("../../../data/examples/sichuan-2022-project-example.json");

fn rulesets() -> Rulesets {
    Rulesets::built_in("national-2020").unwrap()
}

/// The example printed without 分值: every weight taken out, the declared scores too (a form
/// without 分值 has no 得分 column either), under `ruleset`.
fn unweighted(json: &str, ruleset: &str) -> EvaluationDocument {
    let mut doc: EvaluationDocument = serde_json::from_str(json).unwrap();
    doc.ruleset = Some(ruleset.to_owned());
    doc.funds.weight = None;
    doc.funds.declared_score = None;
    doc.declared_total = None;
    for level1 in &mut doc.indicators {
        level1.weight = None;
        for level2 in &mut level1.children {
            level2.weight = None;
            for leaf in &mut level2.children {
                leaf.weight = None;
                leaf.declared_score = None;
            }
        }
    }
    doc
}

fn leaf_weights(result: &ScoreResult) -> Vec<String> {
    result
        .indicators
        .iter()
        .flat_map(|l1| &l1.children)
        .flat_map(|l2| &l2.children)
        .map(|leaf| leaf.weight.to_string())
        .collect()
}

fn inferred(result: &ScoreResult) -> Vec<(&str, &str)> {
    result
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::WeightInferred)
        .map(|f| (f.path.as_str(), f.expected.as_deref().unwrap_or_default()))
        .collect()
}

/// The same form with the inferred weights written in: it must score exactly the same.
fn with_weights(doc: &EvaluationDocument, result: &ScoreResult) -> EvaluationDocument {
    let mut doc = doc.clone();
    doc.funds.weight = Some(result.execution.weight);
    let weights: Vec<Dec> = result
        .indicators
        .iter()
        .flat_map(|l1| &l1.children)
        .flat_map(|l2| &l2.children)
        .map(|leaf| leaf.weight)
        .collect();
    let leaves = doc
        .indicators
        .iter_mut()
        .flat_map(|l1| &mut l1.children)
        .flat_map(|l2| &mut l2.children);
    for (leaf, weight) in leaves.zip(weights) {
        leaf.weight = Some(weight);
    }
    doc
}

/// (example, ruleset, execution weight, leaf weights, total, grade label)
type Case = (
    &'static str,
    &'static str,
    &'static str,
    Vec<&'static str>,
    &'static str,
    &'static str,
);

fn cases() -> Vec<Case> {
    vec![
        (
            DEPARTMENT,
            "hunan-2020",
            "10",
            vec!["10", "10", "10", "10", "10", "15", "15", "5", "5"],
            "95.55",
            "优秀",
        ),
        (
            DEPARTMENT,
            "national-2020",
            "10",
            vec!["10", "10", "10", "10", "10", "15", "15", "5", "5"],
            "95.55",
            "优",
        ),
        (
            DEPARTMENT,
            "hubei",
            "20",
            // 产出 40 over 5 leaves; 效益 and 满意度 share 40 over their 4 leaves together.
            vec!["8", "8", "8", "8", "8", "10", "10", "10", "10"],
            "95.43",
            "优",
        ),
        (
            DEPARTMENT,
            "district-20-80",
            "20",
            // 80 over all 9 leaves: 8.88 each, the 8 cents left to the first 8.
            vec![
                "8.89", "8.89", "8.89", "8.89", "8.89", "8.89", "8.89", "8.89", "8.88",
            ],
            "95.16",
            "优",
        ),
        (
            DEPARTMENT,
            "sichuan-2023",
            "10",
            vec!["10", "10", "10", "10", "10", "15", "15", "5", "5"],
            "95.55",
            "优",
        ),
        (
            PROJECT,
            "national-2020",
            "10",
            vec!["10", "10", "10", "10", "10", "15", "15", "10"],
            "96.26",
            "优",
        ),
        (
            PROJECT,
            "hunan-2020",
            "10",
            vec!["10", "10", "10", "10", "10", "15", "15", "10"],
            "96.26",
            "优秀",
        ),
        (
            PROJECT,
            "hubei",
            "20",
            vec!["8", "8", "8", "8", "8", "13.34", "13.33", "13.33"],
            "96.13",
            "优",
        ),
        (
            PROJECT,
            "district-20-80",
            "20",
            vec!["10", "10", "10", "10", "10", "10", "10", "10"],
            "95.53",
            "优",
        ),
        (
            PROJECT,
            "sichuan-2023",
            "10",
            vec!["10", "10", "10", "10", "10", "15", "15", "10"],
            "96.26",
            "优",
        ),
    ]
}

#[test]
fn an_unweighted_form_is_scored_with_each_rulesets_weights() {
    for (json, id, execution, weights, total, grade) in cases() {
        let doc = unweighted(json, id);
        let result = evaluate(&doc, &rulesets()).unwrap();
        assert_eq!(result.execution.weight.to_string(), execution, "{id}");
        assert_eq!(leaf_weights(&result), weights, "{id}");
        assert_eq!(result.applicable_weight.get(), Decimal::ONE_HUNDRED, "{id}");
        assert_eq!(result.total.to_string(), total, "{id}");
        assert_eq!(result.grade.label, grade, "{id}");
        // The same form with these weights printed scores exactly the same.
        let weighted = evaluate(&with_weights(&doc, &result), &rulesets()).unwrap();
        assert_eq!(weighted.total, result.total, "{id}");
        assert!(
            weighted
                .findings
                .iter()
                .all(|f| f.code != FindingCode::WeightInferred),
            "{id}: printed weights are not inferred"
        );
        // Every inferred weight is reported where it stands, with its figure.
        let mut expected = vec![("/funds/weight".to_owned(), execution.to_owned())];
        for (l1, level1) in result.indicators.iter().enumerate() {
            for (l2, level2) in level1.children.iter().enumerate() {
                for (k, leaf) in level2.children.iter().enumerate() {
                    expected.push((
                        format!("/indicators/{l1}/children/{l2}/children/{k}/weight"),
                        leaf.weight.to_string(),
                    ));
                }
            }
        }
        let got: Vec<(String, String)> = inferred(&result)
            .into_iter()
            .map(|(p, w)| (p.to_owned(), w.to_owned()))
            .collect();
        assert_eq!(got, expected, "{id}");
        for finding in &result.findings {
            if finding.code == FindingCode::WeightInferred {
                assert_eq!(finding.severity, Severity::Info, "{id}");
                assert!(
                    finding.message.to_string().contains(id),
                    "{id}: {}",
                    finding.message
                );
            }
            assert!(
                !matches!(
                    finding.code,
                    FindingCode::WeightMissing
                        | FindingCode::TotalWeightNot100
                        | FindingCode::Level1WeightDiffersFromRuleset
                        | FindingCode::WeightsDoNotSum
                ),
                "{id}: {finding:?}"
            );
        }
    }
}

#[test]
fn the_finding_explains_how_the_cents_were_shared() {
    let result = evaluate(&unweighted(DEPARTMENT, "district-20-80"), &rulesets()).unwrap();
    let first = result
        .findings
        .iter()
        .find(|f| f.path == "/indicators/0/children/0/children/0/weight")
        .unwrap();
    assert_eq!(
        first.message.to_string(),
        "本表未填分值：绩效指标合计 80 分按评分规则「区县 20/80 模板」（district-20-80）由其 9 项三级\
         指标平分：80 ÷ 9 截至 2 位小数为每项 8.88 分，余下的 0.01 分依次加给前 8 项（各 8.89 分），\
         合计恰为 80 分。"
    );
    let hubei = evaluate(&unweighted(PROJECT, "hubei"), &rulesets()).unwrap();
    let joint = hubei
        .findings
        .iter()
        .find(|f| f.path == "/indicators/2/children/0/children/0/weight")
        .unwrap();
    assert!(
        joint
            .message
            .to_string()
            .contains("「效益指标、满意度指标」40 分")
            && joint.message.to_string().contains("3 项"),
        "{}",
        joint.message
    );
}

#[test]
fn a_form_with_some_weights_is_not_inferred_and_its_blank_weights_are_left_out() {
    let mut doc: EvaluationDocument = serde_json::from_str(DEPARTMENT).unwrap();
    doc.indicators[0].children[0].children[1].weight = None;
    let result = evaluate(&doc, &rulesets()).unwrap();
    assert!(inferred(&result).is_empty());
    let missing: Vec<_> = result
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::WeightMissing)
        .collect();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].severity, Severity::Warning);
    assert!(result.partial);
    assert_eq!(
        missing[0].path,
        "/indicators/0/children/0/children/1/weight"
    );
    let leaf = &result.indicators[0].children[0].children[1];
    assert_eq!(leaf.weight.get(), Decimal::ZERO);
    assert_eq!(leaf.score.get(), Decimal::ZERO);
    // Without the 10 points the total is rescaled over 90 and says the weights do not add up.
    assert_eq!(result.applicable_weight.get(), Decimal::from(90));
    assert!(
        result
            .findings
            .iter()
            .any(|f| f.code == FindingCode::TotalWeightNot100)
    );

    let mut doc: EvaluationDocument = serde_json::from_str(DEPARTMENT).unwrap();
    doc.funds.weight = None;
    let result = evaluate(&doc, &rulesets()).unwrap();
    assert_eq!(result.execution.weight.get(), Decimal::ZERO);
    assert!(
        result
            .findings
            .iter()
            .any(|f| f.code == FindingCode::WeightMissing && f.path == "/funds/weight")
    );
}

#[test]
fn leaves_under_a_level1_indicator_the_ruleset_does_not_name_get_no_weight() {
    let mut doc = unweighted(DEPARTMENT, "hunan-2020");
    doc.indicators[2].name = "其他指标".into();
    let result = evaluate(&doc, &rulesets()).unwrap();
    let missing: Vec<&str> = result
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::WeightMissing)
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(
        missing,
        [
            "/indicators/2/children/0/children/0/weight",
            "/indicators/2/children/0/children/1/weight"
        ]
    );
    assert_eq!(result.applicable_weight.get(), Decimal::from(90));
}

#[test]
fn a_ruleset_may_share_a_level1_weight_by_level2_weights() {
    let (_, json) = crate::domain::ruleset::BUILT_IN
        .iter()
        .find(|(name, _)| name.starts_with("hunan-2020"))
        .unwrap();
    let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
    value["id"] = "hunan-level2".into();
    value["weights"]["level1"][0]["share"] = "level2".into();
    value["weights"]["level1"][0]["level2"] = serde_json::json!([
        {"label": "数量指标", "matches": ["数量"], "weight": "20"},
        {"label": "质量指标", "matches": ["质量"], "weight": "10"},
        {"label": "时效指标", "matches": ["时效"], "weight": "10"},
        {"label": "成本指标", "matches": ["成本"], "weight": "10"}
    ]);
    let ruleset = crate::domain::ruleset::Ruleset::parse(&value.to_string()).unwrap();
    let rulesets = rulesets().with(ruleset);
    let result = evaluate(&unweighted(DEPARTMENT, "hunan-level2"), &rulesets).unwrap();
    assert_eq!(
        leaf_weights(&result),
        ["10", "10", "10", "10", "10", "15", "15", "5", "5"]
    );
    let quantity = result
        .findings
        .iter()
        .find(|f| f.path == "/indicators/0/children/0/children/0/weight")
        .unwrap();
    assert!(
        quantity
            .message
            .to_string()
            .contains("「产出指标」中「数量指标」20 分"),
        "{}",
        quantity.message
    );

    // The level-2 weights must add up to the level-1 weight.
    value["weights"]["level1"][0]["level2"][0]["weight"] = "25".into();
    let err = crate::domain::ruleset::Ruleset::parse(&value.to_string()).unwrap_err();
    assert!(err.to_string().contains("level-2 weights"), "{err}");
}

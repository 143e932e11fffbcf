//! Whether a stored form is filled in enough to be submitted, and what is still missing.
//!
//! A draft may be stored half-filled (a partly legible published form, a clerk's work in
//! progress): blank names, rows without 分值, no goals. It is scored as far as it can be, and
//! lists what is missing here, each gap placed on the paper form; it cannot be submitted until
//! nothing is missing.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::document::{EvaluationDocument, Method};
use super::location::paper_location;
use super::scoring::result::ScoreResult;
use super::validation::is_blank;

/// Whether the form is complete, and what is missing if it is not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Completeness {
    /// Nothing is missing: the form can be submitted.
    pub complete: bool,
    /// Every gap, in the order of the form.
    pub missing: Vec<Missing>,
}

/// One cell or part of the form that is not filled in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Missing {
    /// JSON pointer of the field in the document, e.g. `/funds/weight`.
    pub pointer: String,
    /// Where it sits on the paper form (`部门资金 › 分值`).
    pub location: String,
    /// What is missing, as the clerk reads it (`分值未填`).
    pub what: String,
    /// The same in English, for a caller that asks for English.
    #[serde(skip)]
    pub what_en: &'static str,
}

/// A kind of gap; its wording is [`Gap::what`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gap {
    Weight,
    Name,
    Goals,
    Goal,
    Indicators,
    Target,
    Actual,
}

impl Gap {
    fn what(self) -> &'static str {
        match self {
            Self::Weight => "分值未填",
            Self::Name => "名称未填",
            Self::Goals => "年度总体目标未填",
            Self::Goal => "年初预期目标未填",
            Self::Indicators => "绩效指标未填",
            Self::Target => "年度指标值未填",
            Self::Actual => "实际完成值未填",
        }
    }

    fn what_en(self) -> &'static str {
        match self {
            Self::Weight => "no weight",
            Self::Name => "no name",
            Self::Goals => "no annual goals",
            Self::Goal => "no expected goal",
            Self::Indicators => "no indicators",
            Self::Target => "no target",
            Self::Actual => "no actual",
        }
    }
}

/// What `document` still lacks. `result`, where given, may carry weights the rules inferred
/// for a form printed without 分值 (a `weight_inferred` finding at the row): such a weight is
/// not missing.
#[must_use]
pub fn completeness(document: &EvaluationDocument, result: Option<&ScoreResult>) -> Completeness {
    let mut gaps: Vec<(String, Gap)> = Vec::new();
    let inferred = |pointer: &str| {
        result.is_some_and(|result| {
            result.findings.iter().any(|finding| {
                finding.code.as_str() == "weight_inferred"
                    && (finding.path == pointer
                        || finding.path.strip_suffix("/weight") == Some(pointer))
            })
        })
    };
    if document.funds.weight.is_none() && !inferred("/funds") {
        gaps.push(("/funds/weight".into(), Gap::Weight));
    }
    for (i, row) in document.funds.breakdown.iter().enumerate() {
        if is_blank(&row.name) {
            gaps.push((format!("/funds/breakdown/{i}/name"), Gap::Name));
        }
    }
    if document.goals.is_empty() {
        gaps.push(("/goals".into(), Gap::Goals));
    }
    for (i, goal) in document.goals.iter().enumerate() {
        if is_blank(&goal.expected) {
            gaps.push((format!("/goals/{i}/expected"), Gap::Goal));
        }
    }
    if document.indicators.is_empty() {
        gaps.push(("/indicators".into(), Gap::Indicators));
    }
    for (i, level1) in document.indicators.iter().enumerate() {
        let at1 = format!("/indicators/{i}");
        if is_blank(&level1.name) {
            gaps.push((format!("{at1}/name"), Gap::Name));
        }
        for (j, level2) in level1.children.iter().enumerate() {
            let at2 = format!("{at1}/children/{j}");
            if is_blank(&level2.name) {
                gaps.push((format!("{at2}/name"), Gap::Name));
            }
            for (k, leaf) in level2.children.iter().enumerate() {
                let at3 = format!("{at2}/children/{k}");
                if is_blank(&leaf.name) {
                    gaps.push((format!("{at3}/name"), Gap::Name));
                }
                if leaf.weight.is_none() && !inferred(&at3) {
                    gaps.push((format!("{at3}/weight"), Gap::Weight));
                }
                if leaf.method == Some(Method::NotApplicable) {
                    continue;
                }
                if is_blank(&leaf.target) {
                    gaps.push((format!("{at3}/target"), Gap::Target));
                }
                if is_blank(&leaf.actual) {
                    gaps.push((format!("{at3}/actual"), Gap::Actual));
                }
            }
        }
    }
    let json = if gaps.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::to_value(document).unwrap_or_default()
    };
    let missing: Vec<Missing> = gaps
        .into_iter()
        .map(|(pointer, gap)| Missing {
            location: paper_location(&json, &pointer),
            pointer,
            what: gap.what().to_owned(),
            what_en: gap.what_en(),
        })
        .collect();
    Completeness {
        complete: missing.is_empty(),
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> EvaluationDocument {
        serde_json::from_str(include_str!(
            "../../data/examples/hengyang-2020-department.json"
        ))
        .unwrap()
    }

    #[test]
    fn the_seed_is_complete() {
        let completeness = completeness(&seed(), None);
        assert_eq!(completeness.missing, Vec::new());
        assert!(completeness.complete);
    }

    #[test]
    fn blank_names_missing_weights_and_goals_are_listed_where_they_sit() {
        let mut document = seed();
        document.funds.weight = None;
        document.goals.clear();
        let leaf = &mut document.indicators[0].children[0].children[0];
        leaf.weight = None;
        leaf.actual = " ".into();
        document.indicators[1].children[0].name = String::new();
        let found = completeness(&document, None);
        assert!(!found.complete);
        let listed: Vec<(&str, &str, &str)> = found
            .missing
            .iter()
            .map(|m| (m.pointer.as_str(), m.location.as_str(), m.what.as_str()))
            .collect();
        assert_eq!(
            listed,
            vec![
                ("/funds/weight", "部门资金 › 分值", "分值未填"),
                ("/goals", "年度总体目标", "年度总体目标未填"),
                (
                    "/indicators/0/children/0/children/0/weight",
                    "绩效指标 › 产出指标 › 数量指标 › 开通工伤保险人社通账号的企业数 › 分值",
                    "分值未填"
                ),
                (
                    "/indicators/0/children/0/children/0/actual",
                    "绩效指标 › 产出指标 › 数量指标 › 开通工伤保险人社通账号的企业数 › 实际完成值",
                    "实际完成值未填"
                ),
                (
                    "/indicators/1/children/0/name",
                    "绩效指标 › 效益指标 › 第 1 个二级指标 › 指标名称",
                    "名称未填"
                ),
            ]
        );
    }
}

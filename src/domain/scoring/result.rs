//! The scored result of a form: rule scores beside the declared ones, each explained.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::findings::Finding;
use crate::domain::basic_data::BasicDataResult;
use crate::domain::decimal::Dec;
use crate::domain::document::Method;
use crate::domain::messages::{Lang, Text};
use crate::domain::report::ReportCheck;
use crate::domain::ruleset::{GradeCode, TierCode};
use crate::domain::value::ParsedValue;

/// Everything the rules say about one form. Figures are rounded half up to two places at the
/// end; nothing is rounded before summing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ScoreResult {
    /// The ruleset that produced this result.
    pub ruleset: RulesetRef,
    /// Total on the 100-point scale: Σ rule scores / Σ applicable weights × 100.
    pub total: Dec,
    /// How the total was computed.
    #[schema(value_type = String)]
    pub total_explanation: Text,
    /// The total covers only part of the form: rows without 分值 or 实际完成值 (an incomplete
    /// draft) are left out, each named by a `weight_missing` or `actual_missing` finding. The
    /// grade of a partial total is provisional: such a form cannot be submitted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// Sum of the applicable weights (execution block and applicable leaves).
    pub applicable_weight: Dec,
    /// The grade of the (rounded) total.
    pub grade: Grade,
    /// The budget-execution block.
    pub execution: ExecutionResult,
    /// The indicator tree with rule scores.
    pub indicators: Vec<Level1Result>,
    /// What the unit itself declared.
    pub declared: DeclaredSummary,
    /// The reviewer's total and grade (复核), where review scores were recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewTotal>,
    /// Every inconsistency found, in document order.
    pub findings: Vec<Finding>,
    /// What the basic data (基础数据表) gives: the control rate and each row's changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic_data: Option<BasicDataResult>,
    /// Each figure the report quotes that was compared with the form, agreeing or not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub report_checks: Vec<ReportCheck>,
}

impl ScoreResult {
    /// Writes every finding message and explanation out in `lang`, for sending.
    pub fn localize(&mut self, lang: Lang) {
        self.total_explanation.localize(lang);
        self.execution.explanation.localize(lang);
        if let Some(review) = &mut self.review {
            review.explanation.localize(lang);
        }
        for leaf in self
            .indicators
            .iter_mut()
            .flat_map(|l1| &mut l1.children)
            .flat_map(|l2| &mut l2.children)
        {
            leaf.explanation.localize(lang);
        }
        for finding in &mut self.findings {
            finding.message.localize(lang);
        }
    }

    /// Removes every review score and the review total, leaving the declared and rule figures.
    pub fn clear_review(&mut self) {
        self.review = None;
        self.execution.review = None;
        for level1 in &mut self.indicators {
            level1.review_score = None;
            for level2 in &mut level1.children {
                level2.review_score = None;
                for leaf in &mut level2.children {
                    leaf.review = None;
                }
            }
        }
    }
}

/// Names a ruleset and the version used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RulesetRef {
    /// Ruleset id.
    pub id: String,
    /// Ruleset version.
    pub version: u32,
}

/// A grade: its code and the label the ruleset prints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Grade {
    /// Machine code.
    pub code: GradeCode,
    /// Printed label (`优秀`, `优`, `较差` …).
    pub label: String,
}

/// The budget-execution block, scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ExecutionResult {
    /// 执行率 in percent (executed / annual budget × 100); absent when not computable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Dec>,
    /// The block's weight.
    pub weight: Dec,
    /// Rule score: weight × min(rate, 1).
    pub score: Dec,
    /// The score the unit declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_score: Option<Dec>,
    /// The rate the unit printed, in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_rate: Option<Dec>,
    /// The rule and numbers behind the score.
    #[schema(value_type = String)]
    pub explanation: Text,
    /// The reviewer's score, where one was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewedScore>,
}

/// A score a reviewer recorded (复核分) beside the declared and the rule score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReviewedScore {
    /// The review score.
    pub score: Dec,
    /// The reviewer's reason.
    pub reason: String,
    /// Review score minus rule score.
    pub difference: Dec,
}

/// The reviewer's total: review scores where recorded, rule scores elsewhere.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReviewTotal {
    /// Total on the 100-point scale, computed like the rule total.
    pub total: Dec,
    /// Its grade.
    pub grade: Grade,
    /// Review total minus rule total.
    pub difference: Dec,
    /// How the review total was computed.
    #[serde(default = "no_explanation")]
    #[schema(value_type = String)]
    pub explanation: Text,
}

/// What a review total stored before it explained itself reads as.
fn no_explanation() -> Text {
    Text::Plain(String::new())
}

/// A level-1 indicator, scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Level1Result {
    /// JSON pointer of the node in the document.
    pub path: String,
    /// Name as submitted.
    pub name: String,
    /// Declared weight, or the sum of the children's when none is declared.
    pub weight: Dec,
    /// Sum of the rule scores below.
    pub score: Dec,
    /// Sum of the declared scores below.
    pub declared_score: Dec,
    /// Sum of the review scores below, rule scores standing in where none was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_score: Option<Dec>,
    /// The level-2 indicators.
    pub children: Vec<Level2Result>,
}

/// A level-2 indicator, scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Level2Result {
    /// JSON pointer of the node in the document.
    pub path: String,
    /// Name as submitted.
    pub name: String,
    /// Declared weight, or the sum of the leaves' when none is declared.
    pub weight: Dec,
    /// Sum of the rule scores below.
    pub score: Dec,
    /// Sum of the declared scores below.
    pub declared_score: Dec,
    /// Sum of the review scores below, rule scores standing in where none was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_score: Option<Dec>,
    /// The leaves.
    pub children: Vec<LeafResult>,
}

/// A level-3 indicator, scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LeafResult {
    /// JSON pointer of the leaf in the document.
    pub path: String,
    /// Name as submitted.
    pub name: String,
    /// The rule applied.
    pub method: Method,
    /// Where the method came from: `declared` (the `method` field), `operator` (the 指标性质
    /// column), `target` (read from the target) or `indicator` (a cost indicator).
    pub method_source: MethodSource,
    /// The target as read.
    pub target: ParsedValue,
    /// The actual as read.
    pub actual: ParsedValue,
    /// For quantitative leaves, how far the target was met, in percent, capped at 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion: Option<Dec>,
    /// For qualitative leaves, the tier the actual implies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<TierCode>,
    /// The leaf's weight.
    pub weight: Dec,
    /// Rule score (0 for not-applicable leaves, which leave the total's denominator).
    pub score: Dec,
    /// The score the unit declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_score: Option<Dec>,
    /// The rule and numbers behind the score
    /// (`正向指标：得分 = 分值 10 × min(完成值 3200 ÷ 指标值 5000, 1) = 6.40（四舍五入保留两位小数）`).
    #[schema(value_type = String)]
    pub explanation: Text,
    /// The reviewer's score, where one was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewedScore>,
}

/// Where a leaf's method came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MethodSource {
    /// The document's `method` field.
    Declared,
    /// The separate 指标性质 column.
    Operator,
    /// Read from the target cell.
    Target,
    /// A bare number under a cost indicator (成本指标), scored in reverse.
    Indicator,
}

/// The unit's own figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DeclaredSummary {
    /// The total the unit declared (总分).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Dec>,
    /// The sum of the declared scores (execution and leaves).
    pub sum_of_scores: Dec,
    /// The grade text the unit declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// The declared grade as read by the ruleset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade_code: Option<GradeCode>,
}

//! Findings: the inconsistencies a finance bureau wants reported, each pointing at the field it
//! concerns.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::decimal::{Dec, decimal_text};
use crate::domain::messages::{Lang, Msg, Term, Text};

/// How serious a finding is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The form contradicts the rules (a score above its weight).
    Error,
    /// A figure differs from what the rules give, or something a reviewer must look at.
    Warning,
    /// Worth knowing, usually harmless (rounding differences).
    Info,
}

/// What kind of inconsistency a finding reports. The codes are stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FindingCode {
    /// A declared score differs from the rule score beyond the tolerance.
    DeclaredScoreDiffers,
    /// A scored row has no declared score.
    DeclaredScoreMissing,
    /// A declared score is above the row's weight.
    ScoreExceedsWeight,
    /// Child weights do not add up to their parent's weight.
    WeightsDoNotSum,
    /// The weights of the whole form do not add up to 100.
    #[serde(rename = "total_weight_not_100")]
    TotalWeightNot100,
    /// A level-1 (or execution) weight differs from the ruleset's.
    Level1WeightDiffersFromRuleset,
    /// The declared total is not the sum of the declared scores.
    DeclaredTotalDiffers,
    /// The declared grade is not the grade of the declared total: the unit's own figures
    /// disagree with each other, whatever the rules give.
    DeclaredGradeDiffers,
    /// The declared grade is not the grade of the rule total: the rules grade the form
    /// differently from the unit. Reported only when the declared grade can be read.
    RuleGradeDiffers,
    /// The form states no grade where the ruleset requires one.
    DeclaredGradeMissing,
    /// The printed execution rate is not executed / annual budget.
    DeclaredRateDiffers,
    /// Breakdown rows do not add up to their total or parent row.
    BreakdownDoesNotSum,
    /// The execution rate cannot be computed (zero or missing budget or execution).
    RateNotComputable,
    /// The actual far exceeds the target: the target may have been set too low.
    OverAchievement,
    /// An `=` target was not met exactly.
    EqualTargetNotMet,
    /// A qualitative declared score lies outside the band of the tier the actual implies.
    QualitativeScoreOutsideBand,
    /// No qualitative tier can be read from the actual.
    QualitativeTierUnknown,
    /// A cell could not be read as the rule needs it.
    ValueUnreadable,
    /// Target and actual are in different units.
    UnitMismatch,
    /// A missed target has no reason for the deviation.
    MissingDeviationReason,
    /// The execution rate is low and the form gives no reason.
    LowExecutionWithoutReason,
    /// The indicator score rate is well above the execution rate.
    ResultsExceedSpending,
    /// Rows of the basic data that make up a row whole (the 三公经费 and their parts) do not
    /// add up to it exactly.
    BasicDataDoesNotSum,
    /// A 其中 row of the basic data is larger than the row it is part of.
    BasicDataPartExceedsParent,
    /// The printed 控制率 is not 实际在职人数 ÷ 编制数 × 100.
    ControlRateDiffers,
    /// The 三公经费 grew against last year's 决算数.
    ThreePublicExpensesGrew,
    /// 部门基本支出 was spent beyond its 预算数 (a budget raised during the year is common).
    BasicSpendingOverBudget,
    /// A figure the report quotes differs from the form or the basic data.
    ReportFigureDiffers,
    /// A row has no 分值 (a draft, or a form printed without it): it is left out of the score.
    WeightMissing,
    /// A level-3 indicator has no 实际完成值 at all: it is left out of the score.
    ActualMissing,
    /// The form prints no weights at all: this weight is the ruleset's, and the finding says
    /// which rule gave it (`expected` holds the figure).
    WeightInferred,
}

impl FindingCode {
    /// Every code, in the order they are declared.
    pub const ALL: [Self; 31] = [
        Self::DeclaredScoreDiffers,
        Self::DeclaredScoreMissing,
        Self::ScoreExceedsWeight,
        Self::WeightsDoNotSum,
        Self::TotalWeightNot100,
        Self::Level1WeightDiffersFromRuleset,
        Self::DeclaredTotalDiffers,
        Self::DeclaredGradeDiffers,
        Self::RuleGradeDiffers,
        Self::DeclaredGradeMissing,
        Self::DeclaredRateDiffers,
        Self::BreakdownDoesNotSum,
        Self::RateNotComputable,
        Self::OverAchievement,
        Self::EqualTargetNotMet,
        Self::QualitativeScoreOutsideBand,
        Self::QualitativeTierUnknown,
        Self::ValueUnreadable,
        Self::UnitMismatch,
        Self::MissingDeviationReason,
        Self::LowExecutionWithoutReason,
        Self::ResultsExceedSpending,
        Self::BasicDataDoesNotSum,
        Self::BasicDataPartExceedsParent,
        Self::ControlRateDiffers,
        Self::ThreePublicExpensesGrew,
        Self::BasicSpendingOverBudget,
        Self::ReportFigureDiffers,
        Self::WeightMissing,
        Self::ActualMissing,
        Self::WeightInferred,
    ];

    /// The published code (`rule_grade_differs`), as findings and filters name it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DeclaredScoreDiffers => "declared_score_differs",
            Self::DeclaredScoreMissing => "declared_score_missing",
            Self::ScoreExceedsWeight => "score_exceeds_weight",
            Self::WeightsDoNotSum => "weights_do_not_sum",
            Self::TotalWeightNot100 => "total_weight_not_100",
            Self::Level1WeightDiffersFromRuleset => "level1_weight_differs_from_ruleset",
            Self::DeclaredTotalDiffers => "declared_total_differs",
            Self::DeclaredGradeDiffers => "declared_grade_differs",
            Self::RuleGradeDiffers => "rule_grade_differs",
            Self::DeclaredGradeMissing => "declared_grade_missing",
            Self::DeclaredRateDiffers => "declared_rate_differs",
            Self::BreakdownDoesNotSum => "breakdown_does_not_sum",
            Self::RateNotComputable => "rate_not_computable",
            Self::OverAchievement => "over_achievement",
            Self::EqualTargetNotMet => "equal_target_not_met",
            Self::QualitativeScoreOutsideBand => "qualitative_score_outside_band",
            Self::QualitativeTierUnknown => "qualitative_tier_unknown",
            Self::ValueUnreadable => "value_unreadable",
            Self::UnitMismatch => "unit_mismatch",
            Self::MissingDeviationReason => "missing_deviation_reason",
            Self::LowExecutionWithoutReason => "low_execution_without_reason",
            Self::ResultsExceedSpending => "results_exceed_spending",
            Self::BasicDataDoesNotSum => "basic_data_does_not_sum",
            Self::BasicDataPartExceedsParent => "basic_data_part_exceeds_parent",
            Self::ControlRateDiffers => "control_rate_differs",
            Self::ThreePublicExpensesGrew => "three_public_expenses_grew",
            Self::BasicSpendingOverBudget => "basic_spending_over_budget",
            Self::ReportFigureDiffers => "report_figure_differs",
            Self::WeightMissing => "weight_missing",
            Self::ActualMissing => "actual_missing",
            Self::WeightInferred => "weight_inferred",
        }
    }
}

/// One reported inconsistency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Finding {
    /// What kind of inconsistency.
    pub code: FindingCode,
    /// How serious it is.
    pub severity: Severity,
    /// JSON pointer into the evaluation document (`/indicators/0/children/0/children/1/declared_score`).
    pub path: String,
    /// Where `path` sits on the paper form, in its Chinese labels
    /// (`绩效指标 › 产出指标 › 数量指标 › 开通账号 › 得分`).
    #[serde(default)]
    pub location: String,
    /// A sentence a reviewer can act on, in the caller's language (Chinese unless
    /// `Accept-Language` asks for English).
    #[schema(value_type = String)]
    pub message: Text,
    /// What the rules give, where there is one figure or text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What the form says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
}

impl Finding {
    /// A finding with no expected/actual pair.
    #[must_use]
    pub fn new(
        code: FindingCode,
        severity: Severity,
        path: impl Into<String>,
        message: Msg,
    ) -> Self {
        Self {
            code,
            severity,
            path: path.into(),
            location: String::new(),
            message: message.into(),
            expected: None,
            actual: None,
        }
    }

    /// Where the finding sits on the paper form; its pointer for a result stored before
    /// findings were placed.
    #[must_use]
    pub fn place(&self) -> &str {
        if self.location.is_empty() {
            &self.path
        } else {
            &self.location
        }
    }

    /// Adds the figure the rules give and the figure the form states.
    #[must_use]
    pub fn comparing(mut self, expected: impl Shown, actual: impl Shown) -> Self {
        self.expected = Some(expected.shown());
        self.actual = Some(actual.shown());
        self
    }
}

/// A figure or a text as a finding shows it beside another: a decimal written as it displays,
/// text as it is. Text already written is moved in rather than copied, and a decimal is
/// written without a formatter (see [`decimal_text`]).
pub trait Shown {
    /// The text shown.
    fn shown(self) -> String;
}

impl Shown for String {
    fn shown(self) -> String {
        self
    }
}

impl Shown for &String {
    fn shown(self) -> String {
        self.clone()
    }
}

impl Shown for &str {
    fn shown(self) -> String {
        self.to_owned()
    }
}

impl Shown for Decimal {
    fn shown(self) -> String {
        decimal_text(self)
    }
}

impl Shown for Dec {
    fn shown(self) -> String {
        decimal_text(self.get())
    }
}

impl Severity {
    /// The severity as a person reads it (`错误`, `警告`, `提示`).
    #[must_use]
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Self::Error => Term::SeverityError,
            Self::Warning => Term::SeverityWarning,
            Self::Info => Term::SeverityInfo,
        }
        .text(lang)
    }
}

/// Findings counted by severity, as list views show them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FindingCounts {
    /// Findings of severity `error`.
    pub error: u32,
    /// Findings of severity `warning`.
    pub warning: u32,
    /// Findings of severity `info`.
    pub info: u32,
}

impl FindingCounts {
    /// Counts a list of findings.
    #[must_use]
    pub fn of(findings: &[Finding]) -> Self {
        findings.iter().fold(Self::default(), |mut counts, f| {
            match f.severity {
                Severity::Error => counts.error += 1,
                Severity::Warning => counts.warning += 1,
                Severity::Info => counts.info += 1,
            }
            counts
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_published_names() {
        let codes = [
            (FindingCode::DeclaredScoreDiffers, "declared_score_differs"),
            (FindingCode::DeclaredScoreMissing, "declared_score_missing"),
            (FindingCode::ScoreExceedsWeight, "score_exceeds_weight"),
            (FindingCode::WeightsDoNotSum, "weights_do_not_sum"),
            (FindingCode::TotalWeightNot100, "total_weight_not_100"),
            (
                FindingCode::Level1WeightDiffersFromRuleset,
                "level1_weight_differs_from_ruleset",
            ),
            (FindingCode::DeclaredTotalDiffers, "declared_total_differs"),
            (FindingCode::DeclaredGradeDiffers, "declared_grade_differs"),
            (FindingCode::RuleGradeDiffers, "rule_grade_differs"),
            (FindingCode::DeclaredRateDiffers, "declared_rate_differs"),
            (FindingCode::BreakdownDoesNotSum, "breakdown_does_not_sum"),
            (FindingCode::RateNotComputable, "rate_not_computable"),
            (FindingCode::OverAchievement, "over_achievement"),
            (
                FindingCode::QualitativeScoreOutsideBand,
                "qualitative_score_outside_band",
            ),
            (
                FindingCode::QualitativeTierUnknown,
                "qualitative_tier_unknown",
            ),
            (FindingCode::ValueUnreadable, "value_unreadable"),
            (
                FindingCode::MissingDeviationReason,
                "missing_deviation_reason",
            ),
            (
                FindingCode::LowExecutionWithoutReason,
                "low_execution_without_reason",
            ),
            (
                FindingCode::ResultsExceedSpending,
                "results_exceed_spending",
            ),
            (FindingCode::BasicDataDoesNotSum, "basic_data_does_not_sum"),
            (
                FindingCode::BasicDataPartExceedsParent,
                "basic_data_part_exceeds_parent",
            ),
            (FindingCode::ControlRateDiffers, "control_rate_differs"),
            (
                FindingCode::ThreePublicExpensesGrew,
                "three_public_expenses_grew",
            ),
            (
                FindingCode::BasicSpendingOverBudget,
                "basic_spending_over_budget",
            ),
            (FindingCode::ReportFigureDiffers, "report_figure_differs"),
            (FindingCode::WeightInferred, "weight_inferred"),
            (FindingCode::WeightMissing, "weight_missing"),
        ];
        for (code, name) in codes {
            assert_eq!(serde_json::to_value(code).unwrap(), name);
        }
        for code in FindingCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }
}

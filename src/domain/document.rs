//! The evaluation document: one filled-in 自评表 as a budget unit submits it.
//!
//! Field names are the public contract; Chinese text and raw cell strings are kept verbatim.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::basic_data::BasicData;
use super::decimal::{Dec, DecimalInput, PercentInput};
use super::report::Report;

/// Which of the two official forms this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    /// 部门整体支出绩效自评表: one per unit and year.
    Department,
    /// 项目支出绩效自评表: one per project and year.
    Project,
}

impl FormKind {
    /// Every kind.
    pub const ALL: [Self; 2] = [Self::Department, Self::Project];

    /// The machine name used in URLs and storage.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Department => "department",
            Self::Project => "project",
        }
    }

    /// The name of the expenditure the form evaluates, as its title prints it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Department => "部门整体支出",
            Self::Project => "项目支出",
        }
    }
}

/// The unit in which the funds block is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum CurrencyUnit {
    /// Ten thousand yuan, the usual unit of department forms.
    #[default]
    #[serde(rename = "万元")]
    TenThousandYuan,
    /// Yuan.
    #[serde(rename = "元")]
    Yuan,
}

impl EvaluationDocument {
    /// Whether the form explains its deviations as a whole (偏差及原因分析).
    #[must_use]
    pub fn has_deviation_analysis(&self) -> bool {
        self.deviation_analysis
            .as_deref()
            .is_some_and(|text| !text.trim().is_empty())
    }
}

impl Funds {
    /// The execution block's weight in points; 0 where the form leaves it blank.
    #[must_use]
    pub fn weight_points(&self) -> rust_decimal::Decimal {
        self.weight.map(Dec::get).unwrap_or_default()
    }
}

impl Leaf {
    /// The leaf's weight in points; 0 where the form leaves it blank.
    #[must_use]
    pub fn weight_points(&self) -> rust_decimal::Decimal {
        self.weight.map(Dec::get).unwrap_or_default()
    }
}

impl CurrencyUnit {
    /// The label as printed on the form.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::TenThousandYuan => "万元",
            Self::Yuan => "元",
        }
    }
}

/// One performance self-evaluation form as submitted.
///
/// Unknown fields are refused (422) when a request is read; the schema leaves them open only so
/// that a stored evaluation can extend the document with its own fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EvaluationDocument {
    /// Department-wide (`department`) or project (`project`) form.
    pub kind: FormKind,
    /// The budget year evaluated (年度), e.g. 2020; text such as `"2020"` is read too.
    #[serde(deserialize_with = "super::reading::deserialize_year")]
    #[schema(minimum = 1990, maximum = 2100, example = 2020)]
    pub fiscal_year: i32,
    /// Ruleset id to score with (see `GET /api/v1/rulesets`); the service's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "hunan-2020")]
    pub ruleset: Option<String>,
    /// The budget unit (预算单位 / 填报单位).
    pub unit: Unit,
    /// The project; required on project forms, absent on department forms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<Project>,
    /// Unit of every amount in `funds`: `万元` (default) or `元`.
    #[serde(default)]
    pub currency_unit: CurrencyUnit,
    /// The funds block (部门资金 / 项目资金) with its execution score; empty when absent (a draft).
    #[serde(default)]
    pub funds: Funds,
    /// 年度总体目标: what was expected at the start of the year and what was achieved.
    #[serde(default)]
    pub goals: Vec<Goal>,
    /// 绩效指标: level-1 indicators, each holding level-2 groups of level-3 leaves.
    #[serde(default)]
    pub indicators: Vec<Level1Indicator>,
    /// 总分 as the unit declared it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub declared_total: Option<Dec>,
    /// 自评等级 as the unit declared it (`优秀`, `优`, `良好`, `中`, `较差`, `差` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_grade: Option<String>,
    /// 偏差及原因分析 for the whole form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deviation_analysis: Option<String>,
    /// 改进措施.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub improvement_measures: Option<String>,
    /// 其他需要说明事项.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// 填表人.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prepared_by: Option<String>,
    /// 联系电话.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    /// 填报时间 as printed (e.g. `2021年7月13日`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filled_on: Option<String>,
    /// 部门整体支出绩效评价基础数据表, the first attachment of a department report; it may go
    /// with a project form too, and is checked the same way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic_data: Option<BasicData>,
    /// 绩效自评报告: the report the form is attached to; the figures it quotes are compared
    /// with the form and the basic data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<Report>,
}

/// A budget unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// The unit's name as printed (填报单位).
    #[schema(example = "衡阳县工伤保险服务中心")]
    #[schema(pattern = r"\S")]
    pub name: String,
    /// The unit's budget code (预算编码); identifies the unit where present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// The project of a project form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// 项目名称.
    #[schema(pattern = r"\S")]
    pub name: String,
    /// 主管部门.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// 实施单位.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementer: Option<String>,
}

/// The funds block: budget, execution and the execution score.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Funds {
    /// 年初预算数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub initial_budget: Option<Dec>,
    /// 全年预算数: the adjusted budget the execution rate is measured against. A blank cell
    /// (absent) makes the rate not computable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub annual_budget: Option<Dec>,
    /// 全年执行数. A blank cell (absent) makes the rate not computable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub executed: Option<Dec>,
    /// 分值 of the execution block, usually 10. A draft may leave it blank (absent or `null`);
    /// the form is then incomplete and cannot be submitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub weight: Option<Dec>,
    /// 执行率 as printed, in percent: `94` means 94 %; a trailing `%` (`"100.00%"`) is accepted
    /// and dropped.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::decimal::deserialize_percent"
    )]
    #[schema(value_type = Option<PercentInput>)]
    pub declared_rate: Option<Dec>,
    /// 得分 as the unit declared it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub declared_score: Option<Dec>,
    /// The breakdown rows (按收入性质分, 按支出性质分, 其中).
    #[serde(default)]
    pub breakdown: Vec<BreakdownRow>,
}

/// Which breakdown of the funds a row belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BreakdownGroup {
    /// 按收入性质分 (department form): 一般公共预算, 政府性基金拨款 …
    Income,
    /// 按支出性质分 (department form): 基本支出 (人员经费, 公用经费), 项目支出.
    Expenditure,
    /// 其中 (project form): 当年财政拨款, 上年结转资金, 其他资金 …
    Source,
}

impl BreakdownGroup {
    /// The group's heading as printed.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Income => "按收入性质分",
            Self::Expenditure => "按支出性质分",
            Self::Source => "其中",
        }
    }
}

/// One breakdown row of the funds block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BreakdownRow {
    /// The breakdown this row belongs to.
    pub group: BreakdownGroup,
    /// The row label (一般公共预算, 基本支出, 人员经费 …); blank only in a draft.
    #[serde(default, deserialize_with = "super::reading::text_or_null")]
    pub name: String,
    /// The `name` of the row this one is part of (人员经费 under 基本支出).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// 年初预算数 of this row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub initial_budget: Option<Dec>,
    /// 全年预算数 of this row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub annual_budget: Option<Dec>,
    /// 全年执行数 of this row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub executed: Option<Dec>,
}

/// One pair of 年初预期目标 and 全年实际完成情况.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// 年初预期（设定）目标; blank only in a draft.
    #[serde(default, deserialize_with = "super::reading::text_or_null")]
    pub expected: String,
    /// 全年实际完成情况.
    #[serde(default, deserialize_with = "super::reading::text_or_null")]
    pub actual: String,
}

/// A level-1 indicator (一级指标): 产出指标, 效益指标, 满意度指标.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Level1Indicator {
    /// The name as printed, without the weight (`产出指标`); blank only in a draft.
    #[serde(default, deserialize_with = "super::reading::text_or_null")]
    pub name: String,
    /// The weight printed with the name (`产出指标（50分）` → 50); the sum of the leaves when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub weight: Option<Dec>,
    /// The level-2 indicators.
    #[serde(default)]
    pub children: Vec<Level2Indicator>,
}

/// A level-2 indicator (二级指标): 数量指标, 质量指标, 社会效益指标 …
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Level2Indicator {
    /// The name as printed; blank only in a draft.
    #[serde(default, deserialize_with = "super::reading::text_or_null")]
    pub name: String,
    /// The weight, where the form prints one; the sum of the leaves when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub weight: Option<Dec>,
    /// The level-3 indicators; may be empty (经济效益指标 with no leaves is normal).
    #[serde(default)]
    pub children: Vec<Leaf>,
}

/// A level-3 indicator (三级指标): the scored row of the form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Leaf {
    /// The indicator's name as printed; blank only in a draft.
    #[serde(default, deserialize_with = "super::reading::text_or_null")]
    pub name: String,
    /// 指标值 (target), the raw cell text: `≥95%`, `≤90万元`, `有所提升`, `300`.
    #[serde(default, deserialize_with = "super::reading::text_or_null")]
    #[schema(example = "≥95%")]
    pub target: String,
    /// 实际完成值 (actual), the raw cell text: `315`, `72.74%`, `达成预期指标`.
    #[serde(default, deserialize_with = "super::reading::text_or_null")]
    #[schema(example = "100%")]
    pub actual: String,
    /// 分值 (weight) in points. A draft may leave it blank (absent or `null`): the leaf is then
    /// left out of the score, and the form is incomplete and cannot be submitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub weight: Option<Dec>,
    /// 得分 as the unit declared it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub declared_score: Option<Dec>,
    /// 指标性质, where the form has its own column (`≥`, `≤`, `=`, `定性`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// 度量单位, where the form has its own column (`%`, `个`, `万元`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Overrides the scoring method inferred from the target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// 偏差原因分析及改进措施 for this indicator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deviation_reason: Option<String>,
}

/// How a leaf is scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// More is better: weight × min(actual / target, 1).
    Positive,
    /// Less is better (costs, ≤ targets): weight × min(target / actual, 1).
    Reverse,
    /// Exactly the target: full marks when equal, else scored as positive and flagged.
    Equal,
    /// A text target scored in tiers (achieved / partly / not achieved).
    Qualitative,
    /// Not applicable: dropped from the total, which is rescaled.
    NotApplicable,
}

impl Method {
    /// The machine name used in results and explanations.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Positive => "positive",
            Self::Reverse => "reverse",
            Self::Equal => "equal",
            Self::Qualitative => "qualitative",
            Self::NotApplicable => "not_applicable",
        }
    }
}

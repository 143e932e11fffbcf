//! The 部门整体支出绩效评价基础数据表 published beside a department form: staffing, the
//! spending control figures and the frugality measures.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::decimal::{Dec, DecimalInput};
use super::document::CurrencyUnit;

/// The basic data table (基础数据表) of a department form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BasicData {
    /// Unit of every amount in `spending` and `government_procurement`.
    #[serde(default)]
    pub currency_unit: CurrencyUnit,
    /// 财政供养人员情况.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staffing: Option<Staffing>,
    /// 经费控制情况, top to bottom as printed; a row's `parent` is the index of the row it is
    /// part of (其中 rows, the 三公经费 items).
    #[serde(default)]
    pub spending: Vec<SpendingRow>,
    /// 政府采购金额; null when the form leaves it blank.
    #[serde(default)]
    #[schema(value_type = Option<DecimalInput>)]
    pub government_procurement: Option<Dec>,
    /// 厉行节约保障措施.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frugality_measures: Option<String>,
}

/// 财政供养人员情况: 编制数, 实际在职人数, 控制率.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Staffing {
    /// 编制数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub authorized: Option<Dec>,
    /// 实际在职人数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub actual: Option<Dec>,
    /// 控制率 as printed, in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub declared_control_rate: Option<Dec>,
}

/// One row of 经费控制情况.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpendingRow {
    /// The row label, without `其中：` and item numbers (`三公经费`); top-level rows keep their
    /// `一、` numbering as printed.
    #[schema(pattern = r"\S")]
    pub name: String,
    /// Index in `spending` of the row this one is part of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<usize>,
    /// The year's 决算数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub actual: Option<Dec>,
    /// The year's 预算数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub budget: Option<Dec>,
    /// The previous year's 决算数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub last_year_actual: Option<Dec>,
}

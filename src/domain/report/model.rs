//! The 部门整体支出绩效自评报告 as a unit submits it beside its department form.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// 绩效自评报告: how and by whom it was evaluated, and its sections as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// 评价方式 as ticked (`部门(单位)自评`, `中介机构评价`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "部门(单位)自评")]
    pub method: Option<String>,
    /// 评价机构 (`部门(单位)评价组`, or the agency's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "部门(单位)评价组")]
    pub evaluator: Option<String>,
    /// 报告日期.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date, example = "2021-07-11")]
    pub report_date: Option<chrono::NaiveDate>,
    /// The report's sections in order (一、部门(单位)基本情况 … 六、绩效评价结果).
    #[serde(default)]
    pub sections: Vec<ReportSection>,
}

/// One section of the report: its heading and its text, paragraphs separated by line breaks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportSection {
    /// The heading as printed (`一、部门(单位)基本情况`).
    #[schema(pattern = r"\S")]
    pub heading: String,
    /// The text under the heading; each line is a paragraph.
    #[serde(default)]
    pub text: String,
}

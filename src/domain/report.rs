//! The 绩效自评报告: the prose report published with a form.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The self-evaluation report (绩效自评报告) that accompanies a form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// 评价方式 (`部门(单位)自评`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// 评价机构 (`部门(单位)评价组`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluator: Option<String>,
    /// 报告日期.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_date: Option<NaiveDate>,
    /// The numbered parts of the report (一、部门(单位)基本情况 …), in order.
    #[serde(default)]
    pub sections: Vec<ReportSection>,
}

/// One numbered part of the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportSection {
    /// The heading as printed (`一、部门、单位基本情况`).
    pub heading: String,
    /// The text under it, one paragraph a line.
    pub text: String,
}

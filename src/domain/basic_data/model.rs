//! The 部门整体支出绩效评价基础数据表 as a unit submits it beside its department form.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::decimal::{Dec, DecimalInput, PercentInput};
use crate::domain::document::CurrencyUnit;

/// 部门整体支出绩效评价基础数据表: staffing and the control of spending, with last year's
/// figures beside this year's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BasicData {
    /// Unit of every amount in `spending` and of `government_procurement`: `万元` (default)
    /// or `元`.
    #[serde(default)]
    pub currency_unit: CurrencyUnit,
    /// 财政供养人员情况.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staffing: Option<Staffing>,
    /// 经费控制情况, top to bottom as printed; a row names the row it is part of by index.
    #[serde(default)]
    pub spending: Vec<SpendingRow>,
    /// 政府采购金额; absent when the cell is blank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub government_procurement: Option<Dec>,
    /// 厉行节约保障措施, the text as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frugality_measures: Option<String>,
}

/// 财政供养人员情况: 编制数, 实际在职人数 and the 控制率 the unit printed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Staffing {
    /// 编制数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub authorized: Option<Dec>,
    /// 实际在职人数 of the year evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub actual: Option<Dec>,
    /// 控制率 as printed, in percent (`100` or `"100%"`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::domain::decimal::deserialize_percent"
    )]
    #[schema(value_type = Option<PercentInput>)]
    pub declared_control_rate: Option<Dec>,
}

/// One row of 经费控制情况.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpendingRow {
    /// The row's name as printed (`一、部门基本支出`, `三公经费`, `其中：公车购置`); numbering
    /// and `其中：` may be kept or left out, the checks read the name without them.
    #[schema(pattern = r"\S")]
    pub name: String,
    /// Index in `spending` of the row this one is part of; it must come earlier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0)]
    pub parent: Option<usize>,
    /// 决算数 of the year evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub actual: Option<Dec>,
    /// 预算数 of the year evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub budget: Option<Dec>,
    /// 决算数 of the year before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalInput>)]
    pub last_year_actual: Option<Dec>,
}

/// The three figure columns of a spending row, in printed order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpendingColumn {
    /// 决算数 of the year evaluated.
    Actual,
    /// 预算数 of the year evaluated.
    Budget,
    /// 决算数 of the year before.
    LastYearActual,
}

impl SpendingColumn {
    /// Every column, left to right.
    pub const ALL: [Self; 3] = [Self::Actual, Self::Budget, Self::LastYearActual];

    /// The field name in the document.
    #[must_use]
    pub fn field(self) -> &'static str {
        match self {
            Self::Actual => "actual",
            Self::Budget => "budget",
            Self::LastYearActual => "last_year_actual",
        }
    }

    /// The column heading as printed for `year` (`2020年决算数`).
    #[must_use]
    pub fn heading(self, year: i32) -> String {
        match self {
            Self::Actual => format!("{year}年决算数"),
            Self::Budget => format!("{year}年预算数"),
            Self::LastYearActual => format!("{}年决算数", year - 1),
        }
    }

    /// The row's figure in this column.
    #[must_use]
    pub fn of(self, row: &SpendingRow) -> Option<Dec> {
        match self {
            Self::Actual => row.actual,
            Self::Budget => row.budget,
            Self::LastYearActual => row.last_year_actual,
        }
    }

    /// The column whose field is `field`.
    #[must_use]
    pub fn from_field(field: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.field() == field)
    }
}

/// A spending row's name without numbering (`一、`, `2、`, `（一）`), `其中：` and notes in
/// brackets (`(一个项目一行)`), so `其中：1、压缩一般性支出` reads `压缩一般性支出`.
#[must_use]
pub fn bare_name(name: &str) -> String {
    let mut text: String = name
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '“' | '”' | '"' | '‘' | '’' | '\''))
        .collect();
    loop {
        let before = text.len();
        for prefix in ["其中：", "其中:", "其中"] {
            if let Some(rest) = text.strip_prefix(prefix) {
                text = rest.to_owned();
            }
        }
        text = strip_numbering(&text).to_owned();
        if text.len() == before {
            break;
        }
    }
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let (Some(start), true) = (text.find(open), text.ends_with(close)) {
            if start > 0 {
                text.truncate(start);
            }
        }
    }
    text
}

/// `一、`, `2、`, `2.`, `（一）`, `(1)` at the start of a name.
fn strip_numbering(text: &str) -> &str {
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = text.strip_prefix(open) {
            if let Some(end) = rest.find(close) {
                if !rest[..end].is_empty() && rest[..end].chars().all(numeral) {
                    return &rest[end + close.len_utf8()..];
                }
            }
        }
    }
    let digits_end = text
        .char_indices()
        .find(|(_, c)| !numeral(*c))
        .map_or(text.len(), |(i, _)| i);
    if digits_end == 0 {
        return text;
    }
    let rest = &text[digits_end..];
    for mark in ['、', '.', '．'] {
        if let Some(after) = rest.strip_prefix(mark) {
            return after;
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::bare_name;

    #[test]
    fn names_read_without_numbering_and_notes() {
        for (printed, bare) in [
            ("一、部门基本支出", "部门基本支出"),
            ("其中：1、压缩一般性支出", "压缩一般性支出"),
            ("2、三公经费", "三公经费"),
            ("“三公”经费", "三公经费"),
            ("其中：公车购置", "公车购置"),
            ("1、业务工作专项(一个项目一行)", "业务工作专项"),
            ("3、县级专项资金（一个专项一行）", "县级专项资金"),
            ("（一）公务接待", "公务接待"),
            ("公务接待", "公务接待"),
            ("二、部门项目支出", "部门项目支出"),
        ] {
            assert_eq!(bare_name(printed), bare, "{printed}");
        }
    }
}

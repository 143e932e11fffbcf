//! What can be wrong with a field of a submitted form: a stable ASCII code for programs and one
//! Chinese sentence for the clerk, which names the form the value should take.
//!
//! Every wording lives in [`Problem::message`] (and the few helpers beside it), so that the
//! texts can be moved into a message catalogue as they are.

use super::decimal::{MAX_MAGNITUDE, MAX_SCALE};

/// The kind of figure a field holds, which decides how its problems are worded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    /// An amount of money (年初预算数, 全年预算数, 全年执行数).
    Amount,
    /// 分值.
    Weight,
    /// 得分.
    Score,
    /// 执行率, in percent.
    Rate,
    /// 总分.
    Total,
    /// A head count (编制数, 实际在职人数).
    Count,
}

impl Figure {
    /// What the value should look like, as the message states it.
    #[must_use]
    pub fn expected(self) -> &'static str {
        match self {
            Self::Amount => "应为金额，如 239.31 或 \"1,234.50\"",
            Self::Weight => "应为分值，非负数，如 10 或 \"2.5\"",
            Self::Score => "应为得分，非负数，如 9.4",
            Self::Rate => "应为执行率（百分数），如 94 或 \"100.00%\"",
            Self::Total => "应为总分，非负数，如 93.56",
            Self::Count => "应为人数，非负整数，如 21",
        }
    }

    /// What the value should look like, in English.
    #[must_use]
    pub fn expected_en(self) -> &'static str {
        match self {
            Self::Amount => "expected an amount such as 239.31 or \"1,234.50\"",
            Self::Weight => {
                "expected a weight, a number of points not below 0, such as 10 or \"2.5\""
            }
            Self::Score => "expected a score not below 0, such as 9.4",
            Self::Rate => "expected an execution rate in percent, such as 94 or \"100.00%\"",
            Self::Total => "expected a total not below 0, such as 93.56",
            Self::Count => "expected a head count, a whole number not below 0, such as 21",
        }
    }

    fn code(self) -> &'static str {
        match self {
            Self::Amount => "not_an_amount",
            Self::Weight => "not_a_weight",
            Self::Score => "not_a_score",
            Self::Rate => "not_a_rate",
            Self::Total => "not_a_total",
            Self::Count => "not_a_count",
        }
    }
}

/// A part of the form that should be a JSON object or list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The whole form.
    Form,
    /// 填报单位.
    Unit,
    /// The project block.
    Project,
    /// The funds block.
    Funds,
    /// One breakdown row.
    BreakdownRow,
    /// One 年度总体目标.
    Goal,
    /// One indicator.
    Indicator,
    /// The 基础数据表.
    BasicData,
    /// 财政供养人员情况 of the 基础数据表.
    Staffing,
    /// One row of 经费控制情况.
    SpendingRow,
    /// The 自评报告.
    Report,
    /// One section of the 自评报告.
    ReportSection,
}

impl Part {
    fn label_en(self) -> &'static str {
        match self {
            Self::Form => "a form",
            Self::Unit => "the unit (with `name`, and `code` if any)",
            Self::Project => "the project (with `name`)",
            Self::Funds => "the funds block",
            Self::BreakdownRow => "a funds breakdown row (with `group` and `name`)",
            Self::Goal => "a goal (with `expected`)",
            Self::Indicator => "an indicator (with `name`)",
            Self::BasicData => "the basic data (with `staffing`, `spending`)",
            Self::Staffing => "the staffing (`authorized`, `actual`, `declared_control_rate`)",
            Self::SpendingRow => "a spending row (with `name`)",
            Self::Report => "the report (with `method`, `evaluator`, `report_date`, `sections`)",
            Self::ReportSection => "a report section (with `heading` and `text`)",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Form => "一张自评表",
            Self::Unit => "填报单位（含 name，可带 code）",
            Self::Project => "项目信息（含 name）",
            Self::Funds => "资金情况（含分值 weight）",
            Self::BreakdownRow => "资金明细行（含 group 和 name）",
            Self::Goal => "一项目标（含 expected）",
            Self::Indicator => "一项指标（含 name）",
            Self::BasicData => "基础数据表（可含 staffing、spending）",
            Self::Staffing => "财政供养人员情况（authorized、actual、declared_control_rate）",
            Self::SpendingRow => "经费控制情况的一行（含 name）",
            Self::Report => "自评报告（可含 method、evaluator、report_date、sections）",
            Self::ReportSection => "报告的一节（含 heading 和 text）",
        }
    }
}

/// One problem with one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A required field is absent or `null`.
    Required,
    /// A field the form does not have.
    UnknownField(String),
    /// Children under a level-3 indicator.
    TooDeep,
    /// Not an object where a part of the form belongs.
    NotAnObject(Part),
    /// Not a list where a list belongs.
    NotAList(Part),
    /// Not text where text belongs.
    NotText,
    /// A name or text that shows nothing.
    Blank,
    /// Not a year.
    NotAYear,
    /// A year outside the years accepted.
    YearOutOfRange,
    /// Not a figure of this kind.
    NotAFigure(Figure),
    /// Digits with a separator not between groups of three (`1，2`).
    AmbiguousSeparator(Figure, String),
    /// A negative figure.
    Negative(Figure),
    /// A figure too large or with too many decimal places.
    OutOfBounds(Figure),
    /// None of the values this field takes.
    NotOneOf(&'static [(&'static str, &'static str)]),
    /// A project form without its project.
    ProjectRequired,
    /// A department form with a project.
    ProjectNotAllowed,
    /// A breakdown row whose `parent` names no row of its group.
    UnknownParent(String),
    /// A breakdown row whose `parent` is itself a sub-row.
    NestedParent(String),
    /// A ruleset id the service does not know.
    UnknownRuleset(Vec<String>),
    /// A basic-data row whose `parent` is not the index of an earlier row.
    ParentNotEarlier,
    /// Not a calendar date.
    NotADate,
    /// Anything the reader found that has no wording of its own.
    Other(String),
}

impl Problem {
    /// The stable machine code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::UnknownField(_) => "unknown_field",
            Self::TooDeep => "too_deep",
            Self::NotAnObject(_) => "not_an_object",
            Self::NotAList(_) => "not_a_list",
            Self::NotText => "not_text",
            Self::Blank => "blank",
            Self::NotAYear => "not_a_year",
            Self::YearOutOfRange => "year_out_of_range",
            Self::NotAFigure(figure) => figure.code(),
            Self::AmbiguousSeparator(..) => "ambiguous_separator",
            Self::Negative(_) => "negative",
            Self::OutOfBounds(_) => "out_of_bounds",
            Self::NotOneOf(_) => "not_one_of",
            Self::ProjectRequired => "project_required",
            Self::ProjectNotAllowed => "project_not_allowed",
            Self::UnknownParent(_) => "unknown_parent",
            Self::NestedParent(_) => "nested_parent",
            Self::UnknownRuleset(_) => "unknown_ruleset",
            Self::ParentNotEarlier => "parent_not_earlier",
            Self::NotADate => "not_a_date",
            Self::Other(_) => "invalid",
        }
    }

    /// The sentence the clerk reads.
    #[must_use]
    pub fn message(&self) -> String {
        match self {
            Self::Required => "必填".to_owned(),
            Self::UnknownField(name) => {
                format!("表中没有这一项（字段 `{name}`），请删去或检查拼写")
            }
            Self::TooDeep => "指标最多三级：三级指标下不能再有下级指标".to_owned(),
            Self::NotAnObject(part) => format!("应为{}", part.label()),
            Self::NotAList(part) => format!("应为列表，每项是{}", part.label()),
            Self::NotText => "应为文字".to_owned(),
            Self::Blank => "不能为空".to_owned(),
            Self::NotAYear => "应为年度，四位整数，如 2020".to_owned(),
            Self::YearOutOfRange => format!(
                "应为年度，在 {} 至 {} 之间",
                super::validation::FISCAL_YEARS.start(),
                super::validation::FISCAL_YEARS.end()
            ),
            Self::NotAFigure(figure) => figure.expected().to_owned(),
            Self::AmbiguousSeparator(figure, text) => format!(
                "`{text}` 中的分隔符不在千位上，无法确定是小数点还是千位分隔符；{}",
                figure.expected()
            ),
            Self::Negative(figure) => format!("不能为负数；{}", figure.expected()),
            Self::OutOfBounds(figure) => format!(
                "超出可计算的范围：至多 {MAX_MAGNITUDE}，至多 {MAX_SCALE} 位小数；{}",
                figure.expected()
            ),
            Self::NotOneOf(choices) => format!(
                "应为以下之一：{}",
                choices
                    .iter()
                    .map(|(value, label)| if label.is_empty() {
                        (*value).to_owned()
                    } else {
                        format!("{value}（{label}）")
                    })
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            Self::ProjectRequired => "项目支出绩效自评表须填写项目名称".to_owned(),
            Self::ProjectNotAllowed => {
                "部门整体支出绩效自评表没有项目；项目表请将 kind 设为 project".to_owned()
            }
            Self::UnknownParent(parent) => format!("同一分类中没有名为“{parent}”的行"),
            Self::NestedParent(parent) => {
                format!("“{parent}”本身是下级行；资金明细只分一级")
            }
            Self::UnknownRuleset(known) => {
                format!("没有这套评分规则；可用的有：{}", known.join("、"))
            }
            Self::ParentNotEarlier => {
                "应为前面某一行的序号（从 0 起），所属行须在本行之前".to_owned()
            }
            Self::NotADate => "应为日期，如 2021-07-11".to_owned(),
            Self::Other(text) => text.clone(),
        }
    }
}

impl Problem {
    /// The sentence in English, for a caller that asks for English.
    #[must_use]
    pub fn message_en(&self) -> String {
        match self {
            Self::Required => "required".to_owned(),
            Self::UnknownField(name) => {
                format!("the form has no field `{name}`: remove it or check its spelling")
            }
            Self::TooDeep => {
                "indicators have three levels at most: a level-3 indicator has no children"
                    .to_owned()
            }
            Self::NotAnObject(part) => format!("expected {}", part.label_en()),
            Self::NotAList(part) => format!("expected a list, each item {}", part.label_en()),
            Self::NotText => "expected text".to_owned(),
            Self::Blank => "must not be blank".to_owned(),
            Self::NotAYear => "expected a year, four digits, such as 2020".to_owned(),
            Self::YearOutOfRange => format!(
                "expected a year from {} to {}",
                super::validation::FISCAL_YEARS.start(),
                super::validation::FISCAL_YEARS.end()
            ),
            Self::NotAFigure(figure) => figure.expected_en().to_owned(),
            Self::AmbiguousSeparator(figure, text) => format!(
                "the separator in `{text}` does not stand between groups of three digits, so it \
                 could be a decimal point or a thousands separator; {}",
                figure.expected_en()
            ),
            Self::Negative(figure) => format!("must not be negative; {}", figure.expected_en()),
            Self::OutOfBounds(figure) => format!(
                "out of the range the rules compute with: at most {MAX_MAGNITUDE}, with at most \
                 {MAX_SCALE} decimal places; {}",
                figure.expected_en()
            ),
            Self::NotOneOf(choices) => format!(
                "expected one of: {}",
                choices
                    .iter()
                    .map(|(value, _)| *value)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Self::ProjectRequired => "a project form needs its project's name".to_owned(),
            Self::ProjectNotAllowed => {
                "a department form has no project; set `kind` to `project` for a project form"
                    .to_owned()
            }
            Self::UnknownParent(parent) => format!("no row of the same group is named `{parent}`"),
            Self::NestedParent(parent) => {
                format!("`{parent}` is itself a sub-row; the breakdown has one level of sub-rows")
            }
            Self::UnknownRuleset(known) => {
                format!("no such ruleset; the rulesets are: {}", known.join(", "))
            }
            Self::ParentNotEarlier => {
                "expected the index (from 0) of an earlier row: a parent comes before its parts"
                    .to_owned()
            }
            Self::NotADate => "expected a date such as 2021-07-11".to_owned(),
            Self::Other(text) => text.clone(),
        }
    }
}

/// The message of a text that is not a decimal ([`super::decimal::NotADecimal`]).
#[must_use]
pub fn not_a_decimal(text: &str, grouping: bool) -> String {
    if grouping {
        format!("`{text}` 中的分隔符不在千位上（千位分隔符应每三位一组，如 1,234.50）")
    } else {
        format!("`{text}` 不是数字（应为数字，可带小数点，如 239.31）")
    }
}

/// The values of `kind`.
pub const KINDS: &[(&str, &str)] = &[("department", "部门整体支出"), ("project", "项目支出")];

/// The values of `currency_unit`.
pub const CURRENCY_UNITS: &[(&str, &str)] = &[("万元", ""), ("元", "")];

/// The values of a breakdown row's `group`.
pub const GROUPS: &[(&str, &str)] = &[
    ("income", "按收入性质分"),
    ("expenditure", "按支出性质分"),
    ("source", "其中"),
];

/// The values of a leaf's `method`.
pub const METHODS: &[(&str, &str)] = &[
    ("positive", "正向指标"),
    ("reverse", "反向指标"),
    ("equal", "等于目标"),
    ("qualitative", "定性指标"),
    ("not_applicable", "不适用"),
];

//! The 绩效自评报告: its model, and the comparison of the figures it quotes with the form and
//! the basic data. Pure.

mod model;
mod quotes;
#[cfg(test)]
mod tests;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use model::{Report, ReportSection};
pub use quotes::{
    Base, Column, GradeQuote, Keyword, Quote, QuotedUnit, Statement, grade_quote, quotes, sentences,
};

use crate::domain::basic_data::{at_scale_of, bare_name};
use crate::domain::decimal::{Dec, plain};
use crate::domain::document::{BreakdownGroup, CurrencyUnit, EvaluationDocument};
use crate::domain::scoring::findings::{Finding, FindingCode, Severity};

/// Whether a quoted figure agrees with the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportCheckOutcome {
    /// The figure the form gives, rounded to the places the report quotes, is the one quoted.
    Matches,
    /// It is not: reported as `report_figure_differs`.
    Differs,
}

/// One figure of the report compared with the form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReportCheck {
    /// JSON pointer of the section text the sentence stands in (`/report/sections/2/text`).
    pub path: String,
    /// The sentence as printed.
    pub sentence: String,
    /// The keyword the figure stands beside (`三公经费`, `预算执行率`, `评价结果`).
    pub keyword: String,
    /// The words of the figure as printed, spaces and quote marks removed
    /// (`同比上年减少了3200元`, `优秀`).
    pub quoted: String,
    /// The figure the report quotes, negative for a fall, in `unit`; absent for a grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quoted_value: Option<Dec>,
    /// The form's figure in the report's unit, rounded half up to the places the report
    /// quotes; absent for a grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_value: Option<Dec>,
    /// The unit of both figures (`元`, `万元`, `%`, `人`, `分`); absent for a grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Where the form's figure comes from and how it is computed
    /// (`基础数据表 三公经费 2.87 − 16.99 = −14.12 万元`).
    pub form: String,
    /// JSON pointer of the form's figure.
    pub form_path: String,
    /// Whether they agree.
    pub outcome: ReportCheckOutcome,
}

/// A figure of the form, in the unit it is written in.
struct FormFigure {
    /// The figure.
    value: Decimal,
    /// Its unit.
    unit: QuotedUnit,
    /// How it is read or computed.
    explanation: String,
    /// Where it is.
    path: String,
}

/// Compares every figure `document.report` quotes, where the form has the figure, and
/// reports those that differ.
pub fn check_report(
    document: &EvaluationDocument,
    findings: &mut Vec<Finding>,
) -> Vec<ReportCheck> {
    let Some(report) = &document.report else {
        return Vec::new();
    };
    let mut checks = Vec::new();
    for (i, section) in report.sections.iter().enumerate() {
        let path = format!("/report/sections/{i}/text");
        for sentence in sentences(&section.text) {
            for quote in quotes(&sentence) {
                let Some(figure) = form_figure(document, &quote) else {
                    continue;
                };
                let Some(check) = compare(&path, &quote, &figure) else {
                    continue;
                };
                if check.outcome == ReportCheckOutcome::Differs {
                    findings.push(
                        Finding::new(
                            FindingCode::ReportFigureDiffers,
                            Severity::Warning,
                            path.clone(),
                            messages::differs(&check),
                        )
                        .comparing(
                            check
                                .form_value
                                .map(|v| format!("{v} {}", quote.unit.label()))
                                .unwrap_or_default(),
                            &check.quoted,
                        ),
                    );
                }
                checks.push(check);
            }
            if let Some(grade) = grade_quote(&sentence) {
                if let Some(check) = compare_grade(document, &path, &grade) {
                    if check.outcome == ReportCheckOutcome::Differs {
                        findings.push(
                            Finding::new(
                                FindingCode::ReportFigureDiffers,
                                Severity::Warning,
                                path.clone(),
                                messages::differs(&check),
                            )
                            .comparing(&check.form, &check.quoted),
                        );
                    }
                    checks.push(check);
                }
            }
        }
    }
    checks
}

fn compare_grade(
    document: &EvaluationDocument,
    path: &str,
    quote: &GradeQuote,
) -> Option<ReportCheck> {
    let declared = document.declared_grade.as_deref()?.trim();
    if declared.is_empty() {
        return None;
    }
    let outcome = if declared == quote.grade {
        ReportCheckOutcome::Matches
    } else {
        ReportCheckOutcome::Differs
    };
    Some(ReportCheck {
        path: path.to_owned(),
        sentence: quote.sentence.clone(),
        keyword: "评价结果".to_owned(),
        quoted: quote.grade.clone(),
        quoted_value: None,
        form_value: None,
        unit: None,
        form: declared.to_owned(),
        form_path: "/declared_grade".to_owned(),
        outcome,
    })
}

/// `value` in `from` expressed in `to`; `None` between units that do not convert.
fn convert(value: Decimal, from: QuotedUnit, to: QuotedUnit) -> Option<Decimal> {
    let ten_thousand = Decimal::from(10_000);
    match (from, to) {
        _ if from == to => Some(value),
        (QuotedUnit::TenThousandYuan, QuotedUnit::Yuan) => Some(value * ten_thousand),
        (QuotedUnit::Yuan, QuotedUnit::TenThousandYuan) => Some(value / ten_thousand),
        _ => None,
    }
}

fn compare(path: &str, quote: &Quote, figure: &FormFigure) -> Option<ReportCheck> {
    let in_quoted_unit = convert(figure.value, figure.unit, quote.unit)?;
    let shown = at_scale_of(in_quoted_unit, quote.value);
    let outcome = if shown == quote.value {
        ReportCheckOutcome::Matches
    } else {
        ReportCheckOutcome::Differs
    };
    Some(ReportCheck {
        path: path.to_owned(),
        sentence: quote.sentence.clone(),
        keyword: quote.keyword.label().to_owned(),
        quoted: quote.text.clone(),
        quoted_value: Some(Dec(quote.value)),
        form_value: Some(Dec(shown)),
        unit: Some(quote.unit.label().to_owned()),
        form: figure.explanation.clone(),
        form_path: figure.path.clone(),
        outcome,
    })
}

fn unit_of(unit: CurrencyUnit) -> QuotedUnit {
    match unit {
        CurrencyUnit::TenThousandYuan => QuotedUnit::TenThousandYuan,
        CurrencyUnit::Yuan => QuotedUnit::Yuan,
    }
}

/// The one basic-data row a keyword names, if exactly one does.
fn basic_row(document: &EvaluationDocument, keyword: Keyword) -> Option<usize> {
    let data = document.basic_data.as_ref()?;
    let matches = |bare: &str| match keyword {
        Keyword::ThreePublic => bare.contains("三公"),
        Keyword::PublicCars => bare.contains("公务用车购置"),
        Keyword::CarPurchase => {
            bare.contains('车')
                && bare.contains("购置")
                && !bare.contains("维护")
                && !bare.contains("运行")
        }
        Keyword::CarUpkeep => {
            bare.contains('车')
                && (bare.contains("运行维护") || bare.contains("运行费"))
                && !bare.contains("购置")
        }
        Keyword::Reception => bare.contains("公务接待"),
        Keyword::TravelAbroad => bare.contains("出国"),
        Keyword::BasicSpending => bare.contains("基本支出"),
        Keyword::ProjectSpending => bare.contains("项目支出"),
        _ => false,
    };
    let rows: Vec<usize> = data
        .spending
        .iter()
        .enumerate()
        .filter(|(_, row)| matches(&bare_name(&row.name)))
        .map(|(i, _)| i)
        .collect();
    match rows.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// The one expenditure breakdown row of the funds block a keyword names.
fn breakdown_row(document: &EvaluationDocument, keyword: Keyword) -> Option<usize> {
    let name = match keyword {
        Keyword::BasicSpending => "基本支出",
        Keyword::ProjectSpending => "项目支出",
        Keyword::StaffCosts => "人员经费",
        Keyword::OfficeCosts => "公用经费",
        _ => return None,
    };
    let rows: Vec<usize> = document
        .funds
        .breakdown
        .iter()
        .enumerate()
        .filter(|(_, row)| row.group == BreakdownGroup::Expenditure && bare_name(&row.name) == name)
        .map(|(i, _)| i)
        .collect();
    match rows.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// The figure of the form a quote states, where the form has it.
fn form_figure(document: &EvaluationDocument, quote: &Quote) -> Option<FormFigure> {
    let keyword = quote.keyword;
    match keyword {
        Keyword::ExecutionRate => {
            let (Some(budget), Some(executed)) =
                (document.funds.annual_budget, document.funds.executed)
            else {
                return None;
            };
            if budget.get().is_zero() {
                return None;
            }
            let rate = executed.get() / budget.get() * Decimal::ONE_HUNDRED;
            Some(FormFigure {
                value: rate,
                unit: QuotedUnit::Percent,
                explanation: messages::rate(executed.get(), budget.get(), rate),
                path: "/funds/executed".to_owned(),
            })
        }
        Keyword::Authorized | Keyword::Staff => {
            let staffing = document.basic_data.as_ref()?.staffing.as_ref()?;
            let (value, field, label) = if keyword == Keyword::Authorized {
                (staffing.authorized?, "authorized", "编制数")
            } else {
                (staffing.actual?, "actual", "实际在职人数")
            };
            Some(FormFigure {
                value: value.get(),
                unit: QuotedUnit::Person,
                explanation: format!("基础数据表 {label} {} 人", plain(value.get())),
                path: format!("/basic_data/staffing/{field}"),
            })
        }
        Keyword::Total => {
            let total = document.declared_total?;
            Some(FormFigure {
                value: total.get(),
                unit: QuotedUnit::Point,
                explanation: format!("自评表 总分 {} 分", plain(total.get())),
                path: "/declared_total".to_owned(),
            })
        }
        Keyword::IncomeTotal | Keyword::SpendingTotal => {
            let (value, field, label) = if keyword == Keyword::IncomeTotal {
                (document.funds.annual_budget?, "annual_budget", "全年预算数")
            } else {
                (document.funds.executed?, "executed", "全年执行数")
            };
            let unit = document.currency_unit;
            Some(FormFigure {
                value: value.get(),
                unit: unit_of(unit),
                explanation: format!("自评表 {label} {} {}", plain(value.get()), unit.label()),
                path: format!("/funds/{field}"),
            })
        }
        _ => amount_figure(document, quote),
    }
}

/// An amount row's figure: the basic data first, the funds breakdown where it has none.
fn amount_figure(document: &EvaluationDocument, quote: &Quote) -> Option<FormFigure> {
    let keyword = quote.keyword;
    if let (Some(data), Some(i)) = (&document.basic_data, basic_row(document, keyword)) {
        let row = &data.spending[i];
        let unit = data.currency_unit.label();
        let at = |field: &str| format!("/basic_data/spending/{i}/{field}");
        let figure = |value: Option<Dec>, field: &str, label: &str| {
            value.map(|v| FormFigure {
                value: v.get(),
                unit: unit_of(data.currency_unit),
                explanation: format!("基础数据表 {} {label} {} {unit}", row.name, plain(v.get())),
                path: at(field),
            })
        };
        let found = match quote.statement {
            Statement::Level(Column::Actual) => figure(row.actual, "actual", "决算数"),
            Statement::Level(Column::Budget) => figure(row.budget, "budget", "预算数"),
            Statement::Level(Column::LastYear) => {
                figure(row.last_year_actual, "last_year_actual", "上年决算数")
            }
            Statement::Change(base) => {
                let (base_value, label) = match base {
                    Base::Budget => (row.budget, "预算数"),
                    Base::LastYear => (row.last_year_actual, "上年决算数"),
                };
                match (row.actual, base_value) {
                    (Some(actual), Some(base_value)) => change_figure(
                        actual.get(),
                        base_value.get(),
                        quote.unit,
                        unit_of(data.currency_unit),
                        &row.name,
                        label,
                        at("actual"),
                    ),
                    _ => None,
                }
            }
        };
        if found.is_some() {
            return found;
        }
    }
    let i = breakdown_row(document, keyword)?;
    let row = &document.funds.breakdown[i];
    let unit = document.currency_unit;
    let (value, field, label) = match quote.statement {
        Statement::Level(Column::Actual) => (row.executed?, "executed", "全年执行数"),
        Statement::Level(Column::Budget) => (row.initial_budget?, "initial_budget", "年初预算数"),
        _ => return None,
    };
    Some(FormFigure {
        value: value.get(),
        unit: unit_of(unit),
        explanation: format!(
            "自评表 {} {label} {} {}",
            row.name,
            plain(value.get()),
            unit.label()
        ),
        path: format!("/funds/breakdown/{i}/{field}"),
    })
}

fn change_figure(
    actual: Decimal,
    base: Decimal,
    quoted: QuotedUnit,
    unit: QuotedUnit,
    name: &str,
    base_label: &str,
    path: String,
) -> Option<FormFigure> {
    let amount = actual - base;
    if quoted == QuotedUnit::Percent {
        if base.is_zero() {
            return None;
        }
        let percent = amount / base * Decimal::ONE_HUNDRED;
        return Some(FormFigure {
            value: percent,
            unit: QuotedUnit::Percent,
            explanation: format!(
                "基础数据表 {name} （{} − {}）÷ {} × 100 = {}%（{base_label}）",
                plain(actual),
                plain(base),
                plain(base),
                plain(crate::domain::decimal::round2(percent))
            ),
            path,
        });
    }
    Some(FormFigure {
        value: amount,
        unit,
        explanation: format!(
            "基础数据表 {name} {} − {} = {} {}（决算数 − {base_label}）",
            plain(actual),
            plain(base),
            plain(amount),
            unit.label()
        ),
        path,
    })
}

/// The sentences of these checks, in one place.
mod messages {
    use rust_decimal::Decimal;

    use super::ReportCheck;
    use crate::domain::decimal::{plain, round2};
    use crate::domain::messages::Msg;

    pub fn rate(executed: Decimal, budget: Decimal, rate: Decimal) -> String {
        format!(
            "自评表 执行率 = 全年执行数 ÷ 全年预算数 × 100 = {} ÷ {} × 100 = {}%",
            plain(executed),
            plain(budget),
            plain(round2(rate))
        )
    }

    pub fn differs(check: &ReportCheck) -> Msg {
        Msg::ReportFigureDiffers {
            sentence: check.sentence.clone(),
            keyword: check.keyword.clone(),
            quoted: check.quoted.clone(),
            form: check.form.clone(),
            quoted_value: check.quoted_value.map(|v| v.get()),
            form_value: check.form_value.map(|v| v.get()),
            unit: check.unit.clone(),
        }
    }
}

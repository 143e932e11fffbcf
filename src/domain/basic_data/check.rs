//! What the basic data gives and what in it does not hold.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{BasicData, SpendingColumn, SpendingRow, bare_name};
use crate::domain::decimal::{Dec, plain, round2};
use crate::domain::scoring::findings::{Finding, FindingCode, Severity};

/// The figures the basic data gives, computed from what was filled in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BasicDataResult {
    /// 控制率 = 实际在职人数 ÷ 编制数 × 100, rounded half up to 2 places; absent without both
    /// figures or with 编制数 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_rate: Option<Dec>,
    /// How the control rate was computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_rate_explanation: Option<String>,
    /// Each spending row's change against its budget and against last year.
    pub rows: Vec<SpendingRowResult>,
}

/// A spending row's 决算数 against its 预算数 and against last year's 决算数.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SpendingRowResult {
    /// JSON pointer of the row (`/basic_data/spending/2`).
    pub path: String,
    /// The row's name as submitted.
    pub name: String,
    /// 决算数 − 预算数; absent when either is blank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against_budget: Option<SpendingChange>,
    /// 决算数 − last year's 决算数; absent when either is blank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against_last_year: Option<SpendingChange>,
}

/// A change between two figures: negative when the figure fell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SpendingChange {
    /// The difference, in the basic data's currency unit.
    pub amount: Dec,
    /// The difference ÷ the base × 100, rounded half up to 2 places; absent when the base is 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<Dec>,
}

impl SpendingChange {
    /// `value` against `base`.
    #[must_use]
    pub fn between(value: Decimal, base: Decimal) -> Self {
        let amount = value - base;
        Self {
            amount: Dec(amount),
            percent: (!base.is_zero()).then(|| Dec(round2(amount / base * Decimal::ONE_HUNDRED))),
        }
    }
}

/// Computes what `data` gives and reports what does not hold.
pub fn check_basic_data(data: &BasicData, findings: &mut Vec<Finding>) -> BasicDataResult {
    let (control_rate, control_rate_explanation) = control_rate(data, findings);
    check_parts(data, findings);
    let unit = data.currency_unit.label();
    let mut rows = Vec::with_capacity(data.spending.len());
    for (i, row) in data.spending.iter().enumerate() {
        let path = format!("/basic_data/spending/{i}");
        let change =
            |base: Option<Dec>| Some(SpendingChange::between(row.actual?.get(), base?.get()));
        let against_budget = change(row.budget);
        let against_last_year = change(row.last_year_actual);
        let bare = bare_name(&row.name);
        if let (Some(grown), true) = (&against_last_year, bare.contains("三公")) {
            if grown.amount.get() > Decimal::ZERO {
                findings.push(
                    Finding::new(
                        FindingCode::ThreePublicExpensesGrew,
                        Severity::Warning,
                        format!("{path}/actual"),
                        messages::grew(&row.name, row, grown, unit),
                    )
                    .comparing(plain_opt(row.last_year_actual), plain_opt(row.actual)),
                );
            }
        }
        if let (Some(over), true) = (&against_budget, bare.contains("基本支出")) {
            if over.amount.get() > Decimal::ZERO {
                findings.push(
                    Finding::new(
                        FindingCode::BasicSpendingOverBudget,
                        Severity::Info,
                        format!("{path}/actual"),
                        messages::over_budget(&row.name, row, over, unit),
                    )
                    .comparing(plain_opt(row.budget), plain_opt(row.actual)),
                );
            }
        }
        rows.push(SpendingRowResult {
            path,
            name: row.name.clone(),
            against_budget,
            against_last_year,
        });
    }
    BasicDataResult {
        control_rate,
        control_rate_explanation,
        rows,
    }
}

fn plain_opt(value: Option<Dec>) -> String {
    value.map(|v| plain(v.get())).unwrap_or_default()
}

/// The control rate, checked against the printed one at the precision it is printed with.
fn control_rate(data: &BasicData, findings: &mut Vec<Finding>) -> (Option<Dec>, Option<String>) {
    let Some(staffing) = &data.staffing else {
        return (None, None);
    };
    let (Some(authorized), Some(actual)) = (staffing.authorized, staffing.actual) else {
        return (None, None);
    };
    if authorized.get().is_zero() {
        return (None, None);
    }
    let rate = round2(actual.get() / authorized.get() * Decimal::ONE_HUNDRED);
    let explanation = messages::control_rate(actual.get(), authorized.get(), rate);
    if let Some(declared) = staffing.declared_control_rate {
        let shown = at_scale_of(rate, declared.get());
        if shown != declared.get() {
            findings.push(
                Finding::new(
                    FindingCode::ControlRateDiffers,
                    Severity::Warning,
                    "/basic_data/staffing/declared_control_rate",
                    messages::rate_differs(declared.get(), actual.get(), authorized.get(), rate),
                )
                .comparing(plain(rate), plain(declared.get())),
            );
        }
    }
    (Some(Dec(rate)), Some(explanation))
}

/// `value` rounded half up to the decimal places `printed` shows (at most 2).
pub fn at_scale_of(value: Decimal, printed: Decimal) -> Decimal {
    value.round_dp_with_strategy(
        printed.scale().min(2),
        RoundingStrategy::MidpointAwayFromZero,
    )
}

/// Whether the children of the row named `bare` make up the whole of it: the 三公经费 are
/// exactly 公务用车购置和维护经费 + 公务接待 + 出国(境)经费, and the 公务用车 funds exactly
/// 公车购置 + 公车运行维护. Other 其中 rows are parts that need not cover their parent.
fn children_make_whole(bare: &str) -> bool {
    bare.contains("三公") || bare.contains("公务用车购置")
}

/// Each parent against its children, column by column.
fn check_parts(data: &BasicData, findings: &mut Vec<Finding>) {
    let unit = data.currency_unit.label();
    for (p, parent) in data.spending.iter().enumerate() {
        let children: Vec<(usize, &SpendingRow)> = data
            .spending
            .iter()
            .enumerate()
            .filter(|(_, row)| row.parent == Some(p))
            .collect();
        if children.is_empty() {
            continue;
        }
        let whole = children_make_whole(&bare_name(&parent.name));
        for column in SpendingColumn::ALL {
            let Some(total) = column.of(parent).map(Dec::get) else {
                continue;
            };
            let parts: Vec<(usize, &SpendingRow, Decimal)> = children
                .iter()
                .filter_map(|(i, row)| column.of(row).map(|v| (*i, *row, v.get())))
                .collect();
            if parts.is_empty() {
                continue;
            }
            if whole {
                let sum: Decimal = parts.iter().map(|(_, _, v)| v).sum();
                if sum != total {
                    let names: Vec<String> =
                        children.iter().map(|(_, row)| row.name.clone()).collect();
                    let figures: Vec<String> =
                        parts.iter().map(|(_, _, v)| v.to_string()).collect();
                    findings.push(
                        Finding::new(
                            FindingCode::BasicDataDoesNotSum,
                            Severity::Warning,
                            format!("/basic_data/spending/{p}/{}", column.field()),
                            messages::does_not_sum(
                                &parent.name,
                                &names,
                                &figures,
                                sum,
                                total,
                                unit,
                            ),
                        )
                        .comparing(total, sum),
                    );
                }
            } else {
                for (i, row, value) in parts {
                    if value > total {
                        findings.push(
                            Finding::new(
                                FindingCode::BasicDataPartExceedsParent,
                                Severity::Warning,
                                format!("/basic_data/spending/{i}/{}", column.field()),
                                messages::exceeds(&row.name, value, &parent.name, total, unit),
                            )
                            .comparing(total, value),
                        );
                    }
                }
            }
        }
    }
}

/// The sentences of these checks, in one place.
mod messages {
    use rust_decimal::Decimal;

    use super::{SpendingChange, SpendingRow};
    use crate::domain::decimal::plain;
    use crate::domain::messages::Msg;

    pub fn control_rate(actual: Decimal, authorized: Decimal, rate: Decimal) -> String {
        format!(
            "控制率 = 实际在职人数 ÷ 编制数 × 100 = {} ÷ {} × 100 = {rate}（四舍五入保留两位小数）",
            plain(actual),
            plain(authorized)
        )
    }

    pub fn rate_differs(
        declared: Decimal,
        actual: Decimal,
        authorized: Decimal,
        rate: Decimal,
    ) -> Msg {
        Msg::ControlRateDiffers {
            declared,
            actual,
            authorized,
            rate,
        }
    }

    pub fn does_not_sum(
        parent: &str,
        names: &[String],
        figures: &[String],
        sum: Decimal,
        total: Decimal,
        unit: &str,
    ) -> Msg {
        Msg::BasicDataDoesNotSum {
            parent: parent.to_owned(),
            names: names.to_vec(),
            figures: figures.to_vec(),
            sum,
            total,
            unit: unit.to_owned(),
        }
    }

    pub fn exceeds(child: &str, value: Decimal, parent: &str, total: Decimal, unit: &str) -> Msg {
        Msg::BasicDataPartExceeds {
            child: child.to_owned(),
            value,
            parent: parent.to_owned(),
            total,
            unit: unit.to_owned(),
        }
    }

    pub fn grew(name: &str, row: &SpendingRow, change: &SpendingChange, unit: &str) -> Msg {
        Msg::BasicDataGrew {
            name: name.to_owned(),
            actual: row.actual.map(|v| v.get()),
            last_year: row.last_year_actual.map(|v| v.get()),
            amount: change.amount.get(),
            percent: change.percent.map(|p| p.get()),
            unit: unit.to_owned(),
        }
    }

    pub fn over_budget(name: &str, row: &SpendingRow, change: &SpendingChange, unit: &str) -> Msg {
        Msg::BasicDataOverBudget {
            name: name.to_owned(),
            actual: row.actual.map(|v| v.get()),
            budget: row.budget.map(|v| v.get()),
            amount: change.amount.get(),
            percent: change.percent.map(|p| p.get()),
            unit: unit.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests;

//! Form-wide checks: weights, breakdown sums, declared totals and grades, spending.

use rust_decimal::Decimal;

use super::Tally;
use super::findings::{Finding, FindingCode, Severity};
use super::result::Level1Result;
use crate::domain::decimal::{Dec, plain, round2};
use crate::domain::document::{BreakdownGroup, BreakdownRow, EvaluationDocument};
use crate::domain::messages::{AmountColumn, BreakdownScope, Msg, WeightScope};
use crate::domain::ruleset::{GradeBand, GradeCode, Ruleset};
use crate::domain::value::normalized;

/// A node's weight: the declared one (checked against its children), else the children's sum.
pub(super) fn node_weight(
    declared: Option<Dec>,
    children_sum: Decimal,
    path: &str,
    name: &str,
    ruleset: &Ruleset,
    findings: &mut Vec<Finding>,
) -> Decimal {
    let Some(declared) = declared.map(Dec::get) else {
        return children_sum;
    };
    // A declared weight over an empty group is reported too: its points would vanish.
    if (declared - children_sum).abs() > ruleset.tolerances.score.get() {
        findings.push(
            Finding::new(
                FindingCode::WeightsDoNotSum,
                Severity::Warning,
                format!("{path}/weight"),
                Msg::WeightsDoNotSum {
                    name: name.to_owned(),
                    declared,
                    sum: children_sum,
                },
            )
            .comparing(plain(children_sum), plain(declared)),
        );
    }
    declared
}

/// The form's weights against 100 and against the ruleset's split.
pub(super) fn check_weights(
    document: &EvaluationDocument,
    ruleset: &Ruleset,
    indicators: &[Level1Result],
    leaves: &Tally,
    findings: &mut Vec<Finding>,
) {
    // The rows are what the total is computed over; a declared group weight that disagrees
    // with its rows is reported where it stands (weights_do_not_sum).
    let execution_weight = document.funds.weight.map_or(Decimal::ZERO, Dec::get);
    let indicator_weight = leaves.leaf_weight;
    let total = execution_weight + indicator_weight;
    if total != Decimal::ONE_HUNDRED {
        findings.push(
            Finding::new(
                FindingCode::TotalWeightNot100,
                Severity::Warning,
                "/indicators",
                Msg::TotalWeightNot100 {
                    total,
                    execution: execution_weight,
                    indicators: indicator_weight,
                },
            )
            .comparing("100", plain(total)),
        );
    }
    let expected = &ruleset.weights;
    let differs = |path: String, scope: WeightScope, want: Decimal, got: Decimal| {
        Finding::new(
            FindingCode::Level1WeightDiffersFromRuleset,
            Severity::Info,
            path,
            Msg::WeightDiffersFromRuleset {
                scope,
                got,
                ruleset: ruleset.id.clone(),
                want,
            },
        )
        .comparing(plain(want), plain(got))
    };
    if execution_weight != expected.execution.get() {
        findings.push(differs(
            "/funds/weight".into(),
            WeightScope::Execution,
            expected.execution.get(),
            execution_weight,
        ));
    }
    if expected.level1.is_empty() {
        if leaves.weight != expected.indicators.get() {
            findings.push(differs(
                "/indicators".into(),
                WeightScope::Indicators,
                expected.indicators.get(),
                leaves.weight,
            ));
        }
        return;
    }
    // Each name is folded once, not once per expectation.
    let names: Vec<_> = indicators
        .iter()
        .map(|node| (node, normalized(&node.name)))
        .collect();
    for expectation in &expected.level1 {
        let mut matching = names
            .iter()
            .filter(|(_, name)| expectation.matches_normalized(name))
            .map(|(node, _)| *node);
        let Some(first) = matching.next() else {
            continue;
        };
        let got: Decimal = std::iter::once(first)
            .chain(matching)
            .map(|node| node.weight.get())
            .sum();
        if got != expectation.weight.get() {
            findings.push(differs(
                format!("{}/weight", first.path),
                WeightScope::Level1(expectation.label.clone()),
                expectation.weight.get(),
                got,
            ));
        }
    }
}

/// An amount column of the funds block: field name, printed label, the row's value, the total.
type Column = (
    &'static str,
    AmountColumn,
    fn(&BreakdownRow) -> Option<Dec>,
    Option<Dec>,
);

/// Breakdown rows must add up to the block's totals, and sub-rows to their parent row. The
/// rows are walked where they stand: names and figures are gathered only for a sum that fails.
pub(super) fn check_breakdown(
    document: &EvaluationDocument,
    ruleset: &Ruleset,
    findings: &mut Vec<Finding>,
) {
    let funds = &document.funds;
    let rows = &funds.breakdown;
    if rows.is_empty() {
        return;
    }
    let columns: [Column; 3] = [
        (
            "initial_budget",
            AmountColumn::InitialBudget,
            |r| r.initial_budget,
            funds.initial_budget,
        ),
        (
            "annual_budget",
            AmountColumn::AnnualBudget,
            |r| r.annual_budget,
            funds.annual_budget,
        ),
        (
            "executed",
            AmountColumn::Executed,
            |r| r.executed,
            funds.executed,
        ),
    ];
    for group in [
        BreakdownGroup::Income,
        BreakdownGroup::Expenditure,
        BreakdownGroup::Source,
    ] {
        let top = || {
            rows.iter()
                .enumerate()
                .filter(move |(_, r)| r.group == group && r.parent.is_none())
        };
        for (field, column, get, total) in &columns {
            let Some(total) = total else { continue };
            report_sum(
                findings,
                ruleset,
                || {
                    let names = top().map(|(_, r)| r.name.clone()).collect();
                    (
                        format!("/funds/{field}"),
                        BreakdownScope::Group(group),
                        names,
                        *column,
                    )
                },
                top().filter_map(|(_, r)| get(r).map(Dec::get)),
                total.get(),
            );
        }
        for (parent_index, parent) in top() {
            let children = || {
                rows.iter().filter(move |r| {
                    r.group == group && r.parent.as_deref() == Some(parent.name.as_str())
                })
            };
            for (field, column, get, _) in &columns {
                let Some(parent_value) = get(parent) else {
                    continue;
                };
                report_sum(
                    findings,
                    ruleset,
                    || {
                        let names = children().map(|r| r.name.clone()).collect();
                        (
                            format!("/funds/breakdown/{parent_index}/{field}"),
                            BreakdownScope::Under(parent.name.clone()),
                            names,
                            *column,
                        )
                    },
                    children().filter_map(|r| get(r).map(Dec::get)),
                    parent_value.get(),
                );
            }
        }
    }
}

/// Where a sum is reported and what it covers, made only when the rows do not add up.
type SumScope = (String, BreakdownScope, Vec<String>, AmountColumn);

/// Reports `parts` that do not add up to `total`; nothing when there are no parts.
fn report_sum(
    findings: &mut Vec<Finding>,
    ruleset: &Ruleset,
    scope: impl FnOnce() -> SumScope,
    parts: impl Iterator<Item = Decimal> + Clone,
    total: Decimal,
) {
    let mut count = 0_usize;
    let sum: Decimal = parts.clone().inspect(|_| count += 1).sum();
    if count == 0 {
        return;
    }
    let difference = (sum - total).abs();
    if difference.is_zero() {
        return;
    }
    let (path, scope, names, column) = scope();
    let rounding = difference <= ruleset.tolerances.amount.get();
    let message = Msg::BreakdownDoesNotSum {
        scope,
        names,
        column,
        figures: parts.collect(),
        sum,
        total,
        difference,
        rounding,
    };
    let severity = if rounding {
        Severity::Info
    } else {
        Severity::Warning
    };
    findings.push(
        Finding::new(FindingCode::BreakdownDoesNotSum, severity, path, message)
            .comparing(total, sum),
    );
}

/// The declared total against the declared scores, and the declared grade against both the
/// declared total (are the unit's own figures consistent?) and the rule grade (do the rules
/// agree with the unit?). `declared_sum` is the sum of the declared scores, rescaled to 100
/// points when not-applicable leaves leave the form. Returns the declared grade as the ruleset
/// reads it.
pub(super) fn check_declared_totals(
    document: &EvaluationDocument,
    ruleset: &Ruleset,
    declared_sum: Decimal,
    rule_grade: &GradeBand,
    findings: &mut Vec<Finding>,
) -> Option<GradeCode> {
    if let Some(total) = document.declared_total.map(Dec::get)
        && (total - declared_sum).abs() > ruleset.tolerances.score.get()
    {
        findings.push(
            Finding::new(
                FindingCode::DeclaredTotalDiffers,
                Severity::Warning,
                "/declared_total",
                Msg::DeclaredTotalDiffers {
                    total,
                    sum: declared_sum,
                },
            )
            .comparing(declared_sum, total),
        );
    }
    let Some(grade_text) = document
        .declared_grade
        .as_deref()
        .filter(|g| !g.trim().is_empty())
    else {
        if ruleset.grade_required {
            findings.push(Finding::new(
                FindingCode::DeclaredGradeMissing,
                Severity::Info,
                "/declared_grade",
                Msg::DeclaredGradeMissing {
                    ruleset: ruleset.id.clone(),
                },
            ));
        }
        return None;
    };
    let Some(declared_band) = ruleset.grade_named(grade_text) else {
        let labels: Vec<String> = ruleset
            .grade_bands
            .iter()
            .map(|b| b.label.clone())
            .collect();
        findings.push(Finding::new(
            FindingCode::ValueUnreadable,
            Severity::Warning,
            "/declared_grade",
            Msg::DeclaredGradeUnreadable {
                grade: grade_text.to_owned(),
                labels,
            },
        ));
        return None;
    };
    let basis = document.declared_total.map_or(declared_sum, Dec::get);
    let due = ruleset.grade_of(round2(basis));
    if due.code != declared_band.code {
        findings.push(
            Finding::new(
                FindingCode::DeclaredGradeDiffers,
                Severity::Warning,
                "/declared_grade",
                Msg::DeclaredGradeDiffers {
                    grade: grade_text.to_owned(),
                    total: basis,
                    due: due.label.clone(),
                },
            )
            .comparing(&due.label, grade_text),
        );
    }
    if rule_grade.code != declared_band.code {
        findings.push(
            Finding::new(
                FindingCode::RuleGradeDiffers,
                Severity::Warning,
                "/declared_grade",
                Msg::RuleGradeDiffers {
                    grade: grade_text.to_owned(),
                    rule: rule_grade.label.clone(),
                },
            )
            .comparing(&rule_grade.label, grade_text),
        );
    }
    Some(declared_band.code)
}

/// Low execution without a reason, and results claimed far above what was spent.
pub(super) fn check_spending(
    document: &EvaluationDocument,
    ruleset: &Ruleset,
    execution_percent: Option<Decimal>,
    indicator_rate: &Option<Decimal>,
    findings: &mut Vec<Finding>,
) {
    let Some(rate) = execution_percent else {
        return;
    };
    let explained = document.has_deviation_analysis();
    let threshold = ruleset.reason_required_below_rate.get();
    if rate < threshold && !explained {
        findings.push(
            Finding::new(
                FindingCode::LowExecutionWithoutReason,
                Severity::Warning,
                "/deviation_analysis",
                Msg::LowExecutionWithoutReason { rate, threshold },
            )
            .comparing(
                format!("≥ {} %", plain(threshold)),
                format!("{} %", round2(rate)),
            ),
        );
    }
    if let Some(indicator_rate) = indicator_rate.map(|r| r * Decimal::ONE_HUNDRED) {
        let margin = ruleset.results_exceed_spending_points.get();
        if indicator_rate - rate > margin {
            findings.push(
                Finding::new(
                    FindingCode::ResultsExceedSpending,
                    Severity::Warning,
                    "/indicators",
                    Msg::ResultsExceedSpending {
                        indicators: indicator_rate,
                        rate,
                        margin,
                    },
                )
                .comparing(
                    format!("≤ {} %", round2(rate + margin)),
                    format!("{} %", round2(indicator_rate)),
                ),
            );
        }
    }
}

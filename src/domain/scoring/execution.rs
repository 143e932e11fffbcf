//! The budget-execution block: rate = 全年执行数 / 全年预算数, score = weight × min(rate, 1).

use rust_decimal::Decimal;

use super::findings::{Finding, FindingCode, Severity};
use super::result::ExecutionResult;
use crate::domain::decimal::{Dec, round2};
use crate::domain::document::Funds;
use crate::domain::messages::{Msg, RateProblem};
use crate::domain::ruleset::Ruleset;

/// The execution block scored, with the exact figures the total is built from.
pub(super) struct ScoredExecution {
    pub result: ExecutionResult,
    /// Unrounded score.
    pub score: Decimal,
    /// Unrounded rate in percent (94.04…), when computable.
    pub percent: Option<Decimal>,
}

pub(super) fn score_execution(
    funds: &Funds,
    ruleset: &Ruleset,
    findings: &mut Vec<Finding>,
) -> ScoredExecution {
    let weight = funds.weight.map_or(Decimal::ZERO, Dec::get);
    let budget = funds.annual_budget.map(Dec::get);
    let executed = funds.executed.map(Dec::get);
    let (percent, score, explanation) = match (budget, executed) {
        (Some(budget), Some(executed)) if budget > Decimal::ZERO && executed >= Decimal::ZERO => {
            let rate = executed / budget;
            let score = weight * rate.min(Decimal::ONE);
            let percent = rate * Decimal::ONE_HUNDRED;
            let explanation = Msg::ExplainExecution {
                weight,
                executed,
                budget,
                score,
                rate: percent,
            };
            (Some(percent), score, explanation)
        }
        _ => {
            let why = match (budget, executed) {
                (None, _) => RateProblem::BudgetBlank,
                (_, None) => RateProblem::ExecutedBlank,
                (Some(b), _) if b.is_zero() => RateProblem::BudgetZero,
                (Some(budget), Some(executed)) => RateProblem::NoRate { budget, executed },
            };
            let path = if budget.is_some() && executed.is_none() {
                "/funds/executed"
            } else {
                "/funds/annual_budget"
            };
            findings.push(Finding::new(
                FindingCode::RateNotComputable,
                Severity::Warning,
                path,
                Msg::RateNotComputable { why: why.clone() },
            ));
            (
                None,
                Decimal::ZERO,
                Msg::ExplainExecutionNotComputable { why },
            )
        }
    };

    // Each figure is rounded once, for the result and for any finding that shows it: rounding
    // a rate's 28 places costs more than the division that gave them.
    let shown_score = round2(score);
    check_declared_score(funds, weight, (score, shown_score), ruleset, findings);
    let shown_percent = percent.map(round2);
    if let (Some(declared), Some(computed), Some(shown)) =
        (funds.declared_rate, percent, shown_percent)
        && (declared.get() - computed).abs() > ruleset.tolerances.rate_points.get()
    {
        findings.push(
            Finding::new(
                FindingCode::DeclaredRateDiffers,
                Severity::Warning,
                "/funds/declared_rate",
                Msg::DeclaredRateDiffers {
                    declared: declared.get(),
                    computed,
                },
            )
            .comparing(shown, declared),
        );
    }

    ScoredExecution {
        result: ExecutionResult {
            rate: shown_percent.map(Dec),
            weight: funds.weight.unwrap_or_default(),
            score: Dec(shown_score),
            declared_score: funds.declared_score,
            declared_rate: funds.declared_rate,
            explanation: explanation.into(),
            review: None,
        },
        score,
        percent,
    }
}

/// The declared score against the weight and against the rule score, given exact and as shown.
fn check_declared_score(
    funds: &Funds,
    weight: Decimal,
    (score, shown_score): (Decimal, Decimal),
    ruleset: &Ruleset,
    findings: &mut Vec<Finding>,
) {
    let path = "/funds/declared_score";
    let Some(declared) = funds.declared_score.map(Dec::get) else {
        findings.push(Finding::new(
            FindingCode::DeclaredScoreMissing,
            Severity::Info,
            path,
            Msg::ExecutionScoreMissing,
        ));
        return;
    };
    if declared > weight {
        findings.push(
            Finding::new(
                FindingCode::ScoreExceedsWeight,
                Severity::Error,
                path,
                Msg::ExecutionScoreExceedsWeight { declared, weight },
            )
            .comparing(weight, declared),
        );
    }
    if (declared - score).abs() > ruleset.tolerances.score.get() {
        findings.push(
            Finding::new(
                FindingCode::DeclaredScoreDiffers,
                Severity::Warning,
                path,
                Msg::ExecutionScoreDiffers { declared, score },
            )
            .comparing(shown_score, declared),
        );
    }
}

//! Scoring a form by a ruleset: rule scores beside the declared ones, the total, the grade and
//! every inconsistency. Pure: no I/O, and the same answer for the same document and ruleset.

mod checks;
mod execution;
pub mod findings;
mod leaf;
mod qualitative;
pub mod result;
pub mod review;

use rust_decimal::Decimal;

use crate::domain::decimal::{Dec, add_to, round2};
use crate::domain::document::EvaluationDocument;
use crate::domain::location::pointer_index;
use crate::domain::messages::Msg;
use crate::domain::ruleset::Ruleset;
use findings::Finding;
use leaf::{LeafContext, Scratch, score_leaf};
use result::{DeclaredSummary, Grade, Level1Result, Level2Result, RulesetRef, ScoreResult};

/// Exact sums gathered while walking the tree.
#[derive(Default)]
struct Tally {
    /// Σ rule scores of applicable leaves.
    score: Decimal,
    /// Σ weights of applicable leaves.
    applicable_weight: Decimal,
    /// Σ declared scores of applicable leaves.
    declared: Decimal,
    /// Σ weights of the nodes below, the declared weight standing for a node that has one.
    weight: Decimal,
    /// Σ weights of every leaf, applicable or not: what the form's rows really weigh.
    leaf_weight: Decimal,
}

impl Tally {
    fn add(&mut self, other: &Self) {
        add_to(&mut self.score, other.score);
        add_to(&mut self.applicable_weight, other.applicable_weight);
        add_to(&mut self.declared, other.declared);
        add_to(&mut self.weight, other.weight);
        add_to(&mut self.leaf_weight, other.leaf_weight);
    }
}

/// The unrounded scores behind a result, for building further totals (review scores) without
/// rounding anything before summing.
pub(crate) struct ExactScores {
    /// The execution block's rule score.
    pub execution: Decimal,
    /// Each leaf's rule score by path; `None` for not-applicable leaves.
    pub leaves: std::collections::BTreeMap<String, Option<Decimal>>,
    /// Σ applicable weights, execution included.
    pub applicable_weight: Decimal,
}

/// Scores `document` by `ruleset`.
#[must_use]
pub fn score(document: &EvaluationDocument, ruleset: &Ruleset) -> ScoreResult {
    score_keeping(document, ruleset, false).0
}

/// Scores `document` and keeps the unrounded figures.
pub(crate) fn score_exact(
    document: &EvaluationDocument,
    ruleset: &Ruleset,
) -> (ScoreResult, ExactScores) {
    score_keeping(document, ruleset, true)
}

/// Scores `document`, keeping each leaf's unrounded score by path only where asked: the map
/// costs a path copy and a sorted insert per leaf that plain scoring throws away.
fn score_keeping(
    document: &EvaluationDocument,
    ruleset: &Ruleset,
    keep_leaves: bool,
) -> (ScoreResult, ExactScores) {
    // A form printed without any weight is scored with the ruleset's, and the findings say so.
    let weights = crate::domain::weights::resolve(document, ruleset);
    let mut findings: Vec<Finding> = weights.findings();
    let document = weights.document.as_ref();
    let execution = execution::score_execution(&document.funds, ruleset, &mut findings);
    if document.funds.weight.is_none() {
        findings.push(Finding::new(
            findings::FindingCode::WeightMissing,
            findings::Severity::Warning,
            "/funds/weight",
            crate::domain::messages::Msg::FundsWeightMissing,
        ));
    }
    checks::check_breakdown(document, ruleset, &mut findings);
    let mut exact_leaves = std::collections::BTreeMap::new();
    let exact_map = keep_leaves.then_some(&mut exact_leaves);
    let (indicators, leaves) = score_indicators(document, ruleset, exact_map, &mut findings);
    checks::check_weights(document, ruleset, &indicators, &leaves, &mut findings);

    let execution_weight = document.funds.weight.map_or(Decimal::ZERO, Dec::get);
    let applicable_weight = execution_weight + leaves.applicable_weight;
    let (total, mut total_explanation) =
        total_of(execution.score + leaves.score, applicable_weight);
    let partial = findings.iter().any(|f| {
        matches!(
            f.code,
            findings::FindingCode::WeightMissing | findings::FindingCode::ActualMissing
        )
    });
    if partial {
        total_explanation = crate::domain::messages::Msg::ExplainTotalPartial {
            total: Box::new(total_explanation),
        };
    }
    // The grade is read off the total as shown, so that a printed 90.00 is never graded 良.
    let band = ruleset.grade_of(total);

    let declared_sum = document
        .funds
        .declared_score
        .map_or(Decimal::ZERO, Dec::get)
        + leaves.declared;
    // With not-applicable leaves the unit's own total is rescaled like the computed one.
    let declared_basis =
        if leaves.applicable_weight != leaves.leaf_weight && !applicable_weight.is_zero() {
            round2(declared_sum / applicable_weight * Decimal::ONE_HUNDRED)
        } else {
            declared_sum
        };
    let declared_grade_code =
        checks::check_declared_totals(document, ruleset, declared_basis, band, &mut findings);
    checks::check_spending(
        document,
        ruleset,
        execution.percent,
        &leaves_rate(&leaves, document),
        &mut findings,
    );

    let basic_data = document
        .basic_data
        .as_ref()
        .map(|data| crate::domain::basic_data::check_basic_data(data, &mut findings));
    let report_checks = crate::domain::report::check_report(document, &mut findings);

    place(document, &mut findings);
    let exact = ExactScores {
        execution: execution.score,
        leaves: exact_leaves,
        applicable_weight,
    };
    let result = ScoreResult {
        ruleset: RulesetRef {
            id: ruleset.id.clone(),
            version: ruleset.version,
        },
        total: Dec(total),
        total_explanation: total_explanation.into(),
        partial,
        applicable_weight: Dec(applicable_weight),
        grade: Grade {
            code: band.code,
            label: band.label.clone(),
        },
        execution: execution.result,
        indicators,
        declared: DeclaredSummary {
            total: document.declared_total,
            sum_of_scores: Dec(declared_sum),
            grade: document.declared_grade.clone(),
            grade_code: declared_grade_code,
        },
        review: None,
        findings,
        basic_data,
        report_checks,
    };
    (result, exact)
}

/// Walks the indicator tree, scoring every leaf and summing upwards.
fn score_indicators(
    document: &EvaluationDocument,
    ruleset: &Ruleset,
    mut exact: Option<&mut std::collections::BTreeMap<String, Option<Decimal>>>,
    findings: &mut Vec<Finding>,
) -> (Vec<Level1Result>, Tally) {
    let form_has_deviation_analysis = document.has_deviation_analysis();
    let mut indicators = Vec::with_capacity(document.indicators.len());
    let mut leaves = Tally::default();
    let mut scratch = Scratch::new();
    for (i, level1) in document.indicators.iter().enumerate() {
        let path1 = level1_path(i);
        let mut tally1 = Tally::default();
        let mut children = Vec::with_capacity(level1.children.len());
        for (j, level2) in level1.children.iter().enumerate() {
            let path2 = child_path(&path1, j);
            let mut tally2 = Tally::default();
            let mut leaf_results = Vec::with_capacity(level2.children.len());
            for (k, leaf) in level2.children.iter().enumerate() {
                let path = child_path(&path2, k);
                let cx = LeafContext {
                    leaf,
                    path: &path,
                    level2_name: &level2.name,
                    ruleset,
                    form_has_deviation_analysis,
                };
                let mut scored = score_leaf(&cx, &mut scratch, findings);
                let weight = leaf.weight.map_or(Decimal::ZERO, Dec::get);
                add_to(&mut tally2.leaf_weight, weight);
                if scored.applicable {
                    add_to(&mut tally2.score, scored.score);
                    add_to(&mut tally2.applicable_weight, weight);
                    let declared = leaf.declared_score.map_or(Decimal::ZERO, Dec::get);
                    add_to(&mut tally2.declared, declared);
                }
                if let Some(exact) = exact.as_deref_mut() {
                    exact.insert(path.clone(), scored.applicable.then_some(scored.score));
                }
                scored.result.path = path;
                leaf_results.push(scored.result);
            }
            // A declared level-2 weight stands for its leaves when checking the level above;
            // below level 2 there are only leaves, so the weights below are theirs.
            tally2.weight = checks::node_weight(
                level2.weight,
                tally2.leaf_weight,
                &path2,
                &level2.name,
                ruleset,
                findings,
            );
            children.push(Level2Result {
                path: path2,
                name: level2.name.clone(),
                weight: Dec(tally2.weight),
                score: Dec(round2(tally2.score)),
                declared_score: Dec(tally2.declared),
                review_score: None,
                children: leaf_results,
            });
            tally1.add(&tally2);
        }
        tally1.weight = checks::node_weight(
            level1.weight,
            tally1.weight,
            &path1,
            &level1.name,
            ruleset,
            findings,
        );
        indicators.push(Level1Result {
            path: path1,
            name: level1.name.clone(),
            weight: Dec(tally1.weight),
            score: Dec(round2(tally1.score)),
            declared_score: Dec(tally1.declared),
            review_score: None,
            children,
        });
        leaves.add(&tally1);
    }
    (indicators, leaves)
}

/// The pointer of level-1 indicator `index` (`/indicators/0`).
fn level1_path(index: usize) -> String {
    let mut path = String::with_capacity("/indicators/".len() + 4);
    path.push_str("/indicators/");
    push_index(&mut path, index);
    path
}

/// The pointer of child `index` of the node at `parent`, written into one allocation.
fn child_path(parent: &str, index: usize) -> String {
    let mut path = String::with_capacity(parent.len() + "/children/".len() + 4);
    path.push_str(parent);
    path.push_str("/children/");
    push_index(&mut path, index);
    path
}

/// Appends `index` in decimal digits. Every node of a form gets a path, and writing its index
/// through a formatter costs more than the rest of the path.
fn push_index(path: &mut String, index: usize) {
    // Most forms have fewer than ten nodes under any one.
    if let Ok(digit) = u8::try_from(index)
        && digit < 10
    {
        path.push(char::from(b'0' + digit));
        return;
    }
    let mut digits = [0_u8; 20];
    let mut start = digits.len();
    let mut rest = index;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &digit in &digits[start..] {
        path.push(char::from(digit));
    }
}

/// Gives each finding its place on the paper form, reading names from the typed document.
fn place(document: &EvaluationDocument, findings: &mut [Finding]) {
    let outline = Placing(document);
    for finding in findings {
        finding.location = crate::domain::location::paper_location_in(&outline, &finding.path);
    }
}

/// The document as findings are placed in it: the names of the breakdown rows and indicators a
/// finding points into. Basic-data rows and report sections are placed by position, and
/// basic-data columns without their year, as findings have always been placed.
struct Placing<'a>(&'a EvaluationDocument);

impl crate::domain::location::Outline for Placing<'_> {
    fn is_project(&self) -> bool {
        self.0.kind == crate::domain::document::FormKind::Project
    }

    fn fiscal_year(&self) -> Option<i32> {
        None
    }

    fn breakdown_row(&self, index: &str) -> Option<(Option<&str>, Option<&str>)> {
        use crate::domain::document::BreakdownGroup;
        let row = self.0.funds.breakdown.get(pointer_index(index)?)?;
        let group = match row.group {
            BreakdownGroup::Income => "income",
            BreakdownGroup::Expenditure => "expenditure",
            BreakdownGroup::Source => "source",
        };
        Some((Some(group), Some(&row.name)))
    }

    fn indicator_name(&self, indices: &[&str]) -> Option<&str> {
        let level1 = self.0.indicators.get(pointer_index(indices.first()?)?)?;
        let Some(j) = indices.get(1) else {
            return Some(&level1.name);
        };
        let level2 = level1.children.get(pointer_index(j)?)?;
        let Some(k) = indices.get(2) else {
            return Some(&level2.name);
        };
        Some(&level2.children.get(pointer_index(k)?)?.name)
    }

    fn spending_name(&self, _index: &str) -> Option<String> {
        None
    }

    fn section_heading(&self, _index: &str) -> Option<&str> {
        None
    }
}

/// The total on the 100-point scale and how it was reached.
fn total_of(raw_score: Decimal, applicable_weight: Decimal) -> (Decimal, Msg) {
    if applicable_weight.is_zero() {
        return (round2(Decimal::ZERO), Msg::ExplainTotalNoWeight);
    }
    if applicable_weight == Decimal::ONE_HUNDRED {
        let total = round2(raw_score);
        return (total, Msg::ExplainTotalFull { total });
    }
    let total = round2(raw_score / applicable_weight * Decimal::ONE_HUNDRED);
    (
        total,
        Msg::ExplainTotalRescaled {
            sum: raw_score,
            weight: applicable_weight,
            total,
        },
    )
}

/// The indicator score rate the unit claims (declared scores / applicable weights), as a
/// fraction; `None` without applicable leaves.
fn leaves_rate(leaves: &Tally, document: &EvaluationDocument) -> Option<Decimal> {
    let any_declared = document
        .indicators
        .iter()
        .flat_map(|l1| &l1.children)
        .flat_map(|l2| &l2.children)
        .any(|leaf| leaf.declared_score.is_some());
    let claimed = if any_declared {
        leaves.declared
    } else {
        leaves.score
    };
    (!leaves.applicable_weight.is_zero()).then(|| claimed / leaves.applicable_weight)
}

#[cfg(test)]
mod inferred_tests;
#[cfg(test)]
mod tests;

//! The weights a form is scored with: the ones it prints, or, for a form printed without any
//! 分值 (targets and actuals only), the ones its ruleset expects.
//!
//! Some regions print their forms with no 分值 or 得分 columns. Such a form gets the ruleset's
//! execution weight and each level-1 weight shared among its leaves as the ruleset says, so its
//! total and grade compare with everyone else's; every inferred weight is reported
//! (`weight_inferred`). A form that prints some weights and leaves others blank is incomplete,
//! not unweighted: a blank weight counts as 0 and is reported (`weight_missing`).

use std::borrow::Cow;
use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use super::decimal::{Dec, plain};
use super::document::EvaluationDocument;
use super::messages::{Msg, WeightPool};
use super::ruleset::{LeafShare, Ruleset};
use super::scoring::findings::{Finding, FindingCode, Severity};

/// The weights a form is scored with.
#[derive(Clone, Debug)]
pub struct ResolvedWeights<'a> {
    /// The document with every weight present: printed, inferred, or 0 where missing.
    pub document: Cow<'a, EvaluationDocument>,
    /// The weights taken from the ruleset, by the pointer of the weight they stand for.
    pub inferred: BTreeMap<String, Inferred>,
    /// The weights the form leaves blank although it prints others, and why none was inferred.
    pub missing: Vec<Missing>,
}

/// One weight taken from the ruleset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inferred {
    /// The weight in points.
    pub weight: Decimal,
    /// The rule it comes from, as the finding states it.
    pub rule: Msg,
}

/// One weight that is blank and counted as 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missing {
    /// The pointer of the blank weight (`/indicators/0/children/0/children/1/weight`).
    pub path: String,
    /// Why it has no weight.
    pub reason: Msg,
}

impl ResolvedWeights<'_> {
    /// Whether the form's weights came from the ruleset.
    #[must_use]
    pub fn is_inferred(&self) -> bool {
        !self.inferred.is_empty()
    }

    /// One finding per inferred or missing weight, in the order of the form.
    #[must_use]
    pub fn findings(&self) -> Vec<Finding> {
        let mut findings: Vec<(String, Finding)> = Vec::new();
        for (path, inferred) in &self.inferred {
            let mut finding = Finding::new(
                FindingCode::WeightInferred,
                Severity::Info,
                path.clone(),
                inferred.rule.clone(),
            );
            finding.expected = Some(plain(inferred.weight));
            findings.push((path.clone(), finding));
        }
        for missing in &self.missing {
            let finding = Finding::new(
                FindingCode::WeightMissing,
                Severity::Error,
                missing.path.clone(),
                missing.reason.clone(),
            );
            findings.push((missing.path.clone(), finding));
        }
        findings.sort_by_key(|(path, _)| form_order(path));
        findings.into_iter().map(|(_, f)| f).collect()
    }
}

/// Orders pointers as the form prints them: the funds first, then the indicators by index.
fn form_order(path: &str) -> (bool, Vec<usize>) {
    let indices = path.split('/').filter_map(|p| p.parse().ok()).collect();
    (path.starts_with("/indicators"), indices)
}

/// Whether the form prints any weight at all: funds, level-1, level-2 or leaf.
#[must_use]
pub fn has_any_weight(document: &EvaluationDocument) -> bool {
    document.funds.weight.is_some()
        || document.indicators.iter().any(|l1| {
            l1.weight.is_some()
                || l1.children.iter().any(|l2| {
                    l2.weight.is_some() || l2.children.iter().any(|leaf| leaf.weight.is_some())
                })
        })
}

/// The weights `document` is scored with under `ruleset`.
#[must_use]
pub fn resolve<'a>(document: &'a EvaluationDocument, ruleset: &Ruleset) -> ResolvedWeights<'a> {
    if has_any_weight(document) {
        // A form that prints some weights and leaves others blank is incomplete, not
        // unweighted: scoring leaves the blank rows out and says so (`weight_missing`).
        return ResolvedWeights {
            document: Cow::Borrowed(document),
            inferred: BTreeMap::new(),
            missing: Vec::new(),
        };
    }
    infer(document, ruleset)
}

/// A (level-1, level-2, leaf) index triple.
type LeafAt = (usize, usize, usize);

fn leaf_pointer((i, j, k): LeafAt) -> String {
    format!("/indicators/{i}/children/{j}/children/{k}/weight")
}

fn leaves(document: &EvaluationDocument) -> impl Iterator<Item = LeafAt> + '_ {
    document.indicators.iter().enumerate().flat_map(|(i, l1)| {
        l1.children
            .iter()
            .enumerate()
            .flat_map(move |(j, l2)| (0..l2.children.len()).map(move |k| (i, j, k)))
    })
}

/// Leaves that share one expected weight.
struct Pool {
    /// What the weight is called in the finding (`「产出指标」50 分`).
    what: WeightPool,
    weight: Decimal,
    leaves: Vec<LeafAt>,
}

/// A form with no weights at all: the ruleset's.
fn infer<'a>(document: &'a EvaluationDocument, ruleset: &Ruleset) -> ResolvedWeights<'a> {
    let expected = &ruleset.weights;
    let mut inferred = BTreeMap::new();
    let mut missing = Vec::new();
    inferred.insert(
        "/funds/weight".to_owned(),
        Inferred {
            weight: expected.execution.get(),
            rule: Msg::WeightInferredExecution {
                ruleset: ruleset.name.clone(),
                ruleset_id: ruleset.id.clone(),
                weight: ruleset.weights.execution.get(),
            },
        },
    );
    let pools = pools(document, ruleset, &mut missing);
    for pool in &pools {
        let shares = equal_shares(pool.weight, pool.leaves.len());
        let rule = Msg::WeightShared {
            pool: pool.what.clone(),
            weight: pool.weight,
            ruleset: ruleset.name.clone(),
            ruleset_id: ruleset.id.clone(),
            shares: shares.clone(),
        };
        for (at, share) in pool.leaves.iter().zip(&shares) {
            inferred.insert(
                leaf_pointer(*at),
                Inferred {
                    weight: *share,
                    rule: rule.clone(),
                },
            );
        }
    }
    let mut filled = document.clone();
    filled.funds.weight = Some(Dec(expected.execution.get()));
    for (i, level1) in filled.indicators.iter_mut().enumerate() {
        for (j, level2) in level1.children.iter_mut().enumerate() {
            for (k, leaf) in level2.children.iter_mut().enumerate() {
                let weight = inferred
                    .get(&leaf_pointer((i, j, k)))
                    .map_or(Decimal::ZERO, |w| w.weight);
                leaf.weight = Some(Dec(weight));
            }
        }
    }
    ResolvedWeights {
        document: Cow::Owned(filled),
        inferred,
        missing,
    }
}

/// The leaves of the form grouped by the expected weight they share; leaves no expectation
/// names are added to `missing`.
fn pools(
    document: &EvaluationDocument,
    ruleset: &Ruleset,
    missing: &mut Vec<Missing>,
) -> Vec<Pool> {
    let expected = &ruleset.weights;
    let mut pools: Vec<Pool> = Vec::new();
    if expected.level1.is_empty() {
        pools.push(Pool {
            what: WeightPool::All,
            weight: expected.indicators.get(),
            leaves: leaves(document).collect(),
        });
    } else {
        // Each level-1 indicator belongs to the first expectation that names it.
        let owner: Vec<Option<usize>> = document
            .indicators
            .iter()
            .map(|l1| {
                expected
                    .level1
                    .iter()
                    .position(|e| e.matches_name(&l1.name))
            })
            .collect();
        for (e, expectation) in expected.level1.iter().enumerate() {
            let mine = leaves(document).filter(|at| owner[at.0] == Some(e));
            match expectation.share {
                LeafShare::Equal => pools.push(Pool {
                    what: WeightPool::Level1 {
                        label: expectation.label.clone(),
                    },
                    weight: expectation.weight.get(),
                    leaves: mine.collect(),
                }),
                LeafShare::Level2 => {
                    let mut by_level2: Vec<Vec<LeafAt>> =
                        vec![Vec::new(); expectation.level2.len()];
                    for at in mine {
                        let name = &document.indicators[at.0].children[at.1].name;
                        match expectation
                            .level2
                            .iter()
                            .position(|l2| l2.matches_name(name))
                        {
                            Some(f) => by_level2[f].push(at),
                            None => missing.push(Missing {
                                path: leaf_pointer(at),
                                reason: Msg::WeightLevel2Unknown {
                                    name: name.clone(),
                                    level1: expectation.label.clone(),
                                    ruleset: ruleset.name.clone(),
                                    ruleset_id: ruleset.id.clone(),
                                },
                            }),
                        }
                    }
                    for (level2, leaves) in expectation.level2.iter().zip(by_level2) {
                        pools.push(Pool {
                            what: WeightPool::Level2 {
                                level1: expectation.label.clone(),
                                label: level2.label.clone(),
                            },
                            weight: level2.weight.get(),
                            leaves,
                        });
                    }
                }
            }
        }
        for at in leaves(document).filter(|at| owner[at.0].is_none()) {
            missing.push(Missing {
                path: leaf_pointer(at),
                reason: Msg::WeightLevel1Unknown {
                    name: document.indicators[at.0].name.clone(),
                    ruleset: ruleset.name.clone(),
                    ruleset_id: ruleset.id.clone(),
                },
            });
        }
    }
    pools
}

/// `weight` shared by `n` leaves in exact decimals that add up to it: each gets the weight / n
/// cut to 2 places, the cents left over go one each to the first leaves, and anything below a
/// cent (a weight with more than 2 places) to the last.
#[must_use]
pub fn equal_shares(weight: Decimal, n: usize) -> Vec<Decimal> {
    let Some(count) = Decimal::from_usize(n).filter(|c| !c.is_zero()) else {
        return Vec::new();
    };
    let cent = Decimal::new(1, 2);
    let base = (weight / count).trunc_with_scale(2);
    let mut left = weight - base * count;
    let mut shares: Vec<Decimal> = (0..n)
        .map(|_| {
            if left >= cent {
                left -= cent;
                base + cent
            } else {
                base
            }
        })
        .collect();
    if let Some(last) = shares.last_mut() {
        *last += left;
    }
    // Printed as plain figures: 7.5, 10, 16.67.
    shares.iter().map(|s| s.normalize()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn equal_shares_add_up_exactly() {
        for (weight, n, expected) in [
            ("50", 3, vec!["16.67", "16.67", "16.66"]),
            ("30", 4, vec!["7.5", "7.5", "7.5", "7.5"]),
            ("10", 1, vec!["10"]),
            ("10", 3, vec!["3.34", "3.33", "3.33"]),
            (
                "40",
                7,
                vec!["5.72", "5.72", "5.72", "5.71", "5.71", "5.71", "5.71"],
            ),
            ("0.005", 2, vec!["0", "0.005"]),
            ("50", 5, vec!["10", "10", "10", "10", "10"]),
        ] {
            let shares = equal_shares(d(weight), n);
            let got: Vec<String> = shares.iter().map(ToString::to_string).collect();
            assert_eq!(got, expected, "{weight} over {n}");
            assert_eq!(
                shares.iter().sum::<Decimal>(),
                d(weight),
                "{weight} over {n}"
            );
        }
        assert!(equal_shares(d("50"), 0).is_empty());
    }
}

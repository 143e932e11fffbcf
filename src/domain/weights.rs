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
    pub rule: String,
}

/// One weight that is blank and counted as 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missing {
    /// The pointer of the blank weight (`/indicators/0/children/0/children/1/weight`).
    pub path: String,
    /// Why it counts as 0.
    pub reason: String,
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
    what: String,
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
            rule: messages::execution(ruleset),
        },
    );
    let pools = pools(document, ruleset, &mut missing);
    for pool in &pools {
        let shares = equal_shares(pool.weight, pool.leaves.len());
        let rule = messages::shared(&pool.what, pool.weight, ruleset, &shares);
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
            what: messages::all_indicators(expected.indicators.get()),
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
                    what: messages::level1(&expectation.label, expectation.weight.get()),
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
                                reason: messages::level2_not_in_ruleset(
                                    name,
                                    &expectation.label,
                                    ruleset,
                                ),
                            }),
                        }
                    }
                    for (level2, leaves) in expectation.level2.iter().zip(by_level2) {
                        pools.push(Pool {
                            what: messages::level2(
                                &expectation.label,
                                &level2.label,
                                level2.weight.get(),
                            ),
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
                reason: messages::level1_not_in_ruleset(&document.indicators[at.0].name, ruleset),
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

/// The sentences of the findings, in one place.
mod messages {
    use rust_decimal::Decimal;

    use crate::domain::decimal::plain;
    use crate::domain::ruleset::Ruleset;

    pub(super) fn execution(ruleset: &Ruleset) -> String {
        format!(
            "本表未填分值：预算执行率分值按评分规则「{}」（{}）推定为 {} 分。",
            ruleset.name,
            ruleset.id,
            plain(ruleset.weights.execution.get())
        )
    }

    pub(super) fn all_indicators(weight: Decimal) -> String {
        format!("绩效指标合计 {} 分", plain(weight))
    }

    pub(super) fn level1(label: &str, weight: Decimal) -> String {
        format!("「{label}」{} 分", plain(weight))
    }

    pub(super) fn level2(level1: &str, label: &str, weight: Decimal) -> String {
        format!("「{level1}」中「{label}」{} 分", plain(weight))
    }

    pub(super) fn shared(
        what: &str,
        weight: Decimal,
        ruleset: &Ruleset,
        shares: &[Decimal],
    ) -> String {
        let n = shares.len();
        let rule = format!(
            "本表未填分值：{what}按评分规则「{}」（{}）由其 {n} 项三级指标平分",
            ruleset.name, ruleset.id
        );
        let (Some(low), Some(high)) = (shares.iter().min(), shares.iter().max()) else {
            return rule;
        };
        if low == high {
            return format!("{rule}，每项 {} 分。", plain(*low));
        }
        let cent = Decimal::new(1, 2);
        // As `equal_shares` cuts them: the last leaf never gets a whole extra cent.
        let base = shares[..n - 1]
            .iter()
            .copied()
            .fold(shares[n - 1], Decimal::min);
        let base = base.trunc_with_scale(2);
        let more = shares.iter().filter(|s| **s == base + cent).count();
        let mut text = format!(
            "{rule}：{} ÷ {n} 截至 2 位小数为每项 {} 分",
            plain(weight),
            plain(base)
        );
        if more > 0 {
            text.push_str(&format!(
                "，余下的 0.01 分依次加给前 {more} 项（各 {} 分）",
                plain(base + cent)
            ));
        }
        let tail = shares[n - 1] - base;
        if !tail.is_zero() {
            text.push_str(&format!("，不足 0.01 分的 {} 分计入最后一项", plain(tail)));
        }
        text.push_str(&format!("，合计恰为 {} 分。", plain(weight)));
        text
    }

    pub(super) fn level1_not_in_ruleset(name: &str, ruleset: &Ruleset) -> String {
        format!(
            "本表未填分值，一级指标「{name}」不在评分规则「{}」（{}）的一级指标分值中，无法推定其三级指标的分值，按 0 分计。",
            ruleset.name, ruleset.id
        )
    }

    pub(super) fn level2_not_in_ruleset(name: &str, level1: &str, ruleset: &Ruleset) -> String {
        format!(
            "本表未填分值，二级指标「{name}」不在评分规则「{}」（{}）为「{level1}」列出的二级指标分值中，无法推定其分值，按 0 分计。",
            ruleset.name, ruleset.id
        )
    }
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

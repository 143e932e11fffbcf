//! Review scores (复核): a reviewer's scores beside the unit's declared scores and the rule
//! scores, checked by the same rules (never above the weight, inside the qualitative band),
//! and the review total and grade they give.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::qualitative::Band;
use super::result::{Grade, LeafResult, ReviewTotal, ReviewedScore, ScoreResult};
use super::{ExactScores, score_exact};
use crate::domain::decimal::{Dec, DecimalInput, round2};
use crate::domain::document::{EvaluationDocument, Method};
use crate::domain::messages::Msg;
use crate::domain::ruleset::Ruleset;
use crate::domain::validation::FieldError;

/// The review scores recorded for a form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// The review score of the execution block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution: Option<ReviewEntry>,
    /// Review scores of leaves, each naming the leaf by its JSON pointer in the document.
    #[serde(default)]
    pub leaves: Vec<LeafReviewEntry>,
}

/// A review score and the reason for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewEntry {
    /// The score.
    #[schema(value_type = DecimalInput)]
    pub score: Dec,
    /// Why the reviewer gives it.
    #[schema(pattern = r"\S")]
    pub reason: String,
}

/// A review score of one leaf.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeafReviewEntry {
    /// The leaf's JSON pointer, as in the result (`/indicators/0/children/0/children/1`).
    pub path: String,
    /// The score.
    #[schema(value_type = DecimalInput)]
    pub score: Dec,
    /// Why the reviewer gives it.
    #[schema(pattern = r"\S")]
    pub reason: String,
}

/// Scores `document` and lays the review scores beside the rule scores.
///
/// # Errors
/// Each review score that names no leaf, a leaf that does not apply, has no reason, exceeds the
/// weight or lies outside its qualitative band; pointers are into the review.
pub fn score_reviewed(
    document: &EvaluationDocument,
    ruleset: &Ruleset,
    review: Option<&Review>,
) -> Result<ScoreResult, Vec<FieldError>> {
    let (mut result, exact) = score_exact(document, ruleset);
    let Some(review) = review else {
        return Ok(result);
    };
    let mut errors = Vec::new();
    if let Some(entry) = &review.execution {
        let weight = result.execution.weight.get();
        check_entry(
            &mut errors,
            "/execution",
            entry.score.get(),
            weight,
            &entry.reason,
        );
        result.execution.review = Some(reviewed(entry.score, &entry.reason, exact.execution));
    }
    for (i, entry) in review.leaves.iter().enumerate() {
        let at = format!("/leaves/{i}");
        if review.leaves[..i].iter().any(|e| e.path == entry.path) {
            errors.push(FieldError::new(
                format!("{at}/path"),
                "this leaf is reviewed twice",
            ));
            continue;
        }
        let Some(leaf) = find_leaf(&mut result, &entry.path) else {
            errors.push(FieldError::new(
                format!("{at}/path"),
                "no leaf of the form has this path",
            ));
            continue;
        };
        let Some(Some(rule)) = exact.leaves.get(&entry.path) else {
            errors.push(FieldError::new(
                format!("{at}/path"),
                "this leaf does not apply, so it has no score to review",
            ));
            continue;
        };
        check_entry(
            &mut errors,
            &at,
            entry.score.get(),
            leaf.weight.get(),
            &entry.reason,
        );
        check_band(&mut errors, &at, leaf, entry.score.get(), ruleset);
        leaf.review = Some(reviewed(entry.score, &entry.reason, *rule));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    total_with_review(&mut result, &exact, ruleset);
    Ok(result)
}

fn reviewed(score: Dec, reason: &str, rule: Decimal) -> ReviewedScore {
    ReviewedScore {
        score,
        reason: reason.to_owned(),
        difference: Dec(round2(score.get() - rule)),
    }
}

fn check_entry(
    errors: &mut Vec<FieldError>,
    at: &str,
    score: Decimal,
    weight: Decimal,
    reason: &str,
) {
    if score < Decimal::ZERO || score > weight {
        errors.push(FieldError::new(
            format!("{at}/score"),
            format!("a review score lies between 0 and the weight, {weight}"),
        ));
    }
    if reason.trim().is_empty() {
        errors.push(FieldError::new(
            format!("{at}/reason"),
            "a review score needs a reason",
        ));
    }
}

/// A qualitative leaf's review score lies in the band of the tier its actual implies.
fn check_band(
    errors: &mut Vec<FieldError>,
    at: &str,
    leaf: &LeafResult,
    score: Decimal,
    ruleset: &Ruleset,
) {
    let Some(tier) = leaf
        .tier
        .filter(|_| leaf.method == Method::Qualitative)
        .and_then(|t| ruleset.tier(t))
    else {
        return;
    };
    let band = Band::of(
        leaf.weight.get(),
        tier.min_percent.get(),
        tier.max_percent.get(),
    );
    if !band.contains(score) {
        errors.push(FieldError::new(
            format!("{at}/score"),
            format!(
                "the actual implies {}, whose band is {}",
                tier.label,
                band.notation()
            ),
        ));
    }
}

fn find_leaf<'r>(result: &'r mut ScoreResult, path: &str) -> Option<&'r mut LeafResult> {
    result
        .indicators
        .iter_mut()
        .flat_map(|l1| l1.children.iter_mut())
        .flat_map(|l2| l2.children.iter_mut())
        .find(|leaf| leaf.path == path)
}

/// Review scores where recorded and rule scores elsewhere, summed exactly, then rounded.
fn total_with_review(result: &mut ScoreResult, exact: &ExactScores, ruleset: &Ruleset) {
    let score_of = |leaf: &LeafResult| -> Decimal {
        match (&leaf.review, exact.leaves.get(&leaf.path)) {
            (Some(review), _) => review.score.get(),
            (None, Some(Some(rule))) => *rule,
            (None, _) => Decimal::ZERO,
        }
    };
    let mut raw = result
        .execution
        .review
        .as_ref()
        .map_or(exact.execution, |r| r.score.get());
    for level1 in &mut result.indicators {
        let mut sum1 = Decimal::ZERO;
        for level2 in &mut level1.children {
            let sum2: Decimal = level2.children.iter().map(score_of).sum();
            level2.review_score = Some(Dec(round2(sum2)));
            sum1 += sum2;
        }
        level1.review_score = Some(Dec(round2(sum1)));
        raw += sum1;
    }
    let weight = exact.applicable_weight;
    let total = if weight.is_zero() {
        round2(Decimal::ZERO)
    } else if weight == Decimal::ONE_HUNDRED {
        round2(raw)
    } else {
        round2(raw / weight * Decimal::ONE_HUNDRED)
    };
    let band = ruleset.grade_of(total);
    result.review = Some(ReviewTotal {
        total: Dec(total),
        grade: Grade {
            code: band.code,
            label: band.label.clone(),
        },
        difference: Dec(total - result.total.get()),
        explanation: if weight.is_zero() {
            Msg::ExplainTotalNoWeight
        } else {
            Msg::ExplainReviewTotal {
                sum: raw,
                weight,
                total,
            }
        }
        .into(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rulesets::Rulesets;

    const SEED: &str = include_str!("../../../data/examples/hengyang-2020-department.json");

    fn seed_and_hunan() -> (EvaluationDocument, Ruleset) {
        let rulesets = Rulesets::built_in("national-2020").unwrap();
        (
            serde_json::from_str(SEED).unwrap(),
            rulesets.get("hunan-2020").unwrap().clone(),
        )
    }

    fn entry(path: &str, score: &str) -> LeafReviewEntry {
        LeafReviewEntry {
            path: path.into(),
            score: score.parse().unwrap(),
            reason: "复核".into(),
        }
    }

    #[test]
    fn review_scores_stand_beside_declared_and_rule_scores() {
        let (document, ruleset) = seed_and_hunan();
        let review = Review {
            execution: Some(ReviewEntry {
                score: "8".parse().unwrap(),
                reason: "年末资金未及时执行".into(),
            }),
            leaves: vec![entry("/indicators/1/children/1/children/0", "12")],
        };
        let result = score_reviewed(&document, &ruleset, Some(&review)).unwrap();
        let leaf = &result.indicators[1].children[1].children[0];
        let review_leaf = leaf.review.as_ref().unwrap();
        assert_eq!(review_leaf.score.to_string(), "12");
        assert_eq!(review_leaf.difference.to_string(), "-1.00");
        assert_eq!(
            result
                .execution
                .review
                .as_ref()
                .unwrap()
                .difference
                .to_string(),
            "-1.40"
        );
        // 93.5539… − 1.4039… − 1 = 91.15
        let total = result.review.unwrap();
        assert_eq!(total.total.to_string(), "91.15");
        assert_eq!(total.grade.label, "优秀");
        assert_eq!(total.difference.to_string(), "-2.40");
        assert_eq!(
            result.indicators[1].review_score.unwrap().to_string(),
            "27.00"
        );
        assert_eq!(
            result.total.to_string(),
            "93.55",
            "the rule total is unchanged"
        );
    }

    #[test]
    fn review_scores_obey_the_weight_and_the_bands() {
        let (document, ruleset) = seed_and_hunan();
        let review = Review {
            execution: Some(ReviewEntry {
                score: "11".parse().unwrap(),
                reason: " ".into(),
            }),
            leaves: vec![
                entry("/indicators/1/children/1/children/0", "11.99"),
                entry("/indicators/0/children/0/children/0", "10.5"),
                entry("/indicators/9", "1"),
                entry("/indicators/0/children/0/children/0", "1"),
            ],
        };
        let errors = score_reviewed(&document, &ruleset, Some(&review)).unwrap_err();
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/execution/score",
                "/execution/reason",
                "/leaves/0/score",
                "/leaves/1/score",
                "/leaves/2/path",
                "/leaves/3/path",
            ]
        );
    }

    #[test]
    fn without_a_review_the_result_is_the_rule_result() {
        let (document, ruleset) = seed_and_hunan();
        let result = score_reviewed(&document, &ruleset, None).unwrap();
        assert_eq!(result, super::super::score(&document, &ruleset));
        assert!(result.review.is_none());
    }
}

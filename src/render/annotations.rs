//! The rule scores (and review scores) that an annotated copy prints beside the unit's own
//! figures, keyed by the JSON pointer of the cell they annotate.

use std::collections::HashMap;

use crate::domain::scoring::result::ScoreResult;

/// What a reviewer's copy prints beside one declared figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// The figure the rules give.
    pub rule: String,
    /// The reviewer's figure, where one was recorded.
    pub review: Option<String>,
    /// Whether the declared figure differs from the rule's.
    pub differs: bool,
}

/// The notes of a result, by the pointer of the declared cell: `/funds/declared_score`, each
/// leaf's `…/declared_score`, `/declared_total` and `/declared_grade`.
#[must_use]
pub fn notes(result: &ScoreResult) -> HashMap<String, Note> {
    let mut notes = HashMap::new();
    let execution = &result.execution;
    notes.insert(
        "/funds/declared_score".to_owned(),
        Note {
            rule: execution.score.to_string(),
            review: execution.review.as_ref().map(|r| r.score.to_string()),
            differs: execution
                .declared_score
                .is_some_and(|d| d.get() != execution.score.get()),
        },
    );
    let leaves = result
        .indicators
        .iter()
        .flat_map(|l1| &l1.children)
        .flat_map(|l2| &l2.children);
    for leaf in leaves {
        notes.insert(
            format!("{}/declared_score", leaf.path),
            Note {
                rule: leaf.score.to_string(),
                review: leaf.review.as_ref().map(|r| r.score.to_string()),
                differs: leaf
                    .declared_score
                    .is_some_and(|d| d.get() != leaf.score.get()),
            },
        );
    }
    notes.insert(
        "/declared_total".to_owned(),
        Note {
            rule: result.total.to_string(),
            review: result.review.as_ref().map(|r| r.total.to_string()),
            differs: result
                .declared
                .total
                .is_some_and(|d| d.get() != result.total.get()),
        },
    );
    notes.insert(
        "/declared_grade".to_owned(),
        Note {
            rule: result.grade.label.clone(),
            review: result.review.as_ref().map(|r| r.grade.label.clone()),
            differs: false,
        },
    );
    notes
}

/// A finding's code and severity as their machine names.
#[must_use]
pub fn name_of<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

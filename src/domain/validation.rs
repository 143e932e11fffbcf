//! What a well-formed document must satisfy beyond its JSON shape, each failure named by the
//! JSON pointer of the field, and the one entry point that turns a document into a result.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::decimal::{Dec, MAX_MAGNITUDE, MAX_SCALE, within_limits};
use super::document::{EvaluationDocument, FormKind};
use super::rulesets::Rulesets;
use super::scoring::{self, result::ScoreResult};

/// One invalid field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// JSON pointer (RFC 6901) of the field in the request body, e.g. `/funds/weight`.
    pub pointer: String,
    /// What is wrong with it.
    pub detail: String,
}

impl FieldError {
    /// An error at `pointer`.
    pub fn new(pointer: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            detail: detail.into(),
        }
    }
}

/// The oldest and newest fiscal years accepted.
pub const FISCAL_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// Validates `document` and scores it by the ruleset it names (or the default).
///
/// # Errors
/// Every invalid field, when there is any.
pub fn evaluate(
    document: &EvaluationDocument,
    rulesets: &Rulesets,
) -> Result<ScoreResult, Vec<FieldError>> {
    let mut errors = check(document);
    let ruleset = rulesets.for_form(document.ruleset.as_deref());
    if ruleset.is_none() {
        let known: Vec<&str> = rulesets.iter().map(|r| r.id.as_str()).collect();
        errors.push(FieldError::new(
            "/ruleset",
            format!("unknown ruleset; known rulesets are {}", known.join(", ")),
        ));
    }
    match ruleset {
        Some(ruleset) if errors.is_empty() => Ok(scoring::score(document, ruleset)),
        _ => Err(errors),
    }
}

fn check(document: &EvaluationDocument) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !FISCAL_YEARS.contains(&document.fiscal_year) {
        errors.push(FieldError::new(
            "/fiscal_year",
            format!(
                "must be a year from {} to {}",
                FISCAL_YEARS.start(),
                FISCAL_YEARS.end()
            ),
        ));
    }
    require_text(&mut errors, "/unit/name", &document.unit.name);
    match (document.kind, &document.project) {
        (FormKind::Project, None) => errors.push(FieldError::new(
            "/project",
            "a project form must name its project",
        )),
        (FormKind::Project, Some(project)) => {
            require_text(&mut errors, "/project/name", &project.name);
        }
        (FormKind::Department, Some(_)) => errors.push(FieldError::new(
            "/project",
            "a department form has no project; use kind `project` for a project form",
        )),
        (FormKind::Department, None) => {}
    }
    check_funds(document, &mut errors);
    check_indicators(document, &mut errors);
    check_figure(&mut errors, "/declared_total", document.declared_total);
    errors
}

fn check_funds(document: &EvaluationDocument, errors: &mut Vec<FieldError>) {
    let funds = &document.funds;
    check_figure(errors, "/funds/initial_budget", funds.initial_budget);
    check_figure(errors, "/funds/annual_budget", funds.annual_budget);
    check_figure(errors, "/funds/executed", funds.executed);
    check_figure(errors, "/funds/weight", funds.weight);
    check_figure(errors, "/funds/declared_rate", funds.declared_rate);
    check_figure(errors, "/funds/declared_score", funds.declared_score);
    for (i, row) in funds.breakdown.iter().enumerate() {
        let at = format!("/funds/breakdown/{i}");
        require_text(errors, &format!("{at}/name"), &row.name);
        check_figure(errors, &format!("{at}/initial_budget"), row.initial_budget);
        check_figure(errors, &format!("{at}/annual_budget"), row.annual_budget);
        check_figure(errors, &format!("{at}/executed"), row.executed);
        let Some(parent) = &row.parent else { continue };
        let parent_row = funds
            .breakdown
            .iter()
            .find(|r| r.group == row.group && &r.name == parent);
        match parent_row {
            None => errors.push(FieldError::new(
                format!("{at}/parent"),
                format!("no row named `{parent}` in the same group"),
            )),
            Some(p) if p.parent.is_some() => errors.push(FieldError::new(
                format!("{at}/parent"),
                format!("`{parent}` is itself a sub-row; breakdown rows nest one level only"),
            )),
            Some(_) => {}
        }
    }
}

fn check_indicators(document: &EvaluationDocument, errors: &mut Vec<FieldError>) {
    for (i, level1) in document.indicators.iter().enumerate() {
        let at1 = format!("/indicators/{i}");
        require_text(errors, &format!("{at1}/name"), &level1.name);
        check_figure(errors, &format!("{at1}/weight"), level1.weight);
        for (j, level2) in level1.children.iter().enumerate() {
            let at2 = format!("{at1}/children/{j}");
            require_text(errors, &format!("{at2}/name"), &level2.name);
            check_figure(errors, &format!("{at2}/weight"), level2.weight);
            for (k, leaf) in level2.children.iter().enumerate() {
                let at3 = format!("{at2}/children/{k}");
                require_text(errors, &format!("{at3}/name"), &leaf.name);
                check_figure(errors, &format!("{at3}/weight"), leaf.weight);
                check_figure(
                    errors,
                    &format!("{at3}/declared_score"),
                    leaf.declared_score,
                );
            }
        }
    }
}

/// A name must show something on the page: white space and invisible format characters alone
/// are blank.
fn require_text(errors: &mut Vec<FieldError>, pointer: &str, text: &str) {
    let shows_nothing = text
        .chars()
        .all(|c| c.is_whitespace() || super::invisible::is_format_character(c));
    if shows_nothing {
        errors.push(FieldError::new(pointer, "must not be empty"));
    }
}

/// Every figure is non-negative and within the limits the rules can compute with exactly.
fn check_figure(errors: &mut Vec<FieldError>, pointer: &str, value: Option<Dec>) {
    let Some(value) = value.map(Dec::get) else {
        return;
    };
    if value < Decimal::ZERO {
        errors.push(FieldError::new(pointer, "must not be negative"));
    } else if !within_limits(value) {
        errors.push(FieldError::new(
            pointer,
            format!("must be at most {MAX_MAGNITUDE} with at most {MAX_SCALE} decimal places"),
        ));
    }
}

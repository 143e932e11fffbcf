//! What a well-formed document must satisfy beyond its JSON shape, each failure named by the
//! JSON pointer of the field, and the one entry point that turns a document into a result.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::decimal::{Dec, within_limits};
use super::document::{EvaluationDocument, FormKind};
use super::problems::{Figure, Problem};
use super::rulesets::Rulesets;
use super::scoring::{self, result::ScoreResult};

/// One invalid field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// JSON pointer (RFC 6901) of the field in the request body, e.g. `/funds/weight`.
    pub pointer: String,
    /// A stable machine code of the problem: `required`, `unknown_field`, `not_a_year`,
    /// `not_an_amount`, `not_a_weight`, `negative` …; `invalid` where there is no finer one.
    #[serde(default = "invalid_code")]
    pub code: String,
    /// What is wrong with it, and the form the value should take.
    pub detail: String,
    /// Where the field sits on the paper form (`绩效指标 › 产出指标 › 数量指标 › 开通账号 › 分值`),
    /// for a field of a submitted form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The detail in English, where it has a wording of its own; sent instead of `detail` to a
    /// caller that asks for English.
    #[serde(skip)]
    pub english: Option<String>,
}

fn invalid_code() -> String {
    "invalid".to_owned()
}

impl FieldError {
    /// An error at `pointer`.
    pub fn new(pointer: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            code: invalid_code(),
            detail: detail.into(),
            location: None,
            english: None,
        }
    }

    /// An error at `pointer` worded in both languages, for messages that have no
    /// [`Problem`]: Chinese is what is sent unless English is asked for.
    pub fn worded(
        pointer: impl Into<String>,
        chinese: impl Into<String>,
        english: impl Into<String>,
    ) -> Self {
        Self {
            english: Some(english.into()),
            ..Self::new(pointer, chinese)
        }
    }

    /// The error `problem` at `pointer`, with its code and wording.
    pub fn problem(pointer: impl Into<String>, problem: &Problem) -> Self {
        Self {
            pointer: pointer.into(),
            code: problem.code().to_owned(),
            detail: problem.message(),
            location: None,
            english: Some(problem.message_en()),
        }
    }

    /// The error with the place it was read from (a workbook's cell) before its detail.
    #[must_use]
    pub fn read_at(mut self, place: &str) -> Self {
        self.detail = format!("{place}: {}", self.detail);
        self.english = self.english.map(|english| format!("{place}: {english}"));
        self
    }

    /// The detail in `lang`.
    #[must_use]
    pub fn detail_in(&self, lang: crate::domain::messages::Lang) -> &str {
        match (lang, &self.english) {
            (crate::domain::messages::Lang::En, Some(english)) => english,
            _ => &self.detail,
        }
    }

    /// Places the error on the paper form of `document` (the raw JSON as sent).
    #[must_use]
    pub fn placed_in(mut self, document: &serde_json::Value) -> Self {
        self.location = Some(super::location::paper_location(document, &self.pointer));
        self
    }
}

/// The oldest and newest fiscal years accepted.
pub const FISCAL_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// Validates `document` and scores it by the ruleset it names (or the default).
///
/// # Errors
/// Every invalid field, when there is any, each placed on the paper form.
pub fn evaluate(
    document: &EvaluationDocument,
    rulesets: &Rulesets,
) -> Result<ScoreResult, Vec<FieldError>> {
    let mut errors = check(document);
    let ruleset = rulesets.for_form(document.ruleset.as_deref());
    if ruleset.is_none() {
        errors.push(unknown_ruleset(rulesets));
    }
    match ruleset {
        Some(ruleset) if errors.is_empty() => Ok(scoring::score(document, ruleset)),
        _ => {
            let json = serde_json::to_value(document).unwrap_or_default();
            Err(errors.into_iter().map(|e| e.placed_in(&json)).collect())
        }
    }
}

/// The error for a `ruleset` the service does not know, listing those it knows.
#[must_use]
pub fn unknown_ruleset(rulesets: &Rulesets) -> FieldError {
    let known: Vec<String> = rulesets.iter().map(|r| r.id.clone()).collect();
    FieldError::problem("/ruleset", &Problem::UnknownRuleset(known))
}

fn check(document: &EvaluationDocument) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !FISCAL_YEARS.contains(&document.fiscal_year) {
        errors.push(FieldError::problem(
            "/fiscal_year",
            &Problem::YearOutOfRange,
        ));
    }
    require_text(&mut errors, "/unit/name", &document.unit.name);
    match (document.kind, &document.project) {
        (FormKind::Project, None) => {
            errors.push(FieldError::problem("/project", &Problem::ProjectRequired));
        }
        (FormKind::Project, Some(project)) => {
            require_text(&mut errors, "/project/name", &project.name);
        }
        (FormKind::Department, Some(_)) => {
            errors.push(FieldError::problem("/project", &Problem::ProjectNotAllowed));
        }
        (FormKind::Department, None) => {}
    }
    check_funds(document, &mut errors);
    check_indicators(document, &mut errors);
    check_figure(
        &mut errors,
        "/declared_total",
        document.declared_total,
        Figure::Total,
    );
    check_basic_data(document, &mut errors);
    check_report(document, &mut errors);
    errors
}

fn check_basic_data(document: &EvaluationDocument, errors: &mut Vec<FieldError>) {
    let Some(data) = &document.basic_data else {
        return;
    };
    if let Some(staffing) = &data.staffing {
        check_figure(
            errors,
            "/basic_data/staffing/authorized",
            staffing.authorized,
            Figure::Count,
        );
        check_figure(
            errors,
            "/basic_data/staffing/actual",
            staffing.actual,
            Figure::Count,
        );
        check_figure(
            errors,
            "/basic_data/staffing/declared_control_rate",
            staffing.declared_control_rate,
            Figure::Rate,
        );
    }
    for (i, row) in data.spending.iter().enumerate() {
        let at = format!("/basic_data/spending/{i}");
        require_text(errors, &format!("{at}/name"), &row.name);
        check_figure(errors, &format!("{at}/actual"), row.actual, Figure::Amount);
        check_figure(errors, &format!("{at}/budget"), row.budget, Figure::Amount);
        check_figure(
            errors,
            &format!("{at}/last_year_actual"),
            row.last_year_actual,
            Figure::Amount,
        );
        if row.parent.is_some_and(|parent| parent >= i) {
            errors.push(FieldError::problem(
                format!("{at}/parent"),
                &Problem::ParentNotEarlier,
            ));
        }
    }
    check_figure(
        errors,
        "/basic_data/government_procurement",
        data.government_procurement,
        Figure::Amount,
    );
}

fn check_report(document: &EvaluationDocument, errors: &mut Vec<FieldError>) {
    let Some(report) = &document.report else {
        return;
    };
    for (i, section) in report.sections.iter().enumerate() {
        require_text(
            errors,
            &format!("/report/sections/{i}/heading"),
            &section.heading,
        );
    }
}

fn check_funds(document: &EvaluationDocument, errors: &mut Vec<FieldError>) {
    let funds = &document.funds;
    let amount = Figure::Amount;
    check_figure(
        errors,
        "/funds/initial_budget",
        funds.initial_budget,
        amount,
    );
    check_figure(errors, "/funds/annual_budget", funds.annual_budget, amount);
    check_figure(errors, "/funds/executed", funds.executed, amount);
    check_figure(errors, "/funds/weight", funds.weight, Figure::Weight);
    check_figure(
        errors,
        "/funds/declared_rate",
        funds.declared_rate,
        Figure::Rate,
    );
    check_figure(
        errors,
        "/funds/declared_score",
        funds.declared_score,
        Figure::Score,
    );
    for (i, row) in funds.breakdown.iter().enumerate() {
        let at = || format!("/funds/breakdown/{i}");
        check_figure_at(errors, row.initial_budget, amount, || {
            format!("{}/initial_budget", at())
        });
        check_figure_at(errors, row.annual_budget, amount, || {
            format!("{}/annual_budget", at())
        });
        check_figure_at(errors, row.executed, amount, || {
            format!("{}/executed", at())
        });
        let Some(parent) = &row.parent else { continue };
        let parent_row = funds
            .breakdown
            .iter()
            .find(|r| r.group == row.group && &r.name == parent);
        match parent_row {
            None => errors.push(FieldError::problem(
                format!("{}/parent", at()),
                &Problem::UnknownParent(parent.clone()),
            )),
            Some(p) if p.parent.is_some() => errors.push(FieldError::problem(
                format!("{}/parent", at()),
                &Problem::NestedParent(parent.clone()),
            )),
            Some(_) => {}
        }
    }
}

fn check_indicators(document: &EvaluationDocument, errors: &mut Vec<FieldError>) {
    // The pointers are written only for a figure that fails: a valid form of a thousand rows
    // should not pay for three thousand strings nobody reads.
    for (i, level1) in document.indicators.iter().enumerate() {
        check_figure_at(errors, level1.weight, Figure::Weight, || {
            format!("/indicators/{i}/weight")
        });
        for (j, level2) in level1.children.iter().enumerate() {
            check_figure_at(errors, level2.weight, Figure::Weight, || {
                format!("/indicators/{i}/children/{j}/weight")
            });
            for (k, leaf) in level2.children.iter().enumerate() {
                let at3 = || format!("/indicators/{i}/children/{j}/children/{k}");
                check_figure_at(errors, leaf.weight, Figure::Weight, || {
                    format!("{}/weight", at3())
                });
                check_figure_at(errors, leaf.declared_score, Figure::Score, || {
                    format!("{}/declared_score", at3())
                });
            }
        }
    }
}

/// Whether a text shows nothing on the page: white space and invisible format characters
/// alone are blank.
#[must_use]
pub fn is_blank(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_whitespace() || super::invisible::is_format_character(c))
}

fn require_text(errors: &mut Vec<FieldError>, pointer: &str, text: &str) {
    if is_blank(text) {
        errors.push(FieldError::problem(pointer, &Problem::Blank));
    }
}

/// The problem with a figure, if any: every figure is non-negative and within the limits the
/// rules can compute with exactly.
#[must_use]
pub fn figure_problem(value: Decimal, figure: Figure) -> Option<Problem> {
    // The sign bit, not a comparison with zero (which rescales); -0 is not negative.
    if value.is_sign_negative() && !value.is_zero() {
        Some(Problem::Negative(figure))
    } else if !within_limits(value) {
        Some(Problem::OutOfBounds(figure))
    } else {
        None
    }
}

fn check_figure(errors: &mut Vec<FieldError>, pointer: &str, value: Option<Dec>, figure: Figure) {
    check_figure_at(errors, value, figure, || pointer.to_owned());
}

/// [`check_figure`] with the pointer written only when the figure fails.
fn check_figure_at(
    errors: &mut Vec<FieldError>,
    value: Option<Dec>,
    figure: Figure,
    pointer: impl FnOnce() -> String,
) {
    if let Some(problem) = value.and_then(|v| figure_problem(v.get(), figure)) {
        errors.push(FieldError::problem(pointer(), &problem));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    #[test]
    fn a_figure_below_zero_is_negative_and_minus_zero_is_not() {
        for (text, negative) in [
            ("-0.01", true),
            ("-5", true),
            ("-0", false),
            ("-0.00", false),
        ] {
            let problem = figure_problem(dec(text), Figure::Amount);
            assert_eq!(
                problem == Some(Problem::Negative(Figure::Amount)),
                negative,
                "{text}"
            );
        }
        assert_eq!(figure_problem(dec("0"), Figure::Amount), None);
        assert_eq!(figure_problem(dec("239.31"), Figure::Amount), None);
    }
}

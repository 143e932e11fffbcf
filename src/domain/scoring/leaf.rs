//! Level-3 indicators: choosing the rule and applying it.

use rust_decimal::Decimal;

use super::findings::{Finding, FindingCode, Severity};
use super::qualitative::{Band, tier_from_folded};
use super::result::{LeafResult, MethodSource};
use crate::domain::decimal::{Dec, plain, round2};
use crate::domain::document::{Leaf, Method};
use crate::domain::messages::{BandUse, Blank, Cell, Conversion, Msg, QuantRule, Text};
use crate::domain::ruleset::{Ruleset, TierCode};
use crate::domain::value::{
    Comparator, ParsedValue, ValueKind, contains_short, parse_cell_into, trimmed,
};

/// A leaf scored, with the exact figures the totals are built from.
pub(super) struct ScoredLeaf {
    /// The result, its `path` left empty: the caller owns the path string and moves it in,
    /// rather than the leaf copying it.
    pub result: LeafResult,
    /// Unrounded rule score.
    pub score: Decimal,
    /// False for not-applicable leaves, which leave the denominator.
    pub applicable: bool,
}

/// What a rule produced before the common checks.
struct Outcome {
    score: Decimal,
    explanation: Msg,
    completion: Option<Decimal>,
    tier: Option<TierCode>,
    missed: bool,
    /// The rule already reported the declared score (qualitative bands), so no second finding.
    declared_reported: bool,
    /// The method actually applied, where it is not the one chosen (text where a number belongs).
    applied: Option<Method>,
}

/// The folded text of the target and actual cells, read once with the cells and compared as
/// words by the qualitative rule.
#[derive(Clone, Copy)]
struct Folded<'a> {
    target: &'a str,
    actual: &'a str,
}

/// Everything a rule needs to know about one leaf.
pub(super) struct LeafContext<'a> {
    pub leaf: &'a Leaf,
    pub path: &'a str,
    /// The level-2 name, which marks cost indicators (成本指标).
    pub level2_name: &'a str,
    pub ruleset: &'a Ruleset,
    /// The form explains its deviations as a whole (偏差及原因分析).
    pub form_has_deviation_analysis: bool,
}

impl LeafContext<'_> {
    /// The leaf's 分值; a leaf without one never reaches a rule (see [`left_out`]).
    fn weight(&self) -> Decimal {
        self.leaf.weight.map_or(Decimal::ZERO, Dec::get)
    }

    /// The pointer of the leaf's `field` (`…/children/1/declared_score`), which a finding on
    /// it names.
    fn field_path(&self, field: &str) -> String {
        let mut path = String::with_capacity(self.path.len() + 1 + field.len());
        path.push_str(self.path);
        path.push('/');
        path.push_str(field);
        path
    }
}

/// Buffers for the folded text of a leaf's cells, reused from one leaf to the next.
pub(super) struct Scratch {
    target: String,
    actual: String,
}

impl Scratch {
    /// Room for the cells of most forms from the start, rather than growing cell by cell.
    pub(super) fn new() -> Self {
        Self {
            target: String::with_capacity(64),
            actual: String::with_capacity(64),
        }
    }
}

pub(super) fn score_leaf(
    cx: &LeafContext<'_>,
    scratch: &mut Scratch,
    findings: &mut Vec<Finding>,
) -> ScoredLeaf {
    let leaf = cx.leaf;
    let target = parse_cell_into(&leaf.target, &mut scratch.target);
    let actual = parse_cell_into(&leaf.actual, &mut scratch.actual);
    let folded = Folded {
        target: &scratch.target,
        actual: &scratch.actual,
    };
    let (method, method_source) = choose_method(leaf, &target, cx.level2_name);
    if method != Method::NotApplicable {
        if let Some(left) = left_out(cx, method, method_source, &target, &actual, findings) {
            return left;
        }
    }
    report_unread_cells(cx, method, method_source, &target, findings);
    let outcome = match method {
        Method::NotApplicable => Outcome {
            score: Decimal::ZERO,
            explanation: Msg::ExplainNotApplicable,
            completion: None,
            tier: None,
            missed: false,
            declared_reported: true,
            applied: None,
        },
        Method::Qualitative => score_qualitative(cx, &target, &actual, folded, findings),
        Method::Positive | Method::Reverse | Method::Equal => {
            score_quantitative(cx, method, &target, &actual, folded, findings)
        }
    };
    let applicable = method != Method::NotApplicable;
    if applicable {
        check_declared(cx, &outcome, findings);
    }
    if outcome.missed && !has_reason(cx) {
        findings.push(Finding::new(
            FindingCode::MissingDeviationReason,
            Severity::Warning,
            cx.field_path("deviation_reason"),
            Msg::MissingDeviationReason {
                name: leaf.name.clone(),
                target: leaf.target.clone(),
                actual: leaf.actual.clone(),
            },
        ));
    }
    ScoredLeaf {
        result: LeafResult {
            // The caller moves its own copy of the path in (see `ScoredLeaf`).
            path: String::new(),
            name: leaf.name.clone(),
            method: outcome.applied.unwrap_or(method),
            method_source,
            target,
            actual,
            completion: outcome.completion.map(|c| Dec(round2(c))),
            tier: outcome.tier,
            weight: leaf.weight.unwrap_or_default(),
            score: Dec(round2(outcome.score)),
            declared_score: leaf.declared_score,
            explanation: Text::from(outcome.explanation),
            review: None,
        },
        score: outcome.score,
        applicable,
    }
}

/// A leaf the rules cannot score because a cell the score needs was never filled in: no 分值,
/// or no 实际完成值 at all. It is left out of the total (as a not-applicable leaf is, so the
/// total covers what could be computed and says it is partial), and a finding says why.
fn left_out(
    cx: &LeafContext<'_>,
    method: Method,
    method_source: MethodSource,
    target: &ParsedValue,
    actual: &ParsedValue,
    findings: &mut Vec<Finding>,
) -> Option<ScoredLeaf> {
    let leaf = cx.leaf;
    let (code, field, blank) = if leaf.weight.is_none() {
        (FindingCode::WeightMissing, "weight", Blank::Weight)
    } else if trimmed(&leaf.actual).is_empty() {
        (FindingCode::ActualMissing, "actual", Blank::Actual)
    } else {
        return None;
    };
    findings.push(Finding::new(
        code,
        Severity::Warning,
        cx.field_path(field),
        Msg::LeafLeftOut {
            name: leaf.name.clone(),
            blank,
        },
    ));
    Some(ScoredLeaf {
        result: LeafResult {
            // The caller moves its own copy of the path in (see `ScoredLeaf`).
            path: String::new(),
            name: leaf.name.clone(),
            method,
            method_source,
            target: target.clone(),
            actual: actual.clone(),
            completion: None,
            tier: None,
            weight: leaf.weight.unwrap_or_default(),
            score: Dec(round2(Decimal::ZERO)),
            declared_score: leaf.declared_score,
            explanation: Msg::ExplainLeftOut { blank }.into(),
            review: None,
        },
        score: Decimal::ZERO,
        applicable: false,
    })
}

/// An 指标性质 that names no method, and a blank target, are said out loud: the rule falls
/// back on what it can read.
fn report_unread_cells(
    cx: &LeafContext<'_>,
    method: Method,
    source: MethodSource,
    target: &ParsedValue,
    findings: &mut Vec<Finding>,
) {
    let operator = cx
        .leaf
        .operator
        .as_deref()
        .map(str::trim)
        .unwrap_or_default();
    // 定量 (quantitative) names no direction: the target gives it, as for an empty column.
    let names_nothing = operator.is_empty() || operator.contains("定量");
    if !names_nothing && !matches!(source, MethodSource::Operator | MethodSource::Declared) {
        findings.push(Finding::new(
            FindingCode::ValueUnreadable,
            Severity::Warning,
            cx.field_path("operator"),
            Msg::OperatorUnreadable {
                name: cx.leaf.name.clone(),
                operator: operator.to_owned(),
                method,
            },
        ));
    }
    if target.kind == ValueKind::Empty && method != Method::NotApplicable {
        findings.push(Finding::new(
            FindingCode::ValueUnreadable,
            Severity::Warning,
            cx.field_path("target"),
            Msg::TargetBlank {
                name: cx.leaf.name.clone(),
            },
        ));
    }
}

fn has_reason(cx: &LeafContext<'_>) -> bool {
    cx.form_has_deviation_analysis
        || cx
            .leaf
            .deviation_reason
            .as_deref()
            .is_some_and(|r| !r.trim().is_empty())
}

/// The method: the `method` field, else the 指标性质 column, else what the target says.
fn choose_method(leaf: &Leaf, target: &ParsedValue, level2_name: &str) -> (Method, MethodSource) {
    if let Some(method) = leaf.method {
        return (method, MethodSource::Declared);
    }
    if let Some(operator) = leaf.operator.as_deref().filter(|o| !o.trim().is_empty()) {
        if let Some(comparator) = Comparator::from_cell(operator) {
            return (method_of(comparator), MethodSource::Operator);
        }
        let word = operator.trim();
        for (marker, method) in [
            ("定性", Method::Qualitative),
            ("反向", Method::Reverse),
            ("正向", Method::Positive),
        ] {
            if word.contains(marker) {
                return (method, MethodSource::Operator);
            }
        }
    }
    match (target.kind, target.operator) {
        (ValueKind::Quantity, Some(comparator)) => (method_of(comparator), MethodSource::Target),
        (ValueKind::Quantity, None) => {
            let is_zero = target.quantity().is_some_and(|n| n.is_zero());
            if is_zero || contains_short(level2_name, "成本") {
                (Method::Reverse, MethodSource::Indicator)
            } else {
                (Method::Positive, MethodSource::Target)
            }
        }
        (ValueKind::Text | ValueKind::Empty, _) => (Method::Qualitative, MethodSource::Target),
    }
}

fn method_of(comparator: Comparator) -> Method {
    match comparator {
        Comparator::Ge | Comparator::Gt => Method::Positive,
        Comparator::Le | Comparator::Lt => Method::Reverse,
        Comparator::Eq => Method::Equal,
    }
}

fn score_quantitative(
    cx: &LeafContext<'_>,
    method: Method,
    target: &ParsedValue,
    actual: &ParsedValue,
    folded: Folded<'_>,
    findings: &mut Vec<Finding>,
) -> Outcome {
    if target.quantity().is_some() && actual.kind == ValueKind::Empty {
        return blank_actual(cx, method, findings);
    }
    let (Some(a), Some(b)) = (target.quantity(), actual.quantity()) else {
        return text_where_a_number_belongs(cx, method, target, actual, folded, findings);
    };
    let (b, conversion) = match money_factor(target, actual) {
        Some(factor) => {
            let converted = b * factor;
            let note = Conversion {
                from: b,
                from_unit: actual.unit.clone().unwrap_or_default(),
                to: converted,
                to_unit: target.unit.clone().unwrap_or_default(),
            };
            (converted, Some(note))
        }
        None => {
            check_units(cx, target, actual, findings);
            (b, None)
        }
    };
    let weight = cx.weight();
    // How far the actual reaches a positive target, divided once for the score and for the
    // over-achievement check (a division costs more than the rest of a leaf's arithmetic).
    let reach = (method != Method::Reverse && a > Decimal::ZERO).then(|| b / a);
    let (fraction, rule) = quantitative_fraction(method, weight, a, b, reach);
    let score = weight * fraction;
    flag_equal_and_over_achievement(cx, method, a, b, reach, findings);
    Outcome {
        score,
        explanation: Msg::ExplainQuantitative {
            conversion,
            rule,
            score,
        },
        completion: Some(fraction * Decimal::ONE_HUNDRED),
        tier: None,
        missed: fraction < Decimal::ONE || (method == Method::Equal && a != b),
        declared_reported: false,
        applied: None,
    }
}

/// The share of the weight earned, in [0, 1], and the rule that gave it. `reach` is b ÷ a,
/// given for any method but reverse when the target is above zero.
fn quantitative_fraction(
    method: Method,
    weight: Decimal,
    a: Decimal,
    b: Decimal,
    reach: Option<Decimal>,
) -> (Decimal, QuantRule) {
    let (fraction, rule) = match (method, reach) {
        (Method::Reverse, _) if b <= Decimal::ZERO => {
            (Decimal::ONE, QuantRule::ReverseFull { actual: b })
        }
        (Method::Reverse, _) => (
            (a / b).min(Decimal::ONE),
            QuantRule::Reverse {
                weight,
                target: a,
                actual: b,
            },
        ),
        (Method::Equal, _) if a == b => (Decimal::ONE, QuantRule::EqualMet { actual: b }),
        (_, None) => (
            if b >= a { Decimal::ONE } else { Decimal::ZERO },
            QuantRule::PositiveZeroTarget { target: a },
        ),
        (_, Some(reach)) => (
            reach.min(Decimal::ONE),
            QuantRule::Positive {
                weight,
                actual: b,
                target: a,
            },
        ),
    };
    (fraction.max(Decimal::ZERO), rule)
}

/// A number was expected where the form has text: the text is read as a tier.
fn text_where_a_number_belongs(
    cx: &LeafContext<'_>,
    method: Method,
    target: &ParsedValue,
    actual: &ParsedValue,
    folded: Folded<'_>,
    findings: &mut Vec<Finding>,
) -> Outcome {
    let (field, cell, text) = if target.quantity().is_none() {
        ("target", Cell::Target, &cx.leaf.target)
    } else {
        ("actual", Cell::Actual, &cx.leaf.actual)
    };
    findings.push(Finding::new(
        FindingCode::ValueUnreadable,
        Severity::Info,
        cx.field_path(field),
        Msg::NotANumber {
            name: cx.leaf.name.clone(),
            cell,
            text: text.clone(),
            method,
        },
    ));
    Outcome {
        applied: Some(Method::Qualitative),
        ..score_qualitative(cx, target, actual, folded, findings)
    }
}

fn flag_equal_and_over_achievement(
    cx: &LeafContext<'_>,
    method: Method,
    a: Decimal,
    b: Decimal,
    reach: Option<Decimal>,
    findings: &mut Vec<Finding>,
) {
    if method == Method::Equal && a != b {
        findings.push(
            Finding::new(
                FindingCode::EqualTargetNotMet,
                Severity::Warning,
                cx.field_path("actual"),
                Msg::EqualTargetNotMet {
                    name: cx.leaf.name.clone(),
                },
            )
            .comparing(&cx.leaf.target, &cx.leaf.actual),
        );
    }
    // A reverse indicator, or a target not above zero, is not checked for over-achievement.
    let Some(ratio) = reach else {
        return;
    };
    let threshold = cx.ruleset.over_achievement_ratio.get();
    if ratio >= threshold {
        findings.push(
            Finding::new(
                FindingCode::OverAchievement,
                Severity::Info,
                cx.field_path("target"),
                Msg::OverAchievement {
                    name: cx.leaf.name.clone(),
                    percent: ratio * Decimal::ONE_HUNDRED,
                    threshold: threshold * Decimal::ONE_HUNDRED,
                },
            )
            .comparing(&cx.leaf.target, &cx.leaf.actual),
        );
    }
}

/// A quantitative leaf whose actual is blank reports nothing achieved: it scores 0, and says so.
fn blank_actual(cx: &LeafContext<'_>, method: Method, findings: &mut Vec<Finding>) -> Outcome {
    findings.push(Finding::new(
        FindingCode::ValueUnreadable,
        Severity::Warning,
        cx.field_path("actual"),
        Msg::ActualBlank {
            name: cx.leaf.name.clone(),
            target: cx.leaf.target.clone(),
        },
    ));
    Outcome {
        score: Decimal::ZERO,
        explanation: Msg::ExplainActualBlank { method },
        completion: Some(Decimal::ZERO),
        tier: None,
        missed: true,
        declared_reported: false,
        applied: None,
    }
}

/// Amounts of money in different units (`≤90万元` against `900000元`) are compared in the
/// target's unit: the factor that converts the actual, where both are money.
fn money_factor(target: &ParsedValue, actual: &ParsedValue) -> Option<Decimal> {
    let yuan = |unit: &str| -> Option<Decimal> {
        match unit {
            "元" => Some(Decimal::ONE),
            "千元" => Some(Decimal::from(1_000)),
            "万元" => Some(Decimal::from(10_000)),
            "亿元" => Some(Decimal::from(100_000_000)),
            _ => None,
        }
    };
    let (t, a) = (
        yuan(target.unit.as_deref()?)?,
        yuan(actual.unit.as_deref()?)?,
    );
    (t != a).then(|| a / t)
}

fn check_units(
    cx: &LeafContext<'_>,
    target: &ParsedValue,
    actual: &ParsedValue,
    findings: &mut Vec<Finding>,
) {
    let declared_unit = cx
        .leaf
        .unit
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    // A 度量单位 column applies to both cells.
    let target_unit = target.unit.as_deref().or(declared_unit);
    let actual_unit = actual.unit.as_deref().or(declared_unit);
    // A percentage read against a plain number (95% against 0.96) is off by a factor of 100;
    // other units missing on one side are usually just left off.
    let differ = match (target_unit, actual_unit) {
        (Some(t), Some(a)) => t != a,
        (Some(u), None) | (None, Some(u)) => u == "%",
        (None, None) => false,
    };
    if differ {
        findings.push(
            Finding::new(
                FindingCode::UnitMismatch,
                Severity::Warning,
                cx.field_path("actual"),
                Msg::UnitMismatch {
                    name: cx.leaf.name.clone(),
                    target_unit: target_unit.map(str::to_owned),
                    actual_unit: actual_unit.map(str::to_owned),
                },
            )
            .comparing(
                target_unit.unwrap_or_default(),
                actual_unit.unwrap_or_default(),
            ),
        );
    }
}

fn score_qualitative(
    cx: &LeafContext<'_>,
    target: &ParsedValue,
    actual: &ParsedValue,
    folded: Folded<'_>,
    findings: &mut Vec<Finding>,
) -> Outcome {
    let weight = cx.weight();
    let declared = cx.leaf.declared_score.map(Dec::get);
    let reading = tier_from_folded(target, actual, folded.target, folded.actual);
    let tier = reading
        .as_ref()
        .and_then(|r| cx.ruleset.tier(r.tier).map(|t| (r, t)));
    let Some((reading, tier)) = tier else {
        let score = declared.map_or(Decimal::ZERO, |d| d.min(weight).max(Decimal::ZERO));
        findings.push(Finding::new(
            FindingCode::QualitativeTierUnknown,
            Severity::Warning,
            cx.field_path("actual"),
            Msg::TierUnknown {
                name: cx.leaf.name.clone(),
                actual: cx.leaf.actual.clone(),
                target: cx.leaf.target.clone(),
            },
        ));
        return Outcome {
            score,
            explanation: Msg::ExplainTierUnknown {
                actual: cx.leaf.actual.clone(),
                weight,
                score,
            },
            completion: None,
            tier: None,
            missed: false,
            declared_reported: true,
            applied: None,
        };
    };
    let band = Band::of(weight, tier.min_percent.get(), tier.max_percent.get());
    let path = || cx.field_path("declared_score");
    let (score, how) = match declared {
        Some(d) if band.contains(d) => (d, BandUse::Inside(d)),
        Some(d) => {
            let clamped = d.clamp(band.low, band.top());
            findings.push(
                Finding::new(
                    FindingCode::QualitativeScoreOutsideBand,
                    Severity::Warning,
                    path(),
                    Msg::ScoreOutsideBand {
                        name: cx.leaf.name.clone(),
                        declared: d,
                        tier: tier.label.clone(),
                        band: band.notation(),
                        clamped,
                    },
                )
                .comparing(round2(clamped), d),
            );
            (clamped, BandUse::Clamped(d))
        }
        None => {
            findings.push(Finding::new(
                FindingCode::DeclaredScoreMissing,
                Severity::Warning,
                path(),
                Msg::QualitativeScoreMissing {
                    name: cx.leaf.name.clone(),
                    top: band.top(),
                },
            ));
            (band.top(), BandUse::Missing)
        }
    };
    Outcome {
        score,
        explanation: Msg::ExplainQualitative {
            tier: tier.label.clone(),
            reason: reading.reason.clone(),
            band: band.notation(),
            weight,
            min_percent: tier.min_percent.get(),
            max_percent: tier.max_percent.get(),
            declared: how,
            score,
        },
        completion: None,
        tier: Some(tier.code),
        missed: tier.code != TierCode::Achieved,
        declared_reported: true,
        applied: None,
    }
}

/// The checks every applicable leaf gets: declared score present, within weight, near the rule.
fn check_declared(cx: &LeafContext<'_>, outcome: &Outcome, findings: &mut Vec<Finding>) {
    let weight = cx.weight();
    let path = || cx.field_path("declared_score");
    let Some(declared) = cx.leaf.declared_score.map(Dec::get) else {
        if !outcome.declared_reported {
            findings.push(Finding::new(
                FindingCode::DeclaredScoreMissing,
                Severity::Info,
                path(),
                Msg::LeafScoreMissing {
                    name: cx.leaf.name.clone(),
                },
            ));
        }
        return;
    };
    if declared > weight {
        findings.push(
            Finding::new(
                FindingCode::ScoreExceedsWeight,
                Severity::Error,
                path(),
                Msg::LeafScoreExceedsWeight {
                    name: cx.leaf.name.clone(),
                    declared,
                    weight,
                },
            )
            .comparing(plain(weight), plain(declared)),
        );
    }
    if !outcome.declared_reported
        && (declared - outcome.score).abs() > cx.ruleset.tolerances.score.get()
    {
        findings.push(
            Finding::new(
                FindingCode::DeclaredScoreDiffers,
                Severity::Warning,
                path(),
                Msg::LeafScoreDiffers {
                    name: cx.leaf.name.clone(),
                    declared,
                    score: outcome.score,
                },
            )
            .comparing(round2(outcome.score), declared),
        );
    }
}

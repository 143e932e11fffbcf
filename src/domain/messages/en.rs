//! The English text of every message, for callers that ask for English.

use super::{
    AmountColumn, BandUse, Blank, BreakdownScope, Cell, Conversion, Detail, Msg, QuantRule,
    RateProblem, ShareSplit, Term, TierReason, WeightPool, WeightScope, plain, two,
};
use rust_decimal::Decimal;

use crate::domain::access::Operation;
use crate::domain::document::{BreakdownGroup, Method};

const ROUNDED: &str = " (rounded half up to 2 places)";

fn method(method: Method) -> &'static str {
    match method {
        Method::Positive => "positive",
        Method::Reverse => "reverse",
        Method::Equal => "equal",
        Method::Qualitative => "qualitative",
        Method::NotApplicable => "not applicable",
    }
}

fn cell(cell: Cell) -> &'static str {
    match cell {
        Cell::Target => "target",
        Cell::Actual => "actual",
    }
}

fn column(column: AmountColumn) -> &'static str {
    match column {
        AmountColumn::InitialBudget => "the initial budget (年初预算数)",
        AmountColumn::AnnualBudget => "the annual budget (全年预算数)",
        AmountColumn::Executed => "the amount executed (全年执行数)",
    }
}

fn group(group: BreakdownGroup) -> &'static str {
    match group {
        BreakdownGroup::Income => "by income (按收入性质分)",
        BreakdownGroup::Expenditure => "by expenditure (按支出性质分)",
        BreakdownGroup::Source => "of which (其中)",
    }
}

fn rate_problem(why: &RateProblem) -> String {
    match why {
        RateProblem::BudgetBlank => "the annual budget is blank".to_owned(),
        RateProblem::ExecutedBlank => "the amount executed is blank".to_owned(),
        RateProblem::BudgetZero => "the annual budget is 0".to_owned(),
        RateProblem::NoRate { budget, executed } => {
            format!("an annual budget of {budget} and {executed} executed give no rate")
        }
    }
}

fn weight_scope(scope: &WeightScope) -> String {
    match scope {
        WeightScope::Execution => "The execution block".to_owned(),
        WeightScope::Indicators => "The indicators together".to_owned(),
        WeightScope::Level1(label) => format!("`{label}`"),
    }
}

fn conversion(conversion: Option<&Conversion>) -> String {
    conversion.map_or_else(String::new, |c| {
        format!(
            "actual {}{} = {}{}; ",
            plain(c.from),
            c.from_unit,
            plain(c.to),
            c.to_unit
        )
    })
}

fn quant_rule(rule: &QuantRule) -> String {
    match rule {
        QuantRule::ReverseFull { actual } => format!(
            "reverse rule: actual {} meets a ≤ target in full",
            plain(*actual)
        ),
        QuantRule::Reverse {
            weight,
            target,
            actual,
        } => format!(
            "reverse rule: weight × min(target / actual, 1) = {} × min({} / {}, 1)",
            plain(*weight),
            plain(*target),
            plain(*actual)
        ),
        QuantRule::EqualMet { actual } => {
            format!("equal rule: actual {} equals the target", plain(*actual))
        }
        QuantRule::PositiveZeroTarget { target } => format!(
            "positive rule: target {} is met by any actual at or above it",
            plain(*target)
        ),
        QuantRule::Positive {
            weight,
            actual,
            target,
        } => format!(
            "positive rule: weight × min(actual / target, 1) = {} × min({} / {}, 1)",
            plain(*weight),
            plain(*actual),
            plain(*target)
        ),
    }
}

fn tier_reason(reason: &TierReason) -> String {
    match reason {
        TierReason::RepeatsTarget => "the actual repeats the target".to_owned(),
        TierReason::Says(phrase) => format!("the actual says `{phrase}`"),
    }
}

fn band_use(declared: &BandUse) -> String {
    match declared {
        BandUse::Inside(d) => format!("declared {} lies in the band", plain(*d)),
        BandUse::Clamped(d) => format!("declared {} lies outside the band, clamped", plain(*d)),
        BandUse::Missing => "no declared score, top of the band".to_owned(),
    }
}

fn unit(unit: Option<&String>) -> &str {
    unit.map_or("no unit", String::as_str)
}

/// The message in English.
#[expect(
    clippy::too_many_lines,
    reason = "one arm per key: the catalogue reads as one table"
)]
pub(super) fn render(msg: &Msg) -> String {
    match msg {
        Msg::MissingDeviationReason {
            name,
            target,
            actual,
        } => format!(
            "`{name}` missed its target ({target} → {actual}) and neither the indicator nor the form gives a reason."
        ),
        Msg::OperatorUnreadable {
            name,
            operator,
            method: m,
        } => format!(
            "The 指标性质 `{operator}` of `{name}` is none of ≥, >, ≤, <, =, 正向, 反向, 定性; the method ({}) is read from the target instead.",
            method(*m)
        ),
        Msg::TargetBlank { name } => format!(
            "`{name}` has no target; if the indicator does not apply, mark it `not_applicable` so that the total is rescaled."
        ),
        Msg::NotANumber {
            name,
            cell: c,
            text,
            method: m,
        } => format!(
            "The {} `{text}` of `{name}` is not a number, so the {} rule cannot apply; it is scored by qualitative tier instead.",
            cell(*c),
            method(*m)
        ),
        Msg::EqualTargetNotMet { name } => format!(
            "`{name}` has an `=` target that was not met exactly; scored as a positive target."
        ),
        Msg::OverAchievement {
            name,
            percent,
            threshold,
        } => format!(
            "`{name}` reached {} % of its target (threshold {} %): the target may have been set too low. No points are deducted.",
            two(*percent),
            plain(*threshold)
        ),
        Msg::ActualBlank { name, target } => format!(
            "`{name}` has no actual value for its target `{target}`; nothing achieved can be scored."
        ),
        Msg::UnitMismatch {
            name,
            target_unit,
            actual_unit,
        } => format!(
            "`{name}` states its target in {} and its actual in {}; the numbers are compared as written.",
            unit(target_unit.as_ref()),
            unit(actual_unit.as_ref())
        ),
        Msg::TierUnknown {
            name,
            actual,
            target,
        } => format!(
            "No tier can be read from the actual `{actual}` of `{name}` (target `{target}`); the declared score is kept, capped at the weight."
        ),
        Msg::ScoreOutsideBand {
            name,
            declared,
            tier,
            band,
            clamped,
        } => format!(
            "`{name}` declares {} but its actual implies {tier} (band {band}); the rule score is clamped to {}.",
            plain(*declared),
            plain(*clamped)
        ),
        Msg::QualitativeScoreMissing { name, top } => format!(
            "`{name}` has no declared score; the top of its band, {}, is used.",
            plain(*top)
        ),
        Msg::LeafScoreMissing { name } => format!("`{name}` has no declared score."),
        Msg::LeafScoreExceedsWeight {
            name,
            declared,
            weight,
        } => format!(
            "`{name}` declares {} above its weight {}.",
            plain(*declared),
            plain(*weight)
        ),
        Msg::LeafScoreDiffers {
            name,
            declared,
            score,
        } => format!(
            "`{name}` declares {} where the rule gives {}.",
            plain(*declared),
            two(*score)
        ),
        Msg::RateNotComputable { why } => format!(
            "The execution rate cannot be computed: {}; the execution score is 0.",
            rate_problem(why)
        ),
        Msg::DeclaredRateDiffers { declared, computed } => format!(
            "The printed execution rate {declared} % is not executed / annual budget = {} %.",
            two(*computed)
        ),
        Msg::ExecutionScoreMissing => "The execution block has no declared score.".to_owned(),
        Msg::ExecutionScoreExceedsWeight { declared, weight } => {
            format!("The declared execution score {declared} is above its weight {weight}.")
        }
        Msg::ExecutionScoreDiffers { declared, score } => format!(
            "The declared execution score {declared} differs from the rule score {}.",
            two(*score)
        ),
        Msg::BreakdownDoesNotSum {
            scope,
            names,
            column: col,
            figures,
            sum,
            total,
            difference,
            rounding,
        } => {
            let rows = match scope {
                BreakdownScope::Group(g) => format!("The rows {}", group(*g)),
                BreakdownScope::Under(parent) => format!("The rows under {parent}"),
            };
            let figures: Vec<String> = figures.iter().map(ToString::to_string).collect();
            format!(
                "{rows} ({}) in {} add up to {} = {sum}, not {total} (difference {difference}{}).",
                names.join(" + "),
                column(*col),
                figures.join(" + "),
                if *rounding { ", within rounding" } else { "" }
            )
        }
        Msg::WeightsDoNotSum {
            name,
            declared,
            sum,
        } => format!(
            "`{name}` weighs {} but its indicators add up to {}.",
            plain(*declared),
            plain(*sum)
        ),
        Msg::TotalWeightNot100 {
            total,
            execution,
            indicators,
        } => format!(
            "The weights add up to {} (execution {} + indicators {}), not 100; the total is rescaled to 100 points.",
            plain(*total),
            plain(*execution),
            plain(*indicators)
        ),
        Msg::WeightDiffersFromRuleset {
            scope,
            got,
            ruleset,
            want,
        } => format!(
            "{} weighs {} where ruleset {ruleset} expects {}.",
            weight_scope(scope),
            plain(*got),
            plain(*want)
        ),
        Msg::DeclaredTotalDiffers { total, sum } => format!(
            "The declared total {} is not the sum of the declared scores, {}.",
            plain(*total),
            plain(*sum)
        ),
        Msg::DeclaredGradeMissing { ruleset } => {
            format!("The form states no grade; ruleset {ruleset} expects one.")
        }
        Msg::DeclaredGradeUnreadable { grade, labels } => format!(
            "The declared grade `{grade}` is none of {}.",
            labels.join(", ")
        ),
        Msg::DeclaredGradeDiffers { grade, total, due } => format!(
            "The declared grade {grade} does not match the declared total {}, which is {due}.",
            plain(*total)
        ),
        Msg::RuleGradeDiffers { grade, rule } => {
            format!("The declared grade {grade} is not the grade the rules give, {rule}.")
        }
        Msg::LowExecutionWithoutReason { rate, threshold } => format!(
            "The execution rate is {} %, below {} %, and the form gives no reason (偏差及原因分析).",
            two(*rate),
            plain(*threshold)
        ),
        Msg::ResultsExceedSpending {
            indicators,
            rate,
            margin,
        } => format!(
            "The indicators score {} % of their weight while only {} % of the budget was executed (more than {} points apart).",
            two(*indicators),
            two(*rate),
            plain(*margin)
        ),
        Msg::ExplainNotApplicable => {
            "not applicable: left out of the total, which is rescaled".to_owned()
        }
        Msg::ExplainQuantitative {
            conversion: conv,
            rule,
            score,
        } => format!(
            "{}{} = {}{ROUNDED}",
            conversion(conv.as_ref()),
            quant_rule(rule),
            two(*score)
        ),
        Msg::ExplainActualBlank { method: m } => {
            format!("{} rule: the actual is blank, score 0", method(*m))
        }
        Msg::ExplainTierUnknown {
            actual,
            weight,
            score,
        } => format!(
            "qualitative rule: tier unknown from actual `{actual}`; declared score capped at weight {} = {}{ROUNDED}",
            plain(*weight),
            two(*score)
        ),
        Msg::ExplainQualitative {
            tier,
            reason,
            band,
            weight,
            min_percent,
            max_percent,
            declared,
            score,
        } => format!(
            "qualitative rule: {}, tier {tier}: band {band} of weight {} ({} % to {} %); {} = {}{ROUNDED}",
            tier_reason(reason),
            plain(*weight),
            plain(*min_percent),
            plain(*max_percent),
            band_use(declared),
            two(*score)
        ),
        Msg::ExplainExecution {
            weight,
            executed,
            budget,
            score,
            rate,
        } => format!(
            "execution rate rule: weight × min(executed / annual budget, 1) = {} × min({executed} / {budget}, 1) = {} (rate {} %, rounded half up to 2 places)",
            plain(*weight),
            two(*score),
            two(*rate)
        ),
        Msg::ExplainExecutionNotComputable { why } => format!(
            "execution rate rule: rate not computable ({}), score 0",
            rate_problem(why)
        ),
        Msg::ExplainTotalNoWeight => "no applicable weight: total 0".to_owned(),
        Msg::ExplainTotalFull { total } => format!(
            "Σ rule scores = {total} (applicable weights add up to 100), rounded half up to 2 places"
        ),
        Msg::ExplainTotalRescaled { sum, weight, total } => format!(
            "Σ rule scores / Σ applicable weights × 100 = {} / {} × 100 = {total}, rounded half up to 2 places",
            two(*sum),
            plain(*weight)
        ),
        Msg::ExplainReviewTotal { sum, weight, total } => format!(
            "Σ review scores (rule scores where none was recorded) / Σ applicable weights × 100 = {} / {} × 100 = {total}, rounded half up to 2 places",
            two(*sum),
            plain(*weight)
        ),
        Msg::ControlRateDiffers {
            declared,
            actual,
            authorized,
            rate,
        } => format!(
            "The basic data prints a staffing control rate of {}, but actual staff ÷ authorized posts × 100 = {} ÷ {} × 100 = {rate} (rounded half up to 2 places).",
            plain(*declared),
            plain(*actual),
            plain(*authorized)
        ),
        Msg::BasicDataDoesNotSum {
            parent,
            names,
            figures,
            sum,
            total,
            unit,
        } => format!(
            "{} add up to {} = {sum} {unit}, not the {total} {unit} of {parent} (blanks count as 0).",
            names.join(", "),
            figures.join(" + "),
        ),
        Msg::BasicDataPartExceeds {
            child,
            value,
            parent,
            total,
            unit,
        } => format!("The part {child} ({value} {unit}) is larger than {parent} ({total} {unit})."),
        Msg::BasicDataGrew {
            name,
            actual,
            last_year,
            amount,
            percent,
            unit,
        } => format!(
            "{name} grew against last year: {} {unit} spent, {} {unit} the year before, {} {unit} more{}.",
            plain_or_blank(*actual),
            plain_or_blank(*last_year),
            plain(*amount),
            percent.map(|p| format!(" ({p}%)")).unwrap_or_default()
        ),
        Msg::BasicDataOverBudget {
            name,
            actual,
            budget,
            amount,
            percent,
            unit,
        } => format!(
            "{name} spent {} {unit} against a budget of {} {unit}: {} {unit} over{}.",
            plain_or_blank(*actual),
            plain_or_blank(*budget),
            plain(*amount),
            percent.map(|p| format!(" ({p}%)")).unwrap_or_default()
        ),
        Msg::ReportFigureDiffers {
            sentence,
            keyword,
            quoted,
            form,
            quoted_value,
            form_value,
            unit,
        } => match (quoted_value, form_value, unit) {
            (Some(q), Some(f), Some(unit)) => format!(
                "The report says “{sentence}”: {keyword} {quoted} ({q} {unit}) differs from the tables: {form}, which is {f} {unit} in the report's unit and places."
            ),
            _ => format!(
                "The report says “{sentence}”: {keyword} is “{quoted}”, where the form has “{form}”."
            ),
        },
        Msg::LeafLeftOut { name, blank } => format!(
            "`{name}` has {}: it is left out, and the total covers only what can be computed.",
            blank_en(*blank)
        ),
        Msg::FundsWeightMissing => "The funds block has no weight: the execution rate is left out, and the total covers only what can be computed.".to_owned(),
        Msg::WeightInferredExecution {
            ruleset,
            ruleset_id,
            weight,
        } => format!(
            "The form prints no weights: the execution weight is {} as the ruleset {ruleset} ({ruleset_id}) sets it.",
            plain(*weight)
        ),
        Msg::WeightShared {
            pool,
            weight,
            ruleset,
            ruleset_id,
            shares,
        } => {
            let what = match pool {
                WeightPool::All => format!("the indicators' {} points", plain(*weight)),
                WeightPool::Level1 { label } => format!("the {} points of {label}", plain(*weight)),
                WeightPool::Level2 { level1, label } => {
                    format!("the {} points of {label} in {level1}", plain(*weight))
                }
            };
            let split = ShareSplit::of(shares);
            let n = split.leaves;
            let rule = format!(
                "The form prints no weights: {what} are shared equally by its {n} leaves under the ruleset {ruleset} ({ruleset_id})"
            );
            match (split.even, split.base) {
                (Some(each), _) => format!("{rule}, {} each.", plain(each)),
                (None, Some(base)) => {
                    let mut text = format!(
                        "{rule}: {} ÷ {n} cut to 2 places is {} each",
                        plain(*weight),
                        plain(base)
                    );
                    if split.more > 0 {
                        text.push_str(&format!(
                            ", the cents left over go to the first {} ({} each)",
                            split.more,
                            plain(base + Decimal::new(1, 2))
                        ));
                    }
                    if !split.tail.is_zero() {
                        text.push_str(&format!(
                            ", and {} below a cent to the last",
                            plain(split.tail)
                        ));
                    }
                    text.push_str(&format!(", adding up to exactly {}.", plain(*weight)));
                    text
                }
                (None, None) => format!("{rule}."),
            }
        }
        Msg::WeightLevel1Unknown {
            name,
            ruleset,
            ruleset_id,
        } => format!(
            "The form prints no weights, and the level-1 indicator {name} is not among the level-1 weights of the ruleset {ruleset} ({ruleset_id}): its leaves get no weight and are left out."
        ),
        Msg::WeightLevel2Unknown {
            name,
            level1,
            ruleset,
            ruleset_id,
        } => format!(
            "The form prints no weights, and the level-2 indicator {name} is not among the level-2 weights the ruleset {ruleset} ({ruleset_id}) lists for {level1}: it gets no weight and is left out."
        ),
        Msg::ExplainLeftOut { blank } => {
            format!("{}: left out of the total, which covers the rest", blank_en(*blank))
        }
        Msg::ExplainTotalPartial { total } => format!(
            "partial: rows without a weight or an actual are left out (see the findings); {}",
            render(total)
        ),
        Msg::RulesetVersion { name, version } => format!("{name} (version {version})"),
    }
}

/// The term in English.
pub(super) fn term(term: Term) -> &'static str {
    match term {
        Term::SeverityError => "error",
        Term::SeverityWarning => "warning",
        Term::SeverityInfo => "info",
        Term::KindDepartment => "department",
        Term::KindProject => "project",
        Term::StatusDraft => "draft",
        Term::StatusSubmitted => "submitted",
        Term::StatusReturned => "returned",
        Term::StatusApproved => "approved",
        Term::GradeSourceRule => "rule",
        Term::GradeSourceReview => "review",
        Term::ProblemUnauthenticated => "Authentication required",
        Term::ProblemInvalidToken => "Invalid token",
        Term::ProblemForbidden => "Forbidden",
        Term::ProblemNotFound => "Not found",
        Term::ProblemConflict => "Conflict",
        Term::ProblemPreconditionFailed => "Version mismatch",
        Term::ProblemPreconditionRequired => "If-Match required",
        Term::ProblemMalformedJson => "Malformed JSON",
        Term::ProblemInvalidDocument => "Invalid document",
        Term::ProblemBadRequest => "Bad request",
        Term::ProblemPayloadTooLarge => "Request body too large",
        Term::ProblemRequestTimeout => "Request timeout",
        Term::ProblemUnsupportedMediaType => "Unsupported media type",
        Term::ProblemUnsupportedEncoding => "Unsupported content coding",
        Term::ProblemUnreadableWorkbook => "Unreadable workbook",
        Term::ProblemUnreadableText => "Unreadable text",
        Term::ProblemMethodNotAllowed => "Method not allowed",
        Term::ProblemNotAcceptable => "Not acceptable",
        Term::ProblemUriTooLong => "URI too long",
        Term::ProblemHeaderFieldsTooLarge => "Request header fields too large",
        Term::ProblemInternal => "Internal error",
    }
}

/// The detail in English.
pub(super) fn detail(detail: &Detail) -> String {
    match detail {
        Detail::RoleMayNot { .. }
        | Detail::ReviewerMayNotStore
        | Detail::UnitNotCovered { .. }
        | Detail::OnlyRoles { .. }
        | Detail::TokenMalformed
        | Detail::TokenUnknown
        | Detail::WrongState { .. }
        | Detail::Locked { .. }
        | Detail::NotUnderReview { .. }
        | Detail::Duplicate { .. }
        | Detail::NoSample { .. }
        | Detail::NoVersion { .. }
        | Detail::NoUnit { .. }
        | Detail::NoUnitOrForms { .. }
        | Detail::NoToken { .. }
        | Detail::NoRuleset { .. }
        | Detail::NoDeadline { .. }
        | Detail::NoTemplate { .. }
        | Detail::DocsUnavailable
        | Detail::QueryInvalid
        | Detail::QueryNotUtf8 { .. }
        | Detail::RulesetInForce { .. }
        | Detail::RulesetPublished { .. }
        | Detail::RulesetNoLongerLoaded { .. }
        | Detail::NothingToSample { .. }
        | Detail::UnitTaken { .. } => refusal(detail),
        Detail::NoEvaluation => "no evaluation with this id".to_owned(),
        Detail::NoResource { path } => format!("no resource at {path}"),
        Detail::TokenRequired => {
            "this call needs a token: send `Authorization: Bearer <token>`".to_owned()
        }
        Detail::VersionChanged { current } => format!(
            "the evaluation has changed since it was read: the current version is {current}"
        ),
        Detail::IfMatchRequired => "send the `ETag` you last read of this evaluation as `If-Match`, so that this write cannot overwrite a change made since; `If-Match: *` accepts overwriting whatever is current".to_owned(),
        Detail::MalformedJson { cause } => format!("the request body is not valid JSON: {cause}"),
        Detail::PayloadTooLarge { limit } => {
            format!("the request body is larger than the limit of {limit} bytes")
        }
        Detail::RequestTimeout { seconds } => format!(
            "the request body did not arrive within {seconds} s; send the request again, whole and at once"
        ),
        Detail::JsonRequired => "the request body must be sent as application/json".to_owned(),
        Detail::MediaRequired { media } => format!("the request body must be sent as {media}"),
        Detail::UnsupportedEncoding { coding } => format!(
            "the request body is sent in the content coding `{coding}`, which this service cannot read; send it as it is, or compressed with gzip or deflate"
        ),
        Detail::UnreadableWorkbook { cause } => format!("the workbook cannot be read: {cause}"),
        Detail::MethodNotAllowed { method, allow } => {
            format!("{method} is not allowed here; allowed: {allow}")
        }
        Detail::Internal => "internal error".to_owned(),
        Detail::InvalidDocument { summary } => format!("the document is not valid: {summary}"),
    }
}

fn blank_en(blank: Blank) -> &'static str {
    match blank {
        Blank::Weight => "no weight",
        Blank::Actual => "no actual",
    }
}

fn plain_or_blank(value: Option<Decimal>) -> String {
    value.map(plain).unwrap_or_else(|| "(blank)".to_owned())
}

fn operation_en(operation: Operation) -> &'static str {
    match operation {
        Operation::Read => "read this form",
        Operation::ReadHistory => "read this form's history",
        Operation::Edit => "change this form",
        Operation::Submit => "submit this form",
        Operation::Review => "review, return or approve forms",
        Operation::Reopen => "reopen forms",
    }
}

/// The details of refusals, conflicts and missing resources other than a form.
#[expect(
    clippy::too_many_lines,
    reason = "one arm per detail: the catalogue reads as one table"
)]
fn refusal(detail: &Detail) -> String {
    match detail {
        Detail::QueryInvalid => "invalid query parameters".to_owned(),
        Detail::QueryNotUtf8 { reason } => {
            format!("the query string is not percent-encoded UTF-8: {reason}")
        }
        Detail::RulesetInForce { id, version } => {
            format!("ruleset `{id}` version {version} is in force; publish a later version")
        }
        Detail::RulesetPublished { id, version } => {
            format!("ruleset `{id}` version {version} is already published")
        }
        Detail::RulesetNoLongerLoaded { id, version } => format!(
            "the form was scored with ruleset {id} version {version}, which is no longer loaded; return it so that the unit's next replacement rescores it"
        ),
        Detail::NothingToSample {
            year,
            include_sampled,
        } => format!(
            "no form of {year} is left to draw: none is submitted or approved{}",
            if *include_sampled {
                ""
            } else {
                " outside earlier samples of the year"
            }
        ),
        Detail::UnitTaken { name, code } => {
            format!("the name `{name}` or the code `{code}` is already registered for another unit")
        }
        Detail::NoSample { id } => format!("no review sample {id}"),
        Detail::NoVersion { id, version } => format!("evaluation {id} has no version {version}"),
        Detail::NoUnit { code } => format!("no unit `{code}` is registered"),
        Detail::NoUnitOrForms { code } => {
            format!("no unit `{code}` is registered, and no form of it is visible")
        }
        Detail::NoToken { id } => format!("no token with id {id}"),
        Detail::NoRuleset { id } => format!("no ruleset `{id}`"),
        Detail::NoDeadline { year, kind } => {
            format!("no deadline for {year} {}", kind.as_str())
        }
        Detail::NoTemplate { name } => {
            format!("no template `{name}`: there are department.xlsx and project.xlsx")
        }
        Detail::DocsUnavailable => "the documentation page is not available".to_owned(),
        Detail::RoleMayNot { role, operation } => format!(
            "a {} token may not {}",
            role.as_str(),
            operation_en(*operation)
        ),
        Detail::ReviewerMayNotStore => "a reviewer token may not create or change forms".to_owned(),
        Detail::UnitNotCovered { units, code } => format!(
            "`unit.code` must be one of this token's units ({}); it is {}",
            units.join(", "),
            code.as_ref()
                .map_or_else(|| "missing".to_owned(), |c| format!("`{c}`"))
        ),
        Detail::OnlyRoles { roles, role } => format!(
            "only {} tokens may do this; this is a {} token",
            roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(" or "),
            role.as_str()
        ),
        Detail::TokenMalformed => "the Authorization header must be `Bearer <token>`".to_owned(),
        Detail::TokenUnknown => "the token is unknown or revoked".to_owned(),
        Detail::WrongState {
            transition,
            current,
            allowed,
        } => format!(
            "cannot {} a form that is {}; it must be {}",
            transition.as_str(),
            current.as_str(),
            allowed
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        ),
        Detail::Locked { status } => format!(
            "the evaluation is {}; only draft and returned evaluations can be changed",
            status.as_str()
        ),
        Detail::NotUnderReview { status } => format!(
            "the evaluation is {}; review scores are recorded while it is submitted",
            status.as_str()
        ),
        Detail::Duplicate {
            unit,
            code,
            kind,
            year,
            project,
        } => format!(
            "unit `{unit}`{} already has a {} form for {year}{}",
            code.as_ref()
                .map(|c| format!(" (code {c})"))
                .unwrap_or_default(),
            kind.as_str(),
            project
                .as_ref()
                .map(|p| format!(" for project `{p}`"))
                .unwrap_or_default()
        ),
        _ => String::new(),
    }
}

//! The message catalogue: every sentence a person reads, once per language.
//!
//! A [`Msg`] is a key with its arguments; [`Msg::render`] writes it in a [`Lang`]. Findings and
//! score explanations keep the key and its arguments (stored as such), and are written out in
//! the caller's language only when a response, page, workbook or table is made. The Chinese and
//! the English text live in `zh.rs` and `en.rs`, each one exhaustive `match`, so a key without
//! a text in either language does not compile.

mod en;
mod zh;

#[cfg(test)]
mod tests;

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::access::{Operation, Role};
use crate::domain::document::{BreakdownGroup, FormKind, Method};
use crate::domain::lifecycle::{Status, Transition};

/// A language a person reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Chinese, the language of the forms; the default.
    #[default]
    Zh,
    /// English, on request.
    En,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Self; 2] = [Self::Zh, Self::En];

    /// The language an `Accept-Language` header asks for: its first acceptable tag decides
    /// (`en*` English; `zh*`, `*`, anything else or no header Chinese). Tags refused with
    /// `q=0` are skipped; the order of the header is kept, whatever the weights.
    #[must_use]
    pub fn negotiate(header: Option<&str>) -> Self {
        let Some(header) = header else {
            return Self::Zh;
        };
        let first = header.split(',').find_map(|item| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let refused = parts.any(|param| {
                let param = param.trim();
                param
                    .strip_prefix("q=")
                    .or_else(|| param.strip_prefix("Q="))
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (!tag.is_empty() && !refused).then_some(tag)
        });
        match first {
            Some(tag) if tag.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("en")) => Self::En,
            _ => Self::Zh,
        }
    }

    /// The language tag, as `Content-Language` sends it.
    #[must_use]
    pub fn tag(self) -> &'static str {
        match self {
            Self::Zh => "zh-CN",
            Self::En => "en",
        }
    }
}

/// Text for a person: a catalogue key with its arguments until it is written out in a
/// language, or text already written (and text stored before the catalogue existed).
///
/// Stored as the key and arguments (a JSON object); sent to clients as a string, after
/// [`Text::localize`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Text {
    /// Written out.
    Plain(String),
    /// A key with its arguments.
    Msg(Box<Msg>),
}

impl Text {
    /// The text in `lang`.
    #[must_use]
    pub fn render(&self, lang: Lang) -> Cow<'_, str> {
        match self {
            Self::Plain(text) => Cow::Borrowed(text),
            Self::Msg(msg) => Cow::Owned(msg.render(lang)),
        }
    }

    /// Writes the text out in `lang`, for sending.
    pub fn localize(&mut self, lang: Lang) {
        if let Self::Msg(msg) = self {
            *self = Self::Plain(msg.render(lang));
        }
    }
}

impl From<Msg> for Text {
    fn from(msg: Msg) -> Self {
        Self::Msg(Box::new(msg))
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::Zh))
    }
}

/// Which cell of an indicator a message is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    /// 年度指标值.
    Target,
    /// 实际完成值.
    Actual,
}

/// Why the execution rate cannot be computed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateProblem {
    /// 全年预算数 is blank.
    BudgetBlank,
    /// 全年执行数 is blank.
    ExecutedBlank,
    /// 全年预算数 is 0.
    BudgetZero,
    /// The figures give no rate (a negative one among them).
    NoRate {
        /// 全年预算数.
        budget: Decimal,
        /// 全年执行数.
        executed: Decimal,
    },
}

/// Whose weight differs from the ruleset's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightScope {
    /// The budget-execution block.
    Execution,
    /// All indicators together.
    Indicators,
    /// The level-1 indicator the ruleset names so.
    Level1(String),
}

/// A column of the funds block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountColumn {
    /// 年初预算数.
    InitialBudget,
    /// 全年预算数.
    AnnualBudget,
    /// 全年执行数.
    Executed,
}

/// Which breakdown rows do not add up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakdownScope {
    /// The top rows of a group, against the block's total.
    Group(BreakdownGroup),
    /// The rows under a parent row.
    Under(String),
}

/// An amount converted into the target's unit before comparing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversion {
    /// The actual as written.
    pub from: Decimal,
    /// Its unit.
    pub from_unit: String,
    /// The actual in the target's unit.
    pub to: Decimal,
    /// The target's unit.
    pub to_unit: String,
}

/// The quantitative rule applied to a leaf, with its figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuantRule {
    /// 反向指标 whose actual is 0 or less: met in full.
    ReverseFull {
        /// 实际完成值.
        actual: Decimal,
    },
    /// 反向指标: 分值 × min(指标值 ÷ 完成值, 1).
    Reverse {
        /// 分值.
        weight: Decimal,
        /// 年度指标值.
        target: Decimal,
        /// 实际完成值.
        actual: Decimal,
    },
    /// An `=` target met exactly.
    EqualMet {
        /// 实际完成值.
        actual: Decimal,
    },
    /// 正向指标 with a target of 0 or less: any actual at or above it meets it.
    PositiveZeroTarget {
        /// 年度指标值.
        target: Decimal,
    },
    /// 正向指标: 分值 × min(完成值 ÷ 指标值, 1).
    Positive {
        /// 分值.
        weight: Decimal,
        /// 实际完成值.
        actual: Decimal,
        /// 年度指标值.
        target: Decimal,
    },
}

/// Why a qualitative tier was chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TierReason {
    /// The actual repeats the target.
    RepeatsTarget,
    /// The actual says this phrase.
    Says(String),
}

/// How the declared score of a qualitative leaf met its band.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BandUse {
    /// The declared score lies in the band and is kept.
    Inside(Decimal),
    /// The declared score lies outside and is clamped.
    Clamped(Decimal),
    /// No declared score: the top of the band.
    Missing,
}

/// Which blank left a row out of an incomplete form's score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Blank {
    /// No 分值.
    Weight,
    /// No 实际完成值.
    Actual,
}

/// The expected weight a group of leaves shares, as the ruleset names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "pool", rename_all = "snake_case")]
pub enum WeightPool {
    /// Every indicator together (a ruleset without a level-1 split).
    All,
    /// One level-1 expectation.
    Level1 { label: String },
    /// One level-2 expectation within a level-1 one.
    Level2 { level1: String, label: String },
}

/// One message of the catalogue: its key and arguments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "key", rename_all = "snake_case")]
pub enum Msg {
    // Findings on indicators.
    /// A missed target without a reason.
    MissingDeviationReason {
        name: String,
        target: String,
        actual: String,
    },
    /// An 指标性质 that names no method.
    OperatorUnreadable {
        name: String,
        operator: String,
        method: Method,
    },
    /// A leaf without a target.
    TargetBlank {
        name: String,
    },
    /// Text where the rule needs a number.
    NotANumber {
        name: String,
        cell: Cell,
        text: String,
        method: Method,
    },
    /// An `=` target not met exactly.
    EqualTargetNotMet {
        name: String,
    },
    /// The actual far above the target.
    OverAchievement {
        name: String,
        percent: Decimal,
        threshold: Decimal,
    },
    /// A quantitative leaf without an actual.
    ActualBlank {
        name: String,
        target: String,
    },
    /// Target and actual in different units.
    UnitMismatch {
        name: String,
        target_unit: Option<String>,
        actual_unit: Option<String>,
    },
    /// No tier can be read from a qualitative actual.
    TierUnknown {
        name: String,
        actual: String,
        target: String,
    },
    /// A qualitative declared score outside its tier's band.
    ScoreOutsideBand {
        name: String,
        declared: Decimal,
        tier: String,
        band: String,
        clamped: Decimal,
    },
    /// A qualitative leaf without a declared score.
    QualitativeScoreMissing {
        name: String,
        top: Decimal,
    },
    /// A leaf without a declared score.
    LeafScoreMissing {
        name: String,
    },
    /// A leaf's declared score above its weight.
    LeafScoreExceedsWeight {
        name: String,
        declared: Decimal,
        weight: Decimal,
    },
    /// A leaf's declared score differs from the rule score.
    LeafScoreDiffers {
        name: String,
        declared: Decimal,
        score: Decimal,
    },
    // Findings on the funds block.
    /// The execution rate cannot be computed.
    RateNotComputable {
        why: RateProblem,
    },
    // Findings on the basic data and the report.
    /// The printed 控制率 is not 实际在职人数 ÷ 编制数 × 100.
    ControlRateDiffers {
        declared: Decimal,
        actual: Decimal,
        authorized: Decimal,
        rate: Decimal,
    },
    /// Parts that make up a row whole do not add up to it.
    BasicDataDoesNotSum {
        parent: String,
        names: Vec<String>,
        figures: Vec<String>,
        sum: Decimal,
        total: Decimal,
        unit: String,
    },
    /// A 其中 row larger than the row it is part of.
    BasicDataPartExceeds {
        child: String,
        value: Decimal,
        parent: String,
        total: Decimal,
        unit: String,
    },
    /// A row grew against last year's 决算数.
    BasicDataGrew {
        name: String,
        actual: Option<Decimal>,
        last_year: Option<Decimal>,
        amount: Decimal,
        percent: Option<Decimal>,
        unit: String,
    },
    /// A row spent beyond its 预算数.
    BasicDataOverBudget {
        name: String,
        actual: Option<Decimal>,
        budget: Option<Decimal>,
        amount: Decimal,
        percent: Option<Decimal>,
        unit: String,
    },
    /// A figure the report quotes differs from the form or the basic data.
    ReportFigureDiffers {
        sentence: String,
        keyword: String,
        quoted: String,
        form: String,
        quoted_value: Option<Decimal>,
        form_value: Option<Decimal>,
        unit: Option<String>,
    },
    // Incomplete forms and forms printed without weights.
    /// A leaf left out of the score for a blank.
    LeafLeftOut {
        name: String,
        blank: Blank,
    },
    /// The funds block has no 分值.
    FundsWeightMissing,
    /// The execution weight taken from the ruleset.
    WeightInferredExecution {
        ruleset: String,
        ruleset_id: String,
        weight: Decimal,
    },
    /// A weight shared by leaves as the ruleset says.
    WeightShared {
        pool: WeightPool,
        weight: Decimal,
        ruleset: String,
        ruleset_id: String,
        shares: Vec<Decimal>,
    },
    /// Leaves under a level-1 indicator the ruleset does not name.
    WeightLevel1Unknown {
        name: String,
        ruleset: String,
        ruleset_id: String,
    },
    /// Leaves under a level-2 indicator the ruleset does not list.
    WeightLevel2Unknown {
        name: String,
        level1: String,
        ruleset: String,
        ruleset_id: String,
    },
    /// The printed execution rate is not executed ÷ budget.
    DeclaredRateDiffers {
        declared: Decimal,
        computed: Decimal,
    },
    /// The execution block has no declared score.
    ExecutionScoreMissing,
    /// The declared execution score is above its weight.
    ExecutionScoreExceedsWeight {
        declared: Decimal,
        weight: Decimal,
    },
    /// The declared execution score differs from the rule score.
    ExecutionScoreDiffers {
        declared: Decimal,
        score: Decimal,
    },
    /// Breakdown rows do not add up.
    BreakdownDoesNotSum {
        scope: BreakdownScope,
        names: Vec<String>,
        column: AmountColumn,
        figures: Vec<Decimal>,
        sum: Decimal,
        total: Decimal,
        difference: Decimal,
        rounding: bool,
    },
    // Findings on weights, totals and grades.
    /// A node's weight is not the sum of its children's.
    WeightsDoNotSum {
        name: String,
        declared: Decimal,
        sum: Decimal,
    },
    /// The weights of the form do not add up to 100.
    TotalWeightNot100 {
        total: Decimal,
        execution: Decimal,
        indicators: Decimal,
    },
    /// A weight differs from the ruleset's.
    WeightDiffersFromRuleset {
        scope: WeightScope,
        got: Decimal,
        ruleset: String,
        want: Decimal,
    },
    /// The declared total is not the sum of the declared scores.
    DeclaredTotalDiffers {
        total: Decimal,
        sum: Decimal,
    },
    /// The form states no grade.
    DeclaredGradeMissing {
        ruleset: String,
    },
    /// The declared grade is none of the ruleset's.
    DeclaredGradeUnreadable {
        grade: String,
        labels: Vec<String>,
    },
    /// The declared grade is not the grade of the declared total.
    DeclaredGradeDiffers {
        grade: String,
        total: Decimal,
        due: String,
    },
    /// The declared grade is not the grade the rules give.
    RuleGradeDiffers {
        grade: String,
        rule: String,
    },
    /// A low execution rate without a reason.
    LowExecutionWithoutReason {
        rate: Decimal,
        threshold: Decimal,
    },
    /// The indicators score far above the execution rate.
    ResultsExceedSpending {
        indicators: Decimal,
        rate: Decimal,
        margin: Decimal,
    },
    // Score explanations.
    /// A leaf that does not apply.
    ExplainNotApplicable,
    /// A quantitative leaf.
    ExplainQuantitative {
        conversion: Option<Conversion>,
        rule: QuantRule,
        score: Decimal,
    },
    /// A quantitative leaf whose actual is blank.
    ExplainActualBlank {
        method: Method,
    },
    /// A qualitative leaf whose tier cannot be read.
    ExplainTierUnknown {
        actual: String,
        weight: Decimal,
        score: Decimal,
    },
    /// A qualitative leaf.
    ExplainQualitative {
        tier: String,
        reason: TierReason,
        band: String,
        weight: Decimal,
        min_percent: Decimal,
        max_percent: Decimal,
        declared: BandUse,
        score: Decimal,
    },
    /// The execution block.
    ExplainExecution {
        weight: Decimal,
        executed: Decimal,
        budget: Decimal,
        score: Decimal,
        rate: Decimal,
    },
    /// The execution block whose rate cannot be computed.
    ExplainExecutionNotComputable {
        why: RateProblem,
    },
    /// A total without applicable weight.
    ExplainTotalNoWeight,
    /// A total whose applicable weights add up to 100.
    ExplainTotalFull {
        total: Decimal,
    },
    /// A total rescaled to 100 points.
    ExplainTotalRescaled {
        sum: Decimal,
        weight: Decimal,
        total: Decimal,
    },
    /// The reviewer's total.
    ExplainReviewTotal {
        sum: Decimal,
        weight: Decimal,
        total: Decimal,
    },
    // Headings.
    /// A ruleset by its name and version.
    /// A leaf left out for a blank, as its explanation.
    ExplainLeftOut {
        blank: Blank,
    },
    /// A total over only part of the form.
    ExplainTotalPartial {
        total: Box<Msg>,
    },
    RulesetVersion {
        name: String,
        version: u32,
    },
}

impl Msg {
    /// The message in `lang`.
    #[must_use]
    pub fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => zh::render(self),
            Lang::En => en::render(self),
        }
    }
}

/// A short fixed text: a label, a heading or a title.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    /// Severity `error`.
    SeverityError,
    /// Severity `warning`.
    SeverityWarning,
    /// Severity `info`.
    SeverityInfo,
    /// Kind `department`.
    KindDepartment,
    /// Kind `project`.
    KindProject,
    /// Status `draft`.
    StatusDraft,
    /// Status `submitted`.
    StatusSubmitted,
    /// Status `returned`.
    StatusReturned,
    /// Status `approved`.
    StatusApproved,
    /// A grade given by the rules.
    GradeSourceRule,
    /// A grade given by review.
    GradeSourceReview,
    /// Problem: no token.
    ProblemUnauthenticated,
    /// Problem: a bad token.
    ProblemInvalidToken,
    /// Problem: not allowed.
    ProblemForbidden,
    /// Problem: not found.
    ProblemNotFound,
    /// Problem: conflict.
    ProblemConflict,
    /// Problem: version mismatch.
    ProblemPreconditionFailed,
    /// Problem: If-Match missing.
    ProblemPreconditionRequired,
    /// Problem: malformed JSON.
    ProblemMalformedJson,
    /// Problem: invalid document.
    ProblemInvalidDocument,
    /// Problem: bad request.
    ProblemBadRequest,
    /// Problem: body too large.
    ProblemPayloadTooLarge,
    /// Problem: body too slow.
    ProblemRequestTimeout,
    /// Problem: media type.
    ProblemUnsupportedMediaType,
    /// Problem: content coding.
    ProblemUnsupportedEncoding,
    /// Problem: unreadable workbook.
    ProblemUnreadableWorkbook,
    /// Unreadable text.
    ProblemUnreadableText,
    /// Problem: method not allowed.
    ProblemMethodNotAllowed,
    /// Problem: not acceptable.
    ProblemNotAcceptable,
    /// Problem: URI too long.
    ProblemUriTooLong,
    /// Problem: headers too large.
    ProblemHeaderFieldsTooLarge,
    /// Problem: internal error.
    ProblemInternal,
}

impl Term {
    /// Every term.
    pub const ALL: [Self; 32] = [
        Self::SeverityError,
        Self::SeverityWarning,
        Self::SeverityInfo,
        Self::KindDepartment,
        Self::KindProject,
        Self::StatusDraft,
        Self::StatusSubmitted,
        Self::StatusReturned,
        Self::StatusApproved,
        Self::GradeSourceRule,
        Self::GradeSourceReview,
        Self::ProblemUnauthenticated,
        Self::ProblemInvalidToken,
        Self::ProblemForbidden,
        Self::ProblemNotFound,
        Self::ProblemConflict,
        Self::ProblemPreconditionFailed,
        Self::ProblemPreconditionRequired,
        Self::ProblemMalformedJson,
        Self::ProblemInvalidDocument,
        Self::ProblemBadRequest,
        Self::ProblemPayloadTooLarge,
        Self::ProblemRequestTimeout,
        Self::ProblemUnsupportedMediaType,
        Self::ProblemUnsupportedEncoding,
        Self::ProblemUnreadableWorkbook,
        Self::ProblemUnreadableText,
        Self::ProblemMethodNotAllowed,
        Self::ProblemNotAcceptable,
        Self::ProblemUriTooLong,
        Self::ProblemHeaderFieldsTooLarge,
        Self::ProblemInternal,
    ];

    /// The term in `lang`.
    #[must_use]
    pub fn text(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => zh::term(self),
            Lang::En => en::term(self),
        }
    }
}

/// A detail of a problem response whose wording the catalogue holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// A stored evaluation that does not exist or may not be read.
    NoEvaluation,
    /// Nothing answers at this path.
    NoResource { path: String },
    /// A call that needs a token came without one.
    TokenRequired,
    /// A version mismatch.
    VersionChanged { current: i64 },
    /// `If-Match` missing.
    IfMatchRequired,
    /// The body is not JSON.
    MalformedJson { cause: String },
    /// The body is too large.
    PayloadTooLarge { limit: usize },
    /// The body came too slowly.
    RequestTimeout { seconds: u64 },
    /// The body must be JSON.
    JsonRequired,
    /// The body must be of this media type.
    MediaRequired { media: String },
    /// An unknown content coding.
    UnsupportedEncoding { coding: String },
    /// A workbook that cannot be read.
    UnreadableWorkbook { cause: String },
    /// A method not allowed.
    MethodNotAllowed { method: String, allow: String },
    /// A fault of the service.
    Internal,
    /// An invalid document, with its field errors summarised.
    InvalidDocument { summary: String },
    /// A role that may never do this to this form.
    RoleMayNot { role: Role, operation: Operation },
    /// A reviewer tried to store a form.
    ReviewerMayNotStore,
    /// A unit token naming a unit it does not cover.
    UnitNotCovered {
        units: Vec<String>,
        code: Option<String>,
    },
    /// A call only some roles may make.
    OnlyRoles { roles: Vec<Role>, role: Role },
    /// The `Authorization` header is not `Bearer <token>`.
    TokenMalformed,
    /// The token is unknown or revoked.
    TokenUnknown,
    /// A transition asked of a form in a state it cannot start from.
    WrongState {
        transition: Transition,
        current: Status,
        allowed: Vec<Status>,
    },
    /// A change to a form that is no longer a draft or returned.
    Locked { status: Status },
    /// Review scores for a form that is not under review.
    NotUnderReview { status: Status },
    /// No review sample with this id.
    NoSample { id: i64 },
    /// A stored form has no such version.
    NoVersion { id: i64, version: i64 },
    /// No unit registered with this code.
    NoUnit { code: String },
    /// No unit registered with this code, and no form of it visible.
    NoUnitOrForms { code: String },
    /// No token with this id.
    NoToken { id: i64 },
    /// No ruleset with this id.
    NoRuleset { id: String },
    /// No deadline set for this year and kind.
    NoDeadline { year: i32, kind: FormKind },
    /// No blank template of this name.
    NoTemplate { name: String },
    /// The documentation page is missing from the build.
    DocsUnavailable,
    /// Query parameters that are not what the operation takes (each named in `errors`).
    QueryInvalid,
    /// A query string that is not percent-encoded UTF-8.
    QueryNotUtf8 { reason: String },
    /// A ruleset version at or above the one being published is in force.
    RulesetInForce { id: String, version: u32 },
    /// This ruleset version is already published.
    RulesetPublished { id: String, version: u32 },
    /// The ruleset a form was scored with is no longer loaded.
    RulesetNoLongerLoaded { id: String, version: u32 },
    /// No form of the year is left to draw for a sample.
    NothingToSample { year: i32, include_sampled: bool },
    /// A unit's name or code is registered for another unit.
    UnitTaken { name: String, code: String },
    /// Another stored form holds this form's place.
    Duplicate {
        unit: String,
        code: Option<String>,
        kind: FormKind,
        year: i32,
        project: Option<String>,
    },
}

impl std::fmt::Display for Detail {
    /// The Chinese text, which is what a detail says unless English is asked for.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::Zh))
    }
}

impl Detail {
    /// The detail in `lang`.
    #[must_use]
    pub fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => zh::detail(self),
            Lang::En => en::detail(self),
        }
    }
}

/// A number shown as on a form: trailing zeros dropped (`10.00` → `10`).
fn plain(value: Decimal) -> String {
    crate::domain::decimal::plain(value)
}

/// A score shown to two places, rounded half up.
fn two(value: Decimal) -> Decimal {
    crate::domain::decimal::round2(value)
}

/// How equal shares split a weight, for the sentence that explains it: the share each leaf
/// gets (cut to 2 places), how many got a cent more, and what below a cent went to the last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct ShareSplit {
    /// Number of leaves.
    pub leaves: usize,
    /// The share cut to 2 places; `None` when all shares are equal.
    pub base: Option<Decimal>,
    /// How many leaves got a cent more.
    pub more: usize,
    /// What below a cent went to the last leaf.
    pub tail: Decimal,
    /// The share of each leaf when all are equal.
    pub even: Option<Decimal>,
}

impl ShareSplit {
    pub(super) fn of(shares: &[Decimal]) -> Self {
        let leaves = shares.len();
        let (Some(low), Some(high)) = (shares.iter().min(), shares.iter().max()) else {
            return Self {
                leaves,
                base: None,
                more: 0,
                tail: Decimal::ZERO,
                even: None,
            };
        };
        if low == high {
            return Self {
                leaves,
                base: None,
                more: 0,
                tail: Decimal::ZERO,
                even: Some(*low),
            };
        }
        let cent = Decimal::new(1, 2);
        // As the shares are cut: the last leaf never gets a whole extra cent.
        let base = shares[..leaves - 1]
            .iter()
            .copied()
            .fold(shares[leaves - 1], Decimal::min)
            .trunc_with_scale(2);
        let more = shares.iter().filter(|s| **s == base + cent).count();
        let tail = shares[leaves - 1] - base;
        Self {
            leaves,
            base: Some(base),
            more,
            tail,
            even: None,
        }
    }
}

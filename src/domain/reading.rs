//! Reading a submitted form from JSON, reporting every problem at once.
//!
//! The raw JSON is walked against the shape of [`EvaluationDocument`] first, collecting every
//! missing field, unknown field, value of the wrong kind and figure out of bounds, together with
//! the checks that span fields (a project form names its project, a breakdown row's parent
//! exists). Only a document the walk found nothing wrong with is deserialized into the typed
//! document. Figures are read from the JSON text itself, never through a binary float.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::de::{DeserializeOwned, Error as _, IgnoredAny};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;

use super::decimal::{Dec, fold_figure, strip_percent};
use super::document::EvaluationDocument;
use super::problems::{CURRENCY_UNITS, Figure, GROUPS, KINDS, METHODS, Part, Problem};
use super::rulesets::Rulesets;
use super::validation::{FISCAL_YEARS, FieldError, figure_problem, is_blank, unknown_ruleset};

/// Why a text could not be read as a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The text is not JSON at all.
    Malformed(String),
    /// JSON, but not a valid form: every problem found, each placed on the paper form.
    Invalid(Vec<FieldError>),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Malformed(detail) => write!(f, "the text is not valid JSON: {detail}"),
            Self::Invalid(errors) => {
                let parts: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{}: {}", e.pointer, e.detail))
                    .collect();
                write!(f, "the document is not valid: {}", parts.join("; "))
            }
        }
    }
}

/// Reads a form, checking its `ruleset` against `rulesets` when given.
///
/// # Errors
/// `Malformed` for text that is not JSON, `Invalid` with every problem otherwise.
pub fn read_document(
    text: &str,
    rulesets: Option<&Rulesets>,
) -> Result<EvaluationDocument, ReadError> {
    if !text.trim_start().starts_with('{') {
        serde_json::from_str::<IgnoredAny>(text)
            .map_err(|e| ReadError::Malformed(e.to_string()))?;
        return Err(ReadError::Invalid(vec![
            FieldError::problem("", &Problem::NotAnObject(Part::Form)).placed_in(&Value::Null),
        ]));
    }
    let root: Box<RawValue> =
        serde_json::from_str(text).map_err(|e| ReadError::Malformed(e.to_string()))?;
    let mut walk = Walk::default();
    walk.document(&root, rulesets);
    let problems = if walk.problems.is_empty() {
        match parse_strict(text) {
            Ok(document) => return Ok(document),
            Err(ReadError::Invalid(problems)) => problems,
            Err(malformed) => return Err(malformed),
        }
    } else {
        walk.problems
    };
    let json: Value = serde_json::from_str(text).unwrap_or_default();
    Err(ReadError::Invalid(
        problems.into_iter().map(|e| e.placed_in(&json)).collect(),
    ))
}

/// Reads a JSON object into `T`, naming the first failing field by JSON pointer. Fields `T`
/// does not know are refused, so a misspelt field never vanishes silently.
///
/// # Errors
/// `Malformed` for text that is not JSON, `Invalid` for JSON of the wrong shape.
pub fn parse_strict<T: DeserializeOwned>(text: &str) -> Result<T, ReadError> {
    if !text.trim_start().starts_with('{') {
        serde_json::from_str::<IgnoredAny>(text)
            .map_err(|e| ReadError::Malformed(e.to_string()))?;
        return Err(ReadError::Invalid(vec![FieldError::problem(
            "",
            &Problem::Other("the document must be a JSON object".into()),
        )]));
    }
    let mut unknown = Vec::new();
    // Most documents read: they are read once without tracking the path of every field, which
    // costs an allocation per key, and read again with it only to name a failing field.
    let fast = serde_ignored::deserialize(
        &mut serde_json::Deserializer::from_str(text),
        |path: serde_ignored::Path<'_>| unknown.push(ignored_pointer(&path)),
    );
    let value = fast.or_else(|_| {
        unknown.clear();
        let deserializer = &mut serde_json::Deserializer::from_str(text);
        let mut record = |path: serde_ignored::Path<'_>| unknown.push(ignored_pointer(&path));
        let tracked = serde_ignored::Deserializer::new(deserializer, &mut record);
        serde_path_to_error::deserialize(tracked)
    });
    let value = value.map_err(|error| {
        let pointer = path_pointer(error.path());
        let inner = error.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                ReadError::Invalid(vec![serde_field_error(pointer, &inner)])
            }
            _ => ReadError::Malformed(inner.to_string()),
        }
    })?;
    if unknown.is_empty() {
        Ok(value)
    } else {
        Err(ReadError::Invalid(
            unknown
                .into_iter()
                .map(|pointer| {
                    let name = pointer.rsplit('/').next().unwrap_or_default().to_owned();
                    FieldError::problem(pointer, &Problem::UnknownField(unescape(&name)))
                })
                .collect(),
        ))
    }
}

/// Text a draft may leave blank: `null` reads as empty.
///
/// # Errors
/// When the value is neither text nor `null`.
pub fn text_or_null<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.unwrap_or_default())
}

/// A fiscal year as a JSON integer or as text (`"2023"`, `"２０２３"`).
///
/// # Errors
/// When the value is neither.
pub fn deserialize_year<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i32, D::Error> {
    let raw = <Box<RawValue>>::deserialize(deserializer)?;
    read_year(&raw).map_err(|problem| D::Error::custom(problem.message()))
}

fn read_year(raw: &RawValue) -> Result<i32, Problem> {
    let text = match raw.get().as_bytes().first() {
        Some(b'"') => fold_figure(&serde_json::from_str::<String>(raw.get()).unwrap_or_default()),
        Some(b'-' | b'0'..=b'9') => raw.get().to_owned(),
        _ => return Err(Problem::NotAYear),
    };
    let year: i32 = text.parse().map_err(|_| Problem::NotAYear)?;
    if FISCAL_YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(Problem::YearOutOfRange)
    }
}

/// A figure from its text, with the problem it has if any.
fn read_figure(text: &str, figure: Figure) -> Result<Decimal, Problem> {
    let digits = if figure == Figure::Rate {
        strip_percent(text)
    } else {
        text
    };
    match digits.parse::<Dec>() {
        Ok(value) => match figure_problem(value.get(), figure) {
            Some(problem) => Err(problem),
            None => Ok(value.get()),
        },
        Err(e) if e.is_ambiguous_grouping() => {
            Err(Problem::AmbiguousSeparator(figure, text.trim().to_owned()))
        }
        Err(_) => Err(Problem::NotAFigure(figure)),
    }
}

type Fields = BTreeMap<String, Box<RawValue>>;

/// The field `key` of an object, `None` when it is absent or `null`.
fn get<'a>(fields: &'a Fields, key: &str) -> Option<&'a RawValue> {
    fields
        .get(key)
        .map(AsRef::as_ref)
        .filter(|raw| raw.get() != "null")
}

fn first_byte(raw: &RawValue) -> u8 {
    raw.get().as_bytes().first().copied().unwrap_or_default()
}

fn string_of(raw: &RawValue) -> Option<String> {
    (first_byte(raw) == b'"')
        .then(|| serde_json::from_str::<String>(raw.get()).ok())
        .flatten()
}

const DOCUMENT_FIELDS: &[&str] = &[
    "kind",
    "fiscal_year",
    "ruleset",
    "unit",
    "project",
    "currency_unit",
    "funds",
    "goals",
    "indicators",
    "basic_data",
    "report",
    "declared_total",
    "declared_grade",
    "deviation_analysis",
    "improvement_measures",
    "notes",
    "prepared_by",
    "contact_phone",
    "filled_on",
];
const FREE_TEXTS: &[&str] = &[
    "declared_grade",
    "deviation_analysis",
    "improvement_measures",
    "notes",
    "prepared_by",
    "contact_phone",
    "filled_on",
];
const UNIT_FIELDS: &[&str] = &["name", "code"];
const PROJECT_FIELDS: &[&str] = &["name", "department", "implementer"];
const FUNDS_FIELDS: &[&str] = &[
    "initial_budget",
    "annual_budget",
    "executed",
    "weight",
    "declared_rate",
    "declared_score",
    "breakdown",
];
const AMOUNTS: &[&str] = &["initial_budget", "annual_budget", "executed"];
const ROW_FIELDS: &[&str] = &[
    "group",
    "name",
    "parent",
    "initial_budget",
    "annual_budget",
    "executed",
];
const GOAL_FIELDS: &[&str] = &["expected", "actual"];
const BASIC_DATA_FIELDS: &[&str] = &[
    "currency_unit",
    "staffing",
    "spending",
    "government_procurement",
    "frugality_measures",
];
const STAFFING_FIELDS: &[&str] = &["authorized", "actual", "declared_control_rate"];
const SPENDING_FIELDS: &[&str] = &["name", "parent", "actual", "budget", "last_year_actual"];
const REPORT_FIELDS: &[&str] = &["method", "evaluator", "report_date", "sections"];
const SECTION_FIELDS: &[&str] = &["heading", "text"];
const NODE_FIELDS: &[&str] = &["name", "weight", "children"];
const LEAF_FIELDS: &[&str] = &[
    "name",
    "target",
    "actual",
    "weight",
    "declared_score",
    "operator",
    "unit",
    "method",
    "deviation_reason",
];

/// How a text field is to be given.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Present, and showing something.
    Name,
    /// May be absent or `null`.
    Optional,
    /// Text a draft may leave blank: absent and `null` read as empty.
    Blankable,
}

/// One breakdown row as far as the parent check needs it.
struct Row {
    at: String,
    group: Option<String>,
    name: Option<String>,
    parent: Option<String>,
}

#[derive(Default)]
struct Walk {
    problems: Vec<FieldError>,
}

impl Walk {
    fn push(&mut self, at: &str, problem: &Problem) {
        self.problems.push(FieldError::problem(at, problem));
    }

    /// The fields of the object at `at`, reporting fields it does not have.
    fn object(&mut self, at: &str, raw: &RawValue, part: Part, known: &[&str]) -> Option<Fields> {
        let fields = (first_byte(raw) == b'{')
            .then(|| serde_json::from_str::<Fields>(raw.get()).ok())
            .flatten();
        let Some(fields) = fields else {
            self.push(at, &Problem::NotAnObject(part));
            return None;
        };
        for key in fields.keys().filter(|key| !known.contains(&key.as_str())) {
            let pointer = format!("{at}/{}", escape(key));
            let is_leaf = known == LEAF_FIELDS;
            if is_leaf && key == "children" {
                self.push(&pointer, &Problem::TooDeep);
            } else {
                self.push(&pointer, &Problem::UnknownField(key.clone()));
            }
        }
        Some(fields)
    }

    /// A required object.
    fn required_object(
        &mut self,
        at: &str,
        raw: Option<&RawValue>,
        part: Part,
        known: &[&str],
    ) -> Option<Fields> {
        match raw {
            None => {
                self.push(at, &Problem::Required);
                None
            }
            Some(raw) => self.object(at, raw, part, known),
        }
    }

    /// The items of an optional list.
    fn list(&mut self, at: &str, raw: Option<&RawValue>, part: Part) -> Vec<Box<RawValue>> {
        let Some(raw) = raw else {
            return Vec::new();
        };
        let items = (first_byte(raw) == b'[')
            .then(|| serde_json::from_str::<Vec<Box<RawValue>>>(raw.get()).ok())
            .flatten();
        items.unwrap_or_else(|| {
            self.push(at, &Problem::NotAList(part));
            Vec::new()
        })
    }

    fn text(&mut self, at: &str, fields: &Fields, key: &str, need: Need) -> Option<String> {
        let pointer = format!("{at}/{key}");
        let Some(raw) = get(fields, key) else {
            match need {
                Need::Name => self.push(&pointer, &Problem::Required),
                Need::Optional | Need::Blankable => {}
            }
            return None;
        };
        let Some(text) = string_of(raw) else {
            self.push(&pointer, &Problem::NotText);
            return None;
        };
        if need == Need::Name && is_blank(&text) {
            self.push(&pointer, &Problem::Blank);
        }
        Some(text)
    }

    fn figure(&mut self, at: &str, fields: &Fields, key: &str, figure: Figure, required: bool) {
        let pointer = format!("{at}/{key}");
        let Some(raw) = get(fields, key) else {
            if required {
                self.push(&pointer, &Problem::Required);
            }
            return;
        };
        let text = match first_byte(raw) {
            b'"' => string_of(raw),
            b'-' | b'0'..=b'9' => Some(raw.get().to_owned()),
            _ => None,
        };
        let read = match text {
            Some(text) => read_figure(&text, figure),
            None => Err(Problem::NotAFigure(figure)),
        };
        if let Err(problem) = read {
            self.push(&pointer, &problem);
        }
    }

    fn choice(
        &mut self,
        at: &str,
        fields: &Fields,
        key: &str,
        choices: &'static [(&'static str, &'static str)],
        required: bool,
    ) -> Option<String> {
        let pointer = format!("{at}/{key}");
        let Some(raw) = get(fields, key) else {
            if required {
                self.push(&pointer, &Problem::Required);
            } else if fields.contains_key(key) && key == "currency_unit" {
                // `currency_unit` has a default but no `null`.
                self.push(&pointer, &Problem::NotOneOf(choices));
            }
            return None;
        };
        match string_of(raw) {
            Some(value) if choices.iter().any(|(v, _)| *v == value) => Some(value),
            _ => {
                self.push(&pointer, &Problem::NotOneOf(choices));
                None
            }
        }
    }

    fn document(&mut self, root: &RawValue, rulesets: Option<&Rulesets>) {
        let Some(fields) = self.object("", root, Part::Form, DOCUMENT_FIELDS) else {
            return;
        };
        let kind = self.choice("", &fields, "kind", KINDS, true);
        match get(&fields, "fiscal_year") {
            None => self.push("/fiscal_year", &Problem::Required),
            Some(raw) => {
                if let Err(problem) = read_year(raw) {
                    self.push("/fiscal_year", &problem);
                }
            }
        }
        let ruleset = self.text("", &fields, "ruleset", Need::Optional);
        if let (Some(rulesets), Some(id)) = (rulesets, ruleset) {
            if rulesets.for_form(Some(&id)).is_none() {
                self.problems.push(unknown_ruleset(rulesets));
            }
        }
        if let Some(unit) =
            self.required_object("/unit", get(&fields, "unit"), Part::Unit, UNIT_FIELDS)
        {
            self.text("/unit", &unit, "name", Need::Name);
            self.text("/unit", &unit, "code", Need::Optional);
        }
        self.project(&fields, kind.as_deref());
        self.choice("", &fields, "currency_unit", CURRENCY_UNITS, false);
        if let Some(raw) = get(&fields, "funds") {
            if let Some(funds) = self.object("/funds", raw, Part::Funds, FUNDS_FIELDS) {
                self.funds(&funds);
            }
        }
        for (i, raw) in self
            .list("/goals", get(&fields, "goals"), Part::Goal)
            .iter()
            .enumerate()
        {
            let at = format!("/goals/{i}");
            if let Some(goal) = self.object(&at, raw, Part::Goal, GOAL_FIELDS) {
                self.text(&at, &goal, "expected", Need::Blankable);
                self.text(&at, &goal, "actual", Need::Blankable);
            }
        }
        self.indicators(&fields);
        if let Some(raw) = get(&fields, "basic_data") {
            if let Some(data) = self.object("/basic_data", raw, Part::BasicData, BASIC_DATA_FIELDS)
            {
                self.basic_data(&data);
            }
        }
        if let Some(raw) = get(&fields, "report") {
            if let Some(report) = self.object("/report", raw, Part::Report, REPORT_FIELDS) {
                self.report(&report);
            }
        }
        self.figure("", &fields, "declared_total", Figure::Total, false);
        for key in FREE_TEXTS {
            self.text("", &fields, key, Need::Optional);
        }
    }

    fn project(&mut self, fields: &Fields, kind: Option<&str>) {
        let raw = get(fields, "project");
        match (kind, raw) {
            (Some("project"), None) => self.push("/project", &Problem::ProjectRequired),
            (Some("department"), Some(_)) => self.push("/project", &Problem::ProjectNotAllowed),
            _ => {}
        }
        let Some(raw) = raw else { return };
        if let Some(project) = self.object("/project", raw, Part::Project, PROJECT_FIELDS) {
            self.text("/project", &project, "name", Need::Name);
            self.text("/project", &project, "department", Need::Optional);
            self.text("/project", &project, "implementer", Need::Optional);
        }
    }

    fn funds(&mut self, funds: &Fields) {
        for key in AMOUNTS {
            self.figure("/funds", funds, key, Figure::Amount, false);
        }
        self.figure("/funds", funds, "weight", Figure::Weight, false);
        self.figure("/funds", funds, "declared_rate", Figure::Rate, false);
        self.figure("/funds", funds, "declared_score", Figure::Score, false);
        let mut rows = Vec::new();
        for (i, raw) in self
            .list(
                "/funds/breakdown",
                get(funds, "breakdown"),
                Part::BreakdownRow,
            )
            .iter()
            .enumerate()
        {
            let at = format!("/funds/breakdown/{i}");
            let Some(row) = self.object(&at, raw, Part::BreakdownRow, ROW_FIELDS) else {
                continue;
            };
            let group = self.choice(&at, &row, "group", GROUPS, true);
            let name = self.text(&at, &row, "name", Need::Blankable);
            let parent = self.text(&at, &row, "parent", Need::Optional);
            for key in AMOUNTS {
                self.figure(&at, &row, key, Figure::Amount, false);
            }
            rows.push(Row {
                at,
                group,
                name,
                parent,
            });
        }
        for row in &rows {
            let (Some(group), Some(parent)) = (&row.group, &row.parent) else {
                continue;
            };
            let parent_row = rows
                .iter()
                .find(|r| r.group.as_ref() == Some(group) && r.name.as_ref() == Some(parent));
            let problem = match parent_row {
                None => Problem::UnknownParent(parent.clone()),
                Some(p) if p.parent.is_some() => Problem::NestedParent(parent.clone()),
                Some(_) => continue,
            };
            self.push(&format!("{}/parent", row.at), &problem);
        }
    }

    fn indicators(&mut self, fields: &Fields) {
        let level1s = self.list("/indicators", get(fields, "indicators"), Part::Indicator);
        for (i, raw1) in level1s.iter().enumerate() {
            let at1 = format!("/indicators/{i}");
            let Some(level1) = self.node(&at1, raw1, NODE_FIELDS) else {
                continue;
            };
            let at1c = format!("{at1}/children");
            let level2s = self.list(&at1c, get(&level1, "children"), Part::Indicator);
            for (j, raw2) in level2s.iter().enumerate() {
                let at2 = format!("{at1c}/{j}");
                let Some(level2) = self.node(&at2, raw2, NODE_FIELDS) else {
                    continue;
                };
                let at2c = format!("{at2}/children");
                let leaves = self.list(&at2c, get(&level2, "children"), Part::Indicator);
                for (k, raw3) in leaves.iter().enumerate() {
                    let at3 = format!("{at2c}/{k}");
                    let Some(leaf) = self.node(&at3, raw3, LEAF_FIELDS) else {
                        continue;
                    };
                    self.text(&at3, &leaf, "target", Need::Blankable);
                    self.text(&at3, &leaf, "actual", Need::Blankable);
                    self.figure(&at3, &leaf, "declared_score", Figure::Score, false);
                    for key in ["operator", "unit", "deviation_reason"] {
                        self.text(&at3, &leaf, key, Need::Optional);
                    }
                    self.choice(&at3, &leaf, "method", METHODS, false);
                }
            }
        }
    }

    fn basic_data(&mut self, data: &Fields) {
        self.choice("/basic_data", data, "currency_unit", CURRENCY_UNITS, false);
        if let Some(raw) = get(data, "staffing") {
            let at = "/basic_data/staffing";
            if let Some(staffing) = self.object(at, raw, Part::Staffing, STAFFING_FIELDS) {
                self.figure(at, &staffing, "authorized", Figure::Count, false);
                self.figure(at, &staffing, "actual", Figure::Count, false);
                self.figure(at, &staffing, "declared_control_rate", Figure::Rate, false);
            }
        }
        let rows = self.list(
            "/basic_data/spending",
            get(data, "spending"),
            Part::SpendingRow,
        );
        for (i, raw) in rows.iter().enumerate() {
            let at = format!("/basic_data/spending/{i}");
            let Some(row) = self.object(&at, raw, Part::SpendingRow, SPENDING_FIELDS) else {
                continue;
            };
            self.text(&at, &row, "name", Need::Name);
            for key in ["actual", "budget", "last_year_actual"] {
                self.figure(&at, &row, key, Figure::Amount, false);
            }
            if let Some(parent) = get(&row, "parent") {
                let earlier =
                    serde_json::from_str::<usize>(parent.get()).is_ok_and(|parent| parent < i);
                if !earlier {
                    self.push(&format!("{at}/parent"), &Problem::ParentNotEarlier);
                }
            }
        }
        self.figure(
            "/basic_data",
            data,
            "government_procurement",
            Figure::Amount,
            false,
        );
        self.text("/basic_data", data, "frugality_measures", Need::Optional);
    }

    fn report(&mut self, report: &Fields) {
        self.text("/report", report, "method", Need::Optional);
        self.text("/report", report, "evaluator", Need::Optional);
        if let Some(date) = self.text("/report", report, "report_date", Need::Optional) {
            if chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").is_err() {
                self.push("/report/report_date", &Problem::NotADate);
            }
        }
        let sections = self.list(
            "/report/sections",
            get(report, "sections"),
            Part::ReportSection,
        );
        for (i, raw) in sections.iter().enumerate() {
            let at = format!("/report/sections/{i}");
            if let Some(section) = self.object(&at, raw, Part::ReportSection, SECTION_FIELDS) {
                self.text(&at, &section, "heading", Need::Name);
                self.text(&at, &section, "text", Need::Blankable);
            }
        }
    }

    /// An indicator at any level: its name and weight, both of which a draft may leave blank.
    fn node(&mut self, at: &str, raw: &RawValue, known: &[&str]) -> Option<Fields> {
        let node = self.object(at, raw, Part::Indicator, known)?;
        self.text(at, &node, "name", Need::Blankable);
        self.figure(at, &node, "weight", Figure::Weight, false);
        Some(node)
    }
}

/// The JSON pointer of a field serde skipped.
fn ignored_pointer(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path as P;
    match path {
        P::Root => String::new(),
        P::Seq { parent, index } => format!("{}/{index}", ignored_pointer(parent)),
        P::Map { parent, key } => format!("{}/{}", ignored_pointer(parent), escape(key)),
        P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
            ignored_pointer(parent)
        }
    }
}

/// A key as one step of a JSON pointer.
#[must_use]
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn unescape(step: &str) -> String {
    step.replace("~1", "/").replace("~0", "~")
}

/// The JSON pointer of a path serde reported.
#[must_use]
pub fn path_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(escape(key)),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .fold(String::new(), |mut out, part| {
            out.push('/');
            out.push_str(&part);
            out
        })
}

/// Points a missing field at the field itself, and says plainly when an indicator tree goes
/// deeper than three levels.
fn serde_field_error(pointer: String, error: &serde_json::Error) -> FieldError {
    let message = error.to_string();
    let detail = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_owned();
    let named = |prefix: &str| {
        detail
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    if let Some(field) = named("unknown field `") {
        let parent = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
        let parts: Vec<&str> = parent.split('/').skip(1).collect();
        let in_leaf = matches!(
            parts.as_slice(),
            ["indicators", _, "children", _, "children", _]
        );
        if field == "children" && in_leaf {
            return FieldError::problem(pointer, &Problem::TooDeep);
        }
        return FieldError::problem(pointer, &Problem::UnknownField(field));
    }
    if let Some(field) = named("missing field `") {
        return FieldError::problem(format!("{pointer}/{field}"), &Problem::Required);
    }
    FieldError::problem(pointer, &Problem::Other(detail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn seed() -> Value {
        serde_json::from_str(include_str!(
            "../../data/examples/hengyang-2020-department.json"
        ))
        .unwrap()
    }

    fn problems(document: &Value) -> Vec<(String, String)> {
        match read_document(&document.to_string(), None) {
            Ok(_) => Vec::new(),
            Err(ReadError::Invalid(errors)) => {
                errors.into_iter().map(|e| (e.pointer, e.code)).collect()
            }
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn the_seed_reads_without_problems() {
        assert_eq!(problems(&seed()), Vec::new());
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut form = seed();
        form.as_object_mut().unwrap().remove("kind");
        form["fiscal_year"] = json!("二〇二〇");
        form["funds"]["executed"] = json!("1，2");
        form["funds"]["surplus"] = json!("1");
        let leaf = &mut form["indicators"][0]["children"][0]["children"][0];
        leaf["method"] = json!("best");
        leaf["declared_score"] = json!(true);
        let found = problems(&form);
        let leaf_at = "/indicators/0/children/0/children/0";
        for (pointer, code) in [
            ("/kind", "required"),
            ("/fiscal_year", "not_a_year"),
            ("/funds/executed", "ambiguous_separator"),
            ("/funds/surplus", "unknown_field"),
            (&format!("{leaf_at}/method") as &str, "not_one_of"),
            (&format!("{leaf_at}/declared_score"), "not_a_score"),
        ] {
            assert!(
                found.contains(&(pointer.to_owned(), code.to_owned())),
                "{pointer} {code} in {found:?}"
            );
        }
        assert_eq!(found.len(), 6, "{found:?}");
    }

    #[test]
    fn years_read_from_numbers_and_text_in_either_width() {
        for (year, expected) in [
            (json!(2023), Ok(2023)),
            (json!("2023"), Ok(2023)),
            (json!("２０２３"), Ok(2023)),
            (json!("2023年"), Err("not_a_year")),
            (json!(20.5), Err("not_a_year")),
            (json!(1800), Err("year_out_of_range")),
        ] {
            let mut form = seed();
            form["fiscal_year"] = year.clone();
            let read = read_document(&form.to_string(), None);
            match (read, expected) {
                (Ok(document), Ok(expected)) => assert_eq!(document.fiscal_year, expected),
                (Err(ReadError::Invalid(errors)), Err(code)) => {
                    assert_eq!(errors[0].code, code, "{year}");
                    assert_eq!(errors[0].location.as_deref(), Some("年度"));
                }
                (other, _) => panic!("{year}: {other:?}"),
            }
        }
    }

    #[test]
    fn figures_in_full_width_read_as_their_ascii_form() {
        for (text, expected) in [
            ("２３９．３１", "239.31"),
            ("１，２３４．５０", "1234.50"),
            ("1、234", "1234"),
            ("11,122,315.04", "11122315.04"),
        ] {
            assert_eq!(
                read_figure(text, Figure::Amount),
                Ok(expected.parse().unwrap())
            );
        }
        assert_eq!(
            read_figure("１００．００％", Figure::Rate),
            Ok("100.00".parse().unwrap())
        );
        for text in ["1，2", "12、3456", "1,2"] {
            assert_eq!(
                read_figure(text, Figure::Amount),
                Err(Problem::AmbiguousSeparator(Figure::Amount, text.to_owned())),
                "{text}"
            );
        }
        assert_eq!(
            read_figure("－5", Figure::Weight),
            Err(Problem::Negative(Figure::Weight))
        );
        assert_eq!(
            read_figure("十", Figure::Weight),
            Err(Problem::NotAFigure(Figure::Weight))
        );
    }

    #[test]
    fn a_leaf_with_children_is_too_deep_and_a_wrong_part_says_what_belongs_there() {
        let mut form = seed();
        form["indicators"][0]["children"][0]["children"][0]["children"] = json!([]);
        form["unit"] = json!("某单位");
        let found = problems(&form);
        assert!(found.contains(&(
            "/indicators/0/children/0/children/0/children".into(),
            "too_deep".into()
        )));
        assert!(found.contains(&("/unit".into(), "not_an_object".into())));
    }
}

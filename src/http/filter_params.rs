//! The filters of a list, its exports and its statistics (each repeatable, meaning "any of
//! these"), and their reading into a storage filter. Enum filters take codes or the Chinese
//! labels the service shows, and a bad value is answered with the values allowed.

use utoipa::IntoParams;

use crate::domain::access::Visibility;
use crate::domain::document::FormKind;
use crate::domain::lifecycle::Status;
use crate::domain::messages::Detail;
use crate::domain::placement::RegionPrefix;
use crate::domain::ruleset::GradeCode;
use crate::domain::rulesets::Rulesets;
use crate::domain::scoring::findings::FindingCode;
use crate::domain::validation::{FISCAL_YEARS, FieldError};
use crate::domain::value::normalize;
use crate::error::ApiError;
use crate::storage::listing::ListFilter;

/// Which forms: filters combine with AND; a filter given more than once matches any of its
/// values (`fiscal_year=2020&fiscal_year=2021`: either year).
#[derive(Debug, Default, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilterParams {
    /// Only forms of these years; repeat for several.
    #[param(value_type = Vec<i32>, minimum = 1990, maximum = 2100, explode, style = Form)]
    #[serde(default)]
    pub(super) fiscal_year: Vec<String>,
    /// Only forms of these kinds; repeat for several. Each by code, or by its label:
    /// `department` (部门整体支出), `project` (项目支出).
    #[param(value_type = Vec<FormKind>, explode, style = Form)]
    #[serde(default)]
    pub(super) kind: Vec<String>,
    /// Only forms of these units, each by its name or budget code; repeat for several.
    #[param(value_type = Vec<String>, explode, style = Form)]
    #[serde(default)]
    pub(super) unit: Vec<String>,
    /// Only forms of units registered under these 主管部门 (department budget codes); repeat
    /// for several. A form takes its unit's department from the unit registry, by
    /// `unit.code`; forms of unregistered units never match.
    #[param(value_type = Vec<String>, explode, style = Form)]
    #[serde(default)]
    pub(super) department: Vec<String>,
    /// Only forms of units registered in these 行政区划; repeat for several. A six-digit code
    /// matches that region (`430421`, 衡阳县); two or four digits match every region they
    /// begin (`43`: 湖南省, `4304`: 衡阳市). Taken from the unit registry as `department` is.
    #[param(value_type = Vec<String>, explode, style = Form)]
    #[serde(default)]
    pub(super) region: Vec<String>,
    /// Only forms whose shown grade (`grade`: the review grade of an approved form with review
    /// scores, else the rule grade) is one of these; repeat for several. Each by code, or by
    /// any label or alias a ruleset in force gives the grade (`优`/`优秀`, `良`/`良好`,
    /// `中`/`中等`/`较差`, `差` with the built-in rulesets).
    #[param(value_type = Vec<GradeCode>, explode, style = Form)]
    #[serde(default)]
    pub(super) grade: Vec<String>,
    /// Only forms whose rule grade (`rule_grade`, the grade of the computed total) is one of
    /// these; codes or labels as for `grade`.
    #[param(value_type = Vec<GradeCode>, explode, style = Form)]
    #[serde(default)]
    pub(super) rule_grade: Vec<String>,
    /// Only forms whose declared grade (`declared_grade`, as the form's ruleset reads it) is
    /// one of these; codes or labels as for `grade`. Forms declaring no readable grade never
    /// match.
    #[param(value_type = Vec<GradeCode>, explode, style = Form)]
    #[serde(default)]
    pub(super) declared_grade: Vec<String>,
    /// Only forms whose review grade (`review_grade`) is one of these; codes or labels as for
    /// `grade`. Forms without review scores never match.
    #[param(value_type = Vec<GradeCode>, explode, style = Form)]
    #[serde(default)]
    pub(super) review_grade: Vec<String>,
    /// Only forms in these review states; repeat for several. Each by code, or by its label:
    /// `draft` (草稿), `submitted` (已提交), `returned` (已退回), `approved` (已审核).
    #[param(value_type = Vec<Status>, explode, style = Form)]
    #[serde(default)]
    pub(super) status: Vec<String>,
    /// Only forms having any of these findings, by code (`rule_grade_differs`,
    /// `declared_total_differs` …); repeat for several.
    #[param(value_type = Vec<FindingCode>, explode, style = Form)]
    #[serde(default)]
    pub(super) finding: Vec<String>,
    /// `true`: only overdue forms (not submitted although the deadline has passed); `false`:
    /// only forms that are not overdue.
    #[param(value_type = bool, required = false)]
    pub(super) overdue: Option<String>,
    /// `true`: only complete forms (nothing missing, so they can be submitted); `false`: only
    /// incomplete drafts.
    #[param(value_type = bool, required = false)]
    pub(super) complete: Option<String>,
    /// Only forms changed at or after this time (RFC 3339, e.g. `2021-07-13T08:00:00Z`), for
    /// fetching what changed since the last sync: pass the largest `updated_at` seen (it
    /// comes back again, so nothing changed in the same millisecond is missed).
    #[param(value_type = String, format = DateTime, required = false)]
    pub(super) updated_since: Option<String>,
    /// Only forms whose unit or project name contains this text (white space and full-width
    /// forms folded as names are compared); repeat for any of several.
    #[param(value_type = Vec<String>, explode, style = Form)]
    #[serde(default)]
    pub(super) q: Vec<String>,
}

impl FilterParams {
    /// Reads every filter, naming each bad one with the values it allows. Grade labels are
    /// those of `rulesets`.
    ///
    /// # Errors
    /// `BadRequest` naming each bad parameter.
    pub fn parse(self, rulesets: &Rulesets) -> Result<ListFilter, ApiError> {
        let mut errors = Vec::new();
        let filter = self.read(rulesets, &mut errors);
        finish(errors)?;
        Ok(filter)
    }

    /// Reads every filter, recording each bad one in `errors`.
    pub(super) fn read(self, rulesets: &Rulesets, errors: &mut Vec<FieldError>) -> ListFilter {
        let fiscal_years = each(errors, "fiscal_year", self.fiscal_year, year, || {
            format!(
                "a year from {} to {}",
                FISCAL_YEARS.start(),
                FISCAL_YEARS.end()
            )
        });
        let kinds = each(errors, "kind", self.kind, kind, || {
            listed(FormKind::ALL.map(|k| (k.as_str().to_owned(), vec![k.label()])))
        });
        let mut grades = |name: &str, values: Vec<String>| {
            each(
                errors,
                name,
                values,
                |text| grade(text, rulesets),
                || {
                    listed(
                        GradeCode::ALL
                            .map(|g| (g.as_str().to_owned(), rulesets.grade_names(g)))
                            .to_vec(),
                    )
                },
            )
        };
        let shown_grades = grades("grade", self.grade);
        let rule_grades = grades("rule_grade", self.rule_grade);
        let declared_grades = grades("declared_grade", self.declared_grade);
        let review_grades = grades("review_grade", self.review_grade);
        let statuses = each(errors, "status", self.status, status, || {
            listed(Status::ALL.map(|s| (s.as_str().to_owned(), vec![s.label()])))
        });
        let findings = each(errors, "finding", self.finding, finding, || {
            FindingCode::ALL.map(FindingCode::as_str).join(", ")
        });
        let regions = each(
            errors,
            "region",
            self.region,
            |text| RegionPrefix::parse(text).map(|r| vec![r]),
            || "2, 4 or 6 digits of a 行政区划 code (43, 4304, 430421)".to_owned(),
        );
        let overdue = one(errors, "overdue", self.overdue, switch, || {
            "true, false".to_owned()
        });
        let complete = one(errors, "complete", self.complete, switch, || {
            "true, false".to_owned()
        });
        let updated_since = one(errors, "updated_since", self.updated_since, instant, || {
            "an RFC 3339 date and time with its offset (2021-07-13T08:00:00Z)".to_owned()
        });
        ListFilter {
            findings,
            overdue,
            complete,
            updated_since,
            // A blank text is no filter, as a search box left empty sends it.
            texts: unique(
                self.q
                    .iter()
                    .map(|q| normalize(q))
                    .filter(|q| !q.is_empty())
                    .map(|q| vec![q]),
            ),
            fiscal_years,
            kinds,
            // A blank unit is no filter, as a form that leaves the field blank sends it.
            units: unique(
                self.unit
                    .into_iter()
                    .filter(|u| !u.is_empty())
                    .map(|u| vec![u]),
            ),
            // A blank department is no filter, as for units.
            departments: unique(
                self.department
                    .iter()
                    .map(|d| d.trim())
                    .filter(|d| !d.is_empty())
                    .map(|d| vec![d.to_owned()]),
            ),
            regions,
            grades: shown_grades,
            rule_grades,
            declared_grades,
            review_grades,
            statuses,
            visibility: Visibility::default(),
        }
    }
}

/// The 400 naming every bad parameter, if any was.
pub(super) fn finish(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::BadRequest {
            detail: Detail::QueryInvalid,
            errors,
        })
    }
}

fn finding(text: &str) -> Option<Vec<FindingCode>> {
    let code = FindingCode::ALL.into_iter().find(|f| f.as_str() == text)?;
    Some(vec![code])
}

fn switch(text: &str) -> Option<bool> {
    match text {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// An RFC 3339 time as `updated_at` is stored (UTC, milliseconds), so that the two compare
/// as text.
fn instant(text: &str) -> Option<String> {
    let time = chrono::DateTime::parse_from_rfc3339(text).ok()?;
    Some(
        time.with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    )
}

fn year(text: &str) -> Option<Vec<i32>> {
    let year = text.parse().ok().filter(|y| FISCAL_YEARS.contains(y))?;
    Some(vec![year])
}

fn kind(text: &str) -> Option<Vec<FormKind>> {
    let kind = FormKind::ALL
        .into_iter()
        .find(|k| k.as_str() == text || k.label() == text)?;
    Some(vec![kind])
}

/// A grade code, or the grades rulesets in force name so (one, unless two rulesets give the
/// same label to different grades: then any of them).
fn grade(text: &str, rulesets: &Rulesets) -> Option<Vec<GradeCode>> {
    if let Some(code) = GradeCode::ALL.into_iter().find(|g| g.as_str() == text) {
        return Some(vec![code]);
    }
    Some(rulesets.grades_named(text)).filter(|codes| !codes.is_empty())
}

fn status(text: &str) -> Option<Vec<Status>> {
    let status = Status::ALL
        .into_iter()
        .find(|s| s.as_str() == text || s.label() == text)?;
    Some(vec![status])
}

/// Every value of a repeatable filter read (each may stand for several), without repeats; a
/// value that cannot be read is recorded with what is allowed.
pub(super) fn each<T: PartialEq>(
    errors: &mut Vec<FieldError>,
    name: &str,
    values: Vec<String>,
    read: impl Fn(&str) -> Option<Vec<T>>,
    allowed: impl Fn() -> String,
) -> Vec<T> {
    let read_values = values.into_iter().filter_map(|value| {
        let read = read(&value);
        if read.is_none() {
            errors.push(refusal(name, &value, &allowed()));
        }
        read
    });
    unique(read_values)
}

/// A parameter given once, read; recorded with what is allowed when it cannot be read.
pub(super) fn one<T>(
    errors: &mut Vec<FieldError>,
    name: &str,
    value: Option<String>,
    read: impl Fn(&str) -> Option<T>,
    allowed: impl Fn() -> String,
) -> Option<T> {
    let value = value?;
    let read = read(&value);
    if read.is_none() {
        errors.push(refusal(name, &value, &allowed()));
    }
    read
}

fn refusal(name: &str, value: &str, allowed: &str) -> FieldError {
    FieldError::worded(
        format!("/{name}"),
        format!("`{value}` 不是有效的 {name}；可用的值：{allowed}"),
        format!("`{value}` is not a valid {name}; allowed: {allowed}"),
    )
}

pub(super) fn unique<T: PartialEq>(groups: impl Iterator<Item = Vec<T>>) -> Vec<T> {
    let mut all = Vec::new();
    for value in groups.flatten() {
        if !all.contains(&value) {
            all.push(value);
        }
    }
    all
}

/// Codes with their labels: `department (部门整体支出), project (项目支出)`.
pub(super) fn listed<'a>(choices: impl IntoIterator<Item = (String, Vec<&'a str>)>) -> String {
    choices
        .into_iter()
        .map(|(code, labels)| {
            if labels.is_empty() {
                code
            } else {
                format!("{code} ({})", labels.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

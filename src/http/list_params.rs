//! The query of a list: filters (each repeatable, meaning "any of these"), order and page, and
//! their reading into a storage filter. Enum filters take codes or the Chinese labels the
//! service shows, and a bad value is answered with the values allowed.

use utoipa::IntoParams;

use crate::domain::access::Visibility;
use crate::domain::document::FormKind;
use crate::domain::lifecycle::Status;
use crate::domain::ruleset::GradeCode;
use crate::domain::rulesets::Rulesets;
use crate::domain::validation::{FISCAL_YEARS, FieldError};
use crate::error::ApiError;
use crate::storage::listing::{Cursor, ListFilter, SortOrder};

/// Filters, order and page of a list. Filters combine with AND; a filter given more than once
/// matches any of its values (`fiscal_year=2020&fiscal_year=2021`: either year). A parameter
/// the list does not take, or `sort`, `limit` or `cursor` given twice, is a 400.
#[derive(Debug, Default, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only forms of these years; repeat for several.
    #[param(value_type = Vec<i32>, minimum = 1990, maximum = 2100, explode, style = Form)]
    #[serde(default)]
    fiscal_year: Vec<String>,
    /// Only forms of these kinds; repeat for several. Each by code, or by its label:
    /// `department` (部门整体支出), `project` (项目支出).
    #[param(value_type = Vec<FormKind>, explode, style = Form)]
    #[serde(default)]
    kind: Vec<String>,
    /// Only forms of these units, each by its name or budget code; repeat for several.
    #[param(value_type = Vec<String>, explode, style = Form)]
    #[serde(default)]
    unit: Vec<String>,
    /// Only forms whose computed grade is one of these; repeat for several. Each by code, or
    /// by any label or alias a ruleset in force gives the grade (`优`/`优秀`, `良`/`良好`,
    /// `中`/`中等`/`较差`, `差` with the built-in rulesets).
    #[param(value_type = Vec<GradeCode>, explode, style = Form)]
    #[serde(default)]
    grade: Vec<String>,
    /// Only forms in these review states; repeat for several. Each by code, or by its label:
    /// `draft` (草稿), `submitted` (已提交), `returned` (已退回), `approved` (已审核).
    #[param(value_type = Vec<Status>, explode, style = Form)]
    #[serde(default)]
    status: Vec<String>,
    /// Sort order; a leading `-` sorts descending. Default `id` (oldest first). The label of
    /// the column sorted by is taken too: `编号`, `年度`, `规则总分`, `更新时间`, `单位`
    /// (`-规则总分`: highest total first).
    #[param(value_type = SortOrder, required = false)]
    sort: Option<String>,
    /// Page size, 1 to 200; default 50.
    #[param(value_type = u32, minimum = 1, maximum = 200, required = false)]
    limit: Option<String>,
    /// `next_cursor` of the previous page, with the same `sort`.
    #[param(value_type = String, required = false)]
    cursor: Option<String>,
}

/// The largest page a list returns.
pub const MAX_PAGE: u32 = 200;
const DEFAULT_PAGE: u32 = 50;

/// A list query read and checked.
pub struct ListQuery {
    /// Which forms.
    pub filter: ListFilter,
    /// In which order.
    pub sort: SortOrder,
    /// How many on a page.
    pub limit: u32,
    /// Where the page starts.
    pub cursor: Option<Cursor>,
}

impl ListParams {
    /// Reads every parameter, naming each bad one with the values it allows. Grade labels are
    /// those of `rulesets`.
    ///
    /// # Errors
    /// `BadRequest` naming each bad parameter.
    pub fn parse(self, rulesets: &Rulesets) -> Result<ListQuery, ApiError> {
        let mut errors = Vec::new();
        let fiscal_years = each(&mut errors, "fiscal_year", self.fiscal_year, year, || {
            format!(
                "a year from {} to {}",
                FISCAL_YEARS.start(),
                FISCAL_YEARS.end()
            )
        });
        let kinds = each(&mut errors, "kind", self.kind, kind, || {
            listed(FormKind::ALL.map(|k| (k.as_str().to_owned(), vec![k.label()])))
        });
        let grades = each(
            &mut errors,
            "grade",
            self.grade,
            |text| grade(text, rulesets),
            || {
                listed(
                    GradeCode::ALL
                        .map(|g| (g.as_str().to_owned(), rulesets.grade_names(g)))
                        .to_vec(),
                )
            },
        );
        let statuses = each(&mut errors, "status", self.status, status, || {
            listed(Status::ALL.map(|s| (s.as_str().to_owned(), vec![s.label()])))
        });
        let sort = one(&mut errors, "sort", self.sort, sort, || {
            let orders = SortOrder::ALL.map(|s| (s.name(), s.label()));
            listed(
                orders
                    .iter()
                    .map(|(name, label)| (name.clone(), vec![label.as_str()])),
            )
        })
        .unwrap_or_default();
        let limit = one(&mut errors, "limit", self.limit, limit, || {
            format!("a whole number from 1 to {MAX_PAGE}")
        });
        // `?cursor=` is the first page, as a form that leaves the field blank sends it.
        let cursor = self.cursor.filter(|c| !c.is_empty());
        let cursor = cursor.and_then(|text| {
            Cursor::decode(&text, sort)
                .map_err(|_| {
                    errors.push(FieldError::new(
                        "/cursor",
                        "not a cursor this list issued for this sort order; start again without a cursor",
                    ));
                })
                .ok()
        });
        if !errors.is_empty() {
            return Err(ApiError::BadRequest {
                detail: "invalid query parameters".into(),
                errors,
            });
        }
        Ok(ListQuery {
            filter: ListFilter {
                fiscal_years,
                kinds,
                // A blank unit is no filter, as a form that leaves the field blank sends it.
                units: unique(
                    self.unit
                        .into_iter()
                        .filter(|u| !u.is_empty())
                        .map(|u| vec![u]),
                ),
                grades,
                statuses,
                visibility: Visibility::default(),
            },
            sort,
            limit: limit.unwrap_or(DEFAULT_PAGE),
            cursor,
        })
    }
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

fn sort(text: &str) -> Option<SortOrder> {
    SortOrder::ALL
        .into_iter()
        .find(|s| s.name() == text || s.label() == text)
}

fn limit(text: &str) -> Option<u32> {
    text.parse().ok().filter(|n| (1..=MAX_PAGE).contains(n))
}

/// Every value of a repeatable filter read (each may stand for several), without repeats; a
/// value that cannot be read is recorded with what is allowed.
fn each<T: PartialEq>(
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
fn one<T>(
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
    FieldError::new(
        format!("/{name}"),
        format!("`{value}` is not a valid {name}; allowed: {allowed}"),
    )
}

fn unique<T: PartialEq>(groups: impl Iterator<Item = Vec<T>>) -> Vec<T> {
    let mut all = Vec::new();
    for value in groups.flatten() {
        if !all.contains(&value) {
            all.push(value);
        }
    }
    all
}

/// Codes with their labels: `department (部门整体支出), project (项目支出)`.
fn listed<'a>(choices: impl IntoIterator<Item = (String, Vec<&'a str>)>) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rulesets() -> Rulesets {
        Rulesets::built_in("national-2020").unwrap()
    }

    fn params(pairs: &[(&str, &str)]) -> ListParams {
        let mut params = ListParams::default();
        for (name, value) in pairs {
            let value = (*value).to_owned();
            match *name {
                "fiscal_year" => params.fiscal_year.push(value),
                "kind" => params.kind.push(value),
                "unit" => params.unit.push(value),
                "grade" => params.grade.push(value),
                "status" => params.status.push(value),
                "sort" => params.sort = Some(value),
                "limit" => params.limit = Some(value),
                _ => params.cursor = Some(value),
            }
        }
        params
    }

    fn details(pairs: &[(&str, &str)]) -> Vec<String> {
        match params(pairs).parse(&rulesets()) {
            Err(ApiError::BadRequest { errors, .. }) => {
                errors.into_iter().map(|e| e.detail).collect()
            }
            other => panic!("{pairs:?}: {:?}", other.map(|q| q.filter)),
        }
    }

    #[test]
    fn labels_read_as_their_codes() {
        let query = params(&[
            ("kind", "部门整体支出"),
            ("grade", "优秀"),
            ("grade", "良"),
            ("status", "已审核"),
            ("sort", "-规则总分"),
        ])
        .parse(&rulesets())
        .unwrap();
        assert_eq!(query.filter.kinds, [FormKind::Department]);
        assert_eq!(query.filter.grades, [GradeCode::Excellent, GradeCode::Good]);
        assert_eq!(query.filter.statuses, [Status::Approved]);
        assert_eq!(query.sort, SortOrder::TotalDesc);
    }

    #[test]
    fn repeated_values_count_once() {
        let query = params(&[
            ("fiscal_year", "2020"),
            ("fiscal_year", "2020"),
            ("grade", "excellent"),
            ("grade", "优"),
            ("unit", ""),
        ])
        .parse(&rulesets())
        .unwrap();
        assert_eq!(query.filter.fiscal_years, [2020]);
        assert_eq!(query.filter.grades, [GradeCode::Excellent]);
        assert!(query.filter.units.is_empty(), "a blank unit is no filter");
    }

    #[test]
    fn a_bad_value_is_answered_with_the_values_allowed() {
        assert_eq!(
            details(&[("kind", "foo")]),
            ["`foo` is not a valid kind; allowed: department (部门整体支出), project (项目支出)"]
        );
        let grade = &details(&[("grade", "极好")])[0];
        assert!(grade.contains("excellent (优, 优秀"), "{grade}");
        assert!(grade.contains("poor (差)"), "{grade}");
        let status = &details(&[("status", "done")])[0];
        assert!(status.contains("approved (已审核)"), "{status}");
        let sort = &details(&[("sort", "total desc")])[0];
        assert!(sort.contains("-total (-规则总分)"), "{sort}");
        assert!(details(&[("limit", "0")])[0].contains("from 1 to 200"));
        assert!(details(&[("fiscal_year", "1989")])[0].contains("from 1990 to 2100"));
        assert_eq!(details(&[("kind", "x"), ("kind", "y")]).len(), 2);
    }

    #[test]
    fn the_sort_labels_are_the_list_export_headings() {
        for order in SortOrder::ALL {
            let label = order.label();
            let heading = label.trim_start_matches('-');
            assert!(
                heading == "更新时间" || crate::render::xlsx::LIST_HEADINGS.contains(&heading),
                "{label}"
            );
            assert_eq!(sort(&label), Some(order));
            assert_eq!(sort(&order.name()), Some(order));
        }
    }
}

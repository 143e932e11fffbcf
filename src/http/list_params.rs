//! The order and page of a list, read beside its filters ([`FilterParams`]).

use utoipa::IntoParams;

use super::filter_params::{FilterParams, finish, listed, one};
use crate::domain::rulesets::Rulesets;
use crate::domain::validation::FieldError;
use crate::error::ApiError;
use crate::storage::listing::{Cursor, ListFilter, SortOrder};

/// Order and page of a list. `sort`, `limit` or `cursor` given twice is a 400.
#[derive(Debug, Default, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Sort order; a leading `-` sorts descending. Default `id` (oldest first). The label of
    /// the column sorted by is taken too: `编号`, `年度`, `规则总分`, `更新时间`, `单位`
    /// (`-规则总分`: highest total first).
    #[param(value_type = SortOrder, required = false)]
    sort: Option<String>,
    /// Page size, 1 to 1000; default 50.
    #[param(value_type = u32, minimum = 1, maximum = 1000, required = false)]
    limit: Option<String>,
    /// `next_cursor` of the previous page, with the same `sort`.
    #[param(value_type = String, required = false)]
    cursor: Option<String>,
    /// `true`: the page also says in `total_count` how many forms match on all pages.
    #[param(value_type = bool, required = false)]
    include_count: Option<String>,
}

/// The largest page a list returns.
pub const MAX_PAGE: u32 = 1000;
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
    /// Whether to count the forms on all pages.
    pub include_count: bool,
}

impl ListParams {
    /// Reads every parameter with the `filters`, naming each bad one with the values it
    /// allows. Grade labels are those of `rulesets`.
    ///
    /// # Errors
    /// `BadRequest` naming each bad parameter.
    pub fn parse(self, filters: FilterParams, rulesets: &Rulesets) -> Result<ListQuery, ApiError> {
        let mut errors = Vec::new();
        let filter = filters.read(rulesets, &mut errors);
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
        let include_count = one(
            &mut errors,
            "include_count",
            self.include_count,
            |text| match text {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            || "true, false".to_owned(),
        )
        .unwrap_or(false);
        // `?cursor=` is the first page, as a form that leaves the field blank sends it.
        let cursor = self.cursor.filter(|c| !c.is_empty());
        let cursor = cursor.and_then(|text| {
            Cursor::decode(&text, sort)
                .map_err(|_| {
                    errors.push(FieldError::worded(
                        "/cursor",
                        "不是本列表按此排序发出的游标；请去掉 cursor 重新开始",
                        "not a cursor this list issued for this sort order; start again without a cursor",
                    ));
                })
                .ok()
        });
        finish(errors)?;
        Ok(ListQuery {
            filter,
            sort,
            limit: limit.unwrap_or(DEFAULT_PAGE),
            cursor,
            include_count,
        })
    }
}

fn sort(text: &str) -> Option<SortOrder> {
    SortOrder::ALL
        .into_iter()
        .find(|s| s.name() == text || s.label() == text)
}

fn limit(text: &str) -> Option<u32> {
    text.parse().ok().filter(|n| (1..=MAX_PAGE).contains(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::document::FormKind;
    use crate::domain::lifecycle::Status;
    use crate::domain::ruleset::GradeCode;

    fn rulesets() -> Rulesets {
        Rulesets::built_in("national-2020").unwrap()
    }

    fn params(pairs: &[(&str, &str)]) -> (ListParams, FilterParams) {
        let mut params = ListParams::default();
        let mut filters = FilterParams::default();
        for (name, value) in pairs {
            let value = (*value).to_owned();
            match *name {
                "fiscal_year" => filters.fiscal_year.push(value),
                "kind" => filters.kind.push(value),
                "unit" => filters.unit.push(value),
                "grade" => filters.grade.push(value),
                "rule_grade" => filters.rule_grade.push(value),
                "status" => filters.status.push(value),
                "sort" => params.sort = Some(value),
                "limit" => params.limit = Some(value),
                _ => params.cursor = Some(value),
            }
        }
        (params, filters)
    }

    fn parse(pairs: &[(&str, &str)]) -> Result<ListQuery, ApiError> {
        let (params, filters) = params(pairs);
        params.parse(filters, &rulesets())
    }

    fn details(pairs: &[(&str, &str)]) -> Vec<String> {
        match parse(pairs) {
            Err(ApiError::BadRequest { errors, .. }) => {
                // The English wording, which names each parameter's values as the API does.
                errors
                    .into_iter()
                    .map(|e| e.english.unwrap_or(e.detail))
                    .collect()
            }
            other => panic!("{pairs:?}: {:?}", other.map(|q| q.filter)),
        }
    }

    #[test]
    fn labels_read_as_their_codes() {
        let query = parse(&[
            ("kind", "部门整体支出"),
            ("grade", "优秀"),
            ("grade", "良"),
            ("rule_grade", "差"),
            ("status", "已审核"),
            ("sort", "-规则总分"),
        ])
        .unwrap();
        assert_eq!(query.filter.kinds, [FormKind::Department]);
        assert_eq!(query.filter.grades, [GradeCode::Excellent, GradeCode::Good]);
        assert_eq!(query.filter.rule_grades, [GradeCode::Poor]);
        assert_eq!(query.filter.statuses, [Status::Approved]);
        assert_eq!(query.sort, SortOrder::TotalDesc);
    }

    #[test]
    fn repeated_values_count_once() {
        let query = parse(&[
            ("fiscal_year", "2020"),
            ("fiscal_year", "2020"),
            ("grade", "excellent"),
            ("grade", "优"),
            ("unit", ""),
        ])
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
        let rule_grade = &details(&[("rule_grade", "极好")])[0];
        assert!(
            rule_grade.starts_with("`极好` is not a valid rule_grade"),
            "{rule_grade}"
        );
        let status = &details(&[("status", "done")])[0];
        assert!(status.contains("approved (已审核)"), "{status}");
        let sort = &details(&[("sort", "total desc")])[0];
        assert!(sort.contains("-total (-规则总分)"), "{sort}");
        assert!(details(&[("limit", "0")])[0].contains("from 1 to 1000"));
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

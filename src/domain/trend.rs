//! A unit's forms year by year, each with the change of its rule total from the year before.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::decimal::Dec;
use crate::domain::lifecycle::Status;
use crate::domain::ruleset::GradeCode;
use crate::domain::scoring::result::Grade;
use crate::domain::stats::percent;

/// One form in a unit's trend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TrendPoint {
    /// The form's id.
    pub id: i64,
    /// The year evaluated.
    pub fiscal_year: i32,
    /// The project, on project forms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_name: Option<String>,
    /// Where it stands in review.
    pub status: Status,
    /// The rule (computed) total.
    pub total: Dec,
    /// The grade of the rule total.
    pub rule_grade: Grade,
    /// The unit's declared total.
    pub declared_total: Option<Dec>,
    /// The declared grade, as the form's ruleset reads it.
    pub declared_grade_code: Option<GradeCode>,
    /// The review total, once review scores are recorded.
    pub review_total: Option<Dec>,
    /// The review grade, once review scores are recorded.
    pub review_grade: Option<Grade>,
    /// 全年执行数 as a percentage of 全年预算数, to two places; `null` without a budget.
    pub execution_rate: Option<Dec>,
    /// The rule total minus that of the previous form shown of the same project (the unit's
    /// department form of an earlier year); `null` for the first.
    pub total_change: Option<Dec>,
}

/// A stored form with its funds in 万元 and the key of its project (empty on department
/// forms), before its change is worked out.
#[derive(Clone, Debug)]
pub struct TrendRow {
    /// The point, with `execution_rate` and `total_change` still unset.
    pub point: TrendPoint,
    /// Its project, folded; forms of one project are compared with each other.
    pub project_key: String,
    /// 全年预算数 in 万元.
    pub annual_budget: Option<Decimal>,
    /// 全年执行数 in 万元.
    pub executed: Option<Decimal>,
}

/// The points oldest first (then by id), each compared with the previous of its project.
#[must_use]
pub fn trend(mut rows: Vec<TrendRow>) -> Vec<TrendPoint> {
    rows.sort_by_key(|r| (r.point.fiscal_year, r.point.id));
    let mut previous: Vec<(String, Decimal)> = Vec::new();
    rows.into_iter()
        .map(|row| {
            let mut point = row.point;
            let total = point.total.0;
            point.execution_rate = match (row.executed, row.annual_budget) {
                (Some(executed), Some(budget)) => percent(executed, budget),
                _ => None,
            };
            match previous.iter_mut().find(|(key, _)| *key == row.project_key) {
                Some((_, last)) => {
                    point.total_change = Some(Dec(total - *last));
                    *last = total;
                }
                None => {
                    point.total_change = None;
                    previous.push((row.project_key, total));
                }
            }
            point
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, year: i32, total: &str, project: &str) -> TrendRow {
        TrendRow {
            point: TrendPoint {
                id,
                fiscal_year: year,
                project_name: None,
                status: Status::Approved,
                total: Dec(total.parse().unwrap()),
                rule_grade: Grade {
                    code: GradeCode::Good,
                    label: "良".into(),
                },
                declared_total: None,
                declared_grade_code: None,
                review_total: None,
                review_grade: None,
                execution_rate: None,
                total_change: None,
            },
            project_key: project.into(),
            annual_budget: Some("254.48".parse().unwrap()),
            executed: Some("239.31".parse().unwrap()),
        }
    }

    #[test]
    fn each_form_is_compared_with_the_previous_of_its_project() {
        let points = trend(vec![
            row(3, 2021, "87.01", ""),
            row(1, 2019, "93.55", ""),
            row(2, 2020, "75.04", "路"),
            row(4, 2021, "58.08", "路"),
        ]);
        let changes: Vec<_> = points
            .iter()
            .map(|p| (p.id, p.total_change.map(|d| d.0.to_string())))
            .collect();
        assert_eq!(
            changes,
            [
                (1, None),
                (2, None),
                (3, Some("-6.54".into())),
                (4, Some("-16.96".into())),
            ]
        );
        assert_eq!(points[0].execution_rate.unwrap().0.to_string(), "94.04");
    }
}

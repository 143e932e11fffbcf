//! Statistics over a set of forms for a dashboard: counts, score figures, grade shares, funds
//! and differences, overall and by groups. Pure: fed the summary rows storage selects, it
//! reads no document and does no I/O. Every sum is exact; means and rates are rounded half up
//! to two places only when shown.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::decimal::{Dec, round2};
use super::document::{CurrencyUnit, FormKind};
use super::lifecycle::Status;
use super::ruleset::GradeCode;
use super::scoring::findings::FindingCounts;

/// What one form contributes: its summary columns, amounts already in 万元.
#[derive(Clone, Debug, PartialEq)]
pub struct StatsRow {
    /// The year evaluated.
    pub fiscal_year: i32,
    /// Department or project form.
    pub kind: FormKind,
    /// Where it stands in review.
    pub status: Status,
    /// The ruleset's id.
    pub ruleset: String,
    /// The unit's name.
    pub unit_name: String,
    /// The unit's budget code.
    pub unit_code: Option<String>,
    /// The unit's 主管部门, from the registry.
    pub department: Option<String>,
    /// The unit's 行政区划 code, from the registry.
    pub region: Option<String>,
    /// The grade shown (review grade of an approved reviewed form, else rule grade).
    pub grade: GradeCode,
    /// The grade of the rule total.
    pub rule_grade: GradeCode,
    /// The declared grade as the form's ruleset reads it.
    pub declared_grade: Option<GradeCode>,
    /// The review grade.
    pub review_grade: Option<GradeCode>,
    /// The rule total.
    pub total: Decimal,
    /// The declared total.
    pub declared_total: Option<Decimal>,
    /// The review total.
    pub review_total: Option<Decimal>,
    /// 全年预算数 in 万元.
    pub annual_budget: Option<Decimal>,
    /// 全年执行数 in 万元.
    pub executed: Option<Decimal>,
    /// Overdue today.
    pub overdue: bool,
    /// Findings by severity.
    pub findings: FindingCounts,
}

/// An amount of a form's funds block in 万元, whatever unit the form writes it in; exact.
#[must_use]
pub fn in_wan(amount: Decimal, unit: CurrencyUnit) -> Decimal {
    match unit {
        CurrencyUnit::TenThousandYuan => amount,
        CurrencyUnit::Yuan => amount / Decimal::from(10_000),
    }
}

/// What forms can be grouped by.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// The year evaluated.
    FiscalYear,
    /// Department or project form.
    Kind,
    /// The grade shown.
    Grade,
    /// The grade of the rule total.
    RuleGrade,
    /// The declared grade.
    DeclaredGrade,
    /// The review grade.
    ReviewGrade,
    /// Where forms stand in review.
    Status,
    /// The ruleset's id.
    Ruleset,
    /// The unit (name and budget code).
    Unit,
    /// The unit's registered 主管部门; `null` for units without one.
    Department,
    /// The unit's registered 行政区划 code; `null` for units without one.
    Region,
}

impl Dimension {
    /// Every dimension.
    pub const ALL: [Self; 11] = [
        Self::FiscalYear,
        Self::Kind,
        Self::Grade,
        Self::RuleGrade,
        Self::DeclaredGrade,
        Self::ReviewGrade,
        Self::Status,
        Self::Ruleset,
        Self::Unit,
        Self::Department,
        Self::Region,
    ];

    /// The name in `group_by` and in group keys.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FiscalYear => "fiscal_year",
            Self::Kind => "kind",
            Self::Grade => "grade",
            Self::RuleGrade => "rule_grade",
            Self::DeclaredGrade => "declared_grade",
            Self::ReviewGrade => "review_grade",
            Self::Status => "status",
            Self::Ruleset => "ruleset",
            Self::Unit => "unit",
            Self::Department => "department",
            Self::Region => "region",
        }
    }
}

/// The most dimensions one request groups by.
pub const MAX_DIMENSIONS: usize = 3;

/// The grade labels group keys show beside grade codes, best grade first.
pub type GradeLabels = [String; 4];

/// Score figures of the rule totals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TotalFigures {
    /// Mean rule total, rounded half up to 2 places.
    pub mean: Dec,
    /// Lowest rule total.
    pub min: Dec,
    /// Highest rule total.
    pub max: Dec,
}

/// How many forms have each shown grade.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GradeCounts {
    /// 优.
    pub excellent: u64,
    /// 良.
    pub good: u64,
    /// 中.
    pub fair: u64,
    /// 差.
    pub poor: u64,
}

/// Funds summed in 万元 (amounts of 元 forms divided by 10 000), exactly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FundsFigures {
    /// Σ 全年预算数 of the forms stating one, in 万元.
    pub annual_budget: Dec,
    /// Σ 全年执行数 of the forms stating one, in 万元.
    pub executed: Dec,
    /// Σ executed / Σ annual budget × 100, rounded half up to 2 places; `null` when the
    /// budget sums to zero.
    pub execution_rate: Option<Dec>,
}

/// The unit's own grading beside the rules'.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DeclaredFigures {
    /// Forms whose readable declared grade is not their rule grade.
    pub grade_differs: u64,
    /// Mean of declared total − rule total over the forms declaring a total, rounded half up
    /// to 2 places; `null` when none does.
    pub mean_total_difference: Option<Dec>,
}

/// Review (复核) beside the rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReviewFigures {
    /// Forms with review scores.
    pub reviewed: u64,
    /// Mean of review total − rule total over reviewed forms, rounded half up to 2 places;
    /// `null` when none is reviewed.
    pub mean_total_difference: Option<Dec>,
    /// Reviewed forms whose review grade is not their rule grade.
    pub grade_changed: u64,
}

/// Findings of the forms, summed by severity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FindingTotals {
    /// Findings of severity `error`.
    pub error: u64,
    /// Findings of severity `warning`.
    pub warning: u64,
    /// Findings of severity `info`.
    pub info: u64,
}

/// The figures of a set of forms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Measures {
    /// How many forms.
    pub count: u64,
    /// Figures of the rule totals; `null` for no forms.
    pub total: Option<TotalFigures>,
    /// Forms by shown grade.
    pub grades: GradeCounts,
    /// 优良率: forms graded excellent or good, in percent of all, rounded half up to 2 places;
    /// `null` for no forms.
    pub good_or_better_rate: Option<Dec>,
    /// Funds in 万元.
    pub funds: FundsFigures,
    /// Declared against rule figures.
    pub declared_vs_rule: DeclaredFigures,
    /// Review against rule figures.
    pub review: ReviewFigures,
    /// Forms overdue today.
    pub overdue: u64,
    /// Findings summed by severity.
    pub findings: FindingTotals,
}

/// One group: its key and its figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Group {
    /// The value of each grouped dimension (`{"fiscal_year": 2020, "grade": "excellent",
    /// "grade_label": "优"}`); codes with their labels (`kind_label`, `status_label`,
    /// `*_label` for grades), a unit as `unit` (name) and `unit_code`. A form without a
    /// declared or review grade, or whose unit is registered without a department or region
    /// (or not at all), is keyed `null`.
    #[schema(value_type = Object)]
    pub key: Map<String, Value>,
    /// The group's figures.
    #[serde(flatten)]
    pub measures: Measures,
}

/// Statistics of the forms a caller may read that match the filters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Stats {
    /// The dimensions grouped by, in the order asked.
    pub group_by: Vec<Dimension>,
    /// One group per combination of values present, sorted by key (years ascending, grades
    /// best first, kinds and states in their listed order, text by code point; `null` last).
    pub groups: Vec<Group>,
    /// The figures of all the forms.
    pub overall: Measures,
}

/// Computes the statistics of `rows`, grouped by `group_by`.
#[must_use]
pub fn compute(rows: &[StatsRow], group_by: &[Dimension], labels: &GradeLabels) -> Stats {
    let mut overall = Tally::default();
    let mut groups: BTreeMap<Vec<SortKey>, (Map<String, Value>, Tally)> = BTreeMap::new();
    for row in rows {
        overall.add(row);
        if group_by.is_empty() {
            continue;
        }
        let mut sort = Vec::with_capacity(group_by.len());
        let mut key = Map::new();
        for &dimension in group_by {
            sort.push(key_of(row, dimension, labels, &mut key));
        }
        groups
            .entry(sort)
            .or_insert_with(|| (key, Tally::default()))
            .1
            .add(row);
    }
    Stats {
        group_by: group_by.to_vec(),
        groups: groups
            .into_values()
            .map(|(key, tally)| Group {
                key,
                measures: tally.measures(),
            })
            .collect(),
        overall: overall.measures(),
    }
}

/// How a key value sorts: ranked values, then text, then no value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    Rank(i64),
    Text(String),
    Missing,
}

fn rank<T: PartialEq>(all: &[T], value: &T) -> SortKey {
    let position = all.iter().position(|v| v == value).unwrap_or(all.len());
    SortKey::Rank(i64::try_from(position).unwrap_or(i64::MAX))
}

/// Writes the row's value of `dimension` into `key`, returning how it sorts.
fn key_of(
    row: &StatsRow,
    dimension: Dimension,
    labels: &GradeLabels,
    key: &mut Map<String, Value>,
) -> SortKey {
    let name = dimension.as_str();
    let mut grade = |grade: Option<GradeCode>| {
        let label = grade.and_then(|g| {
            let index = GradeCode::ALL.iter().position(|c| *c == g)?;
            labels.get(index).cloned()
        });
        key.insert(name.into(), grade.map(|g| g.as_str()).into());
        key.insert(format!("{name}_label"), label.into());
        grade.map_or(SortKey::Missing, |g| rank(&GradeCode::ALL, &g))
    };
    match dimension {
        Dimension::Grade => grade(Some(row.grade)),
        Dimension::RuleGrade => grade(Some(row.rule_grade)),
        Dimension::DeclaredGrade => grade(row.declared_grade),
        Dimension::ReviewGrade => grade(row.review_grade),
        Dimension::FiscalYear => {
            key.insert(name.into(), row.fiscal_year.into());
            SortKey::Rank(row.fiscal_year.into())
        }
        Dimension::Kind => {
            key.insert(name.into(), row.kind.as_str().into());
            key.insert("kind_label".into(), row.kind.label().into());
            rank(&FormKind::ALL, &row.kind)
        }
        Dimension::Status => {
            key.insert(name.into(), row.status.as_str().into());
            key.insert("status_label".into(), row.status.label().into());
            rank(&Status::ALL, &row.status)
        }
        Dimension::Ruleset => {
            key.insert(name.into(), row.ruleset.clone().into());
            SortKey::Text(row.ruleset.clone())
        }
        Dimension::Department | Dimension::Region => {
            let value = if dimension == Dimension::Department {
                &row.department
            } else {
                &row.region
            };
            key.insert(name.into(), value.clone().into());
            value.clone().map_or(SortKey::Missing, SortKey::Text)
        }
        Dimension::Unit => {
            key.insert(name.into(), row.unit_name.clone().into());
            key.insert("unit_code".into(), row.unit_code.clone().into());
            // Code first: one unit is one group even if a form spells its name otherwise.
            SortKey::Text(format!(
                "{}\u{0}{}",
                row.unit_code.as_deref().unwrap_or_default(),
                row.unit_name
            ))
        }
    }
}

/// Exact running sums of a set of forms.
#[derive(Default)]
struct Tally {
    count: u64,
    total_sum: Decimal,
    min: Option<Decimal>,
    max: Option<Decimal>,
    grades: GradeCounts,
    budget: Decimal,
    executed: Decimal,
    declared_grade_differs: u64,
    declared_difference: Decimal,
    declared_totals: u64,
    reviewed: u64,
    review_difference: Decimal,
    review_grade_changed: u64,
    overdue: u64,
    findings: FindingTotals,
}

impl Tally {
    fn add(&mut self, row: &StatsRow) {
        self.count += 1;
        self.total_sum += row.total;
        self.min = Some(self.min.map_or(row.total, |m| m.min(row.total)));
        self.max = Some(self.max.map_or(row.total, |m| m.max(row.total)));
        match row.grade {
            GradeCode::Excellent => self.grades.excellent += 1,
            GradeCode::Good => self.grades.good += 1,
            GradeCode::Fair => self.grades.fair += 1,
            GradeCode::Poor => self.grades.poor += 1,
        }
        self.budget += row.annual_budget.unwrap_or_default();
        self.executed += row.executed.unwrap_or_default();
        if row.declared_grade.is_some_and(|g| g != row.rule_grade) {
            self.declared_grade_differs += 1;
        }
        if let Some(declared) = row.declared_total {
            self.declared_totals += 1;
            self.declared_difference += declared - row.total;
        }
        if let Some(review) = row.review_total {
            self.reviewed += 1;
            self.review_difference += review - row.total;
        }
        if row.review_grade.is_some_and(|g| g != row.rule_grade) {
            self.review_grade_changed += 1;
        }
        self.overdue += u64::from(row.overdue);
        self.findings.error += u64::from(row.findings.error);
        self.findings.warning += u64::from(row.findings.warning);
        self.findings.info += u64::from(row.findings.info);
    }

    fn measures(self) -> Measures {
        let total = match (self.min, self.max) {
            (Some(min), Some(max)) => Some(TotalFigures {
                mean: Dec(mean(self.total_sum, self.count).unwrap_or_default()),
                min: Dec(min),
                max: Dec(max),
            }),
            _ => None,
        };
        let good_or_better = Decimal::from(self.grades.excellent + self.grades.good);
        Measures {
            count: self.count,
            total,
            good_or_better_rate: percent(good_or_better, Decimal::from(self.count)),
            grades: self.grades,
            funds: FundsFigures {
                annual_budget: Dec(self.budget),
                executed: Dec(self.executed),
                execution_rate: percent(self.executed, self.budget),
            },
            declared_vs_rule: DeclaredFigures {
                grade_differs: self.declared_grade_differs,
                mean_total_difference: mean(self.declared_difference, self.declared_totals)
                    .map(Dec),
            },
            review: ReviewFigures {
                reviewed: self.reviewed,
                mean_total_difference: mean(self.review_difference, self.reviewed).map(Dec),
                grade_changed: self.review_grade_changed,
            },
            overdue: self.overdue,
            findings: self.findings,
        }
    }
}

/// `sum / count` rounded half up to 2 places; `None` for no values.
fn mean(sum: Decimal, count: u64) -> Option<Decimal> {
    (count > 0).then(|| round2(sum / Decimal::from(count)))
}

/// `part / whole × 100` rounded half up to 2 places; `None` when `whole` is zero.
#[must_use]
pub fn percent(part: Decimal, whole: Decimal) -> Option<Dec> {
    (!whole.is_zero()).then(|| Dec(round2(part * Decimal::ONE_HUNDRED / whole)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn row(year: i32, grade: GradeCode, total: &str) -> StatsRow {
        StatsRow {
            fiscal_year: year,
            kind: FormKind::Department,
            status: Status::Draft,
            ruleset: "national-2020".into(),
            unit_name: "甲".into(),
            unit_code: None,
            department: None,
            region: None,
            grade,
            rule_grade: grade,
            declared_grade: None,
            review_grade: None,
            total: d(total),
            declared_total: None,
            review_total: None,
            annual_budget: None,
            executed: None,
            overdue: false,
            findings: FindingCounts::default(),
        }
    }

    fn labels() -> GradeLabels {
        ["优".into(), "良".into(), "中".into(), "差".into()]
    }

    #[test]
    fn means_round_half_up_and_rates_are_percent() {
        let rows = [
            row(2020, GradeCode::Excellent, "90.01"),
            row(2020, GradeCode::Good, "80.00"),
            row(2020, GradeCode::Poor, "50.00"),
        ];
        let stats = compute(&rows, &[], &labels());
        let total = stats.overall.total.unwrap();
        assert_eq!(total.mean.to_string(), "73.34");
        assert_eq!(total.min.to_string(), "50.00");
        assert_eq!(total.max.to_string(), "90.01");
        assert_eq!(
            stats.overall.good_or_better_rate.unwrap().to_string(),
            "66.67"
        );
        assert!(stats.groups.is_empty(), "no grouping, no groups");
        let half = compute(&[row(2020, GradeCode::Good, "80.005")], &[], &labels());
        assert_eq!(half.overall.total.unwrap().mean.to_string(), "80.01");
    }

    #[test]
    fn funds_are_summed_in_wan_exactly_whatever_the_unit() {
        let mut yuan = row(2020, GradeCode::Good, "80");
        yuan.annual_budget = Some(in_wan(d("12345.67"), CurrencyUnit::Yuan));
        yuan.executed = Some(in_wan(d("1"), CurrencyUnit::Yuan));
        let mut wan = row(2020, GradeCode::Good, "80");
        wan.annual_budget = Some(in_wan(d("254.48"), CurrencyUnit::TenThousandYuan));
        wan.executed = Some(d("239.31"));
        let stats = compute(&[yuan, wan], &[], &labels());
        assert_eq!(stats.overall.funds.annual_budget.0, d("255.714567"));
        assert_eq!(stats.overall.funds.executed.0, d("239.3101"));
        assert_eq!(
            stats.overall.funds.execution_rate.unwrap().to_string(),
            "93.58"
        );
        let none = compute(&[], &[], &labels());
        assert_eq!(none.overall.count, 0);
        assert!(none.overall.funds.execution_rate.is_none());
        assert!(none.overall.total.is_none());
    }

    #[test]
    fn groups_sort_by_key_with_labels_and_missing_grades_last() {
        let mut declared = row(2021, GradeCode::Good, "85");
        declared.declared_grade = Some(GradeCode::Excellent);
        let rows = [
            declared,
            row(2020, GradeCode::Poor, "10"),
            row(2020, GradeCode::Excellent, "95"),
        ];
        let stats = compute(
            &rows,
            &[Dimension::FiscalYear, Dimension::DeclaredGrade],
            &labels(),
        );
        let keys: Vec<Value> = stats
            .groups
            .iter()
            .map(|g| Value::Object(g.key.clone()))
            .collect();
        assert_eq!(
            keys,
            [
                serde_json::json!({"fiscal_year": 2020, "declared_grade": null, "declared_grade_label": null}),
                serde_json::json!({"fiscal_year": 2021, "declared_grade": "excellent", "declared_grade_label": "优"}),
            ]
        );
        assert_eq!(stats.groups[0].measures.count, 2);
        assert_eq!(stats.overall.declared_vs_rule.grade_differs, 1);
    }
}

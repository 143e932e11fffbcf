//! Who has filed: every registered unit with the forms it has stored for one year and kind,
//! its standing, and the counts a finance bureau's dashboard shows.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::lifecycle::Status;
use crate::domain::scoring::result::Grade;

/// Where a unit stands for one year and kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FilingStatus {
    /// No form stored.
    Missing,
    /// Its (least advanced) form is being filled in.
    Draft,
    /// Its (least advanced) form was sent back with reasons.
    Returned,
    /// Its (least advanced) form awaits review.
    Submitted,
    /// Every form is approved.
    Approved,
}

impl FilingStatus {
    /// A form's status as a unit's standing.
    #[must_use]
    pub fn of(status: Status) -> Self {
        match status {
            Status::Draft => Self::Draft,
            Status::Returned => Self::Returned,
            Status::Submitted => Self::Submitted,
            Status::Approved => Self::Approved,
        }
    }

    /// How far along review it is: a unit with several forms stands where its least advanced
    /// form does, so that `approved` means every one is.
    fn progress(self) -> u8 {
        match self {
            Self::Missing => 0,
            Self::Draft => 1,
            Self::Returned => 2,
            Self::Submitted => 3,
            Self::Approved => 4,
        }
    }
}

/// One stored form of a unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FiledForm {
    /// The form's id.
    pub id: i64,
    /// The project, on project forms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_name: Option<String>,
    /// Where it stands in review.
    pub status: Status,
    /// The grade shown (the review grade of an approved form with review scores, else the
    /// rule grade), code and label.
    pub grade: Grade,
    /// Not submitted although the deadline has passed.
    pub overdue: bool,
}

/// A registered unit as the filing list shows it, before its standing is worked out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FilingUnit {
    /// The budget code.
    pub code: String,
    /// The registered name.
    pub name: String,
    /// Its 主管部门.
    pub department: Option<String>,
    /// Its 行政区划 code.
    pub region: Option<String>,
}

/// One registered unit and what it has filed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnitFiling {
    /// The unit.
    #[serde(flatten)]
    pub unit: FilingUnit,
    /// `missing` without a form; otherwise the status of its least advanced form.
    pub status: FilingStatus,
    /// A form of it is overdue, or it has none although the deadline has passed.
    pub overdue: bool,
    /// Its forms of the year and kind, by id: at most one department form, any number of
    /// project forms.
    pub forms: Vec<FiledForm>,
}

/// How many units stand where.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FilingCounts {
    /// Units without a form.
    pub missing: u64,
    /// Units whose least advanced form is a draft.
    pub draft: u64,
    /// Units whose least advanced form was returned.
    pub returned: u64,
    /// Units whose least advanced form is submitted.
    pub submitted: u64,
    /// Units whose every form is approved.
    pub approved: u64,
    /// Units that are overdue (counted also under their status).
    pub overdue: u64,
}

/// Every unit's standing, with the counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Filing {
    /// How many units stand where.
    pub counts: FilingCounts,
    /// Every registered unit matching the filters, by code.
    pub units: Vec<UnitFiling>,
}

/// Works out each unit's standing from its forms; `deadline_passed` says whether the year's
/// deadline for the kind is behind us, which makes a unit without a form overdue.
#[must_use]
pub fn summarize(units: Vec<(FilingUnit, Vec<FiledForm>)>, deadline_passed: bool) -> Filing {
    let mut counts = FilingCounts::default();
    let units = units
        .into_iter()
        .map(|(unit, forms)| {
            let status = forms
                .iter()
                .map(|f| FilingStatus::of(f.status))
                .min_by_key(|s| s.progress())
                .unwrap_or(FilingStatus::Missing);
            let overdue = if forms.is_empty() {
                deadline_passed
            } else {
                forms.iter().any(|f| f.overdue)
            };
            let count = match status {
                FilingStatus::Missing => &mut counts.missing,
                FilingStatus::Draft => &mut counts.draft,
                FilingStatus::Returned => &mut counts.returned,
                FilingStatus::Submitted => &mut counts.submitted,
                FilingStatus::Approved => &mut counts.approved,
            };
            *count += 1;
            counts.overdue += u64::from(overdue);
            UnitFiling {
                unit,
                status,
                overdue,
                forms,
            }
        })
        .collect();
    Filing { counts, units }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ruleset::GradeCode;

    fn unit(code: &str) -> FilingUnit {
        FilingUnit {
            code: code.into(),
            name: code.into(),
            department: None,
            region: None,
        }
    }

    fn form(id: i64, status: Status, overdue: bool) -> FiledForm {
        FiledForm {
            id,
            project_name: None,
            status,
            grade: Grade {
                code: GradeCode::Good,
                label: "良".into(),
            },
            overdue,
        }
    }

    #[test]
    fn a_unit_stands_where_its_least_advanced_form_does() {
        let filing = summarize(
            vec![
                (unit("a"), vec![]),
                (
                    unit("b"),
                    vec![
                        form(1, Status::Approved, false),
                        form(2, Status::Returned, true),
                    ],
                ),
                (unit("c"), vec![form(3, Status::Approved, false)]),
                (unit("d"), vec![form(4, Status::Submitted, false)]),
            ],
            false,
        );
        let statuses: Vec<_> = filing.units.iter().map(|u| u.status).collect();
        assert_eq!(
            statuses,
            [
                FilingStatus::Missing,
                FilingStatus::Returned,
                FilingStatus::Approved,
                FilingStatus::Submitted
            ]
        );
        assert_eq!(
            filing.counts,
            FilingCounts {
                missing: 1,
                draft: 0,
                returned: 1,
                submitted: 1,
                approved: 1,
                overdue: 1,
            }
        );
    }

    #[test]
    fn a_unit_without_a_form_is_overdue_once_the_deadline_has_passed() {
        let before = summarize(vec![(unit("a"), vec![])], false);
        let after = summarize(vec![(unit("a"), vec![])], true);
        assert!(!before.units[0].overdue);
        assert!(after.units[0].overdue);
        assert_eq!(after.counts.overdue, 1);
    }
}

//! The review lifecycle of a form: draft → submitted → returned → submitted → … → approved,
//! and back to draft when an approved form is reopened.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a form stands in review.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being filled in by the unit.
    #[default]
    Draft,
    /// Handed in for review; read-only until returned or approved.
    Submitted,
    /// Sent back to the unit with the reviewer's reasons; editable again.
    Returned,
    /// Accepted; locked until reopened.
    Approved,
}

impl Status {
    /// Every state.
    pub const ALL: [Self; 4] = [Self::Draft, Self::Submitted, Self::Returned, Self::Approved];

    /// The state in Chinese, for people filtering lists by it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "草稿",
            Self::Submitted => "已提交",
            Self::Returned => "已退回",
            Self::Approved => "已审核",
        }
    }

    /// The machine name used in URLs and storage.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Returned => "returned",
            Self::Approved => "approved",
        }
    }

    /// Whether a form in this state has yet to be handed in, and so falls overdue once its
    /// submission deadline passes.
    #[must_use]
    pub fn awaits_submission(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }

    /// Whether the document may be replaced or deleted in this state.
    #[must_use]
    pub fn is_editable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }
}

/// A move from one state to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// The unit hands the form in.
    Submit,
    /// The reviewer sends it back.
    Return,
    /// The reviewer accepts it.
    Approve,
    /// An approved form is opened again as a new draft version.
    Reopen,
}

impl Transition {
    /// The states this transition may start from, and where it leads.
    #[must_use]
    pub fn rule(self) -> (&'static [Status], Status) {
        match self {
            Self::Submit => (&[Status::Draft, Status::Returned], Status::Submitted),
            Self::Return => (&[Status::Submitted], Status::Returned),
            Self::Approve => (&[Status::Submitted], Status::Approved),
            Self::Reopen => (&[Status::Approved], Status::Draft),
        }
    }

    /// The machine name used in URLs and the history.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Return => "return",
            Self::Approve => "approve",
            Self::Reopen => "reopen",
        }
    }

    /// The state after this transition from `current`.
    ///
    /// # Errors
    /// `WrongState` when the transition cannot start from `current`.
    pub fn apply(self, current: Status) -> Result<Status, WrongState> {
        let (from, to) = self.rule();
        if from.contains(&current) {
            Ok(to)
        } else {
            Err(WrongState {
                transition: self,
                current,
                allowed_from: from,
            })
        }
    }
}

/// A transition asked of a form in a state it cannot start from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "cannot {} a form that is {}; it must be {}",
    transition.as_str(),
    current.as_str(),
    allowed_from.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" or ")
)]
pub struct WrongState {
    /// What was asked.
    pub transition: Transition,
    /// Where the form stands.
    pub current: Status,
    /// Where it would have to stand.
    pub allowed_from: &'static [Status],
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::{Approved, Draft, Returned, Submitted};
    use Transition::{Approve, Reopen, Return, Submit};

    #[test]
    fn every_legal_and_illegal_transition() {
        for current in [Draft, Submitted, Returned, Approved] {
            for (transition, expected) in [
                (Submit, [Some(Submitted), None, Some(Submitted), None]),
                (Return, [None, Some(Returned), None, None]),
                (Approve, [None, Some(Approved), None, None]),
                (Reopen, [None, None, None, Some(Draft)]),
            ] {
                let index = [Draft, Submitted, Returned, Approved]
                    .iter()
                    .position(|s| *s == current)
                    .unwrap();
                assert_eq!(
                    transition.apply(current).ok(),
                    expected[index],
                    "{transition:?} from {current:?}"
                );
            }
        }
    }

    #[test]
    fn a_wrong_state_names_the_current_one() {
        let error = Approve.apply(Draft).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot approve a form that is draft; it must be submitted"
        );
    }

    #[test]
    fn only_drafts_and_returned_forms_are_editable() {
        assert!(Draft.is_editable() && Returned.is_editable());
        assert!(!Submitted.is_editable() && !Approved.is_editable());
    }
}

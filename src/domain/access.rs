//! Who may do what. The rules are pure functions of the caller and a few facts about the form
//! concerned, so that storage can apply them inside the transaction that reads those facts.
//!
//! - **anonymous** (no token): reads approved forms, their grid and their grades — they are
//!   published with the 决算 — unless the operator turns public reading off.
//! - **unit**: creates, edits and submits forms whose `unit.code` is one of its token's codes,
//!   and reads them in any state.
//! - **reviewer**: reads every form, records review scores, returns, approves and reopens.
//! - **admin**: everything, for every unit, and manages tokens and deadlines.
//!
//! A caller that may not read a form is told it does not exist (404), so that a unit never
//! learns that another unit's draft exists; a caller that may read it but not do the
//! operation is refused (403).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::messages::Detail;
use super::value::normalize;

/// What a token may do.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, for every unit; manages tokens and deadlines.
    Admin,
    /// 财政局 / 主管部门: reads every form, records review scores, returns, approves, reopens.
    Reviewer,
    /// 预算单位: creates, edits and submits the forms of its own units.
    Unit,
}

impl Role {
    /// The machine name used in storage and the history.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Reviewer => "reviewer",
            Self::Unit => "unit",
        }
    }
}

/// Who is calling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// No token was presented.
    Anonymous,
    /// The service itself, e.g. loading the example forms at start.
    System,
    /// The holder of a valid token.
    Token {
        /// The token's id, recorded in the history.
        id: i64,
        /// What it may do.
        role: Role,
        /// The unit codes it covers (unit tokens only).
        units: Vec<String>,
    },
}

/// An operation on one stored form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// Read the form, its grid, its grade, or one of its versions.
    Read,
    /// Read its history: who changed what, with comments.
    ReadHistory,
    /// Replace or delete its document.
    Edit,
    /// Hand it in for review.
    Submit,
    /// Record review scores, return it or approve it.
    Review,
    /// Open an approved form again.
    Reopen,
}

impl Operation {
    /// The roles that may do this to at least some forms; a unit only to its own.
    #[must_use]
    pub fn roles(self) -> &'static [Role] {
        match self {
            Self::Read | Self::ReadHistory => &[Role::Admin, Role::Reviewer, Role::Unit],
            Self::Edit | Self::Submit => &[Role::Admin, Role::Unit],
            Self::Review | Self::Reopen => &[Role::Admin, Role::Reviewer],
        }
    }
}

/// What the rules need to know about a form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormFacts<'a> {
    /// Its `unit.code` (预算编码), if it names one.
    pub unit_code: Option<&'a str>,
    /// Whether it is published: approved now, or — for a kept version — the version that was
    /// approved.
    pub published: bool,
}

/// Why a caller is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Denial {
    /// No token, on a call that needs one.
    #[error("this call needs a token: send `Authorization: Bearer <token>`")]
    Unauthenticated,
    /// The token is valid but lacks the right.
    #[error("{0}")]
    Forbidden(Detail),
    /// The caller may not learn whether the form exists.
    #[error("no evaluation with this id")]
    Hidden,
}

/// What a non-form call needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Any valid token.
    AnyToken,
    /// An admin token.
    Admin,
    /// An admin or reviewer token: oversight of every unit (who has filed).
    Oversight,
}

impl Need {
    /// The roles that have it.
    #[must_use]
    pub fn roles(self) -> &'static [Role] {
        match self {
            Self::AnyToken => &[Role::Admin, Role::Reviewer, Role::Unit],
            Self::Admin => &[Role::Admin],
            Self::Oversight => &[Role::Admin, Role::Reviewer],
        }
    }
}

/// Which forms a caller may see in a list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// Every form.
    #[default]
    Everything,
    /// Approved forms only.
    Published,
    /// The forms of these units (folded codes), and approved forms when `published`.
    Units {
        /// The unit codes, folded as stored.
        codes: Vec<String>,
        /// Whether approved forms of other units are visible too.
        published: bool,
    },
}

/// The caller together with the operator's choice about public reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// Who is calling.
    pub caller: Caller,
    /// Whether anyone may read approved forms without a token.
    pub public_reading: bool,
}

impl Principal {
    /// The service itself, allowed everything.
    #[must_use]
    pub fn system() -> Self {
        Self {
            caller: Caller::System,
            public_reading: true,
        }
    }

    /// The role name recorded in the history.
    #[must_use]
    pub fn role_name(&self) -> &'static str {
        match &self.caller {
            Caller::Anonymous => "anonymous",
            Caller::System => "system",
            Caller::Token { role, .. } => role.as_str(),
        }
    }

    /// The token's id, if the caller presented one.
    #[must_use]
    pub fn token_id(&self) -> Option<i64> {
        match &self.caller {
            Caller::Token { id, .. } => Some(*id),
            _ => None,
        }
    }

    fn role(&self) -> Option<Role> {
        match &self.caller {
            Caller::Token { role, .. } => Some(*role),
            Caller::System => Some(Role::Admin),
            Caller::Anonymous => None,
        }
    }

    /// Whether a unit token covers this unit code. Codes are compared folded (white space and
    /// full-width forms), as stored forms are.
    #[must_use]
    pub fn covers(&self, unit_code: Option<&str>) -> bool {
        let Caller::Token { units, .. } = &self.caller else {
            return false;
        };
        let Some(code) = unit_code.map(normalize).filter(|c| !c.is_empty()) else {
            return false;
        };
        units.iter().any(|unit| normalize(unit) == code)
    }

    /// Whether the caller may read this form at all.
    #[must_use]
    pub fn may_read(&self, form: &FormFacts<'_>) -> bool {
        match self.role() {
            Some(Role::Admin | Role::Reviewer) => true,
            Some(Role::Unit) if self.covers(form.unit_code) => true,
            // What is published is public, to a unit as to anyone, unless reading is closed.
            Some(Role::Unit) | None => self.public_reading && form.published,
        }
    }

    /// The refusal for a form the caller may not read, or that does not exist: a caller
    /// without a token is asked for one; a caller with a token is told there is no such form.
    #[must_use]
    pub fn not_visible(&self) -> Denial {
        match self.caller {
            Caller::Anonymous => Denial::Unauthenticated,
            _ => Denial::Hidden,
        }
    }

    /// Whether the caller may do `operation` on this form.
    ///
    /// # Errors
    /// `Unauthenticated` or `Hidden` when the caller may not read the form; `Forbidden` when it
    /// may read it but not do this.
    pub fn authorize(&self, operation: Operation, form: &FormFacts<'_>) -> Result<(), Denial> {
        if !self.may_read(form) {
            return Err(self.not_visible());
        }
        let Some(role) = self.role() else {
            return match operation {
                Operation::Read => Ok(()),
                _ => Err(Denial::Unauthenticated),
            };
        };
        let own = self.covers(form.unit_code);
        let allowed = match operation {
            Operation::Read => true,
            Operation::ReadHistory => role != Role::Unit || own,
            Operation::Edit | Operation::Submit => {
                role == Role::Admin || (role == Role::Unit && own)
            }
            Operation::Review | Operation::Reopen => role != Role::Unit,
        };
        if allowed {
            Ok(())
        } else {
            Err(Denial::Forbidden(Detail::RoleMayNot { role, operation }))
        }
    }

    /// Whether the caller's role may ever do `operation`, before looking at any form: a check
    /// that refuses a caller before its request body is even read.
    ///
    /// # Errors
    /// `Unauthenticated` without a token (except for reading), `Forbidden` for a role that may
    /// never do it.
    pub fn may_attempt(&self, operation: Operation) -> Result<(), Denial> {
        match self.role() {
            None if operation == Operation::Read => Ok(()),
            None => Err(Denial::Unauthenticated),
            Some(role) if operation.roles().contains(&role) => Ok(()),
            Some(role) => Err(Denial::Forbidden(Detail::RoleMayNot { role, operation })),
        }
    }

    /// Whether the caller may store a form for this unit (creating it, or replacing a form's
    /// document with one naming this unit).
    ///
    /// # Errors
    /// `Unauthenticated` without a token, `Forbidden` for a reviewer, or for a unit token that
    /// does not cover `unit_code`.
    pub fn authorize_store(&self, unit_code: Option<&str>) -> Result<(), Denial> {
        match (&self.caller, self.role()) {
            (Caller::Anonymous, _) | (_, None) => Err(Denial::Unauthenticated),
            (_, Some(Role::Admin)) => Ok(()),
            (_, Some(Role::Reviewer)) => Err(Denial::Forbidden(Detail::ReviewerMayNotStore)),
            (Caller::Token { units, .. }, Some(Role::Unit)) => {
                if self.covers(unit_code) {
                    Ok(())
                } else {
                    Err(Denial::Forbidden(Detail::UnitNotCovered {
                        units: units.clone(),
                        code: unit_code.map(str::to_owned),
                    }))
                }
            }
            (_, Some(Role::Unit)) => Err(Denial::Unauthenticated),
        }
    }

    /// Whether the caller may make a call that concerns no single form.
    ///
    /// # Errors
    /// `Unauthenticated` without a token, `Forbidden` for a token without the role.
    pub fn require(&self, need: Need) -> Result<(), Denial> {
        match self.role() {
            None => Err(Denial::Unauthenticated),
            Some(role) if need.roles().contains(&role) => Ok(()),
            Some(role) => Err(Denial::Forbidden(Detail::OnlyRoles {
                roles: need.roles().to_vec(),
                role,
            })),
        }
    }

    /// The forms this caller may see in a list.
    ///
    /// # Errors
    /// `Unauthenticated` for a caller without a token when public reading is off.
    pub fn visibility(&self) -> Result<Visibility, Denial> {
        match (&self.caller, self.role()) {
            (_, Some(Role::Admin | Role::Reviewer)) => Ok(Visibility::Everything),
            (Caller::Token { units, .. }, Some(Role::Unit)) => Ok(Visibility::Units {
                codes: units.iter().map(|u| normalize(u)).collect(),
                published: self.public_reading,
            }),
            _ if self.public_reading => Ok(Visibility::Published),
            _ => Err(Denial::Unauthenticated),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(role: Role, units: &[&str]) -> Principal {
        Principal {
            caller: Caller::Token {
                id: 7,
                role,
                units: units.iter().map(|&u| u.to_owned()).collect(),
            },
            public_reading: true,
        }
    }

    fn anonymous(public_reading: bool) -> Principal {
        Principal {
            caller: Caller::Anonymous,
            public_reading,
        }
    }

    const OWN_DRAFT: FormFacts<'static> = FormFacts {
        unit_code: Some("430421"),
        published: false,
    };
    const OTHER_DRAFT: FormFacts<'static> = FormFacts {
        unit_code: Some("430422"),
        published: false,
    };
    const OTHER_PUBLISHED: FormFacts<'static> = FormFacts {
        unit_code: Some("430422"),
        published: true,
    };
    const ALL: [Operation; 6] = [
        Operation::Read,
        Operation::ReadHistory,
        Operation::Edit,
        Operation::Submit,
        Operation::Review,
        Operation::Reopen,
    ];

    fn forbidden(result: Result<(), Denial>) -> bool {
        matches!(result, Err(Denial::Forbidden(_)))
    }

    #[test]
    fn a_unit_works_on_its_own_forms_and_cannot_see_other_drafts() {
        let unit = token(Role::Unit, &["430421"]);
        for operation in [
            Operation::Read,
            Operation::ReadHistory,
            Operation::Edit,
            Operation::Submit,
        ] {
            assert_eq!(
                unit.authorize(operation, &OWN_DRAFT),
                Ok(()),
                "{operation:?}"
            );
        }
        assert!(forbidden(unit.authorize(Operation::Review, &OWN_DRAFT)));
        assert!(forbidden(unit.authorize(Operation::Reopen, &OWN_DRAFT)));
        for operation in ALL {
            assert_eq!(
                unit.authorize(operation, &OTHER_DRAFT),
                Err(Denial::Hidden),
                "{operation:?}"
            );
        }
    }

    #[test]
    fn another_units_published_form_is_readable_but_nothing_more() {
        let unit = token(Role::Unit, &["430421"]);
        assert_eq!(unit.authorize(Operation::Read, &OTHER_PUBLISHED), Ok(()));
        for operation in &ALL[1..] {
            assert!(forbidden(unit.authorize(*operation, &OTHER_PUBLISHED)));
        }
    }

    #[test]
    fn codes_compare_folded_and_a_form_without_code_belongs_to_no_unit() {
        let unit = token(Role::Unit, &["４３０４２１"]);
        assert!(unit.covers(Some(" 430421 ")));
        assert!(!unit.covers(None));
        assert!(!unit.covers(Some("")));
        assert!(unit.authorize_store(Some("430421")).is_ok());
        assert!(forbidden(unit.authorize_store(None)));
        assert!(forbidden(unit.authorize_store(Some("430422"))));
    }

    #[test]
    fn a_reviewer_reviews_but_never_edits() {
        let reviewer = token(Role::Reviewer, &[]);
        for operation in [
            Operation::Read,
            Operation::ReadHistory,
            Operation::Review,
            Operation::Reopen,
        ] {
            assert_eq!(reviewer.authorize(operation, &OTHER_DRAFT), Ok(()));
        }
        assert!(forbidden(reviewer.authorize(Operation::Edit, &OTHER_DRAFT)));
        assert!(forbidden(
            reviewer.authorize(Operation::Submit, &OTHER_DRAFT)
        ));
        assert!(forbidden(reviewer.authorize_store(Some("430421"))));
        assert!(forbidden(reviewer.require(Need::Admin)));
        assert_eq!(reviewer.visibility(), Ok(Visibility::Everything));
    }

    #[test]
    fn a_role_is_refused_before_any_form_is_looked_at() {
        let unit = token(Role::Unit, &["430421"]);
        assert_eq!(unit.may_attempt(Operation::Submit), Ok(()));
        assert!(forbidden(unit.may_attempt(Operation::Review)));
        let reviewer = token(Role::Reviewer, &[]);
        assert!(forbidden(reviewer.may_attempt(Operation::Edit)));
        assert_eq!(reviewer.may_attempt(Operation::Reopen), Ok(()));
        let public = anonymous(true);
        assert_eq!(public.may_attempt(Operation::Read), Ok(()));
        assert_eq!(
            public.may_attempt(Operation::ReadHistory),
            Err(Denial::Unauthenticated)
        );
        // Every operation a role may attempt, it may do on some form; and none it may not.
        for operation in ALL {
            for role in [Role::Admin, Role::Reviewer, Role::Unit] {
                let caller = token(role, &["430421"]);
                assert_eq!(
                    caller.may_attempt(operation).is_ok(),
                    caller.authorize(operation, &OWN_DRAFT).is_ok(),
                    "{role:?} {operation:?}"
                );
            }
        }
    }

    #[test]
    fn an_admin_may_do_everything() {
        let admin = token(Role::Admin, &[]);
        for operation in ALL {
            assert_eq!(admin.authorize(operation, &OTHER_DRAFT), Ok(()));
        }
        assert_eq!(admin.authorize_store(None), Ok(()));
        assert_eq!(admin.require(Need::Admin), Ok(()));
        assert_eq!(
            Principal::system().authorize(Operation::Edit, &OTHER_DRAFT),
            Ok(())
        );
    }

    #[test]
    fn anonymous_callers_read_published_forms_only_and_only_while_reading_is_public() {
        let public = anonymous(true);
        assert_eq!(public.authorize(Operation::Read, &OTHER_PUBLISHED), Ok(()));
        for operation in &ALL[1..] {
            assert_eq!(
                public.authorize(*operation, &OTHER_PUBLISHED),
                Err(Denial::Unauthenticated)
            );
        }
        assert_eq!(
            public.authorize(Operation::Read, &OTHER_DRAFT),
            Err(Denial::Unauthenticated)
        );
        assert_eq!(public.visibility(), Ok(Visibility::Published));
        assert_eq!(public.require(Need::AnyToken), Err(Denial::Unauthenticated));
        assert_eq!(
            public.authorize_store(Some("430421")),
            Err(Denial::Unauthenticated)
        );

        let closed = anonymous(false);
        assert_eq!(
            closed.authorize(Operation::Read, &OTHER_PUBLISHED),
            Err(Denial::Unauthenticated)
        );
        assert_eq!(closed.visibility(), Err(Denial::Unauthenticated));
    }

    #[test]
    fn a_unit_sees_other_units_published_forms_only_while_reading_is_public() {
        let mut unit = token(Role::Unit, &["430421", "430423"]);
        assert_eq!(
            unit.visibility(),
            Ok(Visibility::Units {
                codes: vec!["430421".into(), "430423".into()],
                published: true
            })
        );
        unit.public_reading = false;
        assert_eq!(
            unit.authorize(Operation::Read, &OTHER_PUBLISHED),
            Err(Denial::Hidden)
        );
    }
}

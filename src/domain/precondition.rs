//! What a writer says about the version it means to change (`If-Match`), and whether the
//! stored version meets it. Writes to a stored form must say, so that two people editing the
//! same form never silently overwrite each other (a lost update).

/// The version a write expects to find.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// The caller said nothing (no `If-Match`): refused, once it is known the caller may
    /// write to the form at all.
    Unstated,
    /// Whatever version is current: `If-Match: *`, the caller's explicit choice of
    /// last-write-wins, or a write of the service itself.
    Any,
    /// Exactly this version.
    Version(i64),
}

/// Why the stored version does not meet what the write expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unmet {
    /// The write said nothing about the version.
    #[error("the write does not say which version it changes")]
    Required,
    /// The write expects a version that is no longer current.
    #[error("the stored version is {current}")]
    Stale {
        /// The version currently stored.
        current: i64,
    },
}

impl Expected {
    /// Whether a write expecting this may change the stored `current` version.
    ///
    /// # Errors
    /// `Required` when nothing was expected, `Stale` when another version was.
    pub fn check(self, current: i64) -> Result<(), Unmet> {
        match self {
            Self::Unstated => Err(Unmet::Required),
            Self::Version(expected) if expected != current => Err(Unmet::Stale { current }),
            Self::Any | Self::Version(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_meets_the_stored_version_only_when_it_names_it_or_accepts_any() {
        let cases = [
            (Expected::Unstated, Err(Unmet::Required)),
            (Expected::Any, Ok(())),
            (Expected::Version(3), Ok(())),
            (Expected::Version(2), Err(Unmet::Stale { current: 3 })),
            (Expected::Version(0), Err(Unmet::Stale { current: 3 })),
        ];
        for (expected, outcome) in cases {
            assert_eq!(expected.check(3), outcome, "{expected:?}");
        }
    }
}

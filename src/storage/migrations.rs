//! Schema migrations, applied in order on every start.

use rusqlite_migration::{M, Migrations};

/// Every migration so far; append, never edit one that has shipped.
#[must_use]
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/0001_evaluations.sql")),
        M::up(include_str!("migrations/0002_history.sql")),
        M::up(include_str!("migrations/0003_lifecycle.sql")),
        M::up(include_str!("migrations/0004_review.sql")),
        M::up(include_str!("migrations/0005_deadlines.sql")),
        M::up(include_str!("migrations/0006_tokens.sql")),
        M::up(include_str!("migrations/0007_unit_scope.sql")),
        M::up(include_str!("migrations/0008_units.sql")),
        M::up(include_str!("migrations/0009_rulesets.sql")),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }
}

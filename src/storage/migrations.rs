//! Schema migrations, applied in order on every start.

use rusqlite::{Transaction, params};
use rusqlite_migration::{HookResult, M, Migrations};

use crate::domain::document::EvaluationDocument;
use crate::domain::stats::in_wan;
use crate::domain::value::normalize;

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
        M::up_with_hook(
            include_str!("migrations/0010_identity_by_code.sql"),
            refold_identities,
        ),
        M::up(include_str!("migrations/0011_grades.sql")),
        M::up(include_str!("migrations/0012_findings.sql")),
        M::up_with_hook(include_str!("migrations/0013_funds.sql"), funds_in_wan),
        M::up(include_str!("migrations/0014_review_samples.sql")),
        M::up(include_str!("migrations/0015_unit_placement.sql")),
        M::up(include_str!("migrations/0016_dashboard_indexes.sql")),
        M::up(include_str!("migrations/0017_stats_generation.sql")),
        M::up_with_hook(
            include_str!("migrations/0018_completeness.sql"),
            completeness_of_stored_forms,
        ),
        M::up(include_str!("migrations/0019_current_version_once.sql")),
    ])
}

/// Folds every stored identity again with today's folding, which also drops invisible format
/// characters, so that a name stored with a zero-width space meets its visible twin.
fn refold_identities(tx: &Transaction<'_>) -> HookResult {
    let evaluations: Vec<(i64, String, Option<String>, Option<String>)> = tx
        .prepare("SELECT id, unit_name, unit_code, project_name FROM evaluations")?
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?
        .collect::<Result<_, _>>()?;
    for (id, name, code, project) in evaluations {
        let code_key = code.as_deref().map(normalize).filter(|c| !c.is_empty());
        tx.execute(
            "UPDATE evaluations SET unit_key = ?2, unit_code_key = ?3, project_key = ?4
             WHERE id = ?1",
            params![
                id,
                normalize(&name),
                code_key,
                project.as_deref().map(normalize).unwrap_or_default()
            ],
        )?;
    }
    let units: Vec<(String, String)> = tx
        .prepare("SELECT code, name FROM units")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (code, name) in units {
        tx.execute(
            "UPDATE units SET code_key = ?2, name_key = ?3 WHERE code = ?1",
            params![code, normalize(&code), normalize(&name)],
        )?;
    }
    Ok(())
}

/// Fills in the funds of every stored form in 万元.
fn funds_in_wan(tx: &Transaction<'_>) -> HookResult {
    let documents: Vec<(i64, String)> = tx
        .prepare("SELECT id, document_json FROM evaluations")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (id, json) in documents {
        let Ok(document) = serde_json::from_str::<EvaluationDocument>(&json) else {
            continue;
        };
        let (budget, executed) = funds_wan(&document);
        tx.execute(
            "UPDATE evaluations SET annual_budget_wan = ?2, executed_wan = ?3 WHERE id = ?1",
            params![id, budget, executed],
        )?;
    }
    Ok(())
}

/// Records whether every stored form is complete.
fn completeness_of_stored_forms(tx: &Transaction<'_>) -> HookResult {
    let rows: Vec<(i64, String, String)> = tx
        .prepare("SELECT id, document_json, result_json FROM evaluations")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (id, document, result) in rows {
        let Ok(document) = serde_json::from_str::<EvaluationDocument>(&document) else {
            continue;
        };
        let result = serde_json::from_str(&result).ok();
        let complete =
            crate::domain::completeness::completeness(&document, result.as_ref()).complete;
        tx.execute(
            "UPDATE evaluations SET complete = ?2 WHERE id = ?1",
            params![id, complete],
        )?;
    }
    Ok(())
}

/// A form's annual budget and executed amount in 万元, as stored.
pub(super) fn funds_wan(document: &EvaluationDocument) -> (Option<String>, Option<String>) {
    let wan = |amount: Option<crate::domain::decimal::Dec>| {
        amount.map(|a| in_wan(a.get(), document.currency_unit).to_string())
    };
    (
        wan(document.funds.annual_budget),
        wan(document.funds.executed),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }

    #[test]
    fn identities_stored_before_invisible_characters_were_folded_are_folded_again() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("an in-memory database");
        migrations()
            .to_version(&mut conn, 9)
            .expect("migrated to 9");
        conn.execute_batch(
            "INSERT INTO evaluations (kind, fiscal_year, unit_name, unit_code, unit_key,
                 unit_code_key, project_name, project_key, version, ruleset_id, ruleset_version,
                 computed_total, computed_total_cents, computed_grade, computed_grade_label,
                 findings_error, findings_warning, findings_info, submitted_json, document_json,
                 result_json, created_at, updated_at)
             VALUES ('department', 2021, '甲\u{200B}单位', '4304\u{202B}21', '甲\u{200B}单位',
                 '4304\u{202B}21', NULL, '', 1, 'national-2020', 1, '90', 9000, 'excellent',
                 '优', 0, 0, 0, '{}', '{}', '{}', 'now', 'now');
             INSERT INTO evaluation_versions (evaluation_id, version, submitted_json,
                 document_json, result_json, ruleset_id, ruleset_version, content_hash,
                 stored_at)
             VALUES (1, 1, '{}', '{\"unit\": {\"name\": \"甲单位\", \"code\": \"430421\"}}',
                 '{}', 'national-2020', 1, 'hash', 'now');
             INSERT INTO units (code, code_key, name, name_key, updated_at)
             VALUES ('430422', '430422', '乙\u{FEFF}单位', '乙\u{FEFF}单位', 'now');",
        )
        .expect("rows of schema 9");

        migrations().to_latest(&mut conn).expect("migrated");

        let keys: (String, String) = conn
            .query_row(
                "SELECT unit_key, unit_code_key FROM evaluations",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .expect("the form");
        assert_eq!(keys, ("甲单位".to_owned(), "430421".to_owned()));
        let version_code: String = conn
            .query_row("SELECT unit_code FROM evaluation_versions", [], |row| {
                row.get(0)
            })
            .expect("the version");
        assert_eq!(version_code, "430421");
        let unit_key: String = conn
            .query_row("SELECT name_key FROM units", [], |row| row.get(0))
            .expect("the unit");
        assert_eq!(unit_key, "乙单位");
    }

    #[test]
    fn grades_of_forms_stored_before_grade_columns_are_filled_in() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("an in-memory database");
        migrations()
            .to_version(&mut conn, 10)
            .expect("migrated to 10");
        conn.execute_batch(
            "INSERT INTO evaluations (kind, fiscal_year, unit_name, unit_code, unit_key,
                 unit_code_key, project_name, project_key, version, ruleset_id, ruleset_version,
                 computed_total, computed_total_cents, computed_grade, computed_grade_label,
                 findings_error, findings_warning, findings_info, submitted_json, document_json,
                 result_json, created_at, updated_at, status, review_grade, review_grade_label)
             VALUES ('department', 2021, '甲单位', NULL, '甲单位', NULL, NULL, '', 3,
                 'national-2020', 1, '90', 9000, 'excellent', '优', 0, 0, 0, '{}', '{}',
                 '{\"declared\": {\"grade_code\": \"good\"}}', 'now', 'now', 'approved',
                 'fair', '中');",
        )
        .expect("a row of schema 10");

        migrations().to_latest(&mut conn).expect("migrated");

        let grades: (String, String, String) = conn
            .query_row(
                "SELECT declared_grade_code, shown_grade, shown_grade_label FROM evaluations",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .expect("the form");
        assert_eq!(grades, ("good".into(), "fair".into(), "中".into()));
    }

    #[test]
    fn review_samples_are_append_only() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("an in-memory database");
        migrations().to_latest(&mut conn).expect("migrated");
        conn.execute_batch(
            "INSERT INTO review_samples (fiscal_year, kind, size, rate, stratify_by,
                 include_sampled, seed, eligible, strata_json, drawn_by_role, drawn_by_token,
                 drawn_at)
             VALUES (2020, NULL, 1, NULL, NULL, 0, 7, 1, '[]', 'admin', 1, 'now');
             INSERT INTO review_sample_items (sample_id, evaluation_id, stratum)
             VALUES (1, 1, NULL);",
        )
        .expect("a sample");
        for change in [
            "UPDATE review_samples SET seed = 8",
            "DELETE FROM review_samples",
            "UPDATE review_sample_items SET evaluation_id = 2",
            "DELETE FROM review_sample_items",
        ] {
            let error = conn.execute(change, []).expect_err(change);
            assert!(
                error.to_string().contains("append-only"),
                "{change}: {error}"
            );
        }
    }
}

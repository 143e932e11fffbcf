-- A form's identity is its budget code where it has one, so a unit can never learn of, or
-- block, another unit's form by writing that unit's name under its own code. A form without a
-- code (only an admin, who sees every form, can store one) is known by its name among all
-- forms; the storage layer checks that against this index.
DROP INDEX evaluations_identity_by_name;
CREATE INDEX evaluations_by_identity_name
    ON evaluations (kind, fiscal_year, unit_key, project_key);

-- Each kept version names its unit's budget code in a column of its own, so that who may read
-- it is decided before its document is read.
DROP TRIGGER evaluation_versions_are_kept_unchanged;
ALTER TABLE evaluation_versions ADD COLUMN unit_code TEXT;
UPDATE evaluation_versions SET unit_code = json_extract(document_json, '$.unit.code');
CREATE TRIGGER evaluation_versions_are_kept_unchanged BEFORE UPDATE ON evaluation_versions
BEGIN SELECT RAISE(ABORT, 'stored versions are never changed'); END;

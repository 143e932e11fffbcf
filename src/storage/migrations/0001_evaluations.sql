-- One row per stored form: the document as sent, the canonical document, the scored result,
-- and the summary columns that lists filter and sort on.
CREATE TABLE evaluations (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    kind                  TEXT    NOT NULL CHECK (kind IN ('department', 'project')),
    fiscal_year           INTEGER NOT NULL,
    unit_name             TEXT    NOT NULL,
    unit_code             TEXT,
    -- The unit's name and budget code folded for comparison (white space dropped, full-width
    -- forms folded), so that a stray space or a code added later does not make a second unit.
    unit_key              TEXT    NOT NULL,
    unit_code_key         TEXT,
    project_name          TEXT,
    -- The project's name folded like the unit's; '' on department forms, so the identity
    -- indexes cover both kinds.
    project_key           TEXT    NOT NULL,
    version               INTEGER NOT NULL CHECK (version >= 1),
    ruleset_id            TEXT    NOT NULL,
    ruleset_version       INTEGER NOT NULL,
    computed_total        TEXT    NOT NULL,
    -- The computed total in hundredths, for exact ordering without floating point.
    computed_total_cents  INTEGER NOT NULL,
    computed_grade        TEXT    NOT NULL,
    computed_grade_label  TEXT    NOT NULL,
    declared_total        TEXT,
    declared_grade        TEXT,
    findings_error        INTEGER NOT NULL,
    findings_warning      INTEGER NOT NULL,
    findings_info         INTEGER NOT NULL,
    submitted_json        TEXT    NOT NULL,
    document_json         TEXT    NOT NULL,
    result_json           TEXT    NOT NULL,
    created_at            TEXT    NOT NULL,
    updated_at            TEXT    NOT NULL
) STRICT;

-- A unit has one form of a kind a year (one per project on project forms), whether it is
-- recognized by its name or by its budget code.
CREATE UNIQUE INDEX evaluations_identity_by_name
    ON evaluations (kind, fiscal_year, unit_key, project_key);
CREATE UNIQUE INDEX evaluations_identity_by_code
    ON evaluations (kind, fiscal_year, unit_code_key, project_key)
    WHERE unit_code_key IS NOT NULL;
CREATE INDEX evaluations_by_year  ON evaluations (fiscal_year, id);
CREATE INDEX evaluations_by_kind  ON evaluations (kind, id);
CREATE INDEX evaluations_by_unit_name ON evaluations (unit_name, id);
CREATE INDEX evaluations_by_unit_code ON evaluations (unit_code, id);
CREATE INDEX evaluations_by_grade ON evaluations (computed_grade, id);
CREATE INDEX evaluations_by_total ON evaluations (computed_total_cents, id);
CREATE INDEX evaluations_by_updated ON evaluations (updated_at, id);

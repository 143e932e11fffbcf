-- One row per stored form: the document as sent, the canonical document, the scored result,
-- and the summary columns that lists filter and sort on.
CREATE TABLE evaluations (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    kind                  TEXT    NOT NULL CHECK (kind IN ('department', 'project')),
    fiscal_year           INTEGER NOT NULL,
    unit_name             TEXT    NOT NULL,
    unit_code             TEXT,
    -- The unit's identity: its budget code where given, else its name.
    unit_key              TEXT    NOT NULL,
    project_name          TEXT,
    -- '' on department forms, so the identity index covers both kinds.
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

CREATE UNIQUE INDEX evaluations_identity
    ON evaluations (kind, fiscal_year, unit_key, project_key);
CREATE INDEX evaluations_by_year  ON evaluations (fiscal_year, id);
CREATE INDEX evaluations_by_kind  ON evaluations (kind, id);
CREATE INDEX evaluations_by_unit_name ON evaluations (unit_name, id);
CREATE INDEX evaluations_by_unit_code ON evaluations (unit_code, id);
CREATE INDEX evaluations_by_grade ON evaluations (computed_grade, id);
CREATE INDEX evaluations_by_total ON evaluations (computed_total_cents, id);
CREATE INDEX evaluations_by_updated ON evaluations (updated_at, id);

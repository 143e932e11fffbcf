-- The finding codes each form has, so that a list can filter on a finding without reading any
-- form's result. Rewritten with the result in the same transaction as every write.
CREATE TABLE evaluation_findings (
    evaluation_id  INTEGER NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    code           TEXT    NOT NULL,
    PRIMARY KEY (code, evaluation_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX evaluation_findings_by_evaluation ON evaluation_findings (evaluation_id);
INSERT OR IGNORE INTO evaluation_findings (evaluation_id, code)
    SELECT e.id, json_extract(f.value, '$.code')
    FROM evaluations e, json_each(e.result_json, '$.findings') f;

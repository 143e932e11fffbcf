-- Review samples (抽查复核): each draw with its parameters, seed and drawer, and the forms it
-- drew. Append-only, as the record of what was drawn must not change after the fact.
CREATE TABLE review_samples (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    fiscal_year      INTEGER NOT NULL,
    -- NULL: forms of both kinds.
    kind             TEXT CHECK (kind IN ('department', 'project')),
    -- Exactly one of a size and a rate (a percentage, exact decimal text) was asked for.
    size             INTEGER,
    rate             TEXT,
    stratify_by      TEXT CHECK (stratify_by IN ('grade', 'department')),
    include_sampled  INTEGER NOT NULL CHECK (include_sampled IN (0, 1)),
    seed             INTEGER NOT NULL,
    -- How many forms were eligible, and each stratum's key, eligible and drawn counts (JSON).
    eligible         INTEGER NOT NULL,
    strata_json      TEXT    NOT NULL,
    drawn_by_role    TEXT    NOT NULL,
    -- NULL when the service itself drew it.
    drawn_by_token   INTEGER,
    drawn_at         TEXT    NOT NULL,
    CHECK ((size IS NULL) <> (rate IS NULL))
) STRICT;
CREATE INDEX review_samples_by_year ON review_samples (fiscal_year, id);

-- The forms of each sample. No foreign key to evaluations: a sampled form that is later
-- returned and deleted stays in the record of the sample (ids are never reused).
CREATE TABLE review_sample_items (
    sample_id      INTEGER NOT NULL REFERENCES review_samples (id),
    evaluation_id  INTEGER NOT NULL,
    stratum        TEXT,
    PRIMARY KEY (sample_id, evaluation_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX review_sample_items_by_evaluation ON review_sample_items (evaluation_id, sample_id);

CREATE TRIGGER review_samples_no_update BEFORE UPDATE ON review_samples
BEGIN SELECT RAISE(ABORT, 'review samples are append-only'); END;
CREATE TRIGGER review_samples_no_delete BEFORE DELETE ON review_samples
BEGIN SELECT RAISE(ABORT, 'review samples are append-only'); END;
CREATE TRIGGER review_sample_items_no_update BEFORE UPDATE ON review_sample_items
BEGIN SELECT RAISE(ABORT, 'review samples are append-only'); END;
CREATE TRIGGER review_sample_items_no_delete BEFORE DELETE ON review_sample_items
BEGIN SELECT RAISE(ABORT, 'review samples are append-only'); END;

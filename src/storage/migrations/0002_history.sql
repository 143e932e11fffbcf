-- Every stored version of every evaluation exactly as it was, and an append-only history of
-- every change. Neither is touched when an evaluation is replaced or deleted, so any published
-- grade can be traced and recomputed years later.
CREATE TABLE evaluation_versions (
    evaluation_id    INTEGER NOT NULL,
    version          INTEGER NOT NULL,
    submitted_json   TEXT    NOT NULL,
    document_json    TEXT    NOT NULL,
    result_json      TEXT    NOT NULL,
    ruleset_id       TEXT    NOT NULL,
    ruleset_version  INTEGER NOT NULL,
    -- SHA-256 of document_json, hex.
    content_hash     TEXT    NOT NULL,
    stored_at        TEXT    NOT NULL,
    PRIMARY KEY (evaluation_id, version)
) STRICT;

CREATE TABLE evaluation_history (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    evaluation_id  INTEGER NOT NULL,
    -- The version the change produced; the last version for a deletion.
    version        INTEGER NOT NULL,
    at             TEXT    NOT NULL,
    action         TEXT    NOT NULL CHECK (action IN ('created', 'replaced', 'deleted',
                       'submitted', 'returned', 'approved', 'reopened', 'reviewed')),
    -- Who made the change: JSON {"role": …, "token_id": …}.
    actor_json     TEXT    NOT NULL,
    -- What changed: JSON [{"path": …, "old": …, "new": …}].
    changes_json   TEXT    NOT NULL,
    comment        TEXT
) STRICT;

CREATE INDEX evaluation_history_by_evaluation ON evaluation_history (evaluation_id, id);

CREATE TRIGGER evaluation_versions_are_kept_unchanged BEFORE UPDATE ON evaluation_versions
BEGIN SELECT RAISE(ABORT, 'stored versions are never changed'); END;
CREATE TRIGGER evaluation_versions_are_kept BEFORE DELETE ON evaluation_versions
BEGIN SELECT RAISE(ABORT, 'stored versions are never deleted'); END;
CREATE TRIGGER evaluation_history_is_kept_unchanged BEFORE UPDATE ON evaluation_history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER evaluation_history_is_kept BEFORE DELETE ON evaluation_history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

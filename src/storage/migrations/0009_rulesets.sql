-- Rulesets an admin published through the API, every version kept: forms scored under an
-- earlier version can still be traced to the rules they were scored with.
CREATE TABLE rulesets (
    id          TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    json        TEXT    NOT NULL,
    stored_at   TEXT    NOT NULL,
    -- Who published it: JSON {"role": …, "token_id": …}.
    actor_json  TEXT    NOT NULL,
    PRIMARY KEY (id, version)
) STRICT;

CREATE TRIGGER rulesets_are_kept_unchanged BEFORE UPDATE ON rulesets
BEGIN SELECT RAISE(ABORT, 'published rulesets are never changed'); END;
CREATE TRIGGER rulesets_are_kept BEFORE DELETE ON rulesets
BEGIN SELECT RAISE(ABORT, 'published rulesets are never deleted'); END;

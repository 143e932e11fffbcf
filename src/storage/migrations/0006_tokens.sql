-- API tokens: a role and, for units, the budget codes they cover. Only a SHA-256 of the secret
-- is kept; the secret is shown once, when the token is created.
CREATE TABLE tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    role         TEXT    NOT NULL CHECK (role IN ('admin', 'reviewer', 'unit')),
    -- JSON array of unit codes (预算编码) a unit token covers; empty for other roles.
    units_json   TEXT    NOT NULL,
    secret_hash  TEXT    NOT NULL UNIQUE,
    label        TEXT,
    created_at   TEXT    NOT NULL,
    revoked_at   TEXT
) STRICT;

-- The units (预算单位) an admin has registered: each budget code with the unit's name. A form
-- naming a registered code must carry its registered name, and a registered name may not be
-- used under another code.
CREATE TABLE units (
    code        TEXT NOT NULL PRIMARY KEY,
    -- The code and name folded as evaluations fold them (white space, full-width forms).
    code_key    TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL UNIQUE,
    updated_at  TEXT NOT NULL
) STRICT;

-- Submission deadlines per fiscal year and kind of form; a draft or returned form past its
-- deadline is overdue.
CREATE TABLE deadlines (
    fiscal_year  INTEGER NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('department', 'project')),
    -- The last day to submit, YYYY-MM-DD.
    due_on       TEXT    NOT NULL,
    PRIMARY KEY (fiscal_year, kind)
) STRICT;

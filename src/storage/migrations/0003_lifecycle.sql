-- Where each form stands in review. Only draft and returned forms may be replaced or deleted;
-- a reopened form is a new draft version that names the approved version it came from.
ALTER TABLE evaluations ADD COLUMN status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'submitted', 'returned', 'approved'));
ALTER TABLE evaluations ADD COLUMN reopened_from INTEGER;
CREATE INDEX evaluations_by_status ON evaluations (status, id);

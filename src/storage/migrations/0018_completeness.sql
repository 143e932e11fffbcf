-- Whether each form is complete (nothing missing, so it can be submitted), for listing forms
-- by completeness without reading documents. Filled in for stored forms by the migration's
-- hook.
ALTER TABLE evaluations ADD COLUMN complete INTEGER NOT NULL DEFAULT 1;

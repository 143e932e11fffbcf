-- A unit token lists the forms of its own unit codes; this keeps that list off a table scan.
CREATE INDEX evaluations_by_unit_code_key ON evaluations (unit_code_key, id);

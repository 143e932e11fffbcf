-- Where a registered unit stands: its 主管部门 (the department's budget code) and its 行政区划
-- (six digits). Each form carries its unit's pair in summary columns, copied from the registry
-- whenever the form or the registry entry is written, so that lists, exports and statistics
-- filter and group on them without a join.
ALTER TABLE units ADD COLUMN department TEXT CHECK (department <> '');
ALTER TABLE units ADD COLUMN region TEXT
    CHECK (region GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]');
ALTER TABLE evaluations ADD COLUMN department TEXT;
ALTER TABLE evaluations ADD COLUMN region TEXT;
CREATE INDEX evaluations_by_department ON evaluations (department, id);
-- Region prefixes (43: a province, 4304: a prefecture) are searched as ranges of this index.
CREATE INDEX evaluations_by_region ON evaluations (region, id);

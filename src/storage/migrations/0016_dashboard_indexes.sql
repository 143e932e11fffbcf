-- Statistics read a handful of summary columns of every matching form. The rows also hold
-- each form's JSON (tens of kilobytes), so a scan of the table reads all of it: with 100 000
-- forms, seconds per request. This index holds every column the statistics read, so they scan
-- it alone (a few megabytes) and seek to a year when one is asked for. It leaves out the
-- generated `shown_grade`: SQLite reads a virtual column from the table even when it is
-- indexed, so statistics work it out from `status`, `review_grade` and `computed_grade`.
CREATE INDEX evaluations_for_stats ON evaluations (
    fiscal_year, kind, status, department, region, ruleset_id, unit_name,
    unit_code, computed_grade, declared_grade_code, review_grade, computed_total,
    declared_total, review_total, annual_budget_wan, executed_wan, findings_error,
    findings_warning, findings_info);
-- A list filtered by year, kind and grade, in the default order, reads just the page it shows.
CREATE INDEX evaluations_by_year_kind_grade
    ON evaluations (fiscal_year, kind, shown_grade, id);

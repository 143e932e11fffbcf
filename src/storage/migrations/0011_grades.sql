-- Each grade a list shows or filters on, in a column of its own: the declared grade read to a
-- code by the form's ruleset (NULL when absent or unreadable), and the grade a list shows.
ALTER TABLE evaluations ADD COLUMN declared_grade_code TEXT
    CHECK (declared_grade_code IN ('excellent', 'good', 'fair', 'poor'));
UPDATE evaluations SET declared_grade_code = json_extract(result_json, '$.declared.grade_code');
-- The grade shown: the review grade of an approved form where one was recorded, else the rule
-- grade. Generated, so that no write can leave it behind its status or review grade.
ALTER TABLE evaluations ADD COLUMN shown_grade TEXT GENERATED ALWAYS AS (
    CASE WHEN status = 'approved' AND review_grade IS NOT NULL THEN review_grade
         ELSE computed_grade END) VIRTUAL;
ALTER TABLE evaluations ADD COLUMN shown_grade_label TEXT GENERATED ALWAYS AS (
    CASE WHEN status = 'approved' AND review_grade IS NOT NULL THEN review_grade_label
         ELSE computed_grade_label END) VIRTUAL;
CREATE INDEX evaluations_by_shown_grade ON evaluations (shown_grade, id);
CREATE INDEX evaluations_by_declared_grade ON evaluations (declared_grade_code, id);
CREATE INDEX evaluations_by_review_grade ON evaluations (review_grade, id);

-- Review scores (复核) recorded by a reviewer for a submitted form, and the review total and
-- grade they give; cleared when the unit replaces the document.
ALTER TABLE evaluations ADD COLUMN review_json TEXT;
ALTER TABLE evaluations ADD COLUMN review_total TEXT;
ALTER TABLE evaluations ADD COLUMN review_grade TEXT;
ALTER TABLE evaluations ADD COLUMN review_grade_label TEXT;

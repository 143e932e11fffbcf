-- A number raised by every change to the forms or the deadlines: statistics computed at one
-- number (and on one day, since overdue depends on the date) can be served again until it
-- moves, instead of reading every matching form again for each request.
CREATE TABLE stats_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO stats_generation (id, n) VALUES (1, 0);
CREATE TRIGGER stats_generation_on_evaluation_insert AFTER INSERT ON evaluations
BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER stats_generation_on_evaluation_update AFTER UPDATE ON evaluations
BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER stats_generation_on_evaluation_delete AFTER DELETE ON evaluations
BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER stats_generation_on_deadline_insert AFTER INSERT ON deadlines
BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER stats_generation_on_deadline_update AFTER UPDATE ON deadlines
BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER stats_generation_on_deadline_delete AFTER DELETE ON deadlines
BEGIN UPDATE stats_generation SET n = n + 1; END;

-- A form's current version is held once, in the form's own row: the kept version of it leaves
-- its submitted text, document and result empty (''), and they are copied into it from the
-- form's row just before that row changes them, moves to another version or is deleted. A form
-- that stays as it was stored (as most do) thus holds its document and result once rather than
-- twice. Versions kept before this migration hold their copies as they did.
DROP TRIGGER evaluation_versions_are_kept_unchanged;
-- A kept version never changes, except that an empty one may be filled in, once, with exactly
-- what its form's row holds at that version.
CREATE TRIGGER evaluation_versions_are_kept_unchanged BEFORE UPDATE ON evaluation_versions
WHEN NOT (OLD.document_json = ''
    AND NEW.evaluation_id = OLD.evaluation_id AND NEW.version = OLD.version
    AND NEW.ruleset_id = OLD.ruleset_id AND NEW.ruleset_version = OLD.ruleset_version
    AND NEW.content_hash = OLD.content_hash AND NEW.stored_at = OLD.stored_at
    AND NEW.unit_code IS OLD.unit_code
    AND EXISTS (SELECT 1 FROM evaluations e
        WHERE e.id = OLD.evaluation_id AND e.version = OLD.version
          AND e.submitted_json = NEW.submitted_json AND e.document_json = NEW.document_json
          AND e.result_json = NEW.result_json))
BEGIN SELECT RAISE(ABORT, 'stored versions are never changed'); END;

CREATE TRIGGER evaluations_keep_their_version_before_update
BEFORE UPDATE OF version, submitted_json, document_json, result_json ON evaluations
BEGIN
    UPDATE evaluation_versions SET submitted_json = OLD.submitted_json,
        document_json = OLD.document_json, result_json = OLD.result_json
    WHERE evaluation_id = OLD.id AND version = OLD.version AND document_json = '';
END;
CREATE TRIGGER evaluations_keep_their_version_before_delete BEFORE DELETE ON evaluations
BEGIN
    UPDATE evaluation_versions SET submitted_json = OLD.submitted_json,
        document_json = OLD.document_json, result_json = OLD.result_json
    WHERE evaluation_id = OLD.id AND version = OLD.version AND document_json = '';
END;

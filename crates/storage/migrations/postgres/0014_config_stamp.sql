-- Configuration stamp: one counter that every change to the rules the intake and workflow engines
-- read (categories, case types, severities, numbering, responsibility list, dedup settings,
-- workflows, calendar, grading rules, departments, external systems) increases, by trigger, in the
-- same transaction as the change. The engines cache those rules in memory and reload them when the
-- stamp moves, so each instance sharing the database sees a change with its next transaction.
-- Keep in lockstep with ../sqlite/.

CREATE TABLE config_stamp (
    id INTEGER PRIMARY KEY CONSTRAINT config_stamp_one_row CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO config_stamp (id, n) VALUES (1, 1);

CREATE FUNCTION config_stamp_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE config_stamp SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER categories_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON categories
FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_bump();

CREATE TRIGGER category_stage_rules_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON category_stage_rules
FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_bump();

CREATE TRIGGER case_types_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON case_types
FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_bump();

CREATE TRIGGER severities_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON severities
FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_bump();

CREATE TRIGGER numbering_rules_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON numbering_rules
FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_bump();

CREATE TRIGGER responsibility_rules_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON responsibility_rules
FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_bump();

CREATE TRIGGER dedup_settings_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON dedup_settings
FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_bump();

CREATE TRIGGER workflows_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON workflows
FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_bump();

CREATE TRIGGER workflow_versions_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON workflow_versions
FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_bump();

CREATE TRIGGER calendar_settings_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_settings
FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_bump();

CREATE TRIGGER calendar_days_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_days
FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_bump();

CREATE TRIGGER grading_rules_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grading_rules
FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_bump();

CREATE TRIGGER departments_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON departments
FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_bump();

CREATE TRIGGER external_systems_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON external_systems
FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_bump();

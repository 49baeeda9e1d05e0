-- Configuration stamp: one counter that every change to the rules the intake and workflow engines
-- read (categories, case types, severities, numbering, responsibility list, dedup settings,
-- workflows, calendar, grading rules, departments, external systems) increases, by trigger, in the
-- same transaction as the change. The engines cache those rules in memory and reload them when the
-- stamp moves, so each instance sharing the database sees a change with its next transaction.
-- Keep in lockstep with ../postgres/.

CREATE TABLE config_stamp (
    id INTEGER PRIMARY KEY CONSTRAINT config_stamp_one_row CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO config_stamp (id, n) VALUES (1, 1);

CREATE TRIGGER categories_stamp_insert AFTER INSERT ON categories
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER categories_stamp_update AFTER UPDATE ON categories
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER categories_stamp_delete AFTER DELETE ON categories
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER category_stage_rules_stamp_insert AFTER INSERT ON category_stage_rules
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER category_stage_rules_stamp_update AFTER UPDATE ON category_stage_rules
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER category_stage_rules_stamp_delete AFTER DELETE ON category_stage_rules
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER case_types_stamp_insert AFTER INSERT ON case_types
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER case_types_stamp_update AFTER UPDATE ON case_types
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER case_types_stamp_delete AFTER DELETE ON case_types
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER severities_stamp_insert AFTER INSERT ON severities
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER severities_stamp_update AFTER UPDATE ON severities
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER severities_stamp_delete AFTER DELETE ON severities
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER numbering_rules_stamp_insert AFTER INSERT ON numbering_rules
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER numbering_rules_stamp_update AFTER UPDATE ON numbering_rules
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER numbering_rules_stamp_delete AFTER DELETE ON numbering_rules
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER responsibility_rules_stamp_insert AFTER INSERT ON responsibility_rules
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER responsibility_rules_stamp_update AFTER UPDATE ON responsibility_rules
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER responsibility_rules_stamp_delete AFTER DELETE ON responsibility_rules
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER dedup_settings_stamp_insert AFTER INSERT ON dedup_settings
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER dedup_settings_stamp_update AFTER UPDATE ON dedup_settings
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER dedup_settings_stamp_delete AFTER DELETE ON dedup_settings
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER workflows_stamp_insert AFTER INSERT ON workflows
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER workflows_stamp_update AFTER UPDATE ON workflows
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER workflows_stamp_delete AFTER DELETE ON workflows
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER workflow_versions_stamp_insert AFTER INSERT ON workflow_versions
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER workflow_versions_stamp_update AFTER UPDATE ON workflow_versions
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER workflow_versions_stamp_delete AFTER DELETE ON workflow_versions
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER calendar_settings_stamp_insert AFTER INSERT ON calendar_settings
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER calendar_settings_stamp_update AFTER UPDATE ON calendar_settings
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER calendar_settings_stamp_delete AFTER DELETE ON calendar_settings
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER calendar_days_stamp_insert AFTER INSERT ON calendar_days
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER calendar_days_stamp_update AFTER UPDATE ON calendar_days
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER calendar_days_stamp_delete AFTER DELETE ON calendar_days
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER grading_rules_stamp_insert AFTER INSERT ON grading_rules
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER grading_rules_stamp_update AFTER UPDATE ON grading_rules
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER grading_rules_stamp_delete AFTER DELETE ON grading_rules
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER departments_stamp_insert AFTER INSERT ON departments
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER departments_stamp_update AFTER UPDATE ON departments
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER departments_stamp_delete AFTER DELETE ON departments
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER external_systems_stamp_insert AFTER INSERT ON external_systems
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER external_systems_stamp_update AFTER UPDATE ON external_systems
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER external_systems_stamp_delete AFTER DELETE ON external_systems
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

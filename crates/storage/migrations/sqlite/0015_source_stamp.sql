-- The intake authenticates sources from the engines' rules cache (see 0014_config_stamp.sql), so a
-- change to a source (a new one, a rotated secret, a disabled one, new mappings) moves the
-- configuration stamp too. Recording a source's last use (`last_seen_at`) does not.
-- Keep in lockstep with ../postgres/.

CREATE TRIGGER sources_stamp_insert AFTER INSERT ON sources
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER sources_stamp_update AFTER UPDATE OF code, name, kind, region_code, department_id, app_key,
    secret_enc, callback_url, category_mapping, field_mapping, enabled ON sources
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER sources_stamp_delete AFTER DELETE ON sources
BEGIN UPDATE config_stamp SET n = n + 1 WHERE id = 1; END;

-- The intake authenticates sources from the engines' rules cache (see 0014_config_stamp.sql), so a
-- change to a source (a new one, a rotated secret, a disabled one, new mappings) moves the
-- configuration stamp too. Recording a source's last use (`last_seen_at`) does not.
-- Keep in lockstep with ../sqlite/.

CREATE TRIGGER sources_stamp AFTER INSERT OR DELETE OR TRUNCATE ON sources
FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_bump();

CREATE TRIGGER sources_stamp_update AFTER UPDATE OF code, name, kind, region_code, department_id, app_key,
    secret_enc, callback_url, category_mapping, field_mapping, enabled ON sources
FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_bump();

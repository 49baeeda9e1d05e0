-- Clue sources (F02): the systems that push clues under the intake standard, with their
-- credentials (secret encrypted with the field key), status callback, and field and category
-- mappings; and the nonces seen recently (replay protection shared by every server instance).

CREATE TABLE sources (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    code             TEXT NOT NULL CONSTRAINT sources_code_key UNIQUE,
    name             TEXT NOT NULL CONSTRAINT sources_name_key UNIQUE,
    kind             TEXT NOT NULL CONSTRAINT sources_kind_check
                     CHECK (kind IN ('county', 'department', 'zhiguantong', 'hotline', 'province', 'manual', 'other')),
    region_code      TEXT REFERENCES regions (code),
    department_id    INTEGER REFERENCES departments (id),
    app_key          TEXT NOT NULL CONSTRAINT sources_app_key_key UNIQUE,
    secret_enc       TEXT NOT NULL,
    callback_url     TEXT,
    category_mapping TEXT NOT NULL DEFAULT '{}',
    field_mapping    TEXT NOT NULL DEFAULT '{}',
    enabled          INTEGER NOT NULL DEFAULT 1 CONSTRAINT sources_enabled_check CHECK (enabled IN (0, 1)),
    last_seen_at     INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

CREATE TABLE intake_nonces (
    source_id  INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    nonce      TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (source_id, nonce)
);
CREATE INDEX intake_nonces_expires_idx ON intake_nonces (expires_at);

INSERT INTO permissions (code, name, module, module_name, duty, sort_order) VALUES
('clue:source:view', '线索来源-查看', 'clue', '线索中心', 'business', 20),
('clue:source:edit', '线索来源-编辑', 'clue', '线索中心', 'business', 21);

INSERT INTO dict_items (dict_code, value, label, sort_order, enabled, tag_type) VALUES
('audit_action', 'clue_source.create', '新增线索来源', 100, 1, NULL),
('audit_action', 'clue_source.update', '修改线索来源', 101, 1, NULL),
('audit_action', 'clue_source.delete', '删除线索来源', 102, 1, NULL),
('audit_action', 'clue_source.rotate_secret', '重置来源密钥', 103, 1, NULL),
('audit_target', 'source', '线索来源', 100, 1, NULL);

-- External systems (issue 4): per-system settings, the outbox's in-flight marker and operator
-- columns, the exchange log, idempotent inbound messages and the provincial state of cases.
-- Keep in lockstep with ../postgres/.

-- One row per external system. The secret is encrypted with the field cipher and never returned
-- by the API. An empty endpoint means the simulator built into this binary (served under /sim/).
CREATE TABLE external_systems (
    code             TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    enabled          INTEGER NOT NULL DEFAULT 0 CONSTRAINT external_systems_enabled_check CHECK (enabled IN (0, 1)),
    endpoint         TEXT NOT NULL DEFAULT '',
    app_key          TEXT NOT NULL DEFAULT '',
    secret_enc       TEXT NOT NULL DEFAULT '',
    timeout_ms       INTEGER NOT NULL DEFAULT 10000 CONSTRAINT external_systems_timeout_check CHECK (timeout_ms BETWEEN 100 AND 120000),
    max_attempts     INTEGER NOT NULL DEFAULT 12 CONSTRAINT external_systems_attempts_check CHECK (max_attempts BETWEEN 1 AND 100),
    -- Minutes between scheduled runs (status polling, org sync, data pulls); 0 = on demand only.
    schedule_minutes INTEGER NOT NULL DEFAULT 0 CONSTRAINT external_systems_schedule_check CHECK (schedule_minutes BETWEEN 0 AND 10080),
    -- System-specific settings (JSON object): categories pushed, field mapping, tenant …
    options          TEXT NOT NULL DEFAULT '{}',
    last_test_at     INTEGER,
    last_test_ok     INTEGER,
    last_test_message TEXT NOT NULL DEFAULT '',
    last_run_at      INTEGER,
    updated_by       TEXT NOT NULL DEFAULT '',
    updated_at       INTEGER NOT NULL
);

INSERT INTO external_systems (code, name, timeout_ms, max_attempts, schedule_minutes, options, updated_at) VALUES
('province', '省大综合一体化执法监管数字应用平台', 10000, 12, 5,
 '{"categories":[],"min_severity":"","scheme1_for_enterprise":true,"scheme3_for_person":true}', 1764115200000),
('zzd', '浙政钉', 10000, 12, 1440, '{"tenant_id":"","notify":true}', 1764115200000),
('irs', '大数据局一体化数据平台（IRS）', 30000, 5, 60, '{"datasets":[]}', 1764115200000),
('supervision', '省互联网+监管平台', 10000, 12, 0, '{}', 1764115200000);

-- Delivery bookkeeping: `in_flight` is set when a request may have reached the other side and
-- its outcome is not known (sent, then timeout or crash); the next attempt reconciles by query
-- before any resend.
ALTER TABLE outbox ADD COLUMN in_flight INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN case_id INTEGER;
ALTER TABLE outbox ADD COLUMN reference TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN delivered_at INTEGER;
CREATE INDEX outbox_channel_idx ON outbox (channel, status, id);
CREATE INDEX outbox_case_idx ON outbox (case_id);

-- Every request to or from an external system (one row per attempt), for the exchange screens.
CREATE TABLE exchanges (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    system      TEXT NOT NULL,
    direction   TEXT NOT NULL CONSTRAINT exchanges_direction_check CHECK (direction IN ('out', 'in')),
    interface   TEXT NOT NULL,
    outbox_id   INTEGER,
    case_id     INTEGER,
    reference   TEXT NOT NULL DEFAULT '',
    http_status INTEGER,
    outcome     TEXT NOT NULL CONSTRAINT exchanges_outcome_check CHECK (outcome IN ('ok', 'retry', 'unknown', 'rejected', 'duplicate')),
    error       TEXT NOT NULL DEFAULT '',
    request     TEXT NOT NULL DEFAULT '',
    response    TEXT NOT NULL DEFAULT '',
    duration_ms INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
);
CREATE INDEX exchanges_system_idx ON exchanges (system, created_at);
CREATE INDEX exchanges_case_idx ON exchanges (case_id);

-- Inbound messages already processed (feedback, callbacks): a repeat answers the first result.
CREATE TABLE inbound_messages (
    system      TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    result      TEXT NOT NULL DEFAULT '',
    received_at INTEGER NOT NULL,
    CONSTRAINT inbound_messages_pkey PRIMARY KEY (system, message_id)
);

-- The provincial state of a case pushed to the province (F15–F17).
CREATE TABLE province_cases (
    case_id        INTEGER PRIMARY KEY REFERENCES cases (id),
    interface      TEXT NOT NULL,
    -- Our identifier of the pushed clue (unique per push), and theirs once known.
    push_id        TEXT NOT NULL CONSTRAINT province_cases_push_key UNIQUE,
    remote_id      TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CONSTRAINT province_cases_status_check
                   CHECK (status IN ('queued', 'pushed', 'transferred', 'disposed', 'released', 'failed')),
    transferred_to TEXT NOT NULL DEFAULT '',
    result         TEXT NOT NULL DEFAULT '',
    pushed_at      INTEGER,
    transferred_at INTEGER,
    disposed_at    INTEGER,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX province_cases_status_idx ON province_cases (status);

INSERT INTO permissions (code, name, module, module_name, duty, sort_order) VALUES
('integration:system:view', '外部系统-查看', 'integration', '外部系统', 'system', 60),
('integration:system:edit', '外部系统-配置', 'integration', '外部系统', 'system', 61),
('integration:delivery:view', '投递队列-查看', 'integration', '外部系统', 'system', 62),
('integration:delivery:manage', '投递队列-重发与取消', 'integration', '外部系统', 'system', 63),
('integration:exchange:view', '交换记录-查看', 'integration', '外部系统', 'business', 64);

INSERT INTO role_permissions (role_id, permission_code)
SELECT r.id, p.code FROM roles r, permissions p
WHERE r.code = 'sys_admin' AND p.module = 'integration';

INSERT INTO dict_items (dict_code, value, label, sort_order, enabled, tag_type) VALUES
('audit_action', 'external.update', '修改外部系统配置', 130, 1, NULL),
('audit_action', 'external.test', '外部系统连接测试', 131, 1, NULL),
('audit_action', 'delivery.replay', '重新投递', 132, 1, NULL),
('audit_action', 'delivery.cancel', '取消投递', 133, 1, NULL),
('audit_action', 'province.feedback', '省平台反馈', 134, 1, NULL),
('audit_target', 'external_system', '外部系统', 130, 1, NULL),
('audit_target', 'delivery', '投递', 131, 1, NULL);

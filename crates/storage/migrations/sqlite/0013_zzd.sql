-- 浙政钉 (ZZD, issue 4 item 5): organisations and accounts as last synchronised, the link of each
-- account to a local user, and synchronisation runs with their diff (previewed, then applied).
-- Keep in lockstep with ../postgres/.

-- ZZD organisations, mapped to local departments (by name when first seen, or created on apply).
CREATE TABLE zzd_orgs (
    org_code      TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    parent_code   TEXT NOT NULL DEFAULT '',
    department_id INTEGER REFERENCES departments (id),
    status        TEXT NOT NULL DEFAULT 'A' CONSTRAINT zzd_orgs_status_check CHECK (status IN ('A', 'F')),
    display_order INTEGER NOT NULL DEFAULT 0,
    synced_at     INTEGER NOT NULL
);

-- ZZD accounts. The mobile is personal data: SM4-GCM ciphertext, masked form and blind index.
-- A user has at most one ZZD account; `link_method` says how the link was made.
CREATE TABLE zzd_accounts (
    account_id    INTEGER PRIMARY KEY,
    employee_code TEXT NOT NULL CONSTRAINT zzd_accounts_employee_key UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    mobile_enc    TEXT,
    mobile_masked TEXT,
    mobile_index  TEXT,
    org_code      TEXT NOT NULL DEFAULT '',
    job           TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'A' CONSTRAINT zzd_accounts_status_check CHECK (status IN ('A', 'F')),
    user_id       INTEGER CONSTRAINT zzd_accounts_user_key UNIQUE REFERENCES users (id),
    link_method   TEXT CONSTRAINT zzd_accounts_link_check CHECK (link_method IN ('employee_code', 'mobile', 'admin')),
    linked_by     TEXT NOT NULL DEFAULT '',
    linked_at     INTEGER,
    last_login_at INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX zzd_accounts_org_idx ON zzd_accounts (org_code);
CREATE INDEX zzd_accounts_mobile_idx ON zzd_accounts (mobile_index);

-- Synchronisation runs: the diff computed from ZZD (JSON), shown before it is applied.
CREATE TABLE zzd_sync_runs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    origin     TEXT NOT NULL CONSTRAINT zzd_sync_runs_origin_check CHECK (origin IN ('manual', 'schedule')),
    status     TEXT NOT NULL CONSTRAINT zzd_sync_runs_status_check CHECK (status IN ('preview', 'applied', 'discarded', 'failed')),
    diff       TEXT NOT NULL DEFAULT '{}',
    summary    TEXT NOT NULL DEFAULT '',
    error      TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    applied_by TEXT NOT NULL DEFAULT '',
    applied_at INTEGER
);
CREATE INDEX zzd_sync_runs_created_idx ON zzd_sync_runs (created_at);

-- Deadline notifications already handled (`warn-<task id>`, `overdue-<task id>`), whether or not
-- anyone was notified, so the deadline scan looks at each task once per kind.
CREATE TABLE zzd_notice_keys (
    notice_key TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
);

INSERT INTO permissions (code, name, module, module_name, duty, sort_order) VALUES
('integration:zzd:view', '浙政钉账号与同步-查看', 'integration', '外部系统', 'system', 65),
('integration:zzd:manage', '浙政钉账号关联与组织同步', 'integration', '外部系统', 'system', 66);

INSERT INTO role_permissions (role_id, permission_code)
SELECT r.id, p.code FROM roles r, permissions p
WHERE r.code = 'sys_admin' AND p.code IN ('integration:zzd:view', 'integration:zzd:manage');

INSERT INTO dict_items (dict_code, value, label, sort_order, enabled, tag_type) VALUES
('audit_action', 'zzd.link', '关联浙政钉账号', 140, 1, NULL),
('audit_action', 'zzd.unlink', '解除浙政钉账号关联', 141, 1, NULL),
('audit_action', 'zzd.sync_preview', '浙政钉组织同步预览', 142, 1, NULL),
('audit_action', 'zzd.sync_apply', '应用浙政钉组织同步', 143, 1, NULL),
('audit_action', 'zzd.sync_discard', '放弃浙政钉组织同步', 144, 1, NULL),
('audit_target', 'zzd_account', '浙政钉账号', 140, 1, NULL),
('audit_target', 'zzd_sync', '浙政钉同步', 141, 1, NULL);

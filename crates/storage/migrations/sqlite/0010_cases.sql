-- Cases (F12–F14): workflow definitions and their versions, the working-day calendar, grading
-- rules, clues as received, cases, tasks, the case timeline, suspected-duplicate reviews,
-- attachments and the outbox of status callbacks. Keep in lockstep with ../postgres/.

CREATE TABLE workflows (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    code            TEXT NOT NULL CONSTRAINT workflows_code_key UNIQUE,
    name            TEXT NOT NULL CONSTRAINT workflows_name_key UNIQUE,
    description     TEXT NOT NULL DEFAULT '',
    -- Lower first; the first enabled workflow whose conditions hold handles a new case.
    priority        INTEGER NOT NULL DEFAULT 100,
    conditions      TEXT NOT NULL DEFAULT '[]',
    enabled         INTEGER NOT NULL DEFAULT 1 CONSTRAINT workflows_enabled_check CHECK (enabled IN (0, 1)),
    current_version INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE workflow_versions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    workflow_id INTEGER NOT NULL REFERENCES workflows (id),
    version     INTEGER NOT NULL,
    definition  TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    CONSTRAINT workflow_versions_key UNIQUE (workflow_id, version)
);

-- Working periods of a day and the warning point (percent of a task's time limit).
CREATE TABLE calendar_settings (
    id           INTEGER PRIMARY KEY CONSTRAINT calendar_settings_one CHECK (id = 1),
    periods      TEXT NOT NULL,
    warn_percent INTEGER NOT NULL CONSTRAINT calendar_settings_warn_check CHECK (warn_percent BETWEEN 1 AND 99),
    updated_at   INTEGER NOT NULL
);
INSERT INTO calendar_settings (id, periods, warn_percent, updated_at)
VALUES (1, '[["08:30","12:00"],["13:30","17:30"]]', 80, 1764115200000);

-- Exceptions to the Monday–Friday rule: public holidays and make-up working days (调休).
CREATE TABLE calendar_days (
    day  TEXT PRIMARY KEY,
    kind TEXT NOT NULL CONSTRAINT calendar_days_kind_check CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL DEFAULT ''
);

CREATE TABLE grading_rules (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL CONSTRAINT grading_rules_name_key UNIQUE,
    priority      INTEGER NOT NULL,
    conditions    TEXT NOT NULL,
    tier          TEXT NOT NULL CONSTRAINT grading_rules_tier_check CHECK (tier IN ('city', 'county', 'township')),
    -- NULL: the responsibility list names the unit.
    department_id INTEGER REFERENCES departments (id),
    note          TEXT NOT NULL DEFAULT '',
    enabled       INTEGER NOT NULL DEFAULT 1 CONSTRAINT grading_rules_enabled_check CHECK (enabled IN (0, 1)),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- Content-addressed files (the bytes live in the data dir under attachments/ab/cdef…).
CREATE TABLE attachments (
    sha256       TEXT PRIMARY KEY,
    size         INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);

CREATE TABLE cases (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    case_no             TEXT NOT NULL CONSTRAINT cases_case_no_key UNIQUE,
    title               TEXT NOT NULL,
    description         TEXT NOT NULL,
    address             TEXT NOT NULL DEFAULT '',
    region_code         TEXT NOT NULL REFERENCES regions (code),
    county_code         TEXT NOT NULL,
    lon                 REAL,
    lat                 REAL,
    -- Dedup bucket: floor(lon*200)*100000 + floor(lat*200) (cells of about 500 m).
    grid_cell           INTEGER,
    category_id         INTEGER NOT NULL REFERENCES categories (id),
    case_type_id        INTEGER NOT NULL REFERENCES case_types (id),
    severity_id         INTEGER NOT NULL REFERENCES severities (id),
    source_id           INTEGER NOT NULL REFERENCES sources (id),
    reported_at         INTEGER NOT NULL,
    occurred_at         INTEGER,
    status              TEXT NOT NULL CONSTRAINT cases_status_check
                        CHECK (status IN ('active', 'suspended', 'closed', 'voided', 'merged')),
    activity            TEXT,
    activity_name       TEXT,
    tier                TEXT CONSTRAINT cases_tier_check CHECK (tier IN ('city', 'county', 'township')),
    department_id       INTEGER REFERENCES departments (id),
    grading             TEXT NOT NULL CONSTRAINT cases_grading_check CHECK (grading IN ('auto', 'manual', 'pending')),
    grading_rule_id     INTEGER REFERENCES grading_rules (id),
    time_limit_hours    INTEGER,
    workflow_version_id INTEGER NOT NULL REFERENCES workflow_versions (id),
    due_at              INTEGER,
    warn_at             INTEGER,
    overdue             INTEGER NOT NULL DEFAULT 0 CONSTRAINT cases_overdue_check CHECK (overdue IN (0, 1)),
    clue_count          INTEGER NOT NULL DEFAULT 1,
    returned_count      INTEGER NOT NULL DEFAULT 0,
    extension_count     INTEGER NOT NULL DEFAULT 0,
    rework_count        INTEGER NOT NULL DEFAULT 0,
    resume_due_at       INTEGER,
    pending_extension_minutes INTEGER,
    dedup_terms         TEXT NOT NULL DEFAULT '',
    merged_into         INTEGER REFERENCES cases (id),
    subject_type        TEXT,
    subject_name        TEXT,
    subject_code        TEXT,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    closed_at           INTEGER
);
CREATE INDEX cases_reported_idx ON cases (reported_at);
CREATE INDEX cases_grid_idx ON cases (grid_cell, reported_at);
CREATE INDEX cases_region_idx ON cases (region_code, reported_at);
CREATE INDEX cases_county_idx ON cases (county_code, reported_at);
CREATE INDEX cases_status_idx ON cases (status, activity);
CREATE INDEX cases_department_idx ON cases (department_id, status);
CREATE INDEX cases_category_idx ON cases (category_id, reported_at);
CREATE INDEX cases_due_idx ON cases (due_at);

CREATE TABLE clues (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id          INTEGER NOT NULL REFERENCES sources (id),
    source_clue_id     TEXT NOT NULL,
    payload_hash       TEXT NOT NULL,
    -- The payload exactly as received (before field mapping).
    raw_payload        TEXT NOT NULL,
    case_id            INTEGER NOT NULL REFERENCES cases (id),
    dedup              TEXT NOT NULL CONSTRAINT clues_dedup_check CHECK (dedup IN ('new', 'merged', 'suspected')),
    dedup_score        REAL,
    received_at        INTEGER NOT NULL,
    reported_at        INTEGER NOT NULL,
    description        TEXT NOT NULL,
    address            TEXT NOT NULL DEFAULT '',
    lon                REAL,
    lat                REAL,
    coord_system       TEXT,
    region_code        TEXT NOT NULL,
    category_id        INTEGER NOT NULL REFERENCES categories (id),
    reporter_name_enc  TEXT,
    reporter_phone_enc TEXT,
    reporter_phone_idx TEXT,
    reporter_id_enc    TEXT,
    reporter_id_idx    TEXT,
    subject_type       TEXT,
    subject_name       TEXT,
    subject_code       TEXT,
    -- The answer given to the source, returned again on an identical retry.
    result             TEXT NOT NULL,
    created_by         INTEGER REFERENCES users (id),
    CONSTRAINT clues_source_key UNIQUE (source_id, source_clue_id)
);
CREATE INDEX clues_case_idx ON clues (case_id);
CREATE INDEX clues_phone_idx ON clues (reporter_phone_idx);

CREATE TABLE clue_attachments (
    clue_id      INTEGER NOT NULL REFERENCES clues (id),
    sha256       TEXT NOT NULL REFERENCES attachments (sha256),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    PRIMARY KEY (clue_id, sha256)
);

CREATE TABLE case_tasks (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id       INTEGER NOT NULL REFERENCES cases (id),
    activity      TEXT NOT NULL,
    activity_name TEXT NOT NULL,
    -- A unit's task, or (department NULL) a task for holders of a permission within their scope.
    department_id INTEGER REFERENCES departments (id),
    permission    TEXT,
    region_code   TEXT NOT NULL,
    status        TEXT NOT NULL CONSTRAINT case_tasks_status_check CHECK (status IN ('open', 'done', 'cancelled')),
    created_at    INTEGER NOT NULL,
    due_at        INTEGER,
    warn_at       INTEGER,
    completed_at  INTEGER,
    completed_by  INTEGER REFERENCES users (id),
    action        TEXT,
    overdue       INTEGER NOT NULL DEFAULT 0 CONSTRAINT case_tasks_overdue_check CHECK (overdue IN (0, 1))
);
CREATE INDEX case_tasks_case_idx ON case_tasks (case_id);
CREATE INDEX case_tasks_department_idx ON case_tasks (status, department_id);
CREATE INDEX case_tasks_permission_idx ON case_tasks (status, permission);
CREATE INDEX case_tasks_done_idx ON case_tasks (completed_by, completed_at);

CREATE TABLE case_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id       INTEGER NOT NULL REFERENCES cases (id),
    at            INTEGER NOT NULL,
    actor_id      INTEGER,
    actor_name    TEXT NOT NULL,
    action        TEXT NOT NULL,
    action_name   TEXT NOT NULL,
    from_activity TEXT,
    to_activity   TEXT,
    to_name       TEXT,
    comment       TEXT NOT NULL DEFAULT '',
    data          TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case_idx ON case_events (case_id, id);

CREATE TABLE dedup_reviews (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    clue_id           INTEGER NOT NULL REFERENCES clues (id),
    case_id           INTEGER NOT NULL REFERENCES cases (id),
    candidate_case_id INTEGER NOT NULL REFERENCES cases (id),
    score             REAL NOT NULL,
    status            TEXT NOT NULL CONSTRAINT dedup_reviews_status_check CHECK (status IN ('pending', 'merged', 'separate')),
    created_at        INTEGER NOT NULL,
    decided_by        INTEGER REFERENCES users (id),
    decided_at        INTEGER
);
CREATE INDEX dedup_reviews_status_idx ON dedup_reviews (status, created_at);
CREATE INDEX dedup_reviews_case_idx ON dedup_reviews (case_id);

-- Messages to external systems written in the same transaction as the change that causes them.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    channel         TEXT NOT NULL,
    target_id       INTEGER NOT NULL,
    ordering_key    TEXT NOT NULL,
    event_id        TEXT NOT NULL CONSTRAINT outbox_event_key UNIQUE,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'delivered', 'parked', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX outbox_pending_idx ON outbox (status, next_attempt_at);
CREATE INDEX outbox_order_idx ON outbox (ordering_key, id);

-- Weights of the dedup score, now configuration (defaults as measured in docs/dedup.md).
ALTER TABLE dedup_settings ADD COLUMN weight_category REAL NOT NULL DEFAULT 0.5;
ALTER TABLE dedup_settings ADD COLUMN weight_proximity REAL NOT NULL DEFAULT 0.25;
ALTER TABLE dedup_settings ADD COLUMN weight_text REAL NOT NULL DEFAULT 0.25;

INSERT INTO permissions (code, name, module, module_name, duty, sort_order) VALUES
('clue:case:view', '案件-查看', 'clue', '线索中心', 'business', 30),
('clue:case:create', '案件-人工录入', 'clue', '线索中心', 'business', 31),
('clue:case:handle', '案件-办理', 'clue', '线索中心', 'business', 32),
('clue:case:dispatch', '案件-调度分级', 'clue', '线索中心', 'business', 33),
('clue:case:export', '案件-导出', 'clue', '线索中心', 'business', 34),
('clue:case:reveal', '案件-查看举报人完整信息', 'clue', '线索中心', 'business', 35);

INSERT INTO dict_items (dict_code, value, label, sort_order, enabled, tag_type) VALUES
('audit_action', 'clue.intake', '线索接入', 110, 1, NULL),
('audit_action', 'case.create', '人工录入线索', 111, 1, NULL),
('audit_action', 'case.action', '案件办理', 112, 1, NULL),
('audit_action', 'case.merge', '合并重复线索', 113, 1, NULL),
('audit_action', 'case.keep_separate', '判定非重复', 114, 1, NULL),
('audit_action', 'case.reveal', '查看举报人信息', 115, 1, NULL),
('audit_action', 'case.export', '导出案件', 116, 1, NULL),
('audit_action', 'workflow.create', '新增流程', 120, 1, NULL),
('audit_action', 'workflow.update', '修改流程', 121, 1, NULL),
('audit_action', 'calendar.update', '修改工作日历', 122, 1, NULL),
('audit_action', 'grading_rule.create', '新增分级规则', 123, 1, NULL),
('audit_action', 'grading_rule.update', '修改分级规则', 124, 1, NULL),
('audit_action', 'grading_rule.delete', '删除分级规则', 125, 1, NULL),
('audit_target', 'case', '案件', 110, 1, NULL),
('audit_target', 'clue', '线索', 111, 1, NULL),
('audit_target', 'workflow', '流程', 112, 1, NULL),
('audit_target', 'calendar', '工作日历', 113, 1, NULL),
('audit_target', 'grading_rule', '分级规则', 114, 1, NULL);

-- Public holidays and make-up working days (State Council notices for 2025 and 2026).
INSERT INTO calendar_days (day, kind, name) VALUES
('2025-01-01', 'holiday', '元旦'),
('2025-01-26', 'workday', '春节调休上班'),
('2025-01-28', 'holiday', '春节'), ('2025-01-29', 'holiday', '春节'), ('2025-01-30', 'holiday', '春节'),
('2025-01-31', 'holiday', '春节'), ('2025-02-01', 'holiday', '春节'), ('2025-02-02', 'holiday', '春节'),
('2025-02-03', 'holiday', '春节'), ('2025-02-04', 'holiday', '春节'),
('2025-02-08', 'workday', '春节调休上班'),
('2025-04-04', 'holiday', '清明节'), ('2025-04-05', 'holiday', '清明节'), ('2025-04-06', 'holiday', '清明节'),
('2025-04-27', 'workday', '劳动节调休上班'),
('2025-05-01', 'holiday', '劳动节'), ('2025-05-02', 'holiday', '劳动节'), ('2025-05-03', 'holiday', '劳动节'),
('2025-05-04', 'holiday', '劳动节'), ('2025-05-05', 'holiday', '劳动节'),
('2025-05-31', 'holiday', '端午节'), ('2025-06-01', 'holiday', '端午节'), ('2025-06-02', 'holiday', '端午节'),
('2025-09-28', 'workday', '国庆节调休上班'),
('2025-10-01', 'holiday', '国庆节、中秋节'), ('2025-10-02', 'holiday', '国庆节、中秋节'),
('2025-10-03', 'holiday', '国庆节、中秋节'), ('2025-10-04', 'holiday', '国庆节、中秋节'),
('2025-10-05', 'holiday', '国庆节、中秋节'), ('2025-10-06', 'holiday', '国庆节、中秋节'),
('2025-10-07', 'holiday', '国庆节、中秋节'), ('2025-10-08', 'holiday', '国庆节、中秋节'),
('2025-10-11', 'workday', '国庆节调休上班'),
('2026-01-01', 'holiday', '元旦'), ('2026-01-02', 'holiday', '元旦'), ('2026-01-03', 'holiday', '元旦'),
('2026-01-04', 'workday', '元旦调休上班'),
('2026-02-14', 'workday', '春节调休上班'),
('2026-02-15', 'holiday', '春节'), ('2026-02-16', 'holiday', '春节'), ('2026-02-17', 'holiday', '春节'),
('2026-02-18', 'holiday', '春节'), ('2026-02-19', 'holiday', '春节'), ('2026-02-20', 'holiday', '春节'),
('2026-02-21', 'holiday', '春节'), ('2026-02-22', 'holiday', '春节'), ('2026-02-23', 'holiday', '春节'),
('2026-02-28', 'workday', '春节调休上班'),
('2026-04-04', 'holiday', '清明节'), ('2026-04-05', 'holiday', '清明节'), ('2026-04-06', 'holiday', '清明节'),
('2026-05-01', 'holiday', '劳动节'), ('2026-05-02', 'holiday', '劳动节'), ('2026-05-03', 'holiday', '劳动节'),
('2026-05-04', 'holiday', '劳动节'), ('2026-05-05', 'holiday', '劳动节'),
('2026-05-09', 'workday', '劳动节调休上班'),
('2026-06-19', 'holiday', '端午节'), ('2026-06-20', 'holiday', '端午节'), ('2026-06-21', 'holiday', '端午节'),
('2026-09-20', 'workday', '国庆节调休上班'),
('2026-09-25', 'holiday', '中秋节'), ('2026-09-26', 'holiday', '中秋节'), ('2026-09-27', 'holiday', '中秋节'),
('2026-10-01', 'holiday', '国庆节'), ('2026-10-02', 'holiday', '国庆节'), ('2026-10-03', 'holiday', '国庆节'),
('2026-10-04', 'holiday', '国庆节'), ('2026-10-05', 'holiday', '国庆节'), ('2026-10-06', 'holiday', '国庆节'),
('2026-10-07', 'holiday', '国庆节'),
('2026-10-10', 'workday', '国庆节调休上班');

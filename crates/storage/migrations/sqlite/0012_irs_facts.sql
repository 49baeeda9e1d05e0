-- The big-data bureau's data platform (IRS, F81): enforcement facts pulled incrementally, the
-- dimensions that describe them, and the import jobs with their checkpoints.
-- Keep in lockstep with ../postgres/ (tests/migrations.rs compares them).

-- One row per enforcement event of the eight fact datasets (licences, inspections, penalties,
-- complaints, reconsiderations, litigations, rectifications, transfers). One common shape rather
-- than a table per kind: every analysis (trend, by region, by department, by item, by subject)
-- slices all kinds the same way, so one set of composite indexes serves them all; what only one
-- kind has lives in `kind`, `status`, `amount` and the `attrs` JSON. The natural key is the
-- platform's record id within its dataset, so a page pulled twice (a resumed import, an
-- overlapping incremental pull) updates the rows instead of adding them.
CREATE TABLE irs_facts (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset           TEXT NOT NULL CONSTRAINT irs_facts_dataset_check CHECK (dataset IN
                      ('license', 'inspection', 'penalty', 'complaint', 'reconsideration', 'litigation', 'rectification', 'transfer')),
    record_id         TEXT NOT NULL,
    -- Township (or county) code where it happened, and its county (first six digits).
    region_code       TEXT NOT NULL,
    county_code       TEXT NOT NULL,
    region_name       TEXT NOT NULL DEFAULT '',
    -- The acting department or body (unified social credit code and name).
    dept_code         TEXT NOT NULL DEFAULT '',
    dept_name         TEXT NOT NULL DEFAULT '',
    -- The enforcement item (provincial catalogue code and name).
    item_code         TEXT NOT NULL DEFAULT '',
    item_name         TEXT NOT NULL DEFAULT '',
    -- The regulated subject: enterprise, individual_business, organisation or person.
    subject_type      TEXT NOT NULL DEFAULT '',
    subject_name      TEXT NOT NULL DEFAULT '',
    subject_code      TEXT NOT NULL DEFAULT '',
    occurred_at       INTEGER,
    concluded_at      INTEGER,
    kind              TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT '',
    -- Fen (fines, confiscations).
    amount            INTEGER,
    title             TEXT NOT NULL DEFAULT '',
    attrs             TEXT NOT NULL DEFAULT '{}',
    -- The platform's last change, and which import wrote the row when.
    source_updated_at INTEGER NOT NULL,
    import_id         INTEGER,
    imported_at       INTEGER NOT NULL,
    CONSTRAINT irs_facts_record_key UNIQUE (dataset, record_id)
);
CREATE INDEX irs_facts_dataset_time_idx ON irs_facts (dataset, occurred_at);
CREATE INDEX irs_facts_county_time_idx ON irs_facts (county_code, occurred_at);
CREATE INDEX irs_facts_region_time_idx ON irs_facts (region_code, occurred_at);
CREATE INDEX irs_facts_dept_time_idx ON irs_facts (dept_code, occurred_at);
CREATE INDEX irs_facts_item_time_idx ON irs_facts (item_code, occurred_at);
CREATE INDEX irs_facts_subject_idx ON irs_facts (subject_code);

-- Dimension: the enforcement bodies (执法主体) as the platform knows them.
CREATE TABLE irs_bodies (
    code              TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL DEFAULT '',
    region_code       TEXT NOT NULL DEFAULT '',
    region_name       TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT '',
    established_at    INTEGER,
    attrs             TEXT NOT NULL DEFAULT '{}',
    source_updated_at INTEGER NOT NULL,
    import_id         INTEGER,
    imported_at       INTEGER NOT NULL
);
CREATE INDEX irs_bodies_region_idx ON irs_bodies (region_code);

-- Dimension: the enforcement item catalogue (执法事项).
CREATE TABLE irs_items (
    code              TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL DEFAULT '',
    dept_code         TEXT NOT NULL DEFAULT '',
    dept_name         TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT '',
    attrs             TEXT NOT NULL DEFAULT '{}',
    source_updated_at INTEGER NOT NULL,
    import_id         INTEGER,
    imported_at       INTEGER NOT NULL
);

-- Import jobs. `running` is 'irs' while the job runs and NULL otherwise: the unique index lets
-- only one import run at a time, across server instances.
CREATE TABLE irs_imports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    status       TEXT NOT NULL CONSTRAINT irs_imports_status_check CHECK (status IN ('running', 'succeeded', 'failed')),
    -- `incremental` starts each dataset at its checkpoint, `full` from the beginning.
    mode         TEXT NOT NULL CONSTRAINT irs_imports_mode_check CHECK (mode IN ('incremental', 'full')),
    running      TEXT,
    expected     INTEGER NOT NULL DEFAULT 0,
    fetched      INTEGER NOT NULL DEFAULT 0,
    inserted     INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER NOT NULL DEFAULT 0,
    pages        INTEGER NOT NULL DEFAULT 0,
    retries      INTEGER NOT NULL DEFAULT 0,
    resumes      INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    started_at   INTEGER NOT NULL,
    -- Moved by every committed page; a running job whose heartbeat stopped was interrupted.
    heartbeat_at INTEGER NOT NULL,
    finished_at  INTEGER
);
CREATE UNIQUE INDEX irs_imports_running_key ON irs_imports (running);

-- Progress of each dataset of an import. `cursor` is the checkpoint: the position after the last
-- committed page, written in the transaction that writes the page.
CREATE TABLE irs_import_datasets (
    import_id    INTEGER NOT NULL REFERENCES irs_imports (id),
    dataset      TEXT NOT NULL,
    status       TEXT NOT NULL CONSTRAINT irs_import_datasets_status_check CHECK (status IN ('pending', 'running', 'done', 'failed')),
    start_cursor TEXT,
    cursor       TEXT,
    expected     INTEGER NOT NULL DEFAULT 0,
    fetched      INTEGER NOT NULL DEFAULT 0,
    inserted     INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER NOT NULL DEFAULT 0,
    pages        INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    updated_at   INTEGER NOT NULL,
    CONSTRAINT irs_import_datasets_pkey PRIMARY KEY (import_id, dataset)
);

-- Failed attempts of an import (transient errors that were retried, and the one that failed it).
CREATE TABLE irs_import_errors (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    import_id   INTEGER NOT NULL REFERENCES irs_imports (id),
    dataset     TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    message     TEXT NOT NULL,
    occurred_at INTEGER NOT NULL
);
CREATE INDEX irs_import_errors_import_idx ON irs_import_errors (import_id, id);

-- Where the next incremental import of each dataset starts: the checkpoint of the last page
-- committed by any import.
CREATE TABLE irs_checkpoints (
    dataset    TEXT PRIMARY KEY,
    cursor     TEXT NOT NULL,
    import_id  INTEGER,
    updated_at INTEGER NOT NULL
);

INSERT INTO permissions (code, name, module, module_name, duty, sort_order) VALUES
('integration:irs:view', 'IRS数据-查看导入与执法事实', 'integration', '外部系统', 'business', 65),
('integration:irs:import', 'IRS数据-发起与续传导入', 'integration', '外部系统', 'business', 66),
('integration:irs:export', 'IRS数据-导出执法事实', 'integration', '外部系统', 'business', 67);

INSERT INTO role_permissions (role_id, permission_code)
SELECT r.id, p.code FROM roles r, permissions p
WHERE r.code = 'sys_admin' AND p.code IN ('integration:irs:view', 'integration:irs:import', 'integration:irs:export');

INSERT INTO dict_items (dict_code, value, label, sort_order, enabled, tag_type) VALUES
('audit_action', 'irs.import', '发起IRS数据导入', 140, 1, NULL),
('audit_action', 'irs.resume', '续传IRS数据导入', 141, 1, NULL),
('audit_action', 'irs.export', '导出IRS执法事实', 142, 1, NULL),
('audit_target', 'irs_import', 'IRS导入任务', 140, 1, NULL),
('audit_target', 'irs_facts', 'IRS执法事实', 141, 1, NULL);

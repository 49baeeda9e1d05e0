-- Clue center handling rules (F04–F11): categories with per-stage rules, case types, severity
-- levels, numbering rules and their sequences, the responsibility list, dedup settings, and the
-- version history of every configuration change. Keep in lockstep with ../postgres/.

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id   INTEGER REFERENCES categories (id),
    code        TEXT NOT NULL CONSTRAINT categories_code_key UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CONSTRAINT categories_kind_check CHECK (kind IN ('component', 'event', 'enforcement')),
    sort_order  INTEGER NOT NULL DEFAULT 0,
    enabled     INTEGER NOT NULL DEFAULT 1 CONSTRAINT categories_enabled_check CHECK (enabled IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX categories_parent_idx ON categories (parent_id);

CREATE TABLE category_stage_rules (
    category_id        INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    stage              TEXT NOT NULL CONSTRAINT category_stage_rules_stage_check
                       CHECK (stage IN ('receive', 'file', 'dispatch', 'handle', 'report', 'verify', 'close')),
    time_limit_minutes INTEGER,
    requirement        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (category_id, stage)
);

CREATE TABLE case_types (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT NOT NULL CONSTRAINT case_types_code_key UNIQUE,
    name        TEXT NOT NULL CONSTRAINT case_types_name_key UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0,
    enabled     INTEGER NOT NULL DEFAULT 1 CONSTRAINT case_types_enabled_check CHECK (enabled IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE severities (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    code               TEXT NOT NULL CONSTRAINT severities_code_key UNIQUE,
    name               TEXT NOT NULL CONSTRAINT severities_name_key UNIQUE,
    rank               INTEGER NOT NULL,
    color              TEXT NOT NULL,
    time_limit_percent INTEGER NOT NULL CONSTRAINT severities_percent_check CHECK (time_limit_percent BETWEEN 1 AND 1000),
    description        TEXT NOT NULL DEFAULT '',
    enabled            INTEGER NOT NULL DEFAULT 1 CONSTRAINT severities_enabled_check CHECK (enabled IN (0, 1)),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);

CREATE TABLE numbering_rules (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL CONSTRAINT numbering_rules_name_key UNIQUE,
    pattern     TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 0 CONSTRAINT numbering_rules_active_check CHECK (active IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
-- At most one active rule.
CREATE UNIQUE INDEX numbering_rules_one_active ON numbering_rules (active) WHERE active = 1;

-- Per-scope counters for case numbers (scope = the number with the sequence left out).
CREATE TABLE case_sequences (
    scope_key  TEXT PRIMARY KEY,
    last_value INTEGER NOT NULL
);

CREATE TABLE responsibility_rules (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    category_id      INTEGER NOT NULL REFERENCES categories (id),
    region_code      TEXT NOT NULL REFERENCES regions (code),
    department_id    INTEGER NOT NULL REFERENCES departments (id),
    tier             TEXT NOT NULL CONSTRAINT responsibility_rules_tier_check CHECK (tier IN ('city', 'county', 'township')),
    time_limit_hours INTEGER NOT NULL CONSTRAINT responsibility_rules_limit_check CHECK (time_limit_hours BETWEEN 1 AND 8760),
    note             TEXT NOT NULL DEFAULT '',
    enabled          INTEGER NOT NULL DEFAULT 1 CONSTRAINT responsibility_rules_enabled_check CHECK (enabled IN (0, 1)),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    CONSTRAINT responsibility_rules_scope_key UNIQUE (category_id, region_code)
);
CREATE INDEX responsibility_rules_region_idx ON responsibility_rules (region_code);
CREATE INDEX responsibility_rules_department_idx ON responsibility_rules (department_id);

CREATE TABLE dedup_settings (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    category_id    INTEGER REFERENCES categories (id) ON DELETE CASCADE,
    high_threshold REAL NOT NULL,
    low_threshold  REAL NOT NULL,
    radius_m       INTEGER NOT NULL CONSTRAINT dedup_settings_radius_check CHECK (radius_m BETWEEN 1 AND 100000),
    window_hours   INTEGER NOT NULL CONSTRAINT dedup_settings_window_check CHECK (window_hours BETWEEN 1 AND 8760),
    same_category  INTEGER NOT NULL DEFAULT 1 CONSTRAINT dedup_settings_same_check CHECK (same_category IN (0, 1)),
    enabled        INTEGER NOT NULL DEFAULT 1 CONSTRAINT dedup_settings_enabled_check CHECK (enabled IN (0, 1)),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    CONSTRAINT dedup_settings_category_key UNIQUE (category_id)
);
-- Exactly one global row (category_id NULL).
CREATE UNIQUE INDEX dedup_settings_one_global ON dedup_settings ((category_id IS NULL)) WHERE category_id IS NULL;

CREATE TABLE config_versions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    entity     TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    action     TEXT NOT NULL CONSTRAINT config_versions_action_check CHECK (action IN ('create', 'update', 'delete')),
    snapshot   TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at INTEGER NOT NULL,
    CONSTRAINT config_versions_key UNIQUE (entity, entity_id, version)
);

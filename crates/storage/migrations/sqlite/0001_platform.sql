-- Platform foundation schema (SQLite). Keep in lockstep with ../postgres/0001_platform.sql:
-- same tables, same columns, same constraint names (tests/migrations.rs compares them).
-- Booleans are 0/1 integers and timestamps are milliseconds since the Unix epoch on both backends.

CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CONSTRAINT regions_level_check CHECK (level IN ('city', 'county', 'township')),
    parent_code TEXT REFERENCES regions (code),
    official    INTEGER NOT NULL DEFAULT 1 CONSTRAINT regions_official_check CHECK (official IN (0, 1)),
    sort_order  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX regions_parent_idx ON regions (parent_code);

CREATE TABLE region_boundaries (
    region_code TEXT PRIMARY KEY REFERENCES regions (code),
    geometry    TEXT NOT NULL,
    source      TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE departments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id   INTEGER REFERENCES departments (id),
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CONSTRAINT departments_kind_check
                CHECK (kind IN ('government', 'bureau', 'squad', 'city_department', 'county_department', 'township_office', 'other')),
    region_code TEXT NOT NULL REFERENCES regions (code),
    sort_order  INTEGER NOT NULL DEFAULT 0,
    enabled     INTEGER NOT NULL DEFAULT 1 CONSTRAINT departments_enabled_check CHECK (enabled IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    CONSTRAINT departments_name_key UNIQUE (name)
);
CREATE INDEX departments_parent_idx ON departments (parent_id);

CREATE TABLE permissions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    module      TEXT NOT NULL,
    module_name TEXT NOT NULL,
    duty        TEXT NOT NULL CONSTRAINT permissions_duty_check CHECK (duty IN ('system', 'security', 'audit', 'business')),
    sort_order  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE roles (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT NOT NULL CONSTRAINT roles_code_key UNIQUE,
    name        TEXT NOT NULL CONSTRAINT roles_name_key UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    data_scope  TEXT NOT NULL CONSTRAINT roles_data_scope_check CHECK (data_scope IN ('all', 'region', 'department', 'own')),
    builtin     INTEGER NOT NULL DEFAULT 0 CONSTRAINT roles_builtin_check CHECK (builtin IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE role_permissions (
    role_id         INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    permission_code TEXT NOT NULL REFERENCES permissions (code),
    PRIMARY KEY (role_id, permission_code)
);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    username            TEXT NOT NULL,
    display_name        TEXT NOT NULL,
    department_id       INTEGER NOT NULL REFERENCES departments (id),
    password_hash       TEXT NOT NULL,
    password_changed_at INTEGER NOT NULL,
    phone_enc           TEXT,
    phone_masked        TEXT,
    phone_index         TEXT,
    id_number_enc       TEXT,
    id_number_masked    TEXT,
    id_number_index     TEXT,
    email               TEXT,
    enabled             INTEGER NOT NULL DEFAULT 1 CONSTRAINT users_enabled_check CHECK (enabled IN (0, 1)),
    failed_attempts     INTEGER NOT NULL DEFAULT 0,
    locked_until        INTEGER,
    last_login_at       INTEGER,
    last_login_ip       TEXT,
    zzd_account_id      TEXT,
    employee_code       TEXT,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    deleted_at          INTEGER
);
CREATE UNIQUE INDEX users_username_key ON users (username) WHERE deleted_at IS NULL;
CREATE INDEX users_department_idx ON users (department_id);
CREATE INDEX users_phone_index_idx ON users (phone_index);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id INTEGER NOT NULL REFERENCES roles (id),
    PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_role_idx ON user_roles (role_id);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    ip           TEXT NOT NULL,
    user_agent   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    occurred_at INTEGER NOT NULL,
    actor_id    INTEGER,
    actor_name  TEXT NOT NULL,
    ip          TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    summary     TEXT NOT NULL,
    changes     TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_name);

-- The chain head: one row, updated in the same transaction as each append. Updating it first
-- serialises appenders on every backend (a row lock on PostgreSQL, the write lock on SQLite).
CREATE TABLE audit_head (
    id       INTEGER PRIMARY KEY CONSTRAINT audit_head_single CHECK (id = 1),
    last_seq INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE dict_types (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    builtin     INTEGER NOT NULL DEFAULT 0 CONSTRAINT dict_types_builtin_check CHECK (builtin IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE dict_items (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    dict_code  TEXT NOT NULL REFERENCES dict_types (code) ON DELETE CASCADE,
    value      TEXT NOT NULL,
    label      TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    enabled    INTEGER NOT NULL DEFAULT 1 CONSTRAINT dict_items_enabled_check CHECK (enabled IN (0, 1)),
    tag_type   TEXT,
    CONSTRAINT dict_items_value_key UNIQUE (dict_code, value)
);

CREATE TABLE portal_tiles (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    name                TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    icon                TEXT NOT NULL,
    url                 TEXT NOT NULL,
    kind                TEXT NOT NULL CONSTRAINT portal_tiles_kind_check CHECK (kind IN ('internal', 'external')),
    required_permission TEXT REFERENCES permissions (code),
    sort_order          INTEGER NOT NULL DEFAULT 0,
    enabled             INTEGER NOT NULL DEFAULT 1 CONSTRAINT portal_tiles_enabled_check CHECK (enabled IN (0, 1)),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    CONSTRAINT portal_tiles_name_key UNIQUE (name)
);

CREATE TABLE enforcement_items (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    code            TEXT NOT NULL CONSTRAINT enforcement_items_code_key UNIQUE,
    name            TEXT NOT NULL,
    category        TEXT NOT NULL CONSTRAINT enforcement_items_category_check
                    CHECK (category IN ('comprehensive', 'special', 'township', 'transferred', 'other')),
    department_name TEXT NOT NULL DEFAULT '',
    legal_basis     TEXT NOT NULL DEFAULT '',
    enabled         INTEGER NOT NULL DEFAULT 1 CONSTRAINT enforcement_items_enabled_check CHECK (enabled IN (0, 1)),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX enforcement_items_name_idx ON enforcement_items (name);

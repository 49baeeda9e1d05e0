//! Storage errors. Constraint violations are translated into field-level conflicts here, so the API
//! can answer 409/422 with the offending field instead of a 500.

use crate::dialect::{self, ViolationKind};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("record not found")]
    NotFound,
    /// A unique constraint rejected the write; `field` names the API field.
    #[error("duplicate value for {field}")]
    Duplicate { field: &'static str },
    /// A foreign key rejected the write (a referenced row is missing or still in use).
    #[error("reference violation on {field}")]
    Reference { field: &'static str },
    /// A check constraint rejected the write.
    #[error("invalid value for {field}")]
    Check { field: &'static str },
    #[error("unsupported SQLite version {found}; at least {required} is required")]
    SqliteVersion { found: String, required: &'static str },
    #[error("corrupt data: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Sqlx(sqlx::Error),
}

pub type StorageResult<T> = Result<T, StorageError>;

/// Known constraints: (PostgreSQL constraint name, SQLite "table.column" text, API field).
const CONSTRAINTS: &[(&str, &str, &str)] = &[
    ("users_username_key", "users.username", "username"),
    ("roles_code_key", "roles.code", "code"),
    ("roles_name_key", "roles.name", "name"),
    ("departments_name_key", "departments.name", "name"),
    ("dict_types_pkey", "dict_types.code", "code"),
    ("dict_items_value_key", "dict_items.dict_code, dict_items.value", "value"),
    ("portal_tiles_name_key", "portal_tiles.name", "name"),
    ("enforcement_items_code_key", "enforcement_items.code", "code"),
    ("portal_tiles_required_permission_fkey", "portal_tiles.required_permission", "required_permission"),
    ("departments_region_code_fkey", "departments.region_code", "region_code"),
    ("departments_parent_id_fkey", "departments.parent_id", "parent_id"),
    ("users_department_id_fkey", "users.department_id", "department_id"),
    ("role_permissions_permission_code_fkey", "role_permissions.permission_code", "permissions"),
    ("user_roles_role_id_fkey", "user_roles.role_id", "role_ids"),
    ("categories_code_key", "categories.code", "code"),
    ("case_types_code_key", "case_types.code", "code"),
    ("case_types_name_key", "case_types.name", "name"),
    ("severities_code_key", "severities.code", "code"),
    ("severities_name_key", "severities.name", "name"),
    ("numbering_rules_name_key", "numbering_rules.name", "name"),
    (
        "responsibility_rules_scope_key",
        "responsibility_rules.category_id, responsibility_rules.region_code",
        "region_code",
    ),
    ("dedup_settings_category_key", "dedup_settings.category_id", "category_id"),
    ("sources_code_key", "sources.code", "code"),
    ("sources_name_key", "sources.name", "name"),
    ("sources_app_key_key", "sources.app_key", "app_key"),
    ("responsibility_rules_category_id_fkey", "responsibility_rules.category_id", "category_id"),
    ("responsibility_rules_department_id_fkey", "responsibility_rules.department_id", "department_id"),
    ("responsibility_rules_region_code_fkey", "responsibility_rules.region_code", "region_code"),
    ("zzd_accounts_user_key", "zzd_accounts.user_id", "user_id"),
    ("zzd_accounts_employee_key", "zzd_accounts.employee_code", "employee_code"),
    ("zzd_accounts_user_id_fkey", "zzd_accounts.user_id", "user_id"),
    ("irs_imports_running_key", "irs_imports.running", "running"),
];

fn field_for(name: &str) -> &'static str {
    CONSTRAINTS
        .iter()
        .find(|(pg, lite, _)| *pg == name || *lite == name || name.ends_with(&format!("CHECK constraint failed: {pg}")))
        .map(|(_, _, f)| *f)
        .unwrap_or("record")
}

impl From<sqlx::Error> for StorageError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StorageError::NotFound,
            sqlx::Error::Database(db) => match dialect::violation(db.as_ref()) {
                Some(v) => {
                    let field = field_for(&v.name);
                    match v.kind {
                        ViolationKind::Unique => StorageError::Duplicate { field },
                        ViolationKind::ForeignKey => StorageError::Reference { field },
                        ViolationKind::Check | ViolationKind::NotNull => StorageError::Check { field },
                    }
                }
                None => StorageError::Sqlx(e),
            },
            _ => StorageError::Sqlx(e),
        }
    }
}

use crate::db::{Backend, Conn};
use crate::dialect;
use crate::error::{StorageError, StorageResult};
use crate::query::{Bind, ScopeColumns, ScopeFilter, Where, dynamic};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub department_id: i64,
    pub department_name: String,
    pub region_code: String,
    pub phone_masked: Option<String>,
    pub id_number_masked: Option<String>,
    pub email: Option<String>,
    pub enabled: i64,
    pub locked_until: Option<i64>,
    pub last_login_at: Option<i64>,
    pub zzd_account_id: Option<String>,
    pub employee_code: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const SELECT: &str = "SELECT u.id, u.username, u.display_name, u.department_id, d.name AS department_name, \
     d.region_code, u.phone_masked, u.id_number_masked, u.email, u.enabled, u.locked_until, u.last_login_at, \
     u.zzd_account_id, u.employee_code, u.created_at, u.updated_at \
     FROM users u JOIN departments d ON d.id = u.department_id";

pub const SCOPE_COLUMNS: ScopeColumns =
    ScopeColumns { region: "d.region_code", department: "u.department_id", owner: "u.id" };

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub keyword: Option<String>,
    /// Department ids to include (already expanded to the subtree when asked).
    pub departments: Option<Vec<i64>>,
    pub enabled: Option<bool>,
    pub role_id: Option<i64>,
}

fn where_of(backend: Backend, f: &UserFilter, scope: &ScopeFilter) -> Where {
    let like = dialect::like_ci(backend);
    let mut w = Where::new();
    w.and_raw("u.deleted_at IS NULL");
    w.scope(scope, SCOPE_COLUMNS);
    if let Some(k) = &f.keyword {
        let p = w.push_bind(Bind::Text(dialect::like_pattern(k)));
        w.and_raw(format!("(u.username {like} {p} ESCAPE '\\' OR u.display_name {like} {p} ESCAPE '\\')"));
    }
    if let Some(ds) = &f.departments {
        if ds.is_empty() {
            w.and_raw("1 = 0");
        } else {
            let ps: Vec<String> = ds.iter().map(|d| w.push_bind(Bind::I64(*d))).collect();
            w.and_raw(format!("u.department_id IN ({})", ps.join(", ")));
        }
    }
    if let Some(e) = f.enabled {
        w.and("u.enabled = {}", Bind::I64(i64::from(e)));
    }
    if let Some(r) = f.role_id {
        w.and("u.id IN (SELECT user_id FROM user_roles WHERE role_id = {})", Bind::I64(r));
    }
    w
}

pub async fn count(conn: &mut Conn, backend: Backend, f: &UserFilter, scope: &ScopeFilter) -> StorageResult<i64> {
    let w = where_of(backend, f, scope);
    // Only the region scope looks at the department; without it the count is an index-only scan.
    let from = match scope {
        ScopeFilter::Region(_) => "users u JOIN departments d ON d.id = u.department_id",
        _ => "users u",
    };
    let sql = format!("SELECT COUNT(*) FROM {from}{}", w.sql());
    let (n,): (i64,) = w.apply_as(sqlx::query_as(dynamic(sql))).fetch_one(&mut *conn).await?;
    Ok(n)
}

/// `order_by` must come from an allow-list (see `xiezhi_domain::page::sort_column`) and end with
/// a unique tie-breaker in the same direction, so that an index on the column serves the ORDER BY.
pub async fn list(
    conn: &mut Conn,
    backend: Backend,
    f: &UserFilter,
    scope: &ScopeFilter,
    order_by: &str,
    limit: i64,
    offset: i64,
) -> StorageResult<Vec<UserRow>> {
    let mut w = where_of(backend, f, scope);
    let l = w.push_bind(Bind::I64(limit));
    let o = w.push_bind(Bind::I64(offset));
    let sql = format!("{SELECT}{} ORDER BY {order_by} LIMIT {l} OFFSET {o}", w.sql());
    Ok(w.apply_as(sqlx::query_as(dynamic(sql))).fetch_all(&mut *conn).await?)
}

/// One user if it exists, is not deleted and lies in `scope`.
pub async fn get(conn: &mut Conn, id: i64, scope: &ScopeFilter) -> StorageResult<UserRow> {
    let mut w = Where::new();
    w.and_raw("u.deleted_at IS NULL");
    w.and("u.id = {}", Bind::I64(id));
    w.scope(scope, SCOPE_COLUMNS);
    let sql = format!("{SELECT}{}", w.sql());
    w.apply_as(sqlx::query_as(dynamic(sql))).fetch_optional(&mut *conn).await?.ok_or(StorageError::NotFound)
}

/// Which of `ids` exist (not deleted) inside `scope`.
pub async fn ids_in_scope(conn: &mut Conn, ids: &[i64], scope: &ScopeFilter) -> StorageResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut w = Where::new();
    w.and_raw("u.deleted_at IS NULL");
    let ps: Vec<String> = ids.iter().map(|i| w.push_bind(Bind::I64(*i))).collect();
    w.and_raw(format!("u.id IN ({})", ps.join(", ")));
    w.scope(scope, SCOPE_COLUMNS);
    let sql = format!("SELECT u.id FROM users u JOIN departments d ON d.id = u.department_id{}", w.sql());
    let rows: Vec<(i64,)> = w.apply_as(sqlx::query_as(dynamic(sql))).fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// A sensitive field stored encrypted, with its masked display form and blind index.
#[derive(Debug, Clone, Default)]
pub struct Protected {
    pub enc: String,
    pub masked: String,
    pub index: String,
}

/// How an update treats a protected field.
#[derive(Debug, Clone, Default)]
pub enum FieldChange {
    #[default]
    Keep,
    Clear,
    Set(Protected),
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub department_id: i64,
    pub password_hash: String,
    pub phone: Option<Protected>,
    pub id_number: Option<Protected>,
    pub email: Option<String>,
    pub enabled: bool,
    pub employee_code: Option<String>,
}

pub async fn insert(conn: &mut Conn, u: &NewUser, now: i64) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (username, display_name, department_id, password_hash, password_changed_at, \
         phone_enc, phone_masked, phone_index, id_number_enc, id_number_masked, id_number_index, email, enabled, \
         employee_code, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $5, $5) RETURNING id",
    )
    .bind(&u.username)
    .bind(&u.display_name)
    .bind(u.department_id)
    .bind(&u.password_hash)
    .bind(now)
    .bind(u.phone.as_ref().map(|p| p.enc.clone()))
    .bind(u.phone.as_ref().map(|p| p.masked.clone()))
    .bind(u.phone.as_ref().map(|p| p.index.clone()))
    .bind(u.id_number.as_ref().map(|p| p.enc.clone()))
    .bind(u.id_number.as_ref().map(|p| p.masked.clone()))
    .bind(u.id_number.as_ref().map(|p| p.index.clone()))
    .bind(&u.email)
    .bind(i64::from(u.enabled))
    .bind(&u.employee_code)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone)]
pub struct UserUpdate {
    pub display_name: String,
    pub department_id: i64,
    pub phone: FieldChange,
    pub id_number: FieldChange,
    pub email: Option<String>,
    pub enabled: bool,
}

pub async fn update(conn: &mut Conn, id: i64, u: &UserUpdate, now: i64) -> StorageResult<()> {
    let r = sqlx::query(
        "UPDATE users SET display_name = $1, department_id = $2, email = $3, enabled = $4, updated_at = $5 \
         WHERE id = $6 AND deleted_at IS NULL",
    )
    .bind(&u.display_name)
    .bind(u.department_id)
    .bind(&u.email)
    .bind(i64::from(u.enabled))
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    for (prefix, change) in [("phone", &u.phone), ("id_number", &u.id_number)] {
        let sql =
            format!("UPDATE users SET {prefix}_enc = $1, {prefix}_masked = $2, {prefix}_index = $3 WHERE id = $4");
        let (e, m, i) = match change {
            FieldChange::Keep => continue,
            FieldChange::Clear => (None, None, None),
            FieldChange::Set(p) => (Some(p.enc.clone()), Some(p.masked.clone()), Some(p.index.clone())),
        };
        sqlx::query(dynamic(sql)).bind(e).bind(m).bind(i).bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Soft delete (注销): the row stays for the audit trail and references; the username is freed.
pub async fn soft_delete(conn: &mut Conn, ids: &[i64], now: i64) -> StorageResult<u64> {
    let mut n = 0;
    for id in ids {
        n += sqlx::query(
            "UPDATE users SET deleted_at = $1, enabled = 0, updated_at = $1 WHERE id = $2 AND deleted_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        sqlx::query("DELETE FROM user_roles WHERE user_id = $1").bind(id).execute(&mut *conn).await?;
    }
    Ok(n)
}

pub async fn set_enabled(conn: &mut Conn, ids: &[i64], enabled: bool, now: i64) -> StorageResult<u64> {
    let mut n = 0;
    for id in ids {
        n += sqlx::query(
            "UPDATE users SET enabled = $1, updated_at = $2 WHERE id = $3 AND deleted_at IS NULL AND enabled <> $1",
        )
        .bind(i64::from(enabled))
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(n)
}

pub async fn set_roles(conn: &mut Conn, user_id: i64, role_ids: &[i64]) -> StorageResult<()> {
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    for r in role_ids {
        sqlx::query("INSERT INTO user_roles (user_id, role_id) VALUES ($1, $2)")
            .bind(user_id)
            .bind(r)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// What login needs about an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub enabled: i64,
    pub failed_attempts: i64,
    pub locked_until: Option<i64>,
}

pub async fn credentials_by_username(conn: &mut Conn, username: &str) -> StorageResult<Option<Credentials>> {
    Ok(sqlx::query_as(
        "SELECT id, username, display_name, password_hash, enabled, failed_attempts, locked_until \
         FROM users WHERE username = $1 AND deleted_at IS NULL",
    )
    .bind(username)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn credentials_by_id(conn: &mut Conn, id: i64) -> StorageResult<Credentials> {
    Ok(sqlx::query_as(
        "SELECT id, username, display_name, password_hash, enabled, failed_attempts, locked_until \
         FROM users WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?)
}

/// Count a failed login atomically; lock the account for `lock_ms` when the count reaches
/// `threshold`. Returns (failed_attempts, locked_until). An expired lock restarts the count.
pub async fn record_failure(
    conn: &mut Conn,
    id: i64,
    now: i64,
    threshold: i64,
    lock_ms: i64,
) -> StorageResult<(i64, Option<i64>)> {
    Ok(sqlx::query_as(
        "UPDATE users SET \
           failed_attempts = CASE WHEN locked_until IS NOT NULL AND locked_until <= $1 THEN 1 ELSE failed_attempts + 1 END, \
           locked_until = CASE \
             WHEN locked_until IS NOT NULL AND locked_until <= $1 THEN NULL \
             WHEN failed_attempts + 1 >= $2 THEN $3 ELSE locked_until END \
         WHERE id = $4 RETURNING failed_attempts, locked_until",
    )
    .bind(now)
    .bind(threshold)
    .bind(now + lock_ms)
    .bind(id)
    .fetch_one(&mut *conn)
    .await?)
}

pub async fn record_success(conn: &mut Conn, id: i64, now: i64, ip: &str) -> StorageResult<()> {
    sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = NULL, last_login_at = $1, last_login_ip = $2 WHERE id = $3")
        .bind(now)
        .bind(ip)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn unlock(conn: &mut Conn, id: i64) -> StorageResult<()> {
    let r =
        sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = $1 AND deleted_at IS NULL")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    if r.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

pub async fn set_password(conn: &mut Conn, id: i64, hash: &str, now: i64) -> StorageResult<()> {
    let r = sqlx::query(
        "UPDATE users SET password_hash = $1, password_changed_at = $2, updated_at = $2, failed_attempts = 0, locked_until = NULL \
         WHERE id = $3 AND deleted_at IS NULL",
    )
    .bind(hash)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// Encrypted value of a protected field (`phone` or `id_number`).
pub async fn protected_value(conn: &mut Conn, id: i64, field: &str) -> StorageResult<Option<String>> {
    let sql = match field {
        "phone" => "SELECT phone_enc FROM users WHERE id = $1 AND deleted_at IS NULL",
        "id_number" => "SELECT id_number_enc FROM users WHERE id = $1 AND deleted_at IS NULL",
        _ => return Err(StorageError::NotFound),
    };
    let (v,): (Option<String>,) = sqlx::query_as(sql).bind(id).fetch_one(&mut *conn).await?;
    Ok(v)
}

pub async fn count_all(conn: &mut Conn) -> StorageResult<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM users WHERE deleted_at IS NULL").fetch_one(&mut *conn).await?;
    Ok(n)
}

use std::collections::BTreeMap;

use crate::db::Conn;
use crate::error::{StorageError, StorageResult};
use crate::query::dynamic;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoleRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
    pub data_scope: String,
    pub builtin: i64,
    pub user_count: i64,
}

#[derive(Debug, Clone)]
pub struct RoleWithPermissions {
    pub role: RoleRow,
    pub permissions: Vec<String>,
}

const SELECT: &str = "SELECT r.id, r.code, r.name, r.description, r.data_scope, r.builtin, \
     (SELECT COUNT(*) FROM user_roles ur JOIN users u ON u.id = ur.user_id WHERE ur.role_id = r.id AND u.deleted_at IS NULL) AS user_count \
     FROM roles r";

async fn attach_permissions(conn: &mut Conn, roles: Vec<RoleRow>) -> StorageResult<Vec<RoleWithPermissions>> {
    let pairs: Vec<(i64, String)> =
        sqlx::query_as("SELECT role_id, permission_code FROM role_permissions ORDER BY permission_code")
            .fetch_all(&mut *conn)
            .await?;
    let mut by_role: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (r, p) in pairs {
        by_role.entry(r).or_default().push(p);
    }
    Ok(roles
        .into_iter()
        .map(|role| {
            let permissions = by_role.remove(&role.id).unwrap_or_default();
            RoleWithPermissions { role, permissions }
        })
        .collect())
}

pub async fn list(conn: &mut Conn) -> StorageResult<Vec<RoleWithPermissions>> {
    let roles: Vec<RoleRow> =
        sqlx::query_as(dynamic(format!("{SELECT} ORDER BY r.builtin DESC, r.id"))).fetch_all(&mut *conn).await?;
    attach_permissions(conn, roles).await
}

pub async fn get(conn: &mut Conn, id: i64) -> StorageResult<RoleWithPermissions> {
    let role: RoleRow =
        sqlx::query_as(dynamic(format!("{SELECT} WHERE r.id = $1"))).bind(id).fetch_one(&mut *conn).await?;
    let permissions: Vec<(String,)> =
        sqlx::query_as("SELECT permission_code FROM role_permissions WHERE role_id = $1 ORDER BY permission_code")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(RoleWithPermissions { role, permissions: permissions.into_iter().map(|p| p.0).collect() })
}

pub async fn find_by_code(conn: &mut Conn, code: &str) -> StorageResult<Option<i64>> {
    let r: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM roles WHERE code = $1").bind(code).fetch_optional(&mut *conn).await?;
    Ok(r.map(|r| r.0))
}

#[derive(Debug, Clone)]
pub struct RoleWrite {
    pub code: String,
    pub name: String,
    pub description: String,
    pub data_scope: String,
}

pub async fn insert(conn: &mut Conn, r: &RoleWrite, now: i64) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO roles (code, name, description, data_scope, builtin, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 0, $5, $5) RETURNING id",
    )
    .bind(&r.code)
    .bind(&r.name)
    .bind(&r.description)
    .bind(&r.data_scope)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn update(conn: &mut Conn, id: i64, r: &RoleWrite, now: i64) -> StorageResult<()> {
    let res =
        sqlx::query("UPDATE roles SET name = $1, description = $2, data_scope = $3, updated_at = $4 WHERE id = $5")
            .bind(&r.name)
            .bind(&r.description)
            .bind(&r.data_scope)
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    if res.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

pub async fn set_permissions(conn: &mut Conn, id: i64, codes: &[String]) -> StorageResult<()> {
    sqlx::query("DELETE FROM role_permissions WHERE role_id = $1").bind(id).execute(&mut *conn).await?;
    for c in codes {
        sqlx::query("INSERT INTO role_permissions (role_id, permission_code) VALUES ($1, $2)")
            .bind(id)
            .bind(c)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn delete(conn: &mut Conn, id: i64) -> StorageResult<()> {
    let r = sqlx::query("DELETE FROM roles WHERE id = $1 AND builtin = 0").bind(id).execute(&mut *conn).await?;
    if r.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// Remove the role from deleted users (they keep no roles) so that it can be dropped.
pub async fn active_user_count(conn: &mut Conn, id: i64) -> StorageResult<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM user_roles ur JOIN users u ON u.id = ur.user_id WHERE ur.role_id = $1 AND u.deleted_at IS NULL",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PermissionRow {
    pub code: String,
    pub name: String,
    pub module: String,
    pub module_name: String,
    pub duty: String,
    pub sort_order: i64,
}

pub async fn permissions(conn: &mut Conn) -> StorageResult<Vec<PermissionRow>> {
    Ok(sqlx::query_as("SELECT * FROM permissions ORDER BY module, sort_order, code").fetch_all(&mut *conn).await?)
}

/// Roles of one user with their data scopes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRoleRow {
    pub user_id: i64,
    pub id: i64,
    pub code: String,
    pub name: String,
    pub data_scope: String,
}

pub async fn roles_of_users(conn: &mut Conn, user_ids: &[i64]) -> StorageResult<Vec<UserRoleRow>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ps: Vec<String> = (1..=user_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT ur.user_id, r.id, r.code, r.name, r.data_scope FROM user_roles ur JOIN roles r ON r.id = ur.role_id \
         WHERE ur.user_id IN ({}) ORDER BY r.id",
        ps.join(", ")
    );
    let mut q = sqlx::query_as(dynamic(sql));
    for id in user_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

/// Permission codes and duties a set of roles grants.
pub async fn permissions_of_roles(conn: &mut Conn, role_ids: &[i64]) -> StorageResult<Vec<(String, String)>> {
    if role_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ps: Vec<String> = (1..=role_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT DISTINCT p.code, p.duty FROM role_permissions rp JOIN permissions p ON p.code = rp.permission_code \
         WHERE rp.role_id IN ({}) ORDER BY p.code",
        ps.join(", ")
    );
    let mut q = sqlx::query_as(dynamic(sql));
    for id in role_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

/// Duty of each listed permission code that exists.
pub async fn duties_of(conn: &mut Conn, codes: &[String]) -> StorageResult<Vec<(String, String)>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let ps: Vec<String> = (1..=codes.len()).map(|i| format!("${i}")).collect();
    let sql = format!("SELECT code, duty FROM permissions WHERE code IN ({})", ps.join(", "));
    let mut q = sqlx::query_as(dynamic(sql));
    for c in codes {
        q = q.bind(c.clone());
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

/// Users (not deleted) holding a role.
pub async fn user_ids_with_role(conn: &mut Conn, role_id: i64) -> StorageResult<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT ur.user_id FROM user_roles ur JOIN users u ON u.id = ur.user_id WHERE ur.role_id = $1 AND u.deleted_at IS NULL",
    )
    .bind(role_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

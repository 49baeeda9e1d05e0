use crate::db::Conn;
use crate::error::{StorageError, StorageResult};
use crate::query::dynamic;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DepartmentRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub kind: String,
    pub region_code: String,
    pub region_name: String,
    pub sort_order: i64,
    pub enabled: i64,
    pub user_count: i64,
}

const SELECT: &str = "SELECT d.id, d.parent_id, d.name, d.kind, d.region_code, r.name AS region_name, d.sort_order, d.enabled, \
     (SELECT COUNT(*) FROM users u WHERE u.department_id = d.id AND u.deleted_at IS NULL) AS user_count \
     FROM departments d JOIN regions r ON r.code = d.region_code";

pub async fn list(conn: &mut Conn) -> StorageResult<Vec<DepartmentRow>> {
    Ok(sqlx::query_as(dynamic(format!("{SELECT} ORDER BY d.sort_order, d.id"))).fetch_all(&mut *conn).await?)
}

pub async fn get(conn: &mut Conn, id: i64) -> StorageResult<DepartmentRow> {
    Ok(sqlx::query_as(dynamic(format!("{SELECT} WHERE d.id = $1"))).bind(id).fetch_one(&mut *conn).await?)
}

#[derive(Debug, Clone)]
pub struct DepartmentWrite {
    pub parent_id: Option<i64>,
    pub name: String,
    pub kind: String,
    pub region_code: String,
    pub sort_order: i64,
    pub enabled: bool,
}

pub async fn insert(conn: &mut Conn, d: &DepartmentWrite, now: i64) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO departments (parent_id, name, kind, region_code, sort_order, enabled, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(d.parent_id)
    .bind(&d.name)
    .bind(&d.kind)
    .bind(&d.region_code)
    .bind(d.sort_order)
    .bind(i64::from(d.enabled))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn update(conn: &mut Conn, id: i64, d: &DepartmentWrite, now: i64) -> StorageResult<()> {
    let r = sqlx::query(
        "UPDATE departments SET parent_id = $1, name = $2, kind = $3, region_code = $4, sort_order = $5, enabled = $6, updated_at = $7 \
         WHERE id = $8",
    )
    .bind(d.parent_id)
    .bind(&d.name)
    .bind(&d.kind)
    .bind(&d.region_code)
    .bind(d.sort_order)
    .bind(i64::from(d.enabled))
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// Ids of a department and all departments below it.
pub async fn subtree(conn: &mut Conn, id: i64) -> StorageResult<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "WITH RECURSIVE t(id) AS (SELECT id FROM departments WHERE id = $1 \
         UNION ALL SELECT d.id FROM departments d JOIN t ON d.parent_id = t.id) SELECT id FROM t",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Number of direct children and of (not deleted) users; a department with either cannot be deleted.
pub async fn usage(conn: &mut Conn, id: i64) -> StorageResult<(i64, i64)> {
    let (children,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM departments WHERE parent_id = $1").bind(id).fetch_one(&mut *conn).await?;
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE department_id = $1 AND deleted_at IS NULL")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    Ok((children, users))
}

pub async fn delete(conn: &mut Conn, id: i64) -> StorageResult<()> {
    let r = sqlx::query("DELETE FROM departments WHERE id = $1").bind(id).execute(&mut *conn).await?;
    if r.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

use crate::db::Conn;
use crate::error::{StorageError, StorageResult};
use crate::query::dynamic;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TileRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub icon: String,
    pub url: String,
    pub kind: String,
    pub required_permission: Option<String>,
    pub sort_order: i64,
    pub enabled: i64,
}

#[derive(Debug, Clone)]
pub struct TileWrite {
    pub name: String,
    pub description: String,
    pub icon: String,
    pub url: String,
    pub kind: String,
    pub required_permission: Option<String>,
    pub sort_order: i64,
    pub enabled: bool,
}

const SELECT: &str =
    "SELECT id, name, description, icon, url, kind, required_permission, sort_order, enabled FROM portal_tiles";

pub async fn list(conn: &mut Conn) -> StorageResult<Vec<TileRow>> {
    Ok(sqlx::query_as(dynamic(format!("{SELECT} ORDER BY sort_order, id"))).fetch_all(&mut *conn).await?)
}

pub async fn get(conn: &mut Conn, id: i64) -> StorageResult<TileRow> {
    Ok(sqlx::query_as(dynamic(format!("{SELECT} WHERE id = $1"))).bind(id).fetch_one(&mut *conn).await?)
}

pub async fn insert(conn: &mut Conn, t: &TileWrite, now: i64) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO portal_tiles (name, description, icon, url, kind, required_permission, sort_order, enabled, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(&t.name)
    .bind(&t.description)
    .bind(&t.icon)
    .bind(&t.url)
    .bind(&t.kind)
    .bind(&t.required_permission)
    .bind(t.sort_order)
    .bind(i64::from(t.enabled))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn update(conn: &mut Conn, id: i64, t: &TileWrite, now: i64) -> StorageResult<()> {
    let r = sqlx::query(
        "UPDATE portal_tiles SET name = $1, description = $2, icon = $3, url = $4, kind = $5, required_permission = $6, \
         sort_order = $7, enabled = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(&t.name)
    .bind(&t.description)
    .bind(&t.icon)
    .bind(&t.url)
    .bind(&t.kind)
    .bind(&t.required_permission)
    .bind(t.sort_order)
    .bind(i64::from(t.enabled))
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

pub async fn delete(conn: &mut Conn, id: i64) -> StorageResult<()> {
    let r = sqlx::query("DELETE FROM portal_tiles WHERE id = $1").bind(id).execute(&mut *conn).await?;
    if r.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

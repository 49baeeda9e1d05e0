use crate::db::Conn;
use crate::error::{StorageError, StorageResult};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DictTypeRow {
    pub code: String,
    pub name: String,
    pub description: String,
    pub builtin: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DictItemRow {
    pub id: i64,
    pub dict_code: String,
    pub value: String,
    pub label: String,
    pub sort_order: i64,
    pub enabled: i64,
    pub tag_type: Option<String>,
}

pub async fn types(conn: &mut Conn) -> StorageResult<Vec<DictTypeRow>> {
    Ok(sqlx::query_as("SELECT code, name, description, builtin FROM dict_types ORDER BY builtin DESC, code")
        .fetch_all(&mut *conn)
        .await?)
}

pub async fn get_type(conn: &mut Conn, code: &str) -> StorageResult<DictTypeRow> {
    Ok(sqlx::query_as("SELECT code, name, description, builtin FROM dict_types WHERE code = $1")
        .bind(code)
        .fetch_one(&mut *conn)
        .await?)
}

pub async fn items(conn: &mut Conn, code: Option<&str>) -> StorageResult<Vec<DictItemRow>> {
    let q = match code {
        Some(c) => {
            sqlx::query_as("SELECT * FROM dict_items WHERE dict_code = $1 ORDER BY sort_order, id").bind(c.to_owned())
        }
        None => sqlx::query_as("SELECT * FROM dict_items ORDER BY dict_code, sort_order, id"),
    };
    Ok(q.fetch_all(&mut *conn).await?)
}

pub async fn get_item(conn: &mut Conn, code: &str, id: i64) -> StorageResult<DictItemRow> {
    Ok(sqlx::query_as("SELECT * FROM dict_items WHERE dict_code = $1 AND id = $2")
        .bind(code)
        .bind(id)
        .fetch_one(&mut *conn)
        .await?)
}

pub async fn insert_type(conn: &mut Conn, code: &str, name: &str, description: &str, now: i64) -> StorageResult<()> {
    sqlx::query("INSERT INTO dict_types (code, name, description, builtin, created_at, updated_at) VALUES ($1, $2, $3, 0, $4, $4)")
        .bind(code)
        .bind(name)
        .bind(description)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn update_type(conn: &mut Conn, code: &str, name: &str, description: &str, now: i64) -> StorageResult<()> {
    let r = sqlx::query("UPDATE dict_types SET name = $1, description = $2, updated_at = $3 WHERE code = $4")
        .bind(name)
        .bind(description)
        .bind(now)
        .bind(code)
        .execute(&mut *conn)
        .await?;
    if r.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

pub async fn delete_type(conn: &mut Conn, code: &str) -> StorageResult<()> {
    let r =
        sqlx::query("DELETE FROM dict_types WHERE code = $1 AND builtin = 0").bind(code).execute(&mut *conn).await?;
    if r.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct ItemWrite {
    pub value: String,
    pub label: String,
    pub sort_order: i64,
    pub enabled: bool,
    pub tag_type: Option<String>,
}

pub async fn insert_item(conn: &mut Conn, code: &str, i: &ItemWrite) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO dict_items (dict_code, value, label, sort_order, enabled, tag_type) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(code)
    .bind(&i.value)
    .bind(&i.label)
    .bind(i.sort_order)
    .bind(i64::from(i.enabled))
    .bind(&i.tag_type)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn update_item(conn: &mut Conn, code: &str, id: i64, i: &ItemWrite) -> StorageResult<()> {
    let r = sqlx::query(
        "UPDATE dict_items SET value = $1, label = $2, sort_order = $3, enabled = $4, tag_type = $5 WHERE dict_code = $6 AND id = $7",
    )
    .bind(&i.value)
    .bind(&i.label)
    .bind(i.sort_order)
    .bind(i64::from(i.enabled))
    .bind(&i.tag_type)
    .bind(code)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

pub async fn delete_item(conn: &mut Conn, code: &str, id: i64) -> StorageResult<()> {
    let r = sqlx::query("DELETE FROM dict_items WHERE dict_code = $1 AND id = $2")
        .bind(code)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if r.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

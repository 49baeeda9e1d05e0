use crate::db::{Backend, Conn};
use crate::dialect;
use crate::error::StorageResult;
use crate::query::{Bind, Where, dynamic};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub category: String,
    pub department_name: String,
    pub legal_basis: String,
    pub enabled: i64,
}

#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    pub keyword: Option<String>,
    pub category: Option<String>,
}

fn where_of(backend: Backend, f: &ItemFilter) -> Where {
    let like = dialect::like_ci(backend);
    let mut w = Where::new();
    if let Some(k) = &f.keyword {
        let p = w.push_bind(Bind::Text(dialect::like_pattern(k)));
        w.and_raw(format!(
            "(code {like} {p} ESCAPE '\\' OR name {like} {p} ESCAPE '\\' OR department_name {like} {p} ESCAPE '\\')"
        ));
    }
    if let Some(c) = &f.category {
        w.and("category = {}", Bind::Text(c.clone()));
    }
    w
}

pub async fn count(conn: &mut Conn, backend: Backend, f: &ItemFilter) -> StorageResult<i64> {
    let w = where_of(backend, f);
    let (n,): (i64,) = w
        .apply_as(sqlx::query_as(dynamic(format!("SELECT COUNT(*) FROM enforcement_items{}", w.sql()))))
        .fetch_one(&mut *conn)
        .await?;
    Ok(n)
}

pub async fn list(
    conn: &mut Conn,
    backend: Backend,
    f: &ItemFilter,
    limit: i64,
    offset: i64,
) -> StorageResult<Vec<ItemRow>> {
    let mut w = where_of(backend, f);
    let l = w.push_bind(Bind::I64(limit));
    let o = w.push_bind(Bind::I64(offset));
    let sql = format!(
        "SELECT id, code, name, category, department_name, legal_basis, enabled FROM enforcement_items{} ORDER BY code LIMIT {l} OFFSET {o}",
        w.sql()
    );
    Ok(w.apply_as(sqlx::query_as(dynamic(sql))).fetch_all(&mut *conn).await?)
}

#[derive(Debug, Clone)]
pub struct ItemWrite {
    pub code: String,
    pub name: String,
    pub category: String,
    pub department_name: String,
    pub legal_basis: String,
    pub enabled: bool,
}

/// Insert or update by code; returns true when a new row was inserted.
pub async fn upsert(conn: &mut Conn, i: &ItemWrite, now: i64) -> StorageResult<bool> {
    let (created,): (i64,) = sqlx::query_as(
        "INSERT INTO enforcement_items (code, name, category, department_name, legal_basis, enabled, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, category = excluded.category, \
         department_name = excluded.department_name, legal_basis = excluded.legal_basis, enabled = excluded.enabled, \
         updated_at = excluded.updated_at \
         RETURNING created_at",
    )
    .bind(&i.code)
    .bind(&i.name)
    .bind(&i.category)
    .bind(&i.department_name)
    .bind(&i.legal_basis)
    .bind(i64::from(i.enabled))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(created == now)
}

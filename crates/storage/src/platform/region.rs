use crate::db::Conn;
use crate::error::StorageResult;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RegionRow {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub official: i64,
    pub sort_order: i64,
}

pub async fn list(conn: &mut Conn) -> StorageResult<Vec<RegionRow>> {
    Ok(sqlx::query_as("SELECT * FROM regions ORDER BY LENGTH(code), sort_order, code").fetch_all(&mut *conn).await?)
}

pub async fn exists(conn: &mut Conn, code: &str) -> StorageResult<bool> {
    let n: (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM regions WHERE code = $1").bind(code).fetch_one(&mut *conn).await?;
    Ok(n.0 > 0)
}

/// Codes of a region and all regions below it.
pub async fn subtree(conn: &mut Conn, code: &str) -> StorageResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "WITH RECURSIVE t(code) AS (SELECT code FROM regions WHERE code = $1 \
         UNION ALL SELECT r.code FROM regions r JOIN t ON r.parent_code = t.code) SELECT code FROM t",
    )
    .bind(code)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BoundaryRow {
    pub region_code: String,
    pub name: String,
    pub geometry: String,
    pub source: String,
}

pub async fn boundaries(conn: &mut Conn) -> StorageResult<Vec<BoundaryRow>> {
    Ok(sqlx::query_as(
        "SELECT b.region_code, r.name, b.geometry, b.source FROM region_boundaries b \
         JOIN regions r ON r.code = b.region_code ORDER BY r.sort_order, b.region_code",
    )
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn count_boundaries(conn: &mut Conn) -> StorageResult<i64> {
    let n: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM region_boundaries").fetch_one(&mut *conn).await?;
    Ok(n.0)
}

pub async fn upsert_boundary(conn: &mut Conn, code: &str, geometry: &str, source: &str, now: i64) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO region_boundaries (region_code, geometry, source, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (region_code) DO UPDATE SET geometry = excluded.geometry, source = excluded.source, updated_at = excluded.updated_at",
    )
    .bind(code)
    .bind(geometry)
    .bind(source)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Every region with its reference point: (code, name, level, parent, lon, lat).
pub type RegionPoint = (String, String, String, Option<String>, Option<f64>, Option<f64>);

pub async fn points(conn: &mut Conn) -> StorageResult<Vec<RegionPoint>> {
    Ok(sqlx::query_as("SELECT code, name, level, parent_code, center_lon, center_lat FROM regions")
        .fetch_all(&mut *conn)
        .await?)
}

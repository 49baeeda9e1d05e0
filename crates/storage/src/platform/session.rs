use crate::db::Conn;
use crate::error::StorageResult;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

pub async fn insert(
    conn: &mut Conn,
    token_hash: &str,
    user_id: i64,
    csrf: &str,
    ip: &str,
    user_agent: &str,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, ip, user_agent, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(csrf)
    .bind(ip)
    .bind(user_agent)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The session if it exists, has been used within `idle_ms`, and its user is enabled and not deleted.
pub async fn get_live(conn: &mut Conn, token_hash: &str, now: i64, idle_ms: i64) -> StorageResult<Option<SessionRow>> {
    Ok(sqlx::query_as(
        "SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.last_seen_at > $2 AND u.enabled = 1 AND u.deleted_at IS NULL",
    )
    .bind(token_hash)
    .bind(now - idle_ms)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn touch(conn: &mut Conn, token_hash: &str, now: i64) -> StorageResult<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND last_seen_at < $1")
        .bind(now)
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn delete(conn: &mut Conn, token_hash: &str) -> StorageResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *conn).await?;
    Ok(())
}

pub async fn delete_for_users(conn: &mut Conn, user_ids: &[i64]) -> StorageResult<()> {
    for id in user_ids {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Remove sessions idle for longer than `idle_ms`; returns how many.
pub async fn purge_idle(conn: &mut Conn, now: i64, idle_ms: i64) -> StorageResult<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE last_seen_at <= $1")
        .bind(now - idle_ms)
        .execute(&mut *conn)
        .await?
        .rows_affected())
}

/// End every session of a user except `keep` (after a password change).
pub async fn delete_others(conn: &mut Conn, user_id: i64, keep: &str) -> StorageResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

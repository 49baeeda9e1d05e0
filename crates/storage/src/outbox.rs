//! The transactional outbox: messages to external systems written in the same transaction as the
//! change that causes them, delivered later by a relay in order per ordering key.

use crate::db::Conn;
use crate::error::StorageResult;

#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub channel: &'a str,
    pub target_id: i64,
    pub ordering_key: &'a str,
    pub event_id: &'a str,
    pub payload: &'a str,
    pub now: i64,
}

pub async fn enqueue(conn: &mut Conn, m: &NewMessage<'_>) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO outbox (channel, target_id, ordering_key, event_id, payload, status, attempts, next_attempt_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6, $6) RETURNING id",
    )
    .bind(m.channel)
    .bind(m.target_id)
    .bind(m.ordering_key)
    .bind(m.event_id)
    .bind(m.payload)
    .bind(m.now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub channel: String,
    pub target_id: i64,
    pub ordering_key: String,
    pub event_id: String,
    pub payload: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Due messages that are the oldest pending one of their ordering key (per-key order).
pub async fn due(conn: &mut Conn, channel: &str, now: i64, limit: i64) -> StorageResult<Vec<MessageRow>> {
    Ok(sqlx::query_as(
        "SELECT * FROM outbox o WHERE o.channel = $1 AND o.status = 'pending' AND o.next_attempt_at <= $2 \
         AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.ordering_key = o.ordering_key AND p.status = 'pending' AND p.id < o.id) \
         ORDER BY o.id LIMIT $3",
    )
    .bind(channel)
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn delivered(conn: &mut Conn, id: i64, now: i64) -> StorageResult<()> {
    sqlx::query("UPDATE outbox SET status = 'delivered', attempts = attempts + 1, last_error = '', updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A failed attempt: retry at `next_at`, or park when `park` is set.
pub async fn failed(conn: &mut Conn, id: i64, error: &str, next_at: i64, park: bool, now: i64) -> StorageResult<()> {
    sqlx::query(
        "UPDATE outbox SET status = $1, attempts = attempts + 1, last_error = $2, next_attempt_at = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(if park { "parked" } else { "pending" })
    .bind(error.chars().take(500).collect::<String>())
    .bind(next_at)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Lease a message for delivery: only the instance whose update succeeds sends it now.
pub async fn lease(conn: &mut Conn, id: i64, seen_next: i64, until: i64) -> StorageResult<bool> {
    let r = sqlx::query(
        "UPDATE outbox SET next_attempt_at = $1 WHERE id = $2 AND next_attempt_at = $3 AND status = 'pending'",
    )
    .bind(until)
    .bind(id)
    .bind(seen_next)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

//! The transactional outbox: messages to external systems written in the same transaction as the
//! change that causes them, delivered later by a relay in order per ordering key.
//!
//! States: `pending` (waiting or being sent), `delivered`, `parked` (retry cap or permanent
//! rejection; an operator may replay it) and `cancelled`. `in_flight` marks a message whose last
//! request may have reached the other side without us learning the outcome; the relay reconciles
//! such a message by query before it sends it again.

use crate::db::Conn;
use crate::error::StorageResult;
use crate::query::{Bind, Where, dynamic};

#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub channel: &'a str,
    pub target_id: i64,
    pub ordering_key: &'a str,
    pub event_id: &'a str,
    pub payload: &'a str,
    pub case_id: Option<i64>,
    pub now: i64,
}

pub async fn enqueue(conn: &mut Conn, m: &NewMessage<'_>) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO outbox (channel, target_id, ordering_key, event_id, payload, status, attempts, next_attempt_at, case_id, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $7, $6, $6) RETURNING id",
    )
    .bind(m.channel)
    .bind(m.target_id)
    .bind(m.ordering_key)
    .bind(m.event_id)
    .bind(m.payload)
    .bind(m.now)
    .bind(m.case_id)
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
    pub in_flight: i64,
    pub case_id: Option<i64>,
    pub reference: String,
    pub delivered_at: Option<i64>,
}

/// Due messages of the channels that are the oldest pending one of their ordering key (per-key
/// order): at most one message per key.
pub async fn due(conn: &mut Conn, channels: &[&str], now: i64, limit: i64) -> StorageResult<Vec<MessageRow>> {
    let mut w = Where::new();
    let list: Vec<String> = channels.iter().map(|c| w.push_bind(Bind::Text((*c).to_owned()))).collect();
    let n = w.push_bind(Bind::I64(now));
    let l = w.push_bind(Bind::I64(limit));
    let sql = format!(
        "SELECT * FROM outbox o WHERE o.channel IN ({}) AND o.status = 'pending' AND o.next_attempt_at <= {n} \
         AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.ordering_key = o.ordering_key AND p.status = 'pending' AND p.id < o.id) \
         ORDER BY o.id LIMIT {l}",
        list.join(", ")
    );
    Ok(w.apply_as(sqlx::query_as(dynamic(sql))).fetch_all(&mut *conn).await?)
}

/// Lease a message for delivery: only the instance whose update succeeds sends it now. The
/// message is marked in flight until its outcome is recorded.
pub async fn lease(conn: &mut Conn, id: i64, seen_next: i64, until: i64) -> StorageResult<bool> {
    let r = sqlx::query(
        "UPDATE outbox SET next_attempt_at = $1, in_flight = 1 WHERE id = $2 AND next_attempt_at = $3 AND status = 'pending'",
    )
    .bind(until)
    .bind(id)
    .bind(seen_next)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn delivered(conn: &mut Conn, id: i64, reference: &str, now: i64) -> StorageResult<()> {
    sqlx::query(
        "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, last_error = '', in_flight = 0, reference = $1, \
         delivered_at = $2, updated_at = $2 WHERE id = $3",
    )
    .bind(reference)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A failed attempt: retry at `next_at`, or park when `park` is set. `unknown`: the request may
/// have taken effect (reconcile before resending).
pub async fn failed(
    conn: &mut Conn,
    id: i64,
    error: &str,
    next_at: i64,
    park: bool,
    unknown: bool,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE outbox SET status = $1, attempts = attempts + 1, last_error = $2, next_attempt_at = $3, in_flight = $4, \
         updated_at = $5 WHERE id = $6",
    )
    .bind(if park { "parked" } else { "pending" })
    .bind(error.chars().take(500).collect::<String>())
    .bind(next_at)
    .bind(i64::from(unknown))
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Reconciliation found the request had not arrived: clear the in-flight mark and send now.
pub async fn not_arrived(conn: &mut Conn, id: i64) -> StorageResult<()> {
    sqlx::query("UPDATE outbox SET in_flight = 0 WHERE id = $1").bind(id).execute(&mut *conn).await?;
    Ok(())
}

pub async fn get(conn: &mut Conn, id: i64) -> StorageResult<MessageRow> {
    Ok(sqlx::query_as("SELECT * FROM outbox WHERE id = $1").bind(id).fetch_one(&mut *conn).await?)
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub channel: Option<String>,
    pub status: Option<String>,
    pub case_id: Option<i64>,
    /// Only messages with at least one failed attempt.
    pub failed_only: bool,
    /// Matches the event id, the ordering key or the reference (exact), or the case number.
    pub keyword: Option<String>,
}

fn filter_where(f: &Filter) -> Where {
    let mut w = Where::new();
    if let Some(v) = &f.channel {
        w.and("o.channel = {}", Bind::Text(v.clone()));
    }
    if let Some(v) = &f.status {
        w.and("o.status = {}", Bind::Text(v.clone()));
    }
    if let Some(v) = f.case_id {
        w.and("o.case_id = {}", Bind::I64(v));
    }
    if f.failed_only {
        w.and_raw("o.last_error <> ''");
    }
    if let Some(k) = &f.keyword {
        let p = w.push_bind(Bind::Text(k.clone()));
        w.and_raw(format!("(o.event_id = {p} OR o.ordering_key = {p} OR o.reference = {p} OR c.case_no = {p})"));
    }
    w
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListedRow {
    #[sqlx(flatten)]
    pub message: MessageRow,
    pub case_no: Option<String>,
}

const LIST_FROM: &str = "FROM outbox o LEFT JOIN cases c ON c.id = o.case_id";

pub async fn list(conn: &mut Conn, f: &Filter, limit: i64, offset: i64) -> StorageResult<(Vec<ListedRow>, i64)> {
    let w = filter_where(f);
    let (total,): (i64,) = w
        .apply_as(sqlx::query_as(dynamic(format!("SELECT COUNT(*) {LIST_FROM}{}", w.sql()))))
        .fetch_one(&mut *conn)
        .await?;
    let mut w2 = w.clone();
    let l = w2.push_bind(Bind::I64(limit));
    let o = w2.push_bind(Bind::I64(offset));
    let sql = format!("SELECT o.*, c.case_no {LIST_FROM}{} ORDER BY o.id DESC LIMIT {l} OFFSET {o}", w2.sql());
    Ok((w2.apply_as(sqlx::query_as(dynamic(sql))).fetch_all(&mut *conn).await?, total))
}

/// Messages per channel and status.
pub async fn counts(conn: &mut Conn) -> StorageResult<Vec<(String, String, i64)>> {
    Ok(sqlx::query_as("SELECT channel, status, COUNT(*) FROM outbox GROUP BY channel, status ORDER BY channel, status")
        .fetch_all(&mut *conn)
        .await?)
}

/// Send a parked, cancelled or waiting message again now, with a fresh retry budget. Returns
/// false when the message was delivered meanwhile.
pub async fn replay(conn: &mut Conn, id: i64, now: i64) -> StorageResult<bool> {
    let r = sqlx::query(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, updated_at = $1 \
         WHERE id = $2 AND status IN ('parked', 'cancelled', 'pending')",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Give up on a waiting or parked message. Returns false when it was delivered meanwhile.
pub async fn cancel(conn: &mut Conn, id: i64, now: i64) -> StorageResult<bool> {
    let r = sqlx::query(
        "UPDATE outbox SET status = 'cancelled', updated_at = $1 WHERE id = $2 AND status IN ('pending', 'parked')",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

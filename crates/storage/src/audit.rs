//! Append-only, hash-chained audit log.

use futures::TryStreamExt;
use xiezhi_domain::audit::{AuditRecord, ChainCheck, ChainVerifier};

use crate::db::{Backend, Conn};
use crate::dialect;
use crate::error::StorageResult;
use crate::query::{Bind, Where, dynamic, insert_rows};

/// An audit entry to append; `seq` and the hash are assigned by [`append`].
#[derive(Debug, Clone)]
pub struct NewAudit {
    pub occurred_at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub ip: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub outcome: &'static str,
    pub summary: String,
    pub changes: Option<serde_json::Value>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub seq: i64,
    pub occurred_at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub ip: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub outcome: String,
    pub summary: String,
    pub changes: String,
    pub hash: String,
}

impl AuditRow {
    fn record(&self) -> AuditRecord {
        AuditRecord {
            seq: self.seq,
            occurred_at: self.occurred_at,
            actor_id: self.actor_id,
            actor_name: self.actor_name.clone(),
            ip: self.ip.clone(),
            action: self.action.clone(),
            target_type: self.target_type.clone(),
            target_id: self.target_id.clone(),
            outcome: self.outcome.clone(),
            summary: self.summary.clone(),
            changes: self.changes.clone(),
        }
    }
}

/// Append one entry inside the caller's transaction. Updating the chain head first serialises
/// concurrent appenders (row lock on PostgreSQL, the write lock on SQLite).
pub async fn append(conn: &mut Conn, e: &NewAudit) -> StorageResult<i64> {
    append_many(conn, std::slice::from_ref(e)).await
}

/// Append entries in order inside the caller's transaction, with one update of the chain head
/// for all of them. Returns the last sequence number (the head's, when `entries` is empty).
pub async fn append_many(conn: &mut Conn, entries: &[NewAudit]) -> StorageResult<i64> {
    let n = entries.len() as i64;
    let (last, mut prev): (i64, String) =
        sqlx::query_as("UPDATE audit_head SET last_seq = last_seq + $1 WHERE id = 1 RETURNING last_seq, last_hash")
            .bind(n)
            .fetch_one(&mut *conn)
            .await?;
    if entries.is_empty() {
        return Ok(last);
    }
    let mut rows = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let rec = AuditRecord {
            seq: last - n + 1 + i as i64,
            occurred_at: e.occurred_at,
            actor_id: e.actor_id,
            actor_name: e.actor_name.clone(),
            ip: e.ip.clone(),
            action: e.action.clone(),
            target_type: e.target_type.clone(),
            target_id: e.target_id.clone(),
            outcome: e.outcome.to_owned(),
            summary: e.summary.clone(),
            changes: e.changes.as_ref().map(|c| c.to_string()).unwrap_or_default(),
        };
        let hash = rec.chain_hash(&prev);
        prev.clone_from(&hash);
        rows.push((rec, hash));
    }
    let head = "INSERT INTO audit_log (seq, occurred_at, actor_id, actor_name, ip, action, target_type, target_id, \
                outcome, summary, changes, hash)";
    insert_rows(conn, head, 12, &rows, |q, (rec, hash)| {
        q.bind(rec.seq)
            .bind(rec.occurred_at)
            .bind(rec.actor_id)
            .bind(&rec.actor_name)
            .bind(&rec.ip)
            .bind(&rec.action)
            .bind(&rec.target_type)
            .bind(&rec.target_id)
            .bind(&rec.outcome)
            .bind(&rec.summary)
            .bind(&rec.changes)
            .bind(hash)
    })
    .await?;
    sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1").bind(&prev).execute(&mut *conn).await?;
    Ok(last)
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub outcome: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub keyword: Option<String>,
}

fn where_of(backend: Backend, f: &AuditFilter) -> Where {
    let like = dialect::like_ci(backend);
    let mut w = Where::new();
    if let Some(a) = &f.actor {
        w.and(&format!("actor_name {like} {{}} ESCAPE '\\'"), Bind::Text(dialect::like_pattern(a)));
    }
    if let Some(a) = &f.action {
        w.and(&format!("action {like} {{}} ESCAPE '\\'"), Bind::Text(dialect::like_pattern(a)));
    }
    if let Some(t) = &f.target_type {
        w.and("target_type = {}", Bind::Text(t.clone()));
    }
    if let Some(o) = &f.outcome {
        w.and("outcome = {}", Bind::Text(o.clone()));
    }
    if let Some(from) = f.from {
        w.and("occurred_at >= {}", Bind::I64(from));
    }
    if let Some(to) = f.to {
        w.and("occurred_at < {}", Bind::I64(to));
    }
    if let Some(k) = &f.keyword {
        let p = w.push_bind(Bind::Text(dialect::like_pattern(k)));
        w.and_raw(format!(
            "(summary {like} {p} ESCAPE '\\' OR target_id {like} {p} ESCAPE '\\' OR changes {like} {p} ESCAPE '\\')"
        ));
    }
    w
}

pub async fn count(conn: &mut Conn, backend: Backend, f: &AuditFilter) -> StorageResult<i64> {
    let w = where_of(backend, f);
    let sql = format!("SELECT COUNT(*) FROM audit_log{}", w.sql());
    let (n,): (i64,) = w.apply_as(sqlx::query_as(dynamic(sql))).fetch_one(&mut *conn).await?;
    Ok(n)
}

/// Newest first.
pub async fn list(
    conn: &mut Conn,
    backend: Backend,
    f: &AuditFilter,
    limit: i64,
    offset: i64,
) -> StorageResult<Vec<AuditRow>> {
    let mut w = where_of(backend, f);
    let l = w.push_bind(Bind::I64(limit));
    let o = w.push_bind(Bind::I64(offset));
    let sql = format!("SELECT * FROM audit_log{} ORDER BY seq DESC LIMIT {l} OFFSET {o}", w.sql());
    Ok(w.apply_as(sqlx::query_as(dynamic(sql))).fetch_all(&mut *conn).await?)
}

/// Walk the whole chain in `seq` order and compare with the head.
pub async fn verify(conn: &mut Conn) -> StorageResult<ChainCheck> {
    let (head_seq, head_hash): (i64, String) =
        sqlx::query_as("SELECT last_seq, last_hash FROM audit_head WHERE id = 1").fetch_one(&mut *conn).await?;
    let mut v = ChainVerifier::default();
    {
        let mut rows = sqlx::query_as::<_, AuditRow>("SELECT * FROM audit_log WHERE seq <= $1 ORDER BY seq")
            .bind(head_seq)
            .fetch(&mut *conn);
        while let Some(row) = rows.try_next().await? {
            if !v.feed(&row.record(), &row.hash) {
                break;
            }
        }
    }
    let mut check = v.finish(head_seq, &head_hash);
    if check.first_bad_seq.is_none() {
        let (extra,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE seq > $1")
            .bind(head_seq)
            .fetch_one(&mut *conn)
            .await?;
        if extra > 0 {
            check.first_bad_seq = Some(head_seq + 1);
            check.reason = Some(format!("链头之后存在 {extra} 条未登记的记录（记录被插入）"));
        }
    }
    Ok(check)
}

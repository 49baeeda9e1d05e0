//! External systems (issue 4): settings, the exchange log, idempotent inbound messages and the
//! provincial state of cases.

use crate::db::Conn;
use crate::dialect;
use crate::error::StorageResult;
use crate::query::{Bind, Where, dynamic};

// ---- settings ------------------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SystemRow {
    pub code: String,
    pub name: String,
    pub enabled: i64,
    pub endpoint: String,
    pub app_key: String,
    pub secret_enc: String,
    pub timeout_ms: i64,
    pub max_attempts: i64,
    pub schedule_minutes: i64,
    pub options: String,
    pub last_test_at: Option<i64>,
    pub last_test_ok: Option<i64>,
    pub last_test_message: String,
    pub last_run_at: Option<i64>,
    pub updated_by: String,
    pub updated_at: i64,
}

pub async fn systems(conn: &mut Conn) -> StorageResult<Vec<SystemRow>> {
    Ok(sqlx::query_as("SELECT * FROM external_systems ORDER BY code").fetch_all(&mut *conn).await?)
}

pub async fn system(conn: &mut Conn, code: &str) -> StorageResult<SystemRow> {
    Ok(sqlx::query_as("SELECT * FROM external_systems WHERE code = $1").bind(code).fetch_one(&mut *conn).await?)
}

/// The editable settings; `secret_enc: None` keeps the stored secret.
#[derive(Debug, Clone)]
pub struct SystemWrite {
    pub enabled: bool,
    pub endpoint: String,
    pub app_key: String,
    pub secret_enc: Option<String>,
    pub timeout_ms: i64,
    pub max_attempts: i64,
    pub schedule_minutes: i64,
    pub options: String,
}

pub async fn update_system(conn: &mut Conn, code: &str, w: &SystemWrite, by: &str, now: i64) -> StorageResult<()> {
    sqlx::query(
        "UPDATE external_systems SET enabled = $1, endpoint = $2, app_key = $3, secret_enc = COALESCE($4, secret_enc), \
         timeout_ms = $5, max_attempts = $6, schedule_minutes = $7, options = $8, updated_by = $9, updated_at = $10 WHERE code = $11",
    )
    .bind(i64::from(w.enabled))
    .bind(&w.endpoint)
    .bind(&w.app_key)
    .bind(w.secret_enc.clone())
    .bind(w.timeout_ms)
    .bind(w.max_attempts)
    .bind(w.schedule_minutes)
    .bind(&w.options)
    .bind(by)
    .bind(now)
    .bind(code)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn set_test_result(conn: &mut Conn, code: &str, ok: bool, message: &str, now: i64) -> StorageResult<()> {
    sqlx::query(
        "UPDATE external_systems SET last_test_at = $1, last_test_ok = $2, last_test_message = $3 WHERE code = $4",
    )
    .bind(now)
    .bind(i64::from(ok))
    .bind(message.chars().take(500).collect::<String>())
    .bind(code)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Claim a scheduled run: true for the one instance whose update moved `last_run_at`.
pub async fn claim_run(conn: &mut Conn, code: &str, seen: Option<i64>, now: i64) -> StorageResult<bool> {
    let r = sqlx::query(
        "UPDATE external_systems SET last_run_at = $1 WHERE code = $2 AND \
         (last_run_at = $3 OR (last_run_at IS NULL AND $3 IS NULL))",
    )
    .bind(now)
    .bind(code)
    .bind(seen)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

// ---- exchange log --------------------------------------------------------------------------------

#[derive(Debug, Clone, Default)]
pub struct NewExchange<'a> {
    pub system: &'a str,
    /// `out` (we called them) or `in` (they called us).
    pub direction: &'a str,
    pub interface: &'a str,
    pub outbox_id: Option<i64>,
    pub case_id: Option<i64>,
    pub reference: &'a str,
    pub http_status: Option<i64>,
    /// `ok`, `retry`, `unknown`, `rejected` or `duplicate`.
    pub outcome: &'a str,
    pub error: &'a str,
    pub request: &'a str,
    pub response: &'a str,
    pub duration_ms: i64,
    pub now: i64,
}

fn clip(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

pub async fn log_exchange(conn: &mut Conn, e: &NewExchange<'_>) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO exchanges (system, direction, interface, outbox_id, case_id, reference, http_status, outcome, error, \
         request, response, duration_ms, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(e.system)
    .bind(e.direction)
    .bind(e.interface)
    .bind(e.outbox_id)
    .bind(e.case_id)
    .bind(clip(e.reference, 128))
    .bind(e.http_status)
    .bind(e.outcome)
    .bind(clip(e.error, 500))
    .bind(clip(e.request, 4000))
    .bind(clip(e.response, 4000))
    .bind(e.duration_ms)
    .bind(e.now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExchangeRow {
    pub id: i64,
    pub system: String,
    pub direction: String,
    pub interface: String,
    pub outbox_id: Option<i64>,
    pub case_id: Option<i64>,
    pub case_no: Option<String>,
    pub reference: String,
    pub http_status: Option<i64>,
    pub outcome: String,
    pub error: String,
    pub request: String,
    pub response: String,
    pub duration_ms: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Default)]
pub struct ExchangeFilter {
    pub system: Option<String>,
    pub direction: Option<String>,
    pub interface: Option<String>,
    pub outcome: Option<String>,
    pub case_id: Option<i64>,
    /// Matches the reference or the case number (prefix).
    pub keyword: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

fn exchange_where(f: &ExchangeFilter) -> Where {
    let mut w = Where::new();
    if let Some(v) = &f.system {
        w.and("e.system = {}", Bind::Text(v.clone()));
    }
    if let Some(v) = &f.direction {
        w.and("e.direction = {}", Bind::Text(v.clone()));
    }
    if let Some(v) = &f.interface {
        w.and("e.interface = {}", Bind::Text(v.clone()));
    }
    if let Some(v) = &f.outcome {
        w.and("e.outcome = {}", Bind::Text(v.clone()));
    }
    if let Some(v) = f.case_id {
        w.and("e.case_id = {}", Bind::I64(v));
    }
    if let Some(k) = &f.keyword {
        let p = w.push_bind(Bind::Text(k.clone()));
        let q = w.push_bind(Bind::Text(dialect::like_pattern(k)));
        w.and_raw(format!("(e.reference = {p} OR c.case_no LIKE {q} ESCAPE '\\')"));
    }
    if let Some(v) = f.from {
        w.and("e.created_at >= {}", Bind::I64(v));
    }
    if let Some(v) = f.to {
        w.and("e.created_at < {}", Bind::I64(v));
    }
    w
}

const EXCHANGE_FROM: &str = "FROM exchanges e LEFT JOIN cases c ON c.id = e.case_id";

pub async fn exchanges(
    conn: &mut Conn,
    f: &ExchangeFilter,
    limit: i64,
    offset: i64,
) -> StorageResult<(Vec<ExchangeRow>, i64)> {
    let w = exchange_where(f);
    let (total,): (i64,) = w
        .apply_as(sqlx::query_as(dynamic(format!("SELECT COUNT(*) {EXCHANGE_FROM}{}", w.sql()))))
        .fetch_one(&mut *conn)
        .await?;
    let mut w2 = w.clone();
    let l = w2.push_bind(Bind::I64(limit));
    let o = w2.push_bind(Bind::I64(offset));
    let sql = format!("SELECT e.*, c.case_no {EXCHANGE_FROM}{} ORDER BY e.id DESC LIMIT {l} OFFSET {o}", w2.sql());
    Ok((w2.apply_as(sqlx::query_as(dynamic(sql))).fetch_all(&mut *conn).await?, total))
}

// ---- inbound messages ----------------------------------------------------------------------------

/// The stored result of an inbound message already processed, if any.
pub async fn inbound_result(conn: &mut Conn, system: &str, message_id: &str) -> StorageResult<Option<String>> {
    let r: Option<(String,)> =
        sqlx::query_as("SELECT result FROM inbound_messages WHERE system = $1 AND message_id = $2")
            .bind(system)
            .bind(message_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(r.map(|(s,)| s))
}

/// Record an inbound message in the transaction that processes it; a concurrent repeat fails on
/// the primary key and rolls back.
pub async fn record_inbound(
    conn: &mut Conn,
    system: &str,
    message_id: &str,
    result: &str,
    now: i64,
) -> StorageResult<()> {
    sqlx::query("INSERT INTO inbound_messages (system, message_id, result, received_at) VALUES ($1, $2, $3, $4)")
        .bind(system)
        .bind(message_id)
        .bind(result)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ---- provincial state of cases ------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProvinceCaseRow {
    pub case_id: i64,
    pub interface: String,
    pub push_id: String,
    pub remote_id: String,
    pub status: String,
    pub transferred_to: String,
    pub result: String,
    pub pushed_at: Option<i64>,
    pub transferred_at: Option<i64>,
    pub disposed_at: Option<i64>,
    pub updated_at: i64,
}

pub async fn queue_province_case(
    conn: &mut Conn,
    case_id: i64,
    interface: &str,
    push_id: &str,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO province_cases (case_id, interface, push_id, status, updated_at) VALUES ($1, $2, $3, 'queued', $4)",
    )
    .bind(case_id)
    .bind(interface)
    .bind(push_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn province_case(conn: &mut Conn, case_id: i64) -> StorageResult<Option<ProvinceCaseRow>> {
    Ok(sqlx::query_as("SELECT * FROM province_cases WHERE case_id = $1")
        .bind(case_id)
        .fetch_optional(&mut *conn)
        .await?)
}

pub async fn province_case_by_push(conn: &mut Conn, push_id: &str) -> StorageResult<Option<ProvinceCaseRow>> {
    Ok(sqlx::query_as("SELECT * FROM province_cases WHERE push_id = $1")
        .bind(push_id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// Cases pushed and not finished at the province, oldest update first (for status polling).
pub async fn province_open(conn: &mut Conn, limit: i64) -> StorageResult<Vec<ProvinceCaseRow>> {
    Ok(sqlx::query_as(
        "SELECT * FROM province_cases WHERE status IN ('pushed', 'transferred') ORDER BY updated_at LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// Write the provincial state of a case.
pub async fn update_province_case(conn: &mut Conn, r: &ProvinceCaseRow) -> StorageResult<()> {
    sqlx::query(
        "UPDATE province_cases SET remote_id = $1, status = $2, transferred_to = $3, result = $4, pushed_at = $5,          transferred_at = $6, disposed_at = $7, updated_at = $8 WHERE case_id = $9",
    )
    .bind(&r.remote_id)
    .bind(&r.status)
    .bind(&r.transferred_to)
    .bind(&r.result)
    .bind(r.pushed_at)
    .bind(r.transferred_at)
    .bind(r.disposed_at)
    .bind(r.updated_at)
    .bind(r.case_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

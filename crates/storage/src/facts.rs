//! Enforcement facts pulled from the big-data bureau's data platform (IRS, F81), the bodies and
//! items that describe them, and the import jobs with their checkpoints.
//!
//! Writes are batched multi-row upserts keyed by the record's natural key (dataset + record id,
//! body code, item code), so a page written twice — a resumed import, an overlapping incremental
//! pull — leaves one row per record. The caller commits each page together with its checkpoint
//! ([`commit_page`]) in one transaction.

use crate::db::Conn;
use crate::dialect;
use crate::error::StorageResult;
use crate::query::{Bind, ScopeColumns, ScopeFilter, Where, dynamic};

/// Rows per INSERT statement on SQLite. Small on purpose: sqlx-sqlite looks up each parameter's
/// name when binding, which costs time in proportion to the parameters of the statement, so a
/// statement's binding cost grows with the square of its size (at 200 rows × 22 columns that lookup
/// took 40 % of an import). 25 rows (550 binds) keeps the statement count low and the lookups cheap.
const SQLITE_CHUNK: usize = 25;
/// Rows per INSERT statement on PostgreSQL, where each statement is a round trip.
const POSTGRES_CHUNK: usize = 200;

fn chunk_size(conn: &Conn) -> usize {
    if conn.backend_name().eq_ignore_ascii_case("postgresql") { POSTGRES_CHUNK } else { SQLITE_CHUNK }
}

// ---- facts and dimensions ------------------------------------------------------------------------

/// One fact to write.
#[derive(Debug, Clone, PartialEq)]
pub struct FactWrite {
    pub dataset: String,
    pub record_id: String,
    pub region_code: String,
    pub county_code: String,
    pub region_name: String,
    pub dept_code: String,
    pub dept_name: String,
    pub item_code: String,
    pub item_name: String,
    pub subject_type: String,
    pub subject_name: String,
    pub subject_code: String,
    pub occurred_at: Option<i64>,
    pub concluded_at: Option<i64>,
    pub kind: String,
    pub status: String,
    pub amount: Option<i64>,
    pub title: String,
    pub attrs: String,
    pub source_updated_at: i64,
}

/// How many rows of a batch were new and how many replaced an earlier version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Upserted {
    pub inserted: i64,
    pub updated: i64,
}

/// Count the keys of a batch already stored (`table` and `key_sql` are constants).
async fn existing(
    conn: &mut Conn,
    table: &str,
    key_sql: &str,
    scope: Option<&str>,
    keys: &[&str],
) -> StorageResult<i64> {
    let mut total = 0;
    for chunk in keys.chunks(chunk_size(conn)) {
        let mut w = Where::new();
        if let Some(d) = scope {
            w.and("dataset = {}", Bind::Text(d.to_owned()));
        }
        let ps: Vec<String> = chunk.iter().map(|k| w.push_bind(Bind::Text((*k).to_owned()))).collect();
        w.and_raw(format!("{key_sql} IN ({})", ps.join(", ")));
        let (n,): (i64,) = w
            .apply_as(sqlx::query_as(dynamic(format!("SELECT COUNT(*) FROM {table}{}", w.sql()))))
            .fetch_one(&mut *conn)
            .await?;
        total += n;
    }
    Ok(total)
}

fn placeholders(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=cols).map(|c| format!("${}", r * cols + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

const FACT_COLS: &[&str] = &[
    "dataset",
    "record_id",
    "region_code",
    "county_code",
    "region_name",
    "dept_code",
    "dept_name",
    "item_code",
    "item_name",
    "subject_type",
    "subject_name",
    "subject_code",
    "occurred_at",
    "concluded_at",
    "kind",
    "status",
    "amount",
    "title",
    "attrs",
    "source_updated_at",
    "import_id",
    "imported_at",
];

fn upsert_sql(table: &str, cols: &[&str], key: &str, rows: usize) -> String {
    let updates: Vec<String> =
        cols.iter().filter(|c| !key.split(", ").any(|k| k == **c)).map(|c| format!("{c} = excluded.{c}")).collect();
    format!(
        "INSERT INTO {table} ({}) VALUES {} ON CONFLICT ({key}) DO UPDATE SET {}",
        cols.join(", "),
        placeholders(rows, cols.len()),
        updates.join(", ")
    )
}

/// Upsert facts of one dataset by (dataset, record id).
pub async fn upsert_facts(conn: &mut Conn, rows: &[FactWrite], import_id: i64, now: i64) -> StorageResult<Upserted> {
    let mut out = Upserted::default();
    for chunk in rows.chunks(chunk_size(conn)) {
        let mut by_dataset: Vec<(&str, Vec<&str>)> = Vec::new();
        for r in chunk {
            match by_dataset.iter_mut().find(|(d, _)| *d == r.dataset) {
                Some((_, ks)) => ks.push(&r.record_id),
                None => by_dataset.push((&r.dataset, vec![&r.record_id])),
            }
        }
        let mut before = 0;
        for (d, keys) in &by_dataset {
            before += existing(conn, "irs_facts", "record_id", Some(d), keys).await?;
        }
        let sql = upsert_sql("irs_facts", FACT_COLS, "dataset, record_id", chunk.len());
        let mut q = sqlx::query(dynamic(sql));
        for r in chunk {
            q = q
                .bind(r.dataset.clone())
                .bind(r.record_id.clone())
                .bind(r.region_code.clone())
                .bind(r.county_code.clone())
                .bind(r.region_name.clone())
                .bind(r.dept_code.clone())
                .bind(r.dept_name.clone())
                .bind(r.item_code.clone())
                .bind(r.item_name.clone())
                .bind(r.subject_type.clone())
                .bind(r.subject_name.clone())
                .bind(r.subject_code.clone())
                .bind(r.occurred_at)
                .bind(r.concluded_at)
                .bind(r.kind.clone())
                .bind(r.status.clone())
                .bind(r.amount)
                .bind(r.title.clone())
                .bind(r.attrs.clone())
                .bind(r.source_updated_at)
                .bind(import_id)
                .bind(now);
        }
        q.execute(&mut *conn).await?;
        let n = chunk.len() as i64;
        out.inserted += n - before;
        out.updated += before;
    }
    Ok(out)
}

/// One enforcement body to write.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyWrite {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub region_code: String,
    pub region_name: String,
    pub status: String,
    pub established_at: Option<i64>,
    pub attrs: String,
    pub source_updated_at: i64,
}

const BODY_COLS: &[&str] = &[
    "code",
    "name",
    "kind",
    "region_code",
    "region_name",
    "status",
    "established_at",
    "attrs",
    "source_updated_at",
    "import_id",
    "imported_at",
];

pub async fn upsert_bodies(conn: &mut Conn, rows: &[BodyWrite], import_id: i64, now: i64) -> StorageResult<Upserted> {
    let mut out = Upserted::default();
    for chunk in rows.chunks(chunk_size(conn)) {
        let keys: Vec<&str> = chunk.iter().map(|r| r.code.as_str()).collect();
        let before = existing(conn, "irs_bodies", "code", None, &keys).await?;
        let mut q = sqlx::query(dynamic(upsert_sql("irs_bodies", BODY_COLS, "code", chunk.len())));
        for r in chunk {
            q = q
                .bind(r.code.clone())
                .bind(r.name.clone())
                .bind(r.kind.clone())
                .bind(r.region_code.clone())
                .bind(r.region_name.clone())
                .bind(r.status.clone())
                .bind(r.established_at)
                .bind(r.attrs.clone())
                .bind(r.source_updated_at)
                .bind(import_id)
                .bind(now);
        }
        q.execute(&mut *conn).await?;
        out.inserted += chunk.len() as i64 - before;
        out.updated += before;
    }
    Ok(out)
}

/// One enforcement item to write.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemWrite {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub dept_code: String,
    pub dept_name: String,
    pub status: String,
    pub attrs: String,
    pub source_updated_at: i64,
}

const ITEM_COLS: &[&str] = &[
    "code",
    "name",
    "kind",
    "dept_code",
    "dept_name",
    "status",
    "attrs",
    "source_updated_at",
    "import_id",
    "imported_at",
];

pub async fn upsert_items(conn: &mut Conn, rows: &[ItemWrite], import_id: i64, now: i64) -> StorageResult<Upserted> {
    let mut out = Upserted::default();
    for chunk in rows.chunks(chunk_size(conn)) {
        let keys: Vec<&str> = chunk.iter().map(|r| r.code.as_str()).collect();
        let before = existing(conn, "irs_items", "code", None, &keys).await?;
        let mut q = sqlx::query(dynamic(upsert_sql("irs_items", ITEM_COLS, "code", chunk.len())));
        for r in chunk {
            q = q
                .bind(r.code.clone())
                .bind(r.name.clone())
                .bind(r.kind.clone())
                .bind(r.dept_code.clone())
                .bind(r.dept_name.clone())
                .bind(r.status.clone())
                .bind(r.attrs.clone())
                .bind(r.source_updated_at)
                .bind(import_id)
                .bind(now);
        }
        q.execute(&mut *conn).await?;
        out.inserted += chunk.len() as i64 - before;
        out.updated += before;
    }
    Ok(out)
}

/// Rows per dataset held locally (facts by dataset, plus `body` and `item`).
pub async fn counts(conn: &mut Conn) -> StorageResult<Vec<(String, i64)>> {
    let mut out: Vec<(String, i64)> =
        sqlx::query_as("SELECT dataset, COUNT(*) FROM irs_facts GROUP BY dataset").fetch_all(&mut *conn).await?;
    let (b,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM irs_bodies").fetch_one(&mut *conn).await?;
    let (i,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM irs_items").fetch_one(&mut *conn).await?;
    out.push(("body".into(), b));
    out.push(("item".into(), i));
    Ok(out)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FactRow {
    pub id: i64,
    pub dataset: String,
    pub record_id: String,
    pub region_code: String,
    pub county_code: String,
    pub region_name: String,
    pub dept_code: String,
    pub dept_name: String,
    pub item_code: String,
    pub item_name: String,
    pub subject_type: String,
    pub subject_name: String,
    pub subject_code: String,
    pub occurred_at: Option<i64>,
    pub concluded_at: Option<i64>,
    pub kind: String,
    pub status: String,
    pub amount: Option<i64>,
    pub title: String,
    pub attrs: String,
    pub source_updated_at: i64,
    pub import_id: Option<i64>,
    pub imported_at: i64,
}

#[derive(Debug, Clone, Default)]
pub struct FactFilter {
    pub dataset: Option<String>,
    /// A county code (all its townships), a township code, or the city code (everything).
    pub region_code: Option<String>,
    /// Department code, or part of its name.
    pub dept: Option<String>,
    /// Item code, or part of its name.
    pub item: Option<String>,
    /// Part of the subject's name, the subject's code, the document number or the record id.
    pub keyword: Option<String>,
    pub subject_type: Option<String>,
    /// `occurred_at` from (inclusive) and to (exclusive).
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// Sortable columns: (API name, SQL column).
pub const FACT_SORTS: &[(&str, &str)] =
    &[("occurred_at", "f.occurred_at"), ("amount", "f.amount"), ("source_updated_at", "f.source_updated_at")];

fn fact_where(f: &FactFilter, scope: &ScopeFilter) -> Where {
    let mut w = Where::new();
    if let Some(v) = &f.dataset {
        w.and("f.dataset = {}", Bind::Text(v.clone()));
    }
    if let Some(r) = &f.region_code {
        if r.len() == 6 && r != "331100" {
            w.and("f.county_code = {}", Bind::Text(r.clone()));
        } else if r.len() != 6 {
            w.and("f.region_code = {}", Bind::Text(r.clone()));
        }
    }
    for (value, code_col, name_col) in
        [(&f.dept, "f.dept_code", "f.dept_name"), (&f.item, "f.item_code", "f.item_name")]
    {
        if let Some(v) = value {
            let p = w.push_bind(Bind::Text(v.clone()));
            let q = w.push_bind(Bind::Text(dialect::like_pattern(v)));
            w.and_raw(format!("({code_col} = {p} OR {name_col} LIKE {q} ESCAPE '\\')"));
        }
    }
    if let Some(v) = &f.subject_type {
        w.and("f.subject_type = {}", Bind::Text(v.clone()));
    }
    if let Some(k) = &f.keyword {
        let p = w.push_bind(Bind::Text(k.clone()));
        let q = w.push_bind(Bind::Text(dialect::like_pattern(k)));
        w.and_raw(format!(
            "(f.subject_code = {p} OR f.record_id = {p} OR f.subject_name LIKE {q} ESCAPE '\\' OR f.title LIKE {q} ESCAPE '\\')"
        ));
    }
    if let Some(v) = f.from {
        w.and("f.occurred_at >= {}", Bind::I64(v));
    }
    if let Some(v) = f.to {
        w.and("f.occurred_at < {}", Bind::I64(v));
    }
    // Facts name their department, not our department id: a department scope matches by name.
    w.scope(
        scope,
        ScopeColumns {
            region: "f.region_code",
            department: "(SELECT d.id FROM departments d WHERE d.name = f.dept_name)",
            owner: "NULL",
        },
    );
    w
}

/// A page of facts and the number matching.
pub async fn facts(
    conn: &mut Conn,
    f: &FactFilter,
    scope: &ScopeFilter,
    sort: &str,
    desc: bool,
    limit: i64,
    offset: i64,
) -> StorageResult<(Vec<FactRow>, i64)> {
    let w = fact_where(f, scope);
    let (total,): (i64,) = w
        .apply_as(sqlx::query_as(dynamic(format!("SELECT COUNT(*) FROM irs_facts f{}", w.sql()))))
        .fetch_one(&mut *conn)
        .await?;
    let mut w2 = w.clone();
    let l = w2.push_bind(Bind::I64(limit));
    let o = w2.push_bind(Bind::I64(offset));
    let dir = if desc { "DESC" } else { "ASC" };
    let col = FACT_SORTS.iter().find(|(_, c)| *c == sort).map_or("f.occurred_at", |(_, c)| *c);
    let sql = format!("SELECT f.* FROM irs_facts f{} ORDER BY {col} {dir}, f.id {dir} LIMIT {l} OFFSET {o}", w2.sql());
    Ok((w2.apply_as(sqlx::query_as(dynamic(sql))).fetch_all(&mut *conn).await?, total))
}

pub async fn fact(conn: &mut Conn, id: i64, scope: &ScopeFilter) -> StorageResult<FactRow> {
    let mut w = fact_where(&FactFilter::default(), scope);
    w.and("f.id = {}", Bind::I64(id));
    Ok(w.apply_as(sqlx::query_as(dynamic(format!("SELECT f.* FROM irs_facts f{}", w.sql()))))
        .fetch_one(&mut *conn)
        .await?)
}

// ---- import jobs ---------------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportRow {
    pub id: i64,
    pub status: String,
    pub mode: String,
    pub running: Option<String>,
    pub expected: i64,
    pub fetched: i64,
    pub inserted: i64,
    pub updated: i64,
    pub pages: i64,
    pub retries: i64,
    pub resumes: i64,
    pub last_error: String,
    pub created_by: String,
    pub started_at: i64,
    pub heartbeat_at: i64,
    pub finished_at: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportDatasetRow {
    pub import_id: i64,
    pub dataset: String,
    pub status: String,
    pub start_cursor: Option<String>,
    pub cursor: Option<String>,
    pub expected: i64,
    pub fetched: i64,
    pub inserted: i64,
    pub updated: i64,
    pub pages: i64,
    pub last_error: String,
    pub updated_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportErrorRow {
    pub id: i64,
    pub import_id: i64,
    pub dataset: String,
    pub attempt: i64,
    pub message: String,
    pub occurred_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CheckpointRow {
    pub dataset: String,
    pub cursor: String,
    pub import_id: Option<i64>,
    pub updated_at: i64,
}

/// A dataset of a new import: where it starts and how many records the platform announced.
#[derive(Debug, Clone)]
pub struct NewImportDataset {
    pub dataset: String,
    pub start_cursor: Option<String>,
    pub expected: i64,
}

/// Create a running import. Fails with `Duplicate { field: "running" }` while another runs.
pub async fn create_import(
    conn: &mut Conn,
    mode: &str,
    datasets: &[NewImportDataset],
    by: &str,
    now: i64,
) -> StorageResult<i64> {
    let expected: i64 = datasets.iter().map(|d| d.expected).sum();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO irs_imports (status, mode, running, expected, created_by, started_at, heartbeat_at) \
         VALUES ('running', $1, 'irs', $2, $3, $4, $4) RETURNING id",
    )
    .bind(mode)
    .bind(expected)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    for d in datasets {
        sqlx::query(
            "INSERT INTO irs_import_datasets (import_id, dataset, status, start_cursor, cursor, expected, updated_at) \
             VALUES ($1, $2, 'pending', $3, $3, $4, $5)",
        )
        .bind(id)
        .bind(&d.dataset)
        .bind(d.start_cursor.clone())
        .bind(d.expected)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

pub async fn import(conn: &mut Conn, id: i64) -> StorageResult<ImportRow> {
    Ok(sqlx::query_as("SELECT * FROM irs_imports WHERE id = $1").bind(id).fetch_one(&mut *conn).await?)
}

/// Imports, newest first.
pub async fn imports(conn: &mut Conn, limit: i64, offset: i64) -> StorageResult<(Vec<ImportRow>, i64)> {
    let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM irs_imports").fetch_one(&mut *conn).await?;
    let rows = sqlx::query_as("SELECT * FROM irs_imports ORDER BY id DESC LIMIT $1 OFFSET $2")
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await?;
    Ok((rows, total))
}

/// The datasets of an import in the order they were added.
pub async fn import_datasets(conn: &mut Conn, id: i64) -> StorageResult<Vec<ImportDatasetRow>> {
    Ok(sqlx::query_as("SELECT * FROM irs_import_datasets WHERE import_id = $1 ORDER BY dataset")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?)
}

/// The newest errors of an import.
pub async fn import_errors(conn: &mut Conn, id: i64, limit: i64) -> StorageResult<(Vec<ImportErrorRow>, i64)> {
    let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM irs_import_errors WHERE import_id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let rows = sqlx::query_as("SELECT * FROM irs_import_errors WHERE import_id = $1 ORDER BY id DESC LIMIT $2")
        .bind(id)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    Ok((rows, total))
}

pub async fn checkpoints(conn: &mut Conn) -> StorageResult<Vec<CheckpointRow>> {
    Ok(sqlx::query_as("SELECT * FROM irs_checkpoints ORDER BY dataset").fetch_all(&mut *conn).await?)
}

/// The import holding the running slot, if any.
pub async fn running_import(conn: &mut Conn) -> StorageResult<Option<ImportRow>> {
    Ok(sqlx::query_as("SELECT * FROM irs_imports WHERE running = 'irs'").fetch_optional(&mut *conn).await?)
}

/// Take a failed import (or a running one whose heartbeat is older than `stale_before`, left by
/// a stopped server) back to running. False when it is neither. Fails with `Duplicate { field:
/// "running" }` while another import runs.
pub async fn claim_resume(conn: &mut Conn, id: i64, stale_before: i64, now: i64) -> StorageResult<bool> {
    let r = sqlx::query(
        "UPDATE irs_imports SET status = 'running', running = 'irs', resumes = resumes + 1, heartbeat_at = $1, \
         finished_at = NULL WHERE id = $2 AND (status = 'failed' OR (status = 'running' AND heartbeat_at < $3))",
    )
    .bind(now)
    .bind(id)
    .bind(stale_before)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 1 {
        sqlx::query("UPDATE irs_import_datasets SET status = 'pending' WHERE import_id = $1 AND status <> 'done'")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(r.rows_affected() == 1)
}

/// Move the heartbeat of a running import (also while it waits to retry).
pub async fn heartbeat(conn: &mut Conn, id: i64, now: i64) -> StorageResult<()> {
    sqlx::query("UPDATE irs_imports SET heartbeat_at = $1 WHERE id = $2 AND status = 'running'")
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn set_dataset_status(
    conn: &mut Conn,
    id: i64,
    dataset: &str,
    status: &str,
    error: &str,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE irs_import_datasets SET status = $1, last_error = $2, updated_at = $3 WHERE import_id = $4 AND dataset = $5",
    )
    .bind(status)
    .bind(clip(error, 500))
    .bind(now)
    .bind(id)
    .bind(dataset)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Set what a dataset of an import will pull, and the import's total.
pub async fn set_expected(conn: &mut Conn, id: i64, dataset: &str, expected: i64, now: i64) -> StorageResult<()> {
    sqlx::query("UPDATE irs_import_datasets SET expected = $1, updated_at = $2 WHERE import_id = $3 AND dataset = $4")
        .bind(expected)
        .bind(now)
        .bind(id)
        .bind(dataset)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE irs_imports SET expected = (SELECT COALESCE(SUM(expected), 0) FROM irs_import_datasets \
         WHERE import_id = $1) WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A page written: its checkpoint and counts.
#[derive(Debug, Clone)]
pub struct PageCommit<'a> {
    pub import_id: i64,
    pub dataset: &'a str,
    /// The position after this page.
    pub cursor: Option<&'a str>,
    pub fetched: i64,
    pub written: Upserted,
    pub now: i64,
}

/// Record a page in the transaction that wrote its rows: the dataset's checkpoint, the job's
/// counts and heartbeat, and the checkpoint the next incremental import starts from.
pub async fn commit_page(conn: &mut Conn, p: &PageCommit<'_>) -> StorageResult<()> {
    sqlx::query(
        "UPDATE irs_import_datasets SET status = 'running', cursor = $1, fetched = fetched + $2, inserted = inserted + $3, \
         updated = updated + $4, pages = pages + 1, last_error = '', updated_at = $5 WHERE import_id = $6 AND dataset = $7",
    )
    .bind(p.cursor.map(str::to_owned))
    .bind(p.fetched)
    .bind(p.written.inserted)
    .bind(p.written.updated)
    .bind(p.now)
    .bind(p.import_id)
    .bind(p.dataset)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE irs_imports SET fetched = fetched + $1, inserted = inserted + $2, updated = updated + $3, pages = pages + 1, \
         heartbeat_at = $4 WHERE id = $5",
    )
    .bind(p.fetched)
    .bind(p.written.inserted)
    .bind(p.written.updated)
    .bind(p.now)
    .bind(p.import_id)
    .execute(&mut *conn)
    .await?;
    if let Some(c) = p.cursor {
        sqlx::query(
            "INSERT INTO irs_checkpoints (dataset, cursor, import_id, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (dataset) DO UPDATE SET cursor = excluded.cursor, import_id = excluded.import_id, \
             updated_at = excluded.updated_at",
        )
        .bind(p.dataset)
        .bind(c)
        .bind(p.import_id)
        .bind(p.now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Record a failed attempt.
pub async fn log_error(
    conn: &mut Conn,
    id: i64,
    dataset: &str,
    attempt: i64,
    message: &str,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO irs_import_errors (import_id, dataset, attempt, message, occurred_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(dataset)
    .bind(attempt)
    .bind(clip(message, 1000))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE irs_imports SET retries = retries + 1, last_error = $1, heartbeat_at = $2 WHERE id = $3")
        .bind(clip(message, 500))
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// End an import (`succeeded` or `failed`); a failed one keeps its checkpoints for a resume.
pub async fn finish_import(conn: &mut Conn, id: i64, status: &str, error: &str, now: i64) -> StorageResult<()> {
    sqlx::query(
        "UPDATE irs_imports SET status = $1, running = NULL, last_error = $2, finished_at = $3, heartbeat_at = $3 \
         WHERE id = $4",
    )
    .bind(status)
    .bind(clip(error, 500))
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn clip(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

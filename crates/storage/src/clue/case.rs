//! Clues, cases, tasks, the timeline and suspected-duplicate reviews.

use crate::db::{Backend, Conn};
use crate::dialect::{self, OptF64};
use crate::error::{StorageError, StorageResult};
use crate::query::{
    Bind, ScopeColumns, ScopeFilter, Where, dynamic, insert_chunks, insert_rows, positional, shaped,
    values_placeholders,
};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, Row};

fn affected(n: u64) -> StorageResult<()> {
    if n == 0 { Err(StorageError::NotFound) } else { Ok(()) }
}

// ---- look-ups used by the intake -------------------------------------------------------------------

pub async fn case_type_by_code(conn: &mut Conn, code: &str) -> StorageResult<Option<(i64, String)>> {
    Ok(sqlx::query_as("SELECT id, name FROM case_types WHERE code = $1 AND enabled = 1")
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?)
}

/// (id, name, time-limit percent).
pub async fn severity_by_code(conn: &mut Conn, code: &str) -> StorageResult<Option<(i64, String, i64)>> {
    Ok(sqlx::query_as("SELECT id, name, time_limit_percent FROM severities WHERE code = $1 AND enabled = 1")
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DedupParamsRow {
    pub high_threshold: f64,
    pub low_threshold: f64,
    pub radius_m: i64,
    pub window_hours: i64,
    pub same_category: i64,
    pub enabled: i64,
    pub weight_category: f64,
    pub weight_proximity: f64,
    pub weight_text: f64,
}

impl DedupParamsRow {
    /// The settings as the dedup score takes them (whether or not dedup is enabled).
    pub fn params(&self) -> xiezhi_domain::clue::dedup::DedupParams {
        xiezhi_domain::clue::dedup::DedupParams {
            high_threshold: self.high_threshold,
            low_threshold: self.low_threshold,
            radius_m: self.radius_m as f64,
            window_ms: self.window_hours * 3_600_000,
            same_category: self.same_category == 1,
            weights: [self.weight_category, self.weight_proximity, self.weight_text],
        }
    }
}

/// The category's own dedup setting if enabled, else the global one.
pub async fn dedup_params(conn: &mut Conn, category_id: i64) -> StorageResult<DedupParamsRow> {
    Ok(sqlx::query_as(
        "SELECT high_threshold, low_threshold, radius_m, window_hours, same_category, enabled, weight_category, \
         weight_proximity, weight_text FROM dedup_settings WHERE category_id = $1 OR category_id IS NULL \
         ORDER BY CASE WHEN category_id IS NULL OR enabled = 0 THEN 1 ELSE 0 END LIMIT 1",
    )
    .bind(category_id)
    .fetch_one(&mut *conn)
    .await?)
}

/// An open case near a new clue.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Candidate {
    pub id: i64,
    pub case_no: String,
    pub status: String,
    pub category_code: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub reported_at: i64,
    pub dedup_terms: String,
}

const CANDIDATE_SELECT: &str = "SELECT c.id, c.case_no, c.status, k.code AS category_code, c.lon, c.lat, c.reported_at, c.dedup_terms \
     FROM cases c JOIN categories k ON k.id = c.category_id";

/// `substr(k.code, 1, n) = <param>` for a major category code of `n` characters. Not `LIKE ?`:
/// SQLite prepares a statement whose LIKE pattern is a parameter again every time the parameter is
/// bound (the LIKE optimisation depends on the pattern).
fn major_clause(major: &str, param: &str) -> String {
    format!("substr(k.code, 1, {}) = {param}", major.chars().count())
}

/// Where to look for one clue's dedup candidates: a range of grid cells (consecutive cells of one
/// column of the grid), the distance box and the time window.
#[derive(Debug, Clone, Copy)]
pub struct CellProbe {
    /// Returned with the cases found, to tell the probes apart.
    pub probe: i64,
    pub cells: (i64, i64),
    /// `[lon_min, lat_min, lon_max, lat_max]`.
    pub bbox: [f64; 4],
    pub from: i64,
    pub to: i64,
}

#[derive(sqlx::FromRow)]
struct Near {
    probe: i64,
    #[sqlx(flatten)]
    candidate: Candidate,
}

/// The open cases within reach of each probe, with its `probe` (one statement per 32 probes; a
/// case within reach of several probes comes once per probe), of categories starting with `major`
/// if given.
pub async fn candidates_near(
    conn: &mut Conn,
    probes: &[CellProbe],
    major: Option<&str>,
) -> StorageResult<Vec<(i64, Candidate)>> {
    const COLS: usize = 9;
    // Without statistics (the platform does not run ANALYZE), SQLite would rather read every open
    // case through the status index.
    let indexed = if conn.backend_name() == "SQLite" { " INDEXED BY cases_open_place_idx" } else { "" };
    // The category clause, if any, depends on the length of the major category's code.
    let key = match major {
        Some(m) => format!("candidates_near/major/{}", m.chars().count()),
        None => "candidates_near".to_owned(),
    };
    let mut out = Vec::new();
    for chunk in probes.chunks(32) {
        // Padded to a power of two with probes of no cell, so that a few statements serve every count.
        let rows = chunk.len().next_power_of_two().max(4);
        let sql = shaped(conn, &key, (rows, COLS), || {
            let mut sql = format!(
                "SELECT v.column1 AS probe, c.id, c.case_no, c.status, k.code AS category_code, c.lon, c.lat, \
                 c.reported_at, c.dedup_terms FROM (VALUES {}) AS v \
                 JOIN cases c{indexed} ON c.grid_cell >= v.column2 AND c.grid_cell <= v.column3 \
                 AND c.reported_at >= v.column8 AND c.reported_at <= v.column9 \
                 AND c.lon >= v.column4 AND c.lat >= v.column5 AND c.lon <= v.column6 AND c.lat <= v.column7 \
                 JOIN categories k ON k.id = c.category_id WHERE c.status IN ('active', 'suspended')",
                values_placeholders(rows, COLS)
            );
            if let Some(m) = major {
                sql.push_str(" AND ");
                sql.push_str(&major_clause(m, &format!("${}", rows * COLS + 1)));
            }
            sql
        });
        let none = CellProbe { probe: -1, cells: (1, 0), bbox: [0.0; 4], from: 1, to: 0 };
        let mut q = sqlx::query_as::<_, Near>(sql);
        for p in chunk.iter().chain(std::iter::repeat_n(&none, rows - chunk.len())) {
            let [x0, y0, x1, y1] = p.bbox;
            q = q
                .bind(p.probe)
                .bind(p.cells.0)
                .bind(p.cells.1)
                .bind(x0)
                .bind(y0)
                .bind(x1)
                .bind(y1)
                .bind(p.from)
                .bind(p.to);
        }
        if let Some(m) = major {
            q = q.bind(m);
        }
        out.extend(q.fetch_all(&mut *conn).await?.into_iter().map(|n| (n.probe, n.candidate)));
    }
    Ok(out)
}

/// Open cases without coordinates in the same region reported within `[from, to]`, of categories
/// starting with `major` if given.
pub async fn candidates_by_region(
    conn: &mut Conn,
    region_code: &str,
    from: i64,
    to: i64,
    major: Option<&str>,
) -> StorageResult<Vec<Candidate>> {
    let mut w = Where::new();
    w.and("c.region_code = {}", Bind::Text(region_code.to_owned()));
    w.and("c.reported_at >= {}", Bind::I64(from));
    w.and("c.reported_at <= {}", Bind::I64(to));
    w.and_raw("c.status IN ('active', 'suspended') AND c.grid_cell IS NULL");
    if let Some(m) = major {
        w.and(&major_clause(m, "{}"), Bind::Text(m.to_owned()));
    }
    let sql = format!("{CANDIDATE_SELECT}{} LIMIT 500", w.sql());
    Ok(w.apply_as(sqlx::query_as(positional(conn, sql))).fetch_all(&mut *conn).await?)
}

/// The most specific enabled responsibility rule for a category in a township, county or city:
/// (department id, tier, time limit hours).
pub async fn responsibility_for(
    conn: &mut Conn,
    category_id: i64,
    regions: &[&str],
) -> StorageResult<Option<(i64, String, i64)>> {
    for r in regions {
        let row: Option<(i64, String, i64)> = sqlx::query_as(
            "SELECT department_id, tier, time_limit_hours FROM responsibility_rules \
             WHERE category_id = $1 AND region_code = $2 AND enabled = 1",
        )
        .bind(category_id)
        .bind(*r)
        .fetch_optional(&mut *conn)
        .await?;
        if row.is_some() {
            return Ok(row);
        }
    }
    Ok(None)
}

/// The township office (乡镇综合执法队) of a township.
pub async fn township_office(conn: &mut Conn, township: &str) -> StorageResult<Option<i64>> {
    let r: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM departments WHERE region_code = $1 AND kind = 'township_office' AND enabled = 1 ORDER BY id LIMIT 1",
    )
    .bind(township)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(r.map(|r| r.0))
}

pub async fn stage_limit(conn: &mut Conn, category_id: i64, stage: &str) -> StorageResult<Option<i64>> {
    let r: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT time_limit_minutes FROM category_stage_rules WHERE category_id = $1 AND stage = $2")
            .bind(category_id)
            .bind(stage)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(r.and_then(|r| r.0))
}

pub async fn active_numbering_pattern(conn: &mut Conn) -> StorageResult<Option<String>> {
    let r: Option<(String,)> =
        sqlx::query_as("SELECT pattern FROM numbering_rules WHERE active = 1").fetch_optional(&mut *conn).await?;
    Ok(r.map(|r| r.0))
}

/// Next value of a per-scope case-number sequence (row-locked until the transaction ends).
pub async fn next_sequence(conn: &mut Conn, scope: &str) -> StorageResult<i64> {
    let (v,): (i64,) = sqlx::query_as(
        "INSERT INTO case_sequences (scope_key, last_value) VALUES ($1, 1) \
         ON CONFLICT (scope_key) DO UPDATE SET last_value = case_sequences.last_value + 1 RETURNING last_value",
    )
    .bind(scope)
    .fetch_one(&mut *conn)
    .await?;
    Ok(v)
}

/// Set a sequence's last value (the caller holds its row, see [`next_sequence`]).
pub async fn set_sequence(conn: &mut Conn, scope: &str, last: i64) -> StorageResult<()> {
    sqlx::query("UPDATE case_sequences SET last_value = $1 WHERE scope_key = $2")
        .bind(last)
        .bind(scope)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ---- clues ------------------------------------------------------------------------------------------

/// (clue id, payload hash, stored result, case id).
pub async fn find_clue(
    conn: &mut Conn,
    source_id: i64,
    source_clue_id: &str,
) -> StorageResult<Option<(i64, String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT id, payload_hash, result, case_id FROM clues WHERE source_id = $1 AND source_clue_id = $2",
    )
    .bind(source_id)
    .bind(source_clue_id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Which of `ids` the source has pushed already.
pub async fn known_clue_ids(
    conn: &mut Conn,
    source_id: i64,
    ids: &[&str],
) -> StorageResult<std::collections::HashSet<String>> {
    let mut known = std::collections::HashSet::new();
    for chunk in insert_chunks(ids) {
        // One lookup of the unique index per id (a subquery per row): with `source_clue_id IN
        // (…)` or a join, PostgreSQL may scan all the source's clues and filter them when its
        // statistics do not know yet how many the source has.
        let sql = shaped(conn, "known_clue_ids", (chunk.len(), 1), || {
            format!(
                "SELECT v.column1 FROM (VALUES {}) AS v WHERE (SELECT 1 FROM clues c \
                 WHERE c.source_id = ${} AND c.source_clue_id = v.column1) IS NOT NULL",
                values_placeholders(chunk.len(), 1),
                chunk.len() + 1
            )
        });
        let mut q = sqlx::query_as::<_, (String,)>(sql);
        for id in chunk {
            q = q.bind(*id);
        }
        known.extend(q.bind(source_id).fetch_all(&mut *conn).await?.into_iter().map(|r| r.0));
    }
    Ok(known)
}

#[derive(Debug, Clone, Default)]
pub struct NewClue {
    pub source_id: i64,
    pub source_clue_id: String,
    pub payload_hash: String,
    pub raw_payload: String,
    pub case_id: i64,
    pub dedup: String,
    pub dedup_score: Option<f64>,
    pub received_at: i64,
    pub reported_at: i64,
    pub description: String,
    pub address: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub coord_system: Option<String>,
    pub region_code: String,
    pub category_id: i64,
    pub reporter_name_enc: Option<String>,
    pub reporter_phone_enc: Option<String>,
    pub reporter_phone_idx: Option<String>,
    pub reporter_id_enc: Option<String>,
    pub reporter_id_idx: Option<String>,
    pub subject_type: Option<String>,
    pub subject_name: Option<String>,
    pub subject_code: Option<String>,
    pub result: String,
    pub created_by: Option<i64>,
}

const CLUE_COLUMNS: &str = "source_id, source_clue_id, payload_hash, raw_payload, case_id, dedup, dedup_score, \
     received_at, reported_at, description, address, lon, lat, coord_system, region_code, category_id, reporter_name_enc, \
     reporter_phone_enc, reporter_phone_idx, reporter_id_enc, reporter_id_idx, subject_type, subject_name, subject_code, \
     result, created_by";
const CLUE_COLUMN_COUNT: usize = 26;

fn bind_clue<'q>(q: Query<'q, Any, AnyArguments>, c: &'q NewClue) -> Query<'q, Any, AnyArguments> {
    q.bind(c.source_id)
        .bind(&c.source_clue_id)
        .bind(&c.payload_hash)
        .bind(&c.raw_payload)
        .bind(c.case_id)
        .bind(&c.dedup)
        .bind(OptF64(c.dedup_score))
        .bind(c.received_at)
        .bind(c.reported_at)
        .bind(&c.description)
        .bind(&c.address)
        .bind(OptF64(c.lon))
        .bind(OptF64(c.lat))
        .bind(&c.coord_system)
        .bind(&c.region_code)
        .bind(c.category_id)
        .bind(&c.reporter_name_enc)
        .bind(&c.reporter_phone_enc)
        .bind(&c.reporter_phone_idx)
        .bind(&c.reporter_id_enc)
        .bind(&c.reporter_id_idx)
        .bind(&c.subject_type)
        .bind(&c.subject_name)
        .bind(&c.subject_code)
        .bind(&c.result)
        .bind(c.created_by)
}

/// Insert a clue, with the id given it (see [`reserve_clue_ids`]) or a new one; its id.
pub async fn insert_clue(conn: &mut Conn, id: Option<i64>, c: &NewClue) -> StorageResult<i64> {
    let Some(id) = id else {
        let sql = format!(
            "INSERT INTO clues ({CLUE_COLUMNS}) VALUES {} RETURNING id",
            values_placeholders(1, CLUE_COLUMN_COUNT)
        );
        let row = bind_clue(sqlx::query(positional(conn, sql)), c).fetch_one(&mut *conn).await?;
        return Ok(row.try_get(0)?);
    };
    let sql =
        format!("INSERT INTO clues (id, {CLUE_COLUMNS}) VALUES {}", values_placeholders(1, CLUE_COLUMN_COUNT + 1));
    bind_clue(sqlx::query(positional(conn, sql)).bind(id), c).execute(&mut *conn).await?;
    Ok(id)
}

/// `n` ids for clues that the caller inserts with [`insert_clues`] in the same write transaction.
/// SQLite: the ids after the highest used (the transaction holds the database's write lock);
/// PostgreSQL: taken from the id sequence (ids not used are skipped).
pub async fn reserve_clue_ids(conn: &mut Conn, n: usize) -> StorageResult<Vec<i64>> {
    if conn.backend_name() == "SQLite" {
        let (last,): (i64,) = sqlx::query_as(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'clues'), 0), \
             coalesce((SELECT max(id) FROM clues), 0))",
        )
        .fetch_one(&mut *conn)
        .await?;
        return Ok((1..=n as i64).map(|i| last + i).collect());
    }
    let ids: Vec<(i64,)> =
        sqlx::query_as("SELECT nextval(pg_get_serial_sequence('clues', 'id')) FROM generate_series(1, $1)")
            .bind(n as i64)
            .fetch_all(&mut *conn)
            .await?;
    Ok(ids.into_iter().map(|r| r.0).collect())
}

/// Insert clues with the ids given them (see [`reserve_clue_ids`]), several rows per statement.
pub async fn insert_clues(conn: &mut Conn, clues: &[(i64, NewClue)]) -> StorageResult<()> {
    let head = format!("INSERT INTO clues (id, {CLUE_COLUMNS})");
    insert_rows(conn, &head, CLUE_COLUMN_COUNT + 1, clues, |q, (id, c)| bind_clue(q.bind(*id), c)).await
}

/// Move a clue to another case (a suspected duplicate confirmed by a dispatcher).
pub async fn move_clue(conn: &mut Conn, clue_id: i64, case_id: i64, dedup: &str, result: &str) -> StorageResult<()> {
    let r = sqlx::query("UPDATE clues SET case_id = $1, dedup = $2, result = $3 WHERE id = $4")
        .bind(case_id)
        .bind(dedup)
        .bind(result)
        .bind(clue_id)
        .execute(&mut *conn)
        .await?;
    affected(r.rows_affected())
}

pub async fn set_clue_dedup(conn: &mut Conn, clue_id: i64, dedup: &str, result: &str) -> StorageResult<()> {
    sqlx::query("UPDATE clues SET dedup = $1, result = $2 WHERE id = $3")
        .bind(dedup)
        .bind(result)
        .bind(clue_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Store an attachment's metadata (content-addressed; the same bytes are stored once) and link it.
pub async fn link_attachment(
    conn: &mut Conn,
    clue_id: i64,
    sha256: &str,
    name: &str,
    content_type: &str,
    size: i64,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO attachments (sha256, size, content_type, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(sha256)
    .bind(size)
    .bind(content_type)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO clue_attachments (clue_id, sha256, name, content_type, size) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (clue_id, sha256) DO NOTHING",
    )
    .bind(clue_id)
    .bind(sha256)
    .bind(name)
    .bind(content_type)
    .bind(size)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

// ---- cases -------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default)]
pub struct NewCase {
    pub case_no: String,
    pub title: String,
    pub description: String,
    pub address: String,
    pub region_code: String,
    pub county_code: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub grid_cell: Option<i64>,
    pub category_id: i64,
    pub case_type_id: i64,
    pub severity_id: i64,
    pub source_id: i64,
    pub reported_at: i64,
    pub occurred_at: Option<i64>,
    pub tier: Option<String>,
    pub department_id: Option<i64>,
    pub grading: String,
    pub grading_rule_id: Option<i64>,
    pub time_limit_hours: Option<i64>,
    pub workflow_version_id: i64,
    pub dedup_terms: String,
    pub subject_type: Option<String>,
    pub subject_name: Option<String>,
    pub subject_code: Option<String>,
    pub created_at: i64,
    /// Where the case starts: its status and the activity its workflow entered.
    pub status: String,
    pub activity: Option<String>,
    pub activity_name: Option<String>,
    pub due_at: Option<i64>,
    pub warn_at: Option<i64>,
    pub closed_at: Option<i64>,
}

pub async fn insert_case(conn: &mut Conn, c: &NewCase) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(positional(
        conn,
        "INSERT INTO cases (case_no, title, description, address, region_code, county_code, lon, lat, grid_cell, category_id, \
         case_type_id, severity_id, source_id, reported_at, occurred_at, tier, department_id, grading, grading_rule_id, \
         time_limit_hours, workflow_version_id, dedup_terms, subject_type, subject_name, subject_code, created_at, updated_at, \
         status, activity, activity_name, due_at, warn_at, closed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, \
         $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33) RETURNING id",
    ))
    .bind(&c.case_no)
    .bind(&c.title)
    .bind(&c.description)
    .bind(&c.address)
    .bind(&c.region_code)
    .bind(&c.county_code)
    .bind(OptF64(c.lon))
    .bind(OptF64(c.lat))
    .bind(c.grid_cell)
    .bind(c.category_id)
    .bind(c.case_type_id)
    .bind(c.severity_id)
    .bind(c.source_id)
    .bind(c.reported_at)
    .bind(c.occurred_at)
    .bind(&c.tier)
    .bind(c.department_id)
    .bind(&c.grading)
    .bind(c.grading_rule_id)
    .bind(c.time_limit_hours)
    .bind(c.workflow_version_id)
    .bind(&c.dedup_terms)
    .bind(&c.subject_type)
    .bind(&c.subject_name)
    .bind(&c.subject_code)
    .bind(c.created_at)
    .bind(c.created_at)
    .bind(&c.status)
    .bind(&c.activity)
    .bind(&c.activity_name)
    .bind(c.due_at)
    .bind(c.warn_at)
    .bind(c.closed_at)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// What the engine needs to know about a case.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseState {
    pub id: i64,
    pub case_no: String,
    pub title: String,
    pub status: String,
    pub activity: Option<String>,
    pub region_code: String,
    pub county_code: String,
    pub category_id: i64,
    pub category_code: String,
    pub category_kind: String,
    pub severity_code: String,
    pub severity_percent: i64,
    pub case_type_code: String,
    pub source_id: i64,
    pub source_code: String,
    pub source_kind: String,
    pub tier: Option<String>,
    pub department_id: Option<i64>,
    pub grading: String,
    pub time_limit_hours: Option<i64>,
    pub workflow_version_id: i64,
    pub due_at: Option<i64>,
    pub resume_due_at: Option<i64>,
    pub pending_extension_minutes: Option<i64>,
    pub first_dedup: String,
    /// Status of the case at the provincial platform (`province_cases`), empty when not pushed.
    pub province_status: String,
}

pub async fn case_state(conn: &mut Conn, id: i64) -> StorageResult<CaseState> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.case_no, c.title, c.status, c.activity, c.region_code, c.county_code, c.category_id, k.code AS category_code, \
         k.kind AS category_kind, s.code AS severity_code, s.time_limit_percent AS severity_percent, t.code AS case_type_code, \
         c.source_id, src.code AS source_code, src.kind AS source_kind, c.tier, c.department_id, c.grading, c.time_limit_hours, \
         c.workflow_version_id, c.due_at, c.resume_due_at, c.pending_extension_minutes, \
         COALESCE((SELECT l.dedup FROM clues l WHERE l.case_id = c.id ORDER BY l.id LIMIT 1), 'new') AS first_dedup, \
         COALESCE((SELECT p.status FROM province_cases p WHERE p.case_id = c.id), '') AS province_status \
         FROM cases c JOIN categories k ON k.id = c.category_id JOIN severities s ON s.id = c.severity_id \
         JOIN case_types t ON t.id = c.case_type_id JOIN sources src ON src.id = c.source_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?)
}

/// Where a case now stands.
#[derive(Debug, Clone)]
pub struct Position<'a> {
    pub status: &'a str,
    pub activity: Option<&'a str>,
    pub activity_name: Option<&'a str>,
    pub due_at: Option<i64>,
    pub warn_at: Option<i64>,
    pub closed_at: Option<i64>,
}

pub async fn set_position(conn: &mut Conn, id: i64, p: &Position<'_>, now: i64) -> StorageResult<()> {
    let r = sqlx::query(
        "UPDATE cases SET status = $1, activity = $2, activity_name = $3, due_at = $4, warn_at = $5, \
         closed_at = COALESCE($6, closed_at), updated_at = $7 WHERE id = $8",
    )
    .bind(p.status)
    .bind(p.activity)
    .bind(p.activity_name)
    .bind(p.due_at)
    .bind(p.warn_at)
    .bind(p.closed_at)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    affected(r.rows_affected())
}

/// Record the responsible unit (grading or a dispatcher's choice).
pub async fn set_unit(
    conn: &mut Conn,
    id: i64,
    tier: Option<&str>,
    department_id: Option<i64>,
    grading: &str,
    rule_id: Option<i64>,
    hours: Option<i64>,
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE cases SET tier = $1, department_id = $2, grading = $3, grading_rule_id = $4, time_limit_hours = $5 WHERE id = $6",
    )
    .bind(tier)
    .bind(department_id)
    .bind(grading)
    .bind(rule_id)
    .bind(hours)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Count a return, extension or rework.
pub async fn count(conn: &mut Conn, id: i64, what: Counter) -> StorageResult<()> {
    let col = match what {
        Counter::Returned => "returned_count",
        Counter::Extension => "extension_count",
        Counter::Rework => "rework_count",
        Counter::Clue => "clue_count",
    };
    sqlx::query(dynamic(format!("UPDATE cases SET {col} = {col} + 1 WHERE id = $1")))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    Returned,
    Extension,
    Rework,
    Clue,
}

pub async fn set_extension(
    conn: &mut Conn,
    id: i64,
    resume_due_at: Option<i64>,
    pending_minutes: Option<i64>,
) -> StorageResult<()> {
    sqlx::query("UPDATE cases SET resume_due_at = $1, pending_extension_minutes = $2 WHERE id = $3")
        .bind(resume_due_at)
        .bind(pending_minutes)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn mark_overdue(conn: &mut Conn, id: i64) -> StorageResult<()> {
    sqlx::query("UPDATE cases SET overdue = 1 WHERE id = $1").bind(id).execute(&mut *conn).await?;
    Ok(())
}

pub async fn set_merged(conn: &mut Conn, id: i64, into: i64, now: i64) -> StorageResult<()> {
    sqlx::query(
        "UPDATE cases SET status = 'merged', merged_into = $1, activity = NULL, activity_name = NULL, due_at = NULL, \
         warn_at = NULL, closed_at = $2, updated_at = $2 WHERE id = $3",
    )
    .bind(into)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Count one more clue merged into an open case, and mark the case as updated; false when the
/// case is no longer open.
pub async fn add_clue(conn: &mut Conn, id: i64, now: i64) -> StorageResult<bool> {
    let r = sqlx::query(
        "UPDATE cases SET clue_count = clue_count + 1, updated_at = $1 WHERE id = $2 AND status IN ('active', 'suspended')",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Count merged clues into their cases, a few dozen cases per statement: (case id, clues, time of
/// the last). The caller has made sure the cases are open (see [`lock_open_cases`]).
pub async fn add_clues(conn: &mut Conn, counts: &[(i64, i64, i64)]) -> StorageResult<()> {
    let sql = |values: &str| {
        format!(
            "UPDATE cases SET clue_count = cases.clue_count + v.column2, updated_at = v.column3 \
             FROM (VALUES {values}) AS v WHERE cases.id = v.column1"
        )
    };
    crate::query::for_rows(conn, sql, 3, counts, |q, (id, n, at)| q.bind(*id).bind(*n).bind(*at)).await
}

/// Which of the given cases are open, kept so until the end of the write transaction: locked on
/// PostgreSQL; on SQLite the transaction holds the database's write lock.
pub async fn lock_open_cases(conn: &mut Conn, ids: &[i64]) -> StorageResult<std::collections::HashSet<i64>> {
    let lock = if conn.backend_name() == "SQLite" { "" } else { " FOR UPDATE" };
    let mut open = std::collections::HashSet::new();
    for chunk in insert_chunks(ids) {
        let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id FROM cases WHERE id IN ({}) AND status IN ('active', 'suspended') ORDER BY id{lock}",
            list.join(", ")
        );
        let mut q = sqlx::query_as::<_, (i64,)>(positional(conn, sql));
        for id in chunk {
            q = q.bind(*id);
        }
        open.extend(q.fetch_all(&mut *conn).await?.into_iter().map(|r| r.0));
    }
    Ok(open)
}

// ---- tasks ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct NewTask<'a> {
    pub case_id: i64,
    pub activity: &'a str,
    pub activity_name: &'a str,
    pub department_id: Option<i64>,
    pub permission: Option<&'a str>,
    pub region_code: &'a str,
    pub created_at: i64,
    pub due_at: Option<i64>,
    pub warn_at: Option<i64>,
}

pub async fn insert_task(conn: &mut Conn, t: &NewTask<'_>) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(positional(
        conn,
        "INSERT INTO case_tasks (case_id, activity, activity_name, department_id, permission, region_code, status, created_at, due_at, warn_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9) RETURNING id",
    ))
    .bind(t.case_id)
    .bind(t.activity)
    .bind(t.activity_name)
    .bind(t.department_id)
    .bind(t.permission)
    .bind(t.region_code)
    .bind(t.created_at)
    .bind(t.due_at)
    .bind(t.warn_at)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TaskRow {
    pub id: i64,
    pub case_id: i64,
    pub activity: String,
    pub activity_name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub permission: Option<String>,
    pub region_code: String,
    pub status: String,
    pub created_at: i64,
    pub due_at: Option<i64>,
    pub warn_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub completed_by: Option<i64>,
    pub completed_by_name: Option<String>,
    pub action: Option<String>,
    pub overdue: i64,
}

const TASK_SELECT: &str = "SELECT t.id, t.case_id, t.activity, t.activity_name, t.department_id, d.name AS department_name, \
     t.permission, t.region_code, t.status, t.created_at, t.due_at, t.warn_at, t.completed_at, t.completed_by, \
     u.display_name AS completed_by_name, t.action, t.overdue FROM case_tasks t \
     LEFT JOIN departments d ON d.id = t.department_id LEFT JOIN users u ON u.id = t.completed_by";

pub async fn open_task(conn: &mut Conn, case_id: i64) -> StorageResult<Option<TaskRow>> {
    Ok(sqlx::query_as(dynamic(format!(
        "{TASK_SELECT} WHERE t.case_id = $1 AND t.status = 'open' ORDER BY t.id DESC LIMIT 1"
    )))
    .bind(case_id)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn tasks_of(conn: &mut Conn, case_id: i64) -> StorageResult<Vec<TaskRow>> {
    Ok(sqlx::query_as(dynamic(format!("{TASK_SELECT} WHERE t.case_id = $1 ORDER BY t.id")))
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await?)
}

/// Close an open task; false when it was no longer open (someone else acted first).
pub async fn complete_task(
    conn: &mut Conn,
    task_id: i64,
    status: &str,
    user_id: Option<i64>,
    action: &str,
    now: i64,
) -> StorageResult<bool> {
    let r = sqlx::query(
        "UPDATE case_tasks SET status = $1, completed_at = $2, completed_by = $3, action = $4, \
         overdue = CASE WHEN due_at IS NOT NULL AND due_at < $2 THEN 1 ELSE 0 END WHERE id = $5 AND status = 'open'",
    )
    .bind(status)
    .bind(now)
    .bind(user_id)
    .bind(action)
    .bind(task_id)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Last handled-by unit task due (for resuming after an extension request).
pub async fn last_due(conn: &mut Conn, case_id: i64, activity: &str) -> StorageResult<Option<i64>> {
    let r: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT due_at FROM case_tasks WHERE case_id = $1 AND activity = $2 ORDER BY id DESC LIMIT 1")
            .bind(case_id)
            .bind(activity)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(r.and_then(|r| r.0))
}

// ---- events ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default)]
pub struct NewEvent {
    pub case_id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub action_name: String,
    pub from_activity: Option<String>,
    pub to_activity: Option<String>,
    pub to_name: Option<String>,
    pub comment: String,
    pub data: String,
}

pub async fn insert_event(conn: &mut Conn, e: &NewEvent) -> StorageResult<()> {
    insert_events(conn, std::slice::from_ref(e)).await
}

/// Insert events in order, several rows per statement.
pub async fn insert_events(conn: &mut Conn, events: &[NewEvent]) -> StorageResult<()> {
    let head = "INSERT INTO case_events (case_id, at, actor_id, actor_name, action, action_name, from_activity, \
                to_activity, to_name, comment, data)";
    insert_rows(conn, head, 11, events, |q, e| {
        q.bind(e.case_id)
            .bind(e.at)
            .bind(e.actor_id)
            .bind(&e.actor_name)
            .bind(&e.action)
            .bind(&e.action_name)
            .bind(&e.from_activity)
            .bind(&e.to_activity)
            .bind(&e.to_name)
            .bind(&e.comment)
            .bind(if e.data.is_empty() { "{}" } else { e.data.as_str() })
    })
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub case_id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub action_name: String,
    pub from_activity: Option<String>,
    pub to_activity: Option<String>,
    pub to_name: Option<String>,
    pub comment: String,
    pub data: String,
}

pub async fn events_of(conn: &mut Conn, case_id: i64) -> StorageResult<Vec<EventRow>> {
    Ok(sqlx::query_as("SELECT * FROM case_events WHERE case_id = $1 ORDER BY id")
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await?)
}

// ---- dedup reviews ----------------------------------------------------------------------------------

/// A suspected duplicate to review: the clue, its new case, the case it may duplicate.
#[derive(Debug, Clone)]
pub struct NewReview {
    pub clue_id: i64,
    pub case_id: i64,
    pub candidate: i64,
    pub score: f64,
    pub created_at: i64,
}

pub async fn insert_review(conn: &mut Conn, r: &NewReview) -> StorageResult<()> {
    insert_reviews(conn, std::slice::from_ref(r)).await
}

/// Insert pending reviews, several rows per statement.
pub async fn insert_reviews(conn: &mut Conn, reviews: &[NewReview]) -> StorageResult<()> {
    let head = "INSERT INTO dedup_reviews (clue_id, case_id, candidate_case_id, score, status, created_at)";
    insert_rows(conn, head, 6, reviews, |q, r| {
        q.bind(r.clue_id).bind(r.case_id).bind(r.candidate).bind(r.score).bind("pending").bind(r.created_at)
    })
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewRow {
    pub id: i64,
    pub clue_id: i64,
    pub case_id: i64,
    pub case_no: String,
    pub case_title: String,
    pub case_description: String,
    pub case_address: String,
    pub case_reported_at: i64,
    pub case_region_code: String,
    pub candidate_case_id: i64,
    pub candidate_no: String,
    pub candidate_title: String,
    pub candidate_description: String,
    pub candidate_address: String,
    pub candidate_reported_at: i64,
    pub candidate_status: String,
    pub score: f64,
    pub status: String,
    pub created_at: i64,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<i64>,
}

const REVIEW_SELECT: &str = "SELECT r.id, r.clue_id, r.case_id, a.case_no, a.title AS case_title, a.description AS case_description, \
     a.address AS case_address, a.reported_at AS case_reported_at, a.region_code AS case_region_code, r.candidate_case_id, \
     b.case_no AS candidate_no, b.title AS candidate_title, b.description AS candidate_description, b.address AS candidate_address, \
     b.reported_at AS candidate_reported_at, b.status AS candidate_status, r.score, r.status, r.created_at, \
     u.display_name AS decided_by_name, r.decided_at FROM dedup_reviews r JOIN cases a ON a.id = r.case_id \
     JOIN cases b ON b.id = r.candidate_case_id LEFT JOIN users u ON u.id = r.decided_by";

pub async fn reviews(
    conn: &mut Conn,
    status: Option<&str>,
    scope: &ScopeFilter,
    limit: i64,
    offset: i64,
) -> StorageResult<(i64, Vec<ReviewRow>)> {
    let mut w = Where::new();
    if let Some(s) = status {
        w.and("r.status = {}", Bind::Text(s.to_owned()));
    }
    w.scope(scope, CASE_SCOPE);
    let (total,): (i64,) = w
        .apply_as(sqlx::query_as(dynamic(format!(
            "SELECT COUNT(*) FROM dedup_reviews r JOIN cases c ON c.id = r.case_id{}",
            w.sql()
        ))))
        .fetch_one(&mut *conn)
        .await?;
    let l = w.push_bind(Bind::I64(limit));
    let o = w.push_bind(Bind::I64(offset));
    let sql = format!(
        "{} JOIN cases c ON c.id = r.case_id{} ORDER BY r.id DESC LIMIT {l} OFFSET {o}",
        REVIEW_SELECT,
        w.sql()
    );
    let rows = w.apply_as(sqlx::query_as(dynamic(sql))).fetch_all(&mut *conn).await?;
    Ok((total, rows))
}

pub async fn review(conn: &mut Conn, id: i64) -> StorageResult<ReviewRow> {
    Ok(sqlx::query_as(dynamic(format!("{REVIEW_SELECT} WHERE r.id = $1"))).bind(id).fetch_one(&mut *conn).await?)
}

pub async fn reviews_of(conn: &mut Conn, case_id: i64) -> StorageResult<Vec<ReviewRow>> {
    Ok(sqlx::query_as(dynamic(format!(
        "{REVIEW_SELECT} WHERE r.case_id = $1 OR r.candidate_case_id = $1 ORDER BY r.id"
    )))
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Decide a pending review; false when it was decided already.
pub async fn decide_review(conn: &mut Conn, id: i64, status: &str, by: i64, now: i64) -> StorageResult<bool> {
    let r = sqlx::query(
        "UPDATE dedup_reviews SET status = $1, decided_by = $2, decided_at = $3 WHERE id = $4 AND status = 'pending'",
    )
    .bind(status)
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

// ---- lists and detail ------------------------------------------------------------------------------

pub const CASE_SCOPE: ScopeColumns =
    ScopeColumns { region: "c.region_code", department: "c.department_id", owner: "c.id" };

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub case_no: String,
    pub title: String,
    pub description: String,
    pub address: String,
    pub region_code: String,
    pub region_name: String,
    pub county_code: String,
    pub county_name: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub category_id: i64,
    pub category_code: String,
    pub category_name: String,
    pub major_name: Option<String>,
    pub case_type_name: String,
    pub severity_code: String,
    pub severity_name: String,
    pub severity_color: String,
    pub source_id: i64,
    pub source_name: String,
    pub reported_at: i64,
    pub occurred_at: Option<i64>,
    pub status: String,
    pub activity: Option<String>,
    pub activity_name: Option<String>,
    pub tier: Option<String>,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub grading: String,
    pub time_limit_hours: Option<i64>,
    pub workflow_version_id: i64,
    pub workflow_name: String,
    pub workflow_version: i64,
    pub due_at: Option<i64>,
    pub warn_at: Option<i64>,
    pub overdue: i64,
    pub clue_count: i64,
    pub returned_count: i64,
    pub extension_count: i64,
    pub rework_count: i64,
    pub merged_into: Option<i64>,
    pub merged_into_no: Option<String>,
    pub subject_type: Option<String>,
    pub subject_name: Option<String>,
    pub subject_code: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
}

const CASE_SELECT: &str = "SELECT c.id, c.case_no, c.title, c.description, c.address, c.region_code, r.name AS region_name, \
     c.county_code, cr.name AS county_name, c.lon, c.lat, c.category_id, k.code AS category_code, k.name AS category_name, \
     pk.name AS major_name, t.name AS case_type_name, s.code AS severity_code, s.name AS severity_name, s.color AS severity_color, \
     c.source_id, src.name AS source_name, c.reported_at, c.occurred_at, c.status, c.activity, c.activity_name, c.tier, \
     c.department_id, d.name AS department_name, c.grading, c.time_limit_hours, c.workflow_version_id, w.name AS workflow_name, \
     v.version AS workflow_version, c.due_at, c.warn_at, c.overdue, c.clue_count, c.returned_count, c.extension_count, \
     c.rework_count, c.merged_into, m.case_no AS merged_into_no, c.subject_type, c.subject_name, c.subject_code, c.created_at, \
     c.updated_at, c.closed_at FROM cases c JOIN regions r ON r.code = c.region_code JOIN regions cr ON cr.code = c.county_code \
     JOIN categories k ON k.id = c.category_id LEFT JOIN categories pk ON pk.id = k.parent_id \
     JOIN case_types t ON t.id = c.case_type_id JOIN severities s ON s.id = c.severity_id JOIN sources src ON src.id = c.source_id \
     LEFT JOIN departments d ON d.id = c.department_id JOIN workflow_versions v ON v.id = c.workflow_version_id \
     JOIN workflows w ON w.id = v.workflow_id LEFT JOIN cases m ON m.id = c.merged_into";

#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Case number, title, description or address.
    pub q: Option<String>,
    /// Category or major category (its minor categories).
    pub category_id: Option<i64>,
    pub case_type_id: Option<i64>,
    pub severity_id: Option<i64>,
    pub source_id: Option<i64>,
    /// City, county or township code: the region and below.
    pub region_code: Option<String>,
    pub department_id: Option<i64>,
    pub status: Option<String>,
    pub activity: Option<String>,
    pub grading: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// Overdue now (open task past due) or finished late.
    pub overdue: Option<bool>,
    pub returned: Option<bool>,
    pub extended: Option<bool>,
    /// Evaluated "now" for the overdue filter.
    pub now: i64,
}

fn case_where(backend: Backend, f: &CaseFilter, scope: &ScopeFilter) -> Where {
    let mut w = Where::new();
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let op = dialect::like_ci(backend);
        let p = w.push_bind(Bind::Text(dialect::like_pattern(q)));
        w.and_raw(format!(
            "(c.case_no {op} {p} ESCAPE '\\' OR c.title {op} {p} ESCAPE '\\' OR c.description {op} {p} ESCAPE '\\' OR c.address {op} {p} ESCAPE '\\')"
        ));
    }
    if let Some(id) = f.category_id {
        w.and(
            "(c.category_id = {} OR c.category_id IN (SELECT id FROM categories WHERE parent_id = {}))",
            Bind::I64(id),
        );
    }
    if let Some(id) = f.case_type_id {
        w.and("c.case_type_id = {}", Bind::I64(id));
    }
    if let Some(id) = f.severity_id {
        w.and("c.severity_id = {}", Bind::I64(id));
    }
    if let Some(id) = f.source_id {
        w.and("c.source_id = {}", Bind::I64(id));
    }
    if let Some(r) = f.region_code.as_deref().filter(|r| *r != "331100") {
        w.and("c.region_code LIKE {}", Bind::Text(format!("{}%", r.replace(['%', '_'], ""))));
    }
    if let Some(id) = f.department_id {
        w.and("c.department_id = {}", Bind::I64(id));
    }
    if let Some(s) = &f.status {
        w.and("c.status = {}", Bind::Text(s.clone()));
    }
    if let Some(a) = &f.activity {
        w.and("c.activity = {}", Bind::Text(a.clone()));
    }
    if let Some(g) = &f.grading {
        w.and("c.grading = {}", Bind::Text(g.clone()));
    }
    if let Some(t) = f.from {
        w.and("c.reported_at >= {}", Bind::I64(t));
    }
    if let Some(t) = f.to {
        w.and("c.reported_at <= {}", Bind::I64(t));
    }
    match f.overdue {
        Some(true) => {
            w.and("(c.overdue = 1 OR (c.due_at IS NOT NULL AND c.due_at < {}))", Bind::I64(f.now));
        }
        Some(false) => {
            w.and("(c.overdue = 0 AND (c.due_at IS NULL OR c.due_at >= {}))", Bind::I64(f.now));
        }
        None => {}
    }
    match f.returned {
        Some(true) => w.and_raw("c.returned_count > 0"),
        Some(false) => w.and_raw("c.returned_count = 0"),
        None => &mut w,
    };
    match f.extended {
        Some(true) => w.and_raw("c.extension_count > 0"),
        Some(false) => w.and_raw("c.extension_count = 0"),
        None => &mut w,
    };
    match scope {
        ScopeFilter::Own(uid) => {
            w.and("c.id IN (SELECT case_id FROM case_tasks WHERE completed_by = {})", Bind::I64(*uid));
        }
        _ => {
            w.scope(scope, CASE_SCOPE);
        }
    }
    w
}

/// Sortable columns (allow-list).
pub fn sort_column(key: &str) -> Option<&'static str> {
    match key {
        "reported_at" => Some("c.reported_at"),
        "case_no" => Some("c.case_no"),
        "due_at" => Some("c.due_at"),
        "updated_at" => Some("c.updated_at"),
        "status" => Some("c.status"),
        _ => None,
    }
}

pub async fn list_cases(
    conn: &mut Conn,
    backend: Backend,
    f: &CaseFilter,
    scope: &ScopeFilter,
    sort: (&'static str, bool),
    limit: i64,
    offset: i64,
) -> StorageResult<(i64, Vec<CaseRow>)> {
    let mut w = case_where(backend, f, scope);
    let (total,): (i64,) = w
        .apply_as(sqlx::query_as(dynamic(format!("SELECT COUNT(*) FROM cases c{}", w.sql()))))
        .fetch_one(&mut *conn)
        .await?;
    let l = w.push_bind(Bind::I64(limit));
    let o = w.push_bind(Bind::I64(offset));
    let dir = if sort.1 { "DESC" } else { "ASC" };
    let sql = format!("{CASE_SELECT}{} ORDER BY {} {dir}, c.id {dir} LIMIT {l} OFFSET {o}", w.sql(), sort.0);
    let rows = w.apply_as(sqlx::query_as(dynamic(sql))).fetch_all(&mut *conn).await?;
    Ok((total, rows))
}

pub async fn case_row(conn: &mut Conn, id: i64) -> StorageResult<CaseRow> {
    Ok(sqlx::query_as(dynamic(format!("{CASE_SELECT} WHERE c.id = $1"))).bind(id).fetch_one(&mut *conn).await?)
}

pub async fn case_id_by_no(conn: &mut Conn, case_no: &str) -> StorageResult<Option<i64>> {
    let r: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM cases WHERE case_no = $1").bind(case_no).fetch_optional(&mut *conn).await?;
    Ok(r.map(|r| r.0))
}

/// Is the case within the scope (or did the user work on it, or is it in the user's unit's tasks)?
pub async fn visible(
    conn: &mut Conn,
    id: i64,
    scope: &ScopeFilter,
    user_id: i64,
    department_id: i64,
) -> StorageResult<bool> {
    let mut w = Where::new();
    w.and("c.id = {}", Bind::I64(id));
    let mut inner = Where::new();
    inner.scope(scope, CASE_SCOPE);
    let scoped = if matches!(scope, ScopeFilter::Own(_)) { "0 = 1".to_owned() } else { inner.sql() };
    let scoped = scoped.strip_prefix(" WHERE ").unwrap_or("1 = 1").to_owned();
    // Renumber the inner binds after the outer ones.
    let mut sql_scoped = scoped;
    let mut binds: Vec<Bind> = Vec::new();
    for (i, b) in inner.binds().iter().enumerate() {
        let p = w.push_bind(b.clone());
        sql_scoped = sql_scoped.replace(&format!("${}", i + 1), &p);
        binds.push(b.clone());
    }
    let u = w.push_bind(Bind::I64(user_id));
    let d = w.push_bind(Bind::I64(department_id));
    w.and_raw(format!(
        "(({sql_scoped}) OR c.id IN (SELECT case_id FROM case_tasks WHERE completed_by = {u} OR department_id = {d}))"
    ));
    let (n,): (i64,) = w
        .apply_as(sqlx::query_as(dynamic(format!("SELECT COUNT(*) FROM cases c{}", w.sql()))))
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClueRow {
    pub id: i64,
    pub case_id: i64,
    pub source_id: i64,
    pub source_name: String,
    pub source_clue_id: String,
    pub raw_payload: String,
    pub dedup: String,
    pub dedup_score: Option<f64>,
    pub received_at: i64,
    pub reported_at: i64,
    pub description: String,
    pub address: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub coord_system: Option<String>,
    pub region_code: String,
    pub category_name: String,
    pub reporter_name_enc: Option<String>,
    pub reporter_phone_enc: Option<String>,
    pub reporter_id_enc: Option<String>,
    pub subject_type: Option<String>,
    pub subject_name: Option<String>,
    pub subject_code: Option<String>,
    pub result: String,
}

const CLUE_SELECT: &str = "SELECT l.id, l.case_id, l.source_id, s.name AS source_name, l.source_clue_id, l.raw_payload, l.dedup, \
     l.dedup_score, l.received_at, l.reported_at, l.description, l.address, l.lon, l.lat, l.coord_system, l.region_code, \
     k.name AS category_name, l.reporter_name_enc, l.reporter_phone_enc, l.reporter_id_enc, l.subject_type, l.subject_name, \
     l.subject_code, l.result FROM clues l JOIN sources s ON s.id = l.source_id JOIN categories k ON k.id = l.category_id";

pub async fn clues_of(conn: &mut Conn, case_id: i64) -> StorageResult<Vec<ClueRow>> {
    Ok(sqlx::query_as(dynamic(format!("{CLUE_SELECT} WHERE l.case_id = $1 ORDER BY l.id")))
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await?)
}

pub async fn clue(conn: &mut Conn, id: i64) -> StorageResult<ClueRow> {
    Ok(sqlx::query_as(dynamic(format!("{CLUE_SELECT} WHERE l.id = $1"))).bind(id).fetch_one(&mut *conn).await?)
}

pub async fn clue_by_source(conn: &mut Conn, source_id: i64, source_clue_id: &str) -> StorageResult<Option<ClueRow>> {
    Ok(sqlx::query_as(dynamic(format!("{CLUE_SELECT} WHERE l.source_id = $1 AND l.source_clue_id = $2")))
        .bind(source_id)
        .bind(source_clue_id)
        .fetch_optional(&mut *conn)
        .await?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentRow {
    pub clue_id: i64,
    pub sha256: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

pub async fn attachments_of(conn: &mut Conn, case_id: i64) -> StorageResult<Vec<AttachmentRow>> {
    Ok(sqlx::query_as(
        "SELECT a.clue_id, a.sha256, a.name, a.content_type, a.size FROM clue_attachments a \
         JOIN clues l ON l.id = a.clue_id WHERE l.case_id = $1 ORDER BY a.clue_id, a.name",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// May this attachment be read through this case?
pub async fn attachment_in_case(conn: &mut Conn, case_id: i64, sha256: &str) -> StorageResult<Option<AttachmentRow>> {
    Ok(sqlx::query_as(
        "SELECT a.clue_id, a.sha256, a.name, a.content_type, a.size FROM clue_attachments a \
         JOIN clues l ON l.id = a.clue_id WHERE l.case_id = $1 AND a.sha256 = $2 LIMIT 1",
    )
    .bind(case_id)
    .bind(sha256)
    .fetch_optional(&mut *conn)
    .await?)
}

// ---- inbox -----------------------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InboxRow {
    pub task_id: i64,
    pub activity: String,
    pub activity_name: String,
    pub task_department_name: Option<String>,
    pub created_at: i64,
    pub due_at: Option<i64>,
    pub warn_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub action: Option<String>,
    pub task_overdue: i64,
    pub case_id: i64,
    pub case_no: String,
    pub title: String,
    pub address: String,
    pub region_name: String,
    pub category_name: String,
    pub severity_name: String,
    pub severity_color: String,
    pub status: String,
    pub reported_at: i64,
}

const INBOX_SELECT: &str = "SELECT t.id AS task_id, t.activity, t.activity_name, d.name AS task_department_name, t.created_at, \
     t.due_at, t.warn_at, t.completed_at, t.action, t.overdue AS task_overdue, c.id AS case_id, c.case_no, c.title, c.address, \
     r.name AS region_name, k.name AS category_name, s.name AS severity_name, s.color AS severity_color, c.status, c.reported_at \
     FROM case_tasks t JOIN cases c ON c.id = t.case_id JOIN regions r ON r.code = c.region_code \
     JOIN categories k ON k.id = c.category_id JOIN severities s ON s.id = c.severity_id \
     LEFT JOIN departments d ON d.id = t.department_id";

#[derive(Debug, Clone, Default)]
pub struct InboxFilter {
    /// `todo` (open tasks) or `done` (tasks this user completed).
    pub done: bool,
    pub q: Option<String>,
    pub activity: Option<String>,
    /// Only tasks past due (todo) or finished late (done).
    pub overdue: Option<bool>,
    pub now: i64,
}

/// Tasks of a user: open tasks of their unit, or open permission tasks within their scope; or the
/// tasks they completed.
#[allow(clippy::too_many_arguments)]
pub async fn inbox(
    conn: &mut Conn,
    backend: Backend,
    user_id: i64,
    department_id: i64,
    permissions: &[String],
    scope: &ScopeFilter,
    f: &InboxFilter,
    limit: i64,
    offset: i64,
) -> StorageResult<(i64, Vec<InboxRow>)> {
    let mut w = Where::new();
    if f.done {
        w.and("t.completed_by = {}", Bind::I64(user_id));
        w.and_raw("t.status = 'done'");
    } else {
        w.and_raw("t.status = 'open'");
        let d = w.push_bind(Bind::I64(department_id));
        let perms: Vec<String> = permissions.iter().map(|p| w.push_bind(Bind::Text(p.clone()))).collect();
        let perm_clause = if perms.is_empty() {
            "0 = 1".to_owned()
        } else {
            let mut inner = Where::new();
            let scope = match scope {
                // Permission tasks are about regions; "own" scope sees none of them.
                ScopeFilter::Own(_) => None,
                s => Some(s),
            };
            match scope {
                None => format!("t.permission IN ({}) AND 0 = 1", perms.join(", ")),
                Some(s) => {
                    inner.scope(
                        s,
                        ScopeColumns {
                            region: "t.region_code",
                            department: "c.department_id",
                            owner: "t.completed_by",
                        },
                    );
                    let mut sql = inner.sql().strip_prefix(" WHERE ").unwrap_or("1 = 1").to_owned();
                    for (i, b) in inner.binds().iter().enumerate().rev() {
                        let p = w.push_bind(b.clone());
                        sql = sql.replace(&format!("${}", i + 1), &p);
                    }
                    format!("t.department_id IS NULL AND t.permission IN ({}) AND ({sql})", perms.join(", "))
                }
            }
        };
        w.and_raw(format!("(t.department_id = {d} OR ({perm_clause}))"));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let op = dialect::like_ci(backend);
        let p = w.push_bind(Bind::Text(dialect::like_pattern(q)));
        w.and_raw(format!(
            "(c.case_no {op} {p} ESCAPE '\\' OR c.title {op} {p} ESCAPE '\\' OR c.address {op} {p} ESCAPE '\\')"
        ));
    }
    if let Some(a) = &f.activity {
        w.and("t.activity = {}", Bind::Text(a.clone()));
    }
    match (f.overdue, f.done) {
        (Some(true), false) => {
            w.and("t.due_at < {}", Bind::I64(f.now));
        }
        (Some(true), true) => {
            w.and_raw("t.overdue = 1");
        }
        _ => {}
    }
    let from = "FROM case_tasks t JOIN cases c ON c.id = t.case_id";
    let (total,): (i64,) =
        w.apply_as(sqlx::query_as(dynamic(format!("SELECT COUNT(*) {from}{}", w.sql())))).fetch_one(&mut *conn).await?;
    let l = w.push_bind(Bind::I64(limit));
    let o = w.push_bind(Bind::I64(offset));
    let order =
        if f.done { "t.completed_at DESC" } else { "CASE WHEN t.due_at IS NULL THEN 1 ELSE 0 END, t.due_at ASC" };
    let sql = format!("{INBOX_SELECT}{} ORDER BY {order}, t.id DESC LIMIT {l} OFFSET {o}", w.sql());
    let rows = w.apply_as(sqlx::query_as(dynamic(sql))).fetch_all(&mut *conn).await?;
    Ok((total, rows))
}

/// Count of cases per status for a scope (dashboard of the case list).
pub async fn count_open_overdue(conn: &mut Conn, now: i64) -> StorageResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM case_tasks WHERE status = 'open' AND due_at < $1")
        .bind(now)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n)
}

pub async fn count_cases(conn: &mut Conn) -> StorageResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases").fetch_one(&mut *conn).await?;
    Ok(n)
}

pub async fn set_clue_result(conn: &mut Conn, clue_id: i64, result: &str) -> StorageResult<()> {
    sqlx::query("UPDATE clues SET result = $1 WHERE id = $2").bind(result).bind(clue_id).execute(&mut *conn).await?;
    Ok(())
}

/// Sources with a callback URL that pushed a clue into the case: (source id, their clue id).
pub async fn callback_targets(conn: &mut Conn, case_id: i64) -> StorageResult<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT s.id, l.source_clue_id FROM clues l JOIN sources s ON s.id = l.source_id \
         WHERE l.case_id = $1 AND s.callback_url IS NOT NULL AND s.enabled = 1",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?)
}

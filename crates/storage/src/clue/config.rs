//! Handling-rule configuration (F04–F11) and its version history.

use std::collections::BTreeMap;

use crate::db::{Backend, Conn};
use crate::dialect;
use crate::error::{StorageError, StorageResult};
use crate::query::{Bind, Where, dynamic, insert_chunks, shaped, values_placeholders};

fn affected(n: u64) -> StorageResult<()> {
    if n == 0 { Err(StorageError::NotFound) } else { Ok(()) }
}

/// The configuration stamp: moves with every change to the engines' rules (migration 0014).
pub async fn config_stamp(conn: &mut Conn) -> StorageResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT n FROM config_stamp WHERE id = 1").fetch_one(&mut *conn).await?;
    Ok(n)
}

// ---- versions ---------------------------------------------------------------------------------

/// Record a version of a configuration entity in the caller's transaction.
pub async fn record_version(
    conn: &mut Conn,
    entity: &str,
    entity_id: i64,
    action: &str,
    snapshot: &serde_json::Value,
    changed_by: &str,
    now: i64,
) -> StorageResult<i64> {
    let (v,): (i64,) = sqlx::query_as(
        "INSERT INTO config_versions (entity, entity_id, version, action, snapshot, changed_by, changed_at) \
         VALUES ($1, $2, (SELECT COALESCE(MAX(version), 0) + 1 FROM config_versions WHERE entity = $1 AND entity_id = $2), $3, $4, $5, $6) \
         RETURNING version",
    )
    .bind(entity)
    .bind(entity_id)
    .bind(action)
    .bind(snapshot.to_string())
    .bind(changed_by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(v)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub entity: String,
    pub entity_id: i64,
    pub version: i64,
    pub action: String,
    pub snapshot: String,
    pub changed_by: String,
    pub changed_at: i64,
}

pub async fn versions(
    conn: &mut Conn,
    entity: Option<&str>,
    entity_id: Option<i64>,
    limit: i64,
    offset: i64,
) -> StorageResult<(i64, Vec<VersionRow>)> {
    let mut w = Where::new();
    if let Some(e) = entity {
        w.and("entity = {}", Bind::Text(e.to_owned()));
    }
    if let Some(i) = entity_id {
        w.and("entity_id = {}", Bind::I64(i));
    }
    let (total,): (i64,) = w
        .apply_as(sqlx::query_as(dynamic(format!("SELECT COUNT(*) FROM config_versions{}", w.sql()))))
        .fetch_one(&mut *conn)
        .await?;
    let l = w.push_bind(Bind::I64(limit));
    let o = w.push_bind(Bind::I64(offset));
    let sql = format!("SELECT * FROM config_versions{} ORDER BY id DESC LIMIT {l} OFFSET {o}", w.sql());
    let rows = w.apply_as(sqlx::query_as(dynamic(sql))).fetch_all(&mut *conn).await?;
    Ok((total, rows))
}

// ---- categories ---------------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CategoryRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub sort_order: i64,
    pub enabled: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StageRuleRow {
    pub category_id: i64,
    pub stage: String,
    pub time_limit_minutes: Option<i64>,
    pub requirement: String,
}

#[derive(Debug, Clone)]
pub struct CategoryWrite {
    pub parent_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub sort_order: i64,
    pub enabled: bool,
    pub stage_rules: Vec<(String, Option<i64>, String)>,
}

const CATEGORY_COLS: &str = "id, parent_id, code, name, kind, sort_order, enabled";

pub async fn categories(conn: &mut Conn) -> StorageResult<(Vec<CategoryRow>, BTreeMap<i64, Vec<StageRuleRow>>)> {
    let cats: Vec<CategoryRow> = sqlx::query_as(dynamic(format!(
        "SELECT {CATEGORY_COLS} FROM categories ORDER BY CASE WHEN parent_id IS NULL THEN 0 ELSE 1 END, sort_order, id"
    )))
    .fetch_all(&mut *conn)
    .await?;
    let rules: Vec<StageRuleRow> = sqlx::query_as("SELECT * FROM category_stage_rules").fetch_all(&mut *conn).await?;
    let mut by: BTreeMap<i64, Vec<StageRuleRow>> = BTreeMap::new();
    for r in rules {
        by.entry(r.category_id).or_default().push(r);
    }
    Ok((cats, by))
}

pub async fn category(conn: &mut Conn, id: i64) -> StorageResult<(CategoryRow, Vec<StageRuleRow>)> {
    let c: CategoryRow = sqlx::query_as(dynamic(format!("SELECT {CATEGORY_COLS} FROM categories WHERE id = $1")))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let rules = sqlx::query_as("SELECT * FROM category_stage_rules WHERE category_id = $1")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    Ok((c, rules))
}

async fn set_stage_rules(conn: &mut Conn, id: i64, rules: &[(String, Option<i64>, String)]) -> StorageResult<()> {
    sqlx::query("DELETE FROM category_stage_rules WHERE category_id = $1").bind(id).execute(&mut *conn).await?;
    for (stage, limit, req) in rules {
        sqlx::query("INSERT INTO category_stage_rules (category_id, stage, time_limit_minutes, requirement) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(stage)
            .bind(*limit)
            .bind(req)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn insert_category(conn: &mut Conn, c: &CategoryWrite, now: i64) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(c.parent_id)
    .bind(&c.code)
    .bind(&c.name)
    .bind(&c.kind)
    .bind(c.sort_order)
    .bind(i64::from(c.enabled))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    set_stage_rules(conn, id, &c.stage_rules).await?;
    Ok(id)
}

pub async fn update_category(conn: &mut Conn, id: i64, c: &CategoryWrite, now: i64) -> StorageResult<()> {
    let r = sqlx::query(
        "UPDATE categories SET parent_id = $1, code = $2, name = $3, kind = $4, sort_order = $5, enabled = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(c.parent_id)
    .bind(&c.code)
    .bind(&c.name)
    .bind(&c.kind)
    .bind(c.sort_order)
    .bind(i64::from(c.enabled))
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    affected(r.rows_affected())?;
    set_stage_rules(conn, id, &c.stage_rules).await
}

/// (children, responsibility rules) referring to a category.
pub async fn category_usage(conn: &mut Conn, id: i64) -> StorageResult<(i64, i64)> {
    let (c,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM categories WHERE parent_id = $1").bind(id).fetch_one(&mut *conn).await?;
    let (r,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM responsibility_rules WHERE category_id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    Ok((c, r))
}

pub async fn delete_category(conn: &mut Conn, id: i64) -> StorageResult<()> {
    let r = sqlx::query("DELETE FROM categories WHERE id = $1").bind(id).execute(&mut *conn).await?;
    affected(r.rows_affected())
}

pub async fn category_by_code(conn: &mut Conn, code: &str) -> StorageResult<Option<CategoryRow>> {
    Ok(sqlx::query_as(dynamic(format!("SELECT {CATEGORY_COLS} FROM categories WHERE code = $1")))
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?)
}

// ---- case types and severities -------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseTypeRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
    pub sort_order: i64,
    pub enabled: i64,
}

#[derive(Debug, Clone)]
pub struct CaseTypeWrite {
    pub code: String,
    pub name: String,
    pub description: String,
    pub sort_order: i64,
    pub enabled: bool,
}

pub async fn case_types(conn: &mut Conn) -> StorageResult<Vec<CaseTypeRow>> {
    Ok(sqlx::query_as(
        "SELECT id, code, name, description, sort_order, enabled FROM case_types ORDER BY sort_order, id",
    )
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn case_type(conn: &mut Conn, id: i64) -> StorageResult<CaseTypeRow> {
    Ok(sqlx::query_as("SELECT id, code, name, description, sort_order, enabled FROM case_types WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?)
}

pub async fn insert_case_type(conn: &mut Conn, t: &CaseTypeWrite, now: i64) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO case_types (code, name, description, sort_order, enabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(&t.code)
    .bind(&t.name)
    .bind(&t.description)
    .bind(t.sort_order)
    .bind(i64::from(t.enabled))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn update_case_type(conn: &mut Conn, id: i64, t: &CaseTypeWrite, now: i64) -> StorageResult<()> {
    let r = sqlx::query("UPDATE case_types SET code = $1, name = $2, description = $3, sort_order = $4, enabled = $5, updated_at = $6 WHERE id = $7")
        .bind(&t.code)
        .bind(&t.name)
        .bind(&t.description)
        .bind(t.sort_order)
        .bind(i64::from(t.enabled))
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    affected(r.rows_affected())
}

pub async fn delete_case_type(conn: &mut Conn, id: i64) -> StorageResult<()> {
    affected(sqlx::query("DELETE FROM case_types WHERE id = $1").bind(id).execute(&mut *conn).await?.rows_affected())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SeverityRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub rank: i64,
    pub color: String,
    pub time_limit_percent: i64,
    pub description: String,
    pub enabled: i64,
}

#[derive(Debug, Clone)]
pub struct SeverityWrite {
    pub code: String,
    pub name: String,
    pub rank: i64,
    pub color: String,
    pub time_limit_percent: i64,
    pub description: String,
    pub enabled: bool,
}

const SEVERITY_COLS: &str = "id, code, name, rank, color, time_limit_percent, description, enabled";

pub async fn severities(conn: &mut Conn) -> StorageResult<Vec<SeverityRow>> {
    Ok(sqlx::query_as(dynamic(format!("SELECT {SEVERITY_COLS} FROM severities ORDER BY rank, id")))
        .fetch_all(&mut *conn)
        .await?)
}

pub async fn severity(conn: &mut Conn, id: i64) -> StorageResult<SeverityRow> {
    Ok(sqlx::query_as(dynamic(format!("SELECT {SEVERITY_COLS} FROM severities WHERE id = $1")))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?)
}

pub async fn insert_severity(conn: &mut Conn, s: &SeverityWrite, now: i64) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO severities (code, name, rank, color, time_limit_percent, description, enabled, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(&s.code)
    .bind(&s.name)
    .bind(s.rank)
    .bind(&s.color)
    .bind(s.time_limit_percent)
    .bind(&s.description)
    .bind(i64::from(s.enabled))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn update_severity(conn: &mut Conn, id: i64, s: &SeverityWrite, now: i64) -> StorageResult<()> {
    let r = sqlx::query(
        "UPDATE severities SET code = $1, name = $2, rank = $3, color = $4, time_limit_percent = $5, description = $6, enabled = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(&s.code)
    .bind(&s.name)
    .bind(s.rank)
    .bind(&s.color)
    .bind(s.time_limit_percent)
    .bind(&s.description)
    .bind(i64::from(s.enabled))
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    affected(r.rows_affected())
}

pub async fn delete_severity(conn: &mut Conn, id: i64) -> StorageResult<()> {
    affected(sqlx::query("DELETE FROM severities WHERE id = $1").bind(id).execute(&mut *conn).await?.rows_affected())
}

// ---- numbering rules -------------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NumberingRow {
    pub id: i64,
    pub name: String,
    pub pattern: String,
    pub description: String,
    pub active: i64,
}

pub async fn numbering_rules(conn: &mut Conn) -> StorageResult<Vec<NumberingRow>> {
    Ok(sqlx::query_as("SELECT id, name, pattern, description, active FROM numbering_rules ORDER BY active DESC, id")
        .fetch_all(&mut *conn)
        .await?)
}

pub async fn numbering_rule(conn: &mut Conn, id: i64) -> StorageResult<NumberingRow> {
    Ok(sqlx::query_as("SELECT id, name, pattern, description, active FROM numbering_rules WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?)
}

pub async fn insert_numbering_rule(
    conn: &mut Conn,
    name: &str,
    pattern: &str,
    description: &str,
    now: i64,
) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO numbering_rules (name, pattern, description, active, created_at, updated_at) VALUES ($1, $2, $3, 0, $4, $4) RETURNING id",
    )
    .bind(name)
    .bind(pattern)
    .bind(description)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn update_numbering_rule(
    conn: &mut Conn,
    id: i64,
    name: &str,
    pattern: &str,
    description: &str,
    now: i64,
) -> StorageResult<()> {
    let r = sqlx::query(
        "UPDATE numbering_rules SET name = $1, pattern = $2, description = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(name)
    .bind(pattern)
    .bind(description)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    affected(r.rows_affected())
}

/// Make one rule the active one (the others become inactive).
pub async fn activate_numbering_rule(conn: &mut Conn, id: i64, now: i64) -> StorageResult<()> {
    sqlx::query("UPDATE numbering_rules SET active = 0, updated_at = $1 WHERE active = 1 AND id <> $2")
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let r = sqlx::query("UPDATE numbering_rules SET active = 1, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    affected(r.rows_affected())
}

pub async fn delete_numbering_rule(conn: &mut Conn, id: i64) -> StorageResult<()> {
    affected(
        sqlx::query("DELETE FROM numbering_rules WHERE id = $1 AND active = 0")
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}

// ---- responsibility list ---------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResponsibilityRow {
    pub id: i64,
    pub category_id: i64,
    pub category_code: String,
    pub category_name: String,
    pub region_code: String,
    pub region_name: String,
    pub department_id: i64,
    pub department_name: String,
    pub tier: String,
    pub time_limit_hours: i64,
    pub note: String,
    pub enabled: i64,
}

#[derive(Debug, Clone)]
pub struct ResponsibilityWrite {
    pub category_id: i64,
    pub region_code: String,
    pub department_id: i64,
    pub tier: String,
    pub time_limit_hours: i64,
    pub note: String,
    pub enabled: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ResponsibilityFilter {
    /// Category ids to include (a major expands to its minors in the API).
    pub categories: Option<Vec<i64>>,
    pub region_code: Option<String>,
    pub department_id: Option<i64>,
    pub keyword: Option<String>,
}

const RESP_SELECT: &str = "SELECT r.id, r.category_id, c.code AS category_code, c.name AS category_name, r.region_code, g.name AS region_name, \
     r.department_id, d.name AS department_name, r.tier, r.time_limit_hours, r.note, r.enabled \
     FROM responsibility_rules r JOIN categories c ON c.id = r.category_id JOIN regions g ON g.code = r.region_code \
     JOIN departments d ON d.id = r.department_id";

fn resp_where(backend: Backend, f: &ResponsibilityFilter) -> Where {
    let like = dialect::like_ci(backend);
    let mut w = Where::new();
    if let Some(cs) = &f.categories {
        if cs.is_empty() {
            w.and_raw("1 = 0");
        } else {
            let ps: Vec<String> = cs.iter().map(|c| w.push_bind(Bind::I64(*c))).collect();
            w.and_raw(format!("r.category_id IN ({})", ps.join(", ")));
        }
    }
    if let Some(r) = &f.region_code {
        w.and("r.region_code = {}", Bind::Text(r.clone()));
    }
    if let Some(d) = f.department_id {
        w.and("r.department_id = {}", Bind::I64(d));
    }
    if let Some(k) = &f.keyword {
        let p = w.push_bind(Bind::Text(dialect::like_pattern(k)));
        w.and_raw(format!("(c.name {like} {p} ESCAPE '\\' OR d.name {like} {p} ESCAPE '\\' OR g.name {like} {p} ESCAPE '\\' OR r.note {like} {p} ESCAPE '\\')"));
    }
    w
}

pub async fn responsibilities(
    conn: &mut Conn,
    backend: Backend,
    f: &ResponsibilityFilter,
    order_by: &str,
    limit: i64,
    offset: i64,
) -> StorageResult<(i64, Vec<ResponsibilityRow>)> {
    let mut w = resp_where(backend, f);
    let count_sql = format!(
        "SELECT COUNT(*) FROM responsibility_rules r JOIN categories c ON c.id = r.category_id JOIN regions g ON g.code = r.region_code \
         JOIN departments d ON d.id = r.department_id{}",
        w.sql()
    );
    let (total,): (i64,) = w.apply_as(sqlx::query_as(dynamic(count_sql))).fetch_one(&mut *conn).await?;
    let l = w.push_bind(Bind::I64(limit));
    let o = w.push_bind(Bind::I64(offset));
    let sql = format!("{RESP_SELECT}{} ORDER BY {order_by} LIMIT {l} OFFSET {o}", w.sql());
    Ok((total, w.apply_as(sqlx::query_as(dynamic(sql))).fetch_all(&mut *conn).await?))
}

pub async fn responsibility(conn: &mut Conn, id: i64) -> StorageResult<ResponsibilityRow> {
    Ok(sqlx::query_as(dynamic(format!("{RESP_SELECT} WHERE r.id = $1"))).bind(id).fetch_one(&mut *conn).await?)
}

pub async fn insert_responsibility(conn: &mut Conn, r: &ResponsibilityWrite, now: i64) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO responsibility_rules (category_id, region_code, department_id, tier, time_limit_hours, note, enabled, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(r.category_id)
    .bind(&r.region_code)
    .bind(r.department_id)
    .bind(&r.tier)
    .bind(r.time_limit_hours)
    .bind(&r.note)
    .bind(i64::from(r.enabled))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn update_responsibility(conn: &mut Conn, id: i64, r: &ResponsibilityWrite, now: i64) -> StorageResult<()> {
    let res = sqlx::query(
        "UPDATE responsibility_rules SET category_id = $1, region_code = $2, department_id = $3, tier = $4, time_limit_hours = $5, \
         note = $6, enabled = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(r.category_id)
    .bind(&r.region_code)
    .bind(r.department_id)
    .bind(&r.tier)
    .bind(r.time_limit_hours)
    .bind(&r.note)
    .bind(i64::from(r.enabled))
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    affected(res.rows_affected())
}

/// Insert or update by (category, region); returns (id, created).
pub async fn upsert_responsibility(conn: &mut Conn, r: &ResponsibilityWrite, now: i64) -> StorageResult<(i64, bool)> {
    let (id, created_at): (i64, i64) = sqlx::query_as(
        "INSERT INTO responsibility_rules (category_id, region_code, department_id, tier, time_limit_hours, note, enabled, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
         ON CONFLICT (category_id, region_code) DO UPDATE SET department_id = excluded.department_id, tier = excluded.tier, \
         time_limit_hours = excluded.time_limit_hours, note = excluded.note, enabled = excluded.enabled, updated_at = excluded.updated_at \
         RETURNING id, created_at",
    )
    .bind(r.category_id)
    .bind(&r.region_code)
    .bind(r.department_id)
    .bind(&r.tier)
    .bind(r.time_limit_hours)
    .bind(&r.note)
    .bind(i64::from(r.enabled))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok((id, created_at == now))
}

pub async fn delete_responsibility(conn: &mut Conn, id: i64) -> StorageResult<()> {
    affected(
        sqlx::query("DELETE FROM responsibility_rules WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}

// ---- dedup settings --------------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DedupRow {
    pub id: i64,
    pub category_id: Option<i64>,
    pub category_name: Option<String>,
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

#[derive(Debug, Clone)]
pub struct DedupWrite {
    pub category_id: Option<i64>,
    pub high_threshold: f64,
    pub low_threshold: f64,
    pub radius_m: i64,
    pub window_hours: i64,
    pub same_category: bool,
    pub enabled: bool,
    pub weight_category: f64,
    pub weight_proximity: f64,
    pub weight_text: f64,
}

const DEDUP_SELECT: &str = "SELECT s.id, s.category_id, c.name AS category_name, s.high_threshold, s.low_threshold, s.radius_m, s.window_hours, \
     s.same_category, s.enabled, s.weight_category, s.weight_proximity, s.weight_text \
     FROM dedup_settings s LEFT JOIN categories c ON c.id = s.category_id";

pub async fn dedup_settings(conn: &mut Conn) -> StorageResult<Vec<DedupRow>> {
    Ok(sqlx::query_as(dynamic(format!(
        "{DEDUP_SELECT} ORDER BY CASE WHEN s.category_id IS NULL THEN 0 ELSE 1 END, c.sort_order, s.id"
    )))
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn dedup_setting(conn: &mut Conn, id: i64) -> StorageResult<DedupRow> {
    Ok(sqlx::query_as(dynamic(format!("{DEDUP_SELECT} WHERE s.id = $1"))).bind(id).fetch_one(&mut *conn).await?)
}

pub async fn insert_dedup_setting(conn: &mut Conn, d: &DedupWrite, now: i64) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO dedup_settings (category_id, high_threshold, low_threshold, radius_m, window_hours, same_category, enabled, created_at, updated_at, \
         weight_category, weight_proximity, weight_text) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11) RETURNING id",
    )
    .bind(d.category_id)
    .bind(d.high_threshold)
    .bind(d.low_threshold)
    .bind(d.radius_m)
    .bind(d.window_hours)
    .bind(i64::from(d.same_category))
    .bind(i64::from(d.enabled))
    .bind(now)
    .bind(d.weight_category)
    .bind(d.weight_proximity)
    .bind(d.weight_text)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn update_dedup_setting(conn: &mut Conn, id: i64, d: &DedupWrite, now: i64) -> StorageResult<()> {
    let r = sqlx::query(
        "UPDATE dedup_settings SET high_threshold = $1, low_threshold = $2, radius_m = $3, window_hours = $4, same_category = $5, \
         enabled = $6, updated_at = $7, weight_category = $9, weight_proximity = $10, weight_text = $11 WHERE id = $8",
    )
    .bind(d.high_threshold)
    .bind(d.low_threshold)
    .bind(d.radius_m)
    .bind(d.window_hours)
    .bind(i64::from(d.same_category))
    .bind(i64::from(d.enabled))
    .bind(now)
    .bind(id)
    .bind(d.weight_category)
    .bind(d.weight_proximity)
    .bind(d.weight_text)
    .execute(&mut *conn)
    .await?;
    affected(r.rows_affected())
}

pub async fn delete_dedup_setting(conn: &mut Conn, id: i64) -> StorageResult<()> {
    affected(
        sqlx::query("DELETE FROM dedup_settings WHERE id = $1 AND category_id IS NOT NULL")
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}

// ---- sources -----------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SourceRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub region_code: Option<String>,
    pub region_name: Option<String>,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub app_key: String,
    pub secret_enc: String,
    pub callback_url: Option<String>,
    pub category_mapping: String,
    pub field_mapping: String,
    pub enabled: i64,
    pub last_seen_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct SourceWrite {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub region_code: Option<String>,
    pub department_id: Option<i64>,
    pub callback_url: Option<String>,
    pub category_mapping: String,
    pub field_mapping: String,
    pub enabled: bool,
}

const SOURCE_SELECT: &str = "SELECT s.id, s.code, s.name, s.kind, s.region_code, g.name AS region_name, s.department_id, \
     d.name AS department_name, s.app_key, s.secret_enc, s.callback_url, s.category_mapping, s.field_mapping, s.enabled, s.last_seen_at \
     FROM sources s LEFT JOIN regions g ON g.code = s.region_code LEFT JOIN departments d ON d.id = s.department_id";

pub async fn sources(conn: &mut Conn) -> StorageResult<Vec<SourceRow>> {
    Ok(sqlx::query_as(dynamic(format!("{SOURCE_SELECT} ORDER BY s.id"))).fetch_all(&mut *conn).await?)
}

pub async fn source(conn: &mut Conn, id: i64) -> StorageResult<SourceRow> {
    Ok(sqlx::query_as(dynamic(format!("{SOURCE_SELECT} WHERE s.id = $1"))).bind(id).fetch_one(&mut *conn).await?)
}

pub async fn source_by_app_key(conn: &mut Conn, app_key: &str) -> StorageResult<Option<SourceRow>> {
    Ok(sqlx::query_as(dynamic(format!("{SOURCE_SELECT} WHERE s.app_key = $1")))
        .bind(app_key)
        .fetch_optional(&mut *conn)
        .await?)
}

pub async fn insert_source(
    conn: &mut Conn,
    s: &SourceWrite,
    app_key: &str,
    secret_enc: &str,
    now: i64,
) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO sources (code, name, kind, region_code, department_id, app_key, secret_enc, callback_url, category_mapping, \
         field_mapping, enabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(&s.code)
    .bind(&s.name)
    .bind(&s.kind)
    .bind(&s.region_code)
    .bind(s.department_id)
    .bind(app_key)
    .bind(secret_enc)
    .bind(&s.callback_url)
    .bind(&s.category_mapping)
    .bind(&s.field_mapping)
    .bind(i64::from(s.enabled))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn update_source(conn: &mut Conn, id: i64, s: &SourceWrite, now: i64) -> StorageResult<()> {
    let r = sqlx::query(
        "UPDATE sources SET code = $1, name = $2, kind = $3, region_code = $4, department_id = $5, callback_url = $6, \
         category_mapping = $7, field_mapping = $8, enabled = $9, updated_at = $10 WHERE id = $11",
    )
    .bind(&s.code)
    .bind(&s.name)
    .bind(&s.kind)
    .bind(&s.region_code)
    .bind(s.department_id)
    .bind(&s.callback_url)
    .bind(&s.category_mapping)
    .bind(&s.field_mapping)
    .bind(i64::from(s.enabled))
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    affected(r.rows_affected())
}

pub async fn set_source_secret(conn: &mut Conn, id: i64, secret_enc: &str, now: i64) -> StorageResult<()> {
    let r = sqlx::query("UPDATE sources SET secret_enc = $1, updated_at = $2 WHERE id = $3")
        .bind(secret_enc)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    affected(r.rows_affected())
}

pub async fn delete_source(conn: &mut Conn, id: i64) -> StorageResult<()> {
    affected(sqlx::query("DELETE FROM sources WHERE id = $1").bind(id).execute(&mut *conn).await?.rows_affected())
}

/// Remember a nonce until `expires_at`; false when the source used it already (a replay).
pub async fn claim_nonce(
    conn: &mut Conn,
    source_id: i64,
    nonce: &str,
    expires_at: i64,
    now: i64,
) -> StorageResult<bool> {
    Ok(claim_nonces(conn, &[(source_id, nonce, expires_at)], now).await?.first().copied().unwrap_or(false))
}

/// Remember several nonces, each `(source id, nonce, expires at)`, with a few statements; for each,
/// false when its source used it already (a replay, also within the list).
pub async fn claim_nonces(conn: &mut Conn, nonces: &[(i64, &str, i64)], now: i64) -> StorageResult<Vec<bool>> {
    // One row per key in a statement: PostgreSQL refuses an upsert that touches a row twice.
    let mut seen = std::collections::HashSet::new();
    let fresh: Vec<_> = nonces.iter().enumerate().filter(|(_, (s, n, _))| seen.insert((*s, *n))).collect();
    let mut claimed = std::collections::HashSet::new();
    for chunk in insert_chunks(&fresh) {
        // A nonce whose entry has expired may be claimed again (its row is reused); expired rows are
        // removed in bulk by `purge_nonces`, not on every request.
        let sql = shaped(conn, "claim_nonces", (chunk.len(), 3), || {
            format!(
                "INSERT INTO intake_nonces (source_id, nonce, expires_at) VALUES {} \
                 ON CONFLICT (source_id, nonce) DO UPDATE SET expires_at = excluded.expires_at \
                 WHERE intake_nonces.expires_at < ${} RETURNING source_id, nonce",
                values_placeholders(chunk.len(), 3),
                chunk.len() * 3 + 1
            )
        });
        let mut q = sqlx::query_as::<_, (i64, String)>(sql);
        for (_, (source_id, nonce, expires_at)) in chunk {
            q = q.bind(*source_id).bind(*nonce).bind(*expires_at);
        }
        claimed.extend(q.bind(now).fetch_all(&mut *conn).await?);
    }
    let mut out = vec![false; nonces.len()];
    for (i, (source_id, nonce, _)) in fresh {
        out[i] = claimed.contains(&(*source_id, (*nonce).to_owned()));
    }
    Ok(out)
}

/// Remove the nonces that have expired; returns how many.
pub async fn purge_nonces(conn: &mut Conn, now: i64) -> StorageResult<u64> {
    let r = sqlx::query("DELETE FROM intake_nonces WHERE expires_at < $1").bind(now).execute(&mut *conn).await?;
    Ok(r.rows_affected())
}

pub async fn touch_source(conn: &mut Conn, id: i64, now: i64) -> StorageResult<()> {
    sqlx::query("UPDATE sources SET last_seen_at = $1 WHERE id = $2").bind(now).bind(id).execute(&mut *conn).await?;
    Ok(())
}

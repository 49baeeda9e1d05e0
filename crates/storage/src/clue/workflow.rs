//! Workflow definitions and versions, the working-day calendar and grading rules.

use crate::db::Conn;
use crate::error::{StorageError, StorageResult};

fn affected(n: u64) -> StorageResult<()> {
    if n == 0 { Err(StorageError::NotFound) } else { Ok(()) }
}

// ---- workflows ------------------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WorkflowRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
    pub priority: i64,
    pub conditions: String,
    pub enabled: i64,
    pub current_version: i64,
    /// Id of the current version row.
    pub version_id: i64,
    pub updated_at: i64,
    /// Cases started on any version of this workflow.
    pub case_count: i64,
}

const WORKFLOW_SELECT: &str = "SELECT w.id, w.code, w.name, w.description, w.priority, w.conditions, w.enabled, \
     w.current_version, v.id AS version_id, w.updated_at, \
     (SELECT COUNT(*) FROM cases c JOIN workflow_versions cv ON cv.id = c.workflow_version_id WHERE cv.workflow_id = w.id) AS case_count \
     FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.current_version";

pub async fn workflows(conn: &mut Conn) -> StorageResult<Vec<WorkflowRow>> {
    Ok(sqlx::query_as(crate::query::dynamic(format!("{WORKFLOW_SELECT} ORDER BY w.priority, w.id")))
        .fetch_all(&mut *conn)
        .await?)
}

pub async fn workflow(conn: &mut Conn, id: i64) -> StorageResult<WorkflowRow> {
    Ok(sqlx::query_as(crate::query::dynamic(format!("{WORKFLOW_SELECT} WHERE w.id = $1")))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?)
}

/// Enabled workflows in priority order: (workflow id, conditions JSON, current version id).
pub async fn active_workflows(conn: &mut Conn) -> StorageResult<Vec<(i64, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT w.id, w.conditions, v.id FROM workflows w \
         JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.current_version \
         WHERE w.enabled = 1 ORDER BY w.priority, w.id",
    )
    .fetch_all(&mut *conn)
    .await?)
}

#[derive(Debug, Clone)]
pub struct WorkflowWrite {
    pub code: String,
    pub name: String,
    pub description: String,
    pub priority: i64,
    pub conditions: String,
    pub enabled: bool,
}

/// Create a workflow with its first version.
pub async fn insert_workflow(
    conn: &mut Conn,
    w: &WorkflowWrite,
    definition: &str,
    by: &str,
    now: i64,
) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO workflows (code, name, description, priority, conditions, enabled, current_version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id",
    )
    .bind(&w.code)
    .bind(&w.name)
    .bind(&w.description)
    .bind(w.priority)
    .bind(&w.conditions)
    .bind(i64::from(w.enabled))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO workflow_versions (workflow_id, version, definition, note, created_by, created_at) VALUES ($1, 1, $2, '初始版本', $3, $4)",
    )
    .bind(id)
    .bind(definition)
    .bind(by)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Update the header; with a definition, publish it as the next version. Returns the current version.
pub async fn update_workflow(
    conn: &mut Conn,
    id: i64,
    w: &WorkflowWrite,
    definition: Option<(&str, &str)>,
    by: &str,
    now: i64,
) -> StorageResult<i64> {
    let bump = i64::from(definition.is_some());
    let r: Option<(i64,)> = sqlx::query_as(
        "UPDATE workflows SET name = $1, description = $2, priority = $3, conditions = $4, enabled = $5, \
         current_version = current_version + $6, updated_at = $7 WHERE id = $8 RETURNING current_version",
    )
    .bind(&w.name)
    .bind(&w.description)
    .bind(w.priority)
    .bind(&w.conditions)
    .bind(i64::from(w.enabled))
    .bind(bump)
    .bind(now)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let (version,) = r.ok_or(StorageError::NotFound)?;
    if let Some((def, note)) = definition {
        sqlx::query(
            "INSERT INTO workflow_versions (workflow_id, version, definition, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(version)
        .bind(def)
        .bind(note)
        .bind(by)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(version)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub workflow_id: i64,
    pub version: i64,
    pub definition: String,
    pub note: String,
    pub created_by: String,
    pub created_at: i64,
    pub case_count: i64,
}

const VERSION_SELECT: &str = "SELECT v.id, v.workflow_id, v.version, v.definition, v.note, v.created_by, v.created_at, \
     (SELECT COUNT(*) FROM cases c WHERE c.workflow_version_id = v.id) AS case_count FROM workflow_versions v";

pub async fn versions(conn: &mut Conn, workflow_id: i64) -> StorageResult<Vec<VersionRow>> {
    Ok(sqlx::query_as(crate::query::dynamic(format!(
        "{VERSION_SELECT} WHERE v.workflow_id = $1 ORDER BY v.version DESC"
    )))
    .bind(workflow_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn version(conn: &mut Conn, id: i64) -> StorageResult<VersionRow> {
    Ok(sqlx::query_as(crate::query::dynamic(format!("{VERSION_SELECT} WHERE v.id = $1")))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?)
}

/// Definition JSON of a version (cheap; the engine caches parsed definitions by id).
pub async fn definition(conn: &mut Conn, version_id: i64) -> StorageResult<String> {
    let (d,): (String,) = sqlx::query_as("SELECT definition FROM workflow_versions WHERE id = $1")
        .bind(version_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(d)
}

pub async fn count_workflows(conn: &mut Conn) -> StorageResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM workflows").fetch_one(&mut *conn).await?;
    Ok(n)
}

// ---- calendar -----------------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CalendarSettingsRow {
    pub periods: String,
    pub warn_percent: i64,
    pub updated_at: i64,
}

pub async fn calendar_settings(conn: &mut Conn) -> StorageResult<CalendarSettingsRow> {
    Ok(sqlx::query_as("SELECT periods, warn_percent, updated_at FROM calendar_settings WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?)
}

pub async fn set_calendar_settings(conn: &mut Conn, periods: &str, warn_percent: i64, now: i64) -> StorageResult<()> {
    sqlx::query("UPDATE calendar_settings SET periods = $1, warn_percent = $2, updated_at = $3 WHERE id = 1")
        .bind(periods)
        .bind(warn_percent)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CalendarDayRow {
    pub day: String,
    pub kind: String,
    pub name: String,
}

pub async fn calendar_days(conn: &mut Conn, from: &str, to: &str) -> StorageResult<Vec<CalendarDayRow>> {
    Ok(sqlx::query_as("SELECT day, kind, name FROM calendar_days WHERE day >= $1 AND day <= $2 ORDER BY day")
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await?)
}

pub async fn all_calendar_days(conn: &mut Conn) -> StorageResult<Vec<CalendarDayRow>> {
    Ok(sqlx::query_as("SELECT day, kind, name FROM calendar_days ORDER BY day").fetch_all(&mut *conn).await?)
}

/// Set (kind = holiday/workday) or clear (kind = None) a day and bump the calendar stamp.
pub async fn set_calendar_day(conn: &mut Conn, day: &str, kind: Option<(&str, &str)>, now: i64) -> StorageResult<()> {
    match kind {
        Some((kind, name)) => {
            sqlx::query(
                "INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3) \
                 ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name",
            )
            .bind(day)
            .bind(kind)
            .bind(name)
            .execute(&mut *conn)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM calendar_days WHERE day = $1").bind(day).execute(&mut *conn).await?;
        }
    }
    sqlx::query("UPDATE calendar_settings SET updated_at = $1 WHERE id = 1").bind(now).execute(&mut *conn).await?;
    Ok(())
}

// ---- grading rules -------------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GradingRuleRow {
    pub id: i64,
    pub name: String,
    pub priority: i64,
    pub conditions: String,
    pub tier: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub note: String,
    pub enabled: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct GradingRuleWrite {
    pub name: String,
    pub priority: i64,
    pub conditions: String,
    pub tier: String,
    pub department_id: Option<i64>,
    pub note: String,
    pub enabled: bool,
}

const GRADING_SELECT: &str = "SELECT g.id, g.name, g.priority, g.conditions, g.tier, g.department_id, d.name AS department_name, \
     g.note, g.enabled, g.updated_at FROM grading_rules g LEFT JOIN departments d ON d.id = g.department_id";

pub async fn grading_rules(conn: &mut Conn, only_enabled: bool) -> StorageResult<Vec<GradingRuleRow>> {
    let filter = if only_enabled { " WHERE g.enabled = 1" } else { "" };
    Ok(sqlx::query_as(crate::query::dynamic(format!("{GRADING_SELECT}{filter} ORDER BY g.priority, g.id")))
        .fetch_all(&mut *conn)
        .await?)
}

pub async fn grading_rule(conn: &mut Conn, id: i64) -> StorageResult<GradingRuleRow> {
    Ok(sqlx::query_as(crate::query::dynamic(format!("{GRADING_SELECT} WHERE g.id = $1")))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?)
}

pub async fn insert_grading_rule(conn: &mut Conn, g: &GradingRuleWrite, now: i64) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO grading_rules (name, priority, conditions, tier, department_id, note, enabled, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(&g.name)
    .bind(g.priority)
    .bind(&g.conditions)
    .bind(&g.tier)
    .bind(g.department_id)
    .bind(&g.note)
    .bind(i64::from(g.enabled))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn update_grading_rule(conn: &mut Conn, id: i64, g: &GradingRuleWrite, now: i64) -> StorageResult<()> {
    let r = sqlx::query(
        "UPDATE grading_rules SET name = $1, priority = $2, conditions = $3, tier = $4, department_id = $5, note = $6, \
         enabled = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(&g.name)
    .bind(g.priority)
    .bind(&g.conditions)
    .bind(&g.tier)
    .bind(g.department_id)
    .bind(&g.note)
    .bind(i64::from(g.enabled))
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    affected(r.rows_affected())
}

pub async fn delete_grading_rule(conn: &mut Conn, id: i64) -> StorageResult<()> {
    sqlx::query("UPDATE cases SET grading_rule_id = NULL WHERE grading_rule_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    affected(sqlx::query("DELETE FROM grading_rules WHERE id = $1").bind(id).execute(&mut *conn).await?.rows_affected())
}

//! 浙政钉 (ZZD): synchronised organisations and accounts, the link of accounts to local users, the
//! recipients of a task's work notification, and synchronisation runs.

use crate::db::{Backend, Conn};
use crate::dialect;
use crate::error::StorageResult;
use crate::platform::user::Protected;
use crate::query::{Bind, Where, dynamic};

// ---- accounts ------------------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub account_id: i64,
    pub employee_code: String,
    pub name: String,
    pub mobile_masked: Option<String>,
    pub org_code: String,
    pub org_name: Option<String>,
    pub job: String,
    pub status: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub user_display_name: Option<String>,
    pub link_method: Option<String>,
    pub linked_by: String,
    pub linked_at: Option<i64>,
    pub last_login_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const ACCOUNT_SELECT: &str = "SELECT a.account_id, a.employee_code, a.name, a.mobile_masked, a.org_code, o.name AS org_name, \
     a.job, a.status, a.user_id, u.username, u.display_name AS user_display_name, a.link_method, a.linked_by, a.linked_at, \
     a.last_login_at, a.created_at, a.updated_at \
     FROM zzd_accounts a LEFT JOIN zzd_orgs o ON o.org_code = a.org_code LEFT JOIN users u ON u.id = a.user_id";

pub async fn account(conn: &mut Conn, account_id: i64) -> StorageResult<Option<AccountRow>> {
    Ok(sqlx::query_as(dynamic(format!("{ACCOUNT_SELECT} WHERE a.account_id = $1")))
        .bind(account_id)
        .fetch_optional(&mut *conn)
        .await?)
}

#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    /// Name, employee code or linked user name (substring).
    pub keyword: Option<String>,
    pub linked: Option<bool>,
    pub status: Option<String>,
}

pub async fn accounts(
    conn: &mut Conn,
    backend: Backend,
    f: &AccountFilter,
    limit: i64,
    offset: i64,
) -> StorageResult<(Vec<AccountRow>, i64)> {
    let mut w = Where::new();
    if let Some(k) = &f.keyword {
        let like = dialect::like_ci(backend);
        let p = w.push_bind(Bind::Text(dialect::like_pattern(k)));
        w.and_raw(format!(
            "(a.name {like} {p} ESCAPE '\\' OR a.employee_code {like} {p} ESCAPE '\\' OR u.username {like} {p} ESCAPE '\\')"
        ));
    }
    match f.linked {
        Some(true) => {
            w.and_raw("a.user_id IS NOT NULL");
        }
        Some(false) => {
            w.and_raw("a.user_id IS NULL");
        }
        None => {}
    }
    if let Some(s) = &f.status {
        w.and("a.status = {}", Bind::Text(s.clone()));
    }
    let from =
        "FROM zzd_accounts a LEFT JOIN zzd_orgs o ON o.org_code = a.org_code LEFT JOIN users u ON u.id = a.user_id";
    let (total,): (i64,) =
        w.apply_as(sqlx::query_as(dynamic(format!("SELECT COUNT(*) {from}{}", w.sql())))).fetch_one(&mut *conn).await?;
    let l = w.push_bind(Bind::I64(limit));
    let o = w.push_bind(Bind::I64(offset));
    let sql = format!("{ACCOUNT_SELECT}{} ORDER BY a.org_code, a.name, a.account_id LIMIT {l} OFFSET {o}", w.sql());
    Ok((w.apply_as(sqlx::query_as(dynamic(sql))).fetch_all(&mut *conn).await?, total))
}

/// An account as ZZD describes it (log-in answer or synchronisation).
#[derive(Debug, Clone)]
pub struct AccountWrite {
    pub account_id: i64,
    pub employee_code: String,
    pub name: String,
    /// `None` keeps the stored mobile.
    pub mobile: Option<Protected>,
    /// `None` keeps the stored organisation and job (a log-in does not say them).
    pub org: Option<(String, String)>,
    pub status: String,
}

/// Insert or refresh an account; the link is kept.
pub async fn upsert_account(conn: &mut Conn, a: &AccountWrite, now: i64) -> StorageResult<()> {
    let (org, job) = a.org.clone().unzip();
    sqlx::query(
        "INSERT INTO zzd_accounts (account_id, employee_code, name, mobile_enc, mobile_masked, mobile_index, org_code, job, status, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, ''), COALESCE($8, ''), $9, $10, $10) \
         ON CONFLICT (account_id) DO UPDATE SET employee_code = excluded.employee_code, name = excluded.name, \
         mobile_enc = COALESCE($4, zzd_accounts.mobile_enc), mobile_masked = COALESCE($5, zzd_accounts.mobile_masked), \
         mobile_index = COALESCE($6, zzd_accounts.mobile_index), org_code = COALESCE($7, zzd_accounts.org_code), \
         job = COALESCE($8, zzd_accounts.job), status = excluded.status, updated_at = excluded.updated_at",
    )
    .bind(a.account_id)
    .bind(&a.employee_code)
    .bind(&a.name)
    .bind(a.mobile.as_ref().map(|m| m.enc.clone()))
    .bind(a.mobile.as_ref().map(|m| m.masked.clone()))
    .bind(a.mobile.as_ref().map(|m| m.index.clone()))
    .bind(org)
    .bind(job)
    .bind(&a.status)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The blind index of an account's mobile, when known.
pub async fn mobile_index(conn: &mut Conn, account_id: i64) -> StorageResult<Option<String>> {
    let r: Option<(Option<String>,)> = sqlx::query_as("SELECT mobile_index FROM zzd_accounts WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(r.and_then(|(i,)| i))
}

/// Mark an account as left ZZD (kept for the record; a left account cannot log in).
pub async fn set_account_status(conn: &mut Conn, account_id: i64, status: &str, now: i64) -> StorageResult<()> {
    sqlx::query("UPDATE zzd_accounts SET status = $1, updated_at = $2 WHERE account_id = $3")
        .bind(status)
        .bind(now)
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn touch_login(conn: &mut Conn, account_id: i64, now: i64) -> StorageResult<()> {
    sqlx::query("UPDATE zzd_accounts SET last_login_at = $1 WHERE account_id = $2")
        .bind(now)
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The enabled user (not yet linked to another account) whose employee code is `code`.
pub async fn user_by_employee_code(conn: &mut Conn, code: &str) -> StorageResult<Option<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT u.id FROM users u WHERE u.employee_code = $1 AND u.deleted_at IS NULL AND u.enabled = 1 \
         AND NOT EXISTS (SELECT 1 FROM zzd_accounts a WHERE a.user_id = u.id) LIMIT 2",
    )
    .bind(code)
    .fetch_all(&mut *conn)
    .await?;
    Ok(if rows.len() == 1 { Some(rows[0].0) } else { None })
}

/// The one enabled, unlinked user whose mobile has this blind index (none when ambiguous).
pub async fn user_by_phone_index(conn: &mut Conn, index: &str) -> StorageResult<Option<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT u.id FROM users u WHERE u.phone_index = $1 AND u.deleted_at IS NULL AND u.enabled = 1 \
         AND NOT EXISTS (SELECT 1 FROM zzd_accounts a WHERE a.user_id = u.id) LIMIT 2",
    )
    .bind(index)
    .fetch_all(&mut *conn)
    .await?;
    Ok(if rows.len() == 1 { Some(rows[0].0) } else { None })
}

/// Enabled users with a mobile and no ZZD account: (user id, encrypted mobile).
pub async fn unlinked_users_with_phone(conn: &mut Conn) -> StorageResult<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.phone_enc FROM users u WHERE u.phone_enc IS NOT NULL AND u.deleted_at IS NULL AND u.enabled = 1 \
         AND NOT EXISTS (SELECT 1 FROM zzd_accounts a WHERE a.user_id = u.id) ORDER BY u.id",
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// Link an account to a user (the user's own row shows the account id). A user already linked to
/// another account fails on `zzd_accounts_user_key`.
pub async fn link(
    conn: &mut Conn,
    account_id: i64,
    user_id: i64,
    method: &str,
    by: &str,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE zzd_accounts SET user_id = $1, link_method = $2, linked_by = $3, linked_at = $4, updated_at = $4 WHERE account_id = $5",
    )
    .bind(user_id)
    .bind(method)
    .bind(by)
    .bind(now)
    .bind(account_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE users SET zzd_account_id = $1, employee_code = COALESCE(employee_code, \
         (SELECT employee_code FROM zzd_accounts WHERE account_id = $2)), updated_at = $3 WHERE id = $4",
    )
    .bind(account_id.to_string())
    .bind(account_id)
    .bind(now)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Remove the link of an account; returns the user it was linked to.
pub async fn unlink(conn: &mut Conn, account_id: i64, now: i64) -> StorageResult<Option<i64>> {
    let user: Option<(Option<i64>,)> = sqlx::query_as("SELECT user_id FROM zzd_accounts WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((Some(user_id),)) = user else { return Ok(None) };
    sqlx::query(
        "UPDATE zzd_accounts SET user_id = NULL, link_method = NULL, linked_by = '', linked_at = NULL, updated_at = $1 \
         WHERE account_id = $2",
    )
    .bind(now)
    .bind(account_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE users SET zzd_account_id = NULL, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(Some(user_id))
}

// ---- recipients ----------------------------------------------------------------------------------

/// ZZD account ids of the enabled users who can act on an open task: the members of its unit, or
/// the holders of its permission whose data scope covers the task's region (or the case's unit).
pub async fn task_recipients(conn: &mut Conn, task_id: i64) -> StorageResult<Vec<i64>> {
    #[derive(sqlx::FromRow)]
    struct Assignee {
        unit: Option<i64>,
        permission: Option<String>,
        region: String,
        case_unit: Option<i64>,
    }
    let task: Option<Assignee> = sqlx::query_as(
        "SELECT t.department_id AS unit, t.permission, t.region_code AS region, c.department_id AS case_unit \
         FROM case_tasks t JOIN cases c ON c.id = t.case_id WHERE t.id = $1 AND t.status = 'open'",
    )
    .bind(task_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(Assignee { unit, permission, region, case_unit }) = task else { return Ok(Vec::new()) };
    let base = "SELECT DISTINCT a.account_id FROM users u JOIN departments d ON d.id = u.department_id \
                JOIN zzd_accounts a ON a.user_id = u.id WHERE u.deleted_at IS NULL AND u.enabled = 1 AND a.status = 'A'";
    if let Some(unit) = unit {
        let rows: Vec<(i64,)> =
            sqlx::query_as(dynamic(format!("{base} AND u.department_id = $1 ORDER BY a.account_id")))
                .bind(unit)
                .fetch_all(&mut *conn)
                .await?;
        return Ok(rows.into_iter().map(|(a,)| a).collect());
    }
    let Some(permission) = permission else { return Ok(Vec::new()) };
    let regions: Vec<(String,)> = sqlx::query_as(
        "WITH RECURSIVE up(code, parent_code) AS (SELECT code, parent_code FROM regions WHERE code = $1 \
         UNION ALL SELECT r.code, r.parent_code FROM regions r JOIN up ON r.code = up.parent_code) SELECT code FROM up",
    )
    .bind(&region)
    .fetch_all(&mut *conn)
    .await?;
    let units: Vec<(i64,)> = match case_unit {
        Some(u) => {
            sqlx::query_as(
                "WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM departments WHERE id = $1 \
                 UNION ALL SELECT d.id, d.parent_id FROM departments d JOIN up ON d.id = up.parent_id) SELECT id FROM up",
            )
            .bind(u)
            .fetch_all(&mut *conn)
            .await?
        }
        None => Vec::new(),
    };
    let mut w = Where::new();
    let perm = w.push_bind(Bind::Text(permission));
    let region_list: Vec<String> = regions.into_iter().map(|(c,)| w.push_bind(Bind::Text(c))).collect();
    let unit_list: Vec<String> = units.into_iter().map(|(id,)| w.push_bind(Bind::I64(id))).collect();
    let in_list = |l: &[String]| if l.is_empty() { "(NULL)".to_owned() } else { format!("({})", l.join(", ")) };
    let sql = format!(
        "{base} AND EXISTS (SELECT 1 FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id \
         WHERE ur.user_id = u.id AND rp.permission_code = {perm}) \
         AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND \
         (r.data_scope = 'all' OR (r.data_scope = 'region' AND d.region_code IN {}) \
         OR (r.data_scope = 'department' AND u.department_id IN {}))) ORDER BY a.account_id",
        in_list(&region_list),
        in_list(&unit_list)
    );
    let rows: Vec<(i64,)> = w.apply_as(sqlx::query_as(dynamic(sql))).fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|(a,)| a).collect())
}

// ---- deadline notifications ----------------------------------------------------------------------

/// An open task whose warning time or deadline has passed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeadlineTask {
    pub task_id: i64,
    pub case_id: i64,
    pub case_no: String,
    pub title: String,
    pub activity_name: String,
    pub due_at: Option<i64>,
}

/// Open tasks not yet handled for `kind` (`warn`: warning time passed, deadline not yet;
/// `overdue`: deadline passed), whose moment lies in `(since, now]`, oldest first.
pub async fn deadline_tasks(
    conn: &mut Conn,
    kind: &str,
    since: i64,
    now: i64,
    limit: i64,
) -> StorageResult<Vec<DeadlineTask>> {
    let moment = if kind == "warn" {
        "t.warn_at > $1 AND t.warn_at <= $2 AND (t.due_at IS NULL OR t.due_at > $2)"
    } else {
        "t.due_at > $1 AND t.due_at <= $2"
    };
    let sql = format!(
        "SELECT t.id AS task_id, t.case_id, c.case_no, c.title, t.activity_name, t.due_at FROM case_tasks t \
         JOIN cases c ON c.id = t.case_id WHERE t.status = 'open' AND {moment} AND NOT EXISTS \
         (SELECT 1 FROM zzd_notice_keys k WHERE k.notice_key = $3 || CAST(t.id AS TEXT)) ORDER BY t.id LIMIT $4"
    );
    Ok(sqlx::query_as(dynamic(sql))
        .bind(since)
        .bind(now)
        .bind(format!("{kind}-"))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?)
}

/// Is the task still open?
pub async fn task_open(conn: &mut Conn, task_id: i64) -> StorageResult<bool> {
    let r: Option<(String,)> =
        sqlx::query_as("SELECT status FROM case_tasks WHERE id = $1").bind(task_id).fetch_optional(&mut *conn).await?;
    Ok(r.is_some_and(|(s,)| s == "open"))
}

/// Claim a deadline notification key; a concurrent claim fails on the primary key.
pub async fn claim_notice_key(conn: &mut Conn, key: &str, now: i64) -> StorageResult<()> {
    sqlx::query("INSERT INTO zzd_notice_keys (notice_key, created_at) VALUES ($1, $2)")
        .bind(key)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ---- organisations -------------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrgRow {
    pub org_code: String,
    pub name: String,
    pub parent_code: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub status: String,
    pub display_order: i64,
    pub synced_at: i64,
}

pub async fn orgs(conn: &mut Conn) -> StorageResult<Vec<OrgRow>> {
    Ok(sqlx::query_as(
        "SELECT o.org_code, o.name, o.parent_code, o.department_id, d.name AS department_name, o.status, o.display_order, \
         o.synced_at FROM zzd_orgs o LEFT JOIN departments d ON d.id = o.department_id ORDER BY o.display_order, o.org_code",
    )
    .fetch_all(&mut *conn)
    .await?)
}

#[derive(Debug, Clone)]
pub struct OrgWrite {
    pub org_code: String,
    pub name: String,
    pub parent_code: String,
    pub department_id: Option<i64>,
    pub status: String,
    pub display_order: i64,
}

pub async fn upsert_org(conn: &mut Conn, o: &OrgWrite, now: i64) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO zzd_orgs (org_code, name, parent_code, department_id, status, display_order, synced_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (org_code) DO UPDATE SET name = excluded.name, \
         parent_code = excluded.parent_code, department_id = COALESCE(excluded.department_id, zzd_orgs.department_id), \
         status = excluded.status, display_order = excluded.display_order, synced_at = excluded.synced_at",
    )
    .bind(&o.org_code)
    .bind(&o.name)
    .bind(&o.parent_code)
    .bind(o.department_id)
    .bind(&o.status)
    .bind(o.display_order)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn set_org_status(conn: &mut Conn, org_code: &str, status: &str, now: i64) -> StorageResult<()> {
    sqlx::query("UPDATE zzd_orgs SET status = $1, synced_at = $2 WHERE org_code = $3")
        .bind(status)
        .bind(now)
        .bind(org_code)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Accounts as stored, for the diff: (account id, employee code, name, org code, job, status,
/// mobile blind index).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountState {
    pub account_id: i64,
    pub employee_code: String,
    pub name: String,
    pub org_code: String,
    pub job: String,
    pub status: String,
    pub user_id: Option<i64>,
}

pub async fn account_states(conn: &mut Conn) -> StorageResult<Vec<AccountState>> {
    Ok(sqlx::query_as(
        "SELECT account_id, employee_code, name, org_code, job, status, user_id FROM zzd_accounts ORDER BY account_id",
    )
    .fetch_all(&mut *conn)
    .await?)
}

// ---- synchronisation runs ------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RunRow {
    pub id: i64,
    pub origin: String,
    pub status: String,
    pub diff: String,
    pub summary: String,
    pub error: String,
    pub created_by: String,
    pub created_at: i64,
    pub applied_by: String,
    pub applied_at: Option<i64>,
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_run(
    conn: &mut Conn,
    origin: &str,
    status: &str,
    diff: &str,
    summary: &str,
    error: &str,
    by: &str,
    now: i64,
) -> StorageResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO zzd_sync_runs (origin, status, diff, summary, error, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(origin)
    .bind(status)
    .bind(diff)
    .bind(summary)
    .bind(error.chars().take(500).collect::<String>())
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn run(conn: &mut Conn, id: i64) -> StorageResult<RunRow> {
    Ok(sqlx::query_as("SELECT * FROM zzd_sync_runs WHERE id = $1").bind(id).fetch_one(&mut *conn).await?)
}

pub async fn runs(conn: &mut Conn, limit: i64) -> StorageResult<Vec<RunRow>> {
    Ok(sqlx::query_as("SELECT * FROM zzd_sync_runs ORDER BY id DESC LIMIT $1")
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?)
}

/// Move a previewed run to `applied` or `discarded`; false when it was no longer a preview.
pub async fn finish_run(conn: &mut Conn, id: i64, status: &str, by: &str, now: i64) -> StorageResult<bool> {
    let r = sqlx::query(
        "UPDATE zzd_sync_runs SET status = $1, applied_by = $2, applied_at = $3 WHERE id = $4 AND status = 'preview'",
    )
    .bind(status)
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

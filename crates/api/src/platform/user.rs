//! Users (F76, F78, F79): list, detail, create, edit, batch delete, batch enable/disable, reset
//! password, unlock, reveal of protected fields, Excel export.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::FieldError;
use xiezhi_domain::page::{PageRequest, SortOrder, sort_column};
use xiezhi_domain::permission::{Duty, check_separation_of_duties};
use xiezhi_domain::values::{IdNumber, Password, Phone, Username, display_text, email};
use xiezhi_storage::platform::user::{FieldChange, Protected};
use xiezhi_storage::platform::{department, role, session, user};
use xiezhi_storage::query::ScopeFilter;
use xiezhi_storage::{Conn, audit};

use super::{Affected, RoleRef, flag, non_empty};
use crate::auth::{Authorized, Principal, perm};
use crate::error::{ApiError, ApiErrorBody, ApiResult, Validator};
use crate::extract::{Json, Path, Query};
use crate::xlsx;
use crate::{AppState, now_ms};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(export_users))
        .routes(routes!(get_user, update_user))
        .routes(routes!(batch_delete))
        .routes(routes!(batch_status))
        .routes(routes!(reset_password))
        .routes(routes!(unlock_user))
        .routes(routes!(reveal))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub department_id: i64,
    pub department_name: String,
    pub phone_masked: Option<String>,
    pub enabled: bool,
    pub locked: bool,
    pub roles: Vec<RoleRef>,
    pub last_login_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserDetail {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub department_id: i64,
    pub department_name: String,
    pub phone_masked: Option<String>,
    pub id_number_masked: Option<String>,
    pub email: Option<String>,
    pub enabled: bool,
    pub locked: bool,
    pub locked_until: Option<i64>,
    pub roles: Vec<RoleRef>,
    pub zzd_account_id: Option<String>,
    pub employee_code: Option<String>,
    pub last_login_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<UserSummary>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Matches user name or display name.
    pub keyword: Option<String>,
    pub department_id: Option<i64>,
    /// Include sub-departments of `department_id` (default true).
    pub include_sub: Option<bool>,
    pub enabled: Option<bool>,
    pub role_id: Option<i64>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// `username`, `display_name`, `created_at` or `last_login_at`.
    pub sort: Option<String>,
    /// `asc` or `desc`.
    pub order: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserCreate {
    pub username: String,
    pub display_name: String,
    pub department_id: i64,
    pub password: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub id_number: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub role_ids: Vec<i64>,
    #[serde(default = "default_true")]
    pub enabled: bool,
}

/// For `phone` and `id_number`: absent or null keeps the stored value, "" clears it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    pub display_name: String,
    pub department_id: i64,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub id_number: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub role_ids: Vec<i64>,
    pub enabled: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdList {
    pub ids: Vec<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchStatus {
    pub ids: Vec<i64>,
    pub enabled: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPassword {
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevealRequest {
    /// `phone` or `id_number`.
    pub field: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevealResponse {
    pub value: String,
}

fn default_true() -> bool {
    true
}

const MAX_BATCH: usize = 500;

fn check_batch(ids: &[i64]) -> ApiResult<Vec<i64>> {
    let set: BTreeSet<i64> = ids.iter().copied().collect();
    if set.is_empty() || set.len() > MAX_BATCH {
        return Err(ApiError::field("ids", format!("请选择 1–{MAX_BATCH} 个用户")));
    }
    Ok(set.into_iter().collect())
}

fn protect(s: &AppState, raw: &str, masked: String) -> Protected {
    Protected { enc: s.cipher.encrypt(raw), masked, index: s.cipher.blind_index(raw) }
}

fn parse_phone(s: &AppState, v: &mut Validator, raw: &Option<String>) -> FieldChange {
    match raw.as_deref().map(str::trim) {
        None => FieldChange::Keep,
        Some("") => FieldChange::Clear,
        Some(p) => {
            v.check(Phone::parse(p)).map(|p| FieldChange::Set(protect(s, p.expose(), p.masked()))).unwrap_or_default()
        }
    }
}

fn parse_id_number(s: &AppState, v: &mut Validator, raw: &Option<String>) -> FieldChange {
    match raw.as_deref().map(str::trim) {
        None => FieldChange::Keep,
        Some("") => FieldChange::Clear,
        Some(p) => v
            .check(IdNumber::parse(p))
            .map(|p| FieldChange::Set(protect(s, p.expose(), p.masked())))
            .unwrap_or_default(),
    }
}

fn parse_email(v: &mut Validator, raw: &Option<String>) -> Option<String> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(e) => v.check(email(e)),
    }
}

/// The department must exist and lie within the actor's data scope.
async fn check_department(conn: &mut Conn, actor: &Principal, id: i64) -> ApiResult<Result<(), FieldError>> {
    let Ok(d) = department::get(conn, id).await else {
        return Ok(Err(FieldError::new("department_id", "所属部门不存在")));
    };
    let inside = match actor.scope() {
        ScopeFilter::All => true,
        ScopeFilter::Region(code) => {
            xiezhi_storage::platform::region::subtree(conn, &code).await?.contains(&d.region_code)
        }
        ScopeFilter::Department(root) => department::subtree(conn, root).await?.contains(&id),
        ScopeFilter::Own(_) => false,
    };
    Ok(if inside { Ok(()) } else { Err(FieldError::new("department_id", "所属部门超出您的数据范围")) })
}

/// Duties each role carries, from its permissions.
async fn role_duties(conn: &mut Conn) -> ApiResult<BTreeMap<i64, BTreeSet<Duty>>> {
    let perms = role::permissions(conn).await?;
    let duty_of: BTreeMap<&str, Duty> =
        perms.iter().map(|p| (p.code.as_str(), Duty::parse(&p.duty).unwrap_or(Duty::Business))).collect();
    Ok(role::list(conn)
        .await?
        .into_iter()
        .map(|r| (r.role.id, r.permissions.iter().filter_map(|c| duty_of.get(c.as_str()).copied()).collect()))
        .collect())
}

fn is_admin_role(duties: &BTreeMap<i64, BTreeSet<Duty>>, id: i64) -> bool {
    duties.get(&id).is_some_and(|d| d.iter().any(|d| *d != Duty::Business))
}

/// Roles carrying an administrator duty are granted and revoked only on the server console
/// (`xiezhi admin`); through the API the set of such roles a user holds cannot change. The
/// resulting role set must also respect the separation of the three administrators.
async fn check_roles(conn: &mut Conn, requested: &[i64], current: &[i64]) -> ApiResult<Result<Vec<i64>, FieldError>> {
    let requested: BTreeSet<i64> = requested.iter().copied().collect();
    let duties = role_duties(conn).await?;
    if let Some(bad) = requested.iter().find(|id| !duties.contains_key(id)) {
        return Ok(Err(FieldError::new("role_ids", format!("角色 {bad} 不存在"))));
    }
    let req_admin: BTreeSet<i64> = requested.iter().copied().filter(|i| is_admin_role(&duties, *i)).collect();
    let cur_admin: BTreeSet<i64> = current.iter().copied().filter(|i| is_admin_role(&duties, *i)).collect();
    if req_admin != cur_admin {
        return Ok(Err(FieldError::new(
            "role_ids",
            "管理员角色（含系统、安全、审计职责）只能在服务器上用 xiezhi admin 命令授予或收回",
        )));
    }
    let held = requested.iter().filter_map(|id| duties.get(id)).flatten().copied();
    if let Err(e) = check_separation_of_duties(held) {
        return Ok(Err(FieldError::new("role_ids", e.message)));
    }
    Ok(Ok(requested.into_iter().collect()))
}

async fn detail(conn: &mut Conn, id: i64, scope: &ScopeFilter) -> ApiResult<UserDetail> {
    let u = user::get(conn, id, scope).await?;
    let roles = role::roles_of_users(conn, &[id]).await?;
    let now = now_ms();
    Ok(UserDetail {
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        department_id: u.department_id,
        department_name: u.department_name,
        phone_masked: u.phone_masked,
        id_number_masked: u.id_number_masked,
        email: u.email,
        enabled: flag(u.enabled),
        locked: u.locked_until.is_some_and(|t| t > now),
        locked_until: u.locked_until.filter(|t| *t > now),
        roles: roles.into_iter().map(|r| RoleRef { id: r.id, code: r.code, name: r.name }).collect(),
        zzd_account_id: u.zzd_account_id,
        employee_code: u.employee_code,
        last_login_at: u.last_login_at,
        created_at: u.created_at,
        updated_at: u.updated_at,
    })
}

struct Listing {
    rows: Vec<user::UserRow>,
    roles: BTreeMap<i64, Vec<RoleRef>>,
    total: i64,
    page: PageRequest,
}

async fn query_users(s: &AppState, actor: &Principal, q: &UserQuery, export: bool) -> ApiResult<Listing> {
    let page = if export {
        PageRequest { page: 1, page_size: xlsx::MAX_EXPORT_ROWS }
    } else {
        PageRequest::new(q.page, q.page_size)?
    };
    let order = SortOrder::parse(q.order.as_deref())?;
    let col = sort_column(
        q.sort.as_deref(),
        &[
            ("username", "u.username"),
            ("display_name", "u.display_name"),
            ("created_at", "u.created_at"),
            ("last_login_at", "u.last_login_at"),
            ("department_name", "d.name"),
        ],
        "u.id",
    )?;
    let mut conn = s.db.conn().await?;
    let departments = match q.department_id {
        Some(d) if q.include_sub.unwrap_or(true) => Some(department::subtree(&mut conn, d).await?),
        Some(d) => Some(vec![d]),
        None => None,
    };
    let filter =
        user::UserFilter { keyword: non_empty(&q.keyword), departments, enabled: q.enabled, role_id: q.role_id };
    let scope = actor.scope();
    let backend = s.db.backend();
    let total = user::count(&mut conn, backend, &filter, &scope).await?;
    let order_by = format!("{col} {dir}, u.id {dir}", dir = order.sql());
    let rows = user::list(&mut conn, backend, &filter, &scope, &order_by, page.page_size, page.offset()).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut roles: BTreeMap<i64, Vec<RoleRef>> = BTreeMap::new();
    for r in role::roles_of_users(&mut conn, &ids).await? {
        roles.entry(r.user_id).or_default().push(RoleRef { id: r.id, code: r.code, name: r.name });
    }
    Ok(Listing { rows, roles, total, page })
}

/// Users within the caller's data scope.
#[utoipa::path(get, path = "/api/platform/users", tag = "platform", params(UserQuery),
    responses((status = 200, body = UserPage), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn list_users(
    State(s): State<AppState>,
    auth: Authorized<perm::UserView>,
    Query(q): Query<UserQuery>,
) -> ApiResult<Json<UserPage>> {
    let mut l = query_users(&s, &auth, &q, false).await?;
    let now = now_ms();
    let items = l
        .rows
        .into_iter()
        .map(|u| UserSummary {
            roles: l.roles.remove(&u.id).unwrap_or_default(),
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            department_id: u.department_id,
            department_name: u.department_name,
            phone_masked: u.phone_masked,
            enabled: flag(u.enabled),
            locked: u.locked_until.is_some_and(|t| t > now),
            last_login_at: u.last_login_at,
            created_at: u.created_at,
        })
        .collect();
    Ok(Json(UserPage { items, total: l.total, page: l.page.page, page_size: l.page.page_size }))
}

/// Excel export of the filtered list; protected fields stay masked.
#[utoipa::path(get, path = "/api/platform/users/export", tag = "platform", params(UserQuery),
    responses((status = 200, description = "xlsx file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = ApiErrorBody)))]
async fn export_users(
    State(s): State<AppState>,
    auth: Authorized<perm::UserExport>,
    Query(q): Query<UserQuery>,
) -> ApiResult<Response> {
    let mut l = query_users(&s, &auth, &q, true).await?;
    let rows: Vec<Vec<String>> = l
        .rows
        .iter()
        .map(|u| {
            let roles = l.roles.remove(&u.id).unwrap_or_default();
            vec![
                u.username.clone(),
                u.display_name.clone(),
                u.department_name.clone(),
                u.phone_masked.clone().unwrap_or_default(),
                roles.iter().map(|r| r.name.as_str()).collect::<Vec<_>>().join("、"),
                if flag(u.enabled) { "启用" } else { "停用" }.to_owned(),
                u.last_login_at.map(xlsx::format_ms).unwrap_or_default(),
                xlsx::format_ms(u.created_at),
            ]
        })
        .collect();
    let mut tx = s.db.begin().await?;
    audit::append(&mut tx, &auth.audit("user.export", "user", "", format!("导出用户列表 {} 条", rows.len()), None))
        .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    xlsx::export(
        "用户列表",
        "用户",
        &["用户名", "姓名", "所属部门", "手机号", "角色", "状态", "最后登录", "创建时间"],
        &rows,
    )
}

#[utoipa::path(get, path = "/api/platform/users/{id}", tag = "platform", params(("id" = i64, Path, description = "user id")),
    responses((status = 200, body = UserDetail), (status = 404, body = ApiErrorBody)))]
async fn get_user(
    State(s): State<AppState>,
    auth: Authorized<perm::UserView>,
    Path(id): Path<i64>,
) -> ApiResult<Json<UserDetail>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(detail(&mut conn, id, &auth.scope()).await?))
}

#[utoipa::path(post, path = "/api/platform/users", tag = "platform", request_body = UserCreate,
    responses((status = 201, body = UserDetail), (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_user(
    State(s): State<AppState>,
    auth: Authorized<perm::UserCreate>,
    Json(input): Json<UserCreate>,
) -> ApiResult<(StatusCode, Json<UserDetail>)> {
    let mut v = Validator::new();
    let username = v.check(Username::parse(&input.username));
    let display_name = v.check(display_text("display_name", &input.display_name, 64));
    let password = v.check(Password::parse("password", &input.password, Some(input.username.trim())));
    let phone = parse_phone(&s, &mut v, &input.phone);
    let id_number = parse_id_number(&s, &mut v, &input.id_number);
    let email = parse_email(&mut v, &input.email);
    let mut tx = s.db.begin().await?;
    if let Err(e) = check_department(&mut tx, &auth, input.department_id).await? {
        v.push(e);
    }
    let roles = check_roles(&mut tx, &input.role_ids, &[]).await?;
    let role_ids = v.check(roles);
    v.finish()?;
    let (Some(username), Some(display_name), Some(password), Some(role_ids)) =
        (username, display_name, password, role_ids)
    else {
        return Err(ApiError::internal("validated values missing"));
    };
    let hash = s.auth.hash_password(password.expose().to_owned()).await?;
    let as_option = |c: FieldChange| match c {
        FieldChange::Set(p) => Some(p),
        _ => None,
    };
    let new = user::NewUser {
        username: username.as_str().to_owned(),
        display_name,
        department_id: input.department_id,
        password_hash: hash,
        phone: as_option(phone),
        id_number: as_option(id_number),
        email,
        enabled: input.enabled,
        employee_code: None,
    };
    let id = user::insert(&mut tx, &new, now_ms()).await?;
    user::set_roles(&mut tx, id, &role_ids).await?;
    let changes = serde_json::json!({
        "username": new.username, "display_name": new.display_name, "department_id": new.department_id,
        "phone": new.phone.as_ref().map(|p| p.masked.clone()), "id_number": new.id_number.as_ref().map(|p| p.masked.clone()),
        "email": new.email, "role_ids": role_ids, "enabled": new.enabled,
    });
    audit::append(&mut tx, &auth.audit("user.create", "user", id, format!("新增用户 {}", new.username), Some(changes)))
        .await?;
    let out = detail(&mut tx, id, &ScopeFilter::All).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(put, path = "/api/platform/users/{id}", tag = "platform", request_body = UserUpdate, params(("id" = i64, Path, description = "user id")),
    responses((status = 200, body = UserDetail), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_user(
    State(s): State<AppState>,
    auth: Authorized<perm::UserEdit>,
    Path(id): Path<i64>,
    Json(input): Json<UserUpdate>,
) -> ApiResult<Json<UserDetail>> {
    let mut v = Validator::new();
    let display_name = v.check(display_text("display_name", &input.display_name, 64));
    let phone = parse_phone(&s, &mut v, &input.phone);
    let id_number = parse_id_number(&s, &mut v, &input.id_number);
    let email = parse_email(&mut v, &input.email);
    if id == auth.id && !input.enabled {
        v.push(FieldError::new("enabled", "不能停用自己的账号"));
    }
    let mut tx = s.db.begin().await?;
    let before = detail(&mut tx, id, &auth.scope()).await?;
    if let Err(e) = check_department(&mut tx, &auth, input.department_id).await? {
        v.push(e);
    }
    let duties = role_duties(&mut tx).await?;
    if !input.enabled && before.roles.iter().any(|r| is_admin_role(&duties, r.id)) {
        v.push(FieldError::new("enabled", "管理员账号只能在服务器上用 xiezhi admin 命令停用"));
    }
    let current: Vec<i64> = before.roles.iter().map(|r| r.id).collect();
    let role_ids = v.check(check_roles(&mut tx, &input.role_ids, &current).await?);
    v.finish()?;
    let (Some(display_name), Some(role_ids)) = (display_name, role_ids) else {
        return Err(ApiError::internal("validated values missing"));
    };
    let masked = |c: &FieldChange, old: &Option<String>| match c {
        FieldChange::Keep => old.clone(),
        FieldChange::Clear => None,
        FieldChange::Set(p) => Some(p.masked.clone()),
    };
    let changes = serde_json::json!({
        "before": { "display_name": before.display_name, "department_id": before.department_id, "phone": before.phone_masked,
                    "id_number": before.id_number_masked, "email": before.email, "role_ids": current, "enabled": before.enabled },
        "after": { "display_name": display_name, "department_id": input.department_id, "phone": masked(&phone, &before.phone_masked),
                   "id_number": masked(&id_number, &before.id_number_masked), "email": email, "role_ids": role_ids, "enabled": input.enabled },
    });
    let upd = user::UserUpdate {
        display_name,
        department_id: input.department_id,
        phone,
        id_number,
        email,
        enabled: input.enabled,
    };
    user::update(&mut tx, id, &upd, now_ms()).await?;
    user::set_roles(&mut tx, id, &role_ids).await?;
    if !input.enabled {
        session::delete_for_users(&mut tx, &[id]).await?;
    }
    audit::append(
        &mut tx,
        &auth.audit("user.update", "user", id, format!("修改用户 {}", before.username), Some(changes)),
    )
    .await?;
    let out = detail(&mut tx, id, &ScopeFilter::All).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(out))
}

/// Deregister (注销) users: they can no longer log in; their records stay for the audit trail.
#[utoipa::path(post, path = "/api/platform/users/batch-delete", tag = "platform", request_body = IdList,
    responses((status = 200, body = Affected), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn batch_delete(
    State(s): State<AppState>,
    auth: Authorized<perm::UserDelete>,
    Json(input): Json<IdList>,
) -> ApiResult<Json<Affected>> {
    let ids = check_batch(&input.ids)?;
    if ids.contains(&auth.id) {
        return Err(ApiError::field("ids", "不能删除自己的账号"));
    }
    let mut tx = s.db.begin().await?;
    let found = user::ids_in_scope(&mut tx, &ids, &auth.scope()).await?;
    if found.len() != ids.len() {
        return Err(ApiError::NotFound);
    }
    let roles = role::roles_of_users(&mut tx, &ids).await?;
    let duties = role_duties(&mut tx).await?;
    if roles.iter().any(|r| is_admin_role(&duties, r.id)) {
        return Err(ApiError::field("ids", "管理员账号只能在服务器上用 xiezhi admin 命令处理"));
    }
    let n = user::soft_delete(&mut tx, &ids, now_ms()).await?;
    session::delete_for_users(&mut tx, &ids).await?;
    audit::append(
        &mut tx,
        &auth.audit(
            "user.delete",
            "user",
            join_ids(&ids),
            format!("删除（注销）{n} 个用户"),
            Some(serde_json::json!({ "ids": ids })),
        ),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(Affected { affected: n }))
}

fn join_ids(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

#[utoipa::path(post, path = "/api/platform/users/batch-status", tag = "platform", request_body = BatchStatus,
    responses((status = 200, body = Affected), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn batch_status(
    State(s): State<AppState>,
    auth: Authorized<perm::UserEdit>,
    Json(input): Json<BatchStatus>,
) -> ApiResult<Json<Affected>> {
    let ids = check_batch(&input.ids)?;
    if !input.enabled && ids.contains(&auth.id) {
        return Err(ApiError::field("ids", "不能停用自己的账号"));
    }
    let mut tx = s.db.begin().await?;
    let found = user::ids_in_scope(&mut tx, &ids, &auth.scope()).await?;
    if found.len() != ids.len() {
        return Err(ApiError::NotFound);
    }
    let roles = role::roles_of_users(&mut tx, &ids).await?;
    let duties = role_duties(&mut tx).await?;
    if roles.iter().any(|r| is_admin_role(&duties, r.id)) {
        return Err(ApiError::field("ids", "管理员账号只能在服务器上用 xiezhi admin 命令处理"));
    }
    let n = user::set_enabled(&mut tx, &ids, input.enabled, now_ms()).await?;
    if !input.enabled {
        session::delete_for_users(&mut tx, &ids).await?;
    }
    let (action, word) = if input.enabled { ("user.enable", "启用") } else { ("user.disable", "停用") };
    audit::append(
        &mut tx,
        &auth.audit(
            action,
            "user",
            join_ids(&ids),
            format!("{word} {n} 个用户"),
            Some(serde_json::json!({ "ids": ids })),
        ),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(Affected { affected: n }))
}

#[utoipa::path(post, path = "/api/platform/users/{id}/reset-password", tag = "platform", request_body = ResetPassword,
    params(("id" = i64, Path, description = "user id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn reset_password(
    State(s): State<AppState>,
    auth: Authorized<perm::UserEdit>,
    Path(id): Path<i64>,
    Json(input): Json<ResetPassword>,
) -> ApiResult<StatusCode> {
    let target = {
        let mut conn = s.db.conn().await?;
        user::get(&mut conn, id, &auth.scope()).await?
    };
    let password = Password::parse("new_password", &input.new_password, Some(&target.username))?;
    let hash = s.auth.hash_password(password.expose().to_owned()).await?;
    let mut tx = s.db.begin().await?;
    user::set_password(&mut tx, id, &hash, now_ms()).await?;
    session::delete_for_users(&mut tx, &[id]).await?;
    audit::append(
        &mut tx,
        &auth.audit("user.reset_password", "user", id, format!("重置用户 {} 的密码", target.username), None),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/platform/users/{id}/unlock", tag = "platform", params(("id" = i64, Path, description = "user id")),
    responses((status = 204), (status = 404, body = ApiErrorBody)))]
async fn unlock_user(
    State(s): State<AppState>,
    auth: Authorized<perm::UserUnlock>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let mut tx = s.db.begin().await?;
    let target = user::get(&mut tx, id, &auth.scope()).await?;
    user::unlock(&mut tx, id).await?;
    audit::append(&mut tx, &auth.audit("user.unlock", "user", id, format!("解锁用户 {}", target.username), None))
        .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Show a protected field in full; every use is audited.
#[utoipa::path(post, path = "/api/platform/users/{id}/reveal", tag = "platform", request_body = RevealRequest,
    params(("id" = i64, Path, description = "user id")),
    responses((status = 200, body = RevealResponse), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn reveal(
    State(s): State<AppState>,
    auth: Authorized<perm::UserReveal>,
    Path(id): Path<i64>,
    Json(input): Json<RevealRequest>,
) -> ApiResult<Json<RevealResponse>> {
    let label = match input.field.as_str() {
        "phone" => "手机号",
        "id_number" => "身份证号",
        _ => return Err(ApiError::field("field", "只能查看 phone 或 id_number")),
    };
    let mut tx = s.db.begin().await?;
    let target = user::get(&mut tx, id, &auth.scope()).await?;
    let enc = user::protected_value(&mut tx, id, &input.field).await?.ok_or(ApiError::NotFound)?;
    let value =
        s.cipher.decrypt(&enc).map_err(|e| ApiError::internal(format!("decrypt user {id} {}: {e}", input.field)))?;
    audit::append(
        &mut tx,
        &auth.audit(
            "user.reveal",
            "user",
            id,
            format!("查看用户 {} 的完整{label}", target.username),
            Some(serde_json::json!({ "field": input.field })),
        ),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(RevealResponse { value }))
}

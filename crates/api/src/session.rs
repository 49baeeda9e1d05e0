//! Login, logout, current user and password change.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::values::Password;
use xiezhi_storage::Tx;
use xiezhi_storage::audit::{self, NewAudit};
use xiezhi_storage::platform::{session, user};

use crate::auth::{self, Principal, audit_standalone, load_principal, new_token};
use crate::error::{ApiError, ApiErrorBody, ApiResult};
use crate::extract::{ClientMeta, Json};
use crate::platform::RoleRef;
use crate::{AppState, now_ms};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub department_id: i64,
    pub department_name: String,
    pub region_code: String,
    pub roles: Vec<RoleRef>,
    pub permissions: Vec<String>,
    /// `all`, `region`, `department` or `own`.
    pub data_scope: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    pub user: CurrentUser,
    /// Send as `X-CSRF-Token` with every non-GET request.
    pub csrf_token: String,
    pub idle_timeout_secs: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub old_password: String,
    pub new_password: String,
}

fn session_info(p: &Principal, s: &AppState) -> SessionInfo {
    SessionInfo {
        user: CurrentUser {
            id: p.id,
            username: p.username.clone(),
            display_name: p.display_name.clone(),
            department_id: p.department_id,
            department_name: p.department_name.clone(),
            region_code: p.region_code.clone(),
            roles: p.roles.iter().map(|r| RoleRef { id: r.id, code: r.code.clone(), name: r.name.clone() }).collect(),
            permissions: p.permissions.iter().cloned().collect(),
            data_scope: p.data_scope.as_str().to_owned(),
        },
        csrf_token: p.csrf_token.clone(),
        idle_timeout_secs: s.auth.idle_timeout_minutes * 60,
    }
}

pub(crate) fn login_failure(
    meta: &ClientMeta,
    actor_id: Option<i64>,
    username: &str,
    action: &str,
    summary: String,
) -> NewAudit {
    NewAudit {
        occurred_at: now_ms(),
        actor_id,
        actor_name: username.chars().take(64).collect(),
        ip: meta.ip.clone(),
        action: action.to_owned(),
        target_type: "user".into(),
        target_id: actor_id.map(|i| i.to_string()).unwrap_or_default(),
        outcome: "failure",
        summary,
        changes: None,
    }
}

/// Log in with user name and password; sets the session cookie.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = SessionInfo), (status = 401, body = ApiErrorBody), (status = 423, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn login(
    State(s): State<AppState>,
    meta: ClientMeta,
    Json(req): Json<LoginRequest>,
) -> ApiResult<impl IntoResponse> {
    if req.username.is_empty() || req.username.len() > 64 || req.password.is_empty() || req.password.len() > 256 {
        return Err(ApiError::InvalidCredentials);
    }
    let now = now_ms();
    let cred = {
        let mut conn = s.db.conn().await?;
        user::credentials_by_username(&mut conn, &req.username).await?
    };
    let Some(cred) = cred else {
        // Spend the same time as for a real user so that timing does not reveal which names exist.
        let dummy = s.dummy_hash().await?;
        s.auth.verify_password(req.password, dummy).await?;
        audit_standalone(&s, login_failure(&meta, None, &req.username, "auth.login", "登录失败：用户不存在".into()))
            .await?;
        return Err(ApiError::InvalidCredentials);
    };
    if let Some(until) = cred.locked_until.filter(|u| *u > now) {
        audit_standalone(
            &s,
            login_failure(&meta, Some(cred.id), &cred.username, "auth.login", "登录失败：账号已锁定".into()),
        )
        .await?;
        return Err(ApiError::AccountLocked { locked_until: until });
    }
    if !s.auth.verify_password(req.password, cred.password_hash.clone()).await? {
        let mut tx = s.db.begin().await?;
        let (attempts, locked) =
            user::record_failure(&mut tx, cred.id, now, s.auth.lockout_threshold, s.auth.lockout_minutes * 60_000)
                .await?;
        let locked_now = locked.filter(|u| *u > now);
        let summary = match locked_now {
            Some(_) => format!("登录失败：密码错误，连续失败 {attempts} 次，账号锁定 {} 分钟", s.auth.lockout_minutes),
            None => format!("登录失败：密码错误（连续第 {attempts} 次）"),
        };
        let action = if locked_now.is_some() { "auth.lockout" } else { "auth.login" };
        audit::append(&mut tx, &login_failure(&meta, Some(cred.id), &cred.username, action, summary)).await?;
        tx.commit().await.map_err(ApiError::internal)?;
        return Err(match locked_now {
            Some(until) => ApiError::AccountLocked { locked_until: until },
            None => ApiError::InvalidCredentials,
        });
    }
    if cred.enabled == 0 {
        audit_standalone(
            &s,
            login_failure(&meta, Some(cred.id), &cred.username, "auth.login", "登录失败：账号已停用".into()),
        )
        .await?;
        return Err(ApiError::AccountDisabled);
    }
    let tx = s.db.begin().await?;
    let (cookie, info) = open_session(&s, tx, cred.id, &cred.username, meta, "登录成功").await?;
    Ok((AppendHeaders([(header::SET_COOKIE, cookie)]), Json(info)))
}

/// Open a session for a user who has proved who they are (password, ZZD): record the log-in,
/// create the session and its CSRF token and audit `summary`, in the caller's transaction, which
/// this commits. Returns the `Set-Cookie` value and the session answer.
pub(crate) async fn open_session(
    s: &AppState,
    mut tx: Tx,
    user_id: i64,
    username: &str,
    meta: ClientMeta,
    summary: &str,
) -> ApiResult<(String, SessionInfo)> {
    let now = now_ms();
    let (token, token_hash) = new_token();
    let csrf = hex::encode(rand::random::<[u8; 16]>());
    user::record_success(&mut tx, user_id, now, &meta.ip).await?;
    session::insert(&mut tx, &token_hash, user_id, &csrf, &meta.ip, &meta.user_agent, now).await?;
    let mut entry = login_failure(&meta, Some(user_id), username, "auth.login", summary.to_owned());
    entry.outcome = "success";
    audit::append(&mut tx, &entry).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    let p = load_principal(s, user_id, csrf, token_hash, meta).await?;
    Ok((auth::session_cookie(&token, s.auth.cookie_secure), session_info(&p, s)))
}

/// Log out: the session is deleted on the server.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", responses((status = 204), (status = 401, body = ApiErrorBody)))]
async fn logout(State(s): State<AppState>, p: Principal) -> ApiResult<impl IntoResponse> {
    let mut tx = s.db.begin().await?;
    session::delete(&mut tx, &p.token_hash).await?;
    audit::append(&mut tx, &p.audit("auth.logout", "user", p.id, "退出登录", None)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok((StatusCode::NO_CONTENT, AppendHeaders([(header::SET_COOKIE, auth::clear_cookie(s.auth.cookie_secure))])))
}

/// The current user, permissions and CSRF token.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth", responses((status = 200, body = SessionInfo), (status = 401, body = ApiErrorBody)))]
async fn me(State(s): State<AppState>, p: Principal) -> Json<SessionInfo> {
    Json(session_info(&p, &s))
}

/// Change one's own password; other sessions of the user are ended.
#[utoipa::path(post, path = "/api/auth/password", tag = "auth", request_body = ChangePassword,
    responses((status = 204), (status = 401, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn change_password(
    State(s): State<AppState>,
    p: Principal,
    Json(req): Json<ChangePassword>,
) -> ApiResult<StatusCode> {
    let new = Password::parse("new_password", &req.new_password, Some(&p.username))?;
    if req.old_password == req.new_password {
        return Err(ApiError::field("new_password", "新密码不能与原密码相同"));
    }
    let cred = {
        let mut conn = s.db.conn().await?;
        user::credentials_by_id(&mut conn, p.id).await?
    };
    if req.old_password.len() > 256 || !s.auth.verify_password(req.old_password, cred.password_hash).await? {
        return Err(ApiError::field("old_password", "原密码不正确"));
    }
    let hash = s.auth.hash_password(new.expose().to_owned()).await?;
    let mut tx = s.db.begin().await?;
    user::set_password(&mut tx, p.id, &hash, now_ms()).await?;
    session::delete_others(&mut tx, p.id, &p.token_hash).await?;
    audit::append(&mut tx, &p.audit("auth.password_change", "user", p.id, "修改本人密码", None)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

//! 浙政钉 (ZZD): the signed client of the open platform, log-in by QR code (PC) and by in-app
//! auth code (H5 免登), linking ZZD accounts to local users, work notifications through the
//! outbox, and the organisation synchronisation (`sync`).
//!
//! Settings: the `zzd` row of `external_systems` (app key = ZZD apiKey, secret = appSecret,
//! options `{"tenant_id", "notify", "login_url", "redirect_uri", "app_url"}`); an empty endpoint
//! uses the simulator built into this server.

pub mod account;
pub mod sync;

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::integration::zzd::{self as z, Answer, UserInfo, path};
use xiezhi_storage::clue::case::CaseState;
use xiezhi_storage::integration as sys_store;
use xiezhi_storage::outbox::{self, MessageRow, NewMessage};
use xiezhi_storage::platform::user;
use xiezhi_storage::{Conn, zzd as store};

use super::gateway::{GatewayError, transport_error};
use super::relay::{Attempt, Logged, Outcome};
use super::{Settings, settings, system};
use crate::auth::audit_standalone;
use crate::clue::rules::{Key, Rules};
use crate::error::{ApiError, ApiErrorBody, ApiResult};
use crate::extract::{ClientMeta, Json, Query};
use crate::session::{SessionInfo, login_failure, open_session};
use crate::{AppState, now_ms};

/// Outbox channel of work notifications.
pub const CHANNEL: &str = "zzd_notice";
/// Cookie holding the state nonce of a QR log-in between authorize and callback. `SameSite=Lax`:
/// the callback is a top-level navigation from the ZZD log-in host.
const STATE_COOKIE: &str = "xiezhi_zzd_state";
/// Receivers per work notification.
const RECEIVERS_PER_MESSAGE: usize = 100;

/// Access tokens held per app key (one fetch at a time per process).
#[derive(Debug, Default)]
pub struct Runtime {
    tokens: tokio::sync::Mutex<HashMap<String, (String, i64)>>,
}

impl Runtime {
    async fn token(&self, http: &reqwest::Client, s: &Settings) -> Result<String, (GatewayError, String)> {
        let mut held = self.tokens.lock().await;
        let now = now_ms();
        if let Some((t, exp)) = held.get(&s.app_key)
            && *exp - 60_000 > now
        {
            return Ok(t.clone());
        }
        let params = vec![("appkey".to_owned(), s.app_key.clone()), ("appsecret".to_owned(), s.secret.clone())];
        let (t, _): (z::Token, String) = call(http, s, reqwest::Method::GET, path::GET_TOKEN, params).await?;
        held.insert(s.app_key.clone(), (t.access_token.clone(), now + t.expires_in * 1000));
        Ok(t.access_token)
    }

    async fn forget(&self, s: &Settings) {
        self.tokens.lock().await.remove(&s.app_key);
    }
}

/// One signed call; answers the data and the raw answer (for the exchange log).
pub async fn call<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    s: &Settings,
    method: reqwest::Method,
    api: &str,
    params: Vec<(String, String)>,
) -> Result<(T, String), (GatewayError, String)> {
    let url = s.url(api).map_err(|e| (GatewayError::NotSent(e), String::new()))?;
    let nonce = hex::encode(rand::random::<[u8; 16]>());
    let headers = z::headers(&s.app_key, &s.secret, method.as_str(), api, &params, now_ms(), &nonce);
    let mut req = http.request(method.clone(), url).timeout(s.timeout);
    for (k, v) in headers {
        req = req.header(k, v);
    }
    req = if method == reqwest::Method::GET { req.query(&params) } else { req.form(&params) };
    let res = req.send().await.map_err(|e| (transport_error(&e), String::new()))?;
    let status = res.status();
    let text = res.text().await.map_err(|e| (transport_error(&e), String::new()))?;
    if !status.is_success() {
        return Err((GatewayError::Unknown(format!("HTTP {}", status.as_u16())), text));
    }
    let answer: Answer<T> = serde_json::from_str(&text)
        .map_err(|e| (GatewayError::Unknown(format!("无法解析的应答：{e}")), text.clone()))?;
    match answer.into_data() {
        Ok(d) => Ok((d, text)),
        Err((code, msg)) => Err((GatewayError::Answer { code, msg }, text)),
    }
}

fn http() -> ApiResult<reqwest::Client> {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().map_err(ApiError::internal)
}

fn option_str(s: &Settings, key: &str) -> String {
    s.options.get(key).and_then(Value::as_str).unwrap_or_default().trim().to_owned()
}

/// The user of a log-in code, through a fresh or held access token.
async fn user_of_code(state: &AppState, s: &Settings, api: &str, field: &str, code: &str) -> Result<UserInfo, String> {
    let http = http().map_err(|e| e.to_string())?;
    for _ in 0..2 {
        let token = state.zzd.token(&http, s).await.map_err(|(e, _)| e.to_string())?;
        let params = vec![("access_token".to_owned(), token), (field.to_owned(), code.to_owned())];
        match call::<UserInfo>(&http, s, reqwest::Method::POST, api, params).await {
            Ok((u, _)) => return Ok(u),
            Err((GatewayError::Answer { code, .. }, _)) if code == z::code::BAD_TOKEN => state.zzd.forget(s).await,
            Err((e, _)) => return Err(e.to_string()),
        }
    }
    Err("access_token 无效".into())
}

// ---- log-in --------------------------------------------------------------------------------------

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(authorize))
        .routes(routes!(callback))
        .routes(routes!(app_login))
        .merge(account::router())
        .merge(sync::router())
}

/// Why a ZZD log-in failed, as the log-in page shows it (`/login?zzd_error=<code>`).
#[derive(Debug, Clone, Copy)]
enum LoginFailure {
    Disabled,
    State,
    Upstream,
    Unlinked,
    AccountDisabled,
    /// Locked until (ms).
    Locked(i64),
}

impl LoginFailure {
    fn code(self) -> &'static str {
        match self {
            LoginFailure::Disabled => "zzd_disabled",
            LoginFailure::State => "zzd_state",
            LoginFailure::Upstream => "zzd_upstream",
            LoginFailure::Unlinked => "zzd_unlinked",
            LoginFailure::AccountDisabled => "account_disabled",
            LoginFailure::Locked(_) => "account_locked",
        }
    }
    fn error(self) -> ApiError {
        match self {
            LoginFailure::AccountDisabled => ApiError::AccountDisabled,
            LoginFailure::Locked(until) => ApiError::AccountLocked { locked_until: until },
            LoginFailure::Disabled => ApiError::Coded {
                status: StatusCode::CONFLICT,
                code: "zzd_disabled",
                message: "浙政钉对接未启用".into(),
            },
            LoginFailure::State => ApiError::BadRequest("登录状态校验失败，请重新扫码".into()),
            LoginFailure::Upstream => ApiError::Coded {
                status: StatusCode::BAD_GATEWAY,
                code: "zzd_upstream",
                message: "浙政钉接口调用失败，请稍后再试".into(),
            },
            LoginFailure::Unlinked => ApiError::Coded {
                status: StatusCode::FORBIDDEN,
                code: "zzd_unlinked",
                message: "该浙政钉账号尚未关联本系统用户，请联系系统管理员".into(),
            },
        }
    }
}

fn login_redirect(f: LoginFailure) -> Response {
    Redirect::to(&format!("/login?zzd_error={}", f.code())).into_response()
}

async fn enabled_settings(state: &AppState) -> Result<Settings, LoginFailure> {
    match settings(state, system::ZZD).await {
        Ok(s) if s.enabled && !s.app_key.is_empty() => Ok(s),
        _ => Err(LoginFailure::Disabled),
    }
}

fn callback_url(s: &Settings, state: &AppState, headers: &HeaderMap) -> String {
    let configured = option_str(s, "redirect_uri");
    if !configured.is_empty() {
        return configured;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("localhost");
    let scheme = if state.auth.cookie_secure { "https" } else { "http" };
    format!("{scheme}://{host}/api/auth/zzd/callback")
}

/// Start a PC log-in: redirect to the ZZD QR-code page with a state nonce (kept in a cookie).
#[utoipa::path(get, path = "/api/auth/zzd/authorize", tag = "auth",
    responses((status = 303, description = "To the ZZD QR-code page, or back to /login?zzd_error=… when ZZD is not enabled")))]
async fn authorize(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let settings = match enabled_settings(&s).await {
        Ok(x) => x,
        Err(f) => return login_redirect(f),
    };
    let login = match option_str(&settings, "login_url") {
        u if u.is_empty() => settings.base_url.clone(),
        u => u.trim_end_matches('/').to_owned(),
    };
    let nonce = hex::encode(rand::random::<[u8; 16]>());
    let query = serde_urlencoded::to_string([
        ("response_type", "code"),
        ("client_id", settings.app_key.as_str()),
        ("redirect_uri", callback_url(&settings, &s, &headers).as_str()),
        ("scope", "get_user_info"),
        ("authType", "QRCODE"),
        ("state", nonce.as_str()),
    ])
    .unwrap_or_default();
    let secure = if s.auth.cookie_secure { "; Secure" } else { "" };
    let cookie = format!("{STATE_COOKIE}={nonce}; HttpOnly; SameSite=Lax; Path=/api/auth/zzd; Max-Age=600{secure}");
    (
        StatusCode::SEE_OTHER,
        AppendHeaders([(header::LOCATION, format!("{login}{}?{query}", path::QR_AUTH)), (header::SET_COOKIE, cookie)]),
    )
        .into_response()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackQuery {
    /// One-time log-in code from ZZD.
    pub code: Option<String>,
    /// The state nonce of `authorize`.
    pub state: Option<String>,
}

fn state_cookie(headers: &HeaderMap) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == STATE_COOKIE && !v.is_empty()).then(|| v.to_owned())
    })
}

/// The ZZD log-in page sends the browser back here: check the state, resolve the code to the ZZD
/// account, find (or make by employee code or mobile) its link, open a session, go to `/`.
#[utoipa::path(get, path = "/api/auth/zzd/callback", tag = "auth", params(CallbackQuery),
    responses((status = 303, description = "To / with the session cookie, or to /login?zzd_error=…")))]
async fn callback(
    State(s): State<AppState>,
    meta: ClientMeta,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let clear = format!("{STATE_COOKIE}=; HttpOnly; SameSite=Lax; Path=/api/auth/zzd; Max-Age=0");
    let expected = state_cookie(&headers);
    let state_ok = matches!((&expected, &q.state), (Some(a), Some(b)) if a.len() == 32 && a == b);
    let result = match (state_ok, q.code.as_deref().filter(|c| !c.is_empty() && c.len() <= 256)) {
        (true, Some(code)) => login_with_code(&s, meta, path::USER_BY_CODE, "code", code, "浙政钉扫码登录成功").await,
        _ => Err(LoginFailure::State),
    };
    match result {
        Ok((cookie, _)) => (
            StatusCode::SEE_OTHER,
            AppendHeaders([
                (header::LOCATION, "/".to_owned()),
                (header::SET_COOKIE, cookie),
                (header::SET_COOKIE, clear),
            ]),
        )
            .into_response(),
        Err(f) => {
            let mut r = login_redirect(f);
            if let Ok(v) = header::HeaderValue::from_str(&clear) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppLogin {
    /// The auth code from the ZZD JSAPI (`getAuthCode`) inside the ZZD app.
    pub auth_code: String,
}

/// In-app log-in (H5 免登): exchange the JSAPI auth code for a session, like a password log-in.
#[utoipa::path(post, path = "/api/auth/zzd/app-login", tag = "auth", request_body = AppLogin,
    responses((status = 200, body = SessionInfo), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody), (status = 423, body = ApiErrorBody), (status = 502, body = ApiErrorBody)))]
async fn app_login(
    State(s): State<AppState>,
    meta: ClientMeta,
    Json(req): Json<AppLogin>,
) -> ApiResult<impl IntoResponse> {
    if req.auth_code.is_empty() || req.auth_code.len() > 256 {
        return Err(ApiError::field("auth_code", "免登授权码无效"));
    }
    let (cookie, info) = login_with_code(&s, meta, path::APP_USER, "auth_code", &req.auth_code, "浙政钉免登成功")
        .await
        .map_err(LoginFailure::error)?;
    Ok((AppendHeaders([(header::SET_COOKIE, cookie)]), Json(info)))
}

async fn audit_failure(s: &AppState, meta: &ClientMeta, user_id: Option<i64>, name: &str, summary: String) {
    if let Err(e) = audit_standalone(s, login_failure(meta, user_id, name, "auth.login", summary)).await {
        tracing::warn!(error = %e, "audit of a failed ZZD log-in");
    }
}

/// Resolve a log-in code and open the linked user's session.
async fn login_with_code(
    s: &AppState,
    meta: ClientMeta,
    api: &str,
    field: &str,
    code: &str,
    summary: &str,
) -> Result<(String, SessionInfo), LoginFailure> {
    let settings = enabled_settings(s).await?;
    let info = match user_of_code(s, &settings, api, field, code).await {
        Ok(u) => u,
        Err(e) => {
            tracing::warn!(error = %e, "ZZD log-in code exchange failed");
            audit_failure(s, &meta, None, "zzd", format!("浙政钉登录失败：{e}")).await;
            return Err(LoginFailure::Upstream);
        }
    };
    let zzd_name = format!("zzd:{}", info.account_id);
    let linked = match link_on_login(s, &info).await {
        Ok(x) => x,
        Err(e) => {
            tracing::error!(error = %e, "ZZD log-in: linking failed");
            return Err(LoginFailure::Upstream);
        }
    };
    let Some(user_id) = linked else {
        audit_failure(
            s,
            &meta,
            None,
            &zzd_name,
            format!("浙政钉登录失败：账号 {}（{}）未关联本系统用户", info.nick_name_cn, info.account_id),
        )
        .await;
        return Err(LoginFailure::Unlinked);
    };
    let cred = {
        let mut conn = s.db.conn().await.map_err(|_| LoginFailure::Upstream)?;
        user::credentials_by_id(&mut conn, user_id).await.map_err(|_| LoginFailure::Unlinked)?
    };
    let now = now_ms();
    if cred.enabled == 0 {
        audit_failure(s, &meta, Some(cred.id), &cred.username, "浙政钉登录失败：账号已停用".into()).await;
        return Err(LoginFailure::AccountDisabled);
    }
    if let Some(until) = cred.locked_until.filter(|u| *u > now) {
        audit_failure(s, &meta, Some(cred.id), &cred.username, "浙政钉登录失败：账号已锁定".into()).await;
        return Err(LoginFailure::Locked(until));
    }
    let open = async {
        let mut tx = s.db.begin().await?;
        store::touch_login(&mut tx, info.account_id, now).await?;
        open_session(s, tx, cred.id, &cred.username, meta, &format!("{summary}（浙政钉账号 {}）", info.account_id))
            .await
    };
    open.await.map_err(|e| {
        tracing::error!(error = %e, "ZZD log-in: session");
        LoginFailure::Upstream
    })
}

/// Record the account and return its linked user, linking it first by employee code or mobile when
/// it has no link yet (both audited).
async fn link_on_login(s: &AppState, info: &UserInfo) -> ApiResult<Option<i64>> {
    let now = now_ms();
    let mut tx = s.db.begin().await?;
    let existing = store::account(&mut tx, info.account_id).await?;
    if existing.as_ref().is_some_and(|a| a.status != "A") {
        tx.commit().await.map_err(ApiError::internal)?;
        return Ok(None);
    }
    store::upsert_account(
        &mut tx,
        &store::AccountWrite {
            account_id: info.account_id,
            employee_code: info.employee_code.clone(),
            name: info.nick_name_cn.clone(),
            mobile: None,
            org: None,
            status: "A".into(),
        },
        now,
    )
    .await?;
    if let Some(user_id) = existing.as_ref().and_then(|a| a.user_id) {
        tx.commit().await.map_err(ApiError::internal)?;
        return Ok(Some(user_id));
    }
    let linked = account::auto_link(&mut tx, info.account_id, "浙政钉登录", now).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(linked)
}

// ---- work notifications --------------------------------------------------------------------------

/// What a queued notification carries; the ZZD `msg` is composed when it is sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Notice {
    /// `new_task`, `due_warning`, `overdue`, `invitation`.
    pub kind: String,
    pub receiver_ids: Vec<i64>,
    pub title: String,
    pub content: String,
    /// Path in the web app the message opens (joined to `app_url`).
    pub link: String,
    /// The task the notice is about: not sent once the task is finished.
    #[serde(default)]
    pub task_id: Option<i64>,
}

/// Are work notifications on? (the system is enabled and `notify` is not false)
async fn notifying(rules: &Rules, tx: &mut Conn) -> ApiResult<bool> {
    let row = rules.get(Key::System(system::ZZD), sys_store::system(tx, system::ZZD)).await?;
    let options: Value = serde_json::from_str(&row.options).unwrap_or(Value::Null);
    Ok(row.enabled != 0 && options.get("notify").and_then(Value::as_bool).unwrap_or(true))
}

/// Queue notifications to the receivers in the caller's transaction; `key` makes the bizMsgId
/// (`zzd-{key}-{part}`), so the same event never notifies twice.
pub async fn enqueue(tx: &mut Conn, key: &str, case_id: Option<i64>, notice: &Notice, now: i64) -> ApiResult<usize> {
    let mut n = 0;
    for (i, chunk) in notice.receiver_ids.chunks(RECEIVERS_PER_MESSAGE).enumerate() {
        let part = Notice { receiver_ids: chunk.to_vec(), ..notice.clone() };
        let payload = serde_json::to_string(&part).map_err(ApiError::internal)?;
        let event_id = format!("zzd-{key}-{}", i + 1);
        let ordering = case_id.map(|c| format!("zzd:case:{c}")).unwrap_or_else(|| format!("zzd:{key}"));
        outbox::enqueue(
            tx,
            &NewMessage {
                channel: CHANNEL,
                target_id: 0,
                ordering_key: &ordering,
                event_id: &event_id,
                payload: &payload,
                case_id,
                now,
            },
        )
        .await?;
        n += 1;
    }
    Ok(n)
}

/// A new task was opened: notify the users who can act on it and have a linked ZZD account.
pub async fn notify_task(
    rules: &Rules,
    tx: &mut Conn,
    task_id: i64,
    case: &CaseState,
    activity_name: &str,
    due_at: Option<i64>,
    now: i64,
) -> ApiResult<()> {
    if !notifying(rules, tx).await? {
        return Ok(());
    }
    let receivers = store::task_recipients(tx, task_id).await?;
    if receivers.is_empty() {
        return Ok(());
    }
    let due = due_at.map(|d| format!("，请于 {} 前处理", china_minute(d))).unwrap_or_default();
    let notice = Notice {
        kind: "new_task".into(),
        receiver_ids: receivers,
        title: format!("新任务：{activity_name}"),
        content: format!("事件 {}「{}」待{activity_name}{due}。", case.case_no, clip(&case.title, 60)),
        link: format!("/clue/cases/{}", case.id),
        task_id: Some(task_id),
    };
    enqueue(tx, &format!("task-{task_id}"), Some(case.id), &notice, now).await?;
    Ok(())
}

/// How far back the deadline scan looks (older warnings and deadlines are not notified).
const DEADLINE_LOOKBACK_MS: i64 = 24 * 3600 * 1000;
const DEADLINE_BATCH: i64 = 200;

/// Due-time warnings and overdue notices: open tasks whose warning time (deadline not yet
/// reached) or deadline passed within the last day, each task once per kind, to the same
/// recipients as a new task. Returns the notifications queued.
pub async fn notify_deadlines(state: &AppState) -> ApiResult<usize> {
    let mut queued = 0;
    for kind in ["warn", "overdue"] {
        loop {
            let now = now_ms();
            let tasks = {
                let mut conn = state.db.conn().await?;
                let rules = state.clue.rules(&mut conn).await?;
                if !notifying(&rules, &mut conn).await? {
                    return Ok(queued);
                }
                store::deadline_tasks(&mut conn, kind, now - DEADLINE_LOOKBACK_MS, now, DEADLINE_BATCH).await?
            };
            let n = tasks.len();
            for t in tasks {
                let key = format!("{kind}-{}", t.task_id);
                let mut tx = state.db.begin().await?;
                match store::claim_notice_key(&mut tx, &key, now).await {
                    Ok(()) => {}
                    // Another instance took it.
                    Err(xiezhi_storage::StorageError::Duplicate { .. }) => continue,
                    Err(e) => return Err(e.into()),
                }
                let receivers = store::task_recipients(&mut tx, t.task_id).await?;
                if !receivers.is_empty() {
                    let due = t.due_at.map(china_minute).unwrap_or_default();
                    let (title, content) = if kind == "warn" {
                        (
                            format!("即将到期：{}", t.activity_name),
                            format!(
                                "事件 {}「{}」将于 {due} 到期，请尽快{}。",
                                t.case_no,
                                clip(&t.title, 60),
                                t.activity_name
                            ),
                        )
                    } else {
                        (
                            format!("已超期：{}", t.activity_name),
                            format!(
                                "事件 {}「{}」的{}已于 {due} 超期，请立即处理。",
                                t.case_no,
                                clip(&t.title, 60),
                                t.activity_name
                            ),
                        )
                    };
                    let notice = Notice {
                        kind: if kind == "warn" { "due_warning".into() } else { "overdue".into() },
                        receiver_ids: receivers,
                        title,
                        content,
                        link: format!("/clue/cases/{}", t.case_id),
                        task_id: Some(t.task_id),
                    };
                    queued += enqueue(&mut tx, &key, Some(t.case_id), &notice, now).await?;
                }
                tx.commit().await.map_err(ApiError::internal)?;
            }
            if i64::try_from(n).unwrap_or_default() < DEADLINE_BATCH {
                break;
            }
        }
    }
    Ok(queued)
}

/// The ZZD background work, until the task is aborted: once a minute the scheduled
/// synchronisation (when due) and the deadline notifications.
pub async fn run(state: AppState) {
    loop {
        if let Err(e) = sync::tick(&state).await {
            tracing::warn!(error = %e, "zzd sync schedule");
        }
        if let Err(e) = notify_deadlines(&state).await {
            tracing::warn!(error = %e, "zzd deadline notifications");
        }
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
    }
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_owned() } else { format!("{}…", s.chars().take(n).collect::<String>()) }
}

/// `yyyy-MM-dd HH:mm`, China time.
fn china_minute(ms: i64) -> String {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let t = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset);
    t.format(time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]")).unwrap_or_default()
}

/// The `msg` of a notice: an OA message, at most 2048 bytes (the content is shortened to fit). In
/// the ZZD app the link opens the H5 entry, which logs in without a password (免登) and goes on to
/// the page; on the PC it opens the page.
fn compose(notice: &Notice, app_url: &str) -> String {
    let base = app_url.trim_end_matches('/');
    let pc_url = format!("{base}{}", notice.link);
    let redirect = serde_urlencoded::to_string([("redirect", notice.link.as_str())]).unwrap_or_default();
    let url = format!("{base}/zzd/h5?{redirect}");
    let mut content: String = notice.content.clone();
    loop {
        let msg = json!({
            "msgtype": "oa",
            "oa": {
                "message_url": url,
                "pc_message_url": pc_url,
                "head": { "text": "獬豸智慧执法" },
                "body": { "title": notice.title, "content": content },
            }
        })
        .to_string();
        if msg.len() <= z::MAX_MSG_BYTES || content.is_empty() {
            return msg;
        }
        let keep = content.chars().count().saturating_sub(20);
        content = format!("{}…", content.chars().take(keep).collect::<String>().trim_end_matches('…'));
    }
}

fn logged(
    interface: &str,
    status: Option<i64>,
    outcome: &'static str,
    error: String,
    request: String,
    response: String,
    started: std::time::Instant,
) -> Logged {
    Logged {
        system: system::ZZD.into(),
        interface: interface.into(),
        http_status: status,
        outcome,
        error,
        request,
        response,
        duration_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
    }
}

/// Send one work notification (the relay records the outcome). The bizMsgId is the outbox event
/// id, so a repeat after an unknown outcome is dropped by ZZD.
pub async fn deliver(state: &AppState, http: &reqwest::Client, m: &MessageRow) -> Attempt {
    let started = std::time::Instant::now();
    let s = match settings(state, system::ZZD).await {
        Ok(s) => s,
        Err(e) => {
            return Attempt { outcome: Outcome::Retry(format!("读取浙政钉配置失败：{e}")), log: Vec::new() };
        }
    };
    if !s.enabled {
        return Attempt { outcome: Outcome::Rejected("浙政钉对接未启用".into()), log: Vec::new() };
    }
    let notice: Notice = match serde_json::from_str(&m.payload) {
        Ok(n) => n,
        Err(e) => {
            return Attempt { outcome: Outcome::Rejected(format!("无效的通知内容：{e}")), log: Vec::new() };
        }
    };
    if let Some(task) = notice.task_id {
        let open = match state.db.conn().await {
            Ok(mut conn) => store::task_open(&mut conn, task).await,
            Err(e) => Err(e),
        };
        match open {
            Ok(true) => {}
            // Finished before the notice went out: nothing to tell.
            Ok(false) => {
                return Attempt { outcome: Outcome::Delivered { reference: "task_closed".into() }, log: Vec::new() };
            }
            Err(e) => return Attempt { outcome: Outcome::Retry(format!("读取任务失败：{e}")), log: Vec::new() },
        }
    }
    let app_url = match option_str(&s, "app_url") {
        u if u.is_empty() => state.self_url.get().unwrap_or_default().to_owned(),
        u => u,
    };
    let receivers: Vec<String> = notice.receiver_ids.iter().map(i64::to_string).collect();
    let params = vec![
        ("receiverIds".to_owned(), receivers.join(",")),
        ("tenantId".to_owned(), option_str(&s, "tenant_id")),
        ("bizMsgId".to_owned(), m.event_id.clone()),
        ("msg".to_owned(), compose(&notice, &app_url)),
    ];
    let request = serde_json::to_string(&params).unwrap_or_default();
    let r = call::<z::Sent>(http, &s, reqwest::Method::POST, path::WORK_NOTIFICATION, params).await;
    let (outcome, log) = match r {
        Ok((sent, raw)) => (
            Outcome::Delivered { reference: sent.msg_id },
            logged("work_notification", Some(200), "ok", String::new(), request, raw, started),
        ),
        Err((e, raw)) => {
            let text = e.to_string();
            match e {
                GatewayError::NotSent(_) => (
                    Outcome::Retry(text.clone()),
                    logged("work_notification", None, "retry", text, request, raw, started),
                ),
                GatewayError::Unknown(_) => (
                    Outcome::Unknown(text.clone()),
                    logged("work_notification", None, "unknown", text, request, raw, started),
                ),
                GatewayError::Answer { code, .. } if code == z::code::BAD_PARAM || code == z::code::NO_APP => (
                    Outcome::Rejected(text.clone()),
                    logged("work_notification", Some(200), "rejected", text, request, raw, started),
                ),
                GatewayError::Answer { .. } => (
                    Outcome::Retry(text.clone()),
                    logged("work_notification", Some(200), "retry", text, request, raw, started),
                ),
            }
        }
    };
    Attempt { outcome, log: vec![log] }
}

/// Attempts before a notification is parked (the system's setting).
pub async fn max_attempts(state: &AppState) -> i64 {
    settings(state, system::ZZD).await.map(|s| s.max_attempts).unwrap_or(12)
}

/// Register the configured app with the simulator built into this server (mounted under
/// `/sim/zzd` for an empty endpoint), so that its signatures verify. Call at start-up and after
/// the ZZD settings change; the demo app is always registered.
pub async fn register_with(state: &AppState, sim: &xiezhi_sim::zzd::ZzdSim) -> ApiResult<()> {
    let s = settings(state, system::ZZD).await?;
    if s.builtin && !s.app_key.is_empty() && !s.secret.is_empty() {
        sim.register(&s.app_key, &s.secret);
    }
    Ok(())
}

/// Connection test for the settings page: fetch an access token with the configured app (signed
/// call, key and secret checked by ZZD). Answers the message to show.
pub async fn test_connection(state: &AppState, s: &Settings) -> Result<String, String> {
    let http = http().map_err(|e| e.to_string())?;
    state.zzd.forget(s).await;
    state.zzd.token(&http, s).await.map_err(|(e, _)| format!("获取 access_token 失败：{e}"))?;
    Ok("连接正常：已获取 access_token".into())
}

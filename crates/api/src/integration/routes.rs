//! HTTP routes of the external systems: settings with a connection test (item 8), the delivery
//! queue for operators (replay, cancel), the exchange log, the provincial state of a case and the
//! province's feedback endpoint (F83).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::FieldError;
use xiezhi_domain::page::PageRequest;
use xiezhi_storage::integration::{self as store, ExchangeFilter, SystemWrite};
use xiezhi_storage::{audit, outbox};

use super::province;
use super::{Settings, system};
use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiErrorBody, ApiResult, Validator};
use crate::extract::{Json, Path, Query};
use crate::platform::flag;
use crate::{AppState, now_ms};
use xiezhi_domain::integration::gateway::SignParams;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_systems))
        .routes(routes!(update_system))
        .routes(routes!(test_system))
        .routes(routes!(list_deliveries))
        .routes(routes!(replay_delivery))
        .routes(routes!(cancel_delivery))
        .routes(routes!(list_exchanges))
        .routes(routes!(province_case))
        .routes(routes!(province_feedback))
}

const SYSTEMS: &[&str] = &[system::PROVINCE, system::ZZD, system::IRS, system::SUPERVISION];

/// Settings of an external system. The secret is never returned.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExternalSystem {
    pub code: String,
    pub name: String,
    pub enabled: bool,
    /// Empty: the simulator built into this server.
    pub endpoint: String,
    pub app_key: String,
    pub has_secret: bool,
    pub timeout_ms: i64,
    pub max_attempts: i64,
    pub schedule_minutes: i64,
    #[schema(value_type = Object)]
    pub options: Value,
    pub last_test_at: Option<i64>,
    pub last_test_ok: Option<bool>,
    pub last_test_message: String,
    pub last_run_at: Option<i64>,
    pub updated_by: String,
    pub updated_at: i64,
}

fn system_of(r: store::SystemRow) -> ExternalSystem {
    ExternalSystem {
        has_secret: !r.secret_enc.is_empty(),
        options: serde_json::from_str(&r.options).unwrap_or(Value::Null),
        enabled: flag(r.enabled),
        last_test_ok: r.last_test_ok.map(flag),
        code: r.code,
        name: r.name,
        endpoint: r.endpoint,
        app_key: r.app_key,
        timeout_ms: r.timeout_ms,
        max_attempts: r.max_attempts,
        schedule_minutes: r.schedule_minutes,
        last_test_at: r.last_test_at,
        last_test_message: r.last_test_message,
        last_run_at: r.last_run_at,
        updated_by: r.updated_by,
        updated_at: r.updated_at,
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalSystemInput {
    pub enabled: bool,
    #[serde(default)]
    pub endpoint: String,
    #[serde(default)]
    pub app_key: String,
    /// A new secret; empty or absent keeps the stored one.
    #[serde(default)]
    pub secret: Option<String>,
    pub timeout_ms: i64,
    pub max_attempts: i64,
    pub schedule_minutes: i64,
    #[schema(value_type = Object)]
    #[serde(default)]
    pub options: Value,
}

#[utoipa::path(get, path = "/api/integration/systems", tag = "integration",
    responses((status = 200, body = Vec<ExternalSystem>), (status = 403, body = ApiErrorBody)))]
async fn list_systems(
    State(s): State<AppState>,
    _a: Authorized<perm::SystemView>,
) -> ApiResult<Json<Vec<ExternalSystem>>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(store::systems(&mut conn).await?.into_iter().map(system_of).collect()))
}

fn parse(s: &AppState, input: &ExternalSystemInput) -> ApiResult<SystemWrite> {
    let mut v = Validator::new();
    let endpoint = input.endpoint.trim().trim_end_matches('/').to_owned();
    if !endpoint.is_empty()
        && (!(endpoint.starts_with("http://") || endpoint.starts_with("https://"))
            || endpoint.len() > 512
            || endpoint.contains(char::is_whitespace))
    {
        v.push(FieldError::new("endpoint", "接口地址须为 http(s):// 开头的完整网址，留空表示使用内置模拟器"));
    }
    let app_key = input.app_key.trim().to_owned();
    if app_key.chars().count() > 128 || app_key.contains(char::is_whitespace) {
        v.push(FieldError::new("app_key", "AppKey 不超过 128 个字符且不含空白"));
    }
    let secret = input.secret.as_deref().map(str::trim).filter(|x| !x.is_empty());
    if secret.is_some_and(|x| x.chars().count() > 256) {
        v.push(FieldError::new("secret", "密钥不超过 256 个字符"));
    }
    if !(100..=120_000).contains(&input.timeout_ms) {
        v.push(FieldError::new("timeout_ms", "超时须在 100–120000 毫秒之间"));
    }
    if !(1..=100).contains(&input.max_attempts) {
        v.push(FieldError::new("max_attempts", "最多尝试次数须在 1–100 之间"));
    }
    if !(0..=10_080).contains(&input.schedule_minutes) {
        v.push(FieldError::new("schedule_minutes", "同步周期须在 0–10080 分钟之间（0 表示仅手动）"));
    }
    let options = match &input.options {
        Value::Null => Value::Object(Default::default()),
        Value::Object(_) => input.options.clone(),
        _ => {
            v.push(FieldError::new("options", "扩展设置须为 JSON 对象"));
            Value::Null
        }
    };
    if input.enabled && app_key.is_empty() {
        v.push(FieldError::new("app_key", "启用对接前须填写 AppKey"));
    }
    v.finish()?;
    Ok(SystemWrite {
        enabled: input.enabled,
        endpoint,
        app_key,
        secret_enc: secret.map(|x| s.cipher.encrypt(x)),
        timeout_ms: input.timeout_ms,
        max_attempts: input.max_attempts,
        schedule_minutes: input.schedule_minutes,
        options: options.to_string(),
    })
}

/// Change the settings of a system (audited; the secret is stored encrypted and never shown).
#[utoipa::path(put, path = "/api/integration/systems/{code}", tag = "integration", request_body = ExternalSystemInput,
    params(("code" = String, Path, description = "province, zzd, irs or supervision")),
    responses((status = 200, body = ExternalSystem), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_system(
    State(s): State<AppState>,
    auth: Authorized<perm::SystemEdit>,
    Path(code): Path<String>,
    Json(input): Json<ExternalSystemInput>,
) -> ApiResult<Json<ExternalSystem>> {
    if !SYSTEMS.contains(&code.as_str()) {
        return Err(ApiError::NotFound);
    }
    let w = parse(&s, &input)?;
    let mut tx = s.db.begin().await?;
    let before = system_of(store::system(&mut tx, &code).await?);
    if w.enabled && w.secret_enc.is_none() && !before.has_secret {
        return Err(ApiError::field("secret", "启用对接前须设置密钥"));
    }
    store::update_system(&mut tx, &code, &w, &auth.username, now_ms()).await?;
    let after = system_of(store::system(&mut tx, &code).await?);
    let mut snap = serde_json::to_value(&after).map_err(ApiError::internal)?;
    if w.secret_enc.is_some()
        && let Some(o) = snap.as_object_mut()
    {
        o.insert("secret_changed".into(), Value::Bool(true));
    }
    let summary =
        format!("修改外部系统 {} 的对接配置{}", after.name, if w.secret_enc.is_some() { "（已更换密钥）" } else { "" });
    audit::append(&mut tx, &auth.audit("external.update", "external_system", &code, summary, Some(snap))).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    s.tokens.forget(&code).await;
    super::sync_builtin(&s).await?;
    Ok(Json(after))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectionTest {
    pub ok: bool,
    pub message: String,
    pub duration_ms: i64,
}

/// Try the connection: gateway systems fetch fresh secrets, the others answer an HTTP request.
#[utoipa::path(post, path = "/api/integration/systems/{code}/test", tag = "integration",
    params(("code" = String, Path, description = "province, zzd, irs or supervision")),
    responses((status = 200, body = ConnectionTest), (status = 404, body = ApiErrorBody)))]
async fn test_system(
    State(s): State<AppState>,
    auth: Authorized<perm::SystemEdit>,
    Path(code): Path<String>,
) -> ApiResult<Json<ConnectionTest>> {
    if !SYSTEMS.contains(&code.as_str()) {
        return Err(ApiError::NotFound);
    }
    let settings = super::settings(&s, &code).await?;
    let started = std::time::Instant::now();
    let result = probe(&s, &settings).await;
    let (ok, message) = match result {
        Ok(m) => (true, m),
        Err(m) => (false, m),
    };
    let mut tx = s.db.begin().await?;
    store::set_test_result(&mut tx, &code, ok, &message, now_ms()).await?;
    let summary = format!("外部系统 {} 连接测试：{}", settings.name, if ok { "成功" } else { "失败" });
    let mut entry = auth.audit("external.test", "external_system", &code, summary, None);
    if !ok {
        entry.outcome = "failure";
    }
    audit::append(&mut tx, &entry).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(ConnectionTest { ok, message, duration_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(0) }))
}

async fn probe(s: &AppState, settings: &Settings) -> Result<String, String> {
    let http = reqwest::Client::new();
    if settings.code == system::PROVINCE || settings.code == system::IRS {
        if settings.app_key.is_empty() || settings.secret.is_empty() {
            return Err("未配置 AppKey 或密钥".into());
        }
        s.tokens.forget(&settings.code).await;
        s.tokens.params(&http, settings).await.map_err(|e| e.to_string())?;
        return Ok(format!("网关鉴权成功（{}）", settings.base_url));
    }
    let url = settings.url("/")?;
    let res = http.get(&url).timeout(settings.timeout).send().await.map_err(|e| format!("无法连接 {url}：{e}"))?;
    Ok(format!("{url} 可以连接（HTTP {}）", res.status().as_u16()))
}

// ---- deliveries -----------------------------------------------------------------------------------

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// `source_callback`, `province`, `zzd_notice` …
    pub channel: Option<String>,
    /// `pending`, `delivered`, `parked`, `cancelled`.
    pub status: Option<String>,
    /// Only messages that failed at least once.
    pub failed: Option<bool>,
    /// Event id, ordering key, remote reference or case number (exact).
    pub keyword: Option<String>,
    pub case_id: Option<i64>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    pub id: i64,
    pub channel: String,
    pub event_id: String,
    pub ordering_key: String,
    pub case_id: Option<i64>,
    pub case_no: Option<String>,
    pub status: String,
    /// The last attempt may have arrived; the next one checks by query first.
    pub in_flight: bool,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: String,
    pub reference: String,
    #[schema(value_type = Object)]
    pub payload: Value,
    pub created_at: i64,
    pub updated_at: i64,
    pub delivered_at: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryCount {
    pub channel: String,
    pub status: String,
    pub count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryPage {
    pub items: Vec<Delivery>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    pub counts: Vec<DeliveryCount>,
}

const STATUSES: &[&str] = &["pending", "delivered", "parked", "cancelled"];

/// The delivery queue (outbox), newest first, with counts per channel and status.
#[utoipa::path(get, path = "/api/integration/deliveries", tag = "integration", params(DeliveryQuery),
    responses((status = 200, body = DeliveryPage), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn list_deliveries(
    State(s): State<AppState>,
    _a: Authorized<perm::DeliveryView>,
    Query(q): Query<DeliveryQuery>,
) -> ApiResult<Json<DeliveryPage>> {
    let page = PageRequest::new(q.page, q.page_size)?;
    if q.status.as_deref().is_some_and(|x| !STATUSES.contains(&x)) {
        return Err(ApiError::field("status", "状态只能是 pending、delivered、parked 或 cancelled"));
    }
    let f = outbox::Filter {
        channel: q.channel.filter(|x| !x.is_empty()),
        status: q.status.filter(|x| !x.is_empty()),
        case_id: q.case_id,
        failed_only: q.failed.unwrap_or(false),
        keyword: q.keyword.map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()),
    };
    let mut conn = s.db.conn().await?;
    let (rows, total) = outbox::list(&mut conn, &f, page.page_size, page.offset()).await?;
    let counts = outbox::counts(&mut conn).await?;
    Ok(Json(DeliveryPage {
        items: rows
            .into_iter()
            .map(|r| {
                let m = r.message;
                Delivery {
                    id: m.id,
                    payload: serde_json::from_str(&m.payload).unwrap_or(Value::Null),
                    channel: m.channel,
                    event_id: m.event_id,
                    ordering_key: m.ordering_key,
                    case_id: m.case_id,
                    case_no: r.case_no,
                    status: m.status,
                    in_flight: m.in_flight != 0,
                    attempts: m.attempts,
                    next_attempt_at: m.next_attempt_at,
                    last_error: m.last_error,
                    reference: m.reference,
                    created_at: m.created_at,
                    updated_at: m.updated_at,
                    delivered_at: m.delivered_at,
                }
            })
            .collect(),
        total,
        page: page.page,
        page_size: page.page_size,
        counts: counts.into_iter().map(|(channel, status, count)| DeliveryCount { channel, status, count }).collect(),
    }))
}

async fn operate(
    s: &AppState,
    auth: &Authorized<perm::DeliveryManage>,
    id: i64,
    replay: bool,
) -> ApiResult<StatusCode> {
    let mut tx = s.db.begin().await?;
    let m = outbox::get(&mut tx, id).await?;
    let now = now_ms();
    let done = if replay { outbox::replay(&mut tx, id, now).await? } else { outbox::cancel(&mut tx, id, now).await? };
    if !done {
        return Err(ApiError::Conflict {
            code: "delivery_finished",
            message: "该投递已完成或已取消，不能再操作".into(),
            field: None,
        });
    }
    let (action, word) = if replay { ("delivery.replay", "重新投递") } else { ("delivery.cancel", "取消投递") };
    let summary = format!("{word}：{} 通道消息 {}（已尝试 {} 次）", m.channel, m.event_id, m.attempts);
    audit::append(&mut tx, &auth.audit(action, "delivery", id, summary, None)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Send a parked or waiting message again now with a fresh retry budget (audited). A message whose
/// last attempt may have arrived is checked by query before it is resent.
#[utoipa::path(post, path = "/api/integration/deliveries/{id}/replay", tag = "integration",
    params(("id" = i64, Path, description = "delivery id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn replay_delivery(
    State(s): State<AppState>,
    auth: Authorized<perm::DeliveryManage>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    operate(&s, &auth, id, true).await
}

/// Give up on a waiting or parked message (audited).
#[utoipa::path(post, path = "/api/integration/deliveries/{id}/cancel", tag = "integration",
    params(("id" = i64, Path, description = "delivery id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn cancel_delivery(
    State(s): State<AppState>,
    auth: Authorized<perm::DeliveryManage>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    operate(&s, &auth, id, false).await
}

// ---- exchanges ----------------------------------------------------------------------------------

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExchangeQuery {
    pub system: Option<String>,
    /// `out` or `in`.
    pub direction: Option<String>,
    pub interface: Option<String>,
    /// `ok`, `retry`, `unknown`, `rejected`, `duplicate`.
    pub outcome: Option<String>,
    pub case_id: Option<i64>,
    /// Message reference (exact) or part of the case number.
    pub keyword: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Exchange {
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

#[derive(Debug, Serialize, ToSchema)]
pub struct ExchangePage {
    pub items: Vec<Exchange>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// Every request to and from the external systems, newest first.
#[utoipa::path(get, path = "/api/integration/exchanges", tag = "integration", params(ExchangeQuery),
    responses((status = 200, body = ExchangePage), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn list_exchanges(
    State(s): State<AppState>,
    _a: Authorized<perm::ExchangeView>,
    Query(q): Query<ExchangeQuery>,
) -> ApiResult<Json<ExchangePage>> {
    let page = PageRequest::new(q.page, q.page_size)?;
    let nonempty = |x: Option<String>| x.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let f = ExchangeFilter {
        system: nonempty(q.system),
        direction: nonempty(q.direction),
        interface: nonempty(q.interface),
        outcome: nonempty(q.outcome),
        case_id: q.case_id,
        keyword: nonempty(q.keyword),
        from: q.from,
        to: q.to,
    };
    let mut conn = s.db.conn().await?;
    let (rows, total) = store::exchanges(&mut conn, &f, page.page_size, page.offset()).await?;
    Ok(Json(ExchangePage {
        items: rows
            .into_iter()
            .map(|r| Exchange {
                id: r.id,
                system: r.system,
                direction: r.direction,
                interface: r.interface,
                outbox_id: r.outbox_id,
                case_id: r.case_id,
                case_no: r.case_no,
                reference: r.reference,
                http_status: r.http_status,
                outcome: r.outcome,
                error: r.error,
                request: r.request,
                response: r.response,
                duration_ms: r.duration_ms,
                created_at: r.created_at,
            })
            .collect(),
        total,
        page: page.page,
        page_size: page.page_size,
    }))
}

// ---- province -------------------------------------------------------------------------------------

/// Where a case stands at the provincial platform.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProvinceCase {
    /// `scheme1`, `scheme3` or `clue`.
    pub interface: String,
    pub interface_name: String,
    pub push_id: String,
    /// The province's identifier.
    pub remote_id: String,
    /// `queued`, `pushed`, `transferred`, `disposed`, `released` or `failed`.
    pub status: String,
    pub status_name: String,
    pub transferred_to: String,
    pub result: String,
    pub pushed_at: Option<i64>,
    pub transferred_at: Option<i64>,
    pub disposed_at: Option<i64>,
    pub updated_at: i64,
}

fn status_name(s: &str) -> &'static str {
    match s {
        "queued" => "待推送",
        "pushed" => "已推送，省平台研判中",
        "transferred" => "省平台已转交",
        "disposed" => "已反馈处置结果",
        "released" => "已解除",
        "failed" => "推送失败",
        _ => "未知",
    }
}

/// The provincial state of a case (null when it was not pushed).
#[utoipa::path(get, path = "/api/integration/province/cases/{id}", tag = "integration",
    params(("id" = i64, Path, description = "case id")),
    responses((status = 200, body = Option<ProvinceCase>), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
async fn province_case(
    State(s): State<AppState>,
    auth: Authorized<perm::CaseView>,
    Path(id): Path<i64>,
) -> ApiResult<Json<Option<ProvinceCase>>> {
    let mut conn = s.db.conn().await?;
    crate::clue::case::ensure_visible(&mut conn, &auth, id).await?;
    let r = province::case_status(&mut conn, id).await?;
    Ok(Json(r.map(|r| {
        ProvinceCase {
            interface_name: xiezhi_domain::integration::province::Interface::parse(&r.interface)
                .map(|i| i.label())
                .unwrap_or_default()
                .into(),
            status_name: status_name(&r.status).into(),
            interface: r.interface,
            push_id: r.push_id,
            remote_id: r.remote_id,
            status: r.status,
            transferred_to: r.transferred_to,
            result: r.result,
            pushed_at: r.pushed_at,
            transferred_at: r.transferred_at,
            disposed_at: r.disposed_at,
            updated_at: r.updated_at,
        }
    })))
}

/// F83 执法反馈推送: the provincial platform reports a transfer or a disposal result. Signed like a
/// gateway call (`appKey`, `requestTime`, `sign = md5(appKey + secret + requestTime)`) with the
/// province link's own key; idempotent by `feedbackId`. Answers the gateway envelope.
#[utoipa::path(post, path = "/api/integration/province/feedback", tag = "integration", params(SignParams),
    request_body(content = Object, description = "Feedback (docs/integrations/province.md)"),
    responses((status = 200, description = "envelope with code 00"), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
async fn province_feedback(
    State(s): State<AppState>,
    Query(params): Query<SignParams>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let body = match crate::clue::intake::body_of(body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    match province::receive_feedback(&s, &params, &body).await {
        Ok(env) => axum::Json(env).into_response(),
        Err(e) => e.into_response(),
    }
}

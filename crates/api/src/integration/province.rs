//! The provincial enforcement platform (F15–F17, F82–F88): new cases of the configured
//! categories are pushed through the outbox (scheme 1 for enterprises, scheme 3 for persons and
//! organisations, the subject-less clue push otherwise); the province's transfer and disposal
//! come back by feedback push (F83) or by the scheduled status queries (F84, F86); the disposal
//! result advances the case's workflow (`province_feedback`); a case voided or recalled here is
//! released at the province (F87). Contract: docs/integrations/province.md.

use std::sync::Arc;
use std::time::Instant;

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use xiezhi_domain::integration::china_time;
use xiezhi_domain::integration::gateway::{self as gw, Envelope, SignParams};
use xiezhi_domain::integration::province::{
    self as p, Accepted, Interface, Progress, Push, QueryAnswer, Release, status,
};
use xiezhi_sim::province::{ProvinceConfig, ProvinceSim};
use xiezhi_storage::Conn;
use xiezhi_storage::clue::case::{self as cases, CaseState, NewEvent};
use xiezhi_storage::integration::{self as store, ProvinceCaseRow};
use xiezhi_storage::outbox::{self, MessageRow, NewMessage};

use super::gateway as client;
use super::relay::{Attempt, Found, Logged, Outcome, record_exchange};
use super::{Settings, system};
use crate::clue::rules::{Key, Rules};
use crate::{ApiError, ApiResult, AppState, now_ms};

pub const CHANNEL: &str = "province";
const SOURCE_SYSTEM: &str = "丽水市智慧执法平台（獬豸）";

/// An outbox message of the province channel.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Message {
    Push { interface: Interface, push: Box<Push> },
    Release { interface: Interface, release: Release },
}

/// `options` of the province settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// Category code prefixes whose new cases are pushed (`E05`, `E0502` …); empty = every category.
    pub categories: Vec<String>,
    /// Push clues with an enterprise subject through scheme 1 (else through scheme 3).
    pub scheme1_for_enterprise: bool,
    /// Push clues with a person or organisation subject through scheme 3 (else as subject-less clues).
    pub scheme3_for_person: bool,
}

impl Options {
    pub fn of(v: &Value) -> Options {
        serde_json::from_value(v.clone()).unwrap_or_default()
    }
    fn covers(&self, category: &str) -> bool {
        self.categories.is_empty() || self.categories.iter().any(|c| category.starts_with(c.as_str()))
    }
}

fn province_event(case_id: i64, action: &str, name: &str, comment: String, now: i64) -> NewEvent {
    NewEvent {
        case_id,
        at: now,
        actor_name: "省执法平台".into(),
        action: action.into(),
        action_name: name.into(),
        comment,
        ..Default::default()
    }
}

async fn event(tx: &mut Conn, case_id: i64, action: &str, name: &str, comment: String, now: i64) -> ApiResult<()> {
    cases::insert_event(tx, &province_event(case_id, action, name, comment, now)).await?;
    Ok(())
}

/// Whether intake pushes a new case to the province, and with which options: when the province
/// link is enabled and the case's category is configured. Clues that came from the province stay
/// here.
pub async fn pushes(
    rules: &Rules,
    tx: &mut Conn,
    source_kind: &str,
    category_code: &str,
) -> ApiResult<Option<Options>> {
    let row = rules.get(Key::System(system::PROVINCE), store::system(tx, system::PROVINCE)).await?;
    if row.enabled == 0 || source_kind == "province" {
        return Ok(None);
    }
    let opts = Options::of(&serde_json::from_str(&row.options).unwrap_or(Value::Null));
    Ok(opts.covers(category_code).then_some(opts))
}

/// At intake, in the transaction that creates the case, for a case that [`pushes`] sends (with
/// those options): queue the push. Returns the timeline event for the caller to write.
pub async fn queue_new_case(tx: &mut Conn, case_id: i64, opts: &Options, now: i64) -> ApiResult<NewEvent> {
    let c = cases::case_row(tx, case_id).await?;
    let subject = c.subject_type.as_deref().map(|t| p::Subject {
        subject_type: match t {
            "enterprise" => "enterprise".into(),
            "person" => "person".into(),
            _ => "organisation".into(),
        },
        name: c.subject_name.clone().unwrap_or_default(),
        credit_code: c.subject_code.clone().filter(|_| t == "enterprise"),
    });
    let interface = match &subject {
        Some(s) if s.subject_type == "enterprise" && s.credit_code.is_some() && opts.scheme1_for_enterprise => {
            Interface::Scheme1
        }
        Some(_) if opts.scheme3_for_person || opts.scheme1_for_enterprise => Interface::Scheme3,
        _ => Interface::Clue,
    };
    let push_id = format!("LSXZ-{}", c.case_no);
    let push = Push {
        clue_id: push_id.clone(),
        case_no: c.case_no.clone(),
        title: c.title.clone(),
        description: c.description.clone(),
        address: c.address.clone(),
        region_code: c.region_code.clone(),
        lon: c.lon,
        lat: c.lat,
        category_code: c.category_code.clone(),
        category_name: c.category_name.clone(),
        severity: c.severity_code.clone(),
        report_time: china_time(c.reported_at),
        subject: if interface == Interface::Clue { None } else { subject },
        source_system: SOURCE_SYSTEM.into(),
    };
    store::queue_province_case(tx, case_id, interface.as_str(), &push_id, now).await?;
    let payload =
        serde_json::to_string(&Message::Push { interface, push: Box::new(push) }).map_err(ApiError::internal)?;
    outbox::enqueue(
        tx,
        &NewMessage {
            channel: CHANNEL,
            target_id: 0,
            ordering_key: &format!("province:case:{case_id}"),
            event_id: &push_id,
            payload: &payload,
            case_id: Some(case_id),
            now,
        },
    )
    .await?;
    Ok(province_event(
        case_id,
        "province_push",
        "推送省平台",
        format!("按“{}”排队推送至省执法平台", interface.label()),
        now,
    ))
}

/// After a transition: a case voided, or recalled from the province, is released there (F87).
pub async fn after_transition(tx: &mut Conn, case: &CaseState, action: &str, comment: &str, now: i64) -> ApiResult<()> {
    if !(case.status == "voided" || action == "recall") {
        return Ok(());
    }
    let Some(pc) = store::province_case(tx, case.id).await? else { return Ok(()) };
    if !matches!(pc.status.as_str(), "queued" | "pushed" | "transferred") {
        return Ok(());
    }
    let interface = Interface::parse(&pc.interface).unwrap_or(Interface::Clue);
    let reason = if comment.is_empty() { "已由属地收回办理".to_owned() } else { comment.to_owned() };
    let payload = serde_json::to_string(&Message::Release {
        interface,
        release: Release { clue_id: pc.push_id.clone(), reason },
    })
    .map_err(ApiError::internal)?;
    outbox::enqueue(
        tx,
        &NewMessage {
            channel: CHANNEL,
            target_id: 0,
            ordering_key: &format!("province:case:{}", case.id),
            event_id: &format!("{}-release-{}", pc.push_id, hex::encode(rand::random::<[u8; 4]>())),
            payload: &payload,
            case_id: Some(case.id),
            now,
        },
    )
    .await?;
    event(tx, case.id, "province_push", "解除省平台线索", "已排队通知省执法平台解除该线索".into(), now).await
}

fn log(
    interface: &str,
    outcome: &'static str,
    error: String,
    request: &Value,
    response: String,
    started: Instant,
) -> Logged {
    Logged::new(system::PROVINCE, interface, outcome, error, request.to_string(), response, started)
}

/// One attempt of a province message.
pub async fn deliver(state: &AppState, http: &reqwest::Client, m: &MessageRow) -> Attempt {
    let msg: Message = match serde_json::from_str(&m.payload) {
        Ok(x) => x,
        Err(e) => return Attempt { outcome: Outcome::Rejected(format!("消息无法解析：{e}")), log: Vec::new() },
    };
    let s = match super::settings(state, system::PROVINCE).await {
        Ok(s) if s.enabled => s,
        Ok(_) => return Attempt { outcome: Outcome::Retry("省平台对接已停用".into()), log: Vec::new() },
        Err(e) => return Attempt { outcome: Outcome::Retry(e.to_string()), log: Vec::new() },
    };
    match &msg {
        Message::Push { interface, push } => {
            let body = serde_json::to_value(push).unwrap_or_default();
            client::push_attempt(&state.tokens, http, &s, interface.path(), &body, |a: Accepted| a.province_id).await
        }
        Message::Release { release, .. } => {
            let body = serde_json::to_value(release).unwrap_or_default();
            client::push_attempt(&state.tokens, http, &s, p::COMMAND_RELEASE, &body, |pr: Progress| pr.province_id)
                .await
        }
    }
}

/// Did an earlier attempt arrive? Asks the matching query interface.
pub async fn reconcile(state: &AppState, http: &reqwest::Client, m: &MessageRow) -> (Found, Vec<Logged>) {
    let Ok(msg) = serde_json::from_str::<Message>(&m.payload) else { return (Found::Missing, Vec::new()) };
    let s = match super::settings(state, system::PROVINCE).await {
        Ok(s) => s,
        Err(e) => return (Found::Unknown(e.to_string()), Vec::new()),
    };
    let (interface, clue_id, release) = match &msg {
        Message::Push { interface, push } => (*interface, push.clue_id.clone(), false),
        Message::Release { interface, release } => (*interface, release.clue_id.clone(), true),
    };
    let body = json!({ "clueIds": [clue_id] });
    client::query_found(&state.tokens, http, &s, interface.query_path(), &body, |answer: QueryAnswer| {
        answer
            .items
            .into_iter()
            .find(|i| i.clue_id == clue_id && (!release || i.status == status::RELEASED))
            .map(|i| i.province_id)
    })
    .await
}

/// Record a delivered message on the case (same transaction as the outbox update).
pub async fn on_delivered(tx: &mut Conn, m: &MessageRow, reference: &str, now: i64) -> ApiResult<()> {
    let Ok(msg) = serde_json::from_str::<Message>(&m.payload) else { return Ok(()) };
    match msg {
        Message::Push { push, interface } => {
            let Some(mut pc) = store::province_case_by_push(tx, &push.clue_id).await? else { return Ok(()) };
            if matches!(pc.status.as_str(), "queued" | "failed") {
                pc.status = "pushed".into();
            }
            pc.remote_id = reference.to_owned();
            pc.pushed_at = Some(now);
            pc.updated_at = now;
            store::update_province_case(tx, &pc).await?;
            let text = format!("已通过“{}”推送至省执法平台，省平台编号 {reference}", interface.label());
            event(tx, pc.case_id, "province_push", "推送省平台", text, now).await
        }
        Message::Release { release, .. } => {
            let Some(mut pc) = store::province_case_by_push(tx, &release.clue_id).await? else { return Ok(()) };
            pc.status = "released".into();
            pc.updated_at = now;
            store::update_province_case(tx, &pc).await?;
            event(
                tx,
                pc.case_id,
                "province_progress",
                "省平台已解除",
                format!("省执法平台已解除该线索：{}", release.reason),
                now,
            )
            .await
        }
    }
}

/// Record a parked message on the case.
pub async fn on_parked(tx: &mut Conn, m: &MessageRow, error: &str, now: i64) -> ApiResult<()> {
    let Ok(Message::Push { push, .. }) = serde_json::from_str::<Message>(&m.payload) else { return Ok(()) };
    let Some(mut pc) = store::province_case_by_push(tx, &push.clue_id).await? else { return Ok(()) };
    if pc.status == "queued" {
        pc.status = "failed".into();
        pc.updated_at = now;
        store::update_province_case(tx, &pc).await?;
    }
    event(tx, pc.case_id, "province_push", "推送省平台失败", format!("多次推送未成功，已转人工处理：{error}"), now)
        .await
}

fn rank(s: &str) -> u8 {
    match s {
        "queued" | "failed" => 0,
        "pushed" | status::RECEIVED => 1,
        status::TRANSFERRED => 2,
        status::DISPOSED => 3,
        status::RELEASED => 4,
        _ => 0,
    }
}

/// Apply what the province says about a pushed case (feedback or query answer); returns whether
/// anything changed. Stale or repeated progress changes nothing.
pub async fn apply_progress(state: &AppState, tx: &mut Conn, pr: &Progress, now: i64) -> ApiResult<bool> {
    let Some(mut pc) = store::province_case_by_push(tx, &pr.clue_id).await? else {
        return Err(ApiError::NotFound);
    };
    if rank(&pr.status) <= rank(&pc.status) || pc.status == status::RELEASED {
        return Ok(false);
    }
    if pc.remote_id.is_empty() {
        pc.remote_id = pr.province_id.clone();
    }
    if pc.pushed_at.is_none() {
        pc.pushed_at = Some(now);
    }
    if !pr.department.is_empty() && pc.transferred_to.is_empty() {
        pc.transferred_to = pr.department.clone();
        pc.transferred_at = Some(now);
        event(
            tx,
            pc.case_id,
            "province_progress",
            "省平台转交",
            format!("省执法平台研判后转交{}处理", pr.department),
            now,
        )
        .await?;
    }
    pc.status = match pr.status.as_str() {
        status::RECEIVED => "pushed".into(),
        other => other.to_owned(),
    };
    pc.updated_at = now;
    if pr.status == status::DISPOSED {
        pc.result = pr.result.clone();
        pc.disposed_at = Some(now);
    }
    store::update_province_case(tx, &pc).await?;
    if pr.status == status::DISPOSED {
        let text = format!("{}反馈处置结果：{}", pr.department, pr.result);
        event(tx, pc.case_id, "province_progress", "省平台反馈", text.clone(), now).await?;
        crate::clue::engine::act_system(&state.clue, tx, pc.case_id, "province_feedback", &text, now).await?;
    }
    Ok(true)
}

/// Ask the province about open pushes (F84, F86), 50 at a time per query interface.
pub async fn poll(state: &AppState, http: &reqwest::Client) -> ApiResult<usize> {
    let s = super::settings(state, system::PROVINCE).await?;
    if !s.enabled {
        return Ok(0);
    }
    let open = {
        let mut conn = state.db.conn().await?;
        store::province_open(&mut conn, 500).await?
    };
    let mut changed = 0;
    for path in [p::FEEDBACK_QUERY, p::COMMAND_STATUS] {
        let ids: Vec<String> = open
            .iter()
            .filter(|r| Interface::parse(&r.interface).map(Interface::query_path) == Some(path))
            .map(|r| r.push_id.clone())
            .collect();
        for chunk in ids.chunks(50) {
            let body = json!({ "clueIds": chunk });
            let started = Instant::now();
            let r = client::call::<QueryAnswer>(&state.tokens, http, &s, path, &body).await;
            let mut tx = state.db.begin().await?;
            let (outcome, error, text) = match r {
                Ok((answer, text)) => {
                    for pr in &answer.items {
                        if apply_progress(state, &mut tx, pr, now_ms()).await? {
                            changed += 1;
                        }
                    }
                    ("ok", String::new(), text)
                }
                Err((e, text)) => ("retry", e.to_string(), text),
            };
            let l = log(path, outcome, error, &body, text, started);
            record_exchange(&mut tx, "out", &l, None, None, "").await?;
            tx.commit().await.map_err(ApiError::internal)?;
        }
    }
    Ok(changed)
}

/// Poll on the configured schedule (one instance per period, claimed in the database).
pub async fn run_poller(state: AppState) {
    let http = reqwest::Client::new();
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(15)).await;
        let due = async {
            let mut conn = state.db.conn().await?;
            let row = store::system(&mut conn, system::PROVINCE).await?;
            let period = row.schedule_minutes * 60_000;
            let now = now_ms();
            if row.enabled == 0 || period == 0 || row.last_run_at.is_some_and(|t| now - t < period) {
                return Ok::<bool, ApiError>(false);
            }
            Ok(store::claim_run(&mut conn, system::PROVINCE, row.last_run_at, now).await?)
        }
        .await;
        if matches!(due, Ok(true))
            && let Err(e) = poll(&state, &http).await
        {
            tracing::warn!(error = %e, "province status poll");
        }
    }
}

/// F83: the province pushes feedback. Signed like a gateway call with our own app key and secret;
/// processed once per `feedbackId` (a repeat answers success again). Errors use the platform's
/// error body with real HTTP statuses (docs/integrations/province.md).
pub async fn receive_feedback(state: &AppState, params: &SignParams, body: &[u8]) -> ApiResult<Envelope<Value>> {
    let started = Instant::now();
    let s = super::settings(state, system::PROVINCE).await?;
    check_signature(&s, params)?;
    let fb: p::Feedback =
        serde_json::from_slice(body).map_err(|e| ApiError::BadRequest(format!("反馈报文无法解析：{e}")))?;
    let request = String::from_utf8_lossy(body).into_owned();
    let mut tx = state.db.begin().await?;
    if store::inbound_result(&mut tx, system::PROVINCE, &fb.feedback_id).await?.is_some() {
        let l = Logged {
            request,
            ..log(p::FEEDBACK_PUSH, "duplicate", String::new(), &Value::Null, String::new(), started)
        };
        record_exchange(&mut tx, "in", &l, None, None, &fb.feedback_id).await?;
        tx.commit().await.map_err(ApiError::internal)?;
        return Ok(Envelope::ok(json!({ "feedbackId": fb.feedback_id, "duplicate": true })));
    }
    let now = now_ms();
    let case_id =
        store::province_case_by_push(&mut tx, &fb.progress.clue_id).await?.map(|r| r.case_id).ok_or_else(|| {
            ApiError::Coded { status: StatusCode::NOT_FOUND, code: "unknown_clue", message: "clueId 不存在".into() }
        })?;
    apply_progress(state, &mut tx, &fb.progress, now).await?;
    store::record_inbound(&mut tx, system::PROVINCE, &fb.feedback_id, "ok", now).await?;
    let l = Logged { request, ..log(p::FEEDBACK_PUSH, "ok", String::new(), &Value::Null, String::new(), started) };
    record_exchange(&mut tx, "in", &l, None, Some(case_id), &fb.feedback_id).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Envelope::ok(json!({ "feedbackId": fb.feedback_id })))
}

fn check_signature(s: &Settings, params: &SignParams) -> ApiResult<()> {
    let refuse = |code: &'static str, message: &str| ApiError::Coded {
        status: StatusCode::UNAUTHORIZED,
        code,
        message: message.into(),
    };
    if !s.enabled || s.app_key.is_empty() || params.app_key != s.app_key {
        return Err(refuse("unknown_app_key", "appKey 未授权或省平台对接未启用"));
    }
    let t: i64 = params.request_time.parse().map_err(|_| refuse("stale_timestamp", "requestTime 无效"))?;
    if (now_ms() - t).abs() > gw::TIME_WINDOW_MS {
        return Err(refuse("stale_timestamp", "requestTime 超出允许范围"));
    }
    if !gw::sign_matches(&gw::sign(&s.app_key, &s.secret, t), &params.sign) {
        return Err(refuse("bad_signature", "签名错误"));
    }
    Ok(())
}

/// Point the built-in simulator at this server: it accepts the configured key and secret and
/// pushes its feedback to our F83 endpoint. Call after start-up and after the settings change.
pub async fn sync_builtin(state: &AppState, sim: &Arc<ProvinceSim>) -> ApiResult<()> {
    let s = super::settings(state, system::PROVINCE).await?;
    if !s.builtin || s.app_key.is_empty() {
        return Ok(());
    }
    sim.gateway.register(&s.app_key, &s.secret);
    let base = state.self_url.get().unwrap_or_default();
    let cfg = sim.config();
    sim.set_config(ProvinceConfig {
        feedback_url: format!("{base}{}", p::FEEDBACK_PUSH),
        feedback_app_key: s.app_key.clone(),
        feedback_secret: s.secret.clone(),
        ..cfg
    });
    Ok(())
}

/// The provincial state of a case, for its page.
pub async fn case_status(conn: &mut Conn, case_id: i64) -> ApiResult<Option<ProvinceCaseRow>> {
    Ok(store::province_case(conn, case_id).await?)
}

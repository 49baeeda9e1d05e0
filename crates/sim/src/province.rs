//! Simulator of the provincial enforcement platform (F82–F88, contract in
//! docs/integrations/province.md): the seven interfaces behind the IRS-style gateway.
//!
//! After a push it reviews the clue and, `review_ms` later, transfers it to a department by
//! category (F16); `dispose_ms` after that the department's disposal result is in (F17). Each
//! change is pushed to the configured feedback URL (F83, signed like a gateway call with the
//! caller's own key) and answered by the queries (F84, F86). Every push and release that takes
//! effect is appended to the effect log, duplicates included, so a test can prove exactly-once
//! delivery.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use xiezhi_domain::integration::gateway::{self as gw, Envelope, code};
use xiezhi_domain::integration::province::{
    self as p, Accepted, Feedback, Progress, Push, QueryAnswer, Release, status,
};

use crate::faults::{FaultSettings, Faults};
use crate::gateway::{Gateway, SignParams, guarded};
use crate::{china_time, now_ms};

/// Timing and the feedback target.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProvinceConfig {
    /// From receipt to transfer (研判).
    pub review_ms: i64,
    /// From transfer to the disposal result.
    pub dispose_ms: i64,
    /// Where feedback is pushed (F83); empty = only answer queries.
    pub feedback_url: String,
    /// Key and secret the feedback is signed with (the caller's own app key and secret).
    pub feedback_app_key: String,
    pub feedback_secret: String,
}

impl Default for ProvinceConfig {
    fn default() -> Self {
        ProvinceConfig {
            review_ms: 60_000,
            dispose_ms: 300_000,
            feedback_url: String::new(),
            feedback_app_key: String::new(),
            feedback_secret: String::new(),
        }
    }
}

/// One entry of the effect log.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Effect {
    pub seq: u64,
    pub at: i64,
    /// `scheme1`, `scheme3`, `clue` or `release`.
    pub kind: String,
    pub clue_id: String,
    pub app_key: String,
}

#[derive(Debug, Clone)]
struct Record {
    push: Push,
    progress: Progress,
    received_at: i64,
    transferred_at: Option<i64>,
    /// Feedback messages not yet acknowledged by the receiver: (feedback id, progress).
    outbox: Vec<(String, Progress)>,
}

#[derive(Debug, Default)]
struct Inner {
    records: HashMap<String, Record>,
    effects: Vec<Effect>,
    seq: u64,
    feedback_sent: u64,
}

/// The simulator's state.
#[derive(Debug)]
pub struct ProvinceSim {
    pub gateway: Arc<Gateway>,
    pub faults: Faults,
    config: RwLock<ProvinceConfig>,
    inner: Mutex<Inner>,
    http: reqwest::Client,
}

/// Departments clues are transferred to, by category family (the rest: the enforcement bureau).
const DEPARTMENTS: &[(&str, &str)] = &[
    ("Z01", "丽水市自然资源和规划局"),
    ("Z02", "丽水市生态环境局"),
    ("Z03", "丽水市市场监督管理局"),
    ("Z04", "丽水市交通运输局"),
];

fn department_for(category: &str) -> &'static str {
    DEPARTMENTS
        .iter()
        .find(|(prefix, _)| category.starts_with(prefix))
        .map(|(_, d)| *d)
        .unwrap_or("丽水市综合行政执法局")
}

impl ProvinceSim {
    pub fn new(config: ProvinceConfig) -> Arc<ProvinceSim> {
        Arc::new(ProvinceSim {
            gateway: Arc::new(Gateway::default()),
            faults: Faults::default(),
            config: RwLock::new(config),
            inner: Mutex::new(Inner::default()),
            http: reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap_or_default(),
        })
    }

    pub fn config(&self) -> ProvinceConfig {
        self.config.read().map(|c| c.clone()).unwrap_or_default()
    }
    pub fn set_config(&self, c: ProvinceConfig) {
        if let Ok(mut g) = self.config.write() {
            *g = c;
        }
    }

    /// The effect log (pushes and releases that took effect, in order).
    pub fn effects(&self) -> Vec<Effect> {
        self.inner.lock().map(|i| i.effects.clone()).unwrap_or_default()
    }

    /// Feedback messages sent so far (repeats included).
    pub fn feedback_sent(&self) -> u64 {
        self.inner.lock().map(|i| i.feedback_sent).unwrap_or_default()
    }

    /// Where a clue stands, if known.
    pub fn progress(&self, clue_id: &str) -> Option<Progress> {
        self.inner.lock().ok().and_then(|i| i.records.get(clue_id).map(|r| r.progress.clone()))
    }

    fn effect(inner: &mut Inner, kind: &str, clue_id: &str, app_key: &str) {
        inner.seq += 1;
        let e = Effect {
            seq: inner.seq,
            at: now_ms(),
            kind: kind.into(),
            clue_id: clue_id.into(),
            app_key: app_key.into(),
        };
        inner.effects.push(e);
    }

    fn accept(&self, interface: p::Interface, push: Push, app_key: &str) -> Result<Accepted, Envelope<()>> {
        let invalid = |m: &str| Err(Envelope::error(code::BAD_REQUEST, m));
        if push.clue_id.trim().is_empty() || push.clue_id.len() > 64 {
            return invalid("clueId 必填且不超过 64 个字符");
        }
        if push.description.trim().is_empty() {
            return invalid("description 必填");
        }
        match (interface, &push.subject) {
            (p::Interface::Scheme1, None) => return invalid("一类方案须提供法人主体"),
            (p::Interface::Scheme1, Some(s)) if s.subject_type != "enterprise" || s.credit_code.is_none() => {
                return invalid("一类方案的主体须为企业并提供统一社会信用代码");
            }
            (p::Interface::Clue, Some(_)) => return invalid("线索非主体推送不应包含主体"),
            _ => {}
        }
        let now = now_ms();
        let mut inner = self.inner.lock().map_err(|_| Envelope::error(code::UPSTREAM, "内部错误"))?;
        // A naive platform: every push that arrives takes effect (a repeat is a duplicate effect).
        Self::effect(&mut inner, interface.as_str(), &push.clue_id, app_key);
        let province_id = match inner.records.get(&push.clue_id) {
            Some(r) => r.progress.province_id.clone(),
            None => format!("ZJZF{}{:06}", &china_time(now)[..4], inner.seq),
        };
        let progress = Progress {
            clue_id: push.clue_id.clone(),
            province_id: province_id.clone(),
            status: status::RECEIVED.into(),
            department: String::new(),
            result: String::new(),
            update_time: china_time(now),
        };
        let clue_id = push.clue_id.clone();
        inner.records.entry(clue_id.clone()).or_insert(Record {
            push,
            progress,
            received_at: now,
            transferred_at: None,
            outbox: Vec::new(),
        });
        Ok(Accepted { clue_id, province_id })
    }

    fn query(&self, q: &p::Query) -> QueryAnswer {
        let inner = match self.inner.lock() {
            Ok(i) => i,
            Err(_) => return QueryAnswer { items: Vec::new() },
        };
        QueryAnswer {
            items: q.clue_ids.iter().filter_map(|id| inner.records.get(id).map(|r| r.progress.clone())).collect(),
        }
    }

    fn release(&self, r: &Release, app_key: &str) -> Result<Progress, Envelope<()>> {
        let mut inner = self.inner.lock().map_err(|_| Envelope::error(code::UPSTREAM, "内部错误"))?;
        let now = now_ms();
        let Some(rec) = inner.records.get_mut(&r.clue_id) else {
            return Err(Envelope::error(code::BAD_REQUEST, "线索不存在"));
        };
        if rec.progress.status == status::DISPOSED {
            return Err(Envelope::error(code::BAD_REQUEST, "线索已处置完毕，不能解除"));
        }
        if rec.progress.status != status::RELEASED {
            rec.progress.status = status::RELEASED.into();
            rec.progress.result = format!("已解除：{}", r.reason);
            rec.progress.update_time = china_time(now);
            let out = rec.progress.clone();
            Self::effect(&mut inner, "release", &r.clue_id, app_key);
            return Ok(out);
        }
        Ok(rec.progress.clone())
    }

    /// Move clues along (review → transfer → disposal) and queue their feedback.
    fn advance(&self, now: i64) {
        let cfg = self.config();
        let Ok(mut inner) = self.inner.lock() else { return };
        for rec in inner.records.values_mut() {
            let before = rec.progress.status.clone();
            if rec.progress.status == status::RECEIVED && now >= rec.received_at + cfg.review_ms {
                rec.progress.status = status::TRANSFERRED.into();
                rec.progress.department = department_for(&rec.push.category_code).into();
                rec.transferred_at = Some(now);
            }
            if rec.progress.status == status::TRANSFERRED
                && rec.transferred_at.is_some_and(|t| now >= t + cfg.dispose_ms)
            {
                rec.progress.status = status::DISPOSED.into();
                rec.progress.result = format!(
                    "{}已核查处置：经现场核实，{}问题属实，已责令当事人限期整改并复查，整改到位。",
                    rec.progress.department, rec.push.category_name
                );
            }
            if rec.progress.status != before {
                rec.progress.update_time = china_time(now);
                let fid = format!("FB{}-{}", rec.progress.province_id, rec.progress.status);
                rec.outbox.push((fid, rec.progress.clone()));
            }
        }
    }

    /// Push queued feedback (F83); a message stays queued until the receiver answers code 00.
    async fn push_feedback(&self) {
        let cfg = self.config();
        if cfg.feedback_url.is_empty() {
            return;
        }
        let pending: Vec<(String, String, Progress)> = match self.inner.lock() {
            Ok(i) => i
                .records
                .values()
                .flat_map(|r| r.outbox.iter().map(|(f, pr)| (r.progress.clue_id.clone(), f.clone(), pr.clone())))
                .collect(),
            Err(_) => return,
        };
        for (clue_id, fid, progress) in pending {
            let body = Feedback { feedback_id: fid.clone(), progress };
            let times = if self.faults.duplicate() { 2 } else { 1 };
            let mut acknowledged = false;
            for _ in 0..times {
                let t = now_ms();
                let sign = gw::sign(&cfg.feedback_app_key, &cfg.feedback_secret, t);
                let res = self
                    .http
                    .post(&cfg.feedback_url)
                    .query(&[("appKey", cfg.feedback_app_key.clone()), ("requestTime", t.to_string()), ("sign", sign)])
                    .json(&body)
                    .send()
                    .await;
                if let Ok(i) = self.inner.lock().as_mut() {
                    i.feedback_sent += 1;
                }
                if let Ok(r) = res
                    && r.status().is_success()
                    && let Ok(env) = r.json::<Envelope<serde_json::Value>>().await
                    && env.is_ok()
                {
                    acknowledged = true;
                }
            }
            if acknowledged
                && let Ok(mut i) = self.inner.lock()
                && let Some(rec) = i.records.get_mut(&clue_id)
            {
                rec.outbox.retain(|(f, _)| f != &fid);
            }
        }
    }

    /// Run the review and feedback loop until the task is aborted.
    pub async fn run(self: Arc<Self>) {
        let mut tick = tokio::time::interval(Duration::from_millis(200));
        loop {
            tick.tick().await;
            self.advance(now_ms());
            self.push_feedback().await;
        }
    }
}

fn push_route(interface: p::Interface) -> axum::routing::MethodRouter<Arc<ProvinceSim>> {
    post(move |State(sim): State<Arc<ProvinceSim>>, Query(params): Query<SignParams>, body: Json<Push>| async move {
        let Json(push) = body;
        guarded(&sim.faults, &sim.gateway, &params, |key| sim.accept(interface, push, key)).await
    })
}

/// Every route: the token refresh, the seven interfaces (six here; F83 is the simulator calling
/// the caller) and the operator interface under `/_sim/`.
pub fn router(sim: Arc<ProvinceSim>) -> Router {
    let api = Router::new()
        .route(p::SCHEME1_PUSH, push_route(p::Interface::Scheme1))
        .route(p::SCHEME3_PUSH, push_route(p::Interface::Scheme3))
        .route(p::CLUE_PUSH, push_route(p::Interface::Clue))
        .route(
            p::FEEDBACK_QUERY,
            post(|State(sim): State<Arc<ProvinceSim>>, Query(params): Query<SignParams>, Json(q): Json<p::Query>| async move {
                guarded(&sim.faults, &sim.gateway, &params, |_| Ok(sim.query(&q))).await
            }),
        )
        .route(
            p::COMMAND_STATUS,
            post(|State(sim): State<Arc<ProvinceSim>>, Query(params): Query<SignParams>, Json(q): Json<p::Query>| async move {
                guarded(&sim.faults, &sim.gateway, &params, |_| Ok(sim.query(&q))).await
            }),
        )
        .route(
            p::COMMAND_RELEASE,
            post(|State(sim): State<Arc<ProvinceSim>>, Query(params): Query<SignParams>, Json(r): Json<Release>| async move {
                guarded(&sim.faults, &sim.gateway, &params, |key| sim.release(&r, key)).await
            }),
        )
        .route("/_sim/effects", get(|State(sim): State<Arc<ProvinceSim>>| async move { Json(sim.effects()) }))
        .route(
            "/_sim/faults",
            get(|State(sim): State<Arc<ProvinceSim>>| async move { Json(sim.faults.get()) }).put(
                |State(sim): State<Arc<ProvinceSim>>, Json(f): Json<FaultSettings>| async move {
                    sim.faults.set(f);
                    Json(sim.faults.get())
                },
            ),
        )
        .route(
            "/_sim/config",
            get(|State(sim): State<Arc<ProvinceSim>>| async move { Json(sim.config()) }).put(
                |State(sim): State<Arc<ProvinceSim>>, Json(c): Json<ProvinceConfig>| async move {
                    sim.set_config(c);
                    Json(sim.config())
                },
            ),
        )
        .with_state(sim.clone());
    api.merge(crate::gateway::router(sim.gateway.clone()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn push(id: &str, subject: Option<p::Subject>) -> Push {
        Push {
            clue_id: id.into(),
            case_no: "331102202611270001".into(),
            title: "占道经营".into(),
            description: "中山街有人占道经营".into(),
            address: "莲都区中山街".into(),
            region_code: "331102".into(),
            lon: Some(119.92),
            lat: Some(28.45),
            category_code: "E0502".into(),
            category_name: "占道经营".into(),
            severity: "normal".into(),
            report_time: "2026-11-27 10:00:00".into(),
            subject,
            source_system: "xiezhi".into(),
        }
    }

    #[test]
    fn clues_are_reviewed_transferred_and_disposed_and_repeats_are_logged() {
        let sim = ProvinceSim::new(ProvinceConfig { review_ms: 10, dispose_ms: 10, ..Default::default() });
        assert!(sim.accept(p::Interface::Scheme1, push("A", None), "k").is_err(), "scheme 1 needs a legal entity");
        let a = sim.accept(p::Interface::Clue, push("A", None), "k").unwrap();
        let again = sim.accept(p::Interface::Clue, push("A", None), "k").unwrap();
        assert_eq!(a.province_id, again.province_id);
        assert_eq!(sim.effects().len(), 2, "a repeated push is a second effect");
        let t0 = now_ms();
        sim.advance(t0 + 20);
        assert_eq!(sim.progress("A").unwrap().status, status::TRANSFERRED);
        assert_eq!(sim.progress("A").unwrap().department, "丽水市综合行政执法局");
        sim.advance(t0 + 40);
        let done = sim.progress("A").unwrap();
        assert_eq!(done.status, status::DISPOSED);
        assert!(done.result.contains("整改"));
        assert!(sim.release(&Release { clue_id: "A".into(), reason: "x".into() }, "k").is_err());
        assert_eq!(sim.query(&p::Query { clue_ids: vec!["A".into(), "B".into()] }).items.len(), 1);
        sim.accept(p::Interface::Clue, push("B", None), "k").unwrap();
        assert_eq!(
            sim.release(&Release { clue_id: "B".into(), reason: "已自行整改".into() }, "k").unwrap().status,
            status::RELEASED
        );
        assert_eq!(sim.effects().last().unwrap().kind, "release");
    }
}

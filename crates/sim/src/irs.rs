//! Simulator of the big-data bureau's data platform (IRS, F81): the gateway's token routes and
//! the enforcement datasets, paged in keyset order, generated from a seed so that a restarted
//! simulator with the same seed and size serves identical pages.
//!
//! Operator interface (not part of the real platform):
//! - `GET/PUT /_sim/faults`: fault settings ([`FaultSettings`]);
//! - `GET /_sim/stats`: pages and records served, refused calls, dataset sizes;
//! - `PUT /_sim/size` `{"total": n}`: grow (or shrink) the datasets; new records come after the
//!   existing ones in `updatedAt` order, as new data at the real platform would;
//! - `PUT /_sim/apps` `{"appKey": …, "appSecret": …}`: register an app with the gateway.

pub mod data;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{Router, any, get, put};
use serde::{Deserialize, Serialize};
use xiezhi_domain::integration::gateway::{Envelope, code};
use xiezhi_domain::integration::irs::{self as contract, Dataset, DatasetInfo, DatasetList, Page, PullRequest};

use crate::faults::{Fault, FaultSettings, Faults};
use crate::gateway::{self, Gateway, SignParams};
use data::{Generator, SPAN_MS};

/// How the simulated platform is built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IrsConfig {
    /// Seed of the synthetic data: the same seed and size serve the same records.
    pub seed: u64,
    /// Records in all datasets together.
    pub total: u64,
}

impl Default for IrsConfig {
    fn default() -> Self {
        IrsConfig { seed: 20_240_601, total: 100_000 }
    }
}

#[derive(Debug, Default)]
struct Stats {
    pages: AtomicU64,
    records: AtomicU64,
    refused: AtomicU64,
}

/// What `/_sim/stats` answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatsView {
    pub pages: u64,
    pub records: u64,
    pub refused: u64,
    pub total: u64,
    pub datasets: Vec<DatasetInfo>,
}

/// The simulated platform.
#[derive(Debug)]
pub struct IrsSim {
    pub gateway: Arc<Gateway>,
    pub faults: Faults,
    generator: Generator,
    sizes: RwLock<Vec<(Dataset, u64)>>,
    /// Milliseconds between consecutive records of a dataset, fixed at construction so growing a
    /// dataset appends records after the existing ones.
    steps: Vec<(Dataset, i64)>,
    stats: Stats,
}

impl IrsSim {
    pub fn new(config: IrsConfig) -> IrsSim {
        let generator = Generator::new(config.seed);
        let sizes = generator.sizes(config.total);
        let steps = sizes
            .iter()
            .map(|(d, n)| {
                (*d, if d.is_dimension() { 60_000 } else { (SPAN_MS / i64::try_from(*n).unwrap_or(1).max(1)).max(1) })
            })
            .collect();
        IrsSim {
            gateway: Arc::new(Gateway::default()),
            faults: Faults::default(),
            generator,
            sizes: RwLock::new(sizes),
            steps,
            stats: Stats::default(),
        }
    }

    /// Register an app (key and secret) with the gateway in front of the platform.
    pub fn register(&self, app_key: &str, app_secret: &str) {
        self.gateway.register(app_key, app_secret);
    }

    /// Grow or shrink the datasets to `total` records in all.
    pub fn resize(&self, total: u64) {
        if let Ok(mut s) = self.sizes.write() {
            *s = self.generator.sizes(total);
        }
    }

    pub fn size(&self, d: Dataset) -> u64 {
        self.sizes.read().ok().and_then(|s| s.iter().find(|(x, _)| *x == d).map(|(_, n)| *n)).unwrap_or(0)
    }

    fn step(&self, d: Dataset) -> i64 {
        self.steps.iter().find(|(x, _)| *x == d).map_or(60_000, |(_, s)| *s)
    }

    /// Record `i` of a dataset (for tests and the operator).
    pub fn record(&self, d: Dataset, i: u64) -> contract::Record {
        self.generator.record(d, i, self.step(d))
    }

    /// The dataset list.
    pub fn datasets(&self) -> DatasetList {
        let datasets = Dataset::ALL
            .into_iter()
            .map(|d| {
                let n = self.size(d);
                DatasetInfo {
                    code: d.as_str().into(),
                    name: d.label().into(),
                    total: i64::try_from(n).unwrap_or(i64::MAX),
                    updated_to: n.checked_sub(1).map(|last| self.generator.updated_at(d, last, self.step(d))),
                }
            })
            .collect();
        DatasetList { datasets }
    }

    /// First index in `0..n` for which `before(i)` is false (`before` is monotonic).
    fn first_after(n: u64, before: impl Fn(u64) -> bool) -> u64 {
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if before(mid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// One page of a dataset.
    pub fn page(&self, d: Dataset, req: &PullRequest) -> Result<Page, Envelope<()>> {
        if !(1..=contract::MAX_PAGE_SIZE).contains(&req.page_size) {
            return Err(Envelope::error(
                code::BAD_REQUEST,
                format!("pageSize 须在 1–{} 之间", contract::MAX_PAGE_SIZE),
            ));
        }
        let n = self.size(d);
        let step = self.step(d);
        let start = match (&req.cursor, req.updated_since) {
            (Some(c), _) => {
                let (t, id) =
                    contract::parse_cursor(c).ok_or_else(|| Envelope::error(code::BAD_REQUEST, "cursor 无效"))?;
                Self::first_after(n, |i| {
                    let u = self.generator.updated_at(d, i, step);
                    u < t || (u == t && self.generator.record_id(d, i).as_str() <= id)
                })
            }
            (None, Some(since)) => Self::first_after(n, |i| self.generator.updated_at(d, i, step) <= since),
            (None, None) => 0,
        };
        let end = (start + u64::try_from(req.page_size).unwrap_or(1)).min(n);
        let records: Vec<_> = (start..end).map(|i| self.generator.record(d, i, step)).collect();
        let next_cursor =
            records.last().map(|r| contract::cursor_of(r.updated_at, &r.record_id)).or_else(|| req.cursor.clone());
        self.stats.pages.fetch_add(1, Ordering::Relaxed);
        self.stats.records.fetch_add(records.len() as u64, Ordering::Relaxed);
        Ok(Page { records, next_cursor, has_more: end < n, remaining: i64::try_from(n - start).unwrap_or(0) })
    }

    pub fn stats(&self) -> StatsView {
        let datasets = self.datasets().datasets;
        StatsView {
            pages: self.stats.pages.load(Ordering::Relaxed),
            records: self.stats.records.load(Ordering::Relaxed),
            refused: self.stats.refused.load(Ordering::Relaxed),
            total: datasets.iter().map(|d| u64::try_from(d.total).unwrap_or(0)).sum(),
            datasets,
        }
    }

    /// Check the signature of a data call; counts refusals.
    fn check(&self, p: &SignParams) -> Result<(), Envelope<()>> {
        self.gateway.check(p).map(|_| ()).inspect_err(|_| {
            self.stats.refused.fetch_add(1, Ordering::Relaxed);
        })
    }
}

fn refusal<T: Serialize>(e: Envelope<()>) -> Json<Envelope<T>> {
    Json(Envelope::error(&e.code, e.msg))
}

async fn list(State(sim): State<Arc<IrsSim>>, Query(p): Query<SignParams>) -> Response {
    let fault = match sim.faults.before().await {
        Ok(f) => f,
        Err(r) => return r,
    };
    if let Err(e) = sim.check(&p) {
        return refusal::<DatasetList>(e).into_response();
    }
    if fault == Fault::DropAfterCommit {
        return crate::faults::reset();
    }
    Json(Envelope::ok(sim.datasets())).into_response()
}

async fn pull(
    State(sim): State<Arc<IrsSim>>,
    Path(dataset): Path<String>,
    Query(p): Query<SignParams>,
    body: Bytes,
) -> Response {
    let fault = match sim.faults.before().await {
        Ok(f) => f,
        Err(r) => return r,
    };
    if let Err(e) = sim.check(&p) {
        return refusal::<Page>(e).into_response();
    }
    let Some(d) = Dataset::parse(&dataset) else {
        return Json(Envelope::<Page>::error(code::NO_ACCESS, format!("未开放的数据集 {dataset}"))).into_response();
    };
    let req: PullRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return Json(Envelope::<Page>::error(code::BAD_REQUEST, format!("请求体无效：{e}"))).into_response(),
    };
    let answer = match sim.page(d, &req) {
        Ok(page) => Envelope::ok(page),
        Err(e) => Envelope::error(&e.code, e.msg),
    };
    if fault == Fault::DropAfterCommit {
        return crate::faults::reset();
    }
    Json(answer).into_response()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SizeInput {
    total: u64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AppInput {
    app_key: String,
    app_secret: String,
}

/// The simulator's routes: the gateway's token routes, the data APIs and `/_sim/`.
pub fn router(state: Arc<IrsSim>) -> Router {
    let gw = gateway::router(state.gateway.clone());
    Router::new()
        .route(contract::DATASETS, any(list))
        .route(&format!("{}{{dataset}}", contract::DATA_PREFIX), any(pull))
        .route(
            "/_sim/faults",
            get(|State(s): State<Arc<IrsSim>>| async move { Json(s.faults.get()) }).put(
                |State(s): State<Arc<IrsSim>>, Json(f): Json<FaultSettings>| async move {
                    s.faults.set(f);
                    StatusCode::NO_CONTENT
                },
            ),
        )
        .route("/_sim/stats", get(|State(s): State<Arc<IrsSim>>| async move { Json(s.stats()) }))
        .route(
            "/_sim/size",
            put(|State(s): State<Arc<IrsSim>>, Json(i): Json<SizeInput>| async move {
                s.resize(i.total);
                Json(s.stats())
            }),
        )
        .route(
            "/_sim/apps",
            put(|State(s): State<Arc<IrsSim>>, Json(a): Json<AppInput>| async move {
                if a.app_key.is_empty() || a.app_secret.is_empty() {
                    return StatusCode::UNPROCESSABLE_ENTITY;
                }
                s.register(&a.app_key, &a.app_secret);
                StatusCode::NO_CONTENT
            }),
        )
        .with_state(state)
        .merge(gw)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    use xiezhi_domain::integration::gateway as gw;

    fn sim(total: u64) -> IrsSim {
        IrsSim::new(IrsConfig { seed: 11, total })
    }

    fn pull_all(s: &IrsSim, d: Dataset, size: i64) -> Vec<contract::Record> {
        let mut out = Vec::new();
        let mut cursor = None;
        loop {
            let p = s.page(d, &PullRequest { cursor: cursor.clone(), updated_since: None, page_size: size }).unwrap();
            out.extend(p.records);
            cursor = p.next_cursor;
            if !p.has_more {
                return out;
            }
        }
    }

    #[test]
    fn paging_by_cursor_returns_every_record_once_in_order() {
        let s = sim(5_000);
        for d in Dataset::ALL {
            let all = pull_all(&s, d, 97);
            assert_eq!(all.len() as u64, s.size(d), "{d:?}");
            assert!(all.windows(2).all(|w| (w[0].updated_at, &w[0].record_id) < (w[1].updated_at, &w[1].record_id)));
            let ids: std::collections::HashSet<_> = all.iter().map(|r| r.record_id.clone()).collect();
            assert_eq!(ids.len(), all.len());
        }
        assert_eq!(Dataset::ALL.iter().map(|d| s.size(*d)).sum::<u64>(), 5_000);
    }

    #[test]
    fn a_restarted_simulator_serves_identical_pages_from_a_checkpoint() {
        let a = sim(2_000);
        let first = a.page(Dataset::Penalty, &PullRequest { page_size: 50, ..Default::default() }).unwrap();
        let req = PullRequest { cursor: first.next_cursor.clone(), page_size: 50, updated_since: None };
        let b = sim(2_000);
        assert_eq!(a.page(Dataset::Penalty, &req).unwrap(), b.page(Dataset::Penalty, &req).unwrap());
        assert_eq!(b.page(Dataset::Penalty, &req).unwrap().records[0], a.record(Dataset::Penalty, 50));
    }

    #[test]
    fn updated_since_and_growth_give_incremental_pulls() {
        let s = sim(3_000);
        let all = pull_all(&s, Dataset::Inspection, 500);
        let mid = &all[all.len() / 2];
        let p = s
            .page(
                Dataset::Inspection,
                &PullRequest { updated_since: Some(mid.updated_at), page_size: 2000, cursor: None },
            )
            .unwrap();
        assert_eq!(p.records.len(), all.len() - all.len() / 2 - 1);
        // Growing appends after the last record: a pull from the old end gets only the new ones.
        let last = all.last().unwrap();
        let before = s.size(Dataset::Inspection);
        s.resize(6_000);
        let cursor = Some(contract::cursor_of(last.updated_at, &last.record_id));
        let more = s.page(Dataset::Inspection, &PullRequest { cursor, page_size: 2000, updated_since: None }).unwrap();
        assert_eq!(more.records.len() as u64, s.size(Dataset::Inspection) - before);
        assert_eq!(more.records[0].record_id, s.record(Dataset::Inspection, before).record_id);
        // An empty page keeps the cursor.
        let end = s
            .page(
                Dataset::Inspection,
                &PullRequest { cursor: more.next_cursor.clone(), page_size: 10, updated_since: None },
            )
            .unwrap();
        assert!(end.records.is_empty() && !end.has_more && end.next_cursor == more.next_cursor);
    }

    #[test]
    fn bad_requests_are_refused() {
        let s = sim(100);
        assert_eq!(
            s.page(Dataset::Body, &PullRequest { page_size: 0, ..Default::default() }).unwrap_err().code,
            code::BAD_REQUEST
        );
        let bad = PullRequest { cursor: Some("zz".into()), page_size: 10, updated_since: None };
        assert_eq!(s.page(Dataset::Body, &bad).unwrap_err().code, code::BAD_REQUEST);
    }

    async fn send(r: &Router, req: Request<Body>) -> serde_json::Value {
        let res = r.clone().oneshot(req).await.unwrap();
        let b = res.into_body().collect().await.unwrap().to_bytes();
        serde_json::from_slice(&b).unwrap_or(serde_json::Value::Null)
    }

    #[tokio::test]
    async fn data_calls_need_a_signed_request_secret() {
        let s = Arc::new(sim(1_000));
        s.register("app", "secret");
        let r = router(s.clone());
        let t = crate::now_ms();
        let q = |secret: &str| format!("appKey=app&requestTime={t}&sign={}", gw::sign("app", secret, t));
        let v =
            send(&r, Request::post(format!("{}?{}", contract::DATASETS, q("x"))).body(Body::empty()).unwrap()).await;
        assert_eq!(v["code"], code::SECRET_EXPIRED);
        let v = send(&r, Request::get(format!("{}?{}", gw::REFRESH_BY_KEY, q("secret"))).body(Body::empty()).unwrap())
            .await;
        let request_secret = v["datas"]["requestSecret"].as_str().unwrap().to_owned();
        let v = send(
            &r,
            Request::post(format!("{}?{}", contract::DATASETS, q(&request_secret))).body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(v["code"], code::OK);
        assert_eq!(v["datas"]["datasets"].as_array().unwrap().len(), 10);
        let path = format!("{}?{}", Dataset::Penalty.path(), q(&request_secret));
        let v = send(&r, Request::post(&path).body(Body::from(r#"{"pageSize":5}"#)).unwrap()).await;
        assert_eq!(v["datas"]["records"].as_array().unwrap().len(), 5);
        assert_eq!(v["datas"]["records"][0]["recordId"], "CF0000000000");
        let v = send(&r, Request::post(&path).body(Body::from("{")).unwrap()).await;
        assert_eq!(v["code"], code::BAD_REQUEST);
        assert_eq!(s.stats().refused, 1);
        assert_eq!(s.stats().records, 5);
    }
}

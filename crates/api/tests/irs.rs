//! IRS data platform (F81): a 100,000-record import against the simulator over real HTTP, the
//! simulator stopped midway and restarted on the same data, the import resumed from its
//! checkpoints, every record stored exactly once and queryable; incremental pulls; retries.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Session, TestApp};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use xiezhi_api::integration::irs::ImportSettings;
use xiezhi_domain::integration::irs::Dataset;
use xiezhi_sim::faults::FaultSettings;
use xiezhi_sim::irs::{IrsConfig, IrsSim, router};
use xiezhi_storage::integration::{SystemWrite, update_system};

const KEY: &str = "lsxz_irs_test";
const SECRET: &str = "irs-app-secret";

/// A simulator served on a real socket; `stop` closes the listener and every connection.
struct Served {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

async fn serve(sim: Arc<IrsSim>, addr: Option<SocketAddr>) -> Served {
    let listener = TcpListener::bind(addr.unwrap_or_else(|| "127.0.0.1:0".parse().unwrap())).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router(sim))
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await
            .unwrap();
    });
    Served { addr, stop, task }
}

impl Served {
    async fn shut(self) {
        let _ = self.stop.send(());
        tokio::time::timeout(Duration::from_secs(20), self.task).await.expect("simulator stops").unwrap();
    }
}

fn sim(total: u64) -> Arc<IrsSim> {
    let s = Arc::new(IrsSim::new(IrsConfig { seed: 20_260_101, total }));
    s.register(KEY, SECRET);
    s
}

async fn configure(app: &TestApp, addr: SocketAddr, max_attempts: i64) {
    let mut tx = app.db.begin().await.unwrap();
    update_system(
        &mut tx,
        "irs",
        &SystemWrite {
            enabled: true,
            endpoint: format!("http://{addr}"),
            app_key: KEY.into(),
            secret_enc: Some(app.state.cipher.encrypt(SECRET)),
            timeout_ms: 10_000,
            max_attempts,
            schedule_minutes: 0,
            options: "{}".into(),
        },
        "test",
        1,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    app.state.irs.set(ImportSettings { page_size: 1000, base_backoff_ms: 20, max_backoff_ms: 200, stale_ms: 300_000 });
}

async fn job(app: &TestApp, s: &Session, id: i64) -> Value {
    let (status, body) = app.get(s, &format!("/api/integration/irs/imports/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// Poll the import until `done` holds (the import runs in the background).
async fn until(app: &TestApp, s: &Session, id: i64, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        let j = job(app, s, id).await;
        if done(&j) {
            return j;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}: {j}");
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
}

fn finished(j: &Value) -> bool {
    j["import"]["status"] != "running"
}

async fn start(app: &TestApp, s: &Session, body: Value) -> i64 {
    let (status, j) = app.post(s, "/api/integration/irs/imports", body).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{j}");
    j["import"]["id"].as_i64().unwrap()
}

async fn stored(app: &TestApp) -> i64 {
    app.count("irs_facts").await + app.count("irs_bodies").await + app.count("irs_items").await
}

#[tokio::test]
async fn import_of_100k_records_survives_a_simulator_restart_and_lands_exactly_once() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    const TOTAL: u64 = 100_000;
    let first = sim(TOTAL);
    let served = serve(first.clone(), None).await;
    let addr = served.addr;
    configure(&app, addr, 3).await;

    // The dataset list comes from the platform.
    let (status, ds) = app.get(&admin, "/api/integration/irs/datasets").await;
    assert_eq!(status, StatusCode::OK, "{ds}");
    assert!(ds["remote_error"].is_null(), "{ds}");
    let remote: i64 = ds["datasets"].as_array().unwrap().iter().map(|d| d["remote_total"].as_i64().unwrap()).sum();
    assert_eq!(remote, TOTAL as i64);

    let started = Instant::now();
    let id = start(&app, &admin, json!({})).await;
    // A second import cannot start while one runs.
    let (status, body) = app.post(&admin, "/api/integration/irs/imports", json!({"datasets": ["penalty"]})).await;
    common::assert_error(status, &body, StatusCode::CONFLICT, "import_running");

    // Midway, the platform goes away.
    let j = until(&app, &admin, id, "half the records", |j| j["import"]["fetched"].as_i64().unwrap() >= 45_000).await;
    assert_eq!(j["import"]["expected"], TOTAL as i64, "progress has a total: {j}");
    served.shut().await;
    drop(first);
    let failed = until(&app, &admin, id, "the import to fail", finished).await;
    assert_eq!(failed["import"]["status"], "failed", "{failed}");
    let at_failure = failed["import"]["fetched"].as_i64().unwrap();
    assert!(at_failure < TOTAL as i64, "{failed}");
    assert_eq!(stored(&app).await, at_failure, "committed pages and their checkpoints agree");
    assert!(failed["error_total"].as_i64().unwrap() >= 3, "errors are visible: {failed}");
    assert!(failed["import"]["last_error"].as_str().unwrap().contains("连续 3 次"), "{failed}");
    assert!(failed["datasets"].as_array().unwrap().iter().any(|d| d["status"] == "failed"));
    let (status, body) = app.post(&admin, "/api/integration/irs/imports", json!({})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "a failed import no longer blocks: {body}");
    // (that new import fails as well: the platform is still down)
    let other = body["import"]["id"].as_i64().unwrap();
    until(&app, &admin, other, "the other import to fail", finished).await;

    // A restarted simulator with the same seed serves the same data; resume from the checkpoints.
    let second = sim(TOTAL);
    let served = serve(second.clone(), Some(addr)).await;
    let (status, body) = app.post(&admin, &format!("/api/integration/irs/imports/{id}/resume"), json!({})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let done = until(&app, &admin, id, "the resumed import", finished).await;
    let elapsed = started.elapsed();
    assert_eq!(done["import"]["status"], "succeeded", "{done}");
    assert_eq!(done["import"]["fetched"], TOTAL as i64, "{done}");
    assert_eq!(done["import"]["inserted"], TOTAL as i64, "{done}");
    assert_eq!(done["import"]["updated"], 0, "{done}");
    assert_eq!(done["import"]["resumes"], 1);
    assert_eq!(done["import"]["percent"], 100);
    // The restarted platform served only what was missing (plus the probes).
    let served_again = second.stats().records as i64;
    assert!(served_again <= TOTAL as i64 - at_failure + 10, "resumed from the checkpoint: {served_again}");
    eprintln!(
        "IRS import: {TOTAL} records in {:.1} s including the outage ({} backend)",
        elapsed.as_secs_f64(),
        app.backend().as_str()
    );

    // Every record exactly once.
    assert_eq!(stored(&app).await, TOTAL as i64);
    for d in Dataset::ALL {
        let n = match d {
            Dataset::Body => app.count("irs_bodies").await,
            Dataset::Item => app.count("irs_items").await,
            _ => {
                let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM irs_facts WHERE dataset = $1")
                    .bind(d.as_str())
                    .fetch_one(app.db.pool())
                    .await
                    .unwrap();
                n
            }
        };
        assert_eq!(n as u64, second.size(d), "{d:?}");
    }

    // The facts are queryable: by record id, by county, by item, by date, with paging and export.
    let rec = second.record(Dataset::Penalty, 4_321);
    let (status, page) =
        app.get(&admin, &format!("/api/integration/irs/facts?keyword={}&dataset=penalty", rec.record_id)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["total"], 1, "{page}");
    let f = &page["items"][0];
    assert_eq!(f["subject_name"], rec.subject_name.as_str());
    assert_eq!(f["dept_name"], rec.dept_name.as_str());
    assert_eq!(f["item_code"], rec.item_code.as_str());
    assert_eq!(f["region_code"], rec.region_code.as_str());
    assert_eq!(f["amount"], rec.amount.unwrap());
    assert_eq!(f["occurred_at"], rec.occurred_at.unwrap());
    let (status, one) = app.get(&admin, &format!("/api/integration/irs/facts/{}", f["id"])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(one["attrs"].is_object());

    let (_, county) = app.get(&admin, "/api/integration/irs/facts?region_code=331102&page_size=50").await;
    assert!(county["total"].as_i64().unwrap() > 1_000, "{}", county["total"]);
    assert!(county["items"].as_array().unwrap().iter().all(|f| f["county_code"] == "331102"));
    let (_, all) = app.get(&admin, "/api/integration/irs/facts?page=2&page_size=20").await;
    let facts_total = app.count("irs_facts").await;
    assert_eq!(all["total"], facts_total);
    assert_eq!(all["items"].as_array().unwrap().len(), 20);
    let (_, by_item) = app
        .get(&admin, &format!("/api/integration/irs/facts?item={}&from=1730000000000&to=1760000000000", rec.item_code))
        .await;
    assert!(by_item["total"].as_i64().unwrap() > 0);
    assert!(by_item["items"].as_array().unwrap().iter().all(|f| f["item_code"] == rec.item_code.as_str()
        && (1_730_000_000_000..1_760_000_000_000).contains(&f["occurred_at"].as_i64().unwrap())));
    let (status, body) = app.get(&admin, "/api/integration/irs/facts?dataset=body").await;
    common::assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

    let req = Request::get("/api/integration/irs/facts/export?dataset=litigation")
        .header(header::COOKIE, &admin.cookie)
        .body(Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[header::CONTENT_TYPE].to_str().unwrap().contains("spreadsheetml"));

    // A region-scoped user sees only their county's facts.
    app.add_role("irs_county", "县IRS查看", "region", &["integration:irs:view"]).await;
    app.add_user("irs_county", "莲都区综合行政执法局", &["irs_county"]).await;
    let county_user = app.login("irs_county").await;
    let (_, mine) = app.get(&county_user, "/api/integration/irs/facts?page_size=200").await;
    assert_eq!(mine["total"], county["total"]);

    // Incremental: nothing new, then the platform grows by 1,000 records and only those come.
    let id2 = start(&app, &admin, json!({})).await;
    let j = until(&app, &admin, id2, "an empty incremental import", finished).await;
    assert_eq!(j["import"]["status"], "succeeded", "{j}");
    assert_eq!(j["import"]["fetched"], 0, "{j}");
    second.resize(TOTAL + 1_000);
    let id3 = start(&app, &admin, json!({"datasets": []})).await;
    let j = until(&app, &admin, id3, "the incremental import", finished).await;
    assert_eq!(j["import"]["status"], "succeeded", "{j}");
    assert_eq!(j["import"]["fetched"], 1_000, "{j}");
    assert_eq!(j["import"]["inserted"], 1_000, "{j}");
    assert_eq!(stored(&app).await, TOTAL as i64 + 1_000);

    // The imports are listed, newest first, and were audited.
    let (_, list) = app.get(&admin, "/api/integration/irs/imports").await;
    assert_eq!(list["items"][0]["id"], id3);
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action IN ('irs.import', 'irs.resume', 'irs.export')")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(n, 6);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM exchanges WHERE system = 'irs' AND outcome = 'ok'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert!(n >= 100, "pulls are in the exchange log: {n}");
    served.shut().await;
}

#[tokio::test]
async fn transient_faults_are_retried_and_a_full_reimport_updates_in_place() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let s = sim(3_000);
    s.faults.set(FaultSettings { error_rate: 0.2, reset_rate: 0.1, ..Default::default() });
    let served = serve(s.clone(), None).await;
    configure(&app, served.addr, 12).await;
    app.state.irs.set(ImportSettings { page_size: 100, base_backoff_ms: 1, max_backoff_ms: 5, stale_ms: 300_000 });
    let id = start(&app, &admin, json!({"datasets": ["penalty", "inspection", "penalty"]})).await;
    let j = until(&app, &admin, id, "the import", finished).await;
    assert_eq!(j["import"]["status"], "succeeded", "{j}");
    let expected = (s.size(Dataset::Penalty) + s.size(Dataset::Inspection)) as i64;
    assert_eq!(j["import"]["fetched"], expected);
    assert!(j["import"]["retries"].as_i64().unwrap() > 0, "faults were retried: {j}");
    assert_eq!(j["datasets"].as_array().unwrap().len(), 2);
    assert_eq!(app.count("irs_facts").await, expected);

    // A full import pulls everything again and updates the rows in place.
    s.faults.set(FaultSettings::default());
    let id = start(&app, &admin, json!({"datasets": ["penalty"], "full": true})).await;
    let j = until(&app, &admin, id, "the full import", finished).await;
    assert_eq!(j["import"]["updated"], s.size(Dataset::Penalty) as i64, "{j}");
    assert_eq!(j["import"]["inserted"], 0);
    assert_eq!(app.count("irs_facts").await, expected);

    // Refusals: unknown dataset, a succeeded import cannot be resumed, a disabled system.
    let (status, body) = app.post(&admin, "/api/integration/irs/imports", json!({"datasets": ["nope"]})).await;
    common::assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let (status, body) = app.post(&admin, &format!("/api/integration/irs/imports/{id}/resume"), json!({})).await;
    common::assert_error(status, &body, StatusCode::CONFLICT, "import_not_resumable");
    app.exec("UPDATE external_systems SET enabled = 0 WHERE code = 'irs'").await;
    let (status, body) = app.post(&admin, "/api/integration/irs/imports", json!({})).await;
    common::assert_error(status, &body, StatusCode::CONFLICT, "system_disabled");
    // A bad app secret fails the import for good, with the reason.
    app.exec("UPDATE external_systems SET enabled = 1 WHERE code = 'irs'").await;
    s.register(KEY, "rotated-secret");
    app.state.tokens.forget("irs").await;
    let id = start(&app, &admin, json!({"datasets": ["litigation"]})).await;
    let j = until(&app, &admin, id, "the refused import", finished).await;
    assert_eq!(j["import"]["status"], "failed", "{j}");
    assert!(j["errors"].as_array().unwrap().iter().any(|e| e["message"].as_str().unwrap().contains("14")), "{j}");
    served.shut().await;
}

#[tokio::test]
async fn the_schedule_starts_incremental_imports_once_per_period() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let s = sim(1_000);
    let served = serve(s.clone(), None).await;
    configure(&app, served.addr, 3).await;
    let now = xiezhi_api::now_ms();
    // No schedule configured: nothing starts.
    assert_eq!(xiezhi_api::integration::irs::scheduled_tick(&app.state, now).await.unwrap(), None);
    app.exec("UPDATE external_systems SET schedule_minutes = 60 WHERE code = 'irs'").await;
    let id = xiezhi_api::integration::irs::scheduled_tick(&app.state, now).await.unwrap().expect("an import");
    let j = until(&app, &admin, id, "the scheduled import", finished).await;
    assert_eq!(j["import"]["status"], "succeeded", "{j}");
    assert_eq!(j["import"]["created_by"], "定时任务");
    assert_eq!(j["import"]["fetched"], 1_000);
    // Within the period nothing more; after it, an incremental import with only the new records.
    assert_eq!(xiezhi_api::integration::irs::scheduled_tick(&app.state, now + 59 * 60_000).await.unwrap(), None);
    s.resize(1_200);
    let id =
        xiezhi_api::integration::irs::scheduled_tick(&app.state, now + 61 * 60_000).await.unwrap().expect("an import");
    let j = until(&app, &admin, id, "the second scheduled import", finished).await;
    assert_eq!(j["import"]["fetched"], 200, "{j}");
    assert_eq!(stored(&app).await, 1_200);
    served.shut().await;
}

#[tokio::test]
async fn the_schedule_resumes_an_import_whose_server_stopped() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let s = sim(600);
    let served = serve(s.clone(), None).await;
    configure(&app, served.addr, 3).await;
    app.exec("UPDATE external_systems SET schedule_minutes = 30 WHERE code = 'irs'").await;
    // An import left `running` by a server that stopped ten minutes ago.
    let now = xiezhi_api::now_ms();
    let mut tx = app.db.begin().await.unwrap();
    let id = xiezhi_api::integration::irs::create(&mut tx, &[Dataset::Penalty], false, "sysadmin", now - 600_000)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let j = job(&app, &admin, id).await;
    assert_eq!(j["import"]["interrupted"], true, "{j}");
    let (status, body) = app.post(&admin, "/api/integration/irs/imports", json!({})).await;
    common::assert_error(status, &body, StatusCode::CONFLICT, "import_running");
    assert_eq!(xiezhi_api::integration::irs::scheduled_tick(&app.state, now).await.unwrap(), Some(id));
    let j = until(&app, &admin, id, "the resumed import", finished).await;
    assert_eq!(j["import"]["status"], "succeeded", "{j}");
    assert_eq!(j["import"]["resumes"], 1);
    assert_eq!(j["import"]["fetched"], s.size(Dataset::Penalty) as i64);
    served.shut().await;
}

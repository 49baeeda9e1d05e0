//! Internet+Supervision (F89): joint-inspection records queued in the outbox reach the simulator
//! over real HTTP exactly once, also when answers are lost, on both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::TestApp;
use xiezhi_api::integration::relay::{self, RelaySettings};
use xiezhi_api::integration::supervision;
use xiezhi_domain::integration::supervision::{InspectedSubject, InspectionRecord};
use xiezhi_sim::faults::FaultSettings;
use xiezhi_sim::supervision::SupervisionSim;

fn record(i: usize) -> InspectionRecord {
    InspectionRecord {
        record_id: format!("LSJC-2026-{i:04}"),
        item_code: "330217001000".into(),
        item_name: "对餐饮服务提供者的监督检查".into(),
        subject: InspectedSubject {
            name: format!("丽水市莲都区第{i}餐饮店"),
            credit_code: "91331102MA2HXXXX0X".into(),
        },
        departments: vec!["丽水市市场监督管理局".into(), "丽水市综合行政执法局".into()],
        inspectors: vec!["张明".into(), "李华".into()],
        inspected_at: "2026-11-27 10:00:00".into(),
        result: "rectify".into(),
        findings: "油烟净化设施未正常运行，责令限期整改".into(),
        region_code: "331102001".into(),
        source_system: "xiezhi".into(),
    }
}

#[tokio::test]
async fn inspection_records_arrive_exactly_once_despite_lost_answers() {
    let app = TestApp::new().await;
    let sim = SupervisionSim::new();
    sim.gateway.register("sv-key", "sv-secret");
    sim.faults.set(FaultSettings { error_rate: 0.2, drop_after_commit_rate: 0.3, ..Default::default() });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = xiezhi_sim::supervision::router(sim.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let secret = app.state.cipher.encrypt("sv-secret");
    app.exec(&format!(
        "UPDATE external_systems SET enabled = 1, endpoint = 'http://{addr}', app_key = 'sv-key', secret_enc = '{secret}', \
         max_attempts = 30 WHERE code = 'supervision'"
    ))
    .await;
    app.state.relay.set(RelaySettings { base_backoff_ms: 5, max_backoff_ms: 50, ..Default::default() });

    let mut tx = app.db.begin().await.unwrap();
    for i in 0..20 {
        supervision::queue(&mut tx, &record(i), None, xiezhi_api::now_ms()).await.unwrap();
    }
    let bad = InspectionRecord { departments: vec!["丽水市市场监督管理局".into()], ..record(99) };
    assert!(supervision::queue(&mut tx, &bad, None, 1).await.is_err(), "a joint inspection needs two departments");
    tx.commit().await.unwrap();

    let http = reqwest::Client::new();
    for _ in 0..2000 {
        relay::drain(&app.state, &http).await.unwrap();
        let mut conn = app.db.conn().await.unwrap();
        let (pending,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetch_one(&mut *conn).await.unwrap();
        if pending == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let effects = sim.effects();
    for i in 0..20 {
        let id = record(i).record_id;
        assert_eq!(effects.iter().filter(|e| e.clue_id == id).count(), 1, "{id}: {effects:?}");
    }
    assert_eq!(app.count("outbox").await, 20);
    let mut conn = app.db.conn().await.unwrap();
    let (delivered,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE status = 'delivered'").fetch_one(&mut *conn).await.unwrap();
    assert_eq!(delivered, 20);
}

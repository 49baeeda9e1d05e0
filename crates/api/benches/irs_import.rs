//! IRS import benchmark (F81): `cargo bench -p xiezhi-api --bench irs_import` (release build).
//!
//! On a fresh database (SQLite file with `synchronous=FULL`, or PostgreSQL when
//! `XIEZHI_BENCH_DATABASE_URL` names an empty database), the IRS simulator serves
//! `XIEZHI_BENCH_IRS_RECORDS` records (default 100,000) over HTTP on loopback, in this process; one
//! full import runs through the real import task (`integration::irs::run`: signed gateway calls,
//! pages of 1,000 records as JSON, upserts by natural key, the checkpoint committed with each page).
//! Prints records/s and checks that every record landed once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;

use xiezhi_api::integration::irs::{ImportSettings, run};
use xiezhi_api::{AppState, AuthSettings};
use xiezhi_domain::crypto::FieldCipher;
use xiezhi_sim::irs::{IrsConfig, IrsSim, router};
use xiezhi_storage::facts::{self, NewImportDataset};
use xiezhi_storage::integration::{SystemWrite, update_system};
use xiezhi_storage::{Db, DbOptions};

#[tokio::main]
async fn main() {
    let total: u64 = std::env::var("XIEZHI_BENCH_IRS_RECORDS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let dir = std::env::temp_dir().join(format!("xz_irs_bench_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = std::env::var("XIEZHI_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", dir.join("bench.db").display()));
    let db = Db::connect(&DbOptions { url: url.clone(), max_connections: 8, sqlite_synchronous: "full".into() })
        .await
        .unwrap();
    db.migrate().await.unwrap();
    xiezhi_api::bootstrap(&db).await.unwrap();
    let cipher = FieldCipher::from_hex(&FieldCipher::generate_key_hex()).unwrap();
    let state = AppState::new(db.clone(), cipher, AuthSettings::default(), None, dir.clone());

    let sim = Arc::new(IrsSim::new(IrsConfig { seed: 1, total }));
    sim.register("bench", "bench-secret");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router(sim)).await.unwrap() });

    let mut tx = db.begin().await.unwrap();
    update_system(
        &mut tx,
        "irs",
        &SystemWrite {
            enabled: true,
            endpoint: format!("http://{addr}"),
            app_key: "bench".into(),
            secret_enc: Some(state.cipher.encrypt("bench-secret")),
            timeout_ms: 30_000,
            max_attempts: 5,
            schedule_minutes: 0,
            options: "{}".into(),
        },
        "bench",
        1,
    )
    .await
    .unwrap();
    let datasets: Vec<NewImportDataset> = xiezhi_domain::integration::irs::Dataset::ALL
        .iter()
        .map(|d| NewImportDataset { dataset: d.as_str().into(), start_cursor: None, expected: 0 })
        .collect();
    let id = facts::create_import(&mut tx, "full", &datasets, "bench", 1).await.unwrap();
    tx.commit().await.unwrap();
    state.irs.set(ImportSettings::default());

    let started = Instant::now();
    run(&state, id).await.unwrap();
    let secs = started.elapsed().as_secs_f64();
    let mut conn = db.conn().await.unwrap();
    let job = facts::import(&mut conn, id).await.unwrap();
    assert_eq!(job.status, "succeeded", "{}", job.last_error);
    let stored: i64 = facts::counts(&mut conn).await.unwrap().iter().map(|(_, n)| n).sum();
    assert_eq!(stored, total as i64);
    println!("| backend | records | pages | seconds | records/s |");
    println!("|---|---|---|---|---|");
    println!(
        "| {} | {} | {} | {:.1} | {:.0} |",
        db.backend().as_str(),
        job.fetched,
        job.pages,
        secs,
        job.fetched as f64 / secs
    );
    drop(conn);
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

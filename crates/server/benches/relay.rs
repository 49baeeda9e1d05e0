//! Delivery relay benchmark (issue 4): `cargo bench -p xiezhi-server --bench relay` (release build).
//!
//! Two programs, as in production: `xiezhi sim province` answering every call after 5 ms, and the
//! real `xiezhi serve` (pinned with `taskset`, see `common`) on a fresh data dir with the demo data
//! (SQLite, or PostgreSQL when `XIEZHI_BENCH_DATABASE_URL` is set).
//!
//! 1. With the provincial link pointed at a closed port and a 10-minute backoff, 10,000 clues of a
//!    pushed category (E0502) are taken in through the batch intake API: each queues a push, which
//!    fails once (connection refused) and then waits.
//! 2. The server is stopped, the link pointed at the simulator and the 10,000 messages made due.
//! 3. The server is started again; measured: the time from its start until no push is pending,
//!    checked against the simulator's effect log (each clue exactly once).
//!
//! Prints a Markdown table for docs/performance.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sqlx::Connection;

use common::{Conn, push, register_source};

const MESSAGES: usize = 10_000;
const BATCH: usize = 500;
const LATENCY_MS: u64 = 5;
const APP_KEY: &str = "bench-province";
const SECRET: &str = "bench-province-secret-0123456789";

async fn pending(url: &str) -> i64 {
    let mut c = sqlx::AnyConnection::connect(url).await.unwrap();
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE channel = 'province' AND status = 'pending'")
        .fetch_one(&mut c)
        .await
        .unwrap();
    c.close().await.unwrap();
    n
}

fn clue(i: usize) -> Value {
    let lon = 119.86 + (i % 100) as f64 * 0.0013;
    let lat = 28.41 + (i / 100) as f64 * 0.0008;
    json!({
        "source_clue_id": format!("RELAY-{i}"),
        "reported_at": xiezhi_domain::clue::intake::format_time(xiezhi_api::now_ms() - 60_000 - i as i64 * 997),
        "description": format!("第{i}号路段有流动摊贩占道经营，影响行人通行（压测线索）"),
        "address": "丽水市莲都区中山街",
        "location": {"longitude": (lon * 1e6).round() / 1e6, "latitude": (lat * 1e6).round() / 1e6, "coord_system": "wgs84"},
        "category_code": "E0502",
    })
}

#[tokio::main]
async fn main() {
    let (dir, _guard) = common::fresh_dir("relay");
    let url = common::database_url(&dir);
    sqlx::any::install_default_drivers();
    common::seed_demo(&dir).await;
    // The simulator, on its own port, 5 ms per call.
    let sim_port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut sim = Command::new(env!("CARGO_BIN_EXE_xiezhi"))
        .args(["sim", "province", "--listen", &format!("127.0.0.1:{sim_port}"), "--app-key", APP_KEY])
        .args(["--app-secret", SECRET, "--review-ms", "3600000", "--dispose-ms", "3600000"])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let sim_addr = format!("127.0.0.1:{sim_port}");
    let mut sc = loop {
        if let Ok(s) = tokio::net::TcpStream::connect(&sim_addr).await {
            drop(s);
            break Conn::open(&sim_addr).await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let faults = json!({ "latency_ms": LATENCY_MS }).to_string();
    let (st, _, _) = sc.request("PUT", "/_sim/faults", &[("Content-Type", "application/json")], &faults).await;
    assert_eq!(st, 200);

    // 1. Queue the pushes with the link pointed at a closed port.
    let server = {
        let mut cmd = common::xiezhi(&dir);
        cmd.env("XIEZHI__RELAY__BASE_BACKOFF_MS", "600000");
        common::serve_with(cmd)
    };
    let mut c = Conn::open(&server.addr).await;
    let (cookie, csrf) = common::login(&mut c, "sysadmin", &common::demo_password(&dir, "sysadmin")).await;
    let settings = json!({"enabled": true, "endpoint": "http://127.0.0.1:9", "app_key": APP_KEY, "secret": SECRET,
        "timeout_ms": 10000, "max_attempts": 12, "schedule_minutes": 0,
        "options": {"categories": ["E05"], "scheme1_for_enterprise": true, "scheme3_for_person": true}})
    .to_string();
    let headers = [("Content-Type", "application/json"), ("Cookie", cookie.as_str()), ("X-CSRF-Token", csrf.as_str())];
    let (st, _, resp) = c.request("PUT", "/api/integration/systems/province", &headers, &settings).await;
    assert_eq!(st, 200, "{resp}");
    let creds = register_source(&server.addr, &dir).await;
    let loaded = Instant::now();
    for chunk in (0..MESSAGES).collect::<Vec<_>>().chunks(BATCH) {
        let body = json!({ "clues": chunk.iter().map(|i| clue(*i)).collect::<Vec<_>>() }).to_string();
        let (st, resp) = push(&mut c, &creds, "/api/intake/v1/clues/batch", &body).await;
        assert_eq!(st, 200, "{resp}");
    }
    let load_time = loaded.elapsed();
    drop(server);
    assert_eq!(pending(&url).await, MESSAGES as i64, "every clue queued one push");

    // 2. Point the link at the simulator; make the messages due.
    common::sql(&dir, &format!("UPDATE external_systems SET endpoint = 'http://{sim_addr}' WHERE code = 'province'")).await;
    common::sql(&dir, "UPDATE outbox SET next_attempt_at = 0, attempts = 0, in_flight = 0, last_error = '' WHERE channel = 'province'").await;

    // 3. Start and measure the drain.
    let started = Instant::now();
    let server = common::serve(&dir);
    let pid = server.child.id();
    while pending(&url).await > 0 {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let drain = started.elapsed();
    let rss = common::rss_kib(pid);
    drop(server);
    let (st, _, effects) = sc.request("GET", "/_sim/effects", &[], "").await;
    assert_eq!(st, 200);
    let effects: Vec<Value> = serde_json::from_str(&effects).unwrap();
    let mut ids: Vec<&str> = effects.iter().map(|e| e["clueId"].as_str().unwrap()).collect();
    ids.sort_unstable();
    let total = ids.len();
    ids.dedup();
    assert_eq!((total, ids.len()), (MESSAGES, MESSAGES), "each push exactly once");
    let _ = sim.kill();
    let _ = sim.wait();

    println!("\n### Delivery relay — {} ({})\n", common::backend(), common::machine());
    println!("| measure | value | target |");
    println!("|---|---|---|");
    println!("| clues taken in to queue the pushes (batch intake, 500 per request) | {MESSAGES} in {:.1} s | |", load_time.as_secs_f64());
    println!(
        "| drain of {MESSAGES} pending pushes to `xiezhi sim province` ({LATENCY_MS} ms per call), from server start | {:.1} s ({:.0} pushes/s) | ≤ 20 s |",
        drain.as_secs_f64(),
        MESSAGES as f64 / drain.as_secs_f64()
    );
    println!("| pushes in the simulator's effect log | {total}, each clue once | exactly once |");
    println!("| server resident memory after the drain | {} MiB | |", rss / 1024);
}

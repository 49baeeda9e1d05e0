//! Platform load benchmark: `cargo bench -p xiezhi-server --bench platform` (release build).
//!
//! Starts the real `xiezhi` binary on a fresh SQLite data dir (or on PostgreSQL when
//! `XIEZHI_BENCH_DATABASE_URL` is set) with the demo data (no clue history) plus 5,000 extra users,
//! pinned to the CPUs of `XIEZHI_BENCH_CPUS` (default `0,1`), then measures over loopback HTTP/1.1
//! keep-alive (helpers shared with the intake bench in `common/mod.rs`):
//! - login latency (argon2id at the configured cost), sequential;
//! - the authenticated user-list endpoint: maximum throughput (closed loop, 16 connections) and
//!   latency at a fixed arrival rate (open loop, latency measured from the scheduled send time, so
//!   queueing delay is counted);
//! - resident memory (VmRSS) idle after start and after the load.
//!
//! Prints a Markdown table for docs/performance.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{Conn, ms, percentile, rss_kib};

const EXTRA_USERS: usize = 5_000;
const FIXED_RATE: u64 = 400;
const DURATION: Duration = Duration::from_secs(10);

async fn add_users(dir: &Path) {
    let url = common::database_url(dir);
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let (existing,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM users WHERE username LIKE 'bench%'").fetch_one(&pool).await.unwrap();
    if existing > 0 {
        return;
    }
    let depts: Vec<(i64,)> = sqlx::query_as("SELECT id FROM departments ORDER BY id").fetch_all(&pool).await.unwrap();
    let mut tx = pool.begin().await.unwrap();
    for i in 0..EXTRA_USERS {
        sqlx::query(
            "INSERT INTO users (username, display_name, department_id, password_hash, password_changed_at, phone_masked, enabled, created_at, updated_at) \
             VALUES ($1, $2, $3, 'x', 0, '139****0000', 1, $4, $4)",
        )
        .bind(format!("bench{i:05}"))
        .bind(format!("压测用户{i}"))
        .bind(depts[i % depts.len()].0)
        .bind(1_700_000_000_000i64 + i as i64)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    // Production databases have statistics (autovacuum / `PRAGMA optimize`); give the bench the same.
    sqlx::query("ANALYZE").execute(&pool).await.unwrap();
}

async fn start() -> (common::Server, String, common::TempDirGuard) {
    let (dir, guard) = common::fresh_dir("platform");
    common::seed_demo(&dir).await;
    let password = common::demo_password(&dir, "sysadmin");
    add_users(&dir).await;
    (common::serve(&dir), password, guard)
}

#[tokio::main]
async fn main() {
    let (server, password, _guard) = start().await;
    let pid = server.child.id();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle_rss = rss_kib(pid);
    let login_body = format!("{{\"username\":\"sysadmin\",\"password\":\"{password}\"}}");
    let json = [("Content-Type", "application/json")];

    // Login latency (sequential; each login verifies an argon2id hash).
    let mut c = Conn::open(&server.addr).await;
    let mut logins = Vec::new();
    let mut cookie = String::new();
    for _ in 0..40 {
        let t = Instant::now();
        let (status, ck, _) = c.request("POST", "/api/auth/login", &json, &login_body).await;
        logins.push(t.elapsed());
        assert_eq!(status, 200);
        cookie = ck.unwrap();
    }
    logins.sort();

    let path = "/api/platform/users?page=1&page_size=20&sort=created_at&order=desc";
    let headers = [("Cookie", cookie.as_str())];
    // Closed loop: maximum throughput.
    let conns = 16;
    let deadline = Instant::now() + DURATION;
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let addr = server.addr.clone();
        let cookie = cookie.clone();
        tasks.push(tokio::spawn(async move {
            let mut c = Conn::open(&addr).await;
            let mut n = 0u64;
            while Instant::now() < deadline {
                let (status, _, _) = c.request("GET", path, &[("Cookie", cookie.as_str())], "").await;
                assert_eq!(status, 200);
                n += 1;
            }
            n
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    let max_rps = total as f64 / DURATION.as_secs_f64();

    // Open loop at a fixed rate: requests are scheduled every 1/rate s, spread over connections.
    let n = FIXED_RATE * DURATION.as_secs();
    let interval = Duration::from_secs_f64(1.0 / FIXED_RATE as f64);
    let start = Instant::now() + Duration::from_millis(100);
    let per_conn = 32u64;
    let mut tasks = Vec::new();
    for k in 0..per_conn {
        let addr = server.addr.clone();
        let cookie = cookie.clone();
        tasks.push(tokio::spawn(async move {
            let mut c = Conn::open(&addr).await;
            let mut lat = Vec::new();
            let mut i = k;
            while i < n {
                let due = start + interval * i as u32;
                tokio::time::sleep_until(due.into()).await;
                let (status, _, _) = c.request("GET", path, &[("Cookie", cookie.as_str())], "").await;
                assert_eq!(status, 200);
                lat.push(due.elapsed());
                i += per_conn;
            }
            lat
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    lat.sort();
    let loaded_rss = rss_kib(pid);
    let _ = headers;

    let backend = common::backend();
    println!("\n| measure ({backend}, {} users, release build) | value |", EXTRA_USERS + 8);
    println!("|---|---|");
    println!(
        "| login p50 / p99 (argon2id m=19456 KiB, t=2, p=1) | {} / {} |",
        ms(percentile(&logins, 0.5)),
        ms(percentile(&logins, 0.99))
    );
    println!("| `GET /api/platform/users` (page of 20) max throughput, 16 connections | {max_rps:.0} req/s |");
    println!(
        "| same at a fixed {FIXED_RATE} req/s for {} s: p50 / p99 / max | {} / {} / {} |",
        DURATION.as_secs(),
        ms(percentile(&lat, 0.5)),
        ms(percentile(&lat, 0.99)),
        ms(*lat.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "| resident memory idle after start / after the load | {:.1} MiB / {:.1} MiB |",
        idle_rss as f64 / 1024.0,
        loaded_rss as f64 / 1024.0
    );
}

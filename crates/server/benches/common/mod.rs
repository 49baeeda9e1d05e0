//! Shared parts of the load benchmarks (`mod common;` in `platform.rs` and `intake.rs`): a fresh
//! data dir with the demo data, the real `xiezhi` release binary started on it (pinned to the CPUs
//! in `XIEZHI_BENCH_CPUS`, default `0,1`), a raw HTTP/1.1 keep-alive client and the statistics.
//!
//! Backend: SQLite in the data dir, or PostgreSQL when `XIEZHI_BENCH_DATABASE_URL` is set (an
//! empty database; `scripts/bench.sh` recreates it before every benchmark).

// Each bench is its own crate and uses a different part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// One HTTP/1.1 keep-alive connection.
pub struct Conn {
    stream: BufReader<TcpStream>,
}

impl Conn {
    pub async fn open(addr: &str) -> Conn {
        let s = TcpStream::connect(addr).await.unwrap();
        s.set_nodelay(true).unwrap();
        Conn { stream: BufReader::new(s) }
    }

    /// One request; returns status, Set-Cookie and body.
    pub async fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, Option<String>, String) {
        let mut req = String::with_capacity(256 + body.len());
        req.push_str(&format!("{method} {path} HTTP/1.1\r\nHost: bench\r\nContent-Length: {}\r\n", body.len()));
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        req.push_str(body);
        self.stream.get_mut().write_all(req.as_bytes()).await.unwrap();
        let mut line = String::new();
        self.stream.read_line(&mut line).await.unwrap();
        let status: u16 = line.split_whitespace().nth(1).unwrap_or("0").parse().unwrap_or(0);
        let (mut len, mut cookie) = (0usize, None);
        loop {
            line.clear();
            self.stream.read_line(&mut line).await.unwrap();
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let (k, v) = l.split_once(':').unwrap_or((l, ""));
            match k.to_ascii_lowercase().as_str() {
                "content-length" => len = v.trim().parse().unwrap_or(0),
                "set-cookie" => cookie = Some(v.trim().split(';').next().unwrap_or_default().to_owned()),
                _ => {}
            }
        }
        let mut buf = vec![0u8; len];
        self.stream.read_exact(&mut buf).await.unwrap();
        (status, cookie, String::from_utf8_lossy(&buf).into_owned())
    }
}

/// The `p` quantile (0..=1) of sorted samples (nearest rank).
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Resident memory of a process.
pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// `PostgreSQL` when `XIEZHI_BENCH_DATABASE_URL` is set, else `SQLite`.
pub fn backend() -> &'static str {
    if std::env::var("XIEZHI_BENCH_DATABASE_URL").is_ok() { "PostgreSQL" } else { "SQLite" }
}

/// The database the server of `dir` uses.
pub fn database_url(dir: &Path) -> String {
    std::env::var("XIEZHI_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.join("xiezhi.db").display()))
}

/// Removes the data dir when dropped.
pub struct TempDirGuard(pub PathBuf);

impl Drop for TempDirGuard {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh, empty data dir for the bench `name`.
pub fn fresh_dir(name: &str) -> (PathBuf, TempDirGuard) {
    let dir = std::env::temp_dir().join(format!("xz_bench_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    (dir.clone(), TempDirGuard(dir))
}

/// The `xiezhi` release binary on `dir` (and the bench database); `XIEZHI_BENCH_BIN` names another
/// build to run instead (to compare two builds like for like).
pub fn xiezhi(dir: &Path) -> Command {
    let bin = std::env::var_os("XIEZHI_BENCH_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_xiezhi").into());
    let mut c = Command::new(bin);
    c.arg("--data-dir").arg(dir).env("XIEZHI__LOG__LEVEL", "warn");
    if let Ok(url) = std::env::var("XIEZHI_BENCH_DATABASE_URL") {
        c.arg("--database-url").arg(url);
    }
    c
}

/// Migrations, reference data, demo roles, accounts and sources; no demo clue history
/// (`--cases 0`: the default history of 50,000 clues would take minutes and skew the figures).
///
/// Each benchmark measures one thing: the provincial and ZZD links that seed-demo enables are
/// switched off again (the relay benchmark configures its own).
pub async fn seed_demo(dir: &Path) {
    let out = xiezhi(dir).args(["seed-demo", "--cases", "0"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    sql(dir, "UPDATE external_systems SET enabled = 0 WHERE code IN ('province', 'zzd')").await;
}

/// Run one statement on the bench database.
pub async fn sql(dir: &Path, statement: &str) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(&database_url(dir)).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(statement.to_owned())).execute(&mut c).await.unwrap();
    c.close().await.unwrap();
}

/// Password of a demo account written by `seed-demo`.
pub fn demo_password(dir: &Path, username: &str) -> String {
    let accounts: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("demo-accounts.json")).unwrap()).unwrap();
    accounts.as_array().unwrap().iter().find(|a| a["username"] == username).unwrap()["password"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// CPUs the server is pinned to (`taskset -c`); empty = not pinned.
pub fn server_cpus() -> String {
    std::env::var("XIEZHI_BENCH_CPUS").unwrap_or_else(|_| "0,1".into())
}

/// `nproc` and the CPU model of this machine.
pub fn machine() -> String {
    let nproc = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, m)| m.trim().to_owned())
        .unwrap_or_default();
    format!("nproc {nproc}, {model}")
}

pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `xiezhi serve` on a free loopback port (pinned with `taskset`, which execs the server,
/// so the child's pid is the server's).
pub fn serve(dir: &Path) -> Server {
    serve_with(xiezhi(dir))
}

/// `serve` with a prepared command (extra environment).
pub fn serve_with(server: Command) -> Server {
    let cpus = server_cpus();
    let mut cmd = if cpus.is_empty() {
        server
    } else {
        let mut t = Command::new("taskset");
        t.arg("-c").arg(&cpus).arg(server.get_program()).args(server.get_args());
        t.envs(server.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))));
        t
    };
    let mut child = cmd.args(["serve", "--listen", "127.0.0.1:0"]).stdout(Stdio::piped()).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stdout));
    let first = lines.next().unwrap().unwrap();
    let addr = first.split("http://").nth(1).unwrap().split('/').next().unwrap().to_owned();
    Server { child, addr }
}

/// Log in through the API: (session cookie, CSRF token).
pub async fn login(c: &mut Conn, username: &str, password: &str) -> (String, String) {
    let body = serde_json::json!({ "username": username, "password": password }).to_string();
    let (status, cookie, resp) =
        c.request("POST", "/api/auth/login", &[("Content-Type", "application/json")], &body).await;
    assert_eq!(status, 200, "{resp}");
    let v: serde_json::Value = serde_json::from_str(&resp).unwrap();
    (cookie.unwrap(), v["csrf_token"].as_str().unwrap_or_default().to_owned())
}

/// Credentials of a registered source.
pub struct Creds {
    pub app_key: String,
    pub secret: String,
}

/// Register a bench source as the dispatcher (login, then the sources API).
pub async fn register_source(addr: &str, dir: &Path) -> Creds {
    let mut c = Conn::open(addr).await;
    let (cookie, csrf) = login(&mut c, "dispatcher", &demo_password(dir, "dispatcher")).await;
    let body = serde_json::json!({ "code": "bench", "name": "压测来源", "kind": "county", "region_code": "331102" })
        .to_string();
    let headers = [("Content-Type", "application/json"), ("Cookie", cookie.as_str()), ("X-CSRF-Token", csrf.as_str())];
    let (status, _, resp) = c.request("POST", "/api/clue/sources", &headers, &body).await;
    assert!(status == 200 || status == 201, "{status} {resp}");
    let v: serde_json::Value = serde_json::from_str(&resp).unwrap();
    Creds {
        app_key: v["credentials"]["app_key"].as_str().unwrap().to_owned(),
        secret: v["credentials"]["secret"].as_str().unwrap().to_owned(),
    }
}

/// A signed POST (fresh timestamp and nonce): status and body.
pub async fn push(c: &mut Conn, creds: &Creds, path: &str, body: &str) -> (u16, String) {
    let ts = xiezhi_api::now_ms().to_string();
    let nonce = format!("{:032x}", rand::random::<u128>());
    let signature = xiezhi_domain::clue::signature::sign(
        &creds.secret,
        &xiezhi_domain::clue::signature::canonical("POST", path, &ts, &nonce, body.as_bytes()),
    );
    let headers = [
        ("Content-Type", "application/json"),
        ("X-App-Key", creds.app_key.as_str()),
        ("X-Timestamp", ts.as_str()),
        ("X-Nonce", nonce.as_str()),
        ("X-Signature", signature.as_str()),
    ];
    let (status, _, resp) = c.request("POST", path, &headers, body).await;
    (status, resp)
}

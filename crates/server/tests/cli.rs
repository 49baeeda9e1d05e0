//! The binary's commands: seed-demo, audit verify against a database edited behind its back,
//! openapi, and the refusal to serve without an administrator.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_xiezhi")
}

fn temp_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("xz_cli_{}", rand::random::<u64>()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env("XIEZHI__STORAGE__SQLITE_SYNCHRONOUS", "normal")
        .env("XIEZHI__SECURITY__ARGON2_MEMORY_KIB", "1024")
        .env("XIEZHI__SECURITY__ARGON2_ITERATIONS", "1")
        .output()
        .unwrap()
}

#[test]
fn serve_refuses_to_start_without_an_administrator() {
    let dir = temp_dir();
    let out = run(&dir, &["serve", "--listen", "127.0.0.1:0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("xiezhi admin create-user"));
}

#[test]
fn seed_demo_prints_one_account_per_role_and_writes_them_down() {
    let dir = temp_dir();
    let out = run(&dir, &["seed-demo", "--cases", "300"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for u in ["cityleader", "countyleader", "dispatcher", "handler", "township", "sysadmin", "secadmin", "auditadmin"] {
        assert!(text.contains(u), "{u} missing from {text}");
    }
    assert!(text.contains("历史线索"), "the demo clue history is generated: {text}");
    let accounts: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("demo-accounts.json")).unwrap()).unwrap();
    assert_eq!(accounts.as_array().unwrap().len(), 8);
    // Running it again is safe and issues fresh passwords.
    let again = run(&dir, &["seed-demo", "--cases", "300"]);
    assert!(again.status.success());
    let accounts2: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("demo-accounts.json")).unwrap()).unwrap();
    assert_ne!(accounts[0]["password"], accounts2[0]["password"]);
}

#[tokio::test]
async fn audit_verify_reports_a_row_changed_directly_in_the_database_file() {
    let dir = temp_dir();
    assert!(run(&dir, &["seed-demo", "--cases", "0"]).status.success());
    let ok = run(&dir, &["audit", "verify"]);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stdout));
    // Edit the file behind the application's back, as an attacker with file access would.
    let url = format!("sqlite://{}", dir.join("xiezhi.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("DROP TRIGGER audit_log_no_update").execute(&pool).await.unwrap();
    sqlx::query("UPDATE audit_log SET actor_name = 'nobody' WHERE seq = 1").execute(&pool).await.unwrap();
    pool.close().await;
    let bad = run(&dir, &["audit", "verify"]);
    assert_eq!(bad.status.code(), Some(1));
    let text = String::from_utf8_lossy(&bad.stdout);
    assert!(text.contains("TAMPERED") && text.contains("seq 1"), "{text}");
}

#[test]
fn admin_console_creates_administrators_and_keeps_duties_apart() {
    let dir = temp_dir();
    let out = run(
        &dir,
        &[
            "admin",
            "create-user",
            "--username",
            "root1",
            "--display-name",
            "管理员",
            "--department",
            "丽水市综合行政执法局办公室",
            "--role",
            "sys_admin",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("password: "));
    let clash = run(&dir, &["admin", "grant", "--username", "root1", "--role", "audit_admin"]);
    assert!(!clash.status.success());
    assert!(String::from_utf8_lossy(&clash.stderr).contains("三员分立"));
    let list = run(&dir, &["admin", "list"]);
    assert!(String::from_utf8_lossy(&list.stdout).contains("sys_admin: root1"));
}

#[test]
fn openapi_prints_the_spec() {
    let out = Command::new(bin()).arg("openapi").output().unwrap();
    let spec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(spec["paths"]["/api/platform/users"].is_object());
}

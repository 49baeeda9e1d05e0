//! Login, lock-out, sessions, CSRF, idle timeout.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::{PASSWORD, TestApp, assert_error};
use serde_json::json;

#[tokio::test]
async fn health_reports_version_and_database_kind() {
    let app = TestApp::new().await;
    let (status, body) = app.call(None, Method::GET, "/api/health", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], app.backend().as_str());
}

#[tokio::test]
async fn login_returns_permissions_and_me_requires_a_session() {
    let app = TestApp::new().await;
    let (status, body) = app.call(None, Method::GET, "/api/auth/me", None).await;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, "unauthenticated");
    let s = app.login("sysadmin").await;
    assert!(s.permissions().contains(&"platform:user:create".to_owned()));
    assert!(!s.permissions().contains(&"platform:audit:view".to_owned()), "三员分立");
    assert!(s.cookie.starts_with("xiezhi_sid="));
    let (status, me) = app.get(&s, "/api/auth/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["user"]["username"], "sysadmin");
    assert_eq!(me["user"]["department_name"], "丽水市综合行政执法局办公室");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let app = TestApp::new().await;
    let (s1, b1) = app.login_with("sysadmin", "Wrong@password1").await.unwrap_err();
    let (s2, b2) = app.login_with("nobody_here", "Wrong@password1").await.unwrap_err();
    assert_error(s1, &b1, StatusCode::UNAUTHORIZED, "invalid_credentials");
    assert_error(s2, &b2, StatusCode::UNAUTHORIZED, "invalid_credentials");
    assert_eq!(b1["message"], b2["message"]);
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_for_fifteen_minutes() {
    let app = TestApp::new().await;
    for i in 1..=4 {
        let (status, body) = app.login_with("handler", "Wrong@password1").await.unwrap_err();
        assert_error(status, &body, StatusCode::UNAUTHORIZED, "invalid_credentials");
        let _ = i;
    }
    let (status, body) = app.login_with("handler", "Wrong@password1").await.unwrap_err();
    assert_error(status, &body, StatusCode::LOCKED, "account_locked");
    let until = body["details"]["locked_until"].as_i64().unwrap();
    let minutes = (until - xiezhi_api::now_ms()) as f64 / 60_000.0;
    assert!((14.9..=15.0).contains(&minutes), "{minutes}");
    // Even the right password is refused while locked.
    let (status, body) = app.login_with("handler", PASSWORD).await.unwrap_err();
    assert_error(status, &body, StatusCode::LOCKED, "account_locked");
    // The lock-out and failures are audited.
    let auditor = app.login("auditadmin").await;
    let (_, page) = app.get(&auditor, "/api/platform/audit?action=auth.lockout").await;
    assert_eq!(page["total"], 1);
    // The security administrator unlocks.
    let sec = app.login("secadmin").await;
    let id = app.call(Some(&sec), Method::GET, "/api/platform/users?keyword=handler", None).await.1["items"][0]["id"]
        .as_i64()
        .unwrap();
    let (status, _) = app.post(&sec, &format!("/api/platform/users/{id}/unlock"), json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(app.login_with("handler", PASSWORD).await.is_ok());
}

#[tokio::test]
async fn an_expired_lock_lets_the_user_in_again() {
    let app = TestApp::new().await;
    for _ in 0..5 {
        let _ = app.login_with("handler", "Wrong@password1").await;
    }
    assert!(app.login_with("handler", PASSWORD).await.is_err());
    app.exec("UPDATE users SET locked_until = 1 WHERE username = 'handler'").await;
    assert!(app.login_with("handler", PASSWORD).await.is_ok());
}

#[tokio::test]
async fn logout_invalidates_the_session_on_the_server() {
    let app = TestApp::new().await;
    let s = app.login("cityleader").await;
    let (status, _) = app.post(&s, "/api/auth/logout", json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app.get(&s, "/api/auth/me").await;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn idle_sessions_expire_after_thirty_minutes() {
    let app = TestApp::new().await;
    let s = app.login("cityleader").await;
    let stale = xiezhi_api::now_ms() - 31 * 60_000;
    app.exec(&format!("UPDATE sessions SET last_seen_at = {stale}")).await;
    let (status, body) = app.get(&s, "/api/auth/me").await;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn writes_without_the_csrf_token_are_refused() {
    let app = TestApp::new().await;
    let mut s = app.login("sysadmin").await;
    let before = app.count("departments").await;
    s.csrf = "forged".into();
    let body = json!({"parent_id": null, "name": "测试科", "kind": "other", "region_code": "331100"});
    let (status, resp) = app.post(&s, "/api/platform/departments", body).await;
    assert_error(status, &resp, StatusCode::FORBIDDEN, "csrf_failed");
    assert_eq!(app.count("departments").await, before);
}

#[tokio::test]
async fn disabled_users_cannot_log_in_and_lose_their_sessions() {
    let app = TestApp::new().await;
    let victim = app.login("handler").await;
    let admin = app.login("sysadmin").await;
    let id = victim.me["user"]["id"].as_i64().unwrap();
    let (status, body) =
        app.post(&admin, "/api/platform/users/batch-status", json!({"ids": [id], "enabled": false})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.get(&victim, "/api/auth/me").await.0, StatusCode::UNAUTHORIZED);
    let (status, body) = app.login_with("handler", PASSWORD).await.unwrap_err();
    assert_error(status, &body, StatusCode::FORBIDDEN, "account_disabled");
}

#[tokio::test]
async fn password_change_enforces_policy_and_keeps_only_this_session() {
    let app = TestApp::new().await;
    let a = app.login("cityleader").await;
    let b = app.login("cityleader").await;
    let (status, body) =
        app.post(&a, "/api/auth/password", json!({"old_password": PASSWORD, "new_password": "short"})).await;
    assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert!(body["details"]["fields"]["new_password"].is_string());
    let (status, _) =
        app.post(&a, "/api/auth/password", json!({"old_password": PASSWORD, "new_password": "Nova#Lishui2027"})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&a, "/api/auth/me").await.0, StatusCode::OK);
    assert_eq!(app.get(&b, "/api/auth/me").await.0, StatusCode::UNAUTHORIZED);
    assert!(app.login_with("cityleader", "Nova#Lishui2027").await.is_ok());
}

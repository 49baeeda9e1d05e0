//! Sweep every endpoint of the OpenAPI spec with bad input: no session, missing permission,
//! malformed JSON, wrong types, unknown fields, oversized bodies, bad ids and bad query strings.
//! Every answer must be a 4xx with the standard error body, never a 5xx, and nothing may change.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Session, TestApp};
use serde_json::{Value, json};

/// Routes any logged-in user may call.
const OPEN_TO_ALL_USERS: &[(&str, &str)] = &[
    ("get", "/api/auth/me"),
    ("post", "/api/auth/logout"),
    ("post", "/api/auth/password"),
    ("get", "/api/platform/regions"),
    ("get", "/api/platform/regions/boundaries"),
    ("get", "/api/platform/dicts"),
    ("get", "/api/platform/portal/tiles"),
];

const PUBLIC: &[(&str, &str)] = &[("get", "/api/health"), ("post", "/api/auth/login")];

/// The intake API and the province's feedback endpoint authenticate callers by signature, not
/// sessions: a user's cookie counts for nothing.
fn signed(path: &str) -> bool {
    path.starts_with("/api/intake/") || path == "/api/integration/province/feedback"
}

fn routes() -> Vec<(String, String)> {
    operations().into_iter().map(|(m, p, _)| (m, p)).collect()
}

/// (method, path, takes a request body) of every operation in the spec.
fn operations() -> Vec<(String, String, bool)> {
    let spec = serde_json::to_value(xiezhi_api::openapi()).unwrap();
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in ["get", "post", "put", "delete"] {
            if let Some(op) = item.get(method) {
                out.push((method.to_owned(), path.clone(), op.get("requestBody").is_some()));
            }
        }
    }
    assert!(out.len() >= 30, "spec lists {} operations", out.len());
    out
}

fn fill(path: &str, id: &str) -> String {
    path.replace("{id}", id).replace("{code}", "department_kind")
}

fn assert_4xx(status: StatusCode, body: &Value, what: &str) {
    assert!(status.is_client_error(), "{what}: got {status} {body}");
    assert!(body["code"].as_str().is_some_and(|c| !c.is_empty()), "{what}: no code in {body}");
    assert!(body["message"].as_str().is_some_and(|c| !c.is_empty()), "{what}: no message in {body}");
    assert!(body["request_id"].as_str().is_some(), "{what}: no request_id in {body}");
}

async fn raw(
    app: &TestApp,
    s: Option<&Session>,
    method: &str,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let mut b = Request::builder().method(Method::from_bytes(method.to_uppercase().as_bytes()).unwrap()).uri(path);
    if let Some(s) = s {
        b = b.header(header::COOKIE, &s.cookie).header("x-csrf-token", &s.csrf);
    }
    if !content_type.is_empty() {
        b = b.header(header::CONTENT_TYPE, content_type);
    }
    app.send(b.body(Body::from(body)).unwrap()).await
}

async fn snapshot(app: &TestApp) -> Vec<i64> {
    let mut v = Vec::new();
    for t in [
        "users",
        "user_roles",
        "roles",
        "role_permissions",
        "departments",
        "dict_types",
        "dict_items",
        "portal_tiles",
        "enforcement_items",
        "region_boundaries",
        "cases",
        "clues",
        "case_tasks",
        "case_events",
        "dedup_reviews",
        "workflows",
        "workflow_versions",
        "grading_rules",
        "calendar_days",
        "intake_nonces",
        "outbox",
    ] {
        v.push(app.count(t).await);
    }
    let (h,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE username = 'sysadmin'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    v.push(h.len() as i64);
    v
}

#[tokio::test]
async fn every_endpoint_refuses_anonymous_and_unpermitted_callers() {
    let app = TestApp::new().await;
    app.add_user("nobody", "丽水市司法局", &[]).await;
    let nobody = app.login("nobody").await;
    let before = snapshot(&app).await;
    for (method, path) in routes() {
        let key = (method.as_str(), path.as_str());
        let p = fill(&path, "1");
        let body = if method == "get" || method == "delete" { vec![] } else { b"{}".to_vec() };
        if !PUBLIC.contains(&key) {
            let (status, resp) = raw(&app, None, &method, &p, "application/json", body.clone()).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {p} anonymous: {resp}");
            assert_4xx(status, &resp, &format!("{method} {p} anonymous"));
        }
        if !PUBLIC.contains(&key) && !OPEN_TO_ALL_USERS.contains(&key) {
            let (status, resp) = raw(&app, Some(&nobody), &method, &p, "application/json", body).await;
            let expected = if signed(&path) { StatusCode::UNAUTHORIZED } else { StatusCode::FORBIDDEN };
            assert_eq!(status, expected, "{method} {p} without permission: {resp}");
            assert_4xx(status, &resp, &format!("{method} {p} without permission"));
        }
    }
    assert_eq!(snapshot(&app).await, before, "nothing may change");
}

#[tokio::test]
async fn every_endpoint_answers_bad_input_with_a_4xx_and_writes_nothing() {
    let app = TestApp::new().await;
    let sessions = [app.login("sysadmin").await, app.login("secadmin").await, app.login("auditadmin").await];
    let before = snapshot(&app).await;
    let huge = format!("{{\"name\": \"{}\"}}", "丽".repeat(800_000)).into_bytes();
    let wrong_types = json!({"username": 1, "display_name": [], "department_id": "x", "password": false, "ids": "1",
        "enabled": "yes", "name": 5, "code": {}, "kind": 1, "region_code": 331102, "permissions": "all",
        "data_scope": 3, "value": [], "label": null, "url": 7, "icon": 8, "new_password": 9, "old_password": 10, "field": 11,
        "type": 1, "features": "none", "parent_id": "root", "role_ids": "x", "sort_order": "first"}).to_string().into_bytes();
    for (method, path, has_body) in operations() {
        if path == "/api/auth/logout" {
            continue;
        }
        for s in &sessions {
            let p = fill(&path, "1");
            // Bad ids in the path.
            if path.contains("{id}") {
                for bad in ["abc", "-1", "99999999999999999999", "1.5"] {
                    let (status, resp) =
                        raw(&app, Some(s), &method, &fill(&path, bad), "application/json", b"{}".to_vec()).await;
                    assert_4xx(status, &resp, &format!("{method} {path} id={bad}"));
                }
            }
            if method == "get" {
                for q in [
                    "page=abc",
                    "page=0",
                    "page_size=100000",
                    "unknown_param=1",
                    "sort=1;drop",
                    "enabled=maybe",
                    "from=x",
                ] {
                    let (status, resp) = raw(&app, Some(s), &method, &format!("{p}?{q}"), "", vec![]).await;
                    if status.is_success() {
                        continue; // endpoints without query parameters ignore nothing: they must not accept unknown ones either
                    }
                    assert_4xx(status, &resp, &format!("{method} {p}?{q}"));
                }
                continue;
            }
            if method == "delete" || !has_body {
                continue;
            }
            let cases: Vec<(&str, &str, Vec<u8>)> = vec![
                ("malformed JSON", "application/json", b"{\"name\": ".to_vec()),
                ("not an object", "application/json", b"[1,2,3]".to_vec()),
                ("unknown field", "application/json", b"{\"zzz_unknown_field\": 1}".to_vec()),
                ("wrong types", "application/json", wrong_types.clone()),
                ("oversized", "application/json", huge.clone()),
                ("wrong content type", "text/plain", b"hello".to_vec()),
                ("empty body", "application/json", vec![]),
            ];
            for (what, ct, body) in cases {
                let (status, resp) = raw(&app, Some(s), &method, &p, ct, body).await;
                assert_4xx(status, &resp, &format!("{method} {p} {what}"));
            }
        }
    }
    assert_eq!(snapshot(&app).await, before, "bad input must not change anything");
}

#[tokio::test]
async fn get_endpoints_reject_unknown_query_parameters_where_they_take_any() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    for p in ["/api/platform/users", "/api/platform/enforcement-items"] {
        let (status, body) = app.get(&admin, &format!("{p}?nonsense=1")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}: {body}");
    }
    let auditor = app.login("auditadmin").await;
    let (status, _) = app.get(&auditor, "/api/platform/audit?from=10&to=5").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

//! Test harness: a fresh database per test (SQLite file, or a new PostgreSQL database when
//! `XIEZHI_TEST_DATABASE_URL` names a PostgreSQL server), the real router, and a cookie client.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use xiezhi_api::{AppState, AuthSettings};
use xiezhi_domain::crypto::FieldCipher;
use xiezhi_storage::platform::{department, role, user};
use xiezhi_storage::{Backend, Db, DbOptions};

pub const PASSWORD: &str = "Lishui@2026test";

pub struct TestApp {
    pub db: Db,
    pub state: AppState,
    pub router: Router,
}

fn unique() -> String {
    format!("{}_{}", std::process::id(), hex::encode(rand::random::<[u8; 6]>()))
}

/// A fresh, migrated database of the backend under test.
pub async fn fresh_db() -> Db {
    let url = match std::env::var("XIEZHI_TEST_DATABASE_URL") {
        Ok(admin) if admin.starts_with("postgres") => {
            let name = format!("xz_test_{}", unique());
            let admin_db =
                Db::connect(&DbOptions { url: admin.clone(), max_connections: 1, sqlite_synchronous: "normal".into() })
                    .await
                    .expect("connect to PostgreSQL admin database");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(admin_db.pool())
                .await
                .expect("create db");
            admin_db.close().await;
            let base = admin.rsplit_once('/').map(|(b, _)| b.to_owned()).expect("url has a database");
            format!("{base}/{name}")
        }
        _ => {
            let path = std::env::temp_dir().join(format!("xz_test_{}.db", unique()));
            format!("sqlite://{}?mode=rwc", path.display())
        }
    };
    let db = Db::connect(&DbOptions { url, max_connections: 4, sqlite_synchronous: "normal".into() })
        .await
        .expect("connect");
    db.migrate().await.expect("migrate");
    xiezhi_api::bootstrap(&db).await.expect("bootstrap");
    db
}

pub fn cheap_auth() -> AuthSettings {
    AuthSettings { argon2_memory_kib: 1024, argon2_iterations: 1, ..AuthSettings::default() }
}

impl TestApp {
    pub async fn new() -> TestApp {
        let db = fresh_db().await;
        let cipher = FieldCipher::from_hex(&FieldCipher::generate_key_hex()).unwrap();
        let state = AppState::new(
            db.clone(),
            cipher,
            cheap_auth(),
            None,
            std::env::temp_dir().join(format!("xz_data_{}", unique())),
        );
        let router = xiezhi_api::app(state.clone());
        let app = TestApp { db, state, router };
        app.add_role(
            "city_leader",
            "市领导",
            "all",
            &["platform:org:view", "platform:user:view", "platform:region:view"],
        )
        .await;
        app.add_role("county_leader", "县领导", "region", &["platform:org:view", "platform:user:view"]).await;
        app.add_role("handler", "部门处置人员", "department", &["platform:region:view"]).await;
        app.add_role(
            "dispatcher",
            "调度员",
            "all",
            &["clue:config:view", "clue:config:edit", "clue:source:view", "clue:source:edit", "platform:org:view"],
        )
        .await;
        app.add_user("sysadmin", "丽水市综合行政执法局办公室", &["sys_admin"]).await;
        app.add_user("secadmin", "丽水市综合行政执法局政策法规科", &["security_admin"]).await;
        app.add_user("auditadmin", "丽水市综合行政执法局执法监督科", &["audit_admin"]).await;
        app.add_user("cityleader", "丽水市综合行政执法局", &["city_leader"]).await;
        app.add_user("countyleader", "莲都区综合行政执法局", &["county_leader"]).await;
        app.add_user("handler", "丽水市市场监督管理局", &["handler"]).await;
        app.add_user("dispatcher", "丽水市综合行政执法局智慧城管指挥中心", &["dispatcher"]).await;
        app
    }

    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    pub async fn add_role(&self, code: &str, name: &str, scope: &str, perms: &[&str]) -> i64 {
        let mut tx = self.db.begin().await.unwrap();
        let id = role::insert(
            &mut tx,
            &role::RoleWrite {
                code: code.into(),
                name: name.into(),
                description: String::new(),
                data_scope: scope.into(),
            },
            1,
        )
        .await
        .unwrap();
        role::set_permissions(&mut tx, id, &perms.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>()).await.unwrap();
        tx.commit().await.unwrap();
        id
    }

    pub async fn dept_id(&self, name: &str) -> i64 {
        let mut c = self.db.conn().await.unwrap();
        department::list(&mut c).await.unwrap().into_iter().find(|d| d.name == name).expect(name).id
    }

    pub async fn role_id(&self, code: &str) -> i64 {
        let mut c = self.db.conn().await.unwrap();
        role::find_by_code(&mut c, code).await.unwrap().expect(code)
    }

    pub async fn add_user(&self, username: &str, dept: &str, roles: &[&str]) -> i64 {
        let department_id = self.dept_id(dept).await;
        let mut role_ids = Vec::new();
        for r in roles {
            role_ids.push(self.role_id(r).await);
        }
        let hash = self.state.auth.hash_password(PASSWORD.into()).await.unwrap();
        let mut tx = self.db.begin().await.unwrap();
        let id = user::insert(
            &mut tx,
            &user::NewUser {
                username: username.into(),
                display_name: format!("测试{username}"),
                department_id,
                password_hash: hash,
                phone: None,
                id_number: None,
                email: None,
                enabled: true,
                employee_code: None,
            },
            1,
        )
        .await
        .unwrap();
        user::set_roles(&mut tx, id, &role_ids).await.unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// Send a request; returns status and JSON body (Null when empty or not JSON).
    pub async fn send(&self, req: Request<Body>) -> (StatusCode, Value) {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    pub async fn login(&self, username: &str) -> Session {
        self.login_with(username, PASSWORD).await.expect("login")
    }

    pub async fn login_with(&self, username: &str, password: &str) -> Result<Session, (StatusCode, Value)> {
        let body = serde_json::json!({ "username": username, "password": password });
        let req = Request::post("/api/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let cookie = res
            .headers()
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or_default().to_owned());
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let json: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if status != StatusCode::OK {
            return Err((status, json));
        }
        Ok(Session { cookie: cookie.expect("cookie"), csrf: json["csrf_token"].as_str().unwrap().to_owned(), me: json })
    }

    pub async fn call(
        &self,
        s: Option<&Session>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut b = Request::builder().method(method.clone()).uri(path);
        if let Some(s) = s {
            b = b.header(header::COOKIE, &s.cookie);
            if method != Method::GET {
                b = b.header("x-csrf-token", &s.csrf);
            }
        }
        let req = match body {
            Some(v) => b.header(header::CONTENT_TYPE, "application/json").body(Body::from(v.to_string())).unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    pub async fn get(&self, s: &Session, path: &str) -> (StatusCode, Value) {
        self.call(Some(s), Method::GET, path, None).await
    }

    pub async fn post(&self, s: &Session, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Some(s), Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, s: &Session, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Some(s), Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, s: &Session, path: &str) -> (StatusCode, Value) {
        self.call(Some(s), Method::DELETE, path, None).await
    }

    /// Number of rows in a table (for "nothing was written" checks).
    pub async fn count(&self, table: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(self.db.pool())
            .await
            .unwrap();
        n
    }

    pub async fn exec(&self, sql: &str) {
        sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).execute(self.db.pool()).await.unwrap();
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    pub me: Value,
}

impl Session {
    pub fn permissions(&self) -> Vec<String> {
        self.me["user"]["permissions"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
    }
}

/// Assert the standard error body.
pub fn assert_error(status: StatusCode, body: &Value, expected: StatusCode, code: &str) {
    assert_eq!(status, expected, "body: {body}");
    assert_eq!(body["code"], code, "body: {body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "body: {body}");
    assert!(body["request_id"].as_str().is_some_and(|m| !m.is_empty()), "body: {body}");
}

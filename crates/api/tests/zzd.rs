//! 浙政钉 end to end against the ZZD simulator on a real listener, on both backends: QR-code
//! log-in lands in the linked account with its permissions; in-app log-in; organisation sync with
//! a diff preview; a new task sends a work notification that reaches the inbox exactly once,
//! through faults and replays.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Session, TestApp, assert_error};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use xiezhi_sim::faults::FaultSettings;
use xiezhi_sim::zzd::{DEMO_API_KEY, DEMO_SECRET, ROOT_ORG, TENANT_ID, ZzdSim};
use xiezhi_storage::clue::config;
use xiezhi_storage::integration::{self as sys_store, SystemWrite};

struct Fixture {
    app: TestApp,
    sim: Arc<ZzdSim>,
    sysadmin: Session,
}

async fn serve_sim() -> (Arc<ZzdSim>, String) {
    let sim = Arc::new(ZzdSim::new());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = xiezhi_sim::zzd::router(sim.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (sim, format!("http://{addr}"))
}

async fn setup() -> Fixture {
    let app = TestApp::new().await;
    let (sim, base) = serve_sim().await;
    let mut tx = app.db.begin().await.unwrap();
    sys_store::update_system(
        &mut tx,
        "zzd",
        &SystemWrite {
            enabled: true,
            endpoint: base,
            app_key: DEMO_API_KEY.into(),
            secret_enc: Some(app.state.cipher.encrypt(DEMO_SECRET)),
            timeout_ms: 2000,
            max_attempts: 12,
            schedule_minutes: 0,
            options: json!({"tenant_id": TENANT_ID.to_string(), "notify": true, "root_org": ROOT_ORG}).to_string(),
        },
        "test",
        1,
    )
    .await
    .unwrap();
    let manual = config::SourceWrite {
        code: "manual".into(),
        name: "人工录入".into(),
        kind: "manual".into(),
        region_code: None,
        department_id: None,
        callback_url: None,
        category_mapping: "{}".into(),
        field_mapping: "{}".into(),
        enabled: true,
    };
    config::insert_source(&mut tx, &manual, "lsxz_manual", &app.state.cipher.encrypt("x"), 1).await.unwrap();
    tx.commit().await.unwrap();
    app.add_role("zzd_handler", "处置", "department", &["clue:case:view", "clue:case:handle"]).await;
    app.add_role(
        "zzd_dispatcher",
        "调度",
        "all",
        &["clue:case:view", "clue:case:handle", "clue:case:dispatch", "clue:case:create"],
    )
    .await;
    // 周海涛 (LS000103) and 吴丽娟 (LS000102) in the simulator.
    app.add_user("zhouht", "莲都区综合行政执法局", &["zzd_handler"]).await;
    app.add_user("wulj", "丽水市综合行政执法局智慧城管指挥中心", &["zzd_dispatcher"]).await;
    app.add_user("other_dispatcher", "丽水市综合行政执法局智慧城管指挥中心", &["zzd_dispatcher"]).await;
    app.exec("UPDATE users SET employee_code = 'LS000103' WHERE username = 'zhouht'").await;
    let phone = "13905781003";
    let (enc, idx) = (app.state.cipher.encrypt(phone), app.state.cipher.blind_index(phone));
    app.exec(&format!(
        "UPDATE users SET phone_enc = '{enc}', phone_masked = '139****1003', phone_index = '{idx}' WHERE username = 'wulj'"
    ))
    .await;
    let sysadmin = app.login("sysadmin").await;
    Fixture { app, sim, sysadmin }
}

fn account_of(sim: &ZzdSim, name: &str) -> i64 {
    sim.staff().into_iter().find(|s| s.name == name).unwrap().account_id
}

fn set_cookie(res: &axum::response::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .find(|kv| kv.starts_with(&format!("{name}=")) && kv.len() > name.len() + 1)
}

fn location(res: &axum::response::Response) -> String {
    res.headers()[header::LOCATION].to_str().unwrap().to_owned()
}

/// authorize (our server) → QR page (simulator) → confirm (simulator) → callback (our server).
/// Returns the callback response.
async fn qr_login(f: &Fixture, name: &str) -> axum::response::Response {
    let res = f
        .app
        .router
        .clone()
        .oneshot(
            Request::get("/api/auth/zzd/authorize").header(header::HOST, "xiezhi.test").body(Body::empty()).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page_url = location(&res);
    let state_cookie = set_cookie(&res, "xiezhi_zzd_state").unwrap();
    assert!(page_url.contains("/oauth2/auth.htm?") && page_url.contains("authType=QRCODE"), "{page_url}");
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = http.get(&page_url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(name), "the QR page lists the organisation's accounts");
    let query: Vec<(String, String)> = serde_urlencoded::from_str(page_url.split_once('?').unwrap().1).unwrap();
    let get = |k: &str| query.iter().find(|(a, _)| a == k).unwrap().1.clone();
    assert_eq!(get("redirect_uri"), "http://xiezhi.test/api/auth/zzd/callback");
    let confirm_url = page_url.replace("/oauth2/auth.htm", "/oauth2/confirm.htm");
    let confirm_url = confirm_url.split_once('?').unwrap().0.to_owned();
    let back = http
        .post(confirm_url)
        .form(&[
            ("client_id", get("client_id")),
            ("redirect_uri", get("redirect_uri")),
            ("state", get("state")),
            ("account_id", account_of(&f.sim, name).to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert!(back.status().is_redirection());
    let cb = back.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let path = cb.strip_prefix("http://xiezhi.test").unwrap().to_owned();
    f.app
        .router
        .clone()
        .oneshot(Request::get(path).header(header::COOKIE, state_cookie).body(Body::empty()).unwrap())
        .await
        .unwrap()
}

async fn me(app: &TestApp, cookie: &str) -> (StatusCode, Value) {
    app.send(Request::get("/api/auth/me").header(header::COOKIE, cookie).body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn qr_login_lands_in_the_linked_account_with_its_permissions() {
    let f = setup().await;
    let res = qr_login(&f, "周海涛").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/");
    let sid = set_cookie(&res, "xiezhi_sid").expect("session cookie");
    let (st, body) = me(&f.app, &sid).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["user"]["username"], "zhouht");
    let perms: Vec<&str> = body["user"]["permissions"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(perms.contains(&"clue:case:handle") && !perms.contains(&"clue:case:dispatch"), "{perms:?}");
    // Linked automatically by employee code, audited.
    let (st, accounts) = f.app.get(&f.sysadmin, "/api/integration/zzd/accounts?linked=true").await;
    assert_eq!(st, StatusCode::OK, "{accounts}");
    let a = &accounts["items"][0];
    assert_eq!((a["username"].as_str(), a["link_method"].as_str()), (Some("zhouht"), Some("employee_code")));
    assert!(a["last_login_at"].as_i64().is_some());
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND outcome = 'success' AND summary LIKE '%浙政钉扫码登录成功%'",
    )
    .fetch_one(f.app.db.pool())
    .await
    .unwrap();
    assert_eq!(n, 1);
    // The second log-in uses the stored link.
    let again = qr_login(&f, "周海涛").await;
    assert_eq!(location(&again), "/");
}

#[tokio::test]
async fn connection_test_fetches_a_token_and_names_a_wrong_secret() {
    let f = setup().await;
    let s = xiezhi_api::integration::settings(&f.app.state, "zzd").await.unwrap();
    assert!(xiezhi_api::integration::zzd::test_connection(&f.app.state, &s).await.is_ok());
    let wrong = xiezhi_api::integration::Settings { secret: "wrong".into(), ..s };
    let e = xiezhi_api::integration::zzd::test_connection(&f.app.state, &wrong).await.unwrap_err();
    assert!(e.contains("InvalidSignature"), "{e}");
}

#[tokio::test]
async fn qr_login_refuses_bad_state_unlinked_accounts_and_reused_codes() {
    let f = setup().await;
    // An account with no local user.
    let stranger = f.sim.staff().into_iter().find(|s| s.employee_code.starts_with("GE_")).unwrap().name;
    let res = qr_login(&f, &stranger).await;
    assert_eq!(location(&res), "/login?zzd_error=zzd_unlinked");
    assert!(set_cookie(&res, "xiezhi_sid").is_none());
    // No state cookie.
    let code = f.sim.issue_code(account_of(&f.sim, "周海涛")).unwrap();
    let res = f
        .app
        .router
        .clone()
        .oneshot(
            Request::get(format!("/api/auth/zzd/callback?code={code}&state=0123456789abcdef0123456789abcdef"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(location(&res), "/login?zzd_error=zzd_state");
    // A disabled system sends the browser back to the log-in page.
    f.app.exec("UPDATE external_systems SET enabled = 0 WHERE code = 'zzd'").await;
    let res = f
        .app
        .router
        .clone()
        .oneshot(Request::get("/api/auth/zzd/authorize").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(location(&res), "/login?zzd_error=zzd_disabled");
}

#[tokio::test]
async fn in_app_login_exchanges_the_auth_code_for_a_session() {
    let f = setup().await;
    let code = f.sim.issue_code(account_of(&f.sim, "周海涛")).unwrap();
    let req = Request::post("/api/auth/zzd/app-login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "auth_code": code }).to_string()))
        .unwrap();
    let res = f.app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let sid = set_cookie(&res, "xiezhi_sid").unwrap();
    let body: Value = serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(body["user"]["username"], "zhouht");
    assert!(body["csrf_token"].as_str().is_some());
    assert_eq!(me(&f.app, &sid).await.0, StatusCode::OK);
    // The code was used up.
    let (st, e) =
        f.app.call(None, axum::http::Method::POST, "/api/auth/zzd/app-login", Some(json!({ "auth_code": code }))).await;
    assert_error(st, &e, StatusCode::BAD_GATEWAY, "zzd_upstream");
}

#[tokio::test]
async fn sync_previews_a_diff_then_applies_it_and_links_by_code_and_mobile() {
    let f = setup().await;
    // An organisation with no local department of its name.
    f.sim.set_org(xiezhi_domain::integration::zzd::Organization {
        organization_code: "GO_ls331102nmszd".into(),
        organization_name: "莲都区综合行政执法局南明山执法中队".into(),
        parent_code: "GO_ls331102zhzfj".into(),
        display_order: 99,
        status: "A".into(),
    });
    let (st, run) = f.app.post(&f.sysadmin, "/api/integration/zzd/sync/preview", json!({})).await;
    assert_eq!(st, StatusCode::OK, "{run}");
    assert_eq!(run["status"], "preview", "{run}");
    let added = run["diff"]["accounts_added"].as_array().unwrap();
    assert_eq!(added.len(), f.sim.staff().len());
    assert!(
        run["diff"]["orgs_added"].as_array().unwrap().iter().any(|o| o["department_name"] == "紫金街道综合行政执法队")
    );
    let links: Vec<(String, String)> = run["diff"]["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["username"].as_str().unwrap().to_owned(), l["method"].as_str().unwrap().to_owned()))
        .collect();
    assert!(links.contains(&("zhouht".into(), "employee_code".into())), "{links:?}");
    assert!(links.contains(&("wulj".into(), "mobile".into())), "{links:?}");
    assert!(!run.to_string().contains("mobile_enc") && !run.to_string().contains("13905781003"), "no personal data");
    // Nothing is written before apply.
    assert_eq!(f.app.count("zzd_accounts").await, 0);
    let new_org =
        run["diff"]["orgs_added"].as_array().unwrap().iter().find(|o| o["org_code"] == "GO_ls331102nmszd").cloned();
    assert_eq!(new_org.map(|o| o["create_department"].clone()), Some(json!(true)));
    let id = run["id"].as_i64().unwrap();
    let (st, applied) = f.app.post(&f.sysadmin, &format!("/api/integration/zzd/sync/runs/{id}/apply"), json!({})).await;
    assert_eq!(st, StatusCode::OK, "{applied}");
    assert_eq!(applied["status"], "applied");
    let (region, parent): (String, String) = sqlx::query_as(
        "SELECT d.region_code, p.name FROM departments d JOIN departments p ON p.id = d.parent_id WHERE d.name = $1",
    )
    .bind("莲都区综合行政执法局南明山执法中队")
    .fetch_one(f.app.db.pool())
    .await
    .unwrap();
    assert_eq!((region.as_str(), parent.as_str()), ("331102", "莲都区综合行政执法局"));
    let (st, e) = f.app.post(&f.sysadmin, &format!("/api/integration/zzd/sync/runs/{id}/apply"), json!({})).await;
    assert_error(st, &e, StatusCode::CONFLICT, "zzd_sync_not_preview");
    let (_, linked) = f.app.get(&f.sysadmin, "/api/integration/zzd/accounts?linked=true").await;
    assert_eq!(linked["total"], 2);
    // A member leaves ZZD: the next preview shows it, apply marks the account as left.
    let mut leaving = f.sim.staff().into_iter().find(|s| s.name == "周海涛").unwrap();
    leaving.status = "F".into();
    f.sim.set_staff(leaving);
    let (_, run2) = f.app.post(&f.sysadmin, "/api/integration/zzd/sync/preview", json!({})).await;
    assert_eq!(run2["diff"]["accounts_removed"].as_array().unwrap().len(), 1, "{run2}");
    assert_eq!(run2["diff"]["accounts_added"].as_array().unwrap().len(), 0);
    let id2 = run2["id"].as_i64().unwrap();
    f.app.post(&f.sysadmin, &format!("/api/integration/zzd/sync/runs/{id2}/apply"), json!({})).await;
    let res = qr_login(&f, "吴丽娟").await;
    assert_eq!(location(&res), "/");
    // Unlink by the administrator: the log-in stops working.
    let wu = account_of(&f.sim, "吴丽娟");
    let (st, _) = f.app.delete(&f.sysadmin, &format!("/api/integration/zzd/accounts/{wu}/link")).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    // Mobile links are automatic again on the next log-in only when the mobile still matches.
    let wulj = f.app.add_user("wulj2", "丽水市综合行政执法局智慧城管指挥中心", &["zzd_dispatcher"]).await;
    let (st, a) =
        f.app.put(&f.sysadmin, &format!("/api/integration/zzd/accounts/{wu}/link"), json!({ "user_id": wulj })).await;
    assert_eq!(st, StatusCode::OK, "{a}");
    assert_eq!((a["username"].as_str(), a["link_method"].as_str()), (Some("wulj2"), Some("admin")));
    let res = qr_login(&f, "吴丽娟").await;
    let sid = set_cookie(&res, "xiezhi_sid").unwrap();
    assert_eq!(me(&f.app, &sid).await.1["user"]["username"], "wulj2");
}

async fn drain_all(app: &TestApp) {
    let http = reqwest::Client::new();
    for _ in 0..50 {
        // Everything due now; failed attempts are made due again at once.
        app.exec("UPDATE outbox SET next_attempt_at = 0 WHERE status = 'pending'").await;
        xiezhi_api::integration::relay::drain(&app.state, &http).await.unwrap();
        if app.count("outbox WHERE status = 'pending'").await == 0 {
            return;
        }
    }
    panic!("the outbox did not drain");
}

#[tokio::test]
async fn a_new_task_sends_a_work_notification_that_arrives_exactly_once() {
    let f = setup().await;
    // Link 吴丽娟 (dispatcher) by logging in once.
    let res = qr_login(&f, "吴丽娟").await;
    assert_eq!(location(&res), "/login?zzd_error=zzd_unlinked", "not linked before sync (mobile only)");
    let (_, run) = f.app.post(&f.sysadmin, "/api/integration/zzd/sync/preview", json!({})).await;
    let id = run["id"].as_i64().unwrap();
    f.app.post(&f.sysadmin, &format!("/api/integration/zzd/sync/runs/{id}/apply"), json!({})).await;
    let wulj = f.app.login("wulj").await;
    // Faults: every other request fails, some after ZZD has taken the message.
    f.sim.faults.set(FaultSettings { error_rate: 0.3, drop_after_commit_rate: 0.3, ..Default::default() });
    let (st, case) = f
        .app
        .post(
            &wulj,
            "/api/clue/cases",
            json!({"description": "市民来电：紫金街道中山街有人占道经营", "address": "莲都区紫金街道中山街", "category_code": "E0502"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{case}");
    assert_eq!(f.app.count("outbox WHERE channel = 'zzd_notice'").await, 1);
    drain_all(&f.app).await;
    f.sim.faults.set(FaultSettings::default());
    let inbox = f.sim.inbox();
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    let n = &inbox[0];
    assert_eq!(n.receiver_ids, vec![account_of(&f.sim, "吴丽娟").to_string()], "only the linked dispatcher");
    assert_eq!(n.tenant_id, TENANT_ID.to_string());
    let title = n.msg["oa"]["body"]["title"].as_str().unwrap();
    assert!(title.starts_with("新任务："), "{title}");
    let url = n.msg["oa"]["message_url"].as_str().unwrap();
    assert!(url.contains("/zzd/h5?redirect=%2Fclue%2Fcases%2F"), "in the app the link logs in first: {url}");
    let content = n.msg["oa"]["body"]["content"].as_str().unwrap();
    assert!(content.contains(case["case_no"].as_str().unwrap()), "{content}");
    // Replaying the delivered message (operator) reaches ZZD again and is dropped by bizMsgId.
    f.app.exec("UPDATE outbox SET status = 'pending', next_attempt_at = 0 WHERE channel = 'zzd_notice'").await;
    drain_all(&f.app).await;
    let inbox = f.sim.inbox();
    assert_eq!(inbox.len(), 1);
    assert!(inbox[0].repeats >= 1);
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM exchanges WHERE system = 'zzd' AND interface = 'work_notification' AND outcome = 'ok'",
    )
    .fetch_one(f.app.db.pool())
    .await
    .unwrap();
    assert!(n >= 2);
    // A notice for a task finished before it goes out is not sent.
    f.app.exec("UPDATE outbox SET status = 'pending', next_attempt_at = 0 WHERE channel = 'zzd_notice'").await;
    f.app.exec("UPDATE case_tasks SET status = 'done'").await;
    let repeats = f.sim.inbox()[0].repeats;
    drain_all(&f.app).await;
    assert_eq!(f.sim.inbox()[0].repeats, repeats, "not sent again");
    f.app.exec("UPDATE case_tasks SET status = 'open'").await;
    // Notifications off: the next case queues nothing.
    f.app.exec("UPDATE external_systems SET options = '{\"notify\":false}' WHERE code = 'zzd'").await;
    let (st, _) = f
        .app
        .post(&wulj, "/api/clue/cases", json!({"description": "市民来电：岩泉街道有人乱堆物料", "address": "莲都区岩泉街道", "category_code": "E0502"}))
        .await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(f.app.count("outbox WHERE channel = 'zzd_notice'").await, 1);
}

#[tokio::test]
async fn due_warnings_and_overdue_notices_are_sent_once_per_task() {
    let f = setup().await;
    let (_, run) = f.app.post(&f.sysadmin, "/api/integration/zzd/sync/preview", json!({})).await;
    let id = run["id"].as_i64().unwrap();
    f.app.post(&f.sysadmin, &format!("/api/integration/zzd/sync/runs/{id}/apply"), json!({})).await;
    let wulj = f.app.login("wulj").await;
    let (st, case) = f
        .app
        .post(
            &wulj,
            "/api/clue/cases",
            json!({"description": "市民来电：万象街道有人占道经营", "address": "莲都区万象街道", "category_code": "E0502"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{case}");
    let now = xiezhi_api::now_ms();
    let (case_id,): (i64,) = sqlx::query_as("SELECT id FROM cases WHERE case_no = $1")
        .bind(case["case_no"].as_str().unwrap())
        .fetch_one(f.app.db.pool())
        .await
        .unwrap();
    let task = format!("case_tasks WHERE case_id = {case_id} AND status = 'open'");
    assert_eq!(f.app.count(&task).await, 1, "{case}");
    // The warning time has passed, the deadline not yet.
    f.app
        .exec(&format!(
            "UPDATE case_tasks SET warn_at = {}, due_at = {} WHERE case_id = {} AND status = 'open'",
            now - 60_000,
            now + 3_600_000,
            case_id
        ))
        .await;
    assert_eq!(xiezhi_api::integration::zzd::notify_deadlines(&f.app.state).await.unwrap(), 1);
    assert_eq!(xiezhi_api::integration::zzd::notify_deadlines(&f.app.state).await.unwrap(), 0, "once per task");
    // Now overdue.
    f.app
        .exec(&format!("UPDATE case_tasks SET due_at = {} WHERE case_id = {} AND status = 'open'", now - 1000, case_id))
        .await;
    assert_eq!(xiezhi_api::integration::zzd::notify_deadlines(&f.app.state).await.unwrap(), 1);
    assert_eq!(xiezhi_api::integration::zzd::notify_deadlines(&f.app.state).await.unwrap(), 0);
    drain_all(&f.app).await;
    let titles: Vec<String> =
        f.sim.inbox().iter().map(|n| n.msg["oa"]["body"]["title"].as_str().unwrap().to_owned()).collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(titles[1].starts_with("即将到期：") && titles[2].starts_with("已超期："), "{titles:?}");
}

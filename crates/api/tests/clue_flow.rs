//! The clue center end to end through the router, on both backends: signed intake, numbering,
//! region, grading, routing to the unit's inbox, the whole workflow to 结案, returns and
//! extensions, dedup merging and review, rule changes taking effect for the next clue while
//! existing cases keep their pinned workflow version.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Session, TestApp, assert_error};
use serde_json::{Value, json};
use xiezhi_domain::clue::signature;
use xiezhi_storage::clue::config;

const SECRET: &str = "0123456789abcdef0123456789abcdef";
const APP_KEY: &str = "lsxz_test_liandu";

struct Flow {
    app: TestApp,
    dispatcher: Session,
    handler: Session,
    township: Session,
}

async fn setup() -> Flow {
    let app = TestApp::new().await;
    let case_perms =
        ["clue:case:view", "clue:case:handle", "clue:case:dispatch", "clue:case:create", "clue:case:export"];
    let mut dispatcher_perms = vec!["clue:config:view", "clue:config:edit", "clue:source:view", "platform:org:view"];
    dispatcher_perms.extend(case_perms);
    app.add_role("case_dispatcher", "调度", "all", &dispatcher_perms).await;
    app.add_role("unit_handler", "处置", "department", &["clue:case:view", "clue:case:handle"]).await;
    app.add_user("cd", "丽水市综合行政执法局智慧城管指挥中心", &["case_dispatcher"]).await;
    app.add_user("uh", "莲都区综合行政执法局", &["unit_handler"]).await;
    app.add_user("tw", "紫金街道综合行政执法队", &["unit_handler"]).await;
    let mut tx = app.db.begin().await.unwrap();
    let w = config::SourceWrite {
        code: "liandu".into(),
        name: "莲都区执法平台".into(),
        kind: "county".into(),
        region_code: Some("331102".into()),
        department_id: None,
        callback_url: None,
        category_mapping: r#"{"ZDJY":"E0502"}"#.into(),
        field_mapping: "{}".into(),
        enabled: true,
    };
    config::insert_source(&mut tx, &w, APP_KEY, &app.state.cipher.encrypt(SECRET), 1).await.unwrap();
    // Responsibility: 占道经营 and 违法建设 in 莲都区 → the district bureau.
    let unit = app.dept_id("莲都区综合行政执法局").await;
    for (code, hours) in [("E0502", 4), ("Z0101", 168)] {
        let cat = config::category_by_code(&mut tx, code).await.unwrap().unwrap();
        config::insert_responsibility(
            &mut tx,
            &config::ResponsibilityWrite {
                category_id: cat.id,
                region_code: "331102".into(),
                department_id: unit,
                tier: "county".into(),
                time_limit_hours: hours,
                note: String::new(),
                enabled: true,
            },
            1,
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let dispatcher = app.login("cd").await;
    let handler = app.login("uh").await;
    let township = app.login("tw").await;
    Flow { app, dispatcher, handler, township }
}

fn now_ms() -> i64 {
    xiezhi_api::now_ms()
}

fn nonce() -> String {
    hex::encode(rand::random::<[u8; 12]>())
}

async fn signed(
    app: &TestApp,
    method: &str,
    path: &str,
    body: &[u8],
    ts: i64,
    nonce: &str,
    secret: &str,
) -> (StatusCode, Value) {
    let ts = ts.to_string();
    let sig = signature::sign(secret, &signature::canonical(method, path, &ts, nonce, body));
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header("x-app-key", APP_KEY)
        .header("x-timestamp", ts)
        .header("x-nonce", nonce)
        .header("x-signature", sig);
    if method == "POST" {
        b = b.header(header::CONTENT_TYPE, "application/json");
    }
    app.send(b.body(Body::from(body.to_vec())).unwrap()).await
}

async fn push(app: &TestApp, clue: &Value) -> (StatusCode, Value) {
    signed(app, "POST", "/api/intake/v1/clues", clue.to_string().as_bytes(), now_ms(), &nonce(), SECRET).await
}

fn clue(id: &str, text: &str, category: &str, lon: f64, lat: f64) -> Value {
    json!({
        "source_clue_id": id,
        "reported_at": xiezhi_domain::clue::intake::format_time(now_ms() - 60_000),
        "description": text,
        "address": "丽水市莲都区紫金街道中山街",
        "location": {"longitude": lon, "latitude": lat, "coord_system": "wgs84"},
        "category_code": category,
        "reporter": {"name": "李建国", "phone": "13857812345"}
    })
}

async fn case_of(f: &Flow, s: &Session, case_no: &str) -> Value {
    let (st, page) = f.app.get(&f.dispatcher, &format!("/api/clue/cases?q={case_no}")).await;
    assert_eq!(st, StatusCode::OK, "{page}");
    let id = page["items"][0]["id"].as_i64().unwrap_or_else(|| panic!("{case_no}: {page}"));
    let (st, d) = f.app.get(s, &format!("/api/clue/cases/{id}")).await;
    assert_eq!(st, StatusCode::OK, "{d}");
    d
}

async fn act(f: &Flow, s: &Session, d: &Value, action: Value) -> Value {
    let id = d["case"]["id"].as_i64().unwrap();
    let (st, body) = f.app.post(s, &format!("/api/clue/cases/{id}/actions"), action.clone()).await;
    assert_eq!(st, StatusCode::OK, "{action} → {body}");
    body
}

fn actions(d: &Value) -> Vec<String> {
    d["actions"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap().to_owned()).collect()
}

async fn inbox_has(f: &Flow, s: &Session, case_no: &str) -> bool {
    let (st, page) = f.app.get(s, "/api/clue/inbox?box=todo&page_size=100").await;
    assert_eq!(st, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().iter().any(|i| i["case_no"] == case_no)
}

#[tokio::test]
async fn a_pushed_clue_is_numbered_placed_graded_routed_and_closed() {
    let f = setup().await;
    let (st, r) =
        push(&f.app, &clue("LD-1", "中山街菜场门口流动摊贩占道经营，三轮车堵住人行道", "ZDJY", 119.9276, 28.4515))
            .await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    let case_no = r["case_no"].as_str().unwrap().to_owned();
    assert_eq!(r["dedup"], "new");
    assert!(case_no.starts_with("331102") && case_no.len() == 19, "{case_no}");
    assert!(r["region_code"].as_str().unwrap().starts_with("331102"), "{r}");
    // Graded by the responsibility list and routed straight to the unit.
    let d = case_of(&f, &f.dispatcher, &case_no).await;
    assert_eq!(d["case"]["department_name"], "莲都区综合行政执法局");
    assert_eq!(d["case"]["activity"], "handle");
    assert_eq!(d["case"]["grading"], "auto");
    assert!(d["case"]["due_at"].as_i64().is_some());
    assert!(actions(&d).is_empty(), "the dispatcher does not act on the unit's task");
    assert_eq!(d["clues"][0]["reporter_phone"], "138****2345", "reporter masked");
    assert!(inbox_has(&f, &f.handler, &case_no).await);
    assert!(!inbox_has(&f, &f.township, &case_no).await);
    // The unit handles it; 反馈 goes to the dispatcher, 核查 to the township office, then 结案.
    let d = case_of(&f, &f.handler, &case_no).await;
    assert!(actions(&d).contains(&"submit".to_owned()), "{:?}", actions(&d));
    let (st, e) = f
        .app
        .post(&f.handler, &format!("/api/clue/cases/{}/actions", d["case"]["id"]), json!({"action": "submit"}))
        .await;
    assert_error(st, &e, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let d = act(&f, &f.handler, &d, json!({"action": "submit", "comment": "已劝离摊贩，现场恢复通行"})).await;
    assert_eq!(d["case"]["activity"], "report");
    let d = case_of(&f, &f.dispatcher, &case_no).await;
    let d = act(&f, &f.dispatcher, &d, json!({"action": "forward"})).await;
    assert_eq!(d["case"]["activity"], "verify");
    assert!(inbox_has(&f, &f.township, &case_no).await, "verification goes to the township office");
    let d = case_of(&f, &f.township, &case_no).await;
    let d = act(&f, &f.township, &d, json!({"action": "pass"})).await;
    assert_eq!(d["case"]["activity"], "close");
    let d = case_of(&f, &f.dispatcher, &case_no).await;
    let d = act(&f, &f.dispatcher, &d, json!({"action": "close"})).await;
    assert_eq!(d["case"]["status"], "closed");
    let names: Vec<&str> = d["events"].as_array().unwrap().iter().map(|e| e["action_name"].as_str().unwrap()).collect();
    for n in ["登记", "分级", "受理（自动）", "派遣（自动）", "提交处置结果", "转核查", "核查通过", "结案"]
    {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    // The source sees the outcome.
    let path = "/api/intake/v1/clues/LD-1";
    let (st, status) = signed(&f.app, "GET", path, b"", now_ms(), &nonce(), SECRET).await;
    assert_eq!(st, StatusCode::OK, "{status}");
    assert_eq!(status["status"], "closed");
    assert!(status["history"].as_array().unwrap().len() >= 8);
    // A user who never touched it and is outside its unit cannot open it.
    let (st, _) = f.app.get(&f.township, &format!("/api/clue/cases/{}", d["case"]["id"])).await;
    assert_eq!(st, StatusCode::OK, "the township office verified it");
}

#[tokio::test]
async fn returns_extensions_and_filing_review_follow_the_workflow() {
    let f = setup().await;
    // An enforcement clue waits for filing review (立案审理) by the dispatcher.
    let (st, r) =
        push(&f.app, &clue("LD-2", "紫金街道某小区楼顶违法搭建彩钢棚，约二十平方米", "Z0101", 119.9276, 28.4515)).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    let case_no = r["case_no"].as_str().unwrap().to_owned();
    let d = case_of(&f, &f.dispatcher, &case_no).await;
    assert_eq!(d["case"]["activity"], "file");
    assert!(inbox_has(&f, &f.dispatcher, &case_no).await);
    let d = act(&f, &f.dispatcher, &d, json!({"action": "file"})).await;
    assert_eq!(d["case"]["activity"], "handle", "graded cases are dispatched automatically");
    // The unit returns it: it goes back to the dispatcher without a unit.
    let d = case_of(&f, &f.handler, &case_no).await;
    let d = act(&f, &f.handler, &d, json!({"action": "return", "comment": "不属于本单位职责"})).await;
    assert_eq!(d["case"]["activity"], "dispatch");
    assert_eq!(d["case"]["returned_count"], 1);
    assert_eq!(d["case"]["grading"], "pending");
    let d = case_of(&f, &f.dispatcher, &case_no).await;
    let (st, e) = f
        .app
        .post(&f.dispatcher, &format!("/api/clue/cases/{}/actions", d["case"]["id"]), json!({"action": "dispatch"}))
        .await;
    assert_error(st, &e, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let unit = f.app.dept_id("莲都区综合行政执法局").await;
    let d = act(&f, &f.dispatcher, &d, json!({"action": "dispatch", "department_id": unit})).await;
    assert_eq!(d["case"]["activity"], "handle");
    assert_eq!(d["case"]["grading"], "manual");
    let due = d["case"]["due_at"].as_i64().unwrap();
    // Extension: asked by the unit, approved by the dispatcher; the deadline moves by 16 working hours.
    let d = case_of(&f, &f.handler, &case_no).await;
    let d = act(&f, &f.handler, &d, json!({"action": "request_extension", "comment": "需当事人自行拆除", "hours": 16}))
        .await;
    assert_eq!(d["case"]["activity"], "extension");
    let d = case_of(&f, &f.dispatcher, &case_no).await;
    let d = act(&f, &f.dispatcher, &d, json!({"action": "approve"})).await;
    assert_eq!(d["case"]["activity"], "handle");
    assert_eq!(d["case"]["extension_count"], 1);
    let new_due = d["case"]["due_at"].as_i64().unwrap();
    assert!(new_due >= due + 2 * 86_400_000 - 1, "16 working hours are at least two more days: {due} → {new_due}");
    // Someone outside the unit cannot act on the unit's task; an action of another step is refused.
    let (st, e) = f
        .app
        .post(
            &f.township,
            &format!("/api/clue/cases/{}/actions", d["case"]["id"]),
            json!({"action": "submit", "comment": "x"}),
        )
        .await;
    assert!(st == StatusCode::FORBIDDEN || st == StatusCode::NOT_FOUND, "{st} {e}");
    let (st, e) = f
        .app
        .post(&f.handler, &format!("/api/clue/cases/{}/actions", d["case"]["id"]), json!({"action": "approve"}))
        .await;
    assert_error(st, &e, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
}

#[tokio::test]
async fn rule_changes_apply_to_the_next_clue_and_cases_keep_their_workflow_version() {
    let f = setup().await;
    let (_, r1) = push(&f.app, &clue("LD-3", "中山街有人占道经营卖水果", "E0502", 119.9300, 28.4500)).await;
    let d1 = case_of(&f, &f.dispatcher, r1["case_no"].as_str().unwrap()).await;
    assert_eq!(d1["case"]["activity"], "handle");
    assert_eq!(d1["time_limit_hours"], 4);
    // The dispatcher changes the responsibility rule's time limit …
    let (_, list) = f.app.get(&f.dispatcher, "/api/clue/responsibilities?page_size=50").await;
    let rule = list["items"].as_array().unwrap().iter().find(|r| r["category_code"] == "E0502").unwrap().clone();
    let mut input = json!({
        "category_id": rule["category_id"], "region_code": rule["region_code"], "department_id": rule["department_id"],
        "tier": rule["tier"], "time_limit_hours": 24, "note": "", "enabled": true
    });
    let (st, body) =
        f.app.put(&f.dispatcher, &format!("/api/clue/responsibilities/{}", rule["id"]), input.clone()).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    // … and publishes a workflow version without automatic dispatch.
    let (_, wfs) = f.app.get(&f.dispatcher, "/api/clue/workflows").await;
    let wf = wfs[0].clone();
    let (_, detail) = f.app.get(&f.dispatcher, &format!("/api/clue/workflows/{}", wf["id"])).await;
    let mut def = detail["definition"].clone();
    let transitions = def["transitions"].as_array_mut().unwrap();
    transitions.retain(|t| !(t["from"] == "dispatch" && t["auto"] == true && t["action"] == "dispatch"));
    let (st, body) = f
        .app
        .put(
            &f.dispatcher,
            &format!("/api/clue/workflows/{}", wf["id"]),
            json!({"code": wf["code"], "name": wf["name"], "description": wf["description"], "priority": wf["priority"],
                   "conditions": [], "enabled": true, "definition": def, "note": "派遣改为人工"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["workflow"]["current_version"], 2);
    // An editor still on version 1 does not overwrite version 2.
    let (st, e) = f
        .app
        .put(
            &f.dispatcher,
            &format!("/api/clue/workflows/{}", wf["id"]),
            json!({"code": wf["code"], "name": "旧编辑器", "priority": 1, "enabled": true, "expected_version": 1}),
        )
        .await;
    assert_error(st, &e, StatusCode::CONFLICT, "version_changed");
    let (_, r2) = push(&f.app, &clue("LD-4", "解放街店外经营占用人行道摆放桌椅", "E0502", 119.9100, 28.4600)).await;
    let d2 = case_of(&f, &f.dispatcher, r2["case_no"].as_str().unwrap()).await;
    assert_eq!(d2["time_limit_hours"], 24, "the next clue follows the new limit");
    assert_eq!(d2["workflow_version"], 2);
    assert_eq!(d2["case"]["activity"], "dispatch", "version 2 dispatches by hand");
    let d1 = case_of(&f, &f.dispatcher, r1["case_no"].as_str().unwrap()).await;
    assert_eq!(d1["workflow_version"], 1, "the earlier case keeps version 1");
    assert_eq!(d1["time_limit_hours"], 4);
    // A broken definition is refused with reasons.
    let mut bad = detail["definition"].clone();
    bad["start"] = json!("nowhere");
    input["time_limit_hours"] = json!(0);
    let (st, body) = f
        .app
        .put(
            &f.dispatcher,
            &format!("/api/clue/workflows/{}", wf["id"]),
            json!({"code": wf["code"], "name": wf["name"], "priority": 1, "enabled": true, "definition": bad}),
        )
        .await;
    assert_error(st, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
}

#[tokio::test]
async fn duplicates_are_merged_or_queued_for_review() {
    let f = setup().await;
    let (_, a) = push(
        &f.app,
        &clue("LD-5", "丽阳街与中山街交叉口有流动摊贩占道经营，卖水果的三轮车堵住人行道", "E0502", 119.9226, 28.4535),
    )
    .await;
    let (st, b) =
        push(&f.app, &clue("LD-6", "中山街丽阳街路口水果三轮车占道经营，人行道走不了", "E0502", 119.92262, 28.45352))
            .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    assert_eq!(b["dedup"], "merged", "{b}");
    assert_eq!(b["case_no"], a["case_no"]);
    let d = case_of(&f, &f.dispatcher, a["case_no"].as_str().unwrap()).await;
    assert_eq!(d["case"]["clue_count"], 2);
    // A weaker match (neighbouring minor category, 150 m away) is queued for a dispatcher.
    let (_, c) = push(&f.app, &clue("LD-7", "丽阳街口有人摆摊卖东西", "E0503", 119.9240, 28.4545)).await;
    if c["dedup"] == "suspected" {
        let (_, reviews) = f.app.get(&f.dispatcher, "/api/clue/reviews").await;
        let review =
            reviews["items"].as_array().unwrap().iter().find(|r| r["case_no"] == c["case_no"]).unwrap().clone();
        let (st, _) = f
            .app
            .post(&f.dispatcher, &format!("/api/clue/reviews/{}/decision", review["id"]), json!({"merge": true}))
            .await;
        assert_eq!(st, StatusCode::NO_CONTENT);
        let merged = case_of(&f, &f.dispatcher, c["case_no"].as_str().unwrap()).await;
        assert_eq!(merged["case"]["status"], "merged");
        let d = case_of(&f, &f.dispatcher, a["case_no"].as_str().unwrap()).await;
        assert_eq!(d["case"]["clue_count"], 3);
        let (st, e) = f
            .app
            .post(&f.dispatcher, &format!("/api/clue/reviews/{}/decision", review["id"]), json!({"merge": false}))
            .await;
        assert_error(st, &e, StatusCode::CONFLICT, "already_decided");
    } else {
        assert_eq!(c["dedup"], "new", "{c}");
    }
    // The same problem far away is a new case.
    let (_, far) = push(
        &f.app,
        &clue("LD-8", "丽阳街与中山街交叉口有流动摊贩占道经营，卖水果的三轮车堵住人行道", "E0502", 119.9500, 28.4700),
    )
    .await;
    assert_eq!(far["dedup"], "new");
}

#[tokio::test]
async fn intake_refuses_bad_requests_and_writes_nothing() {
    let f = setup().await;
    let before = (f.app.count("clues").await, f.app.count("cases").await, f.app.count("audit_log").await);
    let body = clue("LD-9", "中山街占道经营", "E0502", 119.92, 28.45).to_string();
    let path = "/api/intake/v1/clues";
    let (st, e) = signed(&f.app, "POST", path, body.as_bytes(), now_ms(), &nonce(), "wrong-secret").await;
    assert_error(st, &e, StatusCode::UNAUTHORIZED, "signature_invalid");
    let (st, e) = signed(&f.app, "POST", path, body.as_bytes(), now_ms() - 6 * 60_000, &nonce(), SECRET).await;
    assert_error(st, &e, StatusCode::UNAUTHORIZED, "timestamp_expired");
    let bad = json!({"source_clue_id": "LD-10", "reported_at": "昨天", "description": "短", "category_code": "E0502"});
    let (st, e) = push(&f.app, &bad).await;
    assert_error(st, &e, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let fields: Vec<&str> =
        e["details"]["errors"].as_array().unwrap().iter().map(|x| x["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"reported_at") && fields.contains(&"description"), "{fields:?}");
    let (st, e) = push(&f.app, &clue("LD-11", "北京天安门广场占道经营", "E0502", 116.39, 39.90)).await;
    assert_error(st, &e, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let (st, e) = push(&f.app, &clue("LD-12", "中山街占道经营有摊贩", "X9999", 119.92, 28.45)).await;
    assert_error(st, &e, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    // Replay of a nonce.
    let n = nonce();
    let ts = now_ms();
    let ok = clue("LD-13", "中山街占道经营有摊贩", "E0502", 119.92, 28.45).to_string();
    let (st, _) = signed(&f.app, "POST", path, ok.as_bytes(), ts, &n, SECRET).await;
    assert_eq!(st, StatusCode::CREATED);
    let after_one = (f.app.count("clues").await, f.app.count("cases").await);
    let (st, e) = signed(&f.app, "POST", path, ok.as_bytes(), ts, &n, SECRET).await;
    assert_error(st, &e, StatusCode::UNAUTHORIZED, "nonce_replayed");
    // Oversized batch.
    let many: Vec<Value> =
        (0..501).map(|i| clue(&format!("B-{i}"), "中山街占道经营有摊贩", "E0502", 119.92, 28.45)).collect();
    let batch = json!({ "clues": many }).to_string();
    let (st, e) =
        signed(&f.app, "POST", "/api/intake/v1/clues/batch", batch.as_bytes(), now_ms(), &nonce(), SECRET).await;
    assert_error(st, &e, StatusCode::PAYLOAD_TOO_LARGE, "batch_too_large");
    assert_eq!((f.app.count("clues").await, f.app.count("cases").await), after_one);
    assert_eq!(after_one, (before.0 + 1, before.1 + 1));
    // Idempotency.
    let (st, r) = signed(&f.app, "POST", path, ok.as_bytes(), now_ms(), &nonce(), SECRET).await;
    assert_eq!((st, r["replayed"].as_bool()), (StatusCode::OK, Some(true)));
    let changed = clue("LD-13", "中山街占道经营有摊贩，另有乱堆物", "E0502", 119.92, 28.45).to_string();
    let (st, e) = signed(&f.app, "POST", path, changed.as_bytes(), now_ms(), &nonce(), SECRET).await;
    assert_error(st, &e, StatusCode::CONFLICT, "idempotency_conflict");
    // Batch with a mix.
    let mix = json!({"clues": [
        clue("B-1", "紫金路占道经营摆摊", "E0502", 119.935, 28.455),
        {"source_clue_id": "B-2", "description": "缺少时间"},
        clue("B-1", "重复编号", "E0502", 119.935, 28.455)
    ]})
    .to_string();
    let (st, r) =
        signed(&f.app, "POST", "/api/intake/v1/clues/batch", mix.as_bytes(), now_ms(), &nonce(), SECRET).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!((r["accepted"].as_i64(), r["rejected"].as_i64()), (Some(1), Some(2)), "{r}");
    assert_eq!(r["results"][1]["error"]["code"], "validation_failed");
}

#[tokio::test]
async fn staff_enter_clues_by_hand_and_export_the_list() {
    let f = setup().await;
    let mut tx = f.app.db.begin().await.unwrap();
    let w = config::SourceWrite {
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
    config::insert_source(&mut tx, &w, "lsxz_manual", &f.app.state.cipher.encrypt("x"), 1).await.unwrap();
    tx.commit().await.unwrap();
    let (st, r) = f
        .app
        .post(
            &f.dispatcher,
            "/api/clue/cases",
            json!({"description": "市民来电：紫金街道中山街有人占道经营", "address": "莲都区紫金街道中山街", "category_code": "E0502",
                   "reporter_phone": "0578-2123456"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    assert!(r["region_code"].as_str().unwrap().starts_with("331102001"), "placed by the address: {r}");
    let (st, e) =
        f.app.post(&f.dispatcher, "/api/clue/cases", json!({"description": "短", "category_code": "E0502"})).await;
    assert_error(st, &e, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let (st, _) = f.app.get(&f.handler, "/api/clue/cases/export").await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let res = f.app.router.clone().oneshot_get("/api/clue/cases/export?status=active", &f.dispatcher).await;
    assert_eq!(res, StatusCode::OK);
}

trait OneshotGet {
    async fn oneshot_get(self, path: &str, s: &Session) -> StatusCode;
}

impl OneshotGet for axum::Router {
    async fn oneshot_get(self, path: &str, s: &Session) -> StatusCode {
        use tower::ServiceExt;
        let req = Request::get(path).header(header::COOKIE, &s.cookie).body(Body::empty()).unwrap();
        self.oneshot(req).await.unwrap().status()
    }
}

#[tokio::test]
async fn status_changes_are_called_back_to_the_source_signed_and_in_order() {
    use std::sync::{Arc, Mutex};
    let f = setup().await;
    let got: Arc<Mutex<Vec<(Value, bool)>>> = Arc::new(Mutex::new(Vec::new()));
    let sink = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
            let sink = sink.clone();
            async move {
                let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                let ok = signature::verify(
                    SECRET,
                    "POST",
                    "/hook",
                    &h("x-timestamp"),
                    &h("x-nonce"),
                    &body,
                    &h("x-signature"),
                    now_ms(),
                )
                .is_ok()
                    && h("x-app-key") == APP_KEY;
                sink.lock().unwrap().push((serde_json::from_slice(&body).unwrap_or(Value::Null), ok));
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    f.app.exec(&format!("UPDATE sources SET callback_url = 'http://{addr}/hook' WHERE app_key = '{APP_KEY}'")).await;
    let (_, r) = push(&f.app, &clue("LD-20", "中山街占道经营卖小吃", "E0502", 119.9276, 28.4515)).await;
    let d = case_of(&f, &f.handler, r["case_no"].as_str().unwrap()).await;
    act(&f, &f.handler, &d, json!({"action": "submit", "comment": "已处理"})).await;
    let d = case_of(&f, &f.dispatcher, r["case_no"].as_str().unwrap()).await;
    act(&f, &f.dispatcher, &d, json!({"action": "forward"})).await;
    let client = reqwest::Client::new();
    let n = xiezhi_api::integration::relay::drain(&f.app.state, &client).await.unwrap();
    assert!(n >= 1);
    // Per-key ordering: the second event goes out on the next pass.
    while xiezhi_api::integration::relay::drain(&f.app.state, &client).await.unwrap() > 0 {}
    let got = got.lock().unwrap().clone();
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got.iter().all(|(_, ok)| *ok), "every callback is signed with the source's secret");
    assert_eq!(got[0].0["action"], "create");
    assert_eq!(got[0].0["stage"], "handle", "registered, graded and dispatched");
    assert_eq!(got[1].0["action"], "submit");
    assert_eq!(got[1].0["comment"], "已处理");
    assert_eq!(got[2].0["action"], "forward");
    assert_eq!(got[2].0["stage"], "verify");
    assert_eq!(got[2].0["source_clue_id"], "LD-20");
    assert_eq!(f.app.count("outbox").await, 3);
}

#[tokio::test]
async fn concurrent_pushes_commit_together_and_each_gets_its_own_answer() {
    let f = setup().await;
    let app = std::sync::Arc::new(f.app);
    let mut tasks = Vec::new();
    for i in 0..40 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            // Every fifth clue has an unknown category; the others are spread over the district.
            let cat = if i % 5 == 0 { "X0000" } else { "E0502" };
            let c =
                clue(&format!("C-{i}"), &format!("第{i}号路口有人占道经营摆摊"), cat, 119.90 + i as f64 * 0.002, 28.44);
            (i, push(&app, &c).await)
        }));
    }
    let mut created = 0;
    // Case numbers by numbering scope (all but the five-digit sequence).
    let mut numbers: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
    for t in tasks {
        let (i, (st, body)) = t.await.unwrap();
        if i % 5 == 0 {
            assert_error(st, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        } else {
            assert_eq!(st, StatusCode::CREATED, "{body}");
            created += 1;
            if body["dedup"] != "merged" {
                let no = body["case_no"].as_str().unwrap();
                let (scope, seq) = no.split_at(no.len() - 5);
                numbers.entry(scope.to_owned()).or_default().push(seq.parse().unwrap());
            }
        }
    }
    assert_eq!(created, 32);
    // Each scope's numbers run from 1 without gaps, however the pushes were grouped.
    for (scope, mut seqs) in numbers {
        seqs.sort_unstable();
        assert_eq!(seqs, (1..=seqs.len() as u32).collect::<Vec<_>>(), "{scope}");
    }
    assert_eq!(app.count("clues").await, 32);
    assert_eq!(app.count("intake_nonces").await, 32, "refused pushes leave no nonce behind");
}

#[tokio::test]
async fn case_numbers_run_on_across_group_commits() {
    // Waves of concurrent pushes into the same few townships (different problems, so nothing
    // merges): each wave is committed in one or more groups, each taking numbers of the same scopes.
    let f = setup().await;
    let app = std::sync::Arc::new(f.app);
    let problems =
        [("E0502", "有人占道经营摆摊"), ("E0108", "井盖缺失很危险"), ("E0203", "路灯不亮"), ("E0405", "绿化带被毁")];
    let mut numbers: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
    for (wave, (cat, text)) in problems.into_iter().enumerate() {
        let mut tasks = Vec::new();
        for i in 0..6 {
            let app = app.clone();
            let c = clue(&format!("W{wave}-{i}"), &format!("第{i}处{text}"), cat, 119.910 + i as f64 * 0.004, 28.452);
            tasks.push(tokio::spawn(async move { push(&app, &c).await }));
        }
        for t in tasks {
            let (st, body) = t.await.unwrap();
            assert_eq!((st, &body["dedup"]), (StatusCode::CREATED, &json!("new")), "{body}");
            let no = body["case_no"].as_str().unwrap();
            let (scope, seq) = no.split_at(no.len() - 5);
            numbers.entry(scope.to_owned()).or_default().push(seq.parse().unwrap());
        }
    }
    // Each scope's numbers run from 1 without gaps or repeats.
    assert!(numbers.values().any(|n| n.len() >= 4), "{numbers:?}");
    for (scope, mut seqs) in numbers {
        seqs.sort_unstable();
        assert_eq!(seqs, (1..=seqs.len() as u32).collect::<Vec<_>>(), "{scope}");
    }
}

#[tokio::test]
async fn a_changed_source_applies_to_the_next_push() {
    // Sources are authenticated from the rules cache; a change made by any writer (here straight
    // in the database, as another instance would) moves the configuration stamp.
    let f = setup().await;
    let send = |id: &str, secret: &'static str| {
        let body = clue(id, "丽阳街口有人占道经营", "E0502", 119.92, 28.45).to_string();
        let app = &f.app;
        async move { signed(app, "POST", "/api/intake/v1/clues", body.as_bytes(), now_ms(), &nonce(), secret).await }
    };
    let (st, body) = send("SRC-1", SECRET).await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    const NEW: &str = "a-new-secret-0123456789abcdef0123456789abcdef";
    let id = source_id(&f.app).await;
    let mut tx = f.app.db.begin().await.unwrap();
    config::set_source_secret(&mut tx, id, &f.app.state.cipher.encrypt(NEW), now_ms()).await.unwrap();
    tx.commit().await.unwrap();
    let (st, body) = send("SRC-2", SECRET).await;
    assert_error(st, &body, StatusCode::UNAUTHORIZED, "signature_invalid");
    let (st, body) = send("SRC-2", NEW).await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    // New category mappings: a code mapped otherwise now, and one only the new mapping knows (a
    // push is refused only under the rules as they are, not as the last request saw them).
    sqlx::query("UPDATE sources SET category_mapping = $1 WHERE id = $2")
        .bind(r#"{"ZDJY":"E0102","NEWC":"E0502"}"#)
        .bind(id)
        .execute(f.app.db.pool())
        .await
        .unwrap();
    for (code, stored) in [("ZDJY", "E0102"), ("NEWC", "E0502")] {
        let body = clue(&format!("SRC-{code}"), "丽阳街口有人占道经营", code, 119.92, 28.45).to_string();
        let (st, answer) =
            signed(&f.app, "POST", "/api/intake/v1/clues", body.as_bytes(), now_ms(), &nonce(), NEW).await;
        assert_eq!(st, StatusCode::CREATED, "{answer}");
        let (category,): (String,) = sqlx::query_as(
            "SELECT k.code FROM clues c JOIN categories k ON k.id = c.category_id WHERE c.source_clue_id = $1",
        )
        .bind(format!("SRC-{code}"))
        .fetch_one(f.app.db.pool())
        .await
        .unwrap();
        assert_eq!(category, stored, "{code}");
    }
    sqlx::query("UPDATE sources SET enabled = 0 WHERE id = $1").bind(id).execute(f.app.db.pool()).await.unwrap();
    let (st, body) = send("SRC-3", NEW).await;
    assert_error(st, &body, StatusCode::FORBIDDEN, "source_disabled");
    // Recording a source's last use leaves the stamp alone.
    let stamp = |app: &TestApp| {
        let pool = app.db.pool().clone();
        async move { sqlx::query_as::<_, (i64,)>("SELECT n FROM config_stamp").fetch_one(&pool).await.unwrap().0 }
    };
    let before = stamp(&f.app).await;
    sqlx::query("UPDATE sources SET last_seen_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(f.app.db.pool())
        .await
        .unwrap();
    assert_eq!(stamp(&f.app).await, before);
}

#[tokio::test]
async fn concurrent_pushes_of_one_id_make_one_clue() {
    let f = setup().await;
    let app = std::sync::Arc::new(f.app);
    let same = clue("DUP-1", "丽阳街口有人占道经营摆摊卖水果", "E0502", 119.92, 28.45);
    let mut other = same.clone();
    other["description"] = json!("同一编号但内容不同的线索");
    let mut tasks = Vec::new();
    for i in 0..12 {
        let app = app.clone();
        // Every fourth push sends different content under the same id.
        let c = if i % 4 == 3 { other.clone() } else { same.clone() };
        tasks.push(tokio::spawn(async move { push(&app, &c).await }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    let created: Vec<&Value> = answers.iter().filter(|(st, _)| *st == StatusCode::CREATED).map(|a| &a.1).collect();
    assert_eq!(created.len(), 1, "{answers:?}");
    let first = created[0]["clue_id"].clone();
    for (st, body) in &answers {
        match *st {
            StatusCode::CREATED => {}
            StatusCode::OK => {
                assert_eq!((body["replayed"].as_bool(), &body["clue_id"]), (Some(true), &first), "{body}");
            }
            _ => assert_error(*st, body, StatusCode::CONFLICT, "idempotency_conflict"),
        }
    }
    assert_eq!(app.count("clues").await, 1);
    assert_eq!(app.count("cases").await, 1);
}

#[tokio::test]
async fn concurrent_duplicates_merge_into_one_case() {
    // Every push reads its dedup candidates before the writer takes it, all at about the same
    // time: the cases created by earlier pushes of the same group, or committed since, still count.
    let f = setup().await;
    let app = std::sync::Arc::new(f.app);
    let mut tasks = Vec::new();
    for i in 0..16 {
        let app = app.clone();
        let c = clue(&format!("SAME-{i}"), "丽阳街与中山街交叉口有流动摊贩占道经营卖水果", "E0502", 119.92, 28.45);
        tasks.push(tokio::spawn(async move { push(&app, &c).await }));
    }
    let mut dedup = Vec::new();
    for t in tasks {
        let (st, body) = t.await.unwrap();
        assert_eq!(st, StatusCode::CREATED, "{body}");
        dedup.push(body["dedup"].as_str().unwrap_or_default().to_owned());
    }
    assert_eq!(dedup.iter().filter(|d| *d == "new").count(), 1, "{dedup:?}");
    assert_eq!(app.count("cases").await, 1 + dedup.iter().filter(|d| *d == "suspected").count() as i64);
    assert_eq!(app.count("clues").await, 16);
    assert_clue_counts(&app).await;
}

/// Every case counts exactly the clues it holds.
/// The id of the test source (`APP_KEY`).
async fn source_id(app: &TestApp) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM sources WHERE app_key = $1")
        .bind(APP_KEY)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    id
}

async fn assert_clue_counts(app: &TestApp) {
    let off: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT c.id, c.clue_count, (SELECT COUNT(*) FROM clues k WHERE k.case_id = c.id) FROM cases c \
         WHERE c.clue_count <> (SELECT COUNT(*) FROM clues k WHERE k.case_id = c.id)",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert!(off.is_empty(), "cases whose clue count is off (id, count, clues): {off:?}");
}

#[tokio::test]
async fn merges_are_counted_into_open_cases_only() {
    // Merges into the cases found ahead are counted at the end of the writer's group, into the
    // cases locked open at its start.
    let f = setup().await;
    let text = "丽阳街与中山街交叉口有流动摊贩占道经营卖水果";
    let (st, first) = push(&f.app, &clue("OPEN-0", text, "E0502", 119.92, 28.45)).await;
    assert_eq!(st, StatusCode::CREATED, "{first}");
    let batch = |from: usize| {
        let items: Vec<Value> =
            (from..from + 6).map(|i| clue(&format!("OPEN-{i}"), text, "E0502", 119.92, 28.45)).collect();
        json!({ "clues": items }).to_string()
    };
    let (st, r) =
        signed(&f.app, "POST", "/api/intake/v1/clues/batch", batch(1).as_bytes(), now_ms(), &nonce(), SECRET).await;
    assert_eq!((st, r["accepted"].as_i64()), (StatusCode::OK, Some(6)), "{r}");
    for item in r["results"].as_array().unwrap() {
        assert_eq!(item["result"]["merged_into"], first["case_no"], "{item}");
    }
    let (count,): (i64,) = sqlx::query_as("SELECT clue_count FROM cases WHERE case_no = $1")
        .bind(first["case_no"].as_str().unwrap())
        .fetch_one(f.app.db.pool())
        .await
        .unwrap();
    assert_eq!(count, 7);
    // Once the case is closed, its duplicates open a case of their own and leave its count alone.
    sqlx::query("UPDATE cases SET status = 'closed' WHERE case_no = $1")
        .bind(first["case_no"].as_str().unwrap())
        .execute(f.app.db.pool())
        .await
        .unwrap();
    let (st, r) =
        signed(&f.app, "POST", "/api/intake/v1/clues/batch", batch(7).as_bytes(), now_ms(), &nonce(), SECRET).await;
    assert_eq!((st, r["accepted"].as_i64()), (StatusCode::OK, Some(6)), "{r}");
    let dedup: Vec<&str> =
        r["results"].as_array().unwrap().iter().map(|i| i["result"]["dedup"].as_str().unwrap()).collect();
    assert_eq!(dedup, ["new", "merged", "merged", "merged", "merged", "merged"], "{r}");
    assert_clue_counts(&f.app).await;
    // The writer's look-up of the clue ids a source has used already.
    let source = source_id(&f.app).await;
    let mut conn = f.app.db.conn().await.unwrap();
    let asked: Vec<String> = (0..40).map(|i| format!("OPEN-{i}")).collect();
    let asked: Vec<&str> = asked.iter().map(String::as_str).collect();
    let known = xiezhi_storage::clue::case::known_clue_ids(&mut conn, source, &asked).await.unwrap();
    let mut known: Vec<String> = known.into_iter().collect();
    known.sort_by_key(|id| id[5..].parse::<u32>().unwrap());
    assert_eq!(known, (0..13).map(|i| format!("OPEN-{i}")).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_batch_finds_each_items_duplicates_by_its_own_place_and_time() {
    // A batch's dedup candidates are read together, one query per run of items reported close in
    // time: items of two runs, each merged into the case of its own place and time only.
    let f = setup().await;
    let stalls = "丽阳街与中山街交叉口有流动摊贩占道经营卖水果";
    let garbage = "花园路小区门口垃圾桶满溢无人清运，气味难闻";
    let (a, b) = ((119.92, 28.45), (119.95, 28.42));
    let days_ago = |d: i64| xiezhi_domain::clue::intake::format_time(now_ms() - d * 86_400_000);
    let at = |id: &str, text: &str, (lon, lat): (f64, f64), days: i64| {
        let mut c = clue(id, text, "E0502", lon, lat);
        if days > 0 {
            c["reported_at"] = json!(days_ago(days));
        }
        c
    };
    let (st, case_a) = push(&f.app, &at("RUN-A", stalls, a, 0)).await;
    assert_eq!(st, StatusCode::CREATED, "{case_a}");
    let (st, case_b) = push(&f.app, &at("RUN-B", garbage, b, 20)).await;
    assert_eq!(st, StatusCode::CREATED, "{case_b}");
    let items = [
        at("RUN-1", garbage, b, 20),
        at("RUN-2", stalls, a, 0),
        at("RUN-3", stalls, a, 20),
        at("RUN-4", garbage, b, 0),
        at("RUN-5", garbage, b, 20),
    ];
    let body = json!({ "clues": items }).to_string();
    let (st, r) =
        signed(&f.app, "POST", "/api/intake/v1/clues/batch", body.as_bytes(), now_ms(), &nonce(), SECRET).await;
    assert_eq!((st, r["accepted"].as_i64()), (StatusCode::OK, Some(5)), "{r}");
    let results: Vec<(&str, &Value)> = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["result"]["dedup"].as_str().unwrap(), &i["result"]["merged_into"]))
        .collect();
    assert_eq!(
        results,
        [
            ("merged", &case_b["case_no"]),
            ("merged", &case_a["case_no"]),
            ("new", &Value::Null),
            ("new", &Value::Null),
            ("merged", &case_b["case_no"]),
        ],
        "{r}"
    );
    assert_clue_counts(&f.app).await;
}

// ---- the provincial platform (F15–F17): pushes, feedback, faults --------------------------------

use std::sync::Arc;
use xiezhi_sim::province::{ProvinceConfig, ProvinceSim};

const PROVINCE_KEY: &str = "lsxz-province";
const PROVINCE_SECRET: &str = "province-secret-0123456789";

async fn serve_on_port(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

/// Our server and a separate province simulator on real ports, the link enabled for 市容 (E05) cases.
async fn province_setup(review_ms: i64) -> (Flow, Arc<ProvinceSim>, String) {
    let f = setup().await;
    let ours = serve_on_port(f.app.router.clone()).await;
    f.app.state.self_url.set(&ours);
    let sim = ProvinceSim::new(ProvinceConfig {
        review_ms,
        dispose_ms: review_ms,
        feedback_url: format!("{ours}/api/integration/province/feedback"),
        feedback_app_key: PROVINCE_KEY.into(),
        feedback_secret: PROVINCE_SECRET.into(),
    });
    sim.gateway.register(PROVINCE_KEY, PROVINCE_SECRET);
    let sim_url = serve_on_port(xiezhi_sim::province::router(sim.clone())).await;
    f.app
        .add_role(
            "ops",
            "运维",
            "all",
            &[
                "integration:system:view",
                "integration:system:edit",
                "integration:delivery:view",
                "integration:exchange:view",
            ],
        )
        .await;
    f.app.add_user("ops", "丽水市综合行政执法局智慧城管指挥中心", &["ops"]).await;
    let ops = f.app.login("ops").await;
    let (st, body) = f
        .app
        .put(
            &ops,
            "/api/integration/systems/province",
            json!({"enabled": true, "endpoint": sim_url, "app_key": PROVINCE_KEY, "secret": PROVINCE_SECRET,
                   "timeout_ms": 500, "max_attempts": 20, "schedule_minutes": 0,
                   "options": {"categories": ["E05"], "scheme1_for_enterprise": true, "scheme3_for_person": true}}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["has_secret"], true);
    assert!(body.get("secret").is_none(), "the secret is never shown back");
    (f, sim, ours)
}

async fn drain_all(f: &Flow) {
    let http = reqwest::Client::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    loop {
        xiezhi_api::integration::relay::drain(&f.app.state, &http).await.unwrap();
        let mut conn = f.app.db.conn().await.unwrap();
        let (pending,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetch_one(&mut *conn).await.unwrap();
        if pending == 0 {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{pending} deliveries still pending");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_clue_goes_to_the_province_is_transferred_and_its_feedback_closes_the_loop() {
    let (f, sim, _) = province_setup(150).await;
    let (st, r) = push(&f.app, &clue("P-1", "丽阳街有商户占道经营堆放货物", "E0502", 119.9276, 28.4515)).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    let d = case_of(&f, &f.dispatcher, r["case_no"].as_str().unwrap()).await;
    assert_eq!(d["case"]["activity"], "province", "a pushed case waits for the province: {}", d["case"]);
    assert_eq!(actions(&d), ["recall"]);
    // A case outside the configured categories stays local.
    let (_, other) = push(&f.app, &clue("P-2", "花园路违法搭建彩钢棚", "Z0101", 119.93, 28.45)).await;
    let id = d["case"]["id"].as_i64().unwrap();
    drain_all(&f).await;
    let effects = sim.effects();
    assert_eq!(effects.len(), 1, "{effects:?}");
    assert_eq!(effects[0].kind, "clue", "no subject: the subject-less clue push");
    assert!(effects[0].clue_id.ends_with(r["case_no"].as_str().unwrap()));
    let other_id = case_of(&f, &f.dispatcher, other["case_no"].as_str().unwrap()).await["case"]["id"].as_i64().unwrap();
    let (_, none) = f.app.get(&f.dispatcher, &format!("/api/integration/province/cases/{other_id}")).await;
    assert!(none.is_null());
    // The simulator reviews, transfers and disposes, pushing feedback to our endpoint each time —
    // every message twice.
    sim.faults.set(xiezhi_sim::faults::FaultSettings { duplicate_rate: 1.0, ..Default::default() });
    let runner = tokio::spawn(sim.clone().run());
    let mut status = Value::Null;
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let (_, s) = f.app.get(&f.dispatcher, &format!("/api/integration/province/cases/{id}")).await;
        status = s;
        if status["status"] == "disposed" {
            break;
        }
    }
    runner.abort();
    assert_eq!(status["status"], "disposed", "{status}");
    assert_eq!(status["transferred_to"], "丽水市综合行政执法局");
    assert!(status["result"].as_str().unwrap().contains("整改"));
    let d = case_of(&f, &f.township, r["case_no"].as_str().unwrap()).await;
    assert_eq!(d["case"]["activity"], "verify", "the feedback advanced the workflow");
    let names: Vec<&str> = d["events"].as_array().unwrap().iter().filter_map(|e| e["action_name"].as_str()).collect();
    for n in ["推送省平台", "省平台转交", "省平台反馈", "省平台反馈处置结果"] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    for n in ["省平台转交", "省平台反馈"] {
        assert_eq!(
            names.iter().filter(|x| **x == n).count(),
            1,
            "a repeated feedback message changes nothing: {names:?}"
        );
    }
    act(&f, &f.township, &d, json!({"action": "pass"})).await;
    let d = case_of(&f, &f.dispatcher, r["case_no"].as_str().unwrap()).await;
    act(&f, &f.dispatcher, &d, json!({"action": "close"})).await;
    let d = case_of(&f, &f.dispatcher, r["case_no"].as_str().unwrap()).await;
    assert_eq!(d["case"]["status"], "closed");
    // Every exchange is on record: our push out, the feedback in.
    let (st, ex) = f.app.get(&f.dispatcher, &format!("/api/integration/exchanges?system=province&case_id={id}")).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{ex}");
    let ops = f.app.login("ops").await;
    let (st, ex) = f.app.get(&ops, &format!("/api/integration/exchanges?system=province&case_id={id}")).await;
    assert_eq!(st, StatusCode::OK, "{ex}");
    let dirs: Vec<&str> = ex["items"].as_array().unwrap().iter().map(|e| e["direction"].as_str().unwrap()).collect();
    assert!(dirs.contains(&"out") && dirs.contains(&"in"), "{dirs:?}");
    let (_, dup) = f.app.get(&ops, "/api/integration/exchanges?system=province&outcome=duplicate").await;
    assert!(dup["total"].as_i64().unwrap() >= 1, "repeats are logged as duplicates: {dup}");
}

#[tokio::test]
async fn faults_at_the_province_end_in_exactly_one_delivery_or_a_parked_message() {
    let (f, sim, _) = province_setup(3_600_000).await;
    f.app.state.relay.set(xiezhi_api::integration::relay::RelaySettings {
        base_backoff_ms: 10,
        max_backoff_ms: 100,
        lease_ms: 5_000,
        ..Default::default()
    });
    sim.faults.set(xiezhi_sim::faults::FaultSettings {
        error_rate: 0.15,
        timeout_rate: 0.1,
        reset_rate: 0.1,
        drop_after_commit_rate: 0.2,
        hang_ms: 1_000,
        ..Default::default()
    });
    for i in 0..25 {
        let (st, r) = push(
            &f.app,
            &clue(&format!("F-{i}"), &format!("第{i}号摊点占道经营"), "E0502", 119.80 + i as f64 * 0.01, 28.45),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{r}");
    }
    drain_all(&f).await;
    let effects = sim.effects();
    let mut conn = f.app.db.conn().await.unwrap();
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT event_id, status FROM outbox WHERE channel = 'province'")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    assert_eq!(rows.len(), 25);
    let mut delivered = 0;
    for (event_id, status) in &rows {
        let n = effects.iter().filter(|e| &e.clue_id == event_id).count();
        match status.as_str() {
            "delivered" => {
                assert_eq!(n, 1, "{event_id} took effect {n} times");
                delivered += 1;
            }
            "parked" => assert!(n <= 1, "{event_id} took effect {n} times"),
            other => panic!("{event_id} ended {other}"),
        }
    }
    assert!(delivered >= 20, "only {delivered} of 25 delivered");
    let (unknown,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM exchanges WHERE outcome = 'unknown'").fetch_one(&mut *conn).await.unwrap();
    assert!(unknown > 0, "the faults produced outcomes that had to be reconciled");
}

#[tokio::test]
async fn a_clue_refused_after_the_engine_wrote_leaves_nothing_behind() {
    let f = setup().await;
    let (st, first) = push(&f.app, &clue("NW-1", "中山街有商户占道经营摆放货架", "E0502", 119.9226, 28.4535)).await;
    assert_eq!(st, StatusCode::CREATED, "{first}");
    // With no workflow whose conditions hold, the engine refuses only after it numbered the case.
    let (_, wfs) = f.app.get(&f.dispatcher, "/api/clue/workflows").await;
    let wf = wfs[0].clone();
    let only = |source: &str| {
        json!({"code": wf["code"], "name": wf["name"], "priority": wf["priority"], "enabled": true,
               "conditions": if source.is_empty() { json!([]) } else { json!([{"field": "source", "op": "in", "values": [source]}]) }})
    };
    let (st, body) =
        f.app.put(&f.dispatcher, &format!("/api/clue/workflows/{}", wf["id"]), only("no_such_source")).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let before = (f.app.count("cases").await, f.app.count("clues").await, f.app.count("intake_nonces").await);
    let (st, body) = push(&f.app, &clue("NW-2", "解放街有人在人行道上堆放建材", "E0502", 119.9100, 28.4600)).await;
    assert_error(st, &body, StatusCode::CONFLICT, "no_workflow");
    let after = (f.app.count("cases").await, f.app.count("clues").await, f.app.count("intake_nonces").await);
    assert_eq!(before, after, "no case, clue or nonce is left by the refused push");
    // Once a workflow is enabled again the same clue is taken, with the next number in sequence.
    let (st, body) = f.app.put(&f.dispatcher, &format!("/api/clue/workflows/{}", wf["id"]), only("")).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let (st, second) = push(&f.app, &clue("NW-2", "解放街有人在人行道上堆放建材", "E0502", 119.9100, 28.4600)).await;
    assert_eq!(st, StatusCode::CREATED, "{second}");
    let seq =
        |r: &Value| r["case_no"].as_str().unwrap()[r["case_no"].as_str().unwrap().len() - 5..].parse::<u32>().unwrap();
    assert_eq!(seq(&second), seq(&first) + 1, "the refused push did not use up a number: {first} {second}");
}

//! Clue-center handling rules: categories and stage rules, case types, severities, numbering rules
//! with preview, the responsibility list with Excel import/export, dedup settings, versions.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{TestApp, assert_error};
use serde_json::{Value, json};

async fn category_id(app: &TestApp, s: &common::Session, code: &str) -> i64 {
    let (_, cats) = app.get(s, "/api/clue/categories").await;
    cats.as_array().unwrap().iter().find(|c| c["code"] == code).unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn the_default_catalogue_is_the_digital_city_management_tree() {
    let app = TestApp::new().await;
    let s = app.login("dispatcher").await;
    let (status, cats) = app.get(&s, "/api/clue/categories").await;
    assert_eq!(status, StatusCode::OK);
    let cats = cats.as_array().unwrap();
    let majors: Vec<&Value> = cats.iter().filter(|c| c["level"] == "major").collect();
    assert_eq!(majors.iter().filter(|c| c["kind"] == "component").count(), 6);
    assert_eq!(majors.iter().filter(|c| c["kind"] == "event").count(), 6);
    let zdjy = cats.iter().find(|c| c["name"] == "占道经营").unwrap();
    assert_eq!(zdjy["level"], "minor");
    let e05 = cats.iter().find(|c| c["code"] == "E05").unwrap();
    assert_eq!(e05["stage_rules"].as_array().unwrap().len(), 7);
    assert_eq!(e05["stage_rules"][3]["stage"], "handle");
    for path in
        ["/api/clue/case-types", "/api/clue/severities", "/api/clue/numbering-rules", "/api/clue/dedup-settings"]
    {
        let (status, list) = app.get(&s, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!list.as_array().unwrap().is_empty(), "{path}");
    }
}

#[tokio::test]
async fn categories_keep_the_tree_valid_and_record_versions() {
    let app = TestApp::new().await;
    let s = app.login("dispatcher").await;
    let e05 = category_id(&app, &s, "E05").await;
    let body = json!({"parent_id": e05, "code": "E0599", "name": "夜市摊点越线", "kind": "event",
        "stage_rules": [{"stage": "handle", "time_limit_minutes": 90, "requirement": "30 分钟内到场"}]});
    let (status, created) = app.post(&s, "/api/clue/categories", body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["level"], "minor");
    let id = created["id"].as_i64().unwrap();
    // A minor of another kind, a grandchild, duplicated stages and codes are refused.
    let bad = json!({"parent_id": id, "code": "X1", "name": "孙类", "kind": "component",
        "stage_rules": [{"stage": "handle", "time_limit_minutes": 0}, {"stage": "handle", "time_limit_minutes": 5}, {"stage": "fly", "time_limit_minutes": 5}]});
    let (status, body) = app.post(&s, "/api/clue/categories", bad).await;
    assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert!(body["details"]["errors"].as_array().unwrap().len() >= 4, "{body}");
    let (status, body) = app
        .post(&s, "/api/clue/categories", json!({"parent_id": null, "code": "E05", "name": "重复", "kind": "event"}))
        .await;
    assert_error(status, &body, StatusCode::CONFLICT, "duplicate");
    assert_eq!(body["details"]["field"], "code");
    let upd = json!({"parent_id": e05, "code": "E0599", "name": "夜市摊点越线经营", "kind": "event", "enabled": false,
        "stage_rules": [{"stage": "handle", "time_limit_minutes": 60, "requirement": ""}]});
    let (status, updated) = app.put(&s, &format!("/api/clue/categories/{id}"), upd).await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["stage_rules"][0]["time_limit_minutes"], 60);
    let (status, body) = app.delete(&s, &format!("/api/clue/categories/{e05}")).await;
    assert_error(status, &body, StatusCode::CONFLICT, "category_in_use");
    let (_, versions) = app.get(&s, &format!("/api/clue/config-versions?entity=category&entity_id={id}")).await;
    assert_eq!(versions["total"], 2);
    assert_eq!(versions["items"][0]["version"], 2);
    assert_eq!(versions["items"][0]["snapshot"]["name"], "夜市摊点越线经营");
    let (status, _) = app.delete(&s, &format!("/api/clue/categories/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let auditor = app.login("auditadmin").await;
    let (_, audit) = app.get(&auditor, "/api/platform/audit?target_type=category").await;
    assert_eq!(audit["total"], 3);
}

#[tokio::test]
async fn numbering_rules_preview_validate_and_switch() {
    let app = TestApp::new().await;
    let s = app.login("dispatcher").await;
    let (status, p) = app
        .post(
            &s,
            "/api/clue/numbering-rules/preview",
            json!({"pattern": "{region6}{yyyyMMdd}{seq:5}", "region_code": "331121"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(p["ok"], true);
    let ex = p["examples"][0].as_str().unwrap();
    assert!(ex.starts_with("331121") && ex.ends_with("00001") && ex.len() == 19, "{ex}");
    assert!(p["sequence_scope"].as_str().unwrap().contains("县（市、区）"));
    let (_, p) = app.post(&s, "/api/clue/numbering-rules/preview", json!({"pattern": "{region6}{nope}"})).await;
    assert_eq!(p["ok"], false);
    assert!(p["error"].as_str().unwrap().contains("nope"));
    let (status, body) =
        app.post(&s, "/api/clue/numbering-rules", json!({"name": "坏规则", "pattern": "{yyyy}"})).await;
    assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert!(body["details"]["fields"]["pattern"].is_string());
    let (status, rule) = app
        .post(
            &s,
            "/api/clue/numbering-rules",
            json!({"name": "带类型事件号", "pattern": "LS{type}{yyMMdd}{seq:4}".replace("{yyMMdd}", "{yy}{MM}{dd}")}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{rule}");
    assert_eq!(rule["active"], false);
    let id = rule["id"].as_i64().unwrap();
    let (status, rule) = app.post(&s, &format!("/api/clue/numbering-rules/{id}/activate"), json!({})).await;
    assert_eq!((status, rule["active"].as_bool()), (StatusCode::OK, Some(true)));
    let (_, rules) = app.get(&s, "/api/clue/numbering-rules").await;
    assert_eq!(rules.as_array().unwrap().iter().filter(|r| r["active"] == true).count(), 1);
    let (status, body) = app.delete(&s, &format!("/api/clue/numbering-rules/{id}")).await;
    assert_error(status, &body, StatusCode::CONFLICT, "numbering_rule_active");
}

#[tokio::test]
async fn severities_and_case_types_validate_their_fields() {
    let app = TestApp::new().await;
    let s = app.login("dispatcher").await;
    let (status, body) = app
        .post(
            &s,
            "/api/clue/severities",
            json!({"code": "critical", "name": "特急", "rank": 0, "color": "red", "time_limit_percent": 0}),
        )
        .await;
    assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    for f in ["rank", "color", "time_limit_percent"] {
        assert!(body["details"]["fields"][f].is_string(), "{f}: {body}");
    }
    let (status, sev) = app
        .post(
            &s,
            "/api/clue/severities",
            json!({"code": "critical", "name": "特急", "rank": 1, "color": "#aa0000", "time_limit_percent": 25}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sev}");
    assert_eq!(sev["color"], "#AA0000");
    let (status, t) = app.post(&s, "/api/clue/case-types", json!({"code": "hotline", "name": "12345 热线转办"})).await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    let (status, body) =
        app.post(&s, "/api/clue/case-types", json!({"code": "hotline2", "name": "12345 热线转办"})).await;
    assert_error(status, &body, StatusCode::CONFLICT, "duplicate");
}

fn xlsx(rows: &[Vec<&str>]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

async fn upload(app: &TestApp, s: &common::Session, bytes: Vec<u8>) -> (StatusCode, Value) {
    let boundary = "XZB";
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.xlsx\"\r\n\r\n")
            .into_bytes();
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let req = Request::post("/api/clue/responsibilities/import")
        .header(header::COOKIE, &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn the_responsibility_list_is_edited_imported_and_exported() {
    let app = TestApp::new().await;
    let s = app.login("dispatcher").await;
    let zdjy = category_id(&app, &s, "E0502").await;
    let dept = app.dept_id("莲都区综合行政执法局").await;
    let body = json!({"category_id": zdjy, "region_code": "331102", "department_id": dept, "tier": "county", "time_limit_hours": 4});
    let (status, r) = app.post(&s, "/api/clue/responsibilities", body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    assert_eq!(r["department_name"], "莲都区综合行政执法局");
    let (status, dup) = app.post(&s, "/api/clue/responsibilities", body).await;
    assert_error(status, &dup, StatusCode::CONFLICT, "duplicate");
    assert_eq!(dup["details"]["field"], "region_code");
    let bad = json!({"category_id": 999999, "region_code": "999999", "department_id": 999999, "tier": "galaxy", "time_limit_hours": 0});
    let (status, body) = app.post(&s, "/api/clue/responsibilities", bad).await;
    assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(body["details"]["fields"].as_object().unwrap().len(), 5, "{body}");

    let header = vec![
        "分类编码",
        "分类名称",
        "区划代码",
        "区划名称",
        "责任单位",
        "处置层级",
        "处置时限（小时）",
        "备注",
        "状态",
    ];
    let bad_file = xlsx(&[
        header.clone(),
        vec!["E0502", "", "331102", "", "莲都区综合行政执法局", "县级", "2", "", ""],
        vec!["E9999", "", "331102", "", "不存在的局", "省级", "x", "", ""],
    ]);
    let before = app.count("responsibility_rules").await;
    let (status, body) = upload(&app, &s, bad_file).await;
    assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert!(body["details"]["errors"][0]["message"].as_str().unwrap().starts_with("第 3 行"), "{body}");
    assert_eq!(app.count("responsibility_rules").await, before, "nothing written");
    let good = xlsx(&[
        header,
        vec!["E0502", "占道经营", "331102", "莲都区", "莲都区综合行政执法局", "县级", "2", "城区", "启用"],
        vec!["E0501", "无照经营游商", "331121", "青田县", "青田县综合行政执法局", "县级", "4", "", "启用"],
    ]);
    let (status, report) = upload(&app, &s, good).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!((report["imported"].as_i64(), report["updated"].as_i64()), (Some(1), Some(1)));
    let (_, page) = app.get(&s, "/api/clue/responsibilities?region_code=331102").await;
    assert_eq!(page["items"][0]["time_limit_hours"], 2);
    let e05 = category_id(&app, &s, "E05").await;
    let (_, page) = app.get(&s, &format!("/api/clue/responsibilities?category_id={e05}&sort=region&order=desc")).await;
    assert_eq!(page["total"], 2, "major category includes its minors");
    assert_eq!(page["items"][0]["region_code"], "331121");
    let req = Request::get("/api/clue/responsibilities/export")
        .header(header::COOKIE, &s.cookie)
        .body(Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn dedup_settings_have_one_global_row_and_valid_thresholds() {
    let app = TestApp::new().await;
    let s = app.login("dispatcher").await;
    let (_, list) = app.get(&s, "/api/clue/dedup-settings").await;
    let global = &list[0];
    assert!(global["category_id"].is_null());
    let gid = global["id"].as_i64().unwrap();
    let (status, body) = app.put(&s, &format!("/api/clue/dedup-settings/{gid}"), json!({"category_id": null, "high_threshold": 0.5, "low_threshold": 0.7, "radius_m": 0, "window_hours": 72})).await;
    assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let (status, g) = app.put(&s, &format!("/api/clue/dedup-settings/{gid}"), json!({"category_id": null, "high_threshold": 0.9, "low_threshold": 0.65, "radius_m": 150, "window_hours": 48})).await;
    assert_eq!(status, StatusCode::OK, "{g}");
    assert_eq!(g["radius_m"], 150);
    let (status, body) = app.delete(&s, &format!("/api/clue/dedup-settings/{gid}")).await;
    assert_error(status, &body, StatusCode::CONFLICT, "dedup_global");
    let e04 = category_id(&app, &s, "E0401").await;
    let (status, o) = app.post(&s, "/api/clue/dedup-settings", json!({"category_id": e04, "high_threshold": 0.8, "low_threshold": 0.5, "radius_m": 300, "window_hours": 6})).await;
    assert_eq!(status, StatusCode::CREATED, "{o}");
    assert_eq!(o["category_name"], "路面塌陷");
    let (status, body) = app.post(&s, "/api/clue/dedup-settings", json!({"category_id": e04, "high_threshold": 0.8, "low_threshold": 0.5, "radius_m": 300, "window_hours": 6})).await;
    assert_error(status, &body, StatusCode::CONFLICT, "duplicate");
}

#[tokio::test]
async fn handling_rules_need_the_clue_permissions() {
    let app = TestApp::new().await;
    let handler = app.login("handler").await;
    let (status, body) = app.get(&handler, "/api/clue/categories").await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
    app.add_role("viewer", "查看者", "all", &["clue:config:view"]).await;
    app.add_user("viewer1", "丽水市司法局", &["viewer"]).await;
    let v = app.login("viewer1").await;
    assert_eq!(app.get(&v, "/api/clue/severities").await.0, StatusCode::OK);
    let (status, body) = app.post(&v, "/api/clue/case-types", json!({"code": "x_type", "name": "X"})).await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn sources_get_credentials_once_and_validate_mappings() {
    let app = TestApp::new().await;
    let s = app.login("dispatcher").await;
    let body = json!({"code": "hotline_12345", "name": "12345 政务服务热线", "kind": "hotline", "region_code": "331100",
        "category_mapping": {"0301": "E0502", "0302": "E0102"}, "field_mapping": {"description": "content", "reporter_phone": "tel"},
        "callback_url": "https://12345.example.gov.cn/callback"});
    let (status, created) = app.post(&s, "/api/clue/sources", body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let secret = created["credentials"]["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 48);
    assert!(created["credentials"]["app_key"].as_str().unwrap().starts_with("lsxz_"));
    let id = created["source"]["id"].as_i64().unwrap();
    // Never shown again, never stored in clear.
    let (_, list) = app.get(&s, "/api/clue/sources").await;
    assert!(!list.to_string().contains(&secret));
    let (enc,): (String,) = sqlx::query_as("SELECT secret_enc FROM sources").fetch_one(app.db.pool()).await.unwrap();
    assert!(enc.starts_with("sm4gcm1:") && !enc.contains(&secret));
    let (_, audit_rows) = app.get(&app.login("auditadmin").await, "/api/platform/audit?target_type=source").await;
    assert!(!audit_rows.to_string().contains(&secret));
    let (status, rotated) = app.post(&s, &format!("/api/clue/sources/{id}/rotate-secret"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(rotated["secret"], secret);
    let bad = json!({"code": "x_src", "name": "坏来源", "kind": "satellite", "region_code": "999999",
        "category_mapping": {"9": "Z9999"}, "field_mapping": {"password": "pw"}, "callback_url": "ftp://x"});
    let (status, body) = app.post(&s, "/api/clue/sources", bad).await;
    assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    for f in ["kind", "region_code", "category_mapping", "field_mapping", "callback_url"] {
        assert!(body["details"]["fields"][f].is_string(), "{f}: {body}");
    }
    let (status, body) =
        app.post(&s, "/api/clue/sources", json!({"code": "hotline_12345", "name": "另一个", "kind": "hotline"})).await;
    assert_error(status, &body, StatusCode::CONFLICT, "duplicate");
}

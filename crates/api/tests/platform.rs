//! Users, organisation, roles, data scopes, separation of duties, portal, dictionaries, regions,
//! enforcement items and the audit log.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{PASSWORD, TestApp, assert_error};
use serde_json::{Value, json};

fn user_body(app_dept: i64, username: &str, role_ids: Vec<i64>) -> Value {
    json!({
        "username": username, "display_name": "赵小龙", "department_id": app_dept, "password": "Zhao#Lishui2026",
        "phone": "13812345678", "id_number": "11010519491231002X", "role_ids": role_ids, "enabled": true
    })
}

#[tokio::test]
async fn sysadmin_creates_a_user_with_a_role_and_that_user_sees_only_its_permissions() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let dept = app.dept_id("莲都区市场监督管理局").await;
    let role = app.role_id("handler").await;
    let (status, created) = app.post(&admin, "/api/platform/users", user_body(dept, "zhaoxl", vec![role])).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["phone_masked"], "138****5678");
    assert_eq!(created["id_number_masked"], "110105********002X");
    assert_eq!(created["roles"][0]["code"], "handler");
    // Stored encrypted, never in clear.
    let (enc,): (String,) =
        sqlx::query_as("SELECT phone_enc FROM users WHERE username = 'zhaoxl'").fetch_one(app.db.pool()).await.unwrap();
    assert!(enc.starts_with("sm4gcm1:") && !enc.contains("13812345678"));
    let s = app.login_with("zhaoxl", "Zhao#Lishui2026").await.unwrap();
    assert_eq!(s.permissions(), vec!["platform:region:view".to_owned()]);
    let (status, body) = app.get(&s, "/api/platform/users").await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn duplicate_usernames_are_a_409_naming_the_field() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let dept = app.dept_id("丽水市生态环境局").await;
    let (status, _) = app.post(&admin, "/api/platform/users", user_body(dept, "dupuser", vec![])).await;
    assert_eq!(status, StatusCode::CREATED);
    let before = app.count("users").await;
    let (status, body) = app.post(&admin, "/api/platform/users", user_body(dept, "dupuser", vec![])).await;
    assert_error(status, &body, StatusCode::CONFLICT, "duplicate");
    assert_eq!(body["details"]["field"], "username");
    assert_eq!(app.count("users").await, before);
}

#[tokio::test]
async fn invalid_user_fields_are_all_reported_and_nothing_is_written() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let before = (app.count("users").await, app.count("audit_log").await);
    let body = json!({"username": "x", "display_name": "", "department_id": 999999, "password": "weak",
                      "phone": "123", "id_number": "110105194912310021", "email": "nope", "role_ids": [424242]});
    let (status, resp) = app.post(&admin, "/api/platform/users", body).await;
    assert_error(status, &resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let fields = resp["details"]["fields"].as_object().unwrap();
    for f in ["username", "display_name", "department_id", "password", "phone", "id_number", "email", "role_ids"] {
        assert!(fields.contains_key(f), "missing {f} in {resp}");
    }
    assert_eq!((app.count("users").await, app.count("audit_log").await), before);
}

#[tokio::test]
async fn administrator_roles_cannot_be_granted_through_the_api() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let dept = app.dept_id("丽水市综合行政执法局办公室").await;
    let audit_role = app.role_id("audit_admin").await;
    let (status, body) = app.post(&admin, "/api/platform/users", user_body(dept, "sneaky", vec![audit_role])).await;
    assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert!(body["details"]["fields"]["role_ids"].as_str().unwrap().contains("xiezhi admin"));
}

#[tokio::test]
async fn no_role_may_combine_two_administrator_duties() {
    let app = TestApp::new().await;
    let sec = app.login("secadmin").await;
    let body = json!({"code": "super_admin", "name": "超级管理员", "data_scope": "all",
                      "permissions": ["platform:role:edit", "platform:audit:view"]});
    let (status, resp) = app.post(&sec, "/api/platform/roles", body).await;
    assert_error(status, &resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert!(resp["message"].as_str().unwrap().contains("三员分立"), "{resp}");
    // Adding audit permissions to the system administrator's role is refused as well.
    let id = app.role_id("sys_admin").await;
    let (_, roles) = app.get(&sec, "/api/platform/roles").await;
    let mut perms: Vec<Value> =
        roles.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap()["permissions"].as_array().unwrap().clone();
    perms.push(json!("platform:audit:view"));
    let (status, resp) = app
        .put(
            &sec,
            &format!("/api/platform/roles/{id}"),
            json!({"name": "系统管理员", "data_scope": "all", "permissions": perms}),
        )
        .await;
    assert_error(status, &resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    // The system administrator cannot edit roles at all, the security administrator cannot read the audit log.
    let admin = app.login("sysadmin").await;
    let (status, resp) = app
        .post(
            &admin,
            "/api/platform/roles",
            json!({"code": "x_role", "name": "X", "data_scope": "own", "permissions": []}),
        )
        .await;
    assert_error(status, &resp, StatusCode::FORBIDDEN, "forbidden");
    let (status, resp) = app.get(&sec, "/api/platform/audit").await;
    assert_error(status, &resp, StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn the_security_admin_defines_a_role_that_changes_what_its_holders_see() {
    let app = TestApp::new().await;
    let sec = app.login("secadmin").await;
    let body = json!({"code": "inspector", "name": "督察员", "description": "查看组织与用户", "data_scope": "department",
                      "permissions": ["platform:org:view", "platform:user:view"]});
    let (status, role) = app.post(&sec, "/api/platform/roles", body).await;
    assert_eq!(status, StatusCode::CREATED, "{role}");
    let admin = app.login("sysadmin").await;
    let dept = app.dept_id("缙云县综合行政执法局").await;
    let (status, _) = app
        .post(&admin, "/api/platform/users", user_body(dept, "inspector1", vec![role["id"].as_i64().unwrap()]))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let s = app.login_with("inspector1", "Zhao#Lishui2026").await.unwrap();
    let (status, page) = app.get(&s, "/api/platform/users").await;
    assert_eq!(status, StatusCode::OK);
    // Department scope: only users of 缙云县综合行政执法局 and below.
    assert!(page["items"].as_array().unwrap().iter().all(|u| u["department_name"] == "缙云县综合行政执法局"), "{page}");
    assert_eq!(page["total"], 1);
    // A role in use cannot be deleted.
    let (status, resp) = app.delete(&sec, &format!("/api/platform/roles/{}", role["id"])).await;
    assert_error(status, &resp, StatusCode::CONFLICT, "role_in_use");
}

#[tokio::test]
async fn region_scope_limits_the_county_leader_to_the_county() {
    let app = TestApp::new().await;
    app.add_user("zijin1", "紫金街道综合行政执法队", &["handler"]).await;
    app.add_user("qingtian1", "青田县综合行政执法局", &["handler"]).await;
    let s = app.login("countyleader").await;
    let (status, page) = app.get(&s, "/api/platform/users?page_size=200").await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = page["items"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    assert!(names.contains(&"zijin1") && names.contains(&"countyleader"), "{names:?}");
    assert!(!names.contains(&"qingtian1") && !names.contains(&"sysadmin"), "{names:?}");
    let city = app.login("cityleader").await;
    let (_, all) = app.get(&city, "/api/platform/users?page_size=200").await;
    assert_eq!(all["total"], app.count("users").await);
}

#[tokio::test]
async fn user_list_searches_sorts_pages_and_exports() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let (_, page) = app.get(&admin, "/api/platform/users?page=1&page_size=2&sort=username&order=desc").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["items"][0]["username"], "sysadmin");
    let (_, page) = app.get(&admin, "/api/platform/users?keyword=AUDIT").await;
    assert_eq!(page["total"], 1);
    let dept = app.dept_id("丽水市综合行政执法局").await;
    let (_, page) = app.get(&admin, &format!("/api/platform/users?department_id={dept}&include_sub=true")).await;
    assert_eq!(page["total"], 5, "bureau and its sections: {page}");
    let (status, body) = app.get(&admin, "/api/platform/users?sort=password_hash").await;
    assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let req = Request::get("/api/platform/users/export?keyword=admin")
        .header(header::COOKIE, &admin.cookie)
        .body(Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[header::CONTENT_TYPE].to_str().unwrap().contains("spreadsheetml"));
}

#[tokio::test]
async fn revealing_a_protected_field_needs_the_permission_and_is_audited() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let dept = app.dept_id("丽水市交通运输局").await;
    let (_, u) = app.post(&admin, "/api/platform/users", user_body(dept, "qianyi", vec![])).await;
    let id = u["id"].as_i64().unwrap();
    let (status, body) = app.post(&admin, &format!("/api/platform/users/{id}/reveal"), json!({"field": "phone"})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["value"], "13812345678");
    let (_, body) = app.post(&admin, &format!("/api/platform/users/{id}/reveal"), json!({"field": "id_number"})).await;
    assert_eq!(body["value"], "11010519491231002X");
    let city = app.login("cityleader").await;
    let (status, body) = app.post(&city, &format!("/api/platform/users/{id}/reveal"), json!({"field": "phone"})).await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
    let auditor = app.login("auditadmin").await;
    let (_, page) = app.get(&auditor, "/api/platform/audit?action=user.reveal").await;
    assert_eq!(page["total"], 2);
    let (_, page) = app.get(&auditor, "/api/platform/audit?action=auth.forbidden&outcome=failure").await;
    assert!(page["total"].as_i64().unwrap() >= 1);
}

#[tokio::test]
async fn batch_disable_and_delete_users() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let a = app.add_user("tmp_a", "丽水市农业农村局", &[]).await;
    let b = app.add_user("tmp_b", "丽水市农业农村局", &[]).await;
    let (status, body) =
        app.post(&admin, "/api/platform/users/batch-status", json!({"ids": [a, b], "enabled": false})).await;
    assert_eq!((status, body["affected"].as_i64()), (StatusCode::OK, Some(2)));
    let (_, page) = app.get(&admin, "/api/platform/users?enabled=false").await;
    assert_eq!(page["total"], 2);
    let me = admin.me["user"]["id"].as_i64().unwrap();
    let (status, body) = app.post(&admin, "/api/platform/users/batch-delete", json!({"ids": [a, me]})).await;
    assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let (status, body) = app.post(&admin, "/api/platform/users/batch-delete", json!({"ids": [a, b, 99999]})).await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    let (status, body) = app.post(&admin, "/api/platform/users/batch-delete", json!({"ids": [a, b]})).await;
    assert_eq!((status, body["affected"].as_i64()), (StatusCode::OK, Some(2)));
    let (status, _) = app.get(&admin, &format!("/api/platform/users/{a}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The name is free again after deregistration.
    let dept = app.dept_id("丽水市农业农村局").await;
    let (status, _) = app.post(&admin, "/api/platform/users", user_body(dept, "tmp_a", vec![])).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(app.login_with("tmp_b", PASSWORD).await.is_err());
}

#[tokio::test]
async fn department_tree_crud_rejects_cycles_and_non_empty_deletes() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let bureau = app.dept_id("丽水市综合行政执法局").await;
    let (status, d) = app.post(&admin, "/api/platform/departments",
        json!({"parent_id": bureau, "name": "丽水市综合行政执法局数据管理科", "kind": "other", "region_code": "331100"})).await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let id = d["id"].as_i64().unwrap();
    let (status, body) = app
        .put(
            &admin,
            &format!("/api/platform/departments/{bureau}"),
            json!({"parent_id": id, "name": "丽水市综合行政执法局", "kind": "bureau", "region_code": "331100"}),
        )
        .await;
    assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let (status, body) = app
        .post(
            &admin,
            "/api/platform/departments",
            json!({"parent_id": bureau, "name": "某科", "kind": "galaxy", "region_code": "999999"}),
        )
        .await;
    assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert!(body["details"]["fields"]["kind"].is_string() && body["details"]["fields"]["region_code"].is_string());
    let (status, body) = app.delete(&admin, &format!("/api/platform/departments/{bureau}")).await;
    assert_error(status, &body, StatusCode::CONFLICT, "department_not_empty");
    let (status, _) = app.delete(&admin, &format!("/api/platform/departments/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list) = app.get(&admin, "/api/platform/departments").await;
    assert!(list.as_array().unwrap().len() > 250);
}

#[tokio::test]
async fn portal_shows_only_tiles_the_user_may_open() {
    let app = TestApp::new().await;
    let handler = app.login("handler").await;
    let (_, tiles) = app.get(&handler, "/api/platform/portal/tiles").await;
    let names: Vec<&str> = tiles.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert!(
        names.contains(&"浙江政务服务网") && !names.contains(&"用户管理") && !names.contains(&"审计日志"),
        "{names:?}"
    );
    let admin = app.login("sysadmin").await;
    let (status, t) = app
        .post(
            &admin,
            "/api/platform/portal/tiles",
            json!({"name": "智管通", "icon": "Iphone", "url": "https://zgt.example.gov.cn/",
        "kind": "external", "required_permission": "platform:region:view", "sort_order": 95}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    let (_, tiles) = app.get(&handler, "/api/platform/portal/tiles").await;
    assert!(tiles.as_array().unwrap().iter().any(|x| x["name"] == "智管通"));
    let (status, body) = app
        .post(
            &admin,
            "/api/platform/portal/tiles",
            json!({"name": "坏", "icon": "x", "url": "javascript:alert(1)", "kind": "external"}),
        )
        .await;
    assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
}

#[tokio::test]
async fn dictionaries_are_listed_and_editable() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let (_, dicts) = app.get(&admin, "/api/platform/dicts").await;
    let kinds = dicts.as_array().unwrap().iter().find(|d| d["code"] == "department_kind").unwrap();
    assert_eq!(kinds["items"].as_array().unwrap().len(), 7);
    let (status, _) = app.post(&admin, "/api/platform/dicts", json!({"code": "case_source", "name": "线索来源"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, item) = app
        .post(
            &admin,
            "/api/platform/dicts/case_source/items",
            json!({"value": "12345", "label": "12345热线", "tag_type": "warning"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{item}");
    let (status, body) =
        app.post(&admin, "/api/platform/dicts/case_source/items", json!({"value": "12345", "label": "重复"})).await;
    assert_error(status, &body, StatusCode::CONFLICT, "duplicate");
    let (status, body) = app.delete(&admin, "/api/platform/dicts/department_kind").await;
    assert_error(status, &body, StatusCode::CONFLICT, "dict_builtin");
}

#[tokio::test]
async fn regions_and_boundaries_cover_lishui() {
    let app = TestApp::new().await;
    let s = app.login("handler").await;
    let (_, regions) = app.get(&s, "/api/platform/regions").await;
    let r = regions.as_array().unwrap();
    assert_eq!(r.iter().filter(|x| x["level"] == "county").count(), 10, "9 counties + 开发区");
    assert_eq!(r.iter().filter(|x| x["level"] == "township").count(), 173);
    let admin = app.login("sysadmin").await;
    let geo = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"adcode": "331102"}, "geometry": {"type": "Polygon",
         "coordinates": [[[119.8, 28.4], [119.9, 28.4], [119.9, 28.5], [119.8, 28.4]]]}}]});
    let (status, body) = app.put(&admin, "/api/platform/regions/boundaries", geo).await;
    assert_eq!((status, body["affected"].as_i64()), (StatusCode::OK, Some(1)));
    let bad = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"adcode": "331102"}, "geometry": {"type": "Polygon", "coordinates": [[[1000, 0]]]}},
        {"type": "Feature", "properties": {"adcode": "110000"}, "geometry": {"type": "Point", "coordinates": [1, 1]}}]});
    let (status, body) = app.put(&admin, "/api/platform/regions/boundaries", bad).await;
    assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(body["details"]["errors"].as_array().unwrap().len(), 2);
    let (_, fc) = app.get(&s, "/api/platform/regions/boundaries").await;
    let features = fc["features"].as_array().unwrap();
    assert_eq!(features.len(), 9, "the bundled county boundaries, one replaced");
    let liandu = features.iter().find(|f| f["properties"]["adcode"] == "331102").unwrap();
    assert_eq!(liandu["geometry"]["coordinates"][0][0][0], 119.8);
}

fn xlsx(rows: &[[&str; 6]]) -> Vec<u8> {
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
    let boundary = "XZBOUNDARY";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"items.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let req = Request::post("/api/platform/enforcement-items/import")
        .header(header::COOKIE, &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn enforcement_items_import_all_or_nothing() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let header = ["事项编码", "事项名称", "事项类别", "实施部门", "法律依据", "状态"];
    let bad = xlsx(&[
        header,
        ["A1", "对占道经营的处罚", "综合执法事项", "综合执法局", "", "启用"],
        ["A 2", "", "未知类别", "", "", "暂停"],
    ]);
    let (status, body) = upload(&app, &admin, bad).await;
    assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert!(body["details"]["errors"][0]["message"].as_str().unwrap().contains("第 3 行"), "{body}");
    assert_eq!(app.count("enforcement_items").await, 0);
    let good = xlsx(&[
        header,
        ["A1", "对占道经营的处罚", "综合执法事项", "综合执法局", "条例", "启用"],
        ["B2", "对违法建设的处罚", "乡镇执法事项", "乡镇", "", "停用"],
    ]);
    let (status, body) = upload(&app, &admin, good.clone()).await;
    assert_eq!((status, body["imported"].as_i64()), (StatusCode::OK, Some(2)), "{body}");
    let (status, body) = upload(&app, &admin, good).await;
    assert_eq!((status, body["updated"].as_i64()), (StatusCode::OK, Some(2)), "{body}");
    let (_, page) = app.get(&admin, "/api/platform/enforcement-items?category=township").await;
    assert_eq!(page["total"], 1);
    let (status, body) = upload(&app, &admin, b"not an excel file".to_vec()).await;
    assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
}

#[tokio::test]
async fn audit_log_is_append_only_and_tampering_is_detected() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let dept = app.dept_id("丽水市应急管理局").await;
    for name in ["audit_a", "audit_b"] {
        app.post(&admin, "/api/platform/users", user_body(dept, name, vec![])).await;
    }
    let auditor = app.login("auditadmin").await;
    let (status, report) = app.post(&auditor, "/api/platform/audit/verify", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["ok"], true, "{report}");
    // The database refuses edits through SQL...
    assert!(sqlx::query("UPDATE audit_log SET summary = 'x' WHERE seq = 2").execute(app.db.pool()).await.is_err());
    assert!(sqlx::query("DELETE FROM audit_log WHERE seq = 2").execute(app.db.pool()).await.is_err());
    // ...and when someone goes around the guard, verification names the row.
    match app.backend() {
        xiezhi_storage::Backend::Sqlite => app.exec("DROP TRIGGER audit_log_no_update").await,
        xiezhi_storage::Backend::Postgres => app.exec("ALTER TABLE audit_log DISABLE TRIGGER USER").await,
    }
    app.exec("UPDATE audit_log SET summary = '新增用户 someone_else' WHERE seq = 3").await;
    let (_, report) = app.post(&auditor, "/api/platform/audit/verify", json!({})).await;
    assert_eq!(report["ok"], false, "{report}");
    assert_eq!(report["first_bad_seq"], 3);
    let (_, page) = app.get(&auditor, "/api/platform/audit?keyword=someone_else").await;
    assert_eq!(page["total"], 1);
}

#[tokio::test]
async fn concurrent_writes_keep_the_audit_chain_intact() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let dept = app.dept_id("丽水市住房和城乡建设局").await;
    let mut tasks = Vec::new();
    for i in 0..12 {
        let app_router = app.router.clone();
        let s = admin.clone();
        tasks.push(tokio::spawn(async move {
            let body = json!({"username": format!("conc{i}"), "display_name": "并发", "department_id": dept, "password": "Conc#Lishui2026", "role_ids": []});
            let req = Request::post("/api/platform/users")
                .header(header::COOKIE, &s.cookie)
                .header("x-csrf-token", &s.csrf)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap();
            tower::ServiceExt::oneshot(app_router, req).await.unwrap().status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::CREATED);
    }
    let mut conn = app.db.conn().await.unwrap();
    let check = xiezhi_storage::audit::verify(&mut conn).await.unwrap();
    assert_eq!(check.first_bad_seq, None, "{check:?}");
    assert!(check.checked >= 13);
}

//! Attachments in an S3-compatible store, on both backends: the S3 simulator serves on a real port
//! and checks every SigV4 signature; clues pushed through the intake API put their attachments
//! there before the commit, the case API downloads them byte for byte, and a store that refuses us
//! (wrong secret) or is down refuses the push with a clear 503 and leaves nothing behind.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use common::{Session, TestApp, assert_error};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use xiezhi_api::clue::attachments::{AttachmentStore, S3Settings, S3Store};
use xiezhi_domain::clue::signature;
use xiezhi_domain::integration::sigv4;
use xiezhi_sim::faults::FaultSettings;
use xiezhi_sim::s3::{S3Config, S3Sim};
use xiezhi_storage::clue::config;

const SECRET: &str = "0123456789abcdef0123456789abcdef";
const APP_KEY: &str = "lsxz_test_s3";

struct Env {
    app: TestApp,
    viewer: Session,
    sim: Arc<S3Sim>,
    endpoint: String,
}

async fn setup() -> Env {
    let app = TestApp::new().await;
    app.add_role("case_viewer", "案件查看", "all", &["clue:case:view"]).await;
    app.add_user("viewer", "丽水市综合行政执法局智慧城管指挥中心", &["case_viewer"]).await;
    let mut tx = app.db.begin().await.unwrap();
    let w = config::SourceWrite {
        code: "liandu".into(),
        name: "莲都区执法平台".into(),
        kind: "county".into(),
        region_code: Some("331102".into()),
        department_id: None,
        callback_url: None,
        category_mapping: "{}".into(),
        field_mapping: "{}".into(),
        enabled: true,
    };
    config::insert_source(&mut tx, &w, APP_KEY, &app.state.cipher.encrypt(SECRET), 1).await.unwrap();
    tx.commit().await.unwrap();
    let viewer = app.login("viewer").await;
    let sim = S3Sim::new(S3Config::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let router = xiezhi_sim::s3::router(sim.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Env { app, viewer, sim, endpoint }
}

/// Point the app at the simulator, with the given secret.
fn use_s3(env: &Env, secret: &str) {
    let c = S3Config::default();
    let settings = S3Settings::new(&env.endpoint, &c.bucket, &c.region, &c.access_key, secret, true);
    env.app.state.clue.set_attachment_store(AttachmentStore::S3(Box::new(S3Store::new(settings).unwrap())));
}

fn nonce() -> String {
    hex::encode(rand::random::<[u8; 12]>())
}

async fn signed_post(app: &TestApp, path: &str, body: &Value) -> (StatusCode, Value) {
    let body = body.to_string();
    let ts = xiezhi_api::now_ms().to_string();
    let n = nonce();
    let sig = signature::sign(SECRET, &signature::canonical("POST", path, &ts, &n, body.as_bytes()));
    let req = Request::post(path)
        .header("x-app-key", APP_KEY)
        .header("x-timestamp", ts)
        .header("x-nonce", n)
        .header("x-signature", sig)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

fn clue(id: &str, attachments: &[(&str, &str, &[u8])]) -> Value {
    json!({
        "source_clue_id": id,
        "reported_at": xiezhi_domain::clue::intake::format_time(xiezhi_api::now_ms() - 60_000),
        "description": format!("中山街菜场门口流动摊贩占道经营（{id}）"),
        "address": "丽水市莲都区紫金街道中山街",
        "location": {"longitude": 119.9276, "latitude": 28.4515, "coord_system": "wgs84"},
        "category_code": "E0502",
        "attachments": attachments
            .iter()
            .map(|(name, ct, data)| json!({"name": name, "content_type": ct, "data": B64.encode(data)}))
            .collect::<Vec<_>>(),
    })
}

/// A JPEG-looking file with random content.
fn photo() -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0];
    v.extend((0..20_000).map(|_| rand::random::<u8>()));
    v
}

async fn case_id(env: &Env, case_no: &str) -> i64 {
    let (st, page) = env.app.get(&env.viewer, &format!("/api/clue/cases?q={case_no}")).await;
    assert_eq!(st, StatusCode::OK, "{page}");
    page["items"][0]["id"].as_i64().unwrap_or_else(|| panic!("{case_no}: {page}"))
}

/// Download an attachment: status, content type and bytes.
async fn download(env: &Env, case: i64, sha: &str) -> (StatusCode, String, Vec<u8>) {
    let req = Request::get(format!("/api/clue/cases/{case}/attachments/{sha}"))
        .header(header::COOKIE, &env.viewer.cookie)
        .body(Body::empty())
        .unwrap();
    let res = env.app.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let ct = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (status, ct, res.into_body().collect().await.unwrap().to_bytes().to_vec())
}

async fn rows(app: &TestApp) -> (i64, i64, i64, i64, i64) {
    (
        app.count("clues").await,
        app.count("cases").await,
        app.count("attachments").await,
        app.count("clue_attachments").await,
        app.count("intake_nonces").await,
    )
}

#[tokio::test]
async fn pushed_attachments_are_stored_in_s3_and_downloaded_byte_for_byte() {
    let env = setup().await;
    use_s3(&env, &S3Config::default().secret_key);
    let jpeg = photo();
    let pdf = "%PDF-1.4\n% 现场检查笔录\n".as_bytes().to_vec();
    let (st, r) = signed_post(
        &env.app,
        "/api/intake/v1/clues",
        &clue("S3-1", &[("现场.jpg", "image/jpeg", &jpeg), ("笔录.pdf", "application/pdf", &pdf)]),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    let (jpeg_sha, pdf_sha) = (sigv4::sha256_hex(&jpeg), sigv4::sha256_hex(&pdf));
    // Content-addressed keys in the bucket, with the declared content types.
    let objects = env.sim.objects();
    let keys: Vec<&str> = objects.iter().map(|o| o.key.as_str()).collect();
    for (sha, ct, len) in [(&jpeg_sha, "image/jpeg", jpeg.len()), (&pdf_sha, "application/pdf", pdf.len())] {
        let key = format!("attachments/{}/{}", &sha[..2], &sha[2..]);
        let o = objects.iter().find(|o| o.key == key).unwrap_or_else(|| panic!("{key} not in {keys:?}"));
        assert_eq!((o.content_type.as_str(), o.size), (ct, len));
    }
    assert_eq!(objects.len(), 2);
    // Downloaded through the case API, from the store.
    let case = case_id(&env, r["case_no"].as_str().unwrap()).await;
    let (st, d) = env.app.get(&env.viewer, &format!("/api/clue/cases/{case}")).await;
    assert_eq!(st, StatusCode::OK, "{d}");
    let listed = d.to_string();
    assert!(listed.contains(&jpeg_sha) && listed.contains(&pdf_sha), "{listed}");
    assert_eq!(download(&env, case, &jpeg_sha).await, (StatusCode::OK, "image/jpeg".into(), jpeg.clone()));
    assert_eq!(download(&env, case, &pdf_sha).await, (StatusCode::OK, "application/pdf".into(), pdf.clone()));
    let (st, _, _) = download(&env, case, &"0".repeat(64)).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    // The same photo in a batch is stored once.
    let (st, r) = signed_post(
        &env.app,
        "/api/intake/v1/clues/batch",
        &json!({"clues": [clue("S3-2", &[("again.jpg", "image/jpeg", &jpeg)])]}),
    )
    .await;
    assert_eq!((st, r["accepted"].as_i64()), (StatusCode::OK, Some(1)), "{r}");
    assert_eq!(env.sim.objects().len(), 2);
    // The store is down: downloads answer a clear 503 (after the retries), then work again.
    env.sim.faults.set(FaultSettings { error_rate: 1.0, ..Default::default() });
    let req = Request::get(format!("/api/clue/cases/{case}/attachments/{jpeg_sha}"))
        .header(header::COOKIE, &env.viewer.cookie)
        .body(Body::empty())
        .unwrap();
    let (st, e) = env.app.send(req).await;
    assert_error(st, &e, StatusCode::SERVICE_UNAVAILABLE, "attachment_store_unavailable");
    env.sim.faults.set(FaultSettings::default());
    assert_eq!(download(&env, case, &jpeg_sha).await.2, jpeg);
}

#[tokio::test]
async fn a_store_that_refuses_us_fails_the_push_clearly_and_nothing_is_written() {
    let env = setup().await;
    use_s3(&env, "not-the-secret");
    let jpeg = photo();
    let before = rows(&env.app).await;
    let audit_before = env.app.count("audit_log").await;
    let single = clue("S3-9", &[("现场.jpg", "image/jpeg", &jpeg)]);
    let (st, e) = signed_post(&env.app, "/api/intake/v1/clues", &single).await;
    assert_error(st, &e, StatusCode::SERVICE_UNAVAILABLE, "attachment_store_unavailable");
    assert!(e["message"].as_str().unwrap().contains("附件存储"), "{e}");
    assert!(!e.to_string().contains("SignatureDoesNotMatch"), "the cause stays in the log: {e}");
    let batch = json!({"clues": [clue("S3-10", &[]), clue("S3-11", &[("现场.jpg", "image/jpeg", &jpeg)])]});
    let (st, e) = signed_post(&env.app, "/api/intake/v1/clues/batch", &batch).await;
    assert_error(st, &e, StatusCode::SERVICE_UNAVAILABLE, "attachment_store_unavailable");
    assert_eq!(rows(&env.app).await, before, "no clue, case, attachment or nonce rows");
    assert_eq!(env.app.count("audit_log").await, audit_before);
    assert!(env.sim.objects().is_empty());
    // A store that is down is the same to the source; it retries once the store is back.
    use_s3(&env, &S3Config::default().secret_key);
    env.sim.faults.set(FaultSettings { error_rate: 1.0, ..Default::default() });
    let (st, e) = signed_post(&env.app, "/api/intake/v1/clues", &single).await;
    assert_error(st, &e, StatusCode::SERVICE_UNAVAILABLE, "attachment_store_unavailable");
    assert_eq!(rows(&env.app).await, before);
    env.sim.faults.set(FaultSettings::default());
    let (st, r) = signed_post(&env.app, "/api/intake/v1/clues", &single).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    let (st, r) = signed_post(&env.app, "/api/intake/v1/clues/batch", &batch).await;
    assert_eq!((st, r["accepted"].as_i64()), (StatusCode::OK, Some(2)), "{r}");
    assert_eq!(env.sim.objects().len(), 1, "the photo is stored once");
    let case = case_id(&env, r["results"][1]["result"]["case_no"].as_str().unwrap()).await;
    assert_eq!(download(&env, case, &sigv4::sha256_hex(&jpeg)).await.2, jpeg);
}

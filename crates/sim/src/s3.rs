//! Simulator of an S3-compatible object store (AWS S3, MinIO, Aliyun OSS in S3 mode), as far as the
//! attachment store uses one: path-style `PUT`, `GET` and `HEAD` of objects in one bucket, every
//! request authenticated with AWS Signature Version 4 in the `Authorization` header and checked
//! like S3 checks it (access key, clock skew, credential scope, body hash, signature). Objects are
//! held in memory. Errors answer S3's XML error body with S3's codes.
//!
//! Operator interface: `/_sim/faults` (shared fault injection) and `/_sim/objects` (what is stored).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use xiezhi_domain::integration::sigv4::{self, Request, Scope};

use crate::faults::{Fault, FaultSettings, Faults};
use crate::now_ms;

/// The one bucket and the one key pair the simulator accepts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct S3Config {
    pub bucket: String,
    pub region: String,
    pub access_key: String,
    pub secret_key: String,
}

impl Default for S3Config {
    fn default() -> Self {
        S3Config {
            bucket: "xiezhi".into(),
            region: "cn-east-1".into(),
            access_key: "xiezhi-sim".into(),
            secret_key: "xiezhi-sim-secret".into(),
        }
    }
}

#[derive(Debug, Clone)]
struct Object {
    data: Bytes,
    content_type: String,
}

/// One stored object, as listed by the operator interface.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ObjectInfo {
    pub key: String,
    pub size: usize,
    pub content_type: String,
}

/// The simulator's state.
#[derive(Debug)]
pub struct S3Sim {
    pub faults: Faults,
    config: RwLock<S3Config>,
    objects: Mutex<BTreeMap<String, Object>>,
}

impl S3Sim {
    pub fn new(config: S3Config) -> Arc<S3Sim> {
        Arc::new(S3Sim { faults: Faults::default(), config: RwLock::new(config), objects: Mutex::new(BTreeMap::new()) })
    }

    pub fn config(&self) -> S3Config {
        self.config.read().map(|c| c.clone()).unwrap_or_default()
    }

    /// Every stored object, by key.
    pub fn objects(&self) -> Vec<ObjectInfo> {
        self.objects
            .lock()
            .map(|m| {
                m.iter()
                    .map(|(k, o)| ObjectInfo {
                        key: k.clone(),
                        size: o.data.len(),
                        content_type: o.content_type.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The bytes of an object.
    pub fn object(&self, key: &str) -> Option<Bytes> {
        self.objects.lock().ok().and_then(|m| m.get(key).map(|o| o.data.clone()))
    }

    fn put(&self, key: String, data: Bytes, content_type: String) {
        if let Ok(mut m) = self.objects.lock() {
            m.insert(key, Object { data, content_type });
        }
    }

    fn get(&self, key: &str) -> Option<Object> {
        self.objects.lock().ok().and_then(|m| m.get(key).cloned())
    }
}

/// S3's XML error answer.
fn s3_error(status: StatusCode, code: &str, message: &str, resource: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message>\
         <Resource>{}</Resource><RequestId>{:016x}</RequestId></Error>",
        resource.replace('&', "&amp;").replace('<', "&lt;"),
        rand::random::<u64>()
    );
    (status, [(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

fn header_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Why a request is refused: status, S3 error code, message.
type Refusal = (StatusCode, &'static str, &'static str);

/// Check the request's SigV4 signature as S3 does.
fn authenticate(
    cfg: &S3Config,
    method: &Method,
    path: &str,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), Refusal> {
    let denied = |code: &'static str, message: &'static str| (StatusCode::FORBIDDEN, code, message);
    let Some(auth) = header_value(headers, "authorization") else {
        return Err(denied("AccessDenied", "Anonymous access is not allowed"));
    };
    let Some(auth) = sigv4::parse_authorization(auth) else {
        return Err((StatusCode::BAD_REQUEST, "AuthorizationHeaderMalformed", "The authorization header is malformed"));
    };
    if auth.access_key != cfg.access_key {
        return Err(denied("InvalidAccessKeyId", "The AWS access key Id you provided does not exist in our records."));
    }
    let Some(amz_date) = header_value(headers, "x-amz-date") else {
        return Err(denied("AccessDenied", "x-amz-date is missing"));
    };
    match sigv4::parse_amz_date(amz_date) {
        Some(t) if (now_ms() - t).abs() <= sigv4::MAX_SKEW_MS => {}
        _ => {
            return Err(denied(
                "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.",
            ));
        }
    }
    if auth.date != amz_date.get(..8).unwrap_or_default() || auth.region != cfg.region || auth.service != "s3" {
        return Err((
            StatusCode::BAD_REQUEST,
            "AuthorizationHeaderMalformed",
            "The credential scope does not match this region, date or service",
        ));
    }
    let Some(payload) = header_value(headers, "x-amz-content-sha256") else {
        return Err((StatusCode::BAD_REQUEST, "InvalidRequest", "Missing required header x-amz-content-sha256"));
    };
    if payload != "UNSIGNED-PAYLOAD" && payload != sigv4::sha256_hex(body) {
        return Err((
            StatusCode::BAD_REQUEST,
            "XAmzContentSHA256Mismatch",
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        ));
    }
    for required in ["host", "x-amz-date", "x-amz-content-sha256"] {
        if !auth.signed_headers.iter().any(|h| h == required) {
            return Err(denied("AccessDenied", "Required headers are not signed"));
        }
    }
    let mut signed = Vec::with_capacity(auth.signed_headers.len());
    for name in &auth.signed_headers {
        let values: Vec<&str> = headers.get_all(name.as_str()).iter().filter_map(|v| v.to_str().ok()).collect();
        if values.is_empty() {
            return Err(denied("AccessDenied", "A signed header is missing"));
        }
        for v in values {
            signed.push((name.clone(), v.to_owned()));
        }
    }
    let mut query = Vec::new();
    for pair in uri.query().unwrap_or_default().split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match (sigv4::percent_decode(k), sigv4::percent_decode(v)) {
            (Some(k), Some(v)) => query.push((k, v)),
            _ => return Err((StatusCode::BAD_REQUEST, "InvalidArgument", "Malformed query string")),
        }
    }
    let req = Request { method: method.as_str(), path, query: &query, headers: &signed, payload_sha256: payload };
    let scope = Scope { amz_date, region: &cfg.region, service: "s3" };
    let expected = sigv4::sign(&req, &scope, &cfg.access_key, &cfg.secret_key);
    if sigv4::signature_matches(&expected.signature, &auth.signature) {
        Ok(())
    } else {
        Err(denied(
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
        ))
    }
}

async fn object(State(sim): State<Arc<S3Sim>>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let fault = match sim.faults.before().await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let cfg = sim.config();
    let Some(path) = sigv4::percent_decode(uri.path()) else {
        return s3_error(StatusCode::BAD_REQUEST, "InvalidURI", "Couldn't parse the specified URI.", uri.path());
    };
    if let Err((status, code, message)) = authenticate(&cfg, &method, &path, &uri, &headers, &body) {
        return s3_error(status, code, message, &path);
    }
    let Some((bucket, key)) = path.trim_start_matches('/').split_once('/') else {
        return s3_error(StatusCode::NOT_IMPLEMENTED, "NotImplemented", "Only object requests are simulated", &path);
    };
    if bucket != cfg.bucket {
        return s3_error(StatusCode::NOT_FOUND, "NoSuchBucket", "The specified bucket does not exist", &path);
    }
    if key.is_empty() {
        return s3_error(StatusCode::NOT_IMPLEMENTED, "NotImplemented", "Only object requests are simulated", &path);
    }
    let answer = match method {
        Method::PUT => {
            let etag = format!("\"{}\"", &sigv4::sha256_hex(&body)[..32]);
            let content_type = header_value(&headers, "content-type").unwrap_or("application/octet-stream").to_owned();
            sim.put(key.to_owned(), body, content_type);
            (StatusCode::OK, [(header::ETAG, etag)]).into_response()
        }
        Method::GET | Method::HEAD => match sim.get(key) {
            Some(o) => {
                let etag = format!("\"{}\"", &sigv4::sha256_hex(&o.data)[..32]);
                let headers = [
                    (header::CONTENT_TYPE, o.content_type),
                    (header::CONTENT_LENGTH, o.data.len().to_string()),
                    (header::ETAG, etag),
                ];
                if method == Method::HEAD {
                    (StatusCode::OK, headers).into_response()
                } else {
                    (StatusCode::OK, headers, o.data).into_response()
                }
            }
            None if method == Method::HEAD => StatusCode::NOT_FOUND.into_response(),
            None => s3_error(StatusCode::NOT_FOUND, "NoSuchKey", "The specified key does not exist.", &path),
        },
        _ => s3_error(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed", "The specified method is not allowed", &path),
    };
    if fault == Fault::DropAfterCommit { crate::faults::reset() } else { answer }
}

/// Path-style object routes and the operator interface.
pub fn router(sim: Arc<S3Sim>) -> Router {
    Router::new()
        .route("/_sim/objects", get(|State(sim): State<Arc<S3Sim>>| async move { Json(sim.objects()) }))
        .route(
            "/_sim/faults",
            get(|State(sim): State<Arc<S3Sim>>| async move { Json(sim.faults.get()) }).put(
                |State(sim): State<Arc<S3Sim>>, Json(f): Json<FaultSettings>| async move {
                    sim.faults.set(f);
                    Json(sim.faults.get())
                },
            ),
        )
        .route("/{bucket}/{*key}", any(object))
        .with_state(sim)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    fn signed(method: &str, path: &str, body: &[u8], secret: &str, amz_date: &str) -> axum::http::Request<Body> {
        let cfg = S3Config::default();
        let payload = sigv4::sha256_hex(body);
        let headers = vec![
            ("host".to_owned(), "127.0.0.1:9000".to_owned()),
            ("x-amz-content-sha256".to_owned(), payload.clone()),
            ("x-amz-date".to_owned(), amz_date.to_owned()),
        ];
        let req = Request { method, path, query: &[], headers: &headers, payload_sha256: &payload };
        let scope = Scope { amz_date, region: &cfg.region, service: "s3" };
        let sig = sigv4::sign(&req, &scope, &cfg.access_key, secret);
        let mut b = axum::http::Request::builder().method(method).uri(sigv4::uri_encode(path, true));
        for (k, v) in headers {
            b = b.header(k, v);
        }
        b.header("authorization", sig.authorization).body(Body::from(body.to_vec())).unwrap()
    }

    async fn send(app: &Router, req: axum::http::Request<Body>) -> (StatusCode, Vec<u8>) {
        let res = app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        (status, res.into_body().collect().await.unwrap().to_bytes().to_vec())
    }

    #[tokio::test]
    async fn signed_put_get_head_and_refusals() {
        let sim = S3Sim::new(S3Config::default());
        let app = router(sim.clone());
        let now = sigv4::amz_date(now_ms());
        let secret = S3Config::default().secret_key;
        let (st, _) = send(&app, signed("PUT", "/xiezhi/attachments/ab/照片", b"hello", &secret, &now)).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(sim.object("attachments/ab/照片").as_deref(), Some(&b"hello"[..]));
        let (st, body) = send(&app, signed("GET", "/xiezhi/attachments/ab/照片", b"", &secret, &now)).await;
        assert_eq!((st, body.as_slice()), (StatusCode::OK, &b"hello"[..]));
        let (st, body) = send(&app, signed("HEAD", "/xiezhi/attachments/ab/none", b"", &secret, &now)).await;
        assert_eq!((st, body.len()), (StatusCode::NOT_FOUND, 0));
        let (st, body) = send(&app, signed("GET", "/xiezhi/attachments/ab/none", b"", &secret, &now)).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        assert!(String::from_utf8_lossy(&body).contains("NoSuchKey"));
        let (st, body) = send(&app, signed("PUT", "/xiezhi/k", b"x", "wrong", &now)).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        assert!(String::from_utf8_lossy(&body).contains("SignatureDoesNotMatch"));
        let stale = sigv4::amz_date(now_ms() - 20 * 60 * 1000);
        let (st, body) = send(&app, signed("PUT", "/xiezhi/k", b"x", &secret, &stale)).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        assert!(String::from_utf8_lossy(&body).contains("RequestTimeTooSkewed"));
        let (st, _) = send(&app, signed("PUT", "/other/k", b"x", &secret, &now)).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        // A body that is not the one signed.
        let mut req = signed("PUT", "/xiezhi/k", b"x", &secret, &now);
        *req.body_mut() = Body::from("y");
        let (st, _) = send(&app, req).await;
        assert_eq!(st, StatusCode::BAD_REQUEST);
        assert_eq!(sim.objects().len(), 1);
    }
}

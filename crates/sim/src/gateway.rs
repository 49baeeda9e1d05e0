//! The IRS-style gateway in front of the province's and the big-data bureau's APIs: apps with a
//! key and secret, `refreshTokenByKey` / `refreshTokenBySec`, and the check of every data call
//! (`appKey`, `requestTime`, `sign = md5(appKey + requestSecret + requestTime)`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};

use axum::Json;
use axum::response::{IntoResponse, Response};

use crate::faults::{Fault, Faults};
use axum::extract::{Query, State};
use axum::routing::{Router, any};
pub use xiezhi_domain::integration::gateway::SignParams;
use xiezhi_domain::integration::gateway::{self as gw, Envelope, Secrets, code};

use crate::now_ms;

#[derive(Debug, Clone)]
struct App {
    secret: String,
    refresh: Option<(String, i64)>,
    /// Request secrets still valid (the newest last); older ones stay valid until they expire.
    requests: Vec<(String, i64)>,
}

/// Registered apps and the secrets issued to them.
#[derive(Debug)]
pub struct Gateway {
    apps: RwLock<HashMap<String, App>>,
    /// Lifetime of a request secret (real gateway: about 15 minutes).
    pub request_ttl_ms: AtomicI64,
    /// Lifetime of a refresh secret (real gateway: about 48 hours).
    pub refresh_ttl_ms: AtomicI64,
}

impl Default for Gateway {
    fn default() -> Self {
        Gateway {
            apps: RwLock::default(),
            request_ttl_ms: AtomicI64::new(15 * 60 * 1000),
            refresh_ttl_ms: AtomicI64::new(48 * 3600 * 1000),
        }
    }
}

fn secret_token() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

impl Gateway {
    /// Register (or re-key) an app.
    pub fn register(&self, app_key: &str, secret: &str) {
        if let Ok(mut apps) = self.apps.write() {
            let same = apps.get(app_key).is_some_and(|a| a.secret == secret);
            if !same {
                apps.insert(app_key.to_owned(), App { secret: secret.to_owned(), refresh: None, requests: Vec::new() });
            }
        }
    }

    /// Expire every request secret now (the next data call answers `SECRET_EXPIRED`).
    pub fn expire_request_secrets(&self) {
        if let Ok(mut apps) = self.apps.write() {
            for a in apps.values_mut() {
                a.requests.clear();
            }
        }
    }

    fn time_of(p: &SignParams, now: i64) -> Result<i64, Envelope<()>> {
        let t: i64 = p.request_time.parse().map_err(|_| Envelope::error(code::BAD_REQUEST, "requestTime 无效"))?;
        if (now - t).abs() > gw::TIME_WINDOW_MS {
            return Err(Envelope::error(code::STALE_TIME, "requestTime 超出允许范围"));
        }
        Ok(t)
    }

    /// Check a data call; returns the app key.
    pub fn check(&self, p: &SignParams) -> Result<String, Envelope<()>> {
        let now = now_ms();
        let t = Self::time_of(p, now)?;
        let apps = self.apps.read().map_err(|_| Envelope::error(code::UPSTREAM, "网关内部错误"))?;
        let app = apps.get(&p.app_key).ok_or_else(|| Envelope::error(code::NO_ACCESS, "appKey 未授权"))?;
        let live: Vec<&(String, i64)> = app.requests.iter().filter(|(_, exp)| *exp > now).collect();
        if live.is_empty() {
            return Err(Envelope::error(code::SECRET_EXPIRED, "requestSecret 已过期，请刷新"));
        }
        if live.iter().any(|(s, _)| gw::sign_matches(&gw::sign(&p.app_key, s, t), &p.sign)) {
            Ok(p.app_key.clone())
        } else {
            Err(Envelope::error(code::BAD_SIGN, "签名错误"))
        }
    }

    /// Check the time and the app of a token refresh, then let `issue` check the signature with the
    /// app's secrets and issue new ones.
    fn refresh(
        &self,
        p: &SignParams,
        issue: impl FnOnce(&mut App, i64, i64) -> Result<Secrets, Envelope<()>>,
    ) -> Envelope<Secrets> {
        let now = now_ms();
        let outcome = Self::time_of(p, now).and_then(|t| {
            let mut apps = self.apps.write().map_err(|_| Envelope::error(code::UPSTREAM, "网关内部错误"))?;
            let app = apps.get_mut(&p.app_key).ok_or_else(|| Envelope::error(code::NO_ACCESS, "appKey 未授权"))?;
            issue(app, t, now)
        });
        match outcome {
            Ok(s) => Envelope::ok(s),
            Err(e) => Envelope::error(&e.code, e.msg),
        }
    }

    fn new_request_secret(&self, app: &mut App, now: i64) -> (String, i64) {
        let request = (secret_token(), now + self.request_ttl_ms.load(Ordering::Relaxed));
        app.requests.retain(|(_, exp)| *exp > now);
        app.requests.push(request.clone());
        request
    }

    fn refresh_by_key(&self, p: &SignParams) -> Envelope<Secrets> {
        self.refresh(p, |app, t, now| {
            if !gw::sign_matches(&gw::sign(&p.app_key, &app.secret, t), &p.sign) {
                return Err(Envelope::error(code::BAD_SIGN, "签名错误"));
            }
            let refresh = (secret_token(), now + self.refresh_ttl_ms.load(Ordering::Relaxed));
            app.refresh = Some(refresh.clone());
            let request = self.new_request_secret(app, now);
            Ok(Secrets {
                request_secret: request.0,
                request_secret_end_time: request.1,
                refresh_secret: Some(refresh.0),
                refresh_secret_end_time: Some(refresh.1),
            })
        })
    }

    fn refresh_by_sec(&self, p: &SignParams) -> Envelope<Secrets> {
        self.refresh(p, |app, t, now| {
            let Some((refresh, exp)) = app.refresh.clone().filter(|(_, exp)| *exp > now) else {
                return Err(Envelope::error(code::SECRET_EXPIRED, "refreshSecret 已过期，请用 appSecret 刷新"));
            };
            if !gw::sign_matches(&gw::sign(&p.app_key, &refresh, t), &p.sign) {
                return Err(Envelope::error(code::BAD_SIGN, "签名错误"));
            }
            let request = self.new_request_secret(app, now);
            Ok(Secrets {
                request_secret: request.0,
                request_secret_end_time: request.1,
                refresh_secret: None,
                refresh_secret_end_time: Some(exp),
            })
        })
    }
}

/// Serve one data call: the configured latency and fault, the signature check, then `work` with
/// the caller's app key. A "drop after commit" fault does the work and then drops the connection.
pub async fn guarded<T: serde::Serialize>(
    faults: &Faults,
    gateway: &Gateway,
    params: &SignParams,
    work: impl FnOnce(&str) -> Result<T, Envelope<()>>,
) -> Response {
    let fault = match faults.before().await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let answer = match gateway.check(params).and_then(|key| work(&key)) {
        Ok(v) => Json(Envelope::ok(v)).into_response(),
        Err(e) => Json(e).into_response(),
    };
    if fault == Fault::DropAfterCommit { crate::faults::reset() } else { answer }
}

/// The two token routes (GET or POST, parameters in the query string).
pub fn router(gw: Arc<Gateway>) -> Router {
    Router::new()
        .route(
            gw::REFRESH_BY_KEY,
            any(|State(g): State<Arc<Gateway>>, Query(p): Query<SignParams>| async move { Json(g.refresh_by_key(&p)) }),
        )
        .route(
            gw::REFRESH_BY_SEC,
            any(|State(g): State<Arc<Gateway>>, Query(p): Query<SignParams>| async move { Json(g.refresh_by_sec(&p)) }),
        )
        .with_state(gw)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn params(key: &str, secret: &str, t: i64) -> SignParams {
        SignParams { app_key: key.into(), request_time: t.to_string(), sign: gw::sign(key, secret, t) }
    }

    #[test]
    fn secrets_are_issued_renewed_and_checked() {
        let g = Gateway::default();
        g.register("k", "s");
        let now = now_ms();
        assert_eq!(g.check(&params("k", "s", now)).unwrap_err().code, code::SECRET_EXPIRED);
        assert_eq!(g.refresh_by_key(&params("k", "wrong", now)).code, code::BAD_SIGN);
        assert_eq!(g.refresh_by_key(&params("other", "s", now)).code, code::NO_ACCESS);
        assert_eq!(g.refresh_by_key(&params("k", "s", now - gw::TIME_WINDOW_MS - 1)).code, code::STALE_TIME);
        let s = g.refresh_by_key(&params("k", "s", now)).datas.unwrap_or_else(|| panic!("secrets"));
        assert!(g.check(&params("k", &s.request_secret, now)).is_ok());
        assert_eq!(g.check(&params("k", "s", now)).unwrap_err().code, code::BAD_SIGN);
        let refresh = s.refresh_secret.unwrap_or_default();
        let s2 = g.refresh_by_sec(&params("k", &refresh, now)).datas.unwrap_or_else(|| panic!("renewed"));
        assert!(g.check(&params("k", &s2.request_secret, now)).is_ok());
        // The previous request secret stays valid until it expires.
        assert!(g.check(&params("k", &s.request_secret, now)).is_ok());
        g.expire_request_secrets();
        assert_eq!(g.check(&params("k", &s2.request_secret, now)).unwrap_err().code, code::SECRET_EXPIRED);
    }
}

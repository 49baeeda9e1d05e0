//! Client side of the IRS-style gateway: secrets per system, refreshed before they expire
//! (`refreshTokenBySec` while the refresh secret lives, else `refreshTokenByKey`), and signed
//! query parameters for every data call.

use std::collections::HashMap;

use xiezhi_domain::integration::gateway::{self as gw, Envelope, Secrets, code};

use super::Settings;
use super::relay::{Attempt, Found, Logged, Outcome};
use crate::now_ms;

/// Renew a request secret this long before it expires.
const MARGIN_MS: i64 = 60_000;

#[derive(Debug, Clone)]
struct Held {
    app_key: String,
    request: (String, i64),
    refresh: Option<(String, i64)>,
}

/// Secrets held per system. One refresh at a time per process.
#[derive(Debug, Default)]
pub struct Tokens(tokio::sync::Mutex<HashMap<String, Held>>);

/// Why a gateway call failed.
#[derive(Debug, Clone)]
pub enum GatewayError {
    /// Not sent (connection refused, DNS): safe to retry.
    NotSent(String),
    /// Sent, outcome unknown (timeout, connection dropped, 5xx).
    Unknown(String),
    /// Answered with an error code.
    Answer { code: String, msg: String },
}

impl std::fmt::Display for GatewayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GatewayError::NotSent(e) => write!(f, "未送达：{e}"),
            GatewayError::Unknown(e) => write!(f, "结果未知：{e}"),
            GatewayError::Answer { code, msg } => write!(f, "对方返回 {code}：{msg}"),
        }
    }
}

impl GatewayError {
    /// What the relay makes of a failed call: retry when it surely did not take effect, reconcile
    /// first when it may have, park when the gateway refuses it for good.
    pub fn outcome(&self) -> Outcome {
        match self {
            GatewayError::NotSent(m) => Outcome::Retry(m.clone()),
            GatewayError::Unknown(m) => Outcome::Unknown(m.clone()),
            GatewayError::Answer { code: c, .. } => match c.as_str() {
                code::SECRET_EXPIRED | code::BAD_SIGN | code::STALE_TIME => Outcome::Retry(self.to_string()),
                code::UPSTREAM => Outcome::Unknown(self.to_string()),
                _ => Outcome::Rejected(self.to_string()),
            },
        }
    }
}

/// One delivery attempt through the gateway: POST `body` to `path`; `reference` names the other
/// side's identifier in the answer.
pub async fn push_attempt<T: serde::de::DeserializeOwned>(
    tokens: &Tokens,
    http: &reqwest::Client,
    s: &Settings,
    path: &str,
    body: &serde_json::Value,
    reference: impl FnOnce(T) -> String,
) -> Attempt {
    let started = std::time::Instant::now();
    let (outcome, error, response) = match call::<T>(tokens, http, s, path, body).await {
        Ok((answer, text)) => (Outcome::Delivered { reference: reference(answer) }, String::new(), text),
        Err((e, text)) => (e.outcome(), e.to_string(), text),
    };
    let l = Logged::new(&s.code, path, outcome.word(), error, body.to_string(), response, started);
    Attempt { outcome, log: vec![l] }
}

/// Reconcile through a gateway query: `arrived` picks the other side's identifier out of the
/// answer when the message is there.
pub async fn query_found<T: serde::de::DeserializeOwned>(
    tokens: &Tokens,
    http: &reqwest::Client,
    s: &Settings,
    path: &str,
    body: &serde_json::Value,
    arrived: impl FnOnce(T) -> Option<String>,
) -> (Found, Vec<Logged>) {
    let started = std::time::Instant::now();
    match call::<T>(tokens, http, s, path, body).await {
        Ok((answer, text)) => {
            let found = match arrived(answer) {
                Some(reference) => Found::Arrived { reference },
                None => Found::Missing,
            };
            (found, vec![Logged::new(&s.code, path, "ok", String::new(), body.to_string(), text, started)])
        }
        Err((e, text)) => {
            let l = Logged::new(&s.code, path, "unknown", e.to_string(), body.to_string(), text, started);
            (Found::Unknown(e.to_string()), vec![l])
        }
    }
}

/// Classify a transport error: was the request possibly received?
pub fn transport_error(e: &reqwest::Error) -> GatewayError {
    if e.is_connect() || e.is_builder() {
        GatewayError::NotSent(e.to_string())
    } else if e.is_timeout() {
        GatewayError::Unknown(format!("超时：{e}"))
    } else {
        GatewayError::Unknown(e.to_string())
    }
}

impl Tokens {
    /// Forget the secrets of a system (after SECRET_EXPIRED, or when its settings change).
    pub async fn forget(&self, system: &str) {
        self.0.lock().await.remove(system);
    }

    /// The signing query parameters for a data call.
    pub async fn params(
        &self,
        http: &reqwest::Client,
        s: &Settings,
    ) -> Result<Vec<(&'static str, String)>, GatewayError> {
        let secret = self.request_secret(http, s).await?;
        let t = now_ms();
        Ok(vec![
            ("appKey", s.app_key.clone()),
            ("requestTime", t.to_string()),
            ("sign", gw::sign(&s.app_key, &secret, t)),
        ])
    }

    async fn request_secret(&self, http: &reqwest::Client, s: &Settings) -> Result<String, GatewayError> {
        let mut held = self.0.lock().await;
        let now = now_ms();
        if let Some(h) = held.get(&s.code)
            && h.app_key == s.app_key
            && h.request.1 - MARGIN_MS > now
        {
            return Ok(h.request.0.clone());
        }
        let refresh = held.get(&s.code).filter(|h| h.app_key == s.app_key).and_then(|h| h.refresh.clone());
        let renewed = match refresh.filter(|(_, exp)| *exp - MARGIN_MS > now) {
            Some((r, exp)) => match refresh_call(http, s, gw::REFRESH_BY_SEC, &r).await {
                Ok(sec) => Some((sec, Some((r, exp)))),
                // A refused refresh secret: start over with the app secret.
                Err(GatewayError::Answer { .. }) => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        let (sec, old_refresh) = match renewed {
            Some(x) => x,
            None => (refresh_call(http, s, gw::REFRESH_BY_KEY, &s.secret).await?, None),
        };
        let refresh = match (&sec.refresh_secret, sec.refresh_secret_end_time) {
            (Some(r), Some(exp)) => Some((r.clone(), exp)),
            _ => old_refresh,
        };
        let h = Held {
            app_key: s.app_key.clone(),
            request: (sec.request_secret.clone(), sec.request_secret_end_time),
            refresh,
        };
        held.insert(s.code.clone(), h);
        Ok(sec.request_secret)
    }
}

async fn refresh_call(http: &reqwest::Client, s: &Settings, path: &str, secret: &str) -> Result<Secrets, GatewayError> {
    let url = s.url(path).map_err(GatewayError::NotSent)?;
    let t = now_ms();
    let res = http
        .get(url)
        .query(&[
            ("appKey", s.app_key.clone()),
            ("requestTime", t.to_string()),
            ("sign", gw::sign(&s.app_key, secret, t)),
        ])
        .timeout(s.timeout)
        .send()
        .await
        .map_err(|e| transport_error(&e))?;
    let status = res.status();
    if !status.is_success() {
        return Err(GatewayError::Unknown(format!("HTTP {}", status.as_u16())));
    }
    let env: Envelope<Secrets> = res.json().await.map_err(|e| GatewayError::Unknown(e.to_string()))?;
    match env.datas {
        Some(d) if env.code == code::OK => Ok(d),
        _ => Err(GatewayError::Answer { code: env.code, msg: env.msg }),
    }
}

/// POST a JSON body to a gateway data API and open the envelope. A SECRET_EXPIRED answer makes
/// the caller's next call fetch new secrets.
pub async fn call<T: serde::de::DeserializeOwned>(
    tokens: &Tokens,
    http: &reqwest::Client,
    s: &Settings,
    path: &str,
    body: &serde_json::Value,
) -> Result<(T, String), (GatewayError, String)> {
    let params = tokens.params(http, s).await.map_err(|e| (e, String::new()))?;
    let url = s.url(path).map_err(|e| (GatewayError::NotSent(e), String::new()))?;
    let res = http
        .post(url)
        .query(&params)
        .json(body)
        .timeout(s.timeout)
        .send()
        .await
        .map_err(|e| (transport_error(&e), String::new()))?;
    let status = res.status();
    let text = res.text().await.map_err(|e| (transport_error(&e), String::new()))?;
    if !status.is_success() {
        return Err((GatewayError::Unknown(format!("HTTP {}", status.as_u16())), text));
    }
    let env: Envelope<T> = serde_json::from_str(&text)
        .map_err(|e| (GatewayError::Unknown(format!("无法解析的应答：{e}")), text.clone()))?;
    match env.datas {
        Some(d) if env.code == code::OK => Ok((d, text)),
        _ => {
            if env.code == code::SECRET_EXPIRED || env.code == code::BAD_SIGN {
                tokens.forget(&s.code).await;
            }
            Err((GatewayError::Answer { code: env.code, msg: env.msg }, text))
        }
    }
}

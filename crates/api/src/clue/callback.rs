//! Status callbacks to sources (docs/intake-standard.md §10): the relay reads the outbox and
//! POSTs each event to the source's callback URL, signed afresh per attempt with the source's
//! own secret. At least once, in order per case and source; capped exponential backoff with
//! jitter; parked after the last attempt.

use std::time::Duration;

use xiezhi_domain::clue::signature;
use xiezhi_storage::clue::config;
use xiezhi_storage::outbox::MessageRow;

use crate::integration::relay::{Attempt, Logged, Outcome};

use crate::{AppState, now_ms};

pub const CHANNEL: &str = "source_callback";
/// Attempts before a message is parked (docs/intake-standard.md §10).
pub const MAX_ATTEMPTS: i64 = 12;
const TIMEOUT: Duration = Duration::from_secs(10);

/// One attempt (the relay records it).
pub async fn deliver(state: &AppState, client: &reqwest::Client, m: &MessageRow) -> Attempt {
    let started = std::time::Instant::now();
    let r = post(state, client, m).await;
    let (outcome, status, error) = match r {
        Ok(()) => (Outcome::Delivered { reference: String::new() }, Some(200), String::new()),
        Err((e, status)) => (Outcome::Retry(e.clone()), status, e),
    };
    let log = Logged {
        system: "source".into(),
        interface: "status_callback".into(),
        http_status: status,
        outcome: if error.is_empty() { "ok" } else { "retry" },
        error,
        request: m.payload.clone(),
        response: String::new(),
        duration_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
    };
    Attempt { outcome, log: vec![log] }
}

async fn post(state: &AppState, client: &reqwest::Client, m: &MessageRow) -> Result<(), (String, Option<i64>)> {
    let fail = |e: String| (e, None);
    let source = {
        let mut conn = state.db.conn().await.map_err(|e| fail(e.to_string()))?;
        config::source(&mut conn, m.target_id).await.map_err(|e| fail(e.to_string()))?
    };
    let url = source.callback_url.clone().ok_or_else(|| fail("来源未配置回调地址".into()))?;
    let parsed = reqwest::Url::parse(&url).map_err(|e| fail(format!("回调地址无效：{e}")))?;
    let secret = state.cipher.decrypt(&source.secret_enc).map_err(|e| fail(e.to_string()))?;
    let ts = now_ms().to_string();
    let nonce = hex::encode(rand::random::<[u8; 16]>());
    let body = m.payload.as_bytes();
    let sig = signature::sign(&secret, &signature::canonical("POST", parsed.path(), &ts, &nonce, body));
    let res = client
        .post(parsed)
        .header("content-type", "application/json")
        .header("x-app-key", &source.app_key)
        .header("x-timestamp", ts)
        .header("x-nonce", nonce)
        .header("x-signature", sig)
        .body(m.payload.clone())
        .timeout(TIMEOUT)
        .send()
        .await
        .map_err(|e| fail(format!("发送失败：{e}")))?;
    let status = res.status().as_u16();
    if res.status().is_success() {
        Ok(())
    } else {
        Err((format!("来源返回 HTTP {status}"), Some(i64::from(status))))
    }
}

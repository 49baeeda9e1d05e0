//! Status callbacks to sources (docs/intake-standard.md §10): the relay reads the outbox and
//! POSTs each event to the source's callback URL, signed afresh per attempt with the source's
//! own secret. At least once, in order per case and source; capped exponential backoff with
//! jitter; parked after the last attempt.

use std::time::Duration;

use xiezhi_domain::clue::signature;
use xiezhi_storage::clue::config;
use xiezhi_storage::outbox::{self, MessageRow};

use crate::{AppState, now_ms};

pub const CHANNEL: &str = "source_callback";
/// Attempts before a message is parked.
pub const MAX_ATTEMPTS: i64 = 12;
const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a leased message is reserved for the instance sending it.
const LEASE_MS: i64 = 60_000;

/// Delay before attempt `n + 1` (1 min, 2, 4 … capped at 1 h), with ±20 % jitter.
pub fn backoff_ms(attempts: i64) -> i64 {
    let base = 60_000i64.saturating_mul(1 << attempts.clamp(0, 6)).min(3_600_000);
    let jitter = (rand::random::<f64>() * 0.4 - 0.2) * base as f64;
    base + jitter as i64
}

/// Run until the task is aborted.
pub async fn run(state: AppState) {
    let client = match reqwest::Client::builder().timeout(TIMEOUT).build() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "callback relay: no HTTP client");
            return;
        }
    };
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        if let Err(e) = drain(&state, &client).await {
            tracing::warn!(error = %e, "callback relay");
        }
    }
}

/// Deliver what is due now; returns how many were attempted.
pub async fn drain(state: &AppState, client: &reqwest::Client) -> Result<usize, String> {
    let now = now_ms();
    let due = {
        let mut conn = state.db.conn().await.map_err(|e| e.to_string())?;
        outbox::due(&mut conn, CHANNEL, now, 50).await.map_err(|e| e.to_string())?
    };
    let mut n = 0;
    for m in due {
        let mut conn = state.db.conn().await.map_err(|e| e.to_string())?;
        if !outbox::lease(&mut conn, m.id, m.next_attempt_at, now + LEASE_MS).await.map_err(|e| e.to_string())? {
            continue;
        }
        let outcome = deliver(state, client, &m).await;
        let now = now_ms();
        match outcome {
            Ok(()) => outbox::delivered(&mut conn, m.id, now).await.map_err(|e| e.to_string())?,
            Err(err) => {
                let park = m.attempts + 1 >= MAX_ATTEMPTS;
                tracing::info!(id = m.id, attempts = m.attempts + 1, park, %err, "callback failed");
                outbox::failed(&mut conn, m.id, &err, now + backoff_ms(m.attempts), park, now)
                    .await
                    .map_err(|e| e.to_string())?;
            }
        }
        n += 1;
    }
    Ok(n)
}

async fn deliver(state: &AppState, client: &reqwest::Client, m: &MessageRow) -> Result<(), String> {
    let source = {
        let mut conn = state.db.conn().await.map_err(|e| e.to_string())?;
        config::source(&mut conn, m.target_id).await.map_err(|e| e.to_string())?
    };
    let url = source.callback_url.clone().ok_or("来源未配置回调地址")?;
    let parsed = reqwest::Url::parse(&url).map_err(|e| format!("回调地址无效：{e}"))?;
    let secret = state.cipher.decrypt(&source.secret_enc).map_err(|e| e.to_string())?;
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
        .send()
        .await
        .map_err(|e| format!("发送失败：{e}"))?;
    if res.status().is_success() { Ok(()) } else { Err(format!("来源返回 HTTP {}", res.status().as_u16())) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_grows_and_is_capped() {
        for (n, lo, hi) in
            [(0, 48_000, 72_000), (1, 96_000, 144_000), (3, 384_000, 576_000), (10, 2_880_000, 4_320_000)]
        {
            let b = super::backoff_ms(n);
            assert!((lo..=hi).contains(&b), "attempt {n}: {b}");
        }
    }
}

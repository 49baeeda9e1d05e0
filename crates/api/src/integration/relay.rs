//! The delivery relay: reads due messages from the transactional outbox and delivers them.
//!
//! - Per ordering key (a case, or a case and a source) one message at a time, in order.
//! - Leases a batch in one transaction, sends concurrently, records the outcomes (and the
//!   exchange log) in one transaction.
//! - Capped exponential backoff with jitter; parked after the system's attempt cap or a permanent
//!   rejection.
//! - A message whose last request may have arrived (timeout after send, dropped connection, or a
//!   crash between lease and record) is reconciled by query before it is sent again, so the other
//!   side never sees it twice when it offers a query.

use std::sync::RwLock;
use std::time::Duration;

use futures::StreamExt;
use xiezhi_storage::Conn;
use xiezhi_storage::integration::{self as store, NewExchange};
use xiezhi_storage::outbox::{self, MessageRow};

use crate::clue::callback;
use crate::{ApiError, ApiResult, AppState, now_ms};

/// Timing of the relay (config `[relay]`; tests shorten it).
#[derive(Debug, Clone)]
pub struct RelaySettings {
    /// Delay before the second attempt; doubles per attempt up to `max_backoff_ms` (±20 % jitter).
    pub base_backoff_ms: i64,
    pub max_backoff_ms: i64,
    /// Messages leased per pass.
    pub batch: i64,
    /// Requests in flight at once (each to a different ordering key).
    pub concurrency: usize,
    /// How long a leased message is reserved for the instance sending it.
    pub lease_ms: i64,
    /// Pause between passes when nothing is due.
    pub idle_ms: u64,
}

impl Default for RelaySettings {
    fn default() -> Self {
        RelaySettings {
            base_backoff_ms: 60_000,
            max_backoff_ms: 3_600_000,
            batch: 200,
            concurrency: 32,
            lease_ms: 120_000,
            idle_ms: 500,
        }
    }
}

#[derive(Debug, Default)]
pub struct RelayConfig(RwLock<RelaySettings>);

impl RelayConfig {
    pub fn get(&self) -> RelaySettings {
        self.0.read().map(|s| s.clone()).unwrap_or_default()
    }
    pub fn set(&self, s: RelaySettings) {
        if let Ok(mut g) = self.0.write() {
            *g = s;
        }
    }
}

/// Delay before attempt `attempts + 1`, with ±20 % jitter.
pub fn backoff_ms(s: &RelaySettings, attempts: i64) -> i64 {
    let base = s.base_backoff_ms.saturating_mul(1 << attempts.clamp(0, 20)).min(s.max_backoff_ms);
    let jitter = (rand::random::<f64>() * 0.4 - 0.2) * base as f64;
    (base + jitter as i64).max(1)
}

/// The result of one delivery attempt.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The other side has it; `reference` is its identifier, if any.
    Delivered { reference: String },
    /// Not delivered; try again later.
    Retry(String),
    /// May have been delivered; reconcile before sending again.
    Unknown(String),
    /// Refused for good (bad request, no access): park at once.
    Rejected(String),
}

impl Outcome {
    /// The exchange log's word for it.
    pub fn word(&self) -> &'static str {
        match self {
            Outcome::Delivered { .. } => "ok",
            Outcome::Retry(_) => "retry",
            Outcome::Unknown(_) => "unknown",
            Outcome::Rejected(_) => "rejected",
        }
    }
}

/// What a reconciliation query found.
#[derive(Debug, Clone)]
pub enum Found {
    Arrived { reference: String },
    Missing,
    Unknown(String),
}

/// One HTTP exchange of an attempt, for the exchange log.
#[derive(Debug, Clone, Default)]
pub struct Logged {
    pub system: String,
    pub interface: String,
    pub http_status: Option<i64>,
    pub outcome: &'static str,
    pub error: String,
    pub request: String,
    pub response: String,
    pub duration_ms: i64,
}

impl Logged {
    pub fn new(
        system: &str,
        interface: &str,
        outcome: &'static str,
        error: String,
        request: String,
        response: String,
        started: std::time::Instant,
    ) -> Logged {
        Logged {
            system: system.into(),
            interface: interface.into(),
            http_status: None,
            outcome,
            error,
            request,
            response,
            duration_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Attempt {
    pub outcome: Outcome,
    pub log: Vec<Logged>,
}

/// Write one exchange to the log (in the caller's transaction).
pub async fn record_exchange(
    tx: &mut Conn,
    direction: &str,
    l: &Logged,
    outbox_id: Option<i64>,
    case_id: Option<i64>,
    reference: &str,
) -> ApiResult<()> {
    store::log_exchange(
        tx,
        &NewExchange {
            system: &l.system,
            direction,
            interface: &l.interface,
            outbox_id,
            case_id,
            reference,
            http_status: l.http_status,
            outcome: l.outcome,
            error: &l.error,
            request: &l.request,
            response: &l.response,
            duration_ms: l.duration_ms,
            now: now_ms(),
        },
    )
    .await?;
    Ok(())
}

/// Channels the relay serves.
pub fn channels() -> Vec<&'static str> {
    vec![callback::CHANNEL, super::province::CHANNEL, super::supervision::CHANNEL]
}

async fn deliver(state: &AppState, http: &reqwest::Client, m: &MessageRow) -> Attempt {
    match m.channel.as_str() {
        callback::CHANNEL => callback::deliver(state, http, m).await,
        super::province::CHANNEL => super::province::deliver(state, http, m).await,
        super::supervision::CHANNEL => super::supervision::deliver(state, http, m).await,
        other => Attempt { outcome: Outcome::Rejected(format!("未知的投递通道 {other}")), log: Vec::new() },
    }
}

/// Channels without a query answer `Missing`: their deliveries are at least once.
async fn reconcile(state: &AppState, http: &reqwest::Client, m: &MessageRow) -> (Found, Vec<Logged>) {
    match m.channel.as_str() {
        super::province::CHANNEL => super::province::reconcile(state, http, m).await,
        super::supervision::CHANNEL => super::supervision::reconcile(state, http, m).await,
        _ => (Found::Missing, Vec::new()),
    }
}

async fn max_attempts(state: &AppState, m: &MessageRow) -> i64 {
    match m.channel.as_str() {
        callback::CHANNEL => callback::MAX_ATTEMPTS,
        super::province::CHANNEL => cap_of(state, super::system::PROVINCE).await,
        super::supervision::CHANNEL => cap_of(state, super::system::SUPERVISION).await,
        _ => 1,
    }
}

async fn cap_of(state: &AppState, system: &str) -> i64 {
    match super::settings(state, system).await {
        Ok(s) => s.max_attempts,
        Err(_) => callback::MAX_ATTEMPTS,
    }
}

/// What the owning module does in the transaction that records the outcome.
async fn on_delivered(tx: &mut Conn, m: &MessageRow, reference: &str, now: i64) -> ApiResult<()> {
    if m.channel == super::province::CHANNEL {
        super::province::on_delivered(tx, m, reference, now).await?;
    }
    Ok(())
}

async fn on_parked(tx: &mut Conn, m: &MessageRow, error: &str, now: i64) -> ApiResult<()> {
    if m.channel == super::province::CHANNEL {
        super::province::on_parked(tx, m, error, now).await?;
    }
    Ok(())
}

async fn attempt(state: &AppState, http: &reqwest::Client, m: &MessageRow) -> Attempt {
    if m.in_flight == 0 {
        return deliver(state, http, m).await;
    }
    let (found, mut log) = reconcile(state, http, m).await;
    match found {
        Found::Arrived { reference } => Attempt { outcome: Outcome::Delivered { reference }, log },
        Found::Unknown(e) => Attempt { outcome: Outcome::Unknown(format!("核对失败：{e}")), log },
        Found::Missing => {
            let mut a = deliver(state, http, m).await;
            log.append(&mut a.log);
            a.log = log;
            a
        }
    }
}

/// Run until the task is aborted.
pub async fn run(state: AppState) {
    let http = match reqwest::Client::builder().build() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "relay: no HTTP client");
            return;
        }
    };
    loop {
        let idle = state.relay.get().idle_ms;
        match drain(&state, &http).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "relay"),
        }
        tokio::time::sleep(Duration::from_millis(idle)).await;
    }
}

/// Deliver one batch of what is due now; returns how many messages were attempted.
pub async fn drain(state: &AppState, http: &reqwest::Client) -> ApiResult<usize> {
    let cfg = state.relay.get();
    let now = now_ms();
    let due = {
        let mut conn = state.db.conn().await?;
        outbox::due(&mut conn, &channels(), now, cfg.batch).await?
    };
    if due.is_empty() {
        return Ok(0);
    }
    let mut leased = Vec::with_capacity(due.len());
    {
        let mut tx = state.db.begin().await?;
        for m in due {
            if outbox::lease(&mut tx, m.id, m.next_attempt_at, now + cfg.lease_ms).await? {
                leased.push(m);
            }
        }
        tx.commit().await.map_err(ApiError::internal)?;
    }
    let n = leased.len();
    let results: Vec<(MessageRow, Attempt)> = futures::stream::iter(leased)
        .map(|m| async move {
            let a = attempt(state, http, &m).await;
            (m, a)
        })
        .buffer_unordered(cfg.concurrency.max(1))
        .collect()
        .await;
    let mut caps = std::collections::HashMap::new();
    for (m, _) in &results {
        if !caps.contains_key(&m.channel) {
            caps.insert(m.channel.clone(), max_attempts(state, m).await);
        }
    }
    let mut tx = state.db.begin().await?;
    let now = now_ms();
    for (m, a) in results {
        for l in &a.log {
            record_exchange(&mut tx, "out", l, Some(m.id), m.case_id, &m.event_id).await?;
        }
        let cap = caps.get(&m.channel).copied().unwrap_or(1);
        let park = m.attempts + 1 >= cap;
        let unknown = matches!(a.outcome, Outcome::Unknown(_));
        match a.outcome {
            Outcome::Delivered { reference } => {
                outbox::delivered(&mut tx, m.id, &reference, now).await?;
                on_delivered(&mut tx, &m, &reference, now).await?;
            }
            Outcome::Retry(e) | Outcome::Unknown(e) if !park => {
                outbox::failed(&mut tx, m.id, &e, now + backoff_ms(&cfg, m.attempts), false, unknown, now).await?;
            }
            Outcome::Retry(e) | Outcome::Unknown(e) | Outcome::Rejected(e) => {
                tracing::warn!(id = m.id, channel = %m.channel, attempts = m.attempts + 1, error = %e, "delivery parked");
                outbox::failed(&mut tx, m.id, &e, now, true, unknown, now).await?;
                on_parked(&mut tx, &m, &e, now).await?;
            }
        }
    }
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let s = RelaySettings { base_backoff_ms: 60_000, max_backoff_ms: 3_600_000, ..Default::default() };
        for (n, lo, hi) in
            [(0, 48_000, 72_000), (1, 96_000, 144_000), (3, 384_000, 576_000), (10, 2_880_000, 4_320_000)]
        {
            let b = backoff_ms(&s, n);
            assert!((lo..=hi).contains(&b), "attempt {n}: {b}");
        }
    }
}

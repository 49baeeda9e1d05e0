//! Switchable faults shared by the simulators: each request draws at most one fault.

use std::sync::RwLock;
use std::time::Duration;

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// Fault rates (0–1 each, drawn in this order) and timings. The default injects nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultSettings {
    /// Answer HTTP 503 without doing anything.
    pub error_rate: f64,
    /// Hang for `hang_ms` without doing anything (the client times out).
    pub timeout_rate: f64,
    /// Drop the connection without doing anything.
    pub reset_rate: f64,
    /// Do the work, then drop the connection: the caller cannot know it succeeded.
    pub drop_after_commit_rate: f64,
    /// Deliver messages this simulator sends (feedback, callbacks) twice.
    pub duplicate_rate: f64,
    /// Answer late: wait `slow_ms` before working.
    pub slow_rate: f64,
    pub slow_ms: u64,
    /// How long a simulated timeout hangs (default 30 s).
    pub hang_ms: u64,
    /// Latency added to every call (e.g. 5 ms for the relay benchmark).
    pub latency_ms: u64,
}

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    Error,
    Timeout,
    Reset,
    DropAfterCommit,
    Slow,
}

#[derive(Debug, Default)]
pub struct Faults(RwLock<FaultSettings>);

impl Faults {
    pub fn get(&self) -> FaultSettings {
        self.0.read().map(|s| s.clone()).unwrap_or_default()
    }
    pub fn set(&self, s: FaultSettings) {
        if let Ok(mut g) = self.0.write() {
            *g = s;
        }
    }
    /// Draw the fault of one request.
    pub fn draw(&self) -> Fault {
        let s = self.get();
        let mut x: f64 = rand::random();
        for (rate, fault) in [
            (s.error_rate, Fault::Error),
            (s.timeout_rate, Fault::Timeout),
            (s.reset_rate, Fault::Reset),
            (s.drop_after_commit_rate, Fault::DropAfterCommit),
            (s.slow_rate, Fault::Slow),
        ] {
            if x < rate {
                return fault;
            }
            x -= rate;
        }
        Fault::None
    }
    /// Should an outgoing message be sent twice?
    pub fn duplicate(&self) -> bool {
        rand::random::<f64>() < self.get().duplicate_rate
    }
    /// The base latency, then the fault's delay. Returns the fault for the handler to act on
    /// (`None`, `DropAfterCommit`), or the response to give right away.
    pub async fn before(&self) -> Result<Fault, Response> {
        let s = self.get();
        if s.latency_ms > 0 {
            tokio::time::sleep(Duration::from_millis(s.latency_ms)).await;
        }
        match self.draw() {
            Fault::Error => Err((StatusCode::SERVICE_UNAVAILABLE, "simulated outage").into_response()),
            Fault::Timeout => {
                tokio::time::sleep(Duration::from_millis(if s.hang_ms == 0 { 30_000 } else { s.hang_ms })).await;
                Err((StatusCode::GATEWAY_TIMEOUT, "simulated timeout").into_response())
            }
            Fault::Reset => Err(reset()),
            Fault::Slow => {
                tokio::time::sleep(Duration::from_millis(s.slow_ms)).await;
                Ok(Fault::None)
            }
            f => Ok(f),
        }
    }
}

/// A response whose body fails at once: the server drops the connection before a complete
/// answer, which the client sees as a reset.
pub fn reset() -> Response {
    let stream =
        futures::stream::once(async { Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other("reset")) });
    Response::builder()
        .status(StatusCode::OK)
        .header("content-length", "100")
        .body(Body::from_stream(stream))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn draws_follow_the_rates() {
        let f = Faults::default();
        assert!((0..1000).all(|_| f.draw() == Fault::None));
        f.set(FaultSettings { error_rate: 1.0, ..Default::default() });
        assert!((0..100).all(|_| f.draw() == Fault::Error));
        f.set(FaultSettings { error_rate: 0.5, reset_rate: 0.5, ..Default::default() });
        let resets = (0..2000).filter(|_| f.draw() == Fault::Reset).count();
        assert!((800..1200).contains(&resets), "{resets}");
    }
}

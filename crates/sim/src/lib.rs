//! Simulators of the external systems we cannot reach from outside the government network. Each
//! behaves like the real system as far as it is known (signing, envelopes, paging, delays) and can
//! inject faults; each is an axum router served by `xiezhi sim <system>` on its own port, mounted
//! by `xiezhi serve` under `/sim/<system>` (the built-in endpoint of a system whose endpoint is not
//! configured), and used in-process by the tests.
//!
//! Every simulator has an operator interface under `/_sim/` that the real system does not have:
//! its effect log, fault settings and timing.

pub mod faults;
pub mod gateway;
pub mod irs;
pub mod province;
pub mod s3;
pub mod supervision;
pub mod zzd;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

pub use xiezhi_domain::integration::china_time;

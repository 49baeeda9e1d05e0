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

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

/// `yyyy-MM-dd HH:mm:ss` in China time.
pub fn china_time(ms: i64) -> String {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset);
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    t.format(&fmt).unwrap_or_default()
}

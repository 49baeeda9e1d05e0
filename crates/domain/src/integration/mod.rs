//! Contracts shared by our clients of the external systems and the simulators of them: request
//! signing, envelopes and message types. What is public about each system is in
//! `../shared/domain-notes.md`; what we had to design is documented in `docs/integrations/`.

pub mod gateway;
pub mod irs;
pub mod province;
pub mod sigv4;
pub mod supervision;
pub mod zzd;

/// `yyyy-MM-dd HH:mm:ss` in China time (UTC+8), the time format of the provincial interfaces.
pub fn china_time(ms: i64) -> String {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset);
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    t.format(&fmt).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn china_time_is_utc_plus_8() {
        assert_eq!(super::china_time(0), "1970-01-01 08:00:00");
        assert_eq!(super::china_time(1_764_201_600_000), "2025-11-27 08:00:00");
    }
}

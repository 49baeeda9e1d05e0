//! Working-time calendar (工作日历): deadlines count working minutes only — the daily working
//! periods of Monday to Friday, minus configured holidays, plus configured make-up working days
//! (调休). All in China Standard Time (UTC+8, no daylight saving).

use std::collections::HashMap;

use time::{Date, Duration, Month, OffsetDateTime, Time, UtcOffset, Weekday};

use crate::FieldError;

const CST_SECONDS: i32 = 8 * 3600;
const MS_PER_MIN: i64 = 60_000;

/// A working period of a day in minutes since local midnight, `start < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Calendar {
    periods: Vec<Period>,
    /// Date → is it a working day (overrides the weekday rule).
    overrides: HashMap<Date, bool>,
}

fn hhmm(field: &'static str, s: &str) -> Result<u32, FieldError> {
    let bad = || FieldError::new(field, format!("时间“{s}”格式应为 HH:MM"));
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 24 || m > 59 || (h == 24 && m > 0) || s.len() != 5 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// Parse `YYYY-MM-DD`.
pub fn parse_day(s: &str) -> Result<Date, FieldError> {
    let bad = || FieldError::new("day", format!("日期“{s}”格式应为 YYYY-MM-DD"));
    let mut it = s.splitn(3, '-');
    let (y, m, d) = (it.next().ok_or_else(bad)?, it.next().ok_or_else(bad)?, it.next().ok_or_else(bad)?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let y: i32 = y.parse().map_err(|_| bad())?;
    let m: u8 = m.parse().map_err(|_| bad())?;
    let d: u8 = d.parse().map_err(|_| bad())?;
    let month = Month::try_from(m).map_err(|_| bad())?;
    Date::from_calendar_date(y, month, d).map_err(|_| bad())
}

pub fn format_day(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn offset() -> UtcOffset {
    UtcOffset::from_whole_seconds(CST_SECONDS).unwrap_or(UtcOffset::UTC)
}

/// Local (CST) date and minute of day of a Unix-millisecond instant.
pub fn local(ms: i64) -> (Date, u32) {
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset());
    (t.date(), u32::from(t.hour()) * 60 + u32::from(t.minute()))
}

/// Unix milliseconds of a local date at a minute of day.
pub fn instant(d: Date, minute: u32) -> i64 {
    let midnight = d.with_time(Time::MIDNIGHT).assume_offset(offset());
    midnight.unix_timestamp() * 1000 + i64::from(minute) * MS_PER_MIN
}

impl Calendar {
    /// Build from `HH:MM` pairs (ascending, not overlapping) and date overrides.
    pub fn new(periods: &[(String, String)], overrides: HashMap<Date, bool>) -> Result<Calendar, FieldError> {
        if periods.is_empty() || periods.len() > 6 {
            return Err(FieldError::new("periods", "须设置 1–6 个工作时段"));
        }
        let mut out: Vec<Period> = Vec::new();
        for (s, e) in periods {
            let p = Period { start: hhmm("periods", s)?, end: hhmm("periods", e)? };
            if p.start >= p.end {
                return Err(FieldError::new("periods", format!("时段 {s}–{e} 的开始须早于结束")));
            }
            if out.last().is_some_and(|l| l.end > p.start) {
                return Err(FieldError::new("periods", "工作时段须按时间先后排列且不能重叠"));
            }
            out.push(p);
        }
        Ok(Calendar { periods: out, overrides })
    }

    /// The default: 08:30–12:00 and 13:30–17:30, Monday to Friday, no holidays.
    pub fn standard() -> Calendar {
        Calendar {
            periods: vec![Period { start: 510, end: 720 }, Period { start: 810, end: 1050 }],
            overrides: HashMap::new(),
        }
    }

    pub fn minutes_per_day(&self) -> u32 {
        self.periods.iter().map(|p| p.end - p.start).sum()
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        self.overrides.get(&d).copied().unwrap_or(!matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday))
    }

    /// The instant `minutes` working minutes after `start_ms`. Starting outside working time counts
    /// from the next working period.
    pub fn add_working_minutes(&self, start_ms: i64, minutes: i64) -> i64 {
        let (mut day, mut cursor) = local(start_ms);
        let mut left = minutes.max(0);
        // Seconds inside the starting minute are kept so that a zero-minute limit is "now".
        let sub_minute = start_ms.rem_euclid(MS_PER_MIN);
        if left == 0 {
            return start_ms;
        }
        let mut first = true;
        for _ in 0..3660 {
            if self.is_working_day(day) {
                for p in &self.periods {
                    let from = cursor.max(p.start);
                    if from >= p.end {
                        continue;
                    }
                    let avail = i64::from(p.end - from);
                    let extra = if first && from == cursor { sub_minute } else { 0 };
                    if left <= avail {
                        return instant(day, from) + left * MS_PER_MIN + extra;
                    }
                    left -= avail;
                    first = false;
                }
            }
            day = day.next_day().unwrap_or(day);
            cursor = 0;
            first = false;
        }
        start_ms + minutes * MS_PER_MIN
    }

    /// Working minutes between two instants (0 when `to` ≤ `from`).
    pub fn working_minutes_between(&self, from_ms: i64, to_ms: i64) -> i64 {
        if to_ms <= from_ms {
            return 0;
        }
        let (mut day, mut cursor) = local(from_ms);
        let (end_day, end_min) = local(to_ms);
        let mut total = 0i64;
        for _ in 0..3660 {
            if day > end_day {
                break;
            }
            if self.is_working_day(day) {
                for p in &self.periods {
                    let from = cursor.max(p.start);
                    let to = if day == end_day { p.end.min(end_min) } else { p.end };
                    if to > from {
                        total += i64::from(to - from);
                    }
                }
            }
            day = match day.next_day() {
                Some(d) => d,
                None => break,
            };
            cursor = 0;
        }
        total
    }
}

/// Add whole days to a date (used by the calendar editor to list a range).
pub fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(Duration::days(n)).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        parse_day(s).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn adds_working_minutes_over_lunch_nights_weekends_and_holidays() {
        let c = Calendar::standard();
        // Thursday 2026-11-26 11:00 + 90 min → 12:00 reached after 60, 30 more from 13:30 → 14:00.
        let start = instant(day("2026-11-26"), 11 * 60);
        assert_eq!(c.add_working_minutes(start, 90), instant(day("2026-11-26"), 14 * 60));
        // Friday 17:00 + 60 → Monday 09:00 (30 on Friday, 30 from 08:30 Monday).
        let fri = instant(day("2026-11-27"), 17 * 60);
        assert_eq!(c.add_working_minutes(fri, 60), instant(day("2026-11-30"), 9 * 60));
        // Saturday night counts from Monday morning.
        let sat = instant(day("2026-11-28"), 22 * 60);
        assert_eq!(c.add_working_minutes(sat, 30), instant(day("2026-11-30"), 9 * 60));
        // A full working day is 7.5 h.
        assert_eq!(c.minutes_per_day(), 450);
        // Holidays are skipped, make-up working days count.
        let mut o = HashMap::new();
        o.insert(day("2026-11-30"), false);
        o.insert(day("2026-11-29"), true);
        let h = Calendar::new(&[("08:30".into(), "12:00".into()), ("13:30".into(), "17:30".into())], o)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(h.add_working_minutes(sat, 30), instant(day("2026-11-29"), 9 * 60));
        let sun_evening = instant(day("2026-11-29"), 17 * 60);
        assert_eq!(h.add_working_minutes(sun_evening, 60), instant(day("2026-12-01"), 9 * 60));
        assert_eq!(c.add_working_minutes(start, 0), start);
    }

    #[test]
    fn counts_working_minutes_between() {
        let c = Calendar::standard();
        let a = instant(day("2026-11-27"), 17 * 60);
        let b = instant(day("2026-11-30"), 9 * 60);
        assert_eq!(c.working_minutes_between(a, b), 60);
        assert_eq!(c.working_minutes_between(b, a), 0);
        let x = instant(day("2026-11-26"), 11 * 60);
        for m in [1, 59, 60, 61, 450, 451, 2000] {
            assert_eq!(c.working_minutes_between(x, c.add_working_minutes(x, m)), m, "m = {m}");
        }
    }

    #[test]
    fn rejects_bad_periods_and_days() {
        let p = |a: &str, b: &str| vec![(a.to_owned(), b.to_owned())];
        assert!(Calendar::new(&p("09:00", "08:00"), HashMap::new()).is_err());
        assert!(Calendar::new(&p("9:00", "12:00"), HashMap::new()).is_err());
        assert!(Calendar::new(&p("09:00", "25:00"), HashMap::new()).is_err());
        assert!(Calendar::new(&[], HashMap::new()).is_err());
        let overlap = vec![("08:00".into(), "12:00".into()), ("11:00".into(), "13:00".into())];
        assert!(Calendar::new(&overlap, HashMap::new()).is_err());
        assert!(parse_day("2026-02-30").is_err());
        assert!(parse_day("2026-2-3").is_err());
        assert_eq!(format_day(day("2026-10-01")), "2026-10-01");
        assert_eq!(local(instant(day("2026-10-01"), 8 * 60)), (day("2026-10-01"), 480));
    }
}

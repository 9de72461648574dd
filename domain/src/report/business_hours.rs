//! How much of an interval falls inside an inbox's business hours
//! (upstream `value_in_business_hours`): per day of the week an opening
//! and a closing time in the inbox's time zone; a day closed all day adds
//! nothing, a day open all day counts 00:00–23:59 (as the upstream does).

use crate::inbox::WorkingHour;
use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Microseconds of `[from, to)` inside the schedule, in time zone `tz`.
pub fn business_micros(schedule: &[WorkingHour], tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    if to <= from {
        return 0;
    }
    let first = from.with_timezone(&tz).date_naive();
    let last = to.with_timezone(&tz).date_naive();
    let mut total = 0i64;
    let mut day = first;
    while day <= last {
        if let Some((open, close)) = opening(schedule, tz, day) {
            let start = open.max(from);
            let end = close.min(to);
            if end > start {
                total += (end - start).num_microseconds().unwrap_or(0);
            }
        }
        day += Duration::days(1);
    }
    total
}

/// The day's opening interval in UTC, if the inbox opens that day.
fn opening(schedule: &[WorkingHour], tz: Tz, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let weekday = day.weekday().num_days_from_sunday() as u8;
    let hours = schedule.iter().find(|h| h.day_of_week == weekday)?;
    if hours.closed_all_day {
        return None;
    }
    let (open, close) = if hours.open_all_day {
        (NaiveTime::MIN, NaiveTime::from_hms_opt(23, 59, 0)?)
    } else {
        let time = |h: Option<u8>, m: Option<u8>| {
            NaiveTime::from_hms_opt(u32::from(h?), u32::from(m.unwrap_or(0)), 0)
        };
        (time(hours.open_hour, hours.open_minutes)?, time(hours.close_hour, hours.close_minutes)?)
    };
    Some((local(tz, day, open)?, local(tz, day, close)?))
}

/// A local wall-clock time as an instant; in a DST gap, the moment the
/// clocks jump to.
fn local(tz: Tz, day: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    let naive = day.and_time(time);
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(earliest, _) => Some(earliest.with_timezone(&Utc)),
        LocalResult::None => {
            tz.from_local_datetime(&(naive + Duration::hours(1))).earliest().map(|t| t.with_timezone(&Utc))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inbox::default_working_hours;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn only_the_office_hours_of_weekdays_count() {
        let week = default_working_hours(); // Mon–Fri 09:00–17:00
                                            // Friday 16:00 → Monday 10:00 UTC: 1 h on Friday + 1 h on Monday
        let micros =
            business_micros(&week, Tz::UTC, utc("2026-11-20T16:00:00Z"), utc("2026-11-23T10:00:00Z"));
        assert_eq!(micros, 2 * 3_600_000_000);
    }

    #[test]
    fn the_inbox_time_zone_moves_the_window() {
        let week = default_working_hours();
        // 09:00–17:00 in Kolkata is 03:30–11:30 UTC
        let tz: Tz = "Asia/Kolkata".parse().unwrap();
        let micros = business_micros(&week, tz, utc("2026-11-23T00:00:00Z"), utc("2026-11-23T04:00:00Z"));
        assert_eq!(micros, 30 * 60_000_000);
    }

    #[test]
    fn an_empty_or_reversed_interval_is_zero() {
        let week = default_working_hours();
        let t = utc("2026-11-23T10:00:00Z");
        assert_eq!(business_micros(&week, Tz::UTC, t, t), 0);
        assert_eq!(business_micros(&week, Tz::UTC, t, t - Duration::hours(1)), 0);
    }
}

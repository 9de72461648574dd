//! The periods of a timeseries report: one bucket per hour, day, week
//! (starting Sunday), month or year in the caller's UTC offset, covering
//! `[since, until)`, empty buckets included.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc,
};

/// Most buckets one report may have.
pub const MAX_BUCKETS: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

impl GroupBy {
    /// The upstream's values; anything else is `day`.
    pub fn parse(value: Option<&str>) -> GroupBy {
        match value {
            Some("hour") => GroupBy::Hour,
            Some("week") => GroupBy::Week,
            Some("month") => GroupBy::Month,
            Some("year") => GroupBy::Year,
            _ => GroupBy::Day,
        }
    }
}

/// One period: it starts at `start` (its timestamp) and covers
/// `[from, to)` of the requested range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    pub start: DateTime<Utc>,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the range needs more than {MAX_BUCKETS} buckets; choose a shorter range or a coarser group_by")]
pub struct TooManyBuckets;

/// The buckets of `[since, until)`; none when the range is empty.
pub fn buckets(
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    group_by: GroupBy,
    offset: FixedOffset,
) -> Result<Vec<Bucket>, TooManyBuckets> {
    let mut out = Vec::new();
    if until <= since {
        return Ok(out);
    }
    let mut start = period_start(since.with_timezone(&offset).naive_local(), group_by);
    loop {
        let next = next_start(start, group_by);
        let (start_utc, next_utc) = (instant(offset, start), instant(offset, next));
        if start_utc >= until {
            break;
        }
        if out.len() == MAX_BUCKETS {
            return Err(TooManyBuckets);
        }
        out.push(Bucket { start: start_utc, from: start_utc.max(since), to: next_utc.min(until) });
        start = next;
    }
    Ok(out)
}

fn instant(offset: FixedOffset, local: NaiveDateTime) -> DateTime<Utc> {
    offset.from_local_datetime(&local).single().map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}

fn midnight(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).unwrap_or_default()
}

fn period_start(local: NaiveDateTime, group_by: GroupBy) -> NaiveDateTime {
    let day = local.date();
    match group_by {
        GroupBy::Hour => day.and_hms_opt(local.hour(), 0, 0).unwrap_or(local),
        GroupBy::Day => midnight(day),
        GroupBy::Week => midnight(day - Duration::days(i64::from(day.weekday().num_days_from_sunday()))),
        GroupBy::Month => midnight(day.with_day(1).unwrap_or(day)),
        GroupBy::Year => midnight(NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day)),
    }
}

fn next_start(start: NaiveDateTime, group_by: GroupBy) -> NaiveDateTime {
    match group_by {
        GroupBy::Hour => start + Duration::hours(1),
        GroupBy::Day => start + Duration::days(1),
        GroupBy::Week => start + Duration::weeks(1),
        GroupBy::Month => start.checked_add_months(Months::new(1)).unwrap_or(start + Duration::days(31)),
        GroupBy::Year => start.checked_add_months(Months::new(12)).unwrap_or(start + Duration::days(366)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn days_follow_the_callers_offset_and_keep_empty_buckets() {
        let ist = FixedOffset::east_opt(5 * 3600 + 1800).unwrap();
        let b = buckets(utc("2026-03-01T00:00:00Z"), utc("2026-03-03T00:00:00Z"), GroupBy::Day, ist).unwrap();
        let starts: Vec<_> = b.iter().map(|b| b.start).collect();
        assert_eq!(
            starts,
            [utc("2026-02-28T18:30:00Z"), utc("2026-03-01T18:30:00Z"), utc("2026-03-02T18:30:00Z")]
        );
        assert_eq!((b[0].from, b[0].to), (utc("2026-03-01T00:00:00Z"), utc("2026-03-01T18:30:00Z")));
        assert_eq!(b[2].to, utc("2026-03-03T00:00:00Z"));
    }

    #[test]
    fn weeks_start_on_sunday_and_months_have_their_own_length() {
        let utc0 = FixedOffset::east_opt(0).unwrap();
        // 2026-11-25 is a Wednesday; its week starts Sunday the 22nd
        let w =
            buckets(utc("2026-11-25T12:00:00Z"), utc("2026-11-26T00:00:00Z"), GroupBy::Week, utc0).unwrap();
        assert_eq!(w[0].start, utc("2026-11-22T00:00:00Z"));
        let m =
            buckets(utc("2026-01-15T00:00:00Z"), utc("2026-04-01T00:00:00Z"), GroupBy::Month, utc0).unwrap();
        let ends: Vec<_> = m.iter().map(|b| b.to).collect();
        assert_eq!(
            ends,
            [utc("2026-02-01T00:00:00Z"), utc("2026-03-01T00:00:00Z"), utc("2026-04-01T00:00:00Z")]
        );
    }

    #[test]
    fn empty_and_huge_ranges() {
        let utc0 = FixedOffset::east_opt(0).unwrap();
        let t = utc("2026-01-01T00:00:00Z");
        assert!(buckets(t, t, GroupBy::Day, utc0).unwrap().is_empty());
        assert_eq!(buckets(t, t + Duration::days(500), GroupBy::Hour, utc0), Err(TooManyBuckets));
    }
}

//! Reading reports: sums of facts over time intervals. Whole hours inside
//! an interval come from `report_hourly`; the partial hours at its edges
//! (ranges and buckets need not start on the hour, e.g. at UTC+05:30) come
//! from `report_facts`. So a report costs O(buckets + facts in the edge
//! hours), never O(all facts).

use super::deltas::hour_of;
use super::scope::Scope;
use chrono::{DateTime, Duration, Utc};
use onelink_domain::report::Metric;
use sqlx::PgPool;
use std::collections::HashMap;

/// What the facts of one metric add up to in an interval.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub count: i64,
    pub sum_us: i64,
    pub sum_bh_us: i64,
}

impl Totals {
    fn add(&mut self, count: i64, sum_us: i64, sum_bh_us: i64) {
        self.count += count;
        self.sum_us += sum_us;
        self.sum_bh_us += sum_bh_us;
    }

    /// The average in seconds (business-hours values when asked), `None`
    /// without facts.
    pub fn average_secs(&self, business_hours: bool) -> Option<f64> {
        let sum = if business_hours { self.sum_bh_us } else { self.sum_us };
        (self.count > 0).then(|| sum as f64 / self.count as f64 / 1e6)
    }
}

/// Per interval, per metric.
pub type IntervalTotals = Vec<HashMap<Metric, Totals>>;

/// An interval split into whole hours `[first_hour, end_hour)` and edges.
struct Split {
    hours: Option<(i64, i64)>,
    edges: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

fn split(from: DateTime<Utc>, to: DateTime<Utc>) -> Split {
    if to <= from {
        return Split { hours: None, edges: Vec::new() };
    }
    let first = hour_of(from)
        + i64::from(from.timestamp().rem_euclid(3600) != 0 || from.timestamp_subsec_micros() != 0);
    let end = hour_of(to);
    if first >= end {
        return Split { hours: None, edges: vec![(from, to)] };
    }
    let at = |hour: i64| DateTime::<Utc>::UNIX_EPOCH + Duration::hours(hour);
    let mut edges = Vec::new();
    if from < at(first) {
        edges.push((from, at(first)));
    }
    if at(end) < to {
        edges.push((at(end), to));
    }
    Split { hours: Some((first, end)), edges }
}

/// The SQL condition selecting a scope's facts (`f`, with the
/// conversation's current memberships in `rc`); `$2` is the scope key.
fn scope_condition(scope: &Scope) -> &'static str {
    match scope {
        Scope::Account => "TRUE",
        Scope::Inbox(_) => "f.inbox_id = $2::bigint",
        Scope::Agent(_) => {
            "CASE WHEN f.metric = 1 THEN rc.assignee_id = $2::bigint ELSE f.user_id = $2::bigint END"
        }
        Scope::Team(_) => "rc.team_id = $2::bigint",
        Scope::Label(_) => "$2 = ANY(rc.labels)",
    }
}

/// Sums of `metrics` over each of `intervals` (sorted, not overlapping).
pub async fn totals(
    pool: &PgPool,
    account_id: i64,
    scope: &Scope,
    metrics: &[Metric],
    intervals: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Result<IntervalTotals, sqlx::Error> {
    let mut out: IntervalTotals = vec![HashMap::new(); intervals.len()];
    let splits: Vec<Split> = intervals.iter().map(|&(from, to)| split(from, to)).collect();
    let codes: Vec<i16> = metrics.iter().map(|m| m.code()).collect();

    // whole hours
    let ranges: Vec<(usize, (i64, i64))> =
        splits.iter().enumerate().filter_map(|(i, s)| s.hours.map(|h| (i, h))).collect();
    if let (Some(first), Some(last)) = (ranges.first(), ranges.last()) {
        let rows: Vec<(i16, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT metric, hour, count, sum_us, sum_bh_us FROM report_hourly \
             WHERE account_id = $1 AND scope = $2 AND key = $3 AND metric = ANY($4) AND hour >= $5 AND hour < $6",
        )
        .bind(account_id)
        .bind(scope.code())
        .bind(scope.key())
        .bind(&codes)
        .bind(first.1 .0)
        .bind(last.1 .1)
        .fetch_all(pool)
        .await?;
        for (metric, hour, count, sum, sum_bh) in rows {
            let Some(metric) = Metric::from_code(metric) else { continue };
            // the interval whose hours contain `hour`, by binary search
            let at = ranges.partition_point(|(_, (_, end))| *end <= hour);
            if let Some((i, (start, end))) = ranges.get(at) {
                if (*start..*end).contains(&hour) {
                    out[*i].entry(metric).or_default().add(count, sum, sum_bh);
                }
            }
        }
    }

    // partial hours at the edges
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    let mut owners = Vec::new();
    for (i, s) in splits.iter().enumerate() {
        for &(from, to) in &s.edges {
            starts.push(from);
            ends.push(to);
            owners.push(i as i32);
        }
    }
    if !starts.is_empty() {
        let sql = format!(
            "SELECT e.owner, f.metric, count(*), COALESCE(sum(f.value_us), 0)::bigint, \
                    COALESCE(sum(f.value_bh_us), 0)::bigint \
             FROM UNNEST($4::timestamptz[], $5::timestamptz[], $6::int[]) AS e(from_at, to_at, owner) \
             JOIN report_facts f ON f.account_id = $1 AND f.metric = ANY($3) \
                                AND f.at >= e.from_at AND f.at < e.to_at \
             LEFT JOIN report_conversations rc ON rc.account_id = f.account_id \
                                              AND rc.conversation_id = f.conversation_id \
             WHERE $2::text IS NOT NULL AND ({}) \
             GROUP BY e.owner, f.metric",
            scope_condition(scope)
        );
        let rows: Vec<(i32, i16, i64, i64, i64)> = sqlx::query_as(&sql)
            .bind(account_id)
            .bind(scope.key())
            .bind(&codes)
            .bind(&starts)
            .bind(&ends)
            .bind(&owners)
            .fetch_all(pool)
            .await?;
        for (owner, metric, count, sum, sum_bh) in rows {
            if let (Some(metric), Some(slot)) = (Metric::from_code(metric), out.get_mut(owner as usize)) {
                slot.entry(metric).or_default().add(count, sum, sum_bh);
            }
        }
    }
    Ok(out)
}

/// Live conversation counts of an account (`/reports/conversations`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct LiveCounts {
    pub open: i64,
    pub unattended: i64,
    pub unassigned: i64,
    pub pending: i64,
}

const LIVE_COUNTS: &str = "count(*) FILTER (WHERE status = 0) AS open, \
     count(*) FILTER (WHERE status = 0 AND (first_reply_at IS NULL OR waiting_since IS NOT NULL)) AS unattended, \
     count(*) FILTER (WHERE status = 0 AND assignee_id IS NULL) AS unassigned, \
     count(*) FILTER (WHERE status = 2) AS pending";

pub async fn live_counts(
    pool: &PgPool,
    account_id: i64,
    team_id: Option<i64>,
) -> Result<LiveCounts, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LIVE_COUNTS} FROM report_conversations \
         WHERE account_id = $1 AND ($2::bigint IS NULL OR team_id = $2)"
    ))
    .bind(account_id)
    .bind(team_id)
    .fetch_one(pool)
    .await
}

/// What live counts can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveGroup {
    Assignee,
    Team,
}

/// Live counts per assignee or team (only those with conversations).
pub async fn live_counts_by(
    pool: &PgPool,
    account_id: i64,
    group: LiveGroup,
) -> Result<HashMap<i64, LiveCounts>, sqlx::Error> {
    let column = match group {
        LiveGroup::Assignee => "assignee_id",
        LiveGroup::Team => "team_id",
    };
    let rows: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT {column}, {LIVE_COUNTS} FROM report_conversations \
         WHERE account_id = $1 AND {column} IS NOT NULL GROUP BY {column}"
    ))
    .bind(account_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, open, unattended, unassigned, pending)| {
            (id, LiveCounts { open, unattended, unassigned, pending })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn intervals_split_into_whole_hours_and_edges() {
        let s = split(utc("2026-01-01T10:30:00Z"), utc("2026-01-01T13:15:00Z"));
        assert_eq!(
            s.hours,
            Some((hour_of(utc("2026-01-01T11:00:00Z")), hour_of(utc("2026-01-01T13:00:00Z"))))
        );
        assert_eq!(
            s.edges,
            [
                (utc("2026-01-01T10:30:00Z"), utc("2026-01-01T11:00:00Z")),
                (utc("2026-01-01T13:00:00Z"), utc("2026-01-01T13:15:00Z"))
            ]
        );
        let aligned = split(utc("2026-01-01T10:00:00Z"), utc("2026-01-01T12:00:00Z"));
        assert!(aligned.edges.is_empty());
        let inside = split(utc("2026-01-01T10:10:00Z"), utc("2026-01-01T10:50:00Z"));
        assert_eq!((inside.hours, inside.edges.len()), (None, 1));
    }
}

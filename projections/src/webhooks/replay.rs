//! Replaying a past range of the log to one webhook: the messages are
//! rebuilt from the log (the same payloads, with the ORIGINAL message ids,
//! so receivers can deduplicate) and queued as new deliveries. Only events
//! of the webhook's own account, only names it subscribes to (or the one
//! asked for), and only events no running transaction can still precede.

use super::outbox::insert_messages;
use super::payload;
use super::query::WebhookRow;
use crate::log::{RecordedEvent, EVENT_COLUMNS};
use chrono::{DateTime, Utc};
use sqlx::{Acquire, PgPool};

/// Most messages one replay call queues; the report says where to go on.
pub const REPLAY_MAX: u64 = 10_000;
const PAGE: i64 = 500;

/// A range of the log: by time, by position, or both (all bounds inclusive).
#[derive(Debug, Clone, Default)]
pub struct ReplayRange {
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub from_position: Option<i64>,
    pub to_position: Option<i64>,
    /// Only this webhook event name.
    pub event: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplayReport {
    /// Messages queued.
    pub queued: u64,
    /// Log events looked at.
    pub scanned: u64,
    /// Set when the range was cut at [`REPLAY_MAX`]: call again from here.
    pub next_from_position: Option<i64>,
}

/// Why a replay is refused before anything is queued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplayRefusal {
    #[error("Give where to start: since (a time) or from_position (a log position)")]
    NoStart,
    #[error("Event {0} is not among this webhook's subscriptions")]
    NotSubscribed(String),
    #[error("The webhook is disabled ({0}); enable it before replaying")]
    Disabled(String),
}

/// The checks the API and the CLI share.
pub fn check(webhook: &WebhookRow, range: &ReplayRange) -> Result<(), ReplayRefusal> {
    if range.since.is_none() && range.from_position.is_none() {
        return Err(ReplayRefusal::NoStart);
    }
    if let Some(event) = &range.event {
        if !webhook.subscriptions.contains(event) {
            return Err(ReplayRefusal::NotSubscribed(event.clone()));
        }
    }
    if let Some(reason) = &webhook.disabled_reason {
        return Err(ReplayRefusal::Disabled(reason.clone()));
    }
    Ok(())
}

/// Queues the range for `webhook` (see [`check`]).
pub async fn replay(
    pool: &PgPool,
    webhook: &WebhookRow,
    range: &ReplayRange,
) -> anyhow::Result<ReplayReport> {
    let names: Vec<String> = match &range.event {
        Some(e) => vec![e.clone()],
        None => webhook.subscriptions.clone(),
    };
    let targets = vec![(webhook.id, names)];
    let mut report = ReplayReport::default();
    let mut from = range.from_position.unwrap_or(0);
    let mut conn = pool.acquire().await?;
    loop {
        let mut tx = conn.begin().await?;
        let events: Vec<RecordedEvent> = sqlx::query_as(&format!(
            "SELECT {EVENT_COLUMNS} FROM events \
             WHERE account_id = $1 AND global_position >= $2 AND ($3::bigint IS NULL OR global_position <= $3) \
               AND ($4::timestamptz IS NULL OR recorded_at >= $4) \
               AND ($5::timestamptz IS NULL OR recorded_at <= $5) \
               AND tx < pg_snapshot_xmin(pg_current_snapshot()) \
             ORDER BY global_position LIMIT $6"
        ))
        .bind(webhook.account_id)
        .bind(from)
        .bind(range.to_position)
        .bind(range.since)
        .bind(range.until)
        .bind(PAGE)
        .fetch_all(&mut *tx)
        .await?;
        let Some(last) = events.last().map(|e| e.global_position) else {
            tx.commit().await?;
            return Ok(report);
        };
        for e in &events {
            report.scanned += 1;
            if !payload::names(e).iter().any(|n| targets[0].1.iter().any(|t| t == n)) {
                continue;
            }
            let messages = payload::messages(&mut tx, e).await?;
            report.queued +=
                insert_messages(&mut tx, e, webhook.account_id, &targets, &messages, "replay").await?;
            if report.queued >= REPLAY_MAX {
                tx.commit().await?;
                report.next_from_position = Some(e.global_position + 1);
                return Ok(report);
            }
        }
        tx.commit().await?;
        from = last + 1;
    }
}

//! Reading the event log in its one consistent order.
//!
//! A consumer's cursor is `(tx, global_position)`. Only events whose
//! transaction id is below the xmin of the current snapshot are returned:
//! every transaction that could still commit an event sorting before them
//! has finished, so a cursor never moves past an event that appears later.

use chrono::{DateTime, Utc};
use onelink_commands::store::decode_event;
use onelink_commands::LogPosition;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

/// One event as stored, with everything the audit trail needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecordedEvent {
    pub global_position: i64,
    pub tx: i64,
    pub event_id: Uuid,
    pub account_id: Option<i64>,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: i64,
    pub event_type: String,
    pub event_version: String,
    pub payload: Value,
    pub actor_type: String,
    pub actor_id: Option<i64>,
    pub request_id: Option<String>,
    pub metadata: Value,
    pub recorded_at: DateTime<Utc>,
}

impl RecordedEvent {
    pub fn position(&self) -> LogPosition {
        LogPosition { tx: self.tx, position: self.global_position }
    }

    /// Decodes the payload into the aggregate's event enum.
    pub fn decode<E: DeserializeOwned>(&self) -> anyhow::Result<E> {
        Ok(decode_event(&self.event_type, &self.payload)?)
    }

    pub fn is(&self, aggregate_type: &str) -> bool {
        self.aggregate_type == aggregate_type
    }

    /// The stream id as a number (our numeric aggregates).
    pub fn numeric_id(&self) -> anyhow::Result<i64> {
        self.aggregate_id
            .parse()
            .map_err(|_| anyhow::anyhow!("{} id {:?} is not numeric", self.aggregate_type, self.aggregate_id))
    }
}

pub const EVENT_COLUMNS: &str =
    "global_position, tx::text::bigint AS tx, event_id, account_id, aggregate_type, \
     aggregate_id, sequence, event_type, event_version, payload, actor_type, actor_id, request_id, metadata, \
     recorded_at";

/// Up to `limit` events after `after`, in log order, that no running
/// transaction can precede.
///
/// The log readers are planned for their actual cursor on every call
/// (`persistent(false)`): a cached generic plan cannot tell a cursor at the
/// head of the log from one at its start, and may sort what it should walk
/// in index order.
pub async fn read_after(
    conn: &mut PgConnection,
    after: LogPosition,
    limit: i64,
) -> Result<Vec<RecordedEvent>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {EVENT_COLUMNS} FROM events \
         WHERE (tx, global_position) > ($1::bigint::text::xid8, $2) \
           AND tx < pg_snapshot_xmin(pg_current_snapshot()) \
         ORDER BY tx, global_position LIMIT $3"
    ))
    .persistent(false)
    .bind(after.tx)
    .bind(after.position)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Up to `limit` events after `after` and at or before `upto`, in log
/// order, that no running transaction can precede; only those of
/// `aggregate_types` when given (a rebuild reading what its projection
/// needs).
pub async fn read_range(
    conn: &mut PgConnection,
    after: LogPosition,
    upto: Option<LogPosition>,
    aggregate_types: Option<&[&str]>,
    limit: i64,
) -> Result<Vec<RecordedEvent>, sqlx::Error> {
    let upto = upto.unwrap_or(LogPosition { tx: i64::MAX, position: i64::MAX });
    sqlx::query_as(&format!(
        "SELECT {EVENT_COLUMNS} FROM events \
         WHERE (tx, global_position) > ($1::bigint::text::xid8, $2) \
           AND (tx, global_position) <= ($3::bigint::text::xid8, $4) \
           AND tx < pg_snapshot_xmin(pg_current_snapshot()) \
           AND ($5::text[] IS NULL OR aggregate_type = ANY($5)) \
         ORDER BY tx, global_position LIMIT $6"
    ))
    .persistent(false)
    .bind(after.tx)
    .bind(after.position)
    .bind(upto.tx)
    .bind(upto.position)
    .bind(aggregate_types.map(|t| t.to_vec()))
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The newest event no running transaction can precede (`START` for an
/// empty log): everything up to it is settled for this snapshot.
pub async fn horizon(db: impl PgExecutor<'_>) -> Result<LogPosition, sqlx::Error> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT tx::text::bigint, global_position FROM events \
         WHERE tx < pg_snapshot_xmin(pg_current_snapshot()) \
         ORDER BY tx DESC, global_position DESC LIMIT 1",
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map_or(LogPosition::START, |(tx, position)| LogPosition { tx, position }))
}

/// Whether events after `after` exist that are committed but still held
/// back by an older running transaction. The ORDER BY keeps the probe on
/// the `(tx, global_position)` index: without it the planner picks a
/// sequential scan (it expects an early match), which reads the whole log
/// whenever a caught-up runner asks — ≈ 1 s per poll per subscriber at
/// 0.5 M events (found by issue 4's benchmark).
pub async fn has_pending_after(conn: &mut PgConnection, after: LogPosition) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM events WHERE (tx, global_position) > ($1::bigint::text::xid8, $2) \
         ORDER BY tx, global_position LIMIT 1)",
    )
    .bind(after.tx)
    .bind(after.position)
    .fetch_one(conn)
    .await
}

/// Number of events after `after` (for status and lag reporting).
pub async fn count_after(conn: &mut PgConnection, after: LogPosition) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE (tx, global_position) > ($1::bigint::text::xid8, $2)",
    )
    .bind(after.tx)
    .bind(after.position)
    .fetch_one(conn)
    .await
}

/// The events of one stream, oldest first (the audit trail).
pub async fn read_stream(
    conn: &mut PgConnection,
    aggregate_type: &str,
    aggregate_id: &str,
) -> Result<Vec<RecordedEvent>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE aggregate_type = $1 AND aggregate_id = $2 ORDER BY sequence"
    ))
    .bind(aggregate_type)
    .bind(aggregate_id)
    .fetch_all(conn)
    .await
}

/// A page of one stream's events for the audit trail: those of `account_id`
/// with a sequence above `after`, oldest first.
pub async fn read_stream_page(
    db: impl PgExecutor<'_>,
    account_id: i64,
    aggregate_type: &str,
    aggregate_id: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<RecordedEvent>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE aggregate_type = $1 AND aggregate_id = $2 \
         AND account_id = $3 AND sequence > $4 ORDER BY sequence LIMIT $5"
    ))
    .bind(aggregate_type)
    .bind(aggregate_id)
    .bind(account_id)
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// How many events of `account_id` a stream holds.
pub async fn stream_length(
    db: impl PgExecutor<'_>,
    account_id: i64,
    aggregate_type: &str,
    aggregate_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE aggregate_type = $1 AND aggregate_id = $2 AND account_id = $3",
    )
    .bind(aggregate_type)
    .bind(aggregate_id)
    .bind(account_id)
    .fetch_one(db)
    .await
}

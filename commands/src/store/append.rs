use super::{EventStore, LogPosition, StoreFailure};
use crate::context::CommandContext;
use serde_json::Value;
use uuid::Uuid;

/// One event to append, already encoded.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub event_type: String,
    pub event_version: String,
    pub payload: Value,
}

/// Events for one stream, written right after `expected_version`.
#[derive(Debug, Clone)]
pub struct StreamAppend {
    pub aggregate_type: &'static str,
    pub aggregate_id: String,
    pub account_id: Option<i64>,
    pub expected_version: i64,
    pub events: Vec<NewEvent>,
}

/// Columns of the UNNEST insert, one vector per column.
#[derive(Default)]
struct Columns {
    event_ids: Vec<Uuid>,
    account_ids: Vec<Option<i64>>,
    types: Vec<String>,
    ids: Vec<String>,
    sequences: Vec<i64>,
    event_types: Vec<String>,
    versions: Vec<String>,
    payloads: Vec<Value>,
}

impl EventStore {
    /// Appends all events atomically. Returns the log position of the last
    /// event, or `None` when there was nothing to append.
    pub async fn append(
        &self,
        appends: &[StreamAppend],
        ctx: &CommandContext,
    ) -> Result<Option<LogPosition>, StoreFailure> {
        let mut c = Columns::default();
        for stream in appends {
            for (offset, event) in stream.events.iter().enumerate() {
                c.event_ids.push(Uuid::now_v7());
                c.account_ids.push(stream.account_id);
                c.types.push(stream.aggregate_type.to_owned());
                c.ids.push(stream.aggregate_id.clone());
                c.sequences.push(stream.expected_version + 1 + offset as i64);
                c.event_types.push(event.event_type.clone());
                c.versions.push(event.event_version.clone());
                c.payloads.push(event.payload.clone());
            }
        }
        if c.event_ids.is_empty() {
            return Ok(None);
        }
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "INSERT INTO events (event_id, account_id, aggregate_type, aggregate_id, sequence, event_type, \
                                 event_version, payload, actor_type, actor_id, request_id, recorded_at) \
             SELECT e.*, $9, $10, $11, COALESCE($12::timestamptz, now()) \
             FROM UNNEST($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], \
                         $7::text[], $8::jsonb[]) AS e \
             RETURNING global_position, tx::text::bigint",
        )
        .bind(&c.event_ids)
        .bind(&c.account_ids)
        .bind(&c.types)
        .bind(&c.ids)
        .bind(&c.sequences)
        .bind(&c.event_types)
        .bind(&c.versions)
        .bind(&c.payloads)
        .bind(ctx.actor.kind())
        .bind(ctx.actor.id())
        .bind(ctx.request_id.as_deref())
        .bind(ctx.at)
        .fetch_all(&self.pool)
        .await
        .map_err(classify)?;
        self.signal.appended();
        Ok(rows.into_iter().map(|(position, tx)| LogPosition { tx, position }).max())
    }
}

/// A unique violation on the stream key means another writer won the race.
fn classify(e: sqlx::Error) -> StoreFailure {
    if let sqlx::Error::Database(db) = &e {
        if db.constraint() == Some("events_stream_key") {
            return StoreFailure::Conflict;
        }
    }
    StoreFailure::Database(e)
}

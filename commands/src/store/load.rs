use super::codec::decode_event;
use super::{EventStore, StoreFailure, SNAPSHOT_EVERY, SNAPSHOT_SCHEMA};
use cqrs_es::Aggregate;
use serde_json::Value;

/// An aggregate rebuilt from its stream, with the version it was read at.
#[derive(Debug)]
pub struct Loaded<A> {
    pub aggregate: A,
    pub version: i64,
}

impl EventStore {
    /// Loads the latest snapshot (if usable) and the events after it, in a
    /// single query.
    pub async fn load<A: Aggregate>(&self, aggregate_id: &str) -> Result<Loaded<A>, StoreFailure> {
        let rows: Vec<(bool, i64, Option<String>, Value)> = sqlx::query_as(
            "WITH s AS (SELECT version, state FROM snapshots \
                        WHERE aggregate_type = $1 AND aggregate_id = $2 AND schema_version = $3) \
             SELECT true, version, NULL::text, state FROM s \
             UNION ALL \
             SELECT false, e.sequence, e.event_type, e.payload FROM events e \
             WHERE e.aggregate_type = $1 AND e.aggregate_id = $2 \
               AND e.sequence > COALESCE((SELECT version FROM s), 0) \
             ORDER BY 1 DESC, 2",
        )
        .bind(A::TYPE)
        .bind(aggregate_id)
        .bind(SNAPSHOT_SCHEMA)
        .fetch_all(&self.pool)
        .await?;

        let mut aggregate = A::default();
        let mut version = 0;
        for (is_snapshot, seq, event_type, payload) in rows {
            if is_snapshot {
                match serde_json::from_value(payload) {
                    Ok(state) => {
                        aggregate = state;
                        version = seq;
                        continue;
                    }
                    // An unreadable snapshot is only a cache miss.
                    Err(_) => return self.load_without_snapshot(aggregate_id).await,
                }
            }
            let event_type = event_type.unwrap_or_default();
            aggregate.apply(decode_event(&event_type, &payload)?);
            version = seq;
        }
        Ok(Loaded { aggregate, version })
    }

    async fn load_without_snapshot<A: Aggregate>(
        &self,
        aggregate_id: &str,
    ) -> Result<Loaded<A>, StoreFailure> {
        let rows: Vec<(i64, String, Value)> = sqlx::query_as(
            "SELECT sequence, event_type, payload FROM events \
             WHERE aggregate_type = $1 AND aggregate_id = $2 ORDER BY sequence",
        )
        .bind(A::TYPE)
        .bind(aggregate_id)
        .fetch_all(&self.pool)
        .await?;
        let mut aggregate = A::default();
        let mut version = 0;
        for (seq, event_type, payload) in rows {
            aggregate.apply(decode_event(&event_type, &payload)?);
            version = seq;
        }
        Ok(Loaded { aggregate, version })
    }

    /// Stores an aggregate state as of `version`. Best effort: a failure
    /// only costs a longer load later.
    pub async fn save_snapshot(&self, aggregate_type: &str, aggregate_id: &str, version: i64, state: Value) {
        let result = sqlx::query(
            "INSERT INTO snapshots (aggregate_type, aggregate_id, version, schema_version, state) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE \
             SET version = EXCLUDED.version, schema_version = EXCLUDED.schema_version, \
                 state = EXCLUDED.state, taken_at = now() \
             WHERE snapshots.version < EXCLUDED.version OR snapshots.schema_version <> EXCLUDED.schema_version",
        )
        .bind(aggregate_type)
        .bind(aggregate_id)
        .bind(version)
        .bind(SNAPSHOT_SCHEMA)
        .bind(state)
        .execute(&self.pool)
        .await;
        if let Err(e) = result {
            tracing::warn!(aggregate.kind = aggregate_type, aggregate.id = aggregate_id, error = %e, "snapshot not saved");
        }
    }
}

/// Whether a stream going from `previous` to `version` crossed a snapshot
/// boundary.
pub fn crosses_snapshot_boundary(previous: i64, version: i64) -> bool {
    version / SNAPSHOT_EVERY != previous / SNAPSHOT_EVERY
}

impl EventStore {
    /// The log position of a stream's latest event, if it has any. Lets a
    /// caller that changed nothing still wait for what others wrote.
    pub async fn stream_head(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
    ) -> Result<Option<crate::LogPosition>, StoreFailure> {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT tx::text::bigint, global_position FROM events \
             WHERE aggregate_type = $1 AND aggregate_id = $2 ORDER BY sequence DESC LIMIT 1",
        )
        .bind(aggregate_type)
        .bind(aggregate_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(tx, position)| crate::LogPosition { tx, position }))
    }
}

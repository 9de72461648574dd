//! The Postgres event store (replaces postgres-es's repository; see
//! `docs/ARCHITECTURE.md` for the measurements behind that choice).
//!
//! - `append`: every event of one command, across one or more streams, in a
//!   single multi-row `INSERT … SELECT FROM UNNEST` (one round trip, atomic);
//!   a duplicate `(aggregate_type, aggregate_id, sequence)` is an optimistic
//!   concurrency conflict.
//! - `load`: snapshot (if any) plus the events after it, in one query.

mod append;
mod codec;
mod load;
mod signal;

pub use append::{NewEvent, StreamAppend};
pub use codec::{decode_event, encode_event};
pub use load::{crosses_snapshot_boundary, Loaded};
pub use signal::LogSignal;

use serde::{Deserialize, Serialize};
use sqlx::PgPool;

/// How often (in stream versions) an aggregate's state is snapshotted.
pub const SNAPSHOT_EVERY: i64 = 100;
/// Bump when an aggregate state's serialized shape changes incompatibly;
/// older snapshots are then ignored and streams replayed.
pub const SNAPSHOT_SCHEMA: i32 = 1;

/// A cursor in the ordered log: `(transaction id, global position)`,
/// compared lexicographically (see migrations/0001_event_store.sql).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LogPosition {
    pub tx: i64,
    pub position: i64,
}

impl LogPosition {
    pub const START: LogPosition = LogPosition { tx: 0, position: 0 };
}

impl std::fmt::Display for LogPosition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.tx, self.position)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreFailure {
    /// Another writer appended to one of the streams first.
    #[error("optimistic concurrency conflict")]
    Conflict,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// A stored event or snapshot could not be decoded.
    #[error("{0}")]
    Corrupt(String),
}

/// Commands on one stream within this process take turns (a striped
/// lock); optimistic concurrency still guards writers in other processes.
/// Without it, a hot conversation's writers mostly retry each other.
const STREAM_LOCK_STRIPES: usize = 128;

#[derive(Clone)]
pub struct EventStore {
    pool: PgPool,
    signal: LogSignal,
    stream_locks: std::sync::Arc<Vec<tokio::sync::Mutex<()>>>,
}

impl EventStore {
    pub fn new(pool: PgPool) -> Self {
        let stream_locks = (0..STREAM_LOCK_STRIPES).map(|_| tokio::sync::Mutex::new(())).collect();
        Self { pool, signal: LogSignal::default(), stream_locks: std::sync::Arc::new(stream_locks) }
    }

    /// Holds this process's turn on a stream (see [`STREAM_LOCK_STRIPES`]).
    pub async fn lock_stream(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
    ) -> tokio::sync::MutexGuard<'_, ()> {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (aggregate_type, aggregate_id).hash(&mut hasher);
        let stripe = (hasher.finish() as usize) % STREAM_LOCK_STRIPES;
        self.stream_locks[stripe].lock().await
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// How this store tells subscribers about appends.
    pub fn signal(&self) -> &LogSignal {
        &self.signal
    }
}

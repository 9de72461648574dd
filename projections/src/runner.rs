//! A checkpointed runner for one projection.
//!
//! One runner per projection is active across all nodes (a session advisory
//! lock is the lease; losing the connection releases it and a standby takes
//! over). Each batch is one transaction: read events after the checkpoint,
//! apply them, move the checkpoint. Events are read *before* the checkpoint
//! row is locked, so an idle runner holds no transaction id and never holds
//! back the log horizon of other consumers.

use crate::log::{has_pending_after, read_after};
use crate::projection::Projection;
use onelink_commands::LogPosition;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection, PgPool};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};
use tokio_util::sync::CancellationToken;

/// Test hook: `ONELINK_FAILPOINT=projection_abort_before_commit[:EventType]`
/// aborts the process after a batch (containing that event type) was
/// applied but before it committed.
const FAILPOINT_ENV: &str = "ONELINK_FAILPOINT";
const FAILPOINT_ABORT: &str = "projection_abort_before_commit";

fn failpoint_hit(events: &[crate::log::RecordedEvent]) -> bool {
    let Ok(value) = std::env::var(FAILPOINT_ENV) else { return false };
    match value.split_once(':') {
        Some((FAILPOINT_ABORT, event_type)) => events.iter().any(|e| e.event_type == event_type),
        None => value == FAILPOINT_ABORT,
        Some(_) => false,
    }
}

#[derive(Debug, Clone)]
pub struct RunnerConfig {
    pub batch_size: i64,
    /// Longest sleep between checks when no notification arrives.
    pub poll_interval: Duration,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        Self { batch_size: 500, poll_interval: Duration::from_millis(250) }
    }
}

pub(crate) struct Runner {
    pub projection: Arc<dyn Projection>,
    pub connect: PgConnectOptions,
    pub wake: Arc<Notify>,
    pub progress: watch::Sender<LogPosition>,
    pub shutdown: CancellationToken,
    pub config: RunnerConfig,
    /// Notified after each batch that applied events (e.g. delivery
    /// workers waiting for the outbox).
    pub committed: Option<Arc<Notify>>,
}

pub async fn ensure_checkpoint(pool: &PgPool, name: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO projection_checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .execute(pool)
        .await
        .map(|_| ())
}

pub async fn read_checkpoint(conn: &mut PgConnection, name: &str) -> Result<LogPosition, sqlx::Error> {
    let (tx, position): (i64, i64) =
        sqlx::query_as("SELECT tx::text::bigint, position FROM projection_checkpoints WHERE name = $1")
            .bind(name)
            .fetch_one(conn)
            .await?;
    Ok(LogPosition { tx, position })
}

/// Lease key for a projection (advisory locks are per database).
fn lease_key(name: &str) -> String {
    format!("onelink.projection.{name}")
}

/// Whether some process currently runs this projection (holds its lease).
pub async fn is_running(conn: &mut PgConnection, name: &str) -> Result<bool, sqlx::Error> {
    let free: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock(hashtextextended($1, 0))")
        .bind(lease_key(name))
        .fetch_one(&mut *conn)
        .await?;
    if free {
        sqlx::query("SELECT pg_advisory_unlock(hashtextextended($1, 0))")
            .bind(lease_key(name))
            .execute(conn)
            .await?;
    }
    Ok(!free)
}

impl Runner {
    pub async fn run(self) {
        let name = self.projection.name();
        let mut failures = 0u32;
        while !self.shutdown.is_cancelled() {
            match self.lead().await {
                Ok(()) => failures = 0,
                Err(e) => {
                    failures += 1;
                    tracing::warn!(projection = name, error = %e, "projection runner failed; retrying");
                }
            }
            let pause = Duration::from_millis(100 * 2u64.pow(failures.min(5)));
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = self.shutdown.cancelled() => {}
            }
        }
    }

    /// Connects, takes the lease (or follows the leader's checkpoint until
    /// it can), and processes batches until shutdown or a failure.
    async fn lead(&self) -> anyhow::Result<()> {
        let name = self.projection.name();
        let mut conn = PgConnection::connect_with(&self.connect).await?;
        loop {
            let leased: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock(hashtextextended($1, 0))")
                .bind(lease_key(name))
                .fetch_one(&mut conn)
                .await?;
            let at = read_checkpoint(&mut conn, name).await?;
            self.progress.send_if_modified(|p| replace_if_newer(p, at));
            if leased {
                break;
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(100)) => {}
                _ = self.shutdown.cancelled() => return Ok(()),
            }
        }
        tracing::debug!(projection = name, "projection lease acquired");
        let mut backoff = Duration::from_millis(1);
        loop {
            let woken = self.wake.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            let applied = self.batch(&mut conn).await?;
            if applied == self.config.batch_size {
                continue;
            }
            if applied > 0 {
                backoff = Duration::from_millis(1);
                continue;
            }
            let at = *self.progress.borrow();
            let wait = if has_pending_after(&mut conn, at).await? {
                // Committed events are held back by an older running
                // transaction: look again soon.
                backoff = (backoff * 2).min(Duration::from_millis(50));
                backoff
            } else {
                self.config.poll_interval
            };
            tokio::select! {
                _ = &mut woken => {}
                _ = tokio::time::sleep(wait) => {}
                _ = self.shutdown.cancelled() => return Ok(()),
            }
        }
    }

    /// One batch transaction; returns the number of events applied.
    async fn batch(&self, conn: &mut PgConnection) -> anyhow::Result<i64> {
        let name = self.projection.name();
        let mut tx = conn.begin().await?;
        let from = read_checkpoint(&mut tx, name).await?;
        let events = read_after(&mut tx, from, self.config.batch_size).await?;
        let Some(last) = events.last().map(|e| e.position()) else {
            tx.rollback().await?;
            self.progress.send_if_modified(|p| replace_if_newer(p, from));
            return Ok(0);
        };
        // Lock the checkpoint; if it moved meanwhile (a rebuild swapped the
        // tables), start over from the new position.
        let (tx_now, pos_now): (i64, i64) = sqlx::query_as(
            "SELECT tx::text::bigint, position FROM projection_checkpoints WHERE name = $1 FOR UPDATE",
        )
        .bind(name)
        .fetch_one(&mut *tx)
        .await?;
        if (LogPosition { tx: tx_now, position: pos_now }) != from {
            tx.rollback().await?;
            return Ok(1);
        }
        self.projection.apply_batch(&mut tx, &events).await?;
        sqlx::query(
            "UPDATE projection_checkpoints SET tx = $2::bigint::text::xid8, position = $3, updated_at = now() \
             WHERE name = $1",
        )
        .bind(name)
        .bind(last.tx)
        .bind(last.position)
        .execute(&mut *tx)
        .await?;
        if failpoint_hit(&events) {
            tracing::error!(projection = name, "failpoint: aborting before the projection commit");
            std::process::abort();
        }
        tx.commit().await?;
        self.progress.send_if_modified(|p| replace_if_newer(p, last));
        // Other runners may have been held back by this transaction.
        self.wake.notify_waiters();
        if let Some(committed) = &self.committed {
            committed.notify_waiters();
        }
        Ok(events.len() as i64)
    }
}

fn replace_if_newer(current: &mut LogPosition, candidate: LogPosition) -> bool {
    if candidate > *current {
        *current = candidate;
        true
    } else {
        false
    }
}

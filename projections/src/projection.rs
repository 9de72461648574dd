//! What a projection is: a named consumer of the log that owns some tables
//! and updates them, one event at a time, inside the runner's transaction.

use crate::log::RecordedEvent;
use async_trait::async_trait;
use sqlx::PgConnection;

#[async_trait]
pub trait Projection: Send + Sync + 'static {
    /// Stable name: the checkpoint key and the `projections rebuild` argument.
    fn name(&self) -> &'static str;

    /// The tables this projection alone writes (swapped as a set on rebuild).
    /// Statements must name them unqualified so a rebuild can redirect them
    /// to shadow tables through `search_path`.
    fn tables(&self) -> &'static [&'static str];

    /// The aggregate types whose events this projection reads; `None`
    /// (the default) means every event. A rebuild reads only these from the
    /// log, so declaring them makes rebuilds of narrow projections cheap.
    /// Declare only what `apply` really ignores otherwise.
    fn aggregate_types(&self) -> Option<&'static [&'static str]> {
        None
    }

    /// Applies one event. Events the projection does not care about are
    /// ignored. Runs inside the batch transaction that also moves the
    /// checkpoint, so an event is applied exactly once.
    async fn apply(&self, conn: &mut PgConnection, event: &RecordedEvent) -> anyhow::Result<()>;

    /// Applies a batch of consecutive events, in order. The default applies
    /// them one by one; high-volume projections fold a batch in memory and
    /// write each touched row once.
    async fn apply_batch(&self, conn: &mut PgConnection, events: &[RecordedEvent]) -> anyhow::Result<()> {
        for event in events {
            self.apply(conn, event).await.map_err(|e| {
                anyhow::anyhow!(
                    "{} failed on event {} ({}): {e:#}",
                    self.name(),
                    event.global_position,
                    event.event_type
                )
            })?;
        }
        Ok(())
    }
}

//! The set of projections a node runs, their runners, the notification
//! listener that wakes them, and read-your-writes waiting.

use crate::contacts;
use crate::projection::Projection;
use crate::runner::{ensure_checkpoint, Runner, RunnerConfig};
use crate::teams;
use crate::webhooks;
use crate::{inboxes, platform};
use onelink_commands::store::LogSignal;
use onelink_commands::LogPosition;
use sqlx::postgres::PgListener;
use sqlx::PgPool;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};
use tokio_util::sync::CancellationToken;

/// Channel on which nodes announce appended events.
pub const EVENTS_CHANNEL: &str = "onelink_events";

/// Every projection OneLink has, in a stable order.
pub fn all_projections() -> Vec<Arc<dyn Projection>> {
    vec![
        Arc::new(platform::accounts::AccountsProjection),
        Arc::new(platform::users::UsersProjection),
        Arc::new(platform::platform_apps::PlatformAppsProjection),
        Arc::new(platform::agent_bots::AgentBotsProjection),
        Arc::new(crate::conversations::ConversationsProjection),
        Arc::new(teams::TeamsProjection),
        Arc::new(inboxes::InboxesProjection),
        Arc::new(contacts::ContactsProjection),
        Arc::new(crate::contact_inboxes::ContactInboxesProjection),
        Arc::new(crate::connected_accounts::ConnectedAccountsProjection),
        Arc::new(crate::canned_responses::CannedResponsesProjection),
        Arc::new(crate::custom_attributes::CustomAttributesProjection),
        Arc::new(crate::custom_filters::CustomFiltersProjection),
        Arc::new(crate::labels::LabelsProjection),
        Arc::new(crate::help_center::HelpCenterProjection),
        Arc::new(webhooks::WebhooksProjection),
        Arc::new(crate::reports::ReportsProjection),
        Arc::new(crate::automation::AutomationRulesProjection),
    ]
}

pub fn find_projection(name: &str) -> Option<Arc<dyn Projection>> {
    all_projections().into_iter().find(|p| p.name() == name)
}

/// Handle to the running projections of this node.
#[derive(Clone)]
pub struct Projections {
    progress: Arc<BTreeMap<&'static str, watch::Receiver<LogPosition>>>,
    shutdown: CancellationToken,
}

#[derive(Debug, thiserror::Error)]
#[error("projections did not reach {target} within {waited:?}")]
pub struct NotCaughtUp {
    pub target: LogPosition,
    pub waited: Duration,
}

impl Projections {
    /// Starts a runner per projection and the notification listener.
    /// `signal` is the event store's: appends by this process wake the
    /// runners directly and are announced to other nodes.
    pub async fn start(
        pool: &PgPool,
        signal: LogSignal,
        config: RunnerConfig,
        shutdown: CancellationToken,
    ) -> anyhow::Result<Self> {
        let wake = signal.local().clone();
        let mut listener = PgListener::connect_with(pool).await?;
        listener.listen(EVENTS_CHANNEL).await?;
        tokio::spawn(listen(listener, wake.clone(), shutdown.clone()));
        tokio::spawn(announce(pool.clone(), signal.outbound().clone(), shutdown.clone()));

        let mut progress = BTreeMap::new();
        for projection in all_projections() {
            ensure_checkpoint(pool, projection.name()).await?;
            let (tx, rx) = watch::channel(LogPosition::START);
            progress.insert(projection.name(), rx);
            let runner = Runner {
                projection,
                connect: (*pool.connect_options()).clone(),
                wake: wake.clone(),
                progress: tx,
                shutdown: shutdown.clone(),
                config: config.clone(),
                committed: None,
            };
            tokio::spawn(runner.run());
        }
        Ok(Self { progress: Arc::new(progress), shutdown })
    }

    /// Waits until every projection has applied the event at `target`, so
    /// the caller reads its own write.
    pub async fn wait_for(&self, target: LogPosition, timeout: Duration) -> Result<(), NotCaughtUp> {
        let deadline = tokio::time::Instant::now() + timeout;
        for rx in self.progress.values() {
            let mut rx = rx.clone();
            let reached = tokio::time::timeout_at(deadline, rx.wait_for(|p| *p >= target)).await;
            if !matches!(reached, Ok(Ok(_))) {
                return Err(NotCaughtUp { target, waited: timeout });
            }
        }
        Ok(())
    }

    /// The last position each projection is known to have reached.
    pub fn positions(&self) -> BTreeMap<&'static str, LogPosition> {
        self.progress.iter().map(|(name, rx)| (*name, *rx.borrow())).collect()
    }

    pub fn stop(&self) {
        self.shutdown.cancel();
    }
}

/// For writes made outside a server (the CLI): waits until every projection
/// that some server is running has applied `target`. Returns false on
/// timeout; projections nobody runs are skipped (they catch up on start).
pub async fn wait_for_running(pool: &PgPool, target: LogPosition, timeout: Duration) -> anyhow::Result<bool> {
    let mut conn = pool.acquire().await?;
    let deadline = tokio::time::Instant::now() + timeout;
    for projection in all_projections() {
        if !crate::runner::is_running(&mut conn, projection.name()).await? {
            continue;
        }
        while crate::runner::read_checkpoint(&mut conn, projection.name()).await? < target {
            if tokio::time::Instant::now() > deadline {
                return Ok(false);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    Ok(true)
}

/// Tells other nodes that this one appended events: one `pg_notify` per
/// burst of appends, in its own statement (no transaction id, so no lock
/// held through a commit flush).
async fn announce(pool: PgPool, outbound: Arc<Notify>, shutdown: CancellationToken) {
    loop {
        tokio::select! {
            _ = outbound.notified() => {}
            _ = shutdown.cancelled() => return,
        }
        if let Err(e) = sqlx::query("SELECT pg_notify($1, '')").bind(EVENTS_CHANNEL).execute(&pool).await {
            tracing::debug!(error = %e, "could not announce appended events; other nodes will poll");
        }
    }
}

/// Forwards `NOTIFY onelink_events` to the runners. On a lost connection,
/// sqlx reconnects on the next receive; runners poll meanwhile.
async fn listen(mut listener: PgListener, wake: Arc<Notify>, shutdown: CancellationToken) {
    loop {
        tokio::select! {
            received = listener.try_recv() => match received {
                Ok(_) => wake.notify_waiters(),
                Err(e) => {
                    tracing::warn!(error = %e, "event notifications interrupted");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            },
            _ = shutdown.cancelled() => return,
        }
    }
}

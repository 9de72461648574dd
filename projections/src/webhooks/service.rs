//! Starting and stopping a node's webhook machinery: the outbox subscriber
//! (one leader across nodes, like a projection runner), the delivery
//! workers (any number per node, sharing the queue through SKIP LOCKED) and
//! the retention sweep.

use super::outbox::Outbox;
use super::schedule::DeliveryConfig;
use super::worker::Worker;
use crate::runner::{ensure_checkpoint, Runner, RunnerConfig};
use onelink_commands::{Commands, LogPosition};
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// The running webhook tasks of this node.
pub struct Deliveries {
    tasks: JoinSet<()>,
}

impl Deliveries {
    /// `wake` is the log signal the projection runners share (appends by
    /// this node and NOTIFYs from others).
    pub async fn start(
        pool: &PgPool,
        commands: Commands,
        wake: Arc<Notify>,
        config: DeliveryConfig,
        runner: RunnerConfig,
        shutdown: CancellationToken,
    ) -> anyhow::Result<Self> {
        let mut tasks = JoinSet::new();
        let outbox = Arc::new(Outbox);
        ensure_checkpoint(pool, super::outbox::OUTBOX).await?;
        let enqueued = Arc::new(Notify::new());
        let (progress, _) = watch::channel(LogPosition::START);
        tasks.spawn(
            Runner {
                projection: outbox,
                connect: (*pool.connect_options()).clone(),
                wake,
                progress,
                shutdown: shutdown.clone(),
                config: runner,
                committed: Some(enqueued.clone()),
            }
            .run(),
        );
        let config = Arc::new(config);
        for _ in 0..config.workers.max(1) {
            let worker = Worker {
                pool: pool.clone(),
                commands: commands.clone(),
                config: config.clone(),
                wake: enqueued.clone(),
                shutdown: shutdown.clone(),
            };
            tasks.spawn(worker.run());
        }
        tasks.spawn(sweep(pool.clone(), config.retention, shutdown));
        Ok(Self { tasks })
    }

    /// Waits until every task has stopped (after the shutdown token fired;
    /// claimed messages are given back first).
    pub async fn stopped(mut self) {
        while self.tasks.join_next().await.is_some() {}
    }
}

/// Purges finished deliveries older than `retention`, a bounded batch a
/// minute.
async fn sweep(pool: PgPool, retention: Duration, shutdown: CancellationToken) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
            _ = shutdown.cancelled() => return,
        }
        let purged = sqlx::query(
            "WITH old AS ( \
               DELETE FROM webhook_deliveries WHERE (account_id, id) IN ( \
                 SELECT account_id, id FROM webhook_deliveries \
                 WHERE finished_at < now() - make_interval(secs => $1) LIMIT 1000) \
               RETURNING account_id, id) \
             DELETE FROM webhook_delivery_attempts a USING old \
             WHERE a.account_id = old.account_id AND a.delivery_id = old.id",
        )
        .bind(retention.as_secs_f64())
        .execute(&pool)
        .await;
        if let Err(e) = purged {
            tracing::debug!(error = %e, "webhook delivery retention sweep failed");
        }
    }
}

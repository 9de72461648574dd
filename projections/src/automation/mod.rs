//! Automation rules: the read model ([`project`], [`query`]) and the
//! executor, a process manager (event in → commands out).
//!
//! Flow: a log event → [`enqueue`] (checkpointed subscriber; loop
//! protection; one job per event that some active rule listened to, in the
//! checkpoint's transaction) → [`worker`] (claims jobs oldest first, waits
//! for the read models to reach the event, evaluates each rule's
//! conditions with [`eval`], runs its [`actions`] through the command
//! services as the rule, records the rule as done for that event).
//!
//! It lives here rather than in `commands` because it reads the log and the
//! read models (conditions are evaluated against the conversation, its
//! contact and messages), which `commands` may not depend on.

mod actions;
pub mod enqueue;
pub mod eval;
mod project;
pub mod query;
mod worker;

pub use project::AutomationRulesProjection;
pub use query::AutomationRuleRow;

use crate::registry::Projections;
use crate::runner::{ensure_checkpoint, Runner, RunnerConfig};
use onelink_commands::{Commands, LogPosition};
use sqlx::PgPool;
use std::sync::Arc;
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// The running automation tasks of this node.
pub struct Automation {
    tasks: JoinSet<()>,
}

impl Automation {
    /// `wake` is the log signal the projection runners share.
    pub async fn start(
        pool: &PgPool,
        commands: Commands,
        projections: Projections,
        wake: Arc<Notify>,
        runner: RunnerConfig,
        shutdown: CancellationToken,
    ) -> anyhow::Result<Self> {
        let mut tasks = JoinSet::new();
        ensure_checkpoint(pool, enqueue::EXECUTOR).await?;
        let enqueued = Arc::new(Notify::new());
        let (progress, _) = watch::channel(LogPosition::START);
        let poll = runner.poll_interval;
        tasks.spawn(
            Runner {
                projection: Arc::new(enqueue::Enqueue),
                connect: (*pool.connect_options()).clone(),
                wake,
                progress,
                shutdown: shutdown.clone(),
                config: runner,
                committed: Some(enqueued.clone()),
            }
            .run(),
        );
        let executor =
            worker::Executor { pool: pool.clone(), commands, projections, wake: enqueued, shutdown, poll };
        tasks.spawn(executor.run());
        Ok(Self { tasks })
    }

    /// Waits until every task has stopped (after the shutdown token fired).
    pub async fn stopped(mut self) {
        while self.tasks.join_next().await.is_some() {}
    }
}

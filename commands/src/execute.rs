//! Running commands: a unit of work collects the decisions of one or more
//! aggregates and appends them atomically; `with_retries` re-runs the whole
//! unit when another writer got there first.

use crate::context::CommandContext;
use crate::error::CommandError;
use crate::store::{
    crosses_snapshot_boundary, encode_event, EventStore, LogPosition, NewEvent, StreamAppend,
};
use cqrs_es::{Aggregate, DomainEvent};
use rand::Rng;
use serde_json::Value;
use std::future::Future;
use std::time::Duration;

/// Attempts before a command gives up with [`CommandError::Concurrency`].
const MAX_ATTEMPTS: u32 = 25;

struct PendingSnapshot {
    aggregate_type: &'static str,
    aggregate_id: String,
    version: i64,
    state: Value,
}

/// The decisions of one command, appended together by [`UnitOfWork::commit`].
pub struct UnitOfWork<'a> {
    store: &'a EventStore,
    appends: Vec<StreamAppend>,
    snapshots: Vec<PendingSnapshot>,
}

impl<'a> UnitOfWork<'a> {
    pub fn new(store: &'a EventStore) -> Self {
        Self { store, appends: Vec::new(), snapshots: Vec::new() }
    }

    /// Loads the aggregate, lets it decide, and queues its events. Returns
    /// the aggregate's state after the decision.
    pub async fn decide<A>(
        &mut self,
        aggregate_id: &str,
        account_id: Option<i64>,
        command: A::Command,
    ) -> Result<A, CommandError>
    where
        A: Aggregate<Services = ()>,
        CommandError: From<A::Error>,
    {
        let loaded = self.store.load::<A>(aggregate_id).await?;
        self.decide_on(aggregate_id, account_id, command, loaded).await
    }

    /// Like [`UnitOfWork::decide`] for a stream that is new by construction
    /// (a freshly allocated id): skips the load. Should the stream exist
    /// after all, the append fails with a conflict.
    pub async fn decide_new<A>(
        &mut self,
        aggregate_id: &str,
        account_id: Option<i64>,
        command: A::Command,
    ) -> Result<A, CommandError>
    where
        A: Aggregate<Services = ()>,
        CommandError: From<A::Error>,
    {
        let fresh = crate::store::Loaded { aggregate: A::default(), version: 0 };
        self.decide_on(aggregate_id, account_id, command, fresh).await
    }

    /// Like [`UnitOfWork::decide`] on a stream the caller has loaded itself
    /// (to look at the state *before* the decision): the append expects the
    /// version it was loaded at, so a writer in between makes it conflict.
    pub async fn decide_loaded<A>(
        &mut self,
        aggregate_id: &str,
        account_id: Option<i64>,
        command: A::Command,
        loaded: crate::store::Loaded<A>,
    ) -> Result<A, CommandError>
    where
        A: Aggregate<Services = ()>,
        CommandError: From<A::Error>,
    {
        self.decide_on(aggregate_id, account_id, command, loaded).await
    }

    async fn decide_on<A>(
        &mut self,
        aggregate_id: &str,
        account_id: Option<i64>,
        command: A::Command,
        loaded: crate::store::Loaded<A>,
    ) -> Result<A, CommandError>
    where
        A: Aggregate<Services = ()>,
        CommandError: From<A::Error>,
    {
        let mut aggregate = loaded.aggregate;
        let events = onelink_domain::decide(&mut aggregate, command).await?;
        if events.is_empty() {
            return Ok(aggregate);
        }
        let mut encoded = Vec::with_capacity(events.len());
        for event in &events {
            let (event_type, payload) = encode_event(event)?;
            encoded.push(NewEvent { event_type, event_version: event.event_version(), payload });
        }
        let version = loaded.version + encoded.len() as i64;
        if crosses_snapshot_boundary(loaded.version, version) {
            if let Ok(state) = serde_json::to_value(&aggregate) {
                self.snapshots.push(PendingSnapshot {
                    aggregate_type: A::TYPE,
                    aggregate_id: aggregate_id.to_owned(),
                    version,
                    state,
                });
            }
        }
        self.appends.push(StreamAppend {
            aggregate_type: A::TYPE,
            aggregate_id: aggregate_id.to_owned(),
            account_id,
            expected_version: loaded.version,
            events: encoded,
        });
        Ok(aggregate)
    }

    /// Appends everything decided; `None` when nothing changed.
    pub async fn commit(self, ctx: &CommandContext) -> Result<Option<LogPosition>, CommandError> {
        let position = self.store.append(&self.appends, ctx).await?;
        for s in self.snapshots {
            self.store.save_snapshot(s.aggregate_type, &s.aggregate_id, s.version, s.state).await;
        }
        Ok(position)
    }
}

/// The result of a command: the aggregate's new state and where its events
/// landed in the log (for read-your-writes).
#[derive(Debug)]
pub struct Executed<A> {
    pub state: A,
    pub position: Option<LogPosition>,
}

/// Runs one command against one aggregate, retrying on conflicts.
pub async fn execute<A, F>(
    store: &EventStore,
    aggregate_id: &str,
    account_id: Option<i64>,
    ctx: &CommandContext,
    command: F,
) -> Result<Executed<A>, CommandError>
where
    A: Aggregate<Services = ()>,
    CommandError: From<A::Error>,
    F: Fn() -> A::Command,
{
    with_retries(|| async {
        let _turn = store.lock_stream(A::TYPE, aggregate_id).await;
        let mut uow = UnitOfWork::new(store);
        let state = uow.decide::<A>(aggregate_id, account_id, command()).await?;
        let position = uow.commit(ctx).await?;
        Ok(Executed { state, position })
    })
    .await
}

/// Runs the command that creates a stream under a freshly allocated id
/// (no load, no retry: a conflict would mean the id was reused).
pub async fn create_stream<A, F>(
    store: &EventStore,
    aggregate_id: &str,
    account_id: Option<i64>,
    ctx: &CommandContext,
    command: F,
) -> Result<Executed<A>, CommandError>
where
    A: Aggregate<Services = ()>,
    CommandError: From<A::Error>,
    F: FnOnce() -> A::Command,
{
    let mut uow = UnitOfWork::new(store);
    let state = uow.decide_new::<A>(aggregate_id, account_id, command()).await?;
    let position = uow.commit(ctx).await?;
    Ok(Executed { state, position })
}

/// Re-runs `attempt` while it fails with a concurrency conflict, with
/// jittered, growing pauses; gives up after a bounded number of attempts.
pub async fn with_retries<T, F, Fut>(mut attempt: F) -> Result<T, CommandError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, CommandError>>,
{
    let mut tries = 0;
    loop {
        match attempt().await {
            Err(CommandError::Concurrency) if tries + 1 < MAX_ATTEMPTS => {
                tries += 1;
                let cap_ms = 2u64.saturating_pow(tries.min(6));
                let pause = rand::thread_rng().gen_range(0..=cap_ms * 1000);
                tokio::time::sleep(Duration::from_micros(pause)).await;
            }
            other => return other,
        }
    }
}

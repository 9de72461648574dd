//! Command latency versus stream length: `accounts::update` on an account
//! with a short history and on one with a long history.

use anyhow::{ensure, Context};
use cqrs_es::{Aggregate, DomainEvent};
use onelink_commands::store::{encode_event, NewEvent, StreamAppend};
use onelink_commands::{accounts, CommandContext, Commands};
use onelink_domain::account::{Account, AccountEvent, AccountPatch, NewAccount};
use onelink_domain::ids::AccountId;
use std::time::{Duration, Instant};

/// Events per `EventStore::append` call when bulk-building a stream.
const BULK_BATCH: i64 = 1_000;
/// Real commands run at the end of a bulk build, so the command path (not
/// the bulk load) takes the stream's snapshot, as in production.
const TAIL_COMMANDS: i64 = 100;

#[derive(Debug, Clone, Copy)]
pub struct Percentiles {
    pub p50: Duration,
    pub p95: Duration,
}

#[derive(Debug)]
pub struct LatencyResult {
    pub short_len: i64,
    pub long_len: i64,
    pub short: Percentiles,
    pub long: Percentiles,
    pub samples: usize,
    pub build: Duration,
    pub build_method: &'static str,
    pub long_snapshot_at: Option<i64>,
}

/// The name the update producing stream version `version` sets; two in a
/// row always differ, so every update emits an `AccountUpdated`.
fn name_for(version: i64) -> String {
    if version % 2 == 0 {
        "Bench stream even".to_owned()
    } else {
        "Bench stream odd".to_owned()
    }
}

async fn create(commands: &Commands, name: &str) -> anyhow::Result<AccountId> {
    let input = NewAccount { name: Some(name.to_owned()), ..NewAccount::default() };
    Ok(accounts::create(commands, &CommandContext::system(), input).await.context("accounts::create")?.value)
}

/// Runs one `accounts::update` that takes the stream from `version - 1`
/// to `version`.
async fn update(commands: &Commands, id: AccountId, version: i64) -> anyhow::Result<()> {
    let patch = AccountPatch { name: Some(name_for(version)), ..AccountPatch::default() };
    let done =
        accounts::update(commands, &CommandContext::system(), id, patch).await.context("accounts::update")?;
    ensure!(done.position.is_some(), "update to version {version} emitted no event");
    Ok(())
}

/// Appends `AccountUpdated` events for versions `from..=to` in batches,
/// exactly as the command path would have written them.
async fn bulk_append(commands: &Commands, id: AccountId, from: i64, to: i64) -> anyhow::Result<()> {
    let ctx = CommandContext::system();
    let mut next = from;
    while next <= to {
        let last = (next + BULK_BATCH - 1).min(to);
        let mut events = Vec::new();
        for version in next..=last {
            let event = AccountEvent::AccountUpdated {
                name: Some(name_for(version)),
                locale: None,
                domain: None,
                support_email: None,
                status: None,
                limits: None,
                custom_attributes: None,
                features: Default::default(),
            };
            let (event_type, payload) = encode_event(&event)?;
            events.push(NewEvent { event_type, event_version: event.event_version(), payload });
        }
        let append = StreamAppend {
            aggregate_type: Account::TYPE,
            aggregate_id: id.to_string(),
            account_id: Some(id.0),
            expected_version: next - 1,
            events,
        };
        commands.store.append(&[append], &ctx).await?;
        next = last + 1;
    }
    Ok(())
}

/// Builds an account stream of exactly `len` events (1 create + updates).
async fn build(commands: &Commands, name: &str, len: i64, bulk: bool) -> anyhow::Result<AccountId> {
    let id = create(commands, name).await?;
    let mut version = 1;
    if bulk && len - TAIL_COMMANDS > 1 {
        bulk_append(commands, id, 2, len - TAIL_COMMANDS).await?;
        version = len - TAIL_COMMANDS;
    }
    while version < len {
        version += 1;
        update(commands, id, version).await?;
    }
    Ok(id)
}

pub fn percentiles(mut samples: Vec<Duration>) -> anyhow::Result<Percentiles> {
    ensure!(!samples.is_empty(), "no latency samples");
    samples.sort();
    // Nearest-rank percentile.
    let rank = |q: f64| {
        let r = (q * samples.len() as f64).ceil() as usize;
        samples[r.clamp(1, samples.len()) - 1]
    };
    Ok(Percentiles { p50: rank(0.50), p95: rank(0.95) })
}

async fn stream_version(commands: &Commands, id: AccountId) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE(max(sequence), 0) FROM events WHERE aggregate_type = $1 AND aggregate_id = $2",
    )
    .bind(Account::TYPE)
    .bind(id.to_string())
    .fetch_one(commands.store.pool())
    .await?)
}

async fn snapshot_version(commands: &Commands, id: AccountId) -> anyhow::Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT version FROM snapshots WHERE aggregate_type = $1 AND aggregate_id = $2")
        .bind(Account::TYPE)
        .bind(id.to_string())
        .fetch_optional(commands.store.pool())
        .await?)
}

/// Builds both streams, then times `samples` updates on each, interleaved
/// (short, long, short, …) so drift affects both alike.
pub async fn run(
    commands: &Commands,
    short_len: i64,
    long_len: i64,
    samples: usize,
    bulk: bool,
) -> anyhow::Result<LatencyResult> {
    let short = build(commands, "Bench short stream", short_len, false).await?;
    let started = Instant::now();
    let long = build(commands, "Bench long stream", long_len, bulk).await?;
    let build_time = started.elapsed();
    ensure!(stream_version(commands, short).await? == short_len, "short stream has the wrong length");
    ensure!(stream_version(commands, long).await? == long_len, "long stream has the wrong length");
    let long_snapshot_at = snapshot_version(commands, long).await?;

    let mut short_times = Vec::with_capacity(samples);
    let mut long_times = Vec::with_capacity(samples);
    for i in 1..=samples as i64 {
        let t = Instant::now();
        update(commands, short, short_len + i).await?;
        short_times.push(t.elapsed());
        let t = Instant::now();
        update(commands, long, long_len + i).await?;
        long_times.push(t.elapsed());
    }
    Ok(LatencyResult {
        short_len,
        long_len,
        short: percentiles(short_times)?,
        long: percentiles(long_times)?,
        samples,
        build: build_time,
        build_method: if bulk && long_len - TAIL_COMMANDS > 1 {
            "bulk EventStore::append + 100 update commands"
        } else {
            "update commands"
        },
        long_snapshot_at,
    })
}

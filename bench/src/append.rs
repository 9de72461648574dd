//! Append throughput: raw single-row INSERTs versus OneLink's command path
//! (`accounts::create`, one `AccountCreated` event per command).

use crate::pg::BenchDb;
use anyhow::Context;
use onelink_commands::passwords::PasswordHasher;
use onelink_commands::secrets::SecretBox;
use onelink_commands::store::encode_event;
use onelink_commands::{accounts, CommandContext, Commands, EventStore};
use onelink_domain::account::{AccountEvent, AccountFields, NewAccount};
use onelink_domain::ids::AccountId;
use serde_json::Value;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a run lasts: an untimed warm-up, then the timed window.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub warm_up: Duration,
    pub measure: Duration,
}

/// Completed operations per second over the timed window(s).
#[derive(Debug, Clone, Default)]
pub struct Throughput {
    pub ops: u64,
    pub seconds: f64,
    pub per_second: f64,
    /// The rate of each round, to show the run-to-run spread.
    pub rounds: Vec<f64>,
}

impl Throughput {
    fn add_round(&mut self, round: &Throughput) {
        self.ops += round.ops;
        self.seconds += round.seconds;
        self.per_second = self.ops as f64 / self.seconds.max(1e-9);
        self.rounds.push(round.per_second);
    }

    /// Lowest and highest per-round rate.
    pub fn spread(&self) -> (f64, f64) {
        let min = self.rounds.iter().copied().fold(f64::INFINITY, f64::min);
        let max = self.rounds.iter().copied().fold(0.0, f64::max);
        (min, max)
    }
}

/// Raw INSERTs and OneLink commands at the same concurrency, measured in
/// alternating rounds so that drift in the disk's flush latency (large on
/// virtualized disks) affects both sides alike.
pub async fn compare(
    db: &BenchDb,
    writers: usize,
    window: Window,
    rounds: usize,
    body: &Value,
) -> anyhow::Result<(Throughput, Throughput)> {
    let mut raw_total = Throughput::default();
    let mut onelink_total = Throughput::default();
    for _ in 0..rounds.max(1) {
        raw_total.add_round(&raw(db, writers, window, body).await?);
        onelink_total.add_round(&onelink(db, writers, window).await?);
    }
    Ok((raw_total, onelink_total))
}

/// Runs `writers` copies of `op` in a loop and counts the operations that
/// complete inside the timed window.
async fn run_writers<S, F, Fut>(
    writers: usize,
    window: Window,
    states: Vec<S>,
    op: F,
) -> anyhow::Result<Throughput>
where
    S: Send + Sync + 'static,
    F: Fn(Arc<S>, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send,
{
    let op = Arc::new(op);
    let start = Instant::now() + window.warm_up;
    let end = start + window.measure;
    let mut tasks = Vec::with_capacity(writers);
    for state in states.into_iter().take(writers) {
        let op = op.clone();
        let state = Arc::new(state);
        tasks.push(tokio::spawn(async move {
            let mut counted = 0u64;
            let mut i = 0u64;
            loop {
                let now = Instant::now();
                if now >= end {
                    return anyhow::Ok(counted);
                }
                op(state.clone(), i).await?;
                i += 1;
                let done = Instant::now();
                if done >= start && done < end {
                    counted += 1;
                }
            }
        }));
    }
    let mut ops = 0;
    for task in tasks {
        ops += task.await.context("writer task panicked")??;
    }
    let seconds = window.measure.as_secs_f64();
    Ok(Throughput { ops, seconds, per_second: ops as f64 / seconds, rounds: Vec::new() })
}

/// A body the size of a real `AccountCreated` payload, so both sides write
/// comparable rows.
pub fn sample_body() -> anyhow::Result<Value> {
    let event = AccountEvent::AccountCreated {
        id: AccountId(1),
        fields: AccountFields {
            name: "Bench account 0000001".into(),
            locale: "en".into(),
            features: onelink_domain::account::default_features(),
            ..AccountFields::default()
        },
    };
    Ok(encode_event(&event)?.1)
}

pub async fn create_raw_table(db: &BenchDb) -> anyhow::Result<()> {
    let mut conn = db.connect().await?;
    sqlx::query(
        "CREATE TABLE bench_raw (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
                                 stream text NOT NULL, body jsonb NOT NULL)",
    )
    .execute(&mut conn)
    .await?;
    Ok(())
}

/// Baseline: autocommit `INSERT INTO bench_raw(stream, body)`, each writer
/// on its own connection.
async fn raw(db: &BenchDb, writers: usize, window: Window, body: &Value) -> anyhow::Result<Throughput> {
    let mut states = Vec::with_capacity(writers);
    for w in 0..writers {
        let conn = db.connect().await?;
        states.push((tokio::sync::Mutex::new(conn), w, body.clone()));
    }
    run_writers(writers, window, states, |state, i| async move {
        let (conn, w, body) = &*state;
        let mut conn = conn.lock().await;
        sqlx::query("INSERT INTO bench_raw (stream, body) VALUES ($1, $2)")
            .bind(format!("raw-{w}-{i}"))
            .bind(body)
            .execute(&mut *conn)
            .await?;
        Ok(())
    })
    .await
}

pub fn commands_for(pool: sqlx::PgPool) -> Commands {
    Commands::new(EventStore::new(pool), SecretBox::from_secret("bench"), PasswordHasher::owasp())
}

/// OneLink: `accounts::create` through the real command path, on a pool of
/// `writers` connections configured like `onelink serve`'s.
async fn onelink(db: &BenchDb, writers: usize, window: Window) -> anyhow::Result<Throughput> {
    let pool = db.pool(u32::try_from(writers)?).await?;
    let commands = commands_for(pool.clone());
    let states = (0..writers).map(|w| (commands.clone(), w)).collect();
    let result = run_writers(writers, window, states, |state, i| async move {
        let (commands, w) = &*state;
        let input = NewAccount { name: Some(format!("Bench account {w}-{i}")), ..NewAccount::default() };
        accounts::create(commands, &CommandContext::system(), input).await.context("accounts::create")?;
        Ok(())
    })
    .await;
    pool.close().await;
    result
}

//! Blue/green rebuild of a projection.
//!
//! 1. Create a shadow schema with empty copies of the projection's tables:
//!    columns, defaults, checks and the key constraints, but not yet the
//!    other indexes (see [`shadow`]).
//! 2. Replay the log into the shadow tables in large batches, with
//!    `search_path` pointing at the shadow schema (the live tables and the
//!    live runner keep serving meanwhile). Only the projection's aggregate
//!    types are read, on a second connection that reads ahead while a batch
//!    is applied; the batches commit asynchronously (a crash loses the
//!    shadow, which the next rebuild drops anyway).
//! 3. Build the remaining indexes, once, over the filled tables.
//! 4. In one transaction: lock the live checkpoint (pausing the live runner),
//!    catch the shadow up to the log horizon, move the live tables out and
//!    the shadow tables in, and set the checkpoint to that horizon.

mod shadow;

use crate::log::{horizon, read_range, RecordedEvent};
use crate::projection::Projection;
use crate::runner::ensure_checkpoint;
use onelink_commands::LogPosition;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection, PgPool};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const REBUILD_BATCH: i64 = 5_000;

#[derive(Debug, Clone)]
pub struct RebuildReport {
    pub projection: &'static str,
    /// Events read and applied (those of the projection's aggregate types).
    pub events: u64,
    pub elapsed: Duration,
    pub position: LogPosition,
}

impl RebuildReport {
    pub fn events_per_second(&self) -> f64 {
        self.events as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

fn shadow_schema(name: &str) -> String {
    format!("onelink_rebuild_{name}")
}

fn retired_schema(name: &str) -> String {
    format!("onelink_retired_{name}")
}

/// Applies the projection's events after `from` in batches of one
/// transaction each, until the log ends. A second connection reads the
/// next batch while this one applies the current one. Returns the position
/// of the last event applied (`from` when none).
async fn replay(
    conn: &mut PgConnection,
    reader: &PgConnectOptions,
    projection: &dyn Projection,
    schema: &str,
    from: LogPosition,
    events: &mut u64,
) -> anyhow::Result<LogPosition> {
    let (send, mut batches) = mpsc::channel::<Vec<RecordedEvent>>(1);
    let types = projection.aggregate_types();
    let mut reader = PgConnection::connect_with(reader).await?;
    let reading = tokio::spawn(async move {
        let mut from = from;
        loop {
            let batch = read_range(&mut reader, from, None, types, REBUILD_BATCH).await?;
            let last = batch.last().map(RecordedEvent::position);
            if send.send(batch).await.is_err() {
                return Ok(());
            }
            match last {
                Some(last) => from = last,
                None => return Ok::<_, sqlx::Error>(()),
            }
        }
    });
    let mut position = from;
    while let Some(batch) = batches.recv().await {
        let Some(last) = batch.last().map(RecordedEvent::position) else { break };
        let mut tx = conn.begin().await?;
        sqlx::query(&format!("SET LOCAL search_path = {schema}, public")).execute(&mut *tx).await?;
        // Losing the last batches in a crash only loses shadow rows.
        sqlx::query("SET LOCAL synchronous_commit = off").execute(&mut *tx).await?;
        projection.apply_batch(&mut tx, &batch).await?;
        tx.commit().await?;
        *events += batch.len() as u64;
        position = last;
    }
    drop(batches);
    reading.await??;
    Ok(position)
}

pub async fn rebuild(pool: &PgPool, projection: &dyn Projection) -> anyhow::Result<RebuildReport> {
    let started = Instant::now();
    let name = projection.name();
    let shadow = shadow_schema(name);
    let retired = retired_schema(name);
    ensure_checkpoint(pool, name).await?;
    let mut conn = PgConnection::connect_with(&pool.connect_options()).await?;

    sqlx::query(&format!("DROP SCHEMA IF EXISTS {shadow} CASCADE")).execute(&mut conn).await?;
    sqlx::query(&format!("DROP SCHEMA IF EXISTS {retired} CASCADE")).execute(&mut conn).await?;
    sqlx::query(&format!("CREATE SCHEMA {shadow}")).execute(&mut conn).await?;
    let deferred = shadow::create_tables(&mut conn, projection.tables(), &shadow).await?;

    let mut events = 0;
    let position =
        replay(&mut conn, &pool.connect_options(), projection, &shadow, LogPosition::START, &mut events)
            .await?;
    shadow::build_indexes(&mut conn, &deferred).await?;

    let mut tx = conn.begin().await?;
    sqlx::query("SELECT 1 FROM projection_checkpoints WHERE name = $1 FOR UPDATE")
        .bind(name)
        .execute(&mut *tx)
        .await?;
    // Everything up to the horizon goes into the shadow now; what commits
    // later is the live runner's, from the checkpoint set below.
    let upto = horizon(&mut *tx).await?.max(position);
    sqlx::query(&format!("SET LOCAL search_path = {shadow}, public")).execute(&mut *tx).await?;
    let mut from = position;
    loop {
        let batch =
            read_range(&mut tx, from, Some(upto), projection.aggregate_types(), REBUILD_BATCH).await?;
        projection.apply_batch(&mut tx, &batch).await?;
        events += batch.len() as u64;
        match batch.last() {
            Some(last) => from = last.position(),
            None => break,
        }
    }
    sqlx::query("SET LOCAL search_path = public").execute(&mut *tx).await?;
    sqlx::query(&format!("CREATE SCHEMA {retired}")).execute(&mut *tx).await?;
    for table in projection.tables() {
        sqlx::query(&format!("ALTER TABLE public.{table} SET SCHEMA {retired}")).execute(&mut *tx).await?;
        sqlx::query(&format!("ALTER TABLE {shadow}.{table} SET SCHEMA public")).execute(&mut *tx).await?;
    }
    sqlx::query(
        "UPDATE projection_checkpoints SET tx = $2::bigint::text::xid8, position = $3, updated_at = now() \
         WHERE name = $1",
    )
    .bind(name)
    .bind(upto.tx)
    .bind(upto.position)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;

    sqlx::query(&format!("DROP SCHEMA {retired} CASCADE")).execute(&mut conn).await?;
    sqlx::query(&format!("DROP SCHEMA {shadow} CASCADE")).execute(&mut conn).await?;
    Ok(RebuildReport { projection: name, events, elapsed: started.elapsed(), position: upto })
}

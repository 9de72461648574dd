//! Rebuild rate: `onelink_projections::rebuild::rebuild` of the `accounts`
//! projection over the whole log, versus a raw full scan of the log.

use anyhow::Context;
use serde_json::Value;
use sqlx::PgPool;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct RebuildResult {
    pub events: u64,
    pub elapsed: Duration,
    pub scan_rows: u64,
    pub scan_elapsed: Duration,
}

impl RebuildResult {
    pub fn events_per_second(&self) -> f64 {
        self.events as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn scan_rows_per_second(&self) -> f64 {
        self.scan_rows as f64 / self.scan_elapsed.as_secs_f64().max(1e-9)
    }
}

async fn full_scan(pool: &PgPool) -> anyhow::Result<u64> {
    let rows: Vec<(Value,)> =
        sqlx::query_as("SELECT payload FROM events ORDER BY tx, global_position").fetch_all(pool).await?;
    Ok(rows.len() as u64)
}

pub async fn run(pool: &PgPool) -> anyhow::Result<RebuildResult> {
    // One untimed pass first: the freshly written rows get their hint bits
    // set here, not inside whichever timed reader happens to run first.
    full_scan(pool).await?;
    let started = Instant::now();
    let scan_rows = full_scan(pool).await?;
    let scan_elapsed = started.elapsed();

    let projection = onelink_projections::registry::find_projection("accounts")
        .context("the accounts projection is not registered")?;
    let started = Instant::now();
    let report = onelink_projections::rebuild::rebuild(pool, &*projection).await?;
    let elapsed = started.elapsed();
    Ok(RebuildResult { events: report.events, elapsed, scan_rows, scan_elapsed })
}

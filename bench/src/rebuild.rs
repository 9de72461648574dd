//! Rebuild rate: `onelink_projections::rebuild::rebuild` of the `accounts`
//! and `conversations` projections over the whole log, versus a raw full
//! scan of the log.
//!
//! Before measuring, `conversations` realistic conversations (12 events of
//! ≈ 0.5 kB each, see `conversation_log`) are appended, so the log holds
//! the accounts of the append step, the long account stream of the latency
//! step, and a conversation log ten times their size. Each projection
//! reads only its aggregate types; the rate is its events over the wall
//! clock of the whole rebuild (shadow tables, replay, index builds, swap).

use anyhow::Context;
use onelink_commands::Commands;
use onelink_domain::ids::AccountId;
use serde_json::Value;
use sqlx::PgPool;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct ProjectionRebuild {
    pub name: &'static str,
    pub events: u64,
    pub elapsed: Duration,
}

impl ProjectionRebuild {
    pub fn events_per_second(&self) -> f64 {
        self.events as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

#[derive(Debug)]
pub struct RebuildResult {
    pub projections: Vec<ProjectionRebuild>,
    /// Rows of the whole log, read by the raw scan.
    pub scan_rows: u64,
    pub scan_elapsed: Duration,
}

impl RebuildResult {
    pub fn scan_rows_per_second(&self) -> f64 {
        self.scan_rows as f64 / self.scan_elapsed.as_secs_f64().max(1e-9)
    }

    /// One line per projection, then the raw scan.
    pub fn describe(&self) -> String {
        let mut lines: Vec<String> = self
            .projections
            .iter()
            .map(|p| {
                format!(
                    "Rebuild `{}`: {} events in {:.2} s = {:.0}/s.",
                    p.name,
                    p.events,
                    p.elapsed.as_secs_f64(),
                    p.events_per_second()
                )
            })
            .collect();
        lines.push(format!(
            "A raw `SELECT payload … ORDER BY tx, global_position` read all {} rows of the log in {:.3} s \
             ({:.0} rows/s).",
            self.scan_rows,
            self.scan_elapsed.as_secs_f64(),
            self.scan_rows_per_second()
        ));
        lines.join("\n")
    }
}

async fn full_scan(pool: &PgPool) -> anyhow::Result<u64> {
    let rows: Vec<(Value,)> =
        sqlx::query_as("SELECT payload FROM events ORDER BY tx, global_position").fetch_all(pool).await?;
    Ok(rows.len() as u64)
}

pub async fn run(commands: &Commands, pool: &PgPool, conversations: i64) -> anyhow::Result<RebuildResult> {
    crate::conversation_log::append(commands, AccountId(8_000_000), 1, conversations).await?;
    sqlx::query("VACUUM ANALYZE events").execute(pool).await?;
    // One untimed pass first: the freshly written rows get their hint bits
    // set here, not inside whichever timed reader happens to run first.
    full_scan(pool).await?;
    let started = Instant::now();
    let scan_rows = full_scan(pool).await?;
    let scan_elapsed = started.elapsed();

    let mut projections = Vec::new();
    for name in ["accounts", "conversations"] {
        let projection = onelink_projections::registry::find_projection(name)
            .with_context(|| format!("the {name} projection is not registered"))?;
        let started = Instant::now();
        let report = onelink_projections::rebuild::rebuild(pool, &*projection).await?;
        projections.push(ProjectionRebuild { name, events: report.events, elapsed: started.elapsed() });
    }
    Ok(RebuildResult { projections, scan_rows, scan_elapsed })
}

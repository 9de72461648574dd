//! The webhook parts of the command line: delivery and egress settings of
//! `onelink serve`, and `onelink webhooks replay`.

use crate::app::connect;
use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use onelink_commands::ssrf::{Cidr, EgressGuard, EgressPolicy, SystemResolver};
use onelink_commands::MIGRATOR;
use onelink_projections::webhooks::replay::{self, ReplayRange};
use onelink_projections::webhooks::schedule::parse_duration;
use onelink_projections::webhooks::{query, DeliveryConfig, RetrySchedule};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Args)]
pub struct WebhookArgs {
    /// Non-public networks webhooks may reach anyway (comma-separated CIDRs,
    /// e.g. `10.1.0.0/16,127.0.0.1/32`).
    #[arg(long, env = "ONELINK_WEBHOOK_ALLOW_CIDRS", value_delimiter = ',', value_parser = parse_cidr)]
    pub webhook_allow_cidrs: Vec<Cidr>,
    /// Whether webhooks may reach public addresses (`false`: only the
    /// allowlisted networks).
    #[arg(long, env = "ONELINK_WEBHOOK_PUBLIC_EGRESS", default_value_t = true, action = clap::ArgAction::Set)]
    pub webhook_public_egress: bool,
    /// Waits between attempts (default 5s,5m,30m,2h,5h,8h,10h).
    #[arg(long, env = "ONELINK_WEBHOOK_RETRY_SCHEDULE", value_parser = RetrySchedule::parse)]
    pub webhook_retry_schedule: Option<RetrySchedule>,
    /// Per-attempt timeout.
    #[arg(long, env = "ONELINK_WEBHOOK_TIMEOUT", default_value = "5s", value_parser = parse_duration)]
    pub webhook_timeout: Duration,
    /// Delivery workers on this node.
    #[arg(long, env = "ONELINK_WEBHOOK_WORKERS", default_value_t = 4)]
    pub webhook_workers: usize,
    /// Disable an endpoint that has failed this long without a success.
    #[arg(long, env = "ONELINK_WEBHOOK_DISABLE_AFTER", default_value = "5d", value_parser = parse_duration)]
    pub webhook_disable_after: Duration,
}

fn parse_cidr(s: &str) -> Result<Cidr, String> {
    s.parse()
}

impl WebhookArgs {
    pub fn delivery(&self) -> DeliveryConfig {
        let defaults = DeliveryConfig::default();
        DeliveryConfig {
            schedule: self.webhook_retry_schedule.clone().unwrap_or(defaults.schedule.clone()),
            timeout: self.webhook_timeout,
            workers: self.webhook_workers,
            disable_after: self.webhook_disable_after,
            ..defaults
        }
    }

    pub fn egress(&self) -> Arc<EgressGuard> {
        let policy =
            EgressPolicy { allow: self.webhook_allow_cidrs.clone(), public: self.webhook_public_egress };
        Arc::new(EgressGuard::new(policy, Arc::new(SystemResolver)))
    }
}

#[derive(Debug, Subcommand)]
pub enum WebhooksCommand {
    /// Send a past range of events to a webhook again, with their original
    /// message ids (running servers deliver them).
    Replay(ReplayArgs),
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The webhook's id.
    #[arg(long)]
    pub webhook: i64,
    /// From this time (RFC 3339).
    #[arg(long, value_parser = parse_time, group = "start")]
    pub since: Option<DateTime<Utc>>,
    /// From this log position (`log_position` in the delivery log).
    #[arg(long, group = "start")]
    pub from_position: Option<i64>,
    /// Up to this time (RFC 3339).
    #[arg(long, value_parser = parse_time)]
    pub until: Option<DateTime<Utc>>,
    /// Up to this log position.
    #[arg(long)]
    pub to_position: Option<i64>,
    /// Only this webhook event (e.g. `contact_created`).
    #[arg(long)]
    pub event: Option<String>,
}

fn parse_time(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s).map(|t| t.to_utc()).map_err(|e| format!("not an RFC 3339 time: {e}"))
}

pub async fn run(cmd: WebhooksCommand, url: &str) -> anyhow::Result<()> {
    let WebhooksCommand::Replay(args) = cmd;
    let pool = connect(url, 2).await?;
    MIGRATOR.run(&pool).await?;
    let webhook = query::find_any(&pool, args.webhook)
        .await?
        .with_context(|| format!("no webhook {}", args.webhook))?;
    let range = ReplayRange {
        since: args.since,
        until: args.until,
        from_position: args.from_position,
        to_position: args.to_position,
        event: args.event,
    };
    replay::check(&webhook, &range)?;
    let report = replay::replay(&pool, &webhook, &range).await?;
    println!(
        "{}",
        serde_json::json!({
            "webhook": webhook.id,
            "account_id": webhook.account_id,
            "queued": report.queued,
            "scanned": report.scanned,
            "next_from_position": report.next_from_position,
        })
    );
    Ok(())
}

//! Conversation listings at scale (issue 4's benchmark): an account with N
//! conversations (generated as events, see [`seed`]) listed, counted,
//! filtered and searched through the HTTP API as its administrator, each
//! request next to its raw-table baseline in the same run (the same page
//! and counts in plain SQL, counting rows as the upstream does); and
//! message-create latency on a conversation with 10 vs 10,000 messages,
//! through the API and as a raw INSERT + UPDATE.

mod cases;
mod seed;
mod server;

use crate::latency::{percentiles, Percentiles};
use crate::pg::BenchDb;
use anyhow::Context;
use serde_json::{json, Value};
use server::Server;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use std::fmt::Write;
use std::time::{Duration, Instant};

pub struct Options {
    pub sizes: Vec<i64>,
    /// Messages per generated conversation.
    pub messages: i64,
    pub samples: usize,
    /// Messages of the long conversation of the message-create step.
    pub long: i64,
}

struct Row {
    name: String,
    onelink: Percentiles,
    raw: Percentiles,
    matches: String,
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

fn all_count(body: &Value) -> String {
    let meta = body.get("data").unwrap_or(body).get("meta");
    meta.and_then(|m| m.get("all_count")).map_or_else(|| "—".to_owned(), Value::to_string)
}

/// Times `samples` runs of the baseline statements of `case`.
async fn time_raw(
    pool: &PgPool,
    case: &cases::Case,
    t: &seed::Tenant,
    samples: usize,
) -> anyhow::Result<Percentiles> {
    let (page, counts) = cases::raw_sql(case);
    let mut times = Vec::with_capacity(samples);
    for i in 0..=samples {
        let started = Instant::now();
        if let Some(page) = &page {
            sqlx::query(page).bind(t.account_id).bind(t.admin_id).fetch_all(pool).await?;
        }
        sqlx::query(&counts).bind(t.account_id).bind(t.admin_id).fetch_one(pool).await?;
        if i > 0 {
            times.push(started.elapsed());
        }
    }
    percentiles(times)
}

async fn time_cases(
    server: &Server,
    raw: &PgPool,
    t: &seed::Tenant,
    samples: usize,
    order: &str,
) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    for case in cases::cases(t, order) {
        let path = format!("/api/v1/accounts/{}/conversations{}", t.account_id, case.path);
        let mut times = Vec::with_capacity(samples);
        let mut matches = String::new();
        for i in 0..=samples {
            let (body, elapsed) =
                server.call(case.method.clone(), &path, &t.admin_token, case.body.as_ref()).await?;
            if i == 0 {
                matches = all_count(&body);
            } else {
                times.push(elapsed);
            }
        }
        let onelink = percentiles(times)?;
        let raw = time_raw(raw, &case, t, samples).await?;
        eprintln!(
            "  {}: {} / {} ms (raw {} / {} ms)",
            case.name,
            ms(onelink.p50),
            ms(onelink.p95),
            ms(raw.p50),
            ms(raw.p95)
        );
        rows.push(Row { name: case.name, onelink, raw, matches });
    }
    Ok(rows)
}

/// The raw baseline of a message create: the message row and the
/// conversation's counters in one transaction.
async fn raw_message(pool: &PgPool, account: i64, display: i64) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO messages (account_id, id, conversation_id, display_id, inbox_id, message_type, content, \
           content_type, private, status, created_at, updated_at) \
         SELECT account_id, nextval('message_ids'), id, display_id, inbox_id, 1, 'raw baseline reply', 'text', \
           false, 'sent', now(), now() FROM conversations WHERE account_id = $1 AND display_id = $2",
    )
    .bind(account)
    .bind(display)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE conversations SET message_count = message_count + 1, last_activity_at = now(), updated_at = now() \
         WHERE account_id = $1 AND display_id = $2",
    )
    .bind(account)
    .bind(display)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Message create on the short and the long conversation, interleaved,
/// through the API and raw; rows for the table.
async fn time_messages(
    server: &Server,
    raw: &PgPool,
    t: &seed::Tenant,
    s: &seed::Seeded,
    samples: usize,
) -> anyhow::Result<Vec<Row>> {
    let mut api = [Vec::new(), Vec::new()];
    let mut plain = [Vec::new(), Vec::new()];
    let probes = [s.short, s.long];
    for i in 0..samples + 5 {
        for (k, probe) in probes.iter().enumerate() {
            let path =
                format!("/api/v1/accounts/{}/conversations/{}/messages", t.account_id, probe.display_id);
            let body = json!({"content": format!("Bench reply {i}"), "message_type": "outgoing"});
            let (_, elapsed) = server.call(reqwest::Method::POST, &path, &t.admin_token, Some(&body)).await?;
            let started = Instant::now();
            raw_message(raw, t.account_id, probe.display_id).await?;
            // the first ones load the long stream and take its snapshot
            if i >= 5 {
                api[k].push(elapsed);
                plain[k].push(started.elapsed());
            }
        }
    }
    let [api_short, api_long] = api;
    let [raw_short, raw_long] = plain;
    let (api_short, api_long) = (percentiles(api_short)?, percentiles(api_long)?);
    let (raw_short, raw_long) = (percentiles(raw_short)?, percentiles(raw_long)?);
    let ratio = |long: &Percentiles, short: &Percentiles| long.p50.as_secs_f64() / short.p50.as_secs_f64();
    Ok(vec![
        Row {
            name: format!("message create, conversation with {} messages", s.short.messages),
            onelink: api_short,
            raw: raw_short,
            matches: "—".into(),
        },
        Row {
            name: format!("message create, conversation with {} messages", s.long.messages),
            onelink: api_long,
            raw: raw_long,
            matches: format!(
                "p50 ratio long/short: {:.2}× (raw {:.2}×)",
                ratio(&api_long, &api_short),
                ratio(&raw_long, &raw_short)
            ),
        },
    ])
}

/// Runs every size and returns the printed report.
pub async fn run(db: &BenchDb, database_url: &str, options: &Options) -> anyhow::Result<String> {
    let mut report = String::new();
    // bulk work (appends, rebuild, index builds) runs past the API pool's
    // statement timeout
    let bulk = PgPoolOptions::new().max_connections(4).connect_with(db.options.clone()).await?;
    let raw = db.pool(4).await?;
    for &size in &options.sizes {
        eprintln!("conversations: seeding an account for {size} conversations…");
        let server = Server::start(database_url).await?;
        let tenant = seed::tenant(&server, &format!("Bench {size}")).await?;
        server.stop().await?;
        let commands = crate::append::commands_for(bulk.clone());
        let seeded =
            seed::conversations(&commands, &bulk, &tenant, size, options.messages, options.long).await?;
        let messages: i64 = sqlx::query_scalar("SELECT count(*) FROM messages WHERE account_id = $1")
            .bind(tenant.account_id)
            .fetch_one(&bulk)
            .await?;
        writeln!(
            report,
            "\n### {size} conversations, {messages} messages in the account\n\n\
             {} events appended in {:.0} s ({:.0}/s); `conversations` rebuilt ({} events) in {:.0} s ({:.0}/s).\n",
            seeded.events,
            seeded.appended.as_secs_f64(),
            seeded.events as f64 / seeded.appended.as_secs_f64(),
            seeded.rebuilt_events,
            seeded.rebuilt.as_secs_f64(),
            seeded.rebuilt_events as f64 / seeded.rebuilt.as_secs_f64()
        )?;
        eprintln!("conversations: timing {} samples per request…", options.samples);
        let server = Server::start(database_url).await?;
        let order = format!("ORD-{:08}", size / 2 + 1);
        let mut rows = time_cases(&server, &raw, &tenant, options.samples, &order).await?;
        rows.extend(time_messages(&server, &raw, &tenant, &seeded, options.samples).await?);
        server.stop().await.context("stopping the server")?;
        writeln!(
            report,
            "| request | OneLink HTTP p50 / p95 (ms) | raw tables p50 / p95 (ms) | all_count |"
        )?;
        writeln!(report, "|---|---:|---:|---|")?;
        for row in rows {
            writeln!(
                report,
                "| {} | {} / {} | {} / {} | {} |",
                row.name,
                ms(row.onelink.p50),
                ms(row.onelink.p95),
                ms(row.raw.p50),
                ms(row.raw.p95),
                row.matches
            )?;
        }
    }
    raw.close().await;
    bulk.close().await;
    Ok(report)
}

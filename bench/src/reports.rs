//! Report cost versus account size (issue 7's benchmark), and the rebuild
//! rate of the `reports` projection.
//!
//! * Query scaling: an account with N conversations and 10·N messages
//!   (13 facts per conversation: creation, 5 incoming, 5 outgoing, a first
//!   response, a resolution, spread over 180 days) is written straight
//!   into `report_facts` and `report_hourly` in the shape the projection
//!   writes (account, inbox and agent scopes), by SQL, because pushing 11 M
//!   events through the projection would take this machine hours. The
//!   timed requests run the API's own query (`reports::query::totals`): a
//!   30-day summary with its previous period and mid-hour edges, and a
//!   90-day daily timeseries in UTC and in UTC+05:30 (every day boundary
//!   mid-hour, so every bucket has edge facts). Baseline in the same run:
//!   the same 90 days summed straight from the facts, O(rows).
//! * Rebuild: real conversation events (created, 10 messages, resolved)
//!   appended to the log, then `rebuild reports`, in events/s.

use crate::pg::BenchDb;
use anyhow::Context;
use chrono::{DateTime, Duration as Span, FixedOffset, Utc};
use onelink_commands::Commands;
use onelink_domain::ids::AccountId;
use onelink_domain::report::Metric;
use onelink_projections::reports::buckets::{buckets, GroupBy};
use onelink_projections::reports::query::totals;
use onelink_projections::reports::Scope;
use sqlx::{PgConnection, PgPool};
use std::fmt::Write;
use std::future::Future;
use std::time::{Duration, Instant};

const DAYS: i64 = 180;

fn origin() -> DateTime<Utc> {
    "2026-01-01T00:00:00Z".parse().expect("a time")
}

/// Facts and hourly rows for `conversations` conversations of `account`.
async fn fill(conn: &mut PgConnection, account: i64, conversations: i64) -> anyhow::Result<()> {
    // 13 facts per conversation c, created at origin + c·(180 days / N)
    sqlx::query(
        "INSERT INTO report_facts (account_id, conversation_id, metric, at, value_us, value_bh_us, user_id, inbox_id) \
         SELECT $1, c, k.metric, $2 + (c * $3 / $4) * interval '1 second' + k.after * interval '1 minute', \
                k.value, k.value / 2, CASE WHEN k.by_agent THEN c % 20 + 1 END, c % 5 + 1 \
         FROM generate_series(1, $4) AS c \
         CROSS JOIN (VALUES (1::smallint, 0, 0::bigint, false), \
                            (2, 0, 0, false), (2, 10, 0, false), (2, 20, 0, false), (2, 30, 0, false), (2, 40, 0, false), \
                            (3, 5, 0, true), (3, 15, 0, true), (3, 25, 0, true), (3, 35, 0, true), (3, 45, 0, true), \
                            (5, 5, 300000000, true), (4, 60, 3600000000, true)) AS k(metric, after, value, by_agent)",
    )
    .bind(account)
    .bind(origin())
    .bind(DAYS * 86_400)
    .bind(conversations)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO report_hourly (account_id, scope, key, metric, hour, count, sum_us, sum_bh_us) \
         SELECT f.account_id, s.scope, s.key, f.metric, floor(extract(epoch FROM f.at) / 3600)::bigint, \
                count(*), sum(f.value_us), sum(f.value_bh_us) \
         FROM report_facts f \
         CROSS JOIN LATERAL (VALUES (0::smallint, ''), (2::smallint, f.inbox_id::text), \
                                    (1::smallint, f.user_id::text)) AS s(scope, key) \
         WHERE f.account_id = $1 AND s.key IS NOT NULL \
         GROUP BY 1, 2, 3, 4, 5",
    )
    .bind(account)
    .execute(&mut *conn)
    .await?;
    sqlx::query("ANALYZE report_facts").execute(&mut *conn).await?;
    sqlx::query("ANALYZE report_hourly").execute(&mut *conn).await?;
    Ok(())
}

/// p50 and p95 (nearest rank) of `samples` runs after one warm-up.
async fn time<F, Fut>(samples: usize, mut run: F) -> anyhow::Result<(Duration, Duration)>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    run().await?;
    let mut times = Vec::with_capacity(samples);
    for _ in 0..samples {
        let started = Instant::now();
        run().await?;
        times.push(started.elapsed());
    }
    times.sort();
    let rank = |q: f64| times[((q * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
    Ok((rank(0.5), rank(0.95)))
}

struct Case {
    name: &'static str,
    /// p50, p95 per size.
    times: Vec<(Duration, Duration)>,
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

async fn cases_for(
    pool: &PgPool,
    account: i64,
    samples: usize,
) -> anyhow::Result<Vec<(&'static str, (Duration, Duration))>> {
    let end = origin() + Span::days(DAYS);
    let scope = Scope::Account;
    let metrics = [
        Metric::ConversationCreated,
        Metric::IncomingMessage,
        Metric::OutgoingMessage,
        Metric::FirstResponse,
        Metric::Resolved,
    ];
    let mut out = Vec::new();
    // 30-day summary + previous period, cut 17 minutes into an hour
    let since = end - Span::days(30) - Span::minutes(17);
    let summary = [(since - Span::days(30), since), (since, end)];
    out.push((
        "summary, 30 days + previous",
        time(samples, || async {
            totals(pool, account, &scope, &metrics, &summary).await.map(|_| ()).map_err(Into::into)
        })
        .await?,
    ));
    for (name, offset) in [("90-day series by day, UTC", 0), ("90-day series by day, UTC+05:30", 19_800)] {
        let offset = FixedOffset::east_opt(offset).context("offset")?;
        let intervals: Vec<_> = buckets(end - Span::days(90), end, GroupBy::Day, offset)?
            .iter()
            .map(|b| (b.from, b.to))
            .collect();
        let t = time(samples, || async {
            totals(pool, account, &scope, &[Metric::IncomingMessage], &intervals)
                .await
                .map(|_| ())
                .map_err(Into::into)
        })
        .await?;
        out.push((name, t));
    }
    let t = time(samples, || async {
        sqlx::query(
            "SELECT metric, count(*), sum(value_us) FROM report_facts \
             WHERE account_id = $1 AND metric = ANY($2) AND at >= $3 AND at < $4 GROUP BY metric",
        )
        .bind(account)
        .bind(metrics.iter().map(|m| m.code()).collect::<Vec<_>>())
        .bind(end - Span::days(90))
        .bind(end)
        .fetch_all(pool)
        .await?;
        Ok(())
    })
    .await?;
    out.push(("baseline: 90 days summed from the facts", t));
    Ok(out)
}

/// Runs both parts and returns the printed report.
pub async fn run(
    commands: &Commands,
    db: &BenchDb,
    pool: &PgPool,
    sizes: &[i64],
    samples: usize,
    log: i64,
) -> anyhow::Result<String> {
    // bulk fills run longer than the API pool's statement timeout
    let mut conn = db.connect().await?;
    let mut cases: Vec<Case> = Vec::new();
    for (i, &size) in sizes.iter().enumerate() {
        let account = 1_000 + i as i64;
        eprintln!("reports: filling {size} conversations ({} facts)…", size * 13);
        let started = Instant::now();
        fill(&mut conn, account, size).await?;
        eprintln!("reports: filled in {:.1} s; timing…", started.elapsed().as_secs_f64());
        for (j, (name, t)) in cases_for(pool, account, samples).await?.into_iter().enumerate() {
            if i == 0 {
                cases.push(Case { name, times: Vec::new() });
            }
            cases[j].times.push(t);
        }
    }
    eprintln!("reports: appending {log} conversations to the log…");
    let events = crate::conversation_log::append(commands, AccountId(9_000_000), 1, log).await?;
    let projection = onelink_projections::registry::find_projection("reports")
        .context("the reports projection is not registered")?;
    let started = Instant::now();
    let rebuilt = onelink_projections::rebuild::rebuild(pool, &*projection).await?;
    let elapsed = started.elapsed();

    let mut out = String::new();
    writeln!(out, "Report latency (p50 / p95 of {samples} runs) by conversations in the account")?;
    let head: Vec<String> = sizes.iter().map(|s| format!("{s} conv.")).collect();
    writeln!(out, "| request | {} | ratio p95 largest/smallest |", head.join(" | "))?;
    writeln!(out, "|---|{}---|", "---|".repeat(sizes.len()))?;
    for case in &cases {
        let cells: Vec<String> =
            case.times.iter().map(|(p50, p95)| format!("{} / {}", ms(*p50), ms(*p95))).collect();
        let ratio = match (case.times.first(), case.times.last()) {
            (Some(small), Some(large)) => large.1.as_secs_f64() / small.1.as_secs_f64().max(1e-9),
            _ => 0.0,
        };
        writeln!(out, "| {} | {} | {ratio:.2}× |", case.name, cells.join(" | "))?;
    }
    writeln!(
        out,
        "\nreports rebuild: {} events ({events} appended) in {:.2} s = {:.0} events/s",
        rebuilt.events,
        elapsed.as_secs_f64(),
        rebuilt.events as f64 / elapsed.as_secs_f64().max(1e-9)
    )?;
    Ok(out)
}

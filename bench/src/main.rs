//! `onelink-bench`: OneLink's event store and projections measured against
//! plain-Postgres baselines taken in the same run on the same cluster.
//!
//! 1. Append throughput, 1 and N writers: `accounts::create` vs raw INSERTs.
//! 2. Command latency on a 10,000-event stream vs a 10-event stream.
//! 3. Rebuild rate of the `accounts` projection vs a raw scan of the log.
//!
//! With `DATABASE_URL` (a maintenance database) the run uses a fresh
//! `bench_<random>` database on that cluster; otherwise it starts a
//! throw-away cluster. Either is removed at the end.

mod append;
mod contacts;
mod conversation_log;
mod conversations;
mod latency;
mod pg;
mod rebuild;
mod report;
mod reports;

use anyhow::Context;
use append::Window;
use clap::Parser;
use pg::{BenchDb, Cluster};
use report::{Machine, Results};
use sqlx::postgres::PgConnectOptions;
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(name = "onelink-bench", about = "Measures OneLink's event store against raw Postgres")]
struct Args {
    /// Shrink every size for a smoke run (1 s runs, 1,000-event stream).
    #[arg(long)]
    quick: bool,
    /// Concurrent writers of the second append run.
    #[arg(long, default_value_t = 16)]
    writers: usize,
    /// Timed seconds per side and concurrency, split into alternating
    /// rounds (default 5 s in 5 rounds; 1 s in 2 rounds with --quick).
    #[arg(long)]
    seconds: Option<f64>,
    /// Build the long stream with update commands only, instead of bulk
    /// appends followed by 100 update commands.
    #[arg(long)]
    build_with_commands: bool,
    /// Run only the contact listing benchmark, at these account sizes
    /// (comma-separated, e.g. `10000,1000000`).
    #[arg(long, value_delimiter = ',')]
    contacts: Option<Vec<i64>>,
    /// Run only the reports benchmark, at these numbers of conversations
    /// (comma-separated, e.g. `100000,1000000`).
    #[arg(long, value_delimiter = ',')]
    reports: Option<Vec<i64>>,
    /// Run only the conversation listing benchmark, at these numbers of
    /// conversations in one account (comma-separated, e.g.
    /// `100000,1000000`).
    #[arg(long, value_delimiter = ',')]
    conversations: Option<Vec<i64>>,
    /// Messages per generated conversation of the conversations benchmark.
    #[arg(long, default_value_t = 4)]
    conversation_messages: i64,
    /// Timed runs per request of the conversations benchmark.
    #[arg(long, default_value_t = 30)]
    conversation_samples: usize,
    /// Keep the benchmark database (print its name) instead of dropping it.
    #[arg(long)]
    keep_database: bool,
    /// Conversations (12 events each) appended for the reports rebuild.
    #[arg(long, default_value_t = 5_000)]
    reports_log: i64,
    /// Conversations (12 events each) appended before the rebuild step
    /// (default 20,000; 2,000 with --quick).
    #[arg(long)]
    rebuild_log: Option<i64>,
    /// Run only the rebuild step (on a log of just the conversations).
    #[arg(long)]
    only_rebuild: bool,
    /// Timed runs per report request.
    #[arg(long, default_value_t = 20)]
    report_samples: usize,
    /// Timed runs per contact listing request.
    #[arg(long, default_value_t = 30)]
    contact_samples: usize,
    /// A maintenance database of the cluster to use; unset = throw-away
    /// cluster.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
}

struct Sizes {
    /// One round of one side; each side runs `rounds` of them.
    window: Window,
    rounds: usize,
    short_len: i64,
    long_len: i64,
    samples: usize,
}

impl Args {
    fn rebuild_conversations(&self) -> i64 {
        self.rebuild_log.unwrap_or(if self.quick { 2_000 } else { 20_000 })
    }

    fn sizes(&self) -> Sizes {
        let (seconds, rounds, long_len, samples) =
            if self.quick { (1.0, 2, 1_000, 50) } else { (5.0, 5, 10_000, 300) };
        let seconds = self.seconds.unwrap_or(seconds);
        Sizes {
            window: Window {
                warm_up: Duration::from_millis(300),
                measure: Duration::from_secs_f64(seconds / rounds as f64),
            },
            rounds,
            short_len: 10,
            long_len,
            samples,
        }
    }
}

fn memory() -> String {
    let total_kib = std::fs::read_to_string("/proc/meminfo").ok().and_then(|text| {
        text.lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
    });
    total_kib.map_or_else(|| "unknown".to_owned(), |k| format!("{:.0} GiB", k / 1_048_576.0))
}

async fn measure(args: &Args, db: &BenchDb) -> anyhow::Result<(Results, String)> {
    let sizes = args.sizes();
    let n = args.writers.max(1);
    let mut conn = db.connect().await?;
    let server_version: String = sqlx::query_scalar("SHOW server_version").fetch_one(&mut conn).await?;
    append::create_raw_table(db).await?;
    let body = append::sample_body()?;

    eprintln!("append: raw INSERT vs accounts::create, 1 writer, {} rounds…", sizes.rounds);
    let (raw_c1, onelink_c1) = append::compare(db, 1, sizes.window, sizes.rounds, &body).await?;
    eprintln!("append: raw INSERT vs accounts::create, {n} writers, {} rounds…", sizes.rounds);
    let (raw_cn, onelink_cn) = append::compare(db, n, sizes.window, sizes.rounds, &body).await?;

    let pool = db.pool(4).await?;
    let commands = append::commands_for(pool.clone());
    eprintln!(
        "latency: building a {}-event stream, then {} updates per stream…",
        sizes.long_len, sizes.samples
    );
    let latency =
        latency::run(&commands, sizes.short_len, sizes.long_len, sizes.samples, !args.build_with_commands)
            .await?;
    let conversations = args.rebuild_conversations();
    eprintln!(
        "rebuild: appending {conversations} conversations, then rebuilding accounts and conversations…"
    );
    let rebuild = rebuild::run(&commands, &pool, conversations).await?;
    pool.close().await;

    Ok((
        Results {
            writers: n,
            seconds: sizes.window.measure.as_secs_f64() * sizes.rounds as f64,
            rounds: sizes.rounds,
            raw_c1,
            onelink_c1,
            raw_cn,
            onelink_cn,
            latency,
            rebuild,
        },
        server_version,
    ))
}

/// `admin_url` with its database replaced by `name`.
fn database_url(admin_url: &str, name: &str) -> anyhow::Result<String> {
    let mut url = url::Url::parse(admin_url).context("not a URL")?;
    url.set_path(&format!("/{name}"));
    Ok(url.to_string())
}

async fn run_on(
    args: &Args,
    admin: &PgConnectOptions,
    admin_url: &str,
    cluster: &'static str,
) -> anyhow::Result<()> {
    let db = BenchDb::create(admin).await?;
    eprintln!("database {} created and migrated", db.name);
    if let Some(sizes) = &args.conversations {
        let options = conversations::Options {
            sizes: sizes.clone(),
            messages: args.conversation_messages,
            samples: args.conversation_samples,
            long: 10_000,
        };
        let measured = conversations::run(&db, &database_url(admin_url, &db.name)?, &options).await;
        if args.keep_database {
            eprintln!("database {} kept", db.name);
        } else {
            db.drop_database().await?;
        }
        println!("{}", measured?);
        return Ok(());
    }
    if let Some(sizes) = &args.reports {
        let pool = db.pool(4).await?;
        let commands = append::commands_for(pool.clone());
        let measured =
            reports::run(&commands, &db, &pool, sizes, args.report_samples, args.reports_log).await;
        pool.close().await;
        let dropped = db.drop_database().await;
        println!("{}", measured?);
        return dropped;
    }
    if args.only_rebuild {
        let pool = db.pool(4).await?;
        let commands = append::commands_for(pool.clone());
        let measured = rebuild::run(&commands, &pool, args.rebuild_conversations()).await;
        pool.close().await;
        let dropped = db.drop_database().await;
        println!("{}", measured?.describe());
        return dropped;
    }
    if let Some(sizes) = &args.contacts {
        let pool = db.pool(4).await?;
        let commands = append::commands_for(pool.clone());
        let measured = contacts::run(&commands, &pool, sizes, args.contact_samples).await;
        pool.close().await;
        let dropped = db.drop_database().await;
        println!("{}", measured?);
        return dropped;
    }
    let measured = tokio::select! {
        measured = measure(args, &db) => measured,
        _ = tokio::signal::ctrl_c() => Err(anyhow::anyhow!("interrupted")),
    };
    let dropped = db.drop_database().await;
    let (results, server_version) = measured?;
    dropped?;
    let machine = Machine {
        nproc: std::thread::available_parallelism().map_or(0, |n| n.get()),
        memory: memory(),
        server_version,
        cluster,
        date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
    };
    println!("{}", results.table(&machine));
    println!("{}", results.summary());
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    match &args.database_url {
        Some(url) => {
            let admin = pg::admin_from_url(url)?;
            run_on(&args, &admin, url, "DATABASE_URL cluster").await
        }
        None => {
            let cluster = Cluster::start().await.context("starting a throw-away cluster")?;
            let result =
                run_on(&args, &cluster.admin, &cluster.url, "throw-away cluster, default settings").await;
            let stopped = cluster.stop().await;
            result?;
            stopped
        }
    }
}

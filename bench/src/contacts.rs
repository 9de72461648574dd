//! Contact listing latency versus account size (issue 3's benchmark): the
//! same list / search / filter requests on an account with a small and one
//! with a large number of contacts, through the queries the API runs
//! (`onelink_projections::contacts::query::list`, page and count).
//!
//! Contacts are written as `ContactCreated` events through
//! `EventStore::append` in batches of 1,000 streams (the bulk path; no
//! e-mail claims), and the `contacts` read model is built by rebuilding the
//! `contacts` projection, whose rate is reported too.

use anyhow::Context;
use cqrs_es::{Aggregate, DomainEvent};
use onelink_commands::store::{encode_event, NewEvent, StreamAppend};
use onelink_commands::{accounts, CommandContext, Commands};
use onelink_domain::account::NewAccount;
use onelink_domain::contact::{Contact, ContactEvent, ContactFields, ContactType};
use onelink_domain::ids::{AccountId, ContactId};
use onelink_projections::contacts::filter;
use onelink_projections::contacts::query::{list, parse_sort, Listing, Resolved};
use serde_json::{json, Map, Value};
use sqlx::PgPool;
use std::fmt::Write;
use std::time::{Duration, Instant};

const BATCH: i64 = 1_000;
const CITIES: [&str; 10] =
    ["Paris", "Berlin", "Lisbon", "Madrid", "Rome", "Oslo", "Vienna", "Prague", "Dublin", "Athens"];

fn contact(account_id: AccountId, id: i64) -> ContactEvent {
    let mut additional = Map::new();
    additional.insert("city".into(), json!(CITIES[(id % 10) as usize]));
    additional.insert("company_name".into(), json!(format!("Company {}", id % 1_000)));
    ContactEvent::ContactCreated {
        id: ContactId(id),
        account_id,
        fields: ContactFields {
            name: format!("Contact {id}"),
            email: Some(format!("contact{id}@example.com")),
            phone_number: Some(format!("+1555{id:08}")),
            identifier: None,
            blocked: false,
            additional_attributes: additional,
            custom_attributes: Map::new(),
            contact_type: ContactType::Visitor,
        },
    }
}

/// A new account with `size` contacts in the log; returns it and its
/// first contact id.
async fn seed(commands: &Commands, size: i64) -> anyhow::Result<(AccountId, i64)> {
    let input = NewAccount { name: Some(format!("Contacts {size}")), ..NewAccount::default() };
    let account = accounts::create(commands, &CommandContext::system(), input).await?.value;
    let ids = append(commands, account, size).await?;
    Ok((account, ids.first().copied().unwrap_or_default()))
}

/// Appends `size` `ContactCreated` events to `account` (ids from the
/// `contact_ids` sequence), 1,000 streams per append; returns the ids.
pub async fn append(commands: &Commands, account: AccountId, size: i64) -> anyhow::Result<Vec<i64>> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT nextval('contact_ids') FROM generate_series(1, $1)")
        .bind(size)
        .fetch_all(commands.store.pool())
        .await?;
    for chunk in ids.chunks(BATCH as usize) {
        let mut appends = Vec::with_capacity(chunk.len());
        for id in chunk {
            let event = contact(account, *id);
            let (event_type, payload) = encode_event(&event)?;
            appends.push(StreamAppend {
                aggregate_type: Contact::TYPE,
                aggregate_id: id.to_string(),
                account_id: Some(account.0),
                expected_version: 0,
                events: vec![NewEvent { event_type, event_version: event.event_version(), payload }],
            });
        }
        commands.store.append(&appends, &CommandContext::system()).await?;
    }
    Ok(ids)
}

struct Case {
    name: &'static str,
    search: Option<String>,
    filter: Option<Value>,
    sort: &'static str,
    page: i64,
}

/// The requests, for an account whose contact ids start at `first`.
fn cases(first: i64, size: i64) -> Vec<Case> {
    let someone = first + size / 2;
    vec![
        Case { name: "list, page 1 by name", search: None, filter: None, sort: "name", page: 1 },
        Case {
            name: "list, page 1 by last activity",
            search: None,
            filter: None,
            sort: "-last_activity_at",
            page: 1,
        },
        Case { name: "list, page 200 by name", search: None, filter: None, sort: "name", page: 200 },
        Case {
            name: "list, page 1 by e-mail descending",
            search: None,
            filter: None,
            sort: "-email",
            page: 1,
        },
        Case {
            name: "search q=<one contact's e-mail>",
            search: Some(format!("contact{someone}@")),
            filter: None,
            sort: "",
            page: 1,
        },
        Case {
            name: "search q=\"Company 42\" (1.1 % of the contacts)",
            search: Some("Company 42".into()),
            filter: None,
            sort: "name",
            page: 1,
        },
        Case {
            name: "filter city = berlin",
            search: None,
            filter: Some(
                json!([{"attribute_key": "city", "filter_operator": "equal_to", "values": ["berlin"], "query_operator": null}]),
            ),
            sort: "",
            page: 1,
        },
        Case {
            name: "filter email = one address",
            search: None,
            filter: Some(
                json!([{"attribute_key": "email", "filter_operator": "equal_to", "values": [format!("contact{someone}@example.com")], "query_operator": null}]),
            ),
            sort: "",
            page: 1,
        },
    ]
}

/// p50 and p95 (nearest rank) of `samples` runs of the case.
async fn time_case(
    pool: &PgPool,
    account: AccountId,
    case: &Case,
    samples: usize,
) -> anyhow::Result<(Duration, Duration, i64)> {
    let parsed = match &case.filter {
        Some(payload) => Some(filter::parse(Some(payload), &[], chrono::Utc::now().date_naive())?),
        None => None,
    };
    let sort = parse_sort(case.sort);
    let listing = Listing {
        account_id: account.0,
        resolved: Resolved::Reachable,
        labels: &[],
        search: case.search.as_deref(),
        filter: parsed.as_ref(),
        sort: &sort,
        page: case.page,
    };
    let mut times = Vec::with_capacity(samples);
    let mut count = 0;
    list(pool, &listing).await?; // warm-up
    for _ in 0..samples {
        let started = Instant::now();
        count = list(pool, &listing).await?.count;
        times.push(started.elapsed());
    }
    times.sort();
    let rank = |q: f64| times[((q * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
    Ok((rank(0.5), rank(0.95), count))
}

/// Runs the benchmark for each size and returns the printed report.
pub async fn run(
    commands: &Commands,
    pool: &PgPool,
    sizes: &[i64],
    samples: usize,
) -> anyhow::Result<String> {
    let mut report = String::new();
    let mut results: Vec<Vec<(Duration, Duration, i64)>> = Vec::new();
    let projection =
        onelink_projections::registry::find_projection("contacts").context("no contacts projection")?;
    for &size in sizes {
        eprintln!("contacts: seeding {size} contacts…");
        let started = Instant::now();
        let (account, first) = seed(commands, size).await?;
        let seeded = started.elapsed();
        eprintln!("contacts: rebuilding the contacts projection…");
        let started = Instant::now();
        let rebuilt = onelink_projections::rebuild::rebuild(pool, &*projection).await?;
        let elapsed = started.elapsed();
        sqlx::query("ANALYZE contacts").execute(pool).await?;
        writeln!(
            report,
            "{size} contacts: appended in {:.1} s ({:.0} events/s); contacts projection rebuilt {} events in {:.1} s ({:.0} events/s)",
            seeded.as_secs_f64(),
            size as f64 / seeded.as_secs_f64(),
            rebuilt.events,
            elapsed.as_secs_f64(),
            rebuilt.events as f64 / elapsed.as_secs_f64().max(1e-9)
        )?;
        let mut row = Vec::new();
        for case in cases(first, size) {
            row.push(time_case(pool, account, &case, samples).await?);
        }
        results.push(row);
    }
    writeln!(
        report,
        "\n| request | {} | ratio (largest / smallest, p50) |",
        sizes.iter().map(|s| format!("{s} contacts: p50 / p95 (matches)")).collect::<Vec<_>>().join(" | ")
    )?;
    writeln!(report, "|---|{}---|", "---|".repeat(sizes.len()))?;
    for (i, case) in cases(0, 0).iter().enumerate() {
        let cells: Vec<String> = results
            .iter()
            .map(|r| {
                format!(
                    "{:.2} / {:.2} ms ({})",
                    r[i].0.as_secs_f64() * 1e3,
                    r[i].1.as_secs_f64() * 1e3,
                    r[i].2
                )
            })
            .collect();
        let ratio = results.last().map_or(0.0, |l| l[i].0.as_secs_f64())
            / results.first().map_or(1.0, |f| f[i].0.as_secs_f64().max(1e-9));
        writeln!(report, "| {} | {} | {ratio:.2}× |", case.name, cells.join(" | "))?;
    }
    Ok(report)
}

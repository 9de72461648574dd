//! The benchmark's account: a tenant made through the API (platform app,
//! account, an administrator and agents, API inboxes) and contacts as
//! events while the server runs; then, with the server stopped, N
//! conversations written straight into the log as the real event types
//! (`EventStore::append` in batches of 200 streams), the conversations
//! projection rebuilt over them and every other subscriber moved past
//! them (they would otherwise spend the measurement folding them).

use super::server::Server;
use crate::conversation_log::{origin, stream_append, text_message, LINES};
use anyhow::Context;
use chrono::Duration as Span;
use onelink_commands::{platform_apps, CommandContext, Commands};
use onelink_domain::conversation::{Assignee, ConversationEvent, Priority, Status};
use onelink_domain::ids::{AccountId, ContactId, ConversationId, DisplayId, InboxId, UserId};
use serde_json::json;
use sqlx::PgPool;
use std::time::{Duration, Instant};

/// Labels and the share of conversations carrying each.
pub const LABELS: [(&str, i64); 3] = [("billing", 5), ("vip", 7), ("support", 3)];
const AGENTS: usize = 5;
const CONTACTS: i64 = 1_000;
const STREAMS_PER_APPEND: usize = 200;
/// Messages per append when building the long conversation.
const LONG_BATCH: i64 = 1_000;

pub struct Tenant {
    pub account_id: i64,
    pub admin_id: i64,
    pub admin_token: String,
    /// The administrator first, then the agents.
    pub users: Vec<i64>,
    pub inboxes: Vec<i64>,
    pub contacts: Vec<i64>,
}

/// A conversation built for the message-create latency step.
#[derive(Debug, Clone, Copy)]
pub struct Probe {
    pub display_id: i64,
    pub messages: i64,
}

pub struct Seeded {
    pub short: Probe,
    pub long: Probe,
    pub events: u64,
    pub appended: Duration,
    pub rebuilt_events: u64,
    pub rebuilt: Duration,
}

/// The account, its users, inboxes and contacts, through the running server.
pub async fn tenant(server: &Server, name: &str) -> anyhow::Result<Tenant> {
    let ctx = CommandContext::system();
    let (_, platform) = platform_apps::create(&server.commands, &ctx, format!("{name} platform app"))
        .await
        .context("creating the platform app")?
        .value;
    settle(server.commands.store.pool()).await?;
    let account = server.post("/platform/api/v1/accounts", &platform, json!({"name": name})).await?;
    let account_id = account["id"].as_i64().context("account id")?;
    let mut users = Vec::new();
    let mut admin_token = String::new();
    for i in 0..=AGENTS {
        let role = if i == 0 { "administrator" } else { "agent" };
        let email = format!("bench-{}-{i}@example.com", uuid::Uuid::new_v4().simple());
        let user = server
            .post(
                "/platform/api/v1/users",
                &platform,
                json!({"name": format!("Bench user {i}"), "email": email, "password": "Passw0rd!bench"}),
            )
            .await?;
        let id = user["id"].as_i64().context("user id")?;
        server
            .post(
                &format!("/platform/api/v1/accounts/{account_id}/account_users"),
                &platform,
                json!({"user_id": id, "role": role}),
            )
            .await?;
        if i == 0 {
            admin_token = user["access_token"].as_str().context("access token")?.to_owned();
        }
        users.push(id);
    }
    let mut inboxes = Vec::new();
    for i in 0..3 {
        let inbox = server
            .post(
                &format!("/api/v1/accounts/{account_id}/inboxes"),
                &admin_token,
                json!({"name": format!("Bench inbox {i}"), "channel": {"type": "api"}}),
            )
            .await?;
        inboxes.push(inbox["id"].as_i64().context("inbox id")?);
    }
    let contacts = crate::contacts::append(&server.commands, AccountId(account_id), CONTACTS).await?;
    settle(server.commands.store.pool()).await?;
    Ok(Tenant { account_id, admin_id: users[0], admin_token, users, inboxes, contacts })
}

/// Waits until every subscriber has reached the log's horizon.
async fn settle(pool: &PgPool) -> anyhow::Result<()> {
    let target = onelink_projections::log::horizon(pool).await?;
    for _ in 0..1_200 {
        let behind: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM projection_checkpoints WHERE (tx, position) < ($1::bigint::text::xid8, $2)",
        )
        .bind(target.tx)
        .bind(target.position)
        .fetch_one(pool)
        .await?;
        if behind == 0 {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    anyhow::bail!("the subscribers did not catch up with the seeding")
}

/// Conversation `i` of the account: its status, assignee, priority and
/// labels follow fixed shares (open 50 %, resolved 30 %, pending and
/// snoozed 10 % each; a quarter unassigned; labels as in [`LABELS`]).
fn conversation(
    t: &Tenant,
    id: i64,
    display: i64,
    messages: i64,
    first_message: i64,
) -> Vec<ConversationEvent> {
    let i = display;
    let status = match i % 10 {
        4..=6 => Status::Resolved,
        7 => Status::Pending,
        8 => Status::Snoozed,
        _ => Status::Open,
    };
    let at = origin() + Span::seconds(30 * i);
    let user = t.users[(i as usize / 4) % t.users.len()];
    let assignee = (i % 4 != 0).then_some(Assignee::User(UserId(user)));
    let priority = match i % 13 {
        0 => Some(Priority::Urgent),
        1 | 2 => Some(Priority::High),
        3 => Some(Priority::Low),
        _ => None,
    };
    let contact = ContactId(t.contacts[(i as usize) % t.contacts.len()]);
    let mut events = vec![ConversationEvent::ConversationCreated {
        id: ConversationId(id),
        account_id: AccountId(t.account_id),
        display_id: DisplayId(display),
        uuid: format!("bench-{}-{display}", t.account_id),
        inbox_id: InboxId(t.inboxes[(i as usize) % t.inboxes.len()]),
        contact_id: contact,
        source_id: None,
        status,
        snoozed_until: (status == Status::Snoozed).then(|| at + Span::days(3650)),
        priority,
        assignee,
        team_id: None,
        additional_attributes: Default::default(),
        custom_attributes: Default::default(),
        created_at: at,
    }];
    let labels: Vec<String> =
        LABELS.iter().filter(|(_, every)| i % every == 0).map(|(l, _)| (*l).to_owned()).collect();
    if !labels.is_empty() {
        events.push(ConversationEvent::ConversationLabelsChanged {
            added: labels.clone(),
            labels,
            removed: Vec::new(),
        });
    }
    for k in 0..messages {
        // every conversation's first message names its own order number
        let content = match k {
            0 => format!("{} Order ORD-{display:08}.", LINES[0]),
            _ => LINES[(k % 4) as usize].to_owned(),
        };
        let agent = UserId(user);
        events.push(text_message(
            first_message + k,
            k % 2 == 0,
            content,
            contact,
            agent,
            at + Span::seconds(k),
        ));
    }
    events
}

/// Draws `n` numbers from `sequence` as one range (a bulk `setval`).
async fn reserve(pool: &PgPool, sequence: &str, n: i64) -> anyhow::Result<i64> {
    let last: i64 =
        sqlx::query_scalar(&format!("SELECT setval('{sequence}', nextval('{sequence}') + $1 - 1)"))
            .bind(n)
            .fetch_one(pool)
            .await?;
    Ok(last - n + 1)
}

/// Appends `count` conversations with `messages` messages each, then a
/// 10-message and a 10,000-message one; rebuilds the conversations
/// projection and moves the other subscribers to the log's end. Run with
/// the server stopped.
pub async fn conversations(
    commands: &Commands,
    pool: &PgPool,
    t: &Tenant,
    count: i64,
    messages: i64,
    long: i64,
) -> anyhow::Result<Seeded> {
    let total = count + 2;
    let first_id = reserve(pool, "conversation_ids", total).await?;
    let first_message = reserve(pool, "message_ids", count * messages + 10 + long).await?;
    sqlx::query(
        "INSERT INTO conversation_display_ids (account_id, last_value) VALUES ($1, $2) \
         ON CONFLICT (account_id) DO UPDATE SET last_value = conversation_display_ids.last_value + $2",
    )
    .bind(t.account_id)
    .bind(total)
    .execute(pool)
    .await?;
    let ctx = CommandContext::system();
    let started = Instant::now();
    let mut events = 0u64;
    let displays: Vec<i64> = (1..=count).collect();
    for (n, chunk) in displays.chunks(STREAMS_PER_APPEND).enumerate() {
        let mut appends = Vec::with_capacity(chunk.len());
        for &d in chunk {
            let stream = conversation(t, first_id + d - 1, d, messages, first_message + (d - 1) * messages);
            events += stream.len() as u64;
            appends.push(stream_append(AccountId(t.account_id), first_id + d - 1, 0, &stream)?);
        }
        commands.store.append(&appends, &ctx).await?;
        if n % 500 == 0 {
            eprintln!("conversations: {} of {count} appended", n * STREAMS_PER_APPEND);
        }
    }
    let mut next_message = first_message + count * messages;
    let mut probes = Vec::new();
    for (k, len) in [(1, 10), (2, long)] {
        let (id, display) = (first_id + count + k - 1, count + k);
        let head = conversation(t, id, display, 0, 0);
        let mut version = head.len() as i64;
        commands.store.append(&[stream_append(AccountId(t.account_id), id, 0, &head)?], &ctx).await?;
        let mut written = 0;
        while written < len {
            let batch: Vec<ConversationEvent> = (written..(written + LONG_BATCH).min(len))
                .map(|m| {
                    let at = origin() + Span::seconds(30 * display + m);
                    text_message(
                        next_message + m,
                        m % 2 == 0,
                        LINES[(m % 4) as usize].to_owned(),
                        ContactId(t.contacts[0]),
                        UserId(t.admin_id),
                        at,
                    )
                })
                .collect();
            let append = stream_append(AccountId(t.account_id), id, version, &batch)?;
            commands.store.append(&[append], &ctx).await?;
            version += batch.len() as i64;
            written += batch.len() as i64;
        }
        next_message += len;
        events += version as u64;
        probes.push(Probe { display_id: display, messages: len });
    }
    let appended = started.elapsed();

    eprintln!(
        "conversations: {events} events appended in {:.0} s; rebuilding the conversations projection…",
        appended.as_secs_f64()
    );
    let projection = onelink_projections::registry::find_projection("conversations")
        .context("no conversations projection")?;
    let started = Instant::now();
    let report = onelink_projections::rebuild::rebuild(pool, &*projection).await?;
    let rebuilt = started.elapsed();
    sqlx::query(
        "UPDATE projection_checkpoints SET tx = $1::bigint::text::xid8, position = $2, updated_at = now() \
         WHERE (tx, position) < ($1::bigint::text::xid8, $2)",
    )
    .bind(report.position.tx)
    .bind(report.position.position)
    .execute(pool)
    .await?;
    for table in ["conversations", "conversation_counts", "conversation_label_counts"] {
        sqlx::query(&format!("VACUUM ANALYZE {table}")).execute(pool).await?;
    }
    sqlx::query("ANALYZE messages").execute(pool).await?;
    Ok(Seeded { short: probes[0], long: probes[1], events, appended, rebuilt_events: report.events, rebuilt })
}

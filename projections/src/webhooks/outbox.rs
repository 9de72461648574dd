//! The outbox subscriber: reads the log in order (checkpointed, one runner
//! across nodes, like a projection) and turns each event into one pending
//! delivery per subscribed webhook of the event's account, in the same
//! transaction that moves its checkpoint — so every event is enqueued
//! exactly once, and a crash loses nothing.
//!
//! It is *not* a projection: its tables are operational state, it is never
//! rebuilt (a rebuild would send everything again), and writes do not wait
//! for it. It keeps its own routing table from the webhook events, in log
//! order, so an event reaches exactly the webhooks that existed and
//! subscribed when it happened.

use super::payload;
use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::webhook::{Webhook, WebhookEvent};
use sqlx::PgConnection;
use uuid::Uuid;

/// The subscriber's checkpoint name.
pub const OUTBOX: &str = "webhook_outbox";

pub struct Outbox;

#[async_trait]
impl Projection for Outbox {
    fn name(&self) -> &'static str {
        OUTBOX
    }

    /// Never rebuilt (see the module docs); listed for documentation.
    fn tables(&self) -> &'static [&'static str] {
        &["webhook_routes", "agent_bot_routes", "webhook_deliveries"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if e.is(Webhook::TYPE) {
            return route(conn, e.numeric_id()?, e.decode()?).await;
        }
        if e.is(Account::TYPE) && matches!(e.decode::<AccountEvent>()?, AccountEvent::AccountDeleted) {
            let account_id = e.numeric_id()?;
            sqlx::query("DELETE FROM webhook_routes WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *conn)
                .await?;
            sqlx::query("DELETE FROM agent_bot_routes WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *conn)
                .await?;
            return finish_pending(conn, account_id, None, "cancelled", "account deleted").await;
        }
        super::bots::route(conn, e).await?;
        super::bots::enqueue(conn, e).await?;
        enqueue(conn, e).await
    }
}

/// Ends the pending deliveries of an account (or one of its webhooks).
pub(crate) async fn finish_pending(
    conn: &mut PgConnection,
    account_id: i64,
    webhook_id: Option<i64>,
    status: &str,
    why: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE webhook_deliveries SET status = $3, last_error = $4, finished_at = now(), claim = NULL \
         WHERE account_id = $1 AND ($2::bigint IS NULL OR (target = 'webhook' AND webhook_id = $2)) \
           AND status = 'pending'",
    )
    .bind(account_id)
    .bind(webhook_id)
    .bind(status)
    .bind(why)
    .execute(conn)
    .await?;
    Ok(())
}

async fn route(conn: &mut PgConnection, id: i64, event: WebhookEvent) -> anyhow::Result<()> {
    let account_id = event.account_id().0;
    match event {
        WebhookEvent::WebhookCreated { subscriptions, .. } => {
            sqlx::query(
                "INSERT INTO webhook_routes (account_id, webhook_id, subscriptions, enabled) \
                 VALUES ($1, $2, $3, true) ON CONFLICT DO NOTHING",
            )
            .bind(account_id)
            .bind(id)
            .bind(subscriptions)
            .execute(conn)
            .await?;
        }
        WebhookEvent::WebhookUpdated { subscriptions: Some(subscriptions), .. } => {
            sqlx::query(
                "UPDATE webhook_routes SET subscriptions = $3 WHERE account_id = $1 AND webhook_id = $2",
            )
            .bind(account_id)
            .bind(id)
            .bind(subscriptions)
            .execute(conn)
            .await?;
        }
        WebhookEvent::WebhookUpdated { .. } => {}
        WebhookEvent::WebhookDisabled { reason, .. } => {
            sqlx::query(
                "UPDATE webhook_routes SET enabled = false WHERE account_id = $1 AND webhook_id = $2",
            )
            .bind(account_id)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            finish_pending(conn, account_id, Some(id), "failed", &format!("webhook disabled: {reason}"))
                .await?;
        }
        WebhookEvent::WebhookEnabled { .. } => {
            sqlx::query("UPDATE webhook_routes SET enabled = true WHERE account_id = $1 AND webhook_id = $2")
                .bind(account_id)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            sqlx::query("DELETE FROM webhook_endpoint_health WHERE account_id = $1 AND webhook_id = $2")
                .bind(account_id)
                .bind(id)
                .execute(conn)
                .await?;
        }
        WebhookEvent::WebhookDeleted { .. } => {
            sqlx::query("DELETE FROM webhook_routes WHERE account_id = $1 AND webhook_id = $2")
                .bind(account_id)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            finish_pending(conn, account_id, Some(id), "cancelled", "webhook deleted").await?;
        }
    }
    Ok(())
}

/// The enabled webhooks of `account_id` subscribed to any of `names`.
pub(crate) async fn subscribers(
    conn: &mut PgConnection,
    account_id: i64,
    names: &[&str],
) -> Result<Vec<(i64, Vec<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT webhook_id, subscriptions FROM webhook_routes \
         WHERE account_id = $1 AND enabled AND subscriptions && $2::text[] ORDER BY webhook_id",
    )
    .bind(account_id)
    .bind(names)
    .fetch_all(conn)
    .await
}

/// Stores one message for each webhook in `targets` that subscribes to it.
pub(crate) async fn insert_messages(
    conn: &mut PgConnection,
    e: &RecordedEvent,
    account_id: i64,
    targets: &[(i64, Vec<String>)],
    messages: &[payload::Message],
    origin: &str,
) -> Result<u64, sqlx::Error> {
    let mut inserted = 0;
    for m in messages {
        for (webhook_id, subscriptions) in targets {
            if !subscriptions.iter().any(|s| s == m.name) {
                continue;
            }
            let done = sqlx::query(
                "INSERT INTO webhook_deliveries (account_id, id, webhook_id, message_id, event_id, \
                                                 event_position, event_name, body, origin) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
            )
            .bind(account_id)
            .bind(Uuid::now_v7())
            .bind(webhook_id)
            .bind(m.message_id)
            .bind(e.event_id)
            .bind(e.global_position)
            .bind(m.name)
            .bind(&m.body)
            .bind(origin)
            .execute(&mut *conn)
            .await?;
            inserted += done.rows_affected();
        }
    }
    Ok(inserted)
}

async fn enqueue(conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
    let Some(account_id) = e.account_id else { return Ok(()) };
    let names = payload::names(e);
    if names.is_empty() {
        return Ok(());
    }
    let targets = subscribers(conn, account_id, &names).await?;
    if targets.is_empty() {
        return Ok(());
    }
    let messages = payload::messages(conn, e).await?;
    insert_messages(conn, e, account_id, &targets, &messages, "live").await?;
    Ok(())
}

//! The `webhooks` projection: the read model behind the webhook endpoints
//! (and the URL and sealed secret the delivery workers use). Rebuildable
//! from the log like every projection; it sends nothing.

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::webhook::{Webhook, WebhookEvent};
use sqlx::PgConnection;

pub struct WebhooksProjection;

#[async_trait]
impl Projection for WebhooksProjection {
    fn name(&self) -> &'static str {
        "webhooks"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["webhooks"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if e.is(Webhook::TYPE) {
            apply_webhook(conn, e.numeric_id()?, e, e.decode()?).await?;
        } else if e.is(Account::TYPE) && matches!(e.decode::<AccountEvent>()?, AccountEvent::AccountDeleted) {
            sqlx::query("DELETE FROM webhooks WHERE account_id = $1")
                .bind(e.numeric_id()?)
                .execute(conn)
                .await?;
        }
        Ok(())
    }
}

async fn apply_webhook(
    conn: &mut PgConnection,
    id: i64,
    e: &RecordedEvent,
    event: WebhookEvent,
) -> anyhow::Result<()> {
    let account_id = event.account_id().0;
    let at = e.recorded_at;
    match event {
        WebhookEvent::WebhookCreated { url, name, subscriptions, inbox_id, secret_sealed, .. } => {
            sqlx::query(
                "INSERT INTO webhooks (account_id, id, name, url, subscriptions, inbox_id, secret_sealed, \
                                       created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(account_id)
            .bind(id)
            .bind(name)
            .bind(url)
            .bind(subscriptions)
            .bind(inbox_id.map(|i| i.0))
            .bind(secret_sealed.0)
            .bind(at)
            .execute(conn)
            .await?;
        }
        WebhookEvent::WebhookUpdated { url, name, subscriptions, inbox_id, .. } => {
            sqlx::query(
                "UPDATE webhooks SET url = COALESCE($3, url), \
                   name = CASE WHEN $4 THEN $5 ELSE name END, \
                   subscriptions = COALESCE($6, subscriptions), \
                   inbox_id = CASE WHEN $7 THEN $8 ELSE inbox_id END, updated_at = $9 \
                 WHERE account_id = $1 AND id = $2",
            )
            .bind(account_id)
            .bind(id)
            .bind(url)
            .bind(name.is_some())
            .bind(name.flatten())
            .bind(subscriptions)
            .bind(inbox_id.is_some())
            .bind(inbox_id.flatten().map(|i| i.0))
            .bind(at)
            .execute(conn)
            .await?;
        }
        WebhookEvent::WebhookDisabled { reason, .. } => {
            sqlx::query(
                "UPDATE webhooks SET disabled_reason = $3, updated_at = $4 WHERE account_id = $1 AND id = $2",
            )
            .bind(account_id)
            .bind(id)
            .bind(reason)
            .bind(at)
            .execute(conn)
            .await?;
        }
        WebhookEvent::WebhookEnabled { .. } => {
            sqlx::query(
                "UPDATE webhooks SET disabled_reason = NULL, updated_at = $3 WHERE account_id = $1 AND id = $2",
            )
            .bind(account_id)
            .bind(id)
            .bind(at)
            .execute(conn)
            .await?;
        }
        WebhookEvent::WebhookDeleted { .. } => {
            sqlx::query("DELETE FROM webhooks WHERE account_id = $1 AND id = $2")
                .bind(account_id)
                .bind(id)
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

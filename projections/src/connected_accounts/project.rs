//! Applying connected-account, account and inbox events to
//! `connected_accounts`.

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::connected_account::{ConnectedAccount, ConnectedAccountEvent};
use onelink_domain::inbox::{Inbox, InboxEvent};
use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

pub struct ConnectedAccountsProjection;

#[async_trait]
impl Projection for ConnectedAccountsProjection {
    fn name(&self) -> &'static str {
        "connected_accounts"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["connected_accounts"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if e.is(ConnectedAccount::TYPE) {
            let account_id = e
                .account_id
                .ok_or_else(|| anyhow::anyhow!("connected account event {} has no account", e.event_id))?;
            let id: Uuid = e.aggregate_id.parse()?;
            apply_connected_account(conn, account_id, id, e.recorded_at, e.decode()?).await?;
        } else if e.is(Account::TYPE) {
            if let AccountEvent::AccountDeleted = e.decode::<AccountEvent>()? {
                sqlx::query("DELETE FROM connected_accounts WHERE account_id = $1")
                    .bind(e.numeric_id()?)
                    .execute(conn)
                    .await?;
            }
        } else if e.is(Inbox::TYPE) && e.event_type == "InboxDeleted" {
            if let InboxEvent::InboxDeleted = e.decode::<InboxEvent>()? {
                let account_id = e
                    .account_id
                    .ok_or_else(|| anyhow::anyhow!("inbox event {} has no account", e.event_id))?;
                sqlx::query(
                    "UPDATE connected_accounts SET inbox_id = NULL, updated_at = $3 \
                     WHERE account_id = $1 AND inbox_id = $2",
                )
                .bind(account_id)
                .bind(e.numeric_id()?)
                .bind(e.recorded_at)
                .execute(conn)
                .await?;
            }
        }
        Ok(())
    }
}

async fn apply_connected_account(
    conn: &mut PgConnection,
    account_id: i64,
    id: Uuid,
    at: DateTime<Utc>,
    event: ConnectedAccountEvent,
) -> anyhow::Result<()> {
    match event {
        ConnectedAccountEvent::ConnectedAccountConnected(c) => {
            sqlx::query(
                "INSERT INTO connected_accounts (account_id, id, provider, name, headline, avatar_url, \
                   external_id, config, credentials_sealed, inbox_id, status, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
            )
            .bind(account_id)
            .bind(id)
            .bind(c.provider.as_str())
            .bind(c.name)
            .bind(c.headline)
            .bind(c.avatar_url)
            .bind(c.external_id)
            .bind(Value::Object(c.config))
            .bind(c.credentials.sealed)
            .bind(c.inbox_id.map(|i| i.0))
            .bind(c.status.as_str())
            .bind(at)
            .execute(conn)
            .await?;
        }
        ConnectedAccountEvent::ConnectedAccountUpdated {
            name,
            headline,
            avatar_url,
            external_id,
            config,
            inbox_id,
        } => {
            sqlx::query(
                "UPDATE connected_accounts SET name = COALESCE($3, name), \
                   headline = CASE WHEN $4 THEN $5 ELSE headline END, \
                   avatar_url = CASE WHEN $6 THEN $7 ELSE avatar_url END, \
                   external_id = CASE WHEN $8 THEN $9 ELSE external_id END, \
                   config = COALESCE($10, config), \
                   inbox_id = CASE WHEN $11 THEN $12 ELSE inbox_id END, \
                   updated_at = $13 \
                 WHERE account_id = $1 AND id = $2",
            )
            .bind(account_id)
            .bind(id)
            .bind(name)
            .bind(headline.is_some())
            .bind(headline.flatten())
            .bind(avatar_url.is_some())
            .bind(avatar_url.flatten())
            .bind(external_id.is_some())
            .bind(external_id.flatten())
            .bind(config.map(Value::Object))
            .bind(inbox_id.is_some())
            .bind(inbox_id.flatten().map(|i| i.0))
            .bind(at)
            .execute(conn)
            .await?;
        }
        ConnectedAccountEvent::ConnectedAccountCredentialsReplaced { credentials } => {
            sqlx::query(
                "UPDATE connected_accounts SET credentials_sealed = $3, updated_at = $4 \
                 WHERE account_id = $1 AND id = $2",
            )
            .bind(account_id)
            .bind(id)
            .bind(credentials.sealed)
            .bind(at)
            .execute(conn)
            .await?;
        }
        ConnectedAccountEvent::ConnectedAccountDisconnected => {
            sqlx::query("DELETE FROM connected_accounts WHERE account_id = $1 AND id = $2")
                .bind(account_id)
                .bind(id)
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

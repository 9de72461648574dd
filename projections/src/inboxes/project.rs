//! Applies inbox events, plus the account, user and agent bot events that
//! end a membership or a bot binding.

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::agent_bot::{AgentBot, AgentBotEvent};
use onelink_domain::inbox::{Channel, Inbox, InboxEvent};
use onelink_domain::user::{User, UserEvent};
use sqlx::types::Json;
use sqlx::PgConnection;

pub struct InboxesProjection;

#[async_trait]
impl Projection for InboxesProjection {
    fn name(&self) -> &'static str {
        "inboxes"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["inboxes", "inbox_members"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if e.is(Inbox::TYPE) {
            let account_id = e.account_id.ok_or_else(|| anyhow::anyhow!("inbox event without an account"))?;
            apply_inbox(conn, account_id, e.numeric_id()?, e.recorded_at, e.decode()?).await?;
        } else if e.is(Account::TYPE) {
            apply_account(conn, e.numeric_id()?, e.decode()?).await?;
        } else if e.is(User::TYPE) && matches!(e.decode::<UserEvent>()?, UserEvent::UserDeleted) {
            sqlx::query("DELETE FROM inbox_members WHERE user_id = $1")
                .bind(e.numeric_id()?)
                .execute(conn)
                .await?;
        } else if e.is(AgentBot::TYPE)
            && matches!(e.decode::<AgentBotEvent>()?, AgentBotEvent::AgentBotDeleted)
        {
            // a system bot (no account) may be bound in any account
            sqlx::query(
                "UPDATE inboxes SET agent_bot_id = NULL \
                 WHERE agent_bot_id = $1 AND ($2::bigint IS NULL OR account_id = $2)",
            )
            .bind(e.numeric_id()?)
            .bind(e.account_id)
            .execute(conn)
            .await?;
        }
        Ok(())
    }
}

async fn apply_account(conn: &mut PgConnection, account_id: i64, event: AccountEvent) -> anyhow::Result<()> {
    match event {
        AccountEvent::AccountUserRemoved { user_id } => {
            sqlx::query("DELETE FROM inbox_members WHERE account_id = $1 AND user_id = $2")
                .bind(account_id)
                .bind(user_id.0)
                .execute(conn)
                .await?;
        }
        AccountEvent::AccountDeleted => {
            sqlx::query("DELETE FROM inbox_members WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *conn)
                .await?;
            sqlx::query("DELETE FROM inboxes WHERE account_id = $1").bind(account_id).execute(conn).await?;
        }
        _ => {}
    }
    Ok(())
}

async fn apply_inbox(
    conn: &mut PgConnection,
    account_id: i64,
    id: i64,
    at: DateTime<Utc>,
    event: InboxEvent,
) -> anyhow::Result<()> {
    let update =
        |set: &str| format!("UPDATE inboxes SET {set}, updated_at = $3 WHERE account_id = $1 AND id = $2");
    match event {
        InboxEvent::InboxCreated { channel_id, settings, channel, keys, working_hours, .. } => {
            let (website_token, inbox_identifier) = match &channel {
                Channel::WebWidget(_) => (Some(keys.public_token), None),
                Channel::Api(_) => (None, Some(keys.public_token)),
            };
            sqlx::query(
                "INSERT INTO inboxes (account_id, id, channel_id, channel_type, name, settings, channel, \
                   working_hours, website_token, inbox_identifier, hmac_token_digest, hmac_token_sealed, \
                   created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
            )
            .bind(account_id)
            .bind(id)
            .bind(channel_id.0)
            .bind(channel.kind().channel_type())
            .bind(&settings.name)
            .bind(Json(&settings))
            .bind(Json(&channel))
            .bind(Json(&working_hours))
            .bind(website_token)
            .bind(inbox_identifier)
            .bind(keys.hmac_token.digest)
            .bind(keys.hmac_token.sealed)
            .bind(at)
            .execute(conn)
            .await?;
        }
        InboxEvent::InboxUpdated { settings } => {
            sqlx::query(&update("name = $4, settings = $5"))
                .bind(account_id)
                .bind(id)
                .bind(at)
                .bind(&settings.name)
                .bind(Json(&settings))
                .execute(conn)
                .await?;
        }
        InboxEvent::InboxChannelUpdated { channel } => {
            sqlx::query(&update("channel = $4"))
                .bind(account_id)
                .bind(id)
                .bind(at)
                .bind(Json(&channel))
                .execute(conn)
                .await?;
        }
        InboxEvent::InboxWorkingHoursUpdated { working_hours } => {
            sqlx::query(&update("working_hours = $4"))
                .bind(account_id)
                .bind(id)
                .bind(at)
                .bind(Json(&working_hours))
                .execute(conn)
                .await?;
        }
        InboxEvent::InboxAvatarRemoved => {
            sqlx::query(&update("id = id")).bind(account_id).bind(id).bind(at).execute(conn).await?;
        }
        InboxEvent::InboxAgentBotSet { agent_bot_id } => {
            sqlx::query(&update("agent_bot_id = $4"))
                .bind(account_id)
                .bind(id)
                .bind(at)
                .bind(agent_bot_id.map(|b| b.0))
                .execute(conn)
                .await?;
        }
        InboxEvent::InboxDeleted => {
            sqlx::query("DELETE FROM inbox_members WHERE account_id = $1 AND inbox_id = $2")
                .bind(account_id)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            sqlx::query("DELETE FROM inboxes WHERE account_id = $1 AND id = $2")
                .bind(account_id)
                .bind(id)
                .execute(conn)
                .await?;
        }
        InboxEvent::InboxMembersAdded { members } => {
            let users: Vec<i64> = members.iter().map(|m| m.user_id.0).collect();
            let grants: Vec<i64> = members.iter().map(|m| m.account_user_id.0).collect();
            sqlx::query(
                "INSERT INTO inbox_members (account_id, inbox_id, user_id, account_user_id, created_at) \
                 SELECT $1, $2, u, g, $5 FROM UNNEST($3::bigint[], $4::bigint[]) AS t(u, g) \
                 ON CONFLICT (account_id, inbox_id, user_id) \
                 DO UPDATE SET account_user_id = EXCLUDED.account_user_id, created_at = EXCLUDED.created_at",
            )
            .bind(account_id)
            .bind(id)
            .bind(users)
            .bind(grants)
            .bind(at)
            .execute(conn)
            .await?;
        }
        InboxEvent::InboxMembersRemoved { user_ids } => {
            let users: Vec<i64> = user_ids.iter().map(|u| u.0).collect();
            sqlx::query(
                "DELETE FROM inbox_members WHERE account_id = $1 AND inbox_id = $2 AND user_id = ANY($3)",
            )
            .bind(account_id)
            .bind(id)
            .bind(users)
            .execute(conn)
            .await?;
        }
    }
    Ok(())
}

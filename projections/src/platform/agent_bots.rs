//! `agent_bots`: account and system bots, with their token digests (for
//! authentication) and sealed tokens (shown again to administrators).

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_domain::agent_bot::{AgentBot, AgentBotEvent};
use serde_json::Value;
use sqlx::{PgConnection, PgExecutor};

pub struct AgentBotsProjection;

#[async_trait]
impl Projection for AgentBotsProjection {
    fn name(&self) -> &'static str {
        "agent_bots"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["agent_bots"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if !e.is(AgentBot::TYPE) {
            return Ok(());
        }
        let id = e.numeric_id()?;
        let at = e.recorded_at;
        match e.decode::<AgentBotEvent>()? {
            AgentBotEvent::AgentBotCreated { account_id, profile, bot_type, access_token, .. } => {
                sqlx::query(
                    "INSERT INTO agent_bots (account_id, id, name, description, outgoing_url, bot_type, \
                       access_token_digest, access_token_sealed, bot_config, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
                )
                .bind(account_id.map(|a| a.0))
                .bind(id)
                .bind(profile.name)
                .bind(profile.description)
                .bind(profile.outgoing_url)
                .bind(serde_json::to_value(bot_type)?.as_str().unwrap_or("webhook").to_owned())
                .bind(access_token.digest)
                .bind(access_token.sealed)
                .bind(Value::Object(profile.bot_config))
                .bind(at)
                .execute(conn)
                .await?;
            }
            AgentBotEvent::AgentBotUpdated { name, description, outgoing_url, bot_config } => {
                sqlx::query(
                    "UPDATE agent_bots SET name = CASE WHEN $2 THEN $3 ELSE name END, \
                       description = CASE WHEN $4 THEN $5 ELSE description END, \
                       outgoing_url = CASE WHEN $6 THEN $7 ELSE outgoing_url END, updated_at = $8, \
                       bot_config = COALESCE($9, bot_config) \
                     WHERE id = $1",
                )
                .bind(id)
                .bind(name.is_some())
                .bind(name.flatten())
                .bind(description.is_some())
                .bind(description.flatten())
                .bind(outgoing_url.is_some())
                .bind(outgoing_url.flatten())
                .bind(at)
                .bind(bot_config.map(Value::Object))
                .execute(conn)
                .await?;
            }
            AgentBotEvent::AgentBotAccessTokenReset { access_token } => {
                sqlx::query(
                    "UPDATE agent_bots SET access_token_digest = $2, access_token_sealed = $3, updated_at = $4 \
                     WHERE id = $1",
                )
                .bind(id)
                .bind(access_token.digest)
                .bind(access_token.sealed)
                .bind(at)
                .execute(conn)
                .await?;
            }
            AgentBotEvent::AgentBotAvatarRemoved => {
                sqlx::query("UPDATE agent_bots SET updated_at = $2 WHERE id = $1")
                    .bind(id)
                    .bind(at)
                    .execute(conn)
                    .await?;
            }
            AgentBotEvent::AgentBotDeleted => {
                sqlx::query("DELETE FROM agent_bots WHERE id = $1").bind(id).execute(conn).await?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgentBotRow {
    pub id: i64,
    pub account_id: Option<i64>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub outgoing_url: Option<String>,
    pub bot_type: String,
    pub access_token_sealed: String,
    pub bot_config: Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const BOT_COLUMNS: &str = "id, account_id, name, description, outgoing_url, bot_type, access_token_sealed, \
                           bot_config, created_at, updated_at";

pub async fn find(db: impl PgExecutor<'_>, id: i64) -> Result<Option<AgentBotRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {BOT_COLUMNS} FROM agent_bots WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn list_for_platform_app(
    db: impl PgExecutor<'_>,
    app_id: i64,
) -> Result<Vec<AgentBotRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {BOT_COLUMNS} FROM agent_bots b WHERE EXISTS (SELECT 1 FROM platform_app_permissibles p \
           WHERE p.platform_app_id = $1 AND p.permissible_type = 'AgentBot' AND p.permissible_id = b.id) \
         ORDER BY id"
    ))
    .bind(app_id)
    .fetch_all(db)
    .await
}

pub async fn find_by_access_token(
    db: impl PgExecutor<'_>,
    digest: &str,
) -> Result<Option<AgentBotRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {BOT_COLUMNS} FROM agent_bots WHERE access_token_digest = $1"))
        .bind(digest)
        .fetch_optional(db)
        .await
}

/// The bots an account sees: its own and the system bots, by id.
pub async fn list_for_account(
    db: impl PgExecutor<'_>,
    account_id: i64,
) -> Result<Vec<AgentBotRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {BOT_COLUMNS} FROM agent_bots WHERE account_id = $1 OR account_id IS NULL ORDER BY id"
    ))
    .bind(account_id)
    .fetch_all(db)
    .await
}

/// A bot the account sees (its own or a system bot).
pub async fn find_visible(
    db: impl PgExecutor<'_>,
    account_id: i64,
    id: i64,
) -> Result<Option<AgentBotRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {BOT_COLUMNS} FROM agent_bots WHERE (account_id = $1 OR account_id IS NULL) AND id = $2"
    ))
    .bind(account_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// A bot that belongs to the account (system bots excluded).
pub async fn find_in_account(
    db: impl PgExecutor<'_>,
    account_id: i64,
    id: i64,
) -> Result<Option<AgentBotRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {BOT_COLUMNS} FROM agent_bots WHERE account_id = $1 AND id = $2"))
        .bind(account_id)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Bots by id that an account may see: its own and the system bots.
pub async fn find_many_for_account(
    db: impl PgExecutor<'_>,
    account_id: i64,
    ids: &[i64],
) -> Result<Vec<AgentBotRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {BOT_COLUMNS} FROM agent_bots WHERE id = ANY($2) AND (account_id = $1 OR account_id IS NULL)"
    ))
    .bind(account_id)
    .bind(ids)
    .fetch_all(db)
    .await
}

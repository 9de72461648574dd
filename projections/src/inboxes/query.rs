//! Reading inboxes and their members. Every query is scoped by account,
//! except the look-ups by public token, which is how the Client API and
//! the website widget find their inbox (and with it the account).

use crate::platform::accounts::AgentRow;
use chrono::{DateTime, Utc};
use onelink_domain::inbox::{Channel, InboxSettings, WorkingHour};
use sqlx::types::Json;
use sqlx::PgExecutor;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InboxRow {
    pub account_id: i64,
    pub id: i64,
    pub channel_id: i64,
    /// `Channel::WebWidget` or `Channel::Api`.
    pub channel_type: String,
    pub name: String,
    pub settings: Json<InboxSettings>,
    pub channel: Json<Channel>,
    pub working_hours: Json<Vec<WorkingHour>>,
    pub website_token: Option<String>,
    pub inbox_identifier: Option<String>,
    /// SHA-256 of the HMAC secret (identity validation compares HMACs, so
    /// the secret itself is opened from the sealed copy when needed).
    pub hmac_token_digest: String,
    pub hmac_token_sealed: String,
    pub agent_bot_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const INBOX_COLUMNS: &str =
    "i.account_id, i.id, i.channel_id, i.channel_type, i.name, i.settings, i.channel, \
     i.working_hours, i.website_token, i.inbox_identifier, i.hmac_token_digest, i.hmac_token_sealed, \
     i.agent_bot_id, i.created_at, i.updated_at";

/// A membership row `m` that still stands: the user is a member of the
/// account under the membership they were added with.
const STANDING: &str = "EXISTS (SELECT 1 FROM account_users au WHERE au.account_id = m.account_id \
     AND au.user_id = m.user_id AND au.id = m.account_user_id)";

pub async fn find(
    db: impl PgExecutor<'_>,
    account_id: i64,
    id: i64,
) -> Result<Option<InboxRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {INBOX_COLUMNS} FROM inboxes i WHERE i.account_id = $1 AND i.id = $2"))
        .bind(account_id)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The inboxes a user may see, by name: all of them for administrators,
/// the ones they are a member of for agents.
pub async fn list_for(
    db: impl PgExecutor<'_>,
    account_id: i64,
    user_id: i64,
    is_admin: bool,
) -> Result<Vec<InboxRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {INBOX_COLUMNS} FROM inboxes i WHERE i.account_id = $1 AND ($3 OR EXISTS ( \
           SELECT 1 FROM inbox_members m WHERE m.account_id = i.account_id AND m.inbox_id = i.id \
             AND m.user_id = $2 AND {STANDING})) \
         ORDER BY lower(i.name), i.id"
    ))
    .bind(account_id)
    .bind(user_id)
    .bind(is_admin)
    .fetch_all(db)
    .await
}

/// How many inboxes the account has (for its `limits.inboxes`).
pub async fn count(db: impl PgExecutor<'_>, account_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM inboxes WHERE account_id = $1")
        .bind(account_id)
        .fetch_one(db)
        .await
}

pub async fn is_member(
    db: impl PgExecutor<'_>,
    account_id: i64,
    inbox_id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT EXISTS (SELECT 1 FROM inbox_members m WHERE m.account_id = $1 AND m.inbox_id = $2 \
           AND m.user_id = $3 AND {STANDING})"
    ))
    .bind(account_id)
    .bind(inbox_id)
    .bind(user_id)
    .fetch_one(db)
    .await
}

/// The ids of the inboxes a user is a member of, ascending.
pub async fn member_inbox_ids(
    db: impl PgExecutor<'_>,
    account_id: i64,
    user_id: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT m.inbox_id FROM inbox_members m WHERE m.account_id = $1 AND m.user_id = $2 AND {STANDING} \
         ORDER BY m.inbox_id"
    ))
    .bind(account_id)
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// The members of an inbox as agents, by name.
pub async fn members(
    db: impl PgExecutor<'_>,
    account_id: i64,
    inbox_id: i64,
) -> Result<Vec<AgentRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, au.account_id, u.name, u.display_name, u.email, u.confirmed, u.custom_attributes, \
                au.role, au.availability, au.auto_offline \
         FROM inbox_members m \
         JOIN account_users au ON au.account_id = m.account_id AND au.user_id = m.user_id \
                              AND au.id = m.account_user_id \
         JOIN users u ON u.id = m.user_id \
         WHERE m.account_id = $1 AND m.inbox_id = $2 ORDER BY lower(u.name), u.id",
    )
    .bind(account_id)
    .bind(inbox_id)
    .fetch_all(db)
    .await
}

/// The API-channel inbox with this `inbox_identifier` (Client API).
pub async fn find_by_identifier(
    db: impl PgExecutor<'_>,
    identifier: &str,
) -> Result<Option<InboxRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {INBOX_COLUMNS} FROM inboxes i WHERE i.inbox_identifier = $1 AND i.channel_type = 'Channel::Api'"
    ))
    .bind(identifier)
    .fetch_optional(db)
    .await
}

/// The website-widget inbox with this `website_token`.
pub async fn find_by_website_token(
    db: impl PgExecutor<'_>,
    token: &str,
) -> Result<Option<InboxRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {INBOX_COLUMNS} FROM inboxes i WHERE i.website_token = $1 AND i.channel_type = 'Channel::WebWidget'"
    ))
    .bind(token)
    .fetch_optional(db)
    .await
}

/// Inboxes of the account by id.
pub async fn find_many(
    db: impl PgExecutor<'_>,
    account_id: i64,
    ids: &[i64],
) -> Result<Vec<InboxRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {INBOX_COLUMNS} FROM inboxes i WHERE i.account_id = $1 AND i.id = ANY($2)"
    ))
    .bind(account_id)
    .bind(ids)
    .fetch_all(db)
    .await
}

//! Reading connected accounts. Every query is scoped by account: a
//! listing by the one account the caller chose, a look-up by id by the
//! accounts the caller belongs to.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgExecutor;
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConnectedAccountRow {
    pub account_id: i64,
    pub id: Uuid,
    pub provider: String,
    pub name: String,
    pub headline: Option<String>,
    pub avatar_url: Option<String>,
    pub external_id: Option<String>,
    pub config: Value,
    pub inbox_id: Option<i64>,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The sealed credentials are left out on purpose: nothing the API
/// renders needs them.
const COLUMNS: &str = "account_id, id, provider, name, headline, avatar_url, external_id, config, inbox_id, \
                       status, created_at, updated_at";

/// A user's standing in one account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Membership {
    pub account_id: i64,
    pub role: String,
}

/// The accounts a user belongs to that are not suspended, the active one
/// first (most recently active, then the oldest membership — the rule the
/// Platform API's user JSON uses).
pub async fn memberships(db: impl PgExecutor<'_>, user_id: i64) -> Result<Vec<Membership>, sqlx::Error> {
    sqlx::query_as(
        "SELECT au.account_id, au.role FROM account_users au \
         JOIN accounts a ON a.id = au.account_id \
         WHERE au.user_id = $1 AND a.status <> 'suspended' \
         ORDER BY au.active_at DESC NULLS LAST, au.id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// One page of an account's connected accounts, oldest first (ids are
/// UUIDv7, so id order is creation order).
pub async fn page(
    db: impl PgExecutor<'_>,
    account_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<ConnectedAccountRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM connected_accounts WHERE account_id = $1 ORDER BY id LIMIT $2 OFFSET $3"
    ))
    .bind(account_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}

pub async fn count(db: impl PgExecutor<'_>, account_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM connected_accounts WHERE account_id = $1")
        .bind(account_id)
        .fetch_one(db)
        .await
}

/// The connected account `id` if it belongs to one of `account_ids`.
pub async fn find(
    db: impl PgExecutor<'_>,
    account_ids: &[i64],
    id: Uuid,
) -> Result<Option<ConnectedAccountRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM connected_accounts WHERE account_id = ANY($1) AND id = $2"
    ))
    .bind(account_ids)
    .bind(id)
    .fetch_optional(db)
    .await
}

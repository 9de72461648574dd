//! Reading a user's custom filters; every query is scoped by account and
//! user, so another user's filter is simply not there.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgExecutor;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CustomFilterRow {
    pub id: i64,
    pub account_id: i64,
    pub user_id: i64,
    pub name: String,
    pub filter_type: String,
    pub query: Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, account_id, user_id, name, filter_type, query, created_at, updated_at";

/// `user_id`'s filters of `filter_type` (an upstream name) in the account,
/// oldest first.
pub async fn list(
    db: impl PgExecutor<'_>,
    account_id: i64,
    user_id: i64,
    filter_type: &str,
) -> Result<Vec<CustomFilterRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM custom_filters \
         WHERE account_id = $1 AND user_id = $2 AND filter_type = $3 ORDER BY id"
    ))
    .bind(account_id)
    .bind(user_id)
    .bind(filter_type)
    .fetch_all(db)
    .await
}

/// `user_id`'s filter `id` in the account.
pub async fn find(
    db: impl PgExecutor<'_>,
    account_id: i64,
    user_id: i64,
    id: i64,
) -> Result<Option<CustomFilterRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM custom_filters WHERE account_id = $1 AND user_id = $2 AND id = $3"
    ))
    .bind(account_id)
    .bind(user_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

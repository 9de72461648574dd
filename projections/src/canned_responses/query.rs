//! Reading canned responses; every query is scoped by account.

use crate::filter::condition::escape_like;
use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CannedResponseRow {
    pub id: i64,
    pub account_id: i64,
    pub short_code: String,
    pub content: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, account_id, short_code, content, created_at, updated_at";

/// The account's canned responses, oldest first; with `search`, those
/// whose short code or content contains it (case-insensitively, `%` and
/// `_` literal), ranked like upstream: short code starts with it, then
/// short code contains it, then content contains it.
pub async fn list(
    db: impl PgExecutor<'_>,
    account_id: i64,
    search: Option<&str>,
) -> Result<Vec<CannedResponseRow>, sqlx::Error> {
    let Some(search) = search else {
        return sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM canned_responses WHERE account_id = $1 ORDER BY id"
        ))
        .bind(account_id)
        .fetch_all(db)
        .await;
    };
    let escaped = escape_like(search);
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM canned_responses \
         WHERE account_id = $1 AND (short_code ILIKE $2 OR content ILIKE $2) \
         ORDER BY CASE WHEN short_code ILIKE $3 THEN 0 WHEN short_code ILIKE $2 THEN 1 ELSE 2 END, id"
    ))
    .bind(account_id)
    .bind(format!("%{escaped}%"))
    .bind(format!("{escaped}%"))
    .fetch_all(db)
    .await
}

pub async fn find(
    db: impl PgExecutor<'_>,
    account_id: i64,
    id: i64,
) -> Result<Option<CannedResponseRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM canned_responses WHERE account_id = $1 AND id = $2"))
        .bind(account_id)
        .bind(id)
        .fetch_optional(db)
        .await
}

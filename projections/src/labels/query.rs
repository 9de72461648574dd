//! Reading labels; every query is scoped by account.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LabelRow {
    pub id: i64,
    pub account_id: i64,
    pub title: String,
    pub description: Option<String>,
    pub color: String,
    pub show_on_sidebar: Option<bool>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, account_id, title, description, color, show_on_sidebar, created_at, updated_at";

/// The account's labels, oldest first (the upstream has no order; its
/// rows come back in insertion order in practice).
pub async fn list(db: impl PgExecutor<'_>, account_id: i64) -> Result<Vec<LabelRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM labels WHERE account_id = $1 ORDER BY id"))
        .bind(account_id)
        .fetch_all(db)
        .await
}

pub async fn find(
    db: impl PgExecutor<'_>,
    account_id: i64,
    id: i64,
) -> Result<Option<LabelRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM labels WHERE account_id = $1 AND id = $2"))
        .bind(account_id)
        .bind(id)
        .fetch_optional(db)
        .await
}

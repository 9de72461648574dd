//! Reading webhooks and their delivery log (every query keyed by account).

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

/// Deliveries per page of the delivery log.
pub const DELIVERIES_PER_PAGE: i64 = 25;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct WebhookRow {
    pub account_id: i64,
    pub id: i64,
    pub name: Option<String>,
    pub url: String,
    pub subscriptions: Vec<String>,
    pub inbox_id: Option<i64>,
    pub secret_sealed: String,
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "account_id, id, name, url, subscriptions, inbox_id, secret_sealed, disabled_reason, \
                       created_at, updated_at";

pub async fn find(
    db: impl PgExecutor<'_>,
    account_id: i64,
    id: i64,
) -> Result<Option<WebhookRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM webhooks WHERE account_id = $1 AND id = $2"))
        .bind(account_id)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// A webhook by id alone (the installation admin's CLI).
pub async fn find_any(db: impl PgExecutor<'_>, id: i64) -> Result<Option<WebhookRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM webhooks WHERE id = $1")).bind(id).fetch_optional(db).await
}

/// The account's webhooks, oldest first.
pub async fn list(db: impl PgExecutor<'_>, account_id: i64) -> Result<Vec<WebhookRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM webhooks WHERE account_id = $1 ORDER BY id"))
        .bind(account_id)
        .fetch_all(db)
        .await
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: Uuid,
    pub webhook_id: i64,
    pub message_id: Uuid,
    pub event_id: Uuid,
    pub event_position: i64,
    pub event_name: String,
    pub origin: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AttemptRow {
    pub delivery_id: Uuid,
    pub attempt: i32,
    pub started_at: DateTime<Utc>,
    pub duration_ms: i32,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub response_excerpt: Option<String>,
    pub retry_at: Option<DateTime<Utc>>,
}

/// Which deliveries of a webhook to list.
#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    pub status: Option<String>,
    pub event: Option<String>,
    /// 1-based.
    pub page: i64,
}

/// One page of a webhook's deliveries, newest first, and the total count.
pub async fn deliveries(
    db: impl PgExecutor<'_> + Copy,
    account_id: i64,
    webhook_id: i64,
    filter: &DeliveryFilter,
) -> Result<(Vec<DeliveryRow>, i64), sqlx::Error> {
    const WHERE: &str = "WHERE account_id = $1 AND target = 'webhook' AND webhook_id = $2 \
                           AND ($3::text IS NULL OR status = $3) AND ($4::text IS NULL OR event_name = $4)";
    let rows = sqlx::query_as(&format!(
        "SELECT id, webhook_id, message_id, event_id, event_position, event_name, origin, status, attempts, \
                next_attempt_at, last_status, last_error, created_at, finished_at \
         FROM webhook_deliveries {WHERE} ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6"
    ))
    .bind(account_id)
    .bind(webhook_id)
    .bind(&filter.status)
    .bind(&filter.event)
    .bind(DELIVERIES_PER_PAGE)
    .bind((filter.page.max(1) - 1).saturating_mul(DELIVERIES_PER_PAGE))
    .fetch_all(db)
    .await?;
    let count = sqlx::query_scalar(&format!("SELECT count(*) FROM webhook_deliveries {WHERE}"))
        .bind(account_id)
        .bind(webhook_id)
        .bind(&filter.status)
        .bind(&filter.event)
        .fetch_one(db)
        .await?;
    Ok((rows, count))
}

/// The attempts of the given deliveries, in order.
pub async fn attempts(
    db: impl PgExecutor<'_>,
    account_id: i64,
    delivery_ids: &[Uuid],
) -> Result<Vec<AttemptRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT delivery_id, attempt, started_at, duration_ms, status_code, error, response_excerpt, retry_at \
         FROM webhook_delivery_attempts WHERE account_id = $1 AND delivery_id = ANY($2) \
         ORDER BY delivery_id, attempt",
    )
    .bind(account_id)
    .bind(delivery_ids)
    .fetch_all(db)
    .await
}

//! Reading automation rules; every query is scoped by account.

use chrono::{DateTime, Utc};
use onelink_domain::automation_rule::{Action, Condition};
use sqlx::types::Json;
use sqlx::PgExecutor;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AutomationRuleRow {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub description: Option<String>,
    pub event_name: String,
    pub conditions: Json<Vec<Condition>>,
    pub actions: Json<Vec<Action>>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str =
    "id, account_id, name, description, event_name, conditions, actions, active, created_at, updated_at";

/// The account's rules, oldest first.
pub async fn list(db: impl PgExecutor<'_>, account_id: i64) -> Result<Vec<AutomationRuleRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM automation_rules WHERE account_id = $1 ORDER BY id"))
        .bind(account_id)
        .fetch_all(db)
        .await
}

pub async fn find(
    db: impl PgExecutor<'_>,
    account_id: i64,
    id: i64,
) -> Result<Option<AutomationRuleRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM automation_rules WHERE account_id = $1 AND id = $2"))
        .bind(account_id)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The active rules among `ids` listening to `event_name`, in id order.
pub async fn active_among(
    db: impl PgExecutor<'_>,
    account_id: i64,
    ids: &[i64],
    event_name: &str,
) -> Result<Vec<AutomationRuleRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM automation_rules \
         WHERE account_id = $1 AND id = ANY($2) AND event_name = $3 AND active ORDER BY id"
    ))
    .bind(account_id)
    .bind(ids)
    .bind(event_name)
    .fetch_all(db)
    .await
}

//! Reading custom attribute definitions; every query is scoped by account.

use crate::filter::{CustomAttribute, CustomType};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgExecutor;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DefinitionRow {
    pub id: i64,
    pub account_id: i64,
    pub attribute_display_name: String,
    pub attribute_key: String,
    pub attribute_display_type: String,
    pub attribute_model: String,
    pub attribute_description: Option<String>,
    pub attribute_values: Value,
    pub regex_pattern: Option<String>,
    pub regex_cue: Option<String>,
    pub default_value: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, account_id, attribute_display_name, attribute_key, attribute_display_type, \
     attribute_model, attribute_description, attribute_values, regex_pattern, regex_cue, default_value, \
     created_at, updated_at";

/// The account's definitions, oldest first; only those of `model` (an
/// upstream `attribute_model` name) when given.
pub async fn list(
    db: impl PgExecutor<'_>,
    account_id: i64,
    model: Option<&str>,
) -> Result<Vec<DefinitionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM custom_attribute_definitions \
         WHERE account_id = $1 AND ($2::text IS NULL OR attribute_model = $2) ORDER BY id"
    ))
    .bind(account_id)
    .bind(model)
    .fetch_all(db)
    .await
}

pub async fn find(
    db: impl PgExecutor<'_>,
    account_id: i64,
    id: i64,
) -> Result<Option<DefinitionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM custom_attribute_definitions WHERE account_id = $1 AND id = $2"
    ))
    .bind(account_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The account's definitions of `model` as the filter engine takes them
/// (key and how values compare).
pub async fn filter_attributes(
    db: impl PgExecutor<'_>,
    account_id: i64,
    model: &str,
) -> Result<Vec<CustomAttribute>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT attribute_key, attribute_display_type FROM custom_attribute_definitions \
         WHERE account_id = $1 AND attribute_model = $2 ORDER BY id",
    )
    .bind(account_id)
    .bind(model)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(key, display_type)| {
            CustomType::parse(&display_type).map(|display_type| CustomAttribute { key, display_type })
        })
        .collect())
}

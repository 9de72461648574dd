//! Applying custom attribute definition and account events to
//! `custom_attribute_definitions`.

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::custom_attribute::{CustomAttributeDefinition, CustomAttributeEvent, DefinitionChanges};
use serde_json::Value;
use sqlx::PgConnection;

pub struct CustomAttributesProjection;

#[async_trait]
impl Projection for CustomAttributesProjection {
    fn name(&self) -> &'static str {
        "custom_attribute_definitions"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["custom_attribute_definitions"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if e.is(CustomAttributeDefinition::TYPE) {
            let account_id = e
                .account_id
                .ok_or_else(|| anyhow::anyhow!("custom attribute event {} has no account", e.event_id))?;
            apply_definition(conn, account_id, e.numeric_id()?, e.recorded_at, e.decode()?).await?;
        } else if e.is(Account::TYPE) && matches!(e.decode::<AccountEvent>()?, AccountEvent::AccountDeleted) {
            sqlx::query("DELETE FROM custom_attribute_definitions WHERE account_id = $1")
                .bind(e.numeric_id()?)
                .execute(conn)
                .await?;
        }
        Ok(())
    }
}

async fn apply_definition(
    conn: &mut PgConnection,
    account_id: i64,
    id: i64,
    at: DateTime<Utc>,
    event: CustomAttributeEvent,
) -> anyhow::Result<()> {
    match event {
        CustomAttributeEvent::CustomAttributeDefinitionCreated { fields: f, .. } => {
            sqlx::query(
                "INSERT INTO custom_attribute_definitions (account_id, id, attribute_display_name, attribute_key, \
                   attribute_display_type, attribute_model, attribute_description, attribute_values, \
                   regex_pattern, regex_cue, default_value, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
            )
            .bind(account_id)
            .bind(id)
            .bind(f.attribute_display_name)
            .bind(f.attribute_key)
            .bind(f.attribute_display_type.as_str())
            .bind(f.attribute_model.as_str())
            .bind(f.attribute_description)
            .bind(Value::from(f.attribute_values))
            .bind(f.regex_pattern)
            .bind(f.regex_cue)
            .bind(f.default_value)
            .bind(at)
            .execute(conn)
            .await?;
        }
        CustomAttributeEvent::CustomAttributeDefinitionUpdated(c) => {
            update(conn, account_id, id, at, c).await?
        }
        CustomAttributeEvent::CustomAttributeDefinitionDeleted => {
            sqlx::query("DELETE FROM custom_attribute_definitions WHERE account_id = $1 AND id = $2")
                .bind(account_id)
                .bind(id)
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

/// Writes the changed columns; a nullable column takes a flag (changed?)
/// and its new value, so a cleared value becomes NULL.
async fn update(
    conn: &mut PgConnection,
    account_id: i64,
    id: i64,
    at: DateTime<Utc>,
    c: DefinitionChanges,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE custom_attribute_definitions SET \
           attribute_display_name = COALESCE($3, attribute_display_name), \
           attribute_key = COALESCE($4, attribute_key), \
           attribute_display_type = COALESCE($5, attribute_display_type), \
           attribute_model = COALESCE($6, attribute_model), \
           attribute_description = CASE WHEN $7 THEN $8 ELSE attribute_description END, \
           attribute_values = COALESCE($9, attribute_values), \
           regex_pattern = CASE WHEN $10 THEN $11 ELSE regex_pattern END, \
           regex_cue = CASE WHEN $12 THEN $13 ELSE regex_cue END, \
           default_value = CASE WHEN $14 THEN $15 ELSE default_value END, \
           updated_at = $16 \
         WHERE account_id = $1 AND id = $2",
    )
    .bind(account_id)
    .bind(id)
    .bind(c.attribute_display_name)
    .bind(c.attribute_key)
    .bind(c.attribute_display_type.map(|t| t.as_str()))
    .bind(c.attribute_model.map(|m| m.as_str()))
    .bind(c.attribute_description.is_some())
    .bind(c.attribute_description.flatten())
    .bind(c.attribute_values.map(Value::from))
    .bind(c.regex_pattern.is_some())
    .bind(c.regex_pattern.flatten())
    .bind(c.regex_cue.is_some())
    .bind(c.regex_cue.flatten())
    .bind(c.default_value.is_some())
    .bind(c.default_value.flatten())
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

//! Applying custom filter, account and user events to `custom_filters`.

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::custom_filter::{CustomFilter, CustomFilterEvent};
use onelink_domain::user::{User, UserEvent};
use serde_json::Value;
use sqlx::PgConnection;

pub struct CustomFiltersProjection;

#[async_trait]
impl Projection for CustomFiltersProjection {
    fn name(&self) -> &'static str {
        "custom_filters"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["custom_filters"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if e.is(CustomFilter::TYPE) {
            let account_id = e
                .account_id
                .ok_or_else(|| anyhow::anyhow!("custom filter event {} has no account", e.event_id))?;
            apply_filter(conn, account_id, e).await?;
        } else if e.is(Account::TYPE) && matches!(e.decode::<AccountEvent>()?, AccountEvent::AccountDeleted) {
            sqlx::query("DELETE FROM custom_filters WHERE account_id = $1")
                .bind(e.numeric_id()?)
                .execute(conn)
                .await?;
        } else if e.is(User::TYPE) && matches!(e.decode::<UserEvent>()?, UserEvent::UserDeleted) {
            sqlx::query("DELETE FROM custom_filters WHERE user_id = $1")
                .bind(e.numeric_id()?)
                .execute(conn)
                .await?;
        }
        Ok(())
    }
}

async fn apply_filter(conn: &mut PgConnection, account_id: i64, e: &RecordedEvent) -> anyhow::Result<()> {
    let id = e.numeric_id()?;
    match e.decode::<CustomFilterEvent>()? {
        CustomFilterEvent::CustomFilterCreated { user_id, name, filter_type, query, .. } => {
            sqlx::query(
                "INSERT INTO custom_filters (account_id, id, user_id, name, filter_type, query, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
            )
            .bind(account_id)
            .bind(id)
            .bind(user_id.0)
            .bind(name)
            .bind(filter_type.as_str())
            .bind(Value::Object(query))
            .bind(e.recorded_at)
            .execute(conn)
            .await?;
        }
        CustomFilterEvent::CustomFilterUpdated { name, filter_type, query } => {
            sqlx::query(
                "UPDATE custom_filters SET name = COALESCE($3, name), filter_type = COALESCE($4, filter_type), \
                   query = COALESCE($5, query), updated_at = $6 \
                 WHERE account_id = $1 AND id = $2",
            )
            .bind(account_id)
            .bind(id)
            .bind(name)
            .bind(filter_type.map(|t| t.as_str()))
            .bind(query.map(Value::Object))
            .bind(e.recorded_at)
            .execute(conn)
            .await?;
        }
        CustomFilterEvent::CustomFilterDeleted => {
            sqlx::query("DELETE FROM custom_filters WHERE account_id = $1 AND id = $2")
                .bind(account_id)
                .bind(id)
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

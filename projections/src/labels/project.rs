//! Applying label and account events to `labels`.

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::label::{Label, LabelEvent};
use sqlx::PgConnection;

pub struct LabelsProjection;

#[async_trait]
impl Projection for LabelsProjection {
    fn name(&self) -> &'static str {
        "labels"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["labels"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if e.is(Label::TYPE) {
            let account_id =
                e.account_id.ok_or_else(|| anyhow::anyhow!("label event {} has no account", e.event_id))?;
            let id = e.numeric_id()?;
            match e.decode::<LabelEvent>()? {
                LabelEvent::LabelCreated { title, description, color, show_on_sidebar, .. } => {
                    sqlx::query(
                        "INSERT INTO labels (account_id, id, title, description, color, show_on_sidebar, \
                           created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
                    )
                    .bind(account_id)
                    .bind(id)
                    .bind(title)
                    .bind(description)
                    .bind(color)
                    .bind(show_on_sidebar)
                    .bind(e.recorded_at)
                    .execute(conn)
                    .await?;
                }
                LabelEvent::LabelUpdated { title, description, color, show_on_sidebar } => {
                    // a cleared nullable field is `Some(None)`: the flags say
                    // whether it was set at all
                    sqlx::query(
                        "UPDATE labels SET title = COALESCE($3, title), \
                           description = CASE WHEN $4 THEN $5 ELSE description END, \
                           color = COALESCE($6, color), \
                           show_on_sidebar = CASE WHEN $7 THEN $8 ELSE show_on_sidebar END, \
                           updated_at = $9 \
                         WHERE account_id = $1 AND id = $2",
                    )
                    .bind(account_id)
                    .bind(id)
                    .bind(title)
                    .bind(description.is_some())
                    .bind(description.flatten())
                    .bind(color)
                    .bind(show_on_sidebar.is_some())
                    .bind(show_on_sidebar.flatten())
                    .bind(e.recorded_at)
                    .execute(conn)
                    .await?;
                }
                LabelEvent::LabelDeleted => {
                    sqlx::query("DELETE FROM labels WHERE account_id = $1 AND id = $2")
                        .bind(account_id)
                        .bind(id)
                        .execute(conn)
                        .await?;
                }
            }
        } else if e.is(Account::TYPE) && matches!(e.decode::<AccountEvent>()?, AccountEvent::AccountDeleted) {
            sqlx::query("DELETE FROM labels WHERE account_id = $1")
                .bind(e.numeric_id()?)
                .execute(conn)
                .await?;
        }
        Ok(())
    }
}

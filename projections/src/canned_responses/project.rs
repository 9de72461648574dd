//! Applying canned response and account events to `canned_responses`.

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::canned_response::{CannedResponse, CannedResponseEvent};
use sqlx::PgConnection;

pub struct CannedResponsesProjection;

#[async_trait]
impl Projection for CannedResponsesProjection {
    fn name(&self) -> &'static str {
        "canned_responses"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["canned_responses"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if e.is(CannedResponse::TYPE) {
            let account_id = e
                .account_id
                .ok_or_else(|| anyhow::anyhow!("canned response event {} has no account", e.event_id))?;
            let id = e.numeric_id()?;
            match e.decode::<CannedResponseEvent>()? {
                CannedResponseEvent::CannedResponseCreated { short_code, content, .. } => {
                    sqlx::query(
                        "INSERT INTO canned_responses (account_id, id, short_code, content, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $5)",
                    )
                    .bind(account_id)
                    .bind(id)
                    .bind(short_code)
                    .bind(content)
                    .bind(e.recorded_at)
                    .execute(conn)
                    .await?;
                }
                CannedResponseEvent::CannedResponseUpdated { short_code, content } => {
                    sqlx::query(
                        "UPDATE canned_responses SET short_code = COALESCE($3, short_code), \
                           content = COALESCE($4, content), updated_at = $5 \
                         WHERE account_id = $1 AND id = $2",
                    )
                    .bind(account_id)
                    .bind(id)
                    .bind(short_code)
                    .bind(content)
                    .bind(e.recorded_at)
                    .execute(conn)
                    .await?;
                }
                CannedResponseEvent::CannedResponseDeleted => {
                    sqlx::query("DELETE FROM canned_responses WHERE account_id = $1 AND id = $2")
                        .bind(account_id)
                        .bind(id)
                        .execute(conn)
                        .await?;
                }
            }
        } else if e.is(Account::TYPE) && matches!(e.decode::<AccountEvent>()?, AccountEvent::AccountDeleted) {
            sqlx::query("DELETE FROM canned_responses WHERE account_id = $1")
                .bind(e.numeric_id()?)
                .execute(conn)
                .await?;
        }
        Ok(())
    }
}

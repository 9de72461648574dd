//! `contact_inboxes`: each contact's source ids per inbox.

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_domain::contact_inbox::{ContactInbox, ContactInboxEvent};
use sqlx::{PgConnection, PgExecutor};

pub struct ContactInboxesProjection;

#[async_trait]
impl Projection for ContactInboxesProjection {
    fn name(&self) -> &'static str {
        "contact_inboxes"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["contact_inboxes"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if !e.is(ContactInbox::TYPE) {
            return Ok(());
        }
        match e.decode::<ContactInboxEvent>()? {
            ContactInboxEvent::ContactInboxCreated {
                id,
                account_id,
                inbox_id,
                contact_id,
                source_id,
                pubsub_token,
                hmac_verified,
            } => {
                sqlx::query(
                    "INSERT INTO contact_inboxes (account_id, id, contact_id, inbox_id, source_id, \
                       pubsub_token_digest, pubsub_token_sealed, hmac_verified, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(account_id.0)
                .bind(id)
                .bind(contact_id.0)
                .bind(inbox_id.0)
                .bind(source_id)
                .bind(pubsub_token.digest)
                .bind(pubsub_token.sealed)
                .bind(hmac_verified)
                .bind(e.recorded_at)
                .execute(conn)
                .await?;
            }
            ContactInboxEvent::ContactInboxHmacVerified { account_id } => {
                let (inbox_id, source_id) = stream_parts(&e.aggregate_id)?;
                sqlx::query(
                    "UPDATE contact_inboxes SET hmac_verified = true \
                     WHERE account_id = $1 AND inbox_id = $2 AND source_id = $3",
                )
                .bind(account_id.0)
                .bind(inbox_id)
                .bind(source_id)
                .execute(conn)
                .await?;
            }
            ContactInboxEvent::ContactInboxRemoved { account_id } => {
                let (inbox_id, source_id) = stream_parts(&e.aggregate_id)?;
                sqlx::query(
                    "DELETE FROM contact_inboxes WHERE account_id = $1 AND inbox_id = $2 AND source_id = $3",
                )
                .bind(account_id.0)
                .bind(inbox_id)
                .bind(source_id)
                .execute(conn)
                .await?;
            }
        }
        Ok(())
    }
}

/// `(inbox_id, source_id)` of a contact inbox stream id.
fn stream_parts(aggregate_id: &str) -> anyhow::Result<(i64, &str)> {
    let (inbox_id, source_id) = aggregate_id
        .split_once('/')
        .ok_or_else(|| anyhow::anyhow!("contact inbox stream {aggregate_id:?} is malformed"))?;
    Ok((inbox_id.parse()?, source_id))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContactInboxRow {
    pub id: i64,
    pub account_id: i64,
    pub contact_id: i64,
    pub inbox_id: i64,
    pub source_id: String,
    pub pubsub_token_sealed: String,
    pub hmac_verified: bool,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str =
    "id, account_id, contact_id, inbox_id, source_id, pubsub_token_sealed, hmac_verified, created_at";

/// A contact inbox with the inbox fields the Contact JSON shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContactInboxWithInbox {
    pub contact_id: i64,
    pub source_id: String,
    pub inbox_id: i64,
    pub inbox_name: String,
    pub channel_id: i64,
    pub channel_type: String,
}

/// The contact inboxes of several contacts (for listings), oldest first.
pub async fn of_contacts(
    db: impl PgExecutor<'_>,
    account_id: i64,
    contact_ids: &[i64],
) -> Result<Vec<ContactInboxWithInbox>, sqlx::Error> {
    sqlx::query_as(
        "SELECT ci.contact_id, ci.source_id, ci.inbox_id, i.name AS inbox_name, i.channel_id, i.channel_type \
         FROM contact_inboxes ci JOIN inboxes i ON i.account_id = ci.account_id AND i.id = ci.inbox_id \
         WHERE ci.account_id = $1 AND ci.contact_id = ANY($2) ORDER BY ci.id",
    )
    .bind(account_id)
    .bind(contact_ids)
    .fetch_all(db)
    .await
}

/// The contact inbox with `source_id` in `inbox_id`.
pub async fn find(
    db: impl PgExecutor<'_>,
    account_id: i64,
    inbox_id: i64,
    source_id: &str,
) -> Result<Option<ContactInboxRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM contact_inboxes WHERE account_id = $1 AND inbox_id = $2 AND source_id = $3"
    ))
    .bind(account_id)
    .bind(inbox_id)
    .bind(source_id)
    .fetch_optional(db)
    .await
}

/// A contact inbox of the account by source id alone (the oldest if the
/// same source id exists in several inboxes).
pub async fn find_by_source(
    db: impl PgExecutor<'_>,
    account_id: i64,
    source_id: &str,
) -> Result<Option<ContactInboxRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM contact_inboxes WHERE account_id = $1 AND source_id = $2 ORDER BY id LIMIT 1"
    ))
    .bind(account_id)
    .bind(source_id)
    .fetch_optional(db)
    .await
}

/// The (inbox, source id) pairs a contact holds.
pub async fn held_by(
    db: impl PgExecutor<'_>,
    account_id: i64,
    contact_id: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT inbox_id, source_id FROM contact_inboxes WHERE account_id = $1 AND contact_id = $2",
    )
    .bind(account_id)
    .bind(contact_id)
    .fetch_all(db)
    .await
}

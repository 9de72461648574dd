//! The `contacts` projection: `contacts` and `contact_labels` from the
//! contact streams. A deleted account takes its contacts with it.

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::contact::{Contact, ContactEvent};
use serde_json::Value;
use sqlx::PgConnection;

pub struct ContactsProjection;

#[async_trait]
impl Projection for ContactsProjection {
    fn name(&self) -> &'static str {
        "contacts"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["contacts", "contact_labels"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if e.is(Contact::TYPE) {
            apply_contact(conn, e.numeric_id()?, e.recorded_at, e.decode()?).await?;
        } else if e.is(Account::TYPE) && matches!(e.decode::<AccountEvent>()?, AccountEvent::AccountDeleted) {
            let account_id = e.numeric_id()?;
            for table in ["contacts", "contact_labels"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE account_id = $1"))
                    .bind(account_id)
                    .execute(&mut *conn)
                    .await?;
            }
        }
        Ok(())
    }
}

async fn apply_contact(
    conn: &mut PgConnection,
    id: i64,
    at: DateTime<Utc>,
    event: ContactEvent,
) -> anyhow::Result<()> {
    let account_id = event.account_id().0;
    match event {
        ContactEvent::ContactCreated { fields: f, .. } => {
            sqlx::query(
                "INSERT INTO contacts (account_id, id, name, email, phone_number, identifier, blocked, \
                                       additional_attributes, custom_attributes, contact_type, \
                                       created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
            )
            .bind(account_id)
            .bind(id)
            .bind(&f.name)
            .bind(&f.email)
            .bind(&f.phone_number)
            .bind(&f.identifier)
            .bind(f.blocked)
            .bind(Value::Object(f.additional_attributes))
            .bind(Value::Object(f.custom_attributes))
            .bind(f.contact_type.as_str())
            .bind(at)
            .execute(conn)
            .await?;
        }
        ContactEvent::ContactUpdated {
            name,
            email,
            phone_number,
            identifier,
            blocked,
            additional_attributes,
            custom_attributes,
            contact_type,
            ..
        } => {
            sqlx::query(
                "UPDATE contacts SET name = COALESCE($3, name), \
                   email = CASE WHEN $4 THEN $5 ELSE email END, \
                   phone_number = CASE WHEN $6 THEN $7 ELSE phone_number END, \
                   identifier = CASE WHEN $8 THEN $9 ELSE identifier END, \
                   blocked = COALESCE($10, blocked), \
                   additional_attributes = COALESCE($11, additional_attributes), \
                   custom_attributes = COALESCE($12, custom_attributes), \
                   contact_type = COALESCE($13, contact_type), updated_at = $14 \
                 WHERE account_id = $1 AND id = $2",
            )
            .bind(account_id)
            .bind(id)
            .bind(name)
            .bind(email.is_some())
            .bind(email.flatten())
            .bind(phone_number.is_some())
            .bind(phone_number.flatten())
            .bind(identifier.is_some())
            .bind(identifier.flatten())
            .bind(blocked)
            .bind(additional_attributes.map(Value::Object))
            .bind(custom_attributes.map(Value::Object))
            .bind(contact_type.map(|t| t.as_str()))
            .bind(at)
            .execute(conn)
            .await?;
        }
        ContactEvent::ContactCustomAttributesRemoved { keys, .. } => {
            sqlx::query(
                "UPDATE contacts SET custom_attributes = custom_attributes - $3::text[], updated_at = $4 \
                 WHERE account_id = $1 AND id = $2",
            )
            .bind(account_id)
            .bind(id)
            .bind(keys)
            .bind(at)
            .execute(conn)
            .await?;
        }
        ContactEvent::ContactLabelsChanged { labels, .. } => {
            sqlx::query("DELETE FROM contact_labels WHERE account_id = $1 AND contact_id = $2")
                .bind(account_id)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            sqlx::query(
                "INSERT INTO contact_labels (account_id, contact_id, label, position) \
                 SELECT $1, $2, l.label, l.position::int FROM UNNEST($3::text[]) WITH ORDINALITY AS l(label, position)",
            )
            .bind(account_id)
            .bind(id)
            .bind(labels)
            .execute(&mut *conn)
            .await?;
            sqlx::query("UPDATE contacts SET updated_at = $3 WHERE account_id = $1 AND id = $2")
                .bind(account_id)
                .bind(id)
                .bind(at)
                .execute(conn)
                .await?;
        }
        ContactEvent::ContactAvatarChanged { avatar, .. } => {
            sqlx::query("UPDATE contacts SET avatar = $3, updated_at = $4 WHERE account_id = $1 AND id = $2")
                .bind(account_id)
                .bind(id)
                .bind(avatar.as_ref().and_then(|a| serde_json::to_value(a).ok()))
                .bind(at)
                .execute(conn)
                .await?;
        }
        ContactEvent::ContactDeleted { .. } => {
            for table in ["contacts", "contact_labels"] {
                let key = if table == "contacts" { "id" } else { "contact_id" };
                sqlx::query(&format!("DELETE FROM {table} WHERE account_id = $1 AND {key} = $2"))
                    .bind(account_id)
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    Ok(())
}

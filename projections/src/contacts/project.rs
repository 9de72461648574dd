//! The `contacts` projection: `contacts`, `contact_labels` and
//! `contact_counts` from the contact streams. A deleted account takes its
//! contacts with it.
//!
//! `contact_counts` holds, per account, how many contacts each listing
//! starts from (see [`super::query::Resolved`]). Every statement that
//! creates, changes or deletes a contact returns whether the contact was and
//! is counted, so the counts move with the rows in the same transaction;
//! a batch adds its deltas up and writes them once.

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::contact::{Contact, ContactEvent};
use serde_json::Value;
use sqlx::PgConnection;
use std::collections::BTreeMap;

/// The tables this projection writes.
const TABLES: &[&str] = &["contacts", "contact_labels", "contact_counts"];

/// Whether the row aliased `c` is counted: (reachable, lead). The same
/// predicates as the listings' (`query::Resolved`).
const COUNTED: &str = "(c.email <> '' OR c.phone_number <> '' OR c.identifier <> '') IS TRUE, \
                       c.contact_type = 'lead'";
/// The same for the row as it was before an UPDATE (aliased `o`).
const COUNTED_BEFORE: &str = "(o.email <> '' OR o.phone_number <> '' OR o.identifier <> '') IS TRUE, \
                              o.contact_type = 'lead'";

/// Count changes by account: (reachable, leads).
#[derive(Default)]
struct CountDeltas(BTreeMap<i64, (i64, i64)>);

impl CountDeltas {
    fn add(&mut self, account_id: i64, (reachable, lead): (bool, bool), sign: i64) {
        let entry = self.0.entry(account_id).or_default();
        entry.0 += sign * i64::from(reachable);
        entry.1 += sign * i64::from(lead);
    }

    /// Adds the deltas to `contact_counts` and drops the rows that reached
    /// zero, so live counts and a rebuild hold exactly the same rows.
    async fn write(self, conn: &mut PgConnection) -> anyhow::Result<()> {
        let deltas: Vec<(i64, (i64, i64))> = self.0.into_iter().filter(|(_, d)| *d != (0, 0)).collect();
        if deltas.is_empty() {
            return Ok(());
        }
        let accounts: Vec<i64> = deltas.iter().map(|(a, _)| *a).collect();
        let reachable: Vec<i64> = deltas.iter().map(|(_, d)| d.0).collect();
        let leads: Vec<i64> = deltas.iter().map(|(_, d)| d.1).collect();
        sqlx::query(
            "INSERT INTO contact_counts (account_id, reachable, leads) \
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[]) \
             ON CONFLICT (account_id) DO UPDATE SET reachable = contact_counts.reachable + EXCLUDED.reachable, \
                                                    leads = contact_counts.leads + EXCLUDED.leads",
        )
        .bind(&accounts)
        .bind(&reachable)
        .bind(&leads)
        .execute(&mut *conn)
        .await?;
        if deltas.iter().any(|(_, d)| d.0 < 0 || d.1 < 0) {
            sqlx::query(
                "DELETE FROM contact_counts WHERE account_id = ANY($1) AND reachable = 0 AND leads = 0",
            )
            .bind(&accounts)
            .execute(conn)
            .await?;
        }
        Ok(())
    }
}

pub struct ContactsProjection;

#[async_trait]
impl Projection for ContactsProjection {
    fn name(&self) -> &'static str {
        "contacts"
    }

    fn tables(&self) -> &'static [&'static str] {
        TABLES
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        let mut counts = CountDeltas::default();
        apply_event(conn, e, &mut counts).await?;
        counts.write(conn).await
    }

    async fn apply_batch(&self, conn: &mut PgConnection, events: &[RecordedEvent]) -> anyhow::Result<()> {
        let mut counts = CountDeltas::default();
        for e in events {
            apply_event(conn, e, &mut counts).await.map_err(|err| {
                anyhow::anyhow!(
                    "{} failed on event {} ({}): {err:#}",
                    self.name(),
                    e.global_position,
                    e.event_type
                )
            })?;
        }
        counts.write(conn).await
    }
}

async fn apply_event(
    conn: &mut PgConnection,
    e: &RecordedEvent,
    counts: &mut CountDeltas,
) -> anyhow::Result<()> {
    if e.is(Contact::TYPE) {
        apply_contact(conn, e.numeric_id()?, e.recorded_at, e.decode()?, counts).await?;
    } else if e.is(Account::TYPE) && matches!(e.decode::<AccountEvent>()?, AccountEvent::AccountDeleted) {
        let account_id = e.numeric_id()?;
        counts.0.remove(&account_id);
        for table in TABLES {
            sqlx::query(&format!("DELETE FROM {table} WHERE account_id = $1"))
                .bind(account_id)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

async fn apply_contact(
    conn: &mut PgConnection,
    id: i64,
    at: DateTime<Utc>,
    event: ContactEvent,
    counts: &mut CountDeltas,
) -> anyhow::Result<()> {
    let account_id = event.account_id().0;
    match event {
        ContactEvent::ContactCreated { fields: f, .. } => {
            let counted: (bool, bool) = sqlx::query_as(&format!(
                "INSERT INTO contacts AS c (account_id, id, name, email, phone_number, identifier, blocked, \
                                            additional_attributes, custom_attributes, contact_type, \
                                            created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING {COUNTED}"
            ))
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
            .fetch_one(conn)
            .await?;
            counts.add(account_id, counted, 1);
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
            // `o` is the row before the update (the statement's snapshot).
            let row: Option<(bool, bool, bool, bool)> = sqlx::query_as(&format!(
                "UPDATE contacts c SET name = COALESCE($3, c.name), \
                   email = CASE WHEN $4 THEN $5 ELSE c.email END, \
                   phone_number = CASE WHEN $6 THEN $7 ELSE c.phone_number END, \
                   identifier = CASE WHEN $8 THEN $9 ELSE c.identifier END, \
                   blocked = COALESCE($10, c.blocked), \
                   additional_attributes = COALESCE($11, c.additional_attributes), \
                   custom_attributes = COALESCE($12, c.custom_attributes), \
                   contact_type = COALESCE($13, c.contact_type), updated_at = $14 \
                 FROM contacts o \
                 WHERE c.account_id = $1 AND c.id = $2 AND o.account_id = c.account_id AND o.id = c.id \
                 RETURNING {COUNTED_BEFORE}, {COUNTED}"
            ))
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
            .fetch_optional(conn)
            .await?;
            if let Some((was_reachable, was_lead, reachable, lead)) = row {
                counts.add(account_id, (was_reachable, was_lead), -1);
                counts.add(account_id, (reachable, lead), 1);
            }
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
            sqlx::query("DELETE FROM contact_labels WHERE account_id = $1 AND contact_id = $2")
                .bind(account_id)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            let counted: Option<(bool, bool)> = sqlx::query_as(&format!(
                "DELETE FROM contacts c WHERE c.account_id = $1 AND c.id = $2 RETURNING {COUNTED}"
            ))
            .bind(account_id)
            .bind(id)
            .fetch_optional(conn)
            .await?;
            if let Some(counted) = counted {
                counts.add(account_id, counted, -1);
            }
        }
    }
    Ok(())
}

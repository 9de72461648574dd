//! `contact_created` and `contact_updated`: the upstream `ContactWebhook`
//! (`contact.webhook_data`) with `event`, and for updates
//! `changed_attributes` (never sent when nothing changed). The contact is
//! folded from its own stream up to the event, so the payload is the
//! contact as it was right after that event.

use super::{account_json, changed_attributes, iso, MessageSource};
use crate::log::RecordedEvent;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_commands::store::decode_event;
use onelink_domain::contact::{Contact, ContactEvent, ContactFields};
use serde_json::{json, Map, Value};
use sqlx::PgConnection;

pub struct ContactMessages;

/// A contact at one version, with the time it last changed.
#[derive(Default)]
struct Version {
    contact: Contact,
    updated_at: Option<DateTime<Utc>>,
}

/// The contact right before and right after `event`.
async fn fold(conn: &mut PgConnection, event: &RecordedEvent) -> anyhow::Result<(Version, Version)> {
    let rows: Vec<(String, Value, DateTime<Utc>)> = sqlx::query_as(
        "SELECT event_type, payload, recorded_at FROM events \
         WHERE aggregate_type = $1 AND aggregate_id = $2 AND sequence <= $3 ORDER BY sequence",
    )
    .bind(Contact::TYPE)
    .bind(&event.aggregate_id)
    .bind(event.sequence)
    .fetch_all(conn)
    .await?;
    let mut before = Version::default();
    let mut after = Version::default();
    let last = rows.len().saturating_sub(1);
    for (i, (event_type, payload, at)) in rows.into_iter().enumerate() {
        let decoded: ContactEvent = decode_event(&event_type, &payload)?;
        if i == last {
            before = Version { contact: after.contact.clone(), updated_at: after.updated_at };
        }
        after.contact.apply(decoded);
        after.updated_at = Some(at);
    }
    Ok((before, after))
}

/// `ContactWebhook`, in the upstream's key order.
fn webhook_data(account: Value, id: i64, f: &ContactFields) -> Map<String, Value> {
    // TODO(avatars): the avatar URL once avatars exist (REST shows "" too).
    let avatar = "";
    let value = json!({
        "account": account,
        "additional_attributes": f.additional_attributes,
        "avatar": avatar,
        "custom_attributes": f.custom_attributes,
        "email": f.email,
        "id": id,
        "identifier": f.identifier,
        "name": f.name,
        "phone_number": f.phone_number,
        "thumbnail": avatar,
        "blocked": f.blocked,
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn changes(before: &Version, after: &Version) -> Value {
    let (b, a) = (&before.contact.fields, &after.contact.fields);
    changed_attributes(vec![
        ("name", json!(b.name), json!(a.name)),
        ("email", json!(b.email), json!(a.email)),
        ("phone_number", json!(b.phone_number), json!(a.phone_number)),
        ("additional_attributes", json!(b.additional_attributes), json!(a.additional_attributes)),
        ("identifier", json!(b.identifier), json!(a.identifier)),
        ("custom_attributes", json!(b.custom_attributes), json!(a.custom_attributes)),
        ("contact_type", json!(b.contact_type.as_str()), json!(a.contact_type.as_str())),
        ("blocked", json!(b.blocked), json!(a.blocked)),
        ("updated_at", json!(before.updated_at.map(iso)), json!(after.updated_at.map(iso))),
    ])
}

#[async_trait]
impl MessageSource for ContactMessages {
    fn names(&self, event: &RecordedEvent) -> &'static [&'static str] {
        if !event.is(Contact::TYPE) {
            return &[];
        }
        match event.event_type.as_str() {
            "ContactCreated" => &["contact_created"],
            "ContactUpdated" | "ContactCustomAttributesRemoved" => &["contact_updated"],
            // labels live outside the contact record upstream; deletions
            // have no webhook event
            _ => &[],
        }
    }

    async fn build(
        &self,
        conn: &mut PgConnection,
        event: &RecordedEvent,
    ) -> anyhow::Result<Vec<(&'static str, Map<String, Value>)>> {
        let [name] = self.names(event) else { return Ok(vec![]) };
        let (before, after) = fold(conn, event).await?;
        let Some(account_id) = after.contact.account_id else { return Ok(vec![]) };
        let account = account_json(conn, account_id.0).await?;
        let mut payload = webhook_data(account, event.numeric_id()?, &after.contact.fields);
        payload.insert("event".into(), Value::String((*name).into()));
        if *name == "contact_updated" {
            let changed = changes(&before, &after);
            let visible = changed.as_array().is_some_and(|c| c.iter().any(|c| c.get("updated_at").is_none()));
            if !visible {
                // only `updated_at` moved: nothing a receiver can see
                return Ok(vec![]);
            }
            payload.insert("changed_attributes".into(), changed);
        }
        Ok(vec![(*name, payload)])
    }
}

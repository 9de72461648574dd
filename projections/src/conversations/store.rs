//! Loading and writing the conversation read models in bulk.

use super::fold::{Batch, MessageChange};
use super::row::{ConversationRow, CountKey, CONVERSATION_COLUMNS};
use serde_json::{json, Value};
use sqlx::PgConnection;
use std::collections::BTreeMap;

pub async fn load_rows(conn: &mut PgConnection, ids: &[i64]) -> Result<Vec<ConversationRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id = ANY($1)"))
        .bind(ids)
        .fetch_all(conn)
        .await
}

impl Batch {
    pub async fn write(self, conn: &mut PgConnection) -> anyhow::Result<()> {
        let mut deltas: BTreeMap<CountKey, i64> = BTreeMap::new();
        let mut label_deltas: BTreeMap<(CountKey, &str), i64> = BTreeMap::new();
        let (mut gone_accounts, mut gone_displays, mut gone_ids) = (vec![], vec![], vec![]);
        let mut live: Vec<&ConversationRow> = Vec::new();
        for (id, row) in &self.rows {
            let before = self.original.get(id).copied().flatten();
            if let Some((display_id, key)) = before {
                *deltas.entry(key).or_default() -= 1;
                for label in self.original_labels.get(id).into_iter().flatten() {
                    *label_deltas.entry((key, label.as_str())).or_default() -= 1;
                }
                if row.is_none() {
                    gone_accounts.push(key.account_id);
                    gone_displays.push(display_id);
                    gone_ids.push(*id);
                }
            }
            if let Some(row) = row {
                let key = row.count_key();
                *deltas.entry(key).or_default() += 1;
                for label in distinct(&row.labels) {
                    *label_deltas.entry((key, label)).or_default() += 1;
                }
                live.push(row);
            }
        }
        if !gone_ids.is_empty() {
            sqlx::query(
                "DELETE FROM conversations c USING UNNEST($1::bigint[], $2::bigint[]) AS d(account_id, display_id) \
                 WHERE c.account_id = d.account_id AND c.display_id = d.display_id",
            )
            .bind(&gone_accounts)
            .bind(&gone_displays)
            .execute(&mut *conn)
            .await?;
            sqlx::query(
                "DELETE FROM messages m USING UNNEST($1::bigint[], $2::bigint[]) AS d(account_id, conversation_id) \
                 WHERE m.account_id = d.account_id AND m.conversation_id = d.conversation_id",
            )
            .bind(&gone_accounts)
            .bind(&gone_ids)
            .execute(&mut *conn)
            .await?;
        }
        upsert_conversations(conn, &live).await?;
        let new_messages: Vec<_> =
            self.new_messages.into_iter().filter(|m| !gone_ids.contains(&m.conversation_id)).collect();
        insert_messages(conn, &new_messages).await?;
        for change in self.message_changes {
            apply_message_change(conn, change).await?;
        }
        apply_count_deltas(conn, deltas).await?;
        apply_label_count_deltas(conn, label_deltas).await
    }
}

/// Each label once, however often the row lists it.
fn distinct(labels: &[String]) -> std::collections::BTreeSet<&str> {
    labels.iter().map(String::as_str).collect()
}

async fn upsert_conversations(conn: &mut PgConnection, rows: &[&ConversationRow]) -> anyhow::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    macro_rules! col {
        ($f:ident) => {
            rows.iter().map(|r| r.$f.clone()).collect::<Vec<_>>()
        };
    }
    let labels: Vec<Value> = rows.iter().map(|r| json!(r.labels)).collect();
    sqlx::query(&format!(
        "INSERT INTO conversations ({CONVERSATION_COLUMNS}) \
         SELECT u.account_id, u.display_id, u.id, u.uuid, u.inbox_id, u.contact_id, u.source_id, u.status, \
                u.snoozed_until, u.priority, u.assignee_user_id, u.assignee_bot_id, u.team_id, \
                ARRAY(SELECT jsonb_array_elements_text(u.labels)), u.additional_attributes, u.custom_attributes, \
                u.muted, u.created_at, u.updated_at, u.last_activity_at, u.first_reply_created_at, \
                u.waiting_since, u.agent_last_seen_at, u.assignee_last_seen_at, u.contact_last_seen_at, \
                u.unread_count, u.message_count, u.last_message_id, u.last_non_activity_message_id \
         FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], \
                     $7::smallint[], $8::timestamptz[], $9::smallint[], $10::bigint[], $11::bigint[], \
                     $12::bigint[], $13::jsonb[], $14::jsonb[], $15::jsonb[], $16::boolean[], \
                     $17::timestamptz[], $18::timestamptz[], $19::timestamptz[], $20::timestamptz[], \
                     $21::timestamptz[], $22::timestamptz[], $23::timestamptz[], $24::timestamptz[], \
                     $25::integer[], $26::bigint[], $27::bigint[], $28::bigint[], $29::text[]) \
              AS u(account_id, display_id, id, inbox_id, contact_id, source_id, status, snoozed_until, priority, \
                   assignee_user_id, assignee_bot_id, team_id, labels, additional_attributes, custom_attributes, \
                   muted, created_at, updated_at, last_activity_at, first_reply_created_at, waiting_since, \
                   agent_last_seen_at, assignee_last_seen_at, contact_last_seen_at, unread_count, message_count, \
                   last_message_id, last_non_activity_message_id, uuid) \
         ON CONFLICT (account_id, display_id) DO UPDATE SET \
           status = EXCLUDED.status, snoozed_until = EXCLUDED.snoozed_until, priority = EXCLUDED.priority, \
           assignee_user_id = EXCLUDED.assignee_user_id, assignee_bot_id = EXCLUDED.assignee_bot_id, \
           team_id = EXCLUDED.team_id, labels = EXCLUDED.labels, \
           additional_attributes = EXCLUDED.additional_attributes, custom_attributes = EXCLUDED.custom_attributes, \
           muted = EXCLUDED.muted, updated_at = EXCLUDED.updated_at, last_activity_at = EXCLUDED.last_activity_at, \
           first_reply_created_at = EXCLUDED.first_reply_created_at, waiting_since = EXCLUDED.waiting_since, \
           agent_last_seen_at = EXCLUDED.agent_last_seen_at, assignee_last_seen_at = EXCLUDED.assignee_last_seen_at, \
           contact_last_seen_at = EXCLUDED.contact_last_seen_at, unread_count = EXCLUDED.unread_count, \
           message_count = EXCLUDED.message_count, last_message_id = EXCLUDED.last_message_id, \
           last_non_activity_message_id = EXCLUDED.last_non_activity_message_id"
    ))
    .bind(col!(account_id))
    .bind(col!(display_id))
    .bind(col!(id))
    .bind(col!(inbox_id))
    .bind(col!(contact_id))
    .bind(col!(source_id))
    .bind(col!(status))
    .bind(col!(snoozed_until))
    .bind(col!(priority))
    .bind(col!(assignee_user_id))
    .bind(col!(assignee_bot_id))
    .bind(col!(team_id))
    .bind(labels)
    .bind(col!(additional_attributes))
    .bind(col!(custom_attributes))
    .bind(col!(muted))
    .bind(col!(created_at))
    .bind(col!(updated_at))
    .bind(col!(last_activity_at))
    .bind(col!(first_reply_created_at))
    .bind(col!(waiting_since))
    .bind(col!(agent_last_seen_at))
    .bind(col!(assignee_last_seen_at))
    .bind(col!(contact_last_seen_at))
    .bind(col!(unread_count))
    .bind(col!(message_count))
    .bind(col!(last_message_id))
    .bind(col!(last_non_activity_message_id))
    .bind(col!(uuid))
    .execute(conn)
    .await?;
    Ok(())
}

async fn insert_messages(conn: &mut PgConnection, rows: &[super::row::MessageRow]) -> anyhow::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    macro_rules! col {
        ($f:ident) => {
            rows.iter().map(|r| r.$f.clone()).collect::<Vec<_>>()
        };
    }
    sqlx::query(&format!(
        "INSERT INTO messages ({}) SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], \
           $5::bigint[], $6::smallint[], $7::text[], $8::text[], $9::jsonb[], $10::jsonb[], $11::boolean[], \
           $12::text[], $13::text[], $14::text[], $15::text[], $16::bigint[], $17::boolean[], \
           $18::timestamptz[], $19::timestamptz[], $20::jsonb[])",
        super::row::MESSAGE_COLUMNS
    ))
    .bind(col!(account_id))
    .bind(col!(id))
    .bind(col!(conversation_id))
    .bind(col!(display_id))
    .bind(col!(inbox_id))
    .bind(col!(message_type))
    .bind(col!(content))
    .bind(col!(content_type))
    .bind(col!(content_attributes))
    .bind(col!(additional_attributes))
    .bind(col!(private))
    .bind(col!(status))
    .bind(col!(source_id))
    .bind(col!(echo_id))
    .bind(col!(sender_type))
    .bind(col!(sender_id))
    .bind(col!(deleted))
    .bind(col!(created_at))
    .bind(col!(updated_at))
    .bind(col!(attachments))
    .execute(conn)
    .await?;
    Ok(())
}

async fn apply_message_change(conn: &mut PgConnection, change: MessageChange) -> anyhow::Result<()> {
    match change {
        MessageChange::Deleted { account_id, id, at } => {
            sqlx::query(
                "UPDATE messages SET content = $3, content_type = 'text', content_attributes = '{\"deleted\": true}', \
                   attachments = '[]'::jsonb, deleted = true, updated_at = $4 WHERE account_id = $1 AND id = $2",
            )
            .bind(account_id)
            .bind(id)
            .bind(super::row::DELETED_CONTENT)
            .bind(at)
            .execute(conn)
            .await?;
        }
        MessageChange::Status { account_id, id, status, external_error, at } => {
            // a late "delivered" after "read" is ignored (see fold::set_status)
            sqlx::query(
                "UPDATE messages SET status = $3, updated_at = $5, content_attributes = CASE WHEN $4::text IS NULL \
                   THEN content_attributes - 'external_error' \
                   ELSE content_attributes || jsonb_build_object('external_error', $4::text) END \
                 WHERE account_id = $1 AND id = $2 AND NOT (status = 'read' AND $3 = 'delivered')",
            )
            .bind(account_id)
            .bind(id)
            .bind(status)
            .bind(external_error)
            .bind(at)
            .execute(conn)
            .await?;
        }
        MessageChange::Submitted { account_id, id, submitted_values, at } => {
            sqlx::query(
                "UPDATE messages SET updated_at = $4, \
                   content_attributes = content_attributes || jsonb_build_object('submitted_values', $3::jsonb) \
                 WHERE account_id = $1 AND id = $2",
            )
            .bind(account_id)
            .bind(id)
            .bind(submitted_values)
            .bind(at)
            .execute(conn)
            .await?;
        }
    }
    Ok(())
}

/// Adds the count deltas and drops rows that reached zero, so live counts
/// and a rebuild hold exactly the same rows.
async fn apply_count_deltas(conn: &mut PgConnection, deltas: BTreeMap<CountKey, i64>) -> anyhow::Result<()> {
    let deltas: Vec<(CountKey, i64)> = deltas.into_iter().filter(|(_, d)| *d != 0).collect();
    if deltas.is_empty() {
        return Ok(());
    }
    let col = |f: fn(&CountKey) -> i64| deltas.iter().map(|(k, _)| f(k)).collect::<Vec<i64>>();
    let statuses: Vec<i16> = deltas.iter().map(|(k, _)| k.status).collect();
    let ns: Vec<i64> = deltas.iter().map(|(_, d)| *d).collect();
    let (accounts, inboxes, teams, assignees) =
        (col(|k| k.account_id), col(|k| k.inbox_id), col(|k| k.team_id), col(|k| k.assignee_key));
    sqlx::query(
        "INSERT INTO conversation_counts (account_id, inbox_id, status, team_id, assignee_key, n) \
         SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::smallint[], $4::bigint[], $5::bigint[], $6::bigint[]) \
         ON CONFLICT (account_id, inbox_id, status, team_id, assignee_key) \
         DO UPDATE SET n = conversation_counts.n + EXCLUDED.n",
    )
    .bind(&accounts)
    .bind(&inboxes)
    .bind(&statuses)
    .bind(&teams)
    .bind(&assignees)
    .bind(&ns)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM conversation_counts c \
         USING UNNEST($1::bigint[], $2::bigint[], $3::smallint[], $4::bigint[], $5::bigint[]) \
               AS k(account_id, inbox_id, status, team_id, assignee_key) \
         WHERE c.account_id = k.account_id AND c.inbox_id = k.inbox_id AND c.status = k.status \
           AND c.team_id = k.team_id AND c.assignee_key = k.assignee_key AND c.n = 0",
    )
    .bind(&accounts)
    .bind(&inboxes)
    .bind(&statuses)
    .bind(&teams)
    .bind(&assignees)
    .execute(conn)
    .await?;
    Ok(())
}

/// Like [`apply_count_deltas`], per label (`conversation_label_counts`).
async fn apply_label_count_deltas(
    conn: &mut PgConnection,
    deltas: BTreeMap<(CountKey, &str), i64>,
) -> anyhow::Result<()> {
    let deltas: Vec<((CountKey, &str), i64)> = deltas.into_iter().filter(|(_, d)| *d != 0).collect();
    if deltas.is_empty() {
        return Ok(());
    }
    let col = |f: fn(&CountKey) -> i64| deltas.iter().map(|((k, _), _)| f(k)).collect::<Vec<i64>>();
    let labels: Vec<&str> = deltas.iter().map(|((_, l), _)| *l).collect();
    let statuses: Vec<i16> = deltas.iter().map(|((k, _), _)| k.status).collect();
    let ns: Vec<i64> = deltas.iter().map(|(_, d)| *d).collect();
    let (accounts, inboxes, teams, assignees) =
        (col(|k| k.account_id), col(|k| k.inbox_id), col(|k| k.team_id), col(|k| k.assignee_key));
    sqlx::query(
        "INSERT INTO conversation_label_counts (account_id, label, inbox_id, status, team_id, assignee_key, n) \
         SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::bigint[], $4::smallint[], $5::bigint[], $6::bigint[], \
                              $7::bigint[]) \
         ON CONFLICT (account_id, label, inbox_id, status, team_id, assignee_key) \
         DO UPDATE SET n = conversation_label_counts.n + EXCLUDED.n",
    )
    .bind(&accounts)
    .bind(&labels)
    .bind(&inboxes)
    .bind(&statuses)
    .bind(&teams)
    .bind(&assignees)
    .bind(&ns)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM conversation_label_counts c \
         USING UNNEST($1::bigint[], $2::text[], $3::bigint[], $4::smallint[], $5::bigint[], $6::bigint[]) \
               AS k(account_id, label, inbox_id, status, team_id, assignee_key) \
         WHERE c.account_id = k.account_id AND c.label = k.label AND c.inbox_id = k.inbox_id \
           AND c.status = k.status AND c.team_id = k.team_id AND c.assignee_key = k.assignee_key AND c.n = 0",
    )
    .bind(&accounts)
    .bind(&labels)
    .bind(&inboxes)
    .bind(&statuses)
    .bind(&teams)
    .bind(&assignees)
    .execute(conn)
    .await?;
    Ok(())
}

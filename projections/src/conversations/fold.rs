//! Folding a batch of events into conversation rows, messages and count
//! deltas, in memory.

use super::row::{status_code, ConversationRow, CountKey, MessageRow, DELETED_CONTENT};
use crate::log::RecordedEvent;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_domain::conversation::{
    Assignee, Conversation, ConversationEvent, MessageStatus, MessageType, NewMessage, Sender,
};
use serde_json::{json, Value};
use sqlx::PgConnection;
use std::collections::{BTreeSet, HashMap};

/// A change to a message that was written by an earlier batch.
#[derive(Debug, Clone)]
pub enum MessageChange {
    Deleted { account_id: i64, id: i64, at: DateTime<Utc> },
    Status { account_id: i64, id: i64, status: String, external_error: Option<String>, at: DateTime<Utc> },
    Submitted { account_id: i64, id: i64, submitted_values: Value, at: DateTime<Utc> },
}

#[derive(Default)]
pub struct Batch {
    /// Current state per conversation id (`None`: deleted).
    pub rows: HashMap<i64, Option<ConversationRow>>,
    /// The count key each touched conversation had before the batch.
    pub original: HashMap<i64, Option<(i64, CountKey)>>,
    /// The distinct labels each touched conversation had before the batch.
    pub original_labels: HashMap<i64, BTreeSet<String>>,
    pub new_messages: Vec<MessageRow>,
    message_index: HashMap<i64, usize>,
    pub message_changes: Vec<MessageChange>,
}

/// Ids of the conversations a batch touches.
pub fn touched_conversations(events: &[RecordedEvent]) -> anyhow::Result<Vec<i64>> {
    let mut ids: Vec<i64> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for e in events.iter().filter(|e| e.is(Conversation::TYPE)) {
        let id = e.numeric_id()?;
        if seen.insert(id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

fn sender_parts(sender: Option<Sender>) -> (Option<String>, Option<i64>) {
    match sender {
        Some(Sender::User(id)) => (Some("User".into()), Some(id.0)),
        Some(Sender::AgentBot(id)) => (Some("AgentBot".into()), Some(id.0)),
        Some(Sender::Contact(id)) => (Some("Contact".into()), Some(id.0)),
        None => (None, None),
    }
}

impl Batch {
    pub async fn load(&mut self, conn: &mut PgConnection, ids: &[i64]) -> anyhow::Result<()> {
        for row in super::store::load_rows(conn, ids).await? {
            self.original.insert(row.id, Some((row.display_id, row.count_key())));
            self.original_labels.insert(row.id, row.distinct_labels());
            self.rows.insert(row.id, Some(row));
        }
        Ok(())
    }

    fn row(&mut self, id: i64, event: &RecordedEvent) -> anyhow::Result<&mut ConversationRow> {
        match self.rows.get_mut(&id) {
            Some(Some(row)) => Ok(row),
            _ => anyhow::bail!(
                "{} for conversation {id}, which the read model does not hold",
                event.event_type
            ),
        }
    }

    pub fn fold(&mut self, e: &RecordedEvent) -> anyhow::Result<()> {
        if !e.is(Conversation::TYPE) {
            return Ok(());
        }
        let id = e.numeric_id()?;
        let at = e.recorded_at;
        match e.decode::<ConversationEvent>()? {
            ConversationEvent::ConversationCreated {
                account_id,
                display_id,
                uuid,
                inbox_id,
                contact_id,
                source_id,
                status,
                snoozed_until,
                priority,
                assignee,
                team_id,
                additional_attributes,
                custom_attributes,
                created_at,
                ..
            } => {
                self.original.entry(id).or_insert(None);
                let (assignee_user_id, assignee_bot_id) = assignee_ids(assignee);
                self.rows.insert(
                    id,
                    Some(ConversationRow {
                        account_id: account_id.0,
                        display_id: display_id.0,
                        id,
                        uuid,
                        inbox_id: inbox_id.0,
                        contact_id: contact_id.0,
                        source_id,
                        status: status_code(status),
                        snoozed_until,
                        priority: priority.map(|p| p.rank()),
                        assignee_user_id,
                        assignee_bot_id,
                        team_id: team_id.map(|t| t.0),
                        labels: vec![],
                        additional_attributes: Value::Object(additional_attributes),
                        custom_attributes: Value::Object(custom_attributes),
                        muted: false,
                        created_at,
                        updated_at: at,
                        last_activity_at: created_at,
                        first_reply_created_at: None,
                        // upstream `ensure_waiting_since`
                        waiting_since: Some(created_at),
                        agent_last_seen_at: None,
                        assignee_last_seen_at: None,
                        contact_last_seen_at: None,
                        unread_count: 0,
                        message_count: 0,
                        last_message_id: None,
                        last_non_activity_message_id: None,
                    }),
                );
            }
            ConversationEvent::ConversationStatusChanged { status, snoozed_until, .. } => {
                let row = self.row(id, e)?;
                row.status = status_code(status);
                row.snoozed_until = snoozed_until;
                if status == onelink_domain::conversation::Status::Resolved {
                    row.waiting_since = None;
                }
                row.updated_at = at;
            }
            ConversationEvent::ConversationPriorityChanged { priority } => {
                let row = self.row(id, e)?;
                row.priority = priority.map(|p| p.rank());
                row.updated_at = at;
            }
            ConversationEvent::ConversationAssigneeChanged { assignee } => {
                let row = self.row(id, e)?;
                (row.assignee_user_id, row.assignee_bot_id) = assignee_ids(assignee);
                row.updated_at = at;
            }
            ConversationEvent::ConversationTeamChanged { team_id } => {
                let row = self.row(id, e)?;
                row.team_id = team_id.map(|t| t.0);
                row.updated_at = at;
            }
            ConversationEvent::ConversationLabelsChanged { labels, .. } => {
                let row = self.row(id, e)?;
                row.labels = labels;
                row.updated_at = at;
            }
            ConversationEvent::ConversationCustomAttributesChanged { custom_attributes } => {
                let row = self.row(id, e)?;
                row.custom_attributes = Value::Object(custom_attributes);
                row.updated_at = at;
            }
            ConversationEvent::ConversationDeleted => {
                self.row(id, e)?;
                self.rows.insert(id, None);
            }
            ConversationEvent::MessageCreated(m) => self.message_created(id, m, e)?,
            // like the upstream's `update_column`: `updated_at` stays
            ConversationEvent::ConversationSeen { at: seen, by_assignee } => {
                let row = self.row(id, e)?;
                row.agent_last_seen_at = Some(seen);
                if by_assignee {
                    row.assignee_last_seen_at = Some(seen);
                }
                row.unread_count = 0;
            }
            ConversationEvent::MessageDeleted { message_id } => {
                let account_id = self.row(id, e)?.account_id;
                match self.message_index.get(&message_id.0) {
                    Some(&i) => soft_delete(&mut self.new_messages[i], at),
                    None => {
                        self.message_changes.push(MessageChange::Deleted { account_id, id: message_id.0, at })
                    }
                }
            }
            ConversationEvent::MessageStatusChanged { message_id, status, external_error } => {
                let account_id = self.row(id, e)?.account_id;
                match self.message_index.get(&message_id.0) {
                    Some(&i) => set_status(&mut self.new_messages[i], status, external_error, at),
                    None => self.message_changes.push(MessageChange::Status {
                        account_id,
                        id: message_id.0,
                        status: status.as_str().to_owned(),
                        external_error,
                        at,
                    }),
                }
            }
            ConversationEvent::ContactLastSeen { at: seen } => {
                let row = self.row(id, e)?;
                row.contact_last_seen_at = Some(seen);
                row.updated_at = at;
            }
            ConversationEvent::MessageValuesSubmitted { message_id, submitted_values } => {
                let account_id = self.row(id, e)?.account_id;
                match self.message_index.get(&message_id.0) {
                    Some(&i) => {
                        let m = &mut self.new_messages[i];
                        if let Some(map) = m.content_attributes.as_object_mut() {
                            map.insert("submitted_values".into(), submitted_values);
                        }
                        m.updated_at = at;
                    }
                    None => self.message_changes.push(MessageChange::Submitted {
                        account_id,
                        id: message_id.0,
                        submitted_values,
                        at,
                    }),
                }
            }
        }
        Ok(())
    }

    /// A message created in this batch, as it now reads.
    pub fn message(&self, id: i64) -> Option<&MessageRow> {
        self.message_index.get(&id).map(|&i| &self.new_messages[i])
    }

    /// Forgets every message of the batch except the conversations' latest
    /// ones (for folds that only render those, e.g. the audit's `as_of`).
    pub fn keep_latest_messages(&mut self) {
        let keep: std::collections::HashSet<i64> = self
            .rows
            .values()
            .flatten()
            .flat_map(|r| [r.last_message_id, r.last_non_activity_message_id])
            .flatten()
            .collect();
        self.new_messages.retain(|m| keep.contains(&m.id));
        self.message_index = self.new_messages.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
        self.message_changes.clear();
    }

    fn message_created(&mut self, id: i64, m: NewMessage, e: &RecordedEvent) -> anyhow::Result<()> {
        let at = e.recorded_at;
        let row = self.row(id, e)?;
        row.message_count += 1;
        row.last_activity_at = m.created_at;
        row.last_message_id = Some(m.id.0);
        if m.message_type != MessageType::Activity {
            row.last_non_activity_message_id = Some(m.id.0);
        }
        match m.message_type {
            MessageType::Incoming => {
                row.unread_count += 1;
                row.waiting_since = row.waiting_since.or(Some(m.created_at));
            }
            MessageType::Outgoing if !m.private && matches!(m.sender, Some(Sender::User(_))) => {
                row.first_reply_created_at = row.first_reply_created_at.or(Some(m.created_at));
                row.waiting_since = None;
            }
            _ => {}
        }
        row.updated_at = at;
        let (account_id, display_id, inbox_id) = (row.account_id, row.display_id, row.inbox_id);
        self.message_index.insert(m.id.0, self.new_messages.len());
        self.new_messages.push(message_row(account_id, id, display_id, inbox_id, m, at));
        Ok(())
    }
}

/// A message's read-model row as first recorded.
pub fn message_row(
    account_id: i64,
    conversation_id: i64,
    display_id: i64,
    inbox_id: i64,
    m: NewMessage,
    at: DateTime<Utc>,
) -> MessageRow {
    let (sender_type, sender_id) = sender_parts(m.sender);
    MessageRow {
        account_id,
        id: m.id.0,
        conversation_id,
        display_id,
        inbox_id,
        message_type: m.message_type.number(),
        content: m.content,
        content_type: m.content_type.as_str(),
        content_attributes: Value::Object(m.content_attributes),
        additional_attributes: Value::Object(m.additional_attributes),
        private: m.private,
        status: m.status.as_str().to_owned(),
        source_id: m.source_id,
        echo_id: m.echo_id,
        sender_type,
        sender_id,
        deleted: false,
        created_at: m.created_at,
        updated_at: at,
        attachments: serde_json::to_value(&m.attachments).unwrap_or_else(|_| json!([])),
    }
}

fn assignee_ids(assignee: Option<Assignee>) -> (Option<i64>, Option<i64>) {
    match assignee {
        Some(Assignee::User(u)) => (Some(u.0), None),
        Some(Assignee::AgentBot(b)) => (None, Some(b.0)),
        None => (None, None),
    }
}

/// The upstream's soft delete: content replaced, attributes wiped.
pub fn soft_delete(m: &mut MessageRow, at: DateTime<Utc>) {
    m.content = Some(DELETED_CONTENT.to_owned());
    m.content_type = "text".to_owned();
    m.content_attributes = json!({"deleted": true});
    m.attachments = json!([]);
    m.deleted = true;
    m.updated_at = at;
}

/// A delivery status change; a late "delivered" after "read" is ignored
/// here too, in case it raced past the aggregate's check.
pub fn set_status(
    m: &mut MessageRow,
    status: MessageStatus,
    external_error: Option<String>,
    at: DateTime<Utc>,
) {
    let current = MessageStatus::parse(&m.status).unwrap_or_default();
    if !current.may_become(status) {
        return;
    }
    m.status = status.as_str().to_owned();
    set_external_error(&mut m.content_attributes, external_error);
    m.updated_at = at;
}

/// `external_error` is set with a failure and removed otherwise.
pub fn set_external_error(attributes: &mut Value, external_error: Option<String>) {
    if let Some(map) = attributes.as_object_mut() {
        match external_error {
            Some(error) => map.insert("external_error".into(), Value::String(error)),
            None => map.remove("external_error"),
        };
    }
}

//! The rows of the conversation read models, as folded in memory.

use chrono::{DateTime, Utc};
use onelink_domain::conversation::Status;
use serde_json::Value;

pub const fn status_code(status: Status) -> i16 {
    match status {
        Status::Open => 0,
        Status::Resolved => 1,
        Status::Pending => 2,
        Status::Snoozed => 3,
    }
}

pub fn status_from_code(code: i16) -> Status {
    match code {
        1 => Status::Resolved,
        2 => Status::Pending,
        3 => Status::Snoozed,
        _ => Status::Open,
    }
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ConversationRow {
    pub account_id: i64,
    pub display_id: i64,
    pub id: i64,
    pub uuid: String,
    pub inbox_id: i64,
    pub contact_id: i64,
    pub source_id: Option<String>,
    pub status: i16,
    pub snoozed_until: Option<DateTime<Utc>>,
    pub priority: Option<i16>,
    pub assignee_user_id: Option<i64>,
    pub assignee_bot_id: Option<i64>,
    pub team_id: Option<i64>,
    pub labels: Vec<String>,
    pub additional_attributes: Value,
    pub custom_attributes: Value,
    pub muted: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
    pub first_reply_created_at: Option<DateTime<Utc>>,
    pub waiting_since: Option<DateTime<Utc>>,
    pub agent_last_seen_at: Option<DateTime<Utc>>,
    pub assignee_last_seen_at: Option<DateTime<Utc>>,
    pub contact_last_seen_at: Option<DateTime<Utc>>,
    pub unread_count: i32,
    pub message_count: i64,
    pub last_message_id: Option<i64>,
    pub last_non_activity_message_id: Option<i64>,
}

pub const CONVERSATION_COLUMNS: &str = "account_id, display_id, id, uuid, inbox_id, contact_id, source_id, status, \
     snoozed_until, priority, assignee_user_id, assignee_bot_id, team_id, labels, additional_attributes, \
     custom_attributes, muted, created_at, updated_at, last_activity_at, first_reply_created_at, waiting_since, \
     agent_last_seen_at, assignee_last_seen_at, contact_last_seen_at, unread_count, message_count, \
     last_message_id, last_non_activity_message_id";

/// The dimensions `conversation_counts` is keyed by (after `account_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountKey {
    pub account_id: i64,
    pub inbox_id: i64,
    pub status: i16,
    pub team_id: i64,
    pub assignee_key: i64,
}

impl ConversationRow {
    pub fn count_key(&self) -> CountKey {
        let assignee_key = match (self.assignee_user_id, self.assignee_bot_id) {
            (Some(user), _) => user,
            (None, Some(bot)) => -bot,
            (None, None) => 0,
        };
        CountKey {
            account_id: self.account_id,
            inbox_id: self.inbox_id,
            status: self.status,
            team_id: self.team_id.unwrap_or(0),
            assignee_key,
        }
    }

    /// The conversation's distinct labels, each counted once in
    /// `conversation_label_counts`.
    pub fn distinct_labels(&self) -> std::collections::BTreeSet<String> {
        self.labels.iter().cloned().collect()
    }
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MessageRow {
    pub account_id: i64,
    pub id: i64,
    pub conversation_id: i64,
    pub display_id: i64,
    pub inbox_id: i64,
    pub message_type: i16,
    pub content: Option<String>,
    pub content_type: String,
    pub content_attributes: Value,
    pub additional_attributes: Value,
    pub private: bool,
    pub status: String,
    pub source_id: Option<String>,
    pub echo_id: Option<String>,
    pub sender_type: Option<String>,
    pub sender_id: Option<i64>,
    pub deleted: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The message's `AttachmentRef`s as recorded (`[]` when none or
    /// deleted); presenters sign their URLs at render time.
    pub attachments: Value,
}

impl MessageRow {
    /// The attachments as the domain records them (unreadable entries are
    /// skipped rather than failing a whole listing).
    pub fn attachment_refs(&self) -> Vec<onelink_domain::conversation::AttachmentRef> {
        self.attachments
            .as_array()
            .map(|items| items.iter().filter_map(|a| serde_json::from_value(a.clone()).ok()).collect())
            .unwrap_or_default()
    }
}

pub const MESSAGE_COLUMNS: &str = "account_id, id, conversation_id, display_id, inbox_id, message_type, content, \
     content_type, content_attributes, additional_attributes, private, status, source_id, echo_id, sender_type, \
     sender_id, deleted, created_at, updated_at, attachments";

/// What a deleted message shows (upstream soft delete).
pub const DELETED_CONTENT: &str = "This message was deleted";

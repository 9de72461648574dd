use super::message::{MessageStatus, NewMessage};
use super::status::{Assignee, Priority, Status};
use crate::ids::{AccountId, ContactId, ConversationId, DisplayId, InboxId, MessageId, TeamId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum ConversationEvent {
    ConversationCreated {
        id: ConversationId,
        account_id: AccountId,
        display_id: DisplayId,
        /// The public uuid of the conversation.
        uuid: String,
        inbox_id: InboxId,
        contact_id: ContactId,
        source_id: Option<String>,
        status: Status,
        snoozed_until: Option<DateTime<Utc>>,
        priority: Option<Priority>,
        assignee: Option<Assignee>,
        team_id: Option<TeamId>,
        #[serde(default)]
        additional_attributes: Map<String, Value>,
        #[serde(default)]
        custom_attributes: Map<String, Value>,
        created_at: DateTime<Utc>,
    },
    ConversationStatusChanged {
        status: Status,
        snoozed_until: Option<DateTime<Utc>>,
        /// A bot handed a pending conversation over to humans.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        bot_handoff: bool,
    },
    ConversationPriorityChanged {
        priority: Option<Priority>,
    },
    ConversationAssigneeChanged {
        assignee: Option<Assignee>,
    },
    ConversationTeamChanged {
        team_id: Option<TeamId>,
    },
    ConversationLabelsChanged {
        labels: Vec<String>,
        added: Vec<String>,
        removed: Vec<String>,
    },
    ConversationCustomAttributesChanged {
        custom_attributes: Map<String, Value>,
    },
    ConversationDeleted,
    MessageCreated(NewMessage),
    MessageDeleted {
        message_id: MessageId,
    },
    MessageStatusChanged {
        message_id: MessageId,
        status: MessageStatus,
        external_error: Option<String>,
    },
    /// An agent read the conversation: `agent_last_seen_at` (and
    /// `assignee_last_seen_at` when `by_assignee`) become `at`.
    ConversationSeen {
        at: DateTime<Utc>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        by_assignee: bool,
    },
    ContactLastSeen {
        at: DateTime<Utc>,
    },
    /// `content_attributes.submitted_values` replaced.
    MessageValuesSubmitted {
        message_id: MessageId,
        submitted_values: Value,
    },
}

impl cqrs_es::DomainEvent for ConversationEvent {
    fn event_type(&self) -> String {
        match self {
            ConversationEvent::ConversationCreated { .. } => "ConversationCreated",
            ConversationEvent::ConversationStatusChanged { .. } => "ConversationStatusChanged",
            ConversationEvent::ConversationPriorityChanged { .. } => "ConversationPriorityChanged",
            ConversationEvent::ConversationAssigneeChanged { .. } => "ConversationAssigneeChanged",
            ConversationEvent::ConversationTeamChanged { .. } => "ConversationTeamChanged",
            ConversationEvent::ConversationLabelsChanged { .. } => "ConversationLabelsChanged",
            ConversationEvent::ConversationCustomAttributesChanged { .. } => {
                "ConversationCustomAttributesChanged"
            }
            ConversationEvent::ConversationDeleted => "ConversationDeleted",
            ConversationEvent::MessageCreated(_) => "MessageCreated",
            ConversationEvent::MessageDeleted { .. } => "MessageDeleted",
            ConversationEvent::MessageStatusChanged { .. } => "MessageStatusChanged",
            ConversationEvent::ConversationSeen { .. } => "ConversationSeen",
            ConversationEvent::ContactLastSeen { .. } => "ContactLastSeen",
            ConversationEvent::MessageValuesSubmitted { .. } => "MessageValuesSubmitted",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

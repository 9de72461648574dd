use super::message::{MessageStatus, NewMessage};
use super::status::{Assignee, Priority, Status};
use crate::ids::{
    AccountId, AgentBotId, ContactId, ConversationId, DisplayId, InboxId, MessageId, TeamId, UserId,
};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// A new conversation; the command service has resolved the contact inbox,
/// the initial status (blocked contact → resolved, inbox with a bot →
/// pending) and the assignee/team rules before building it.
#[derive(Debug, Clone)]
pub struct NewConversation {
    pub id: ConversationId,
    pub account_id: AccountId,
    pub display_id: DisplayId,
    pub uuid: String,
    pub inbox_id: InboxId,
    pub contact_id: ContactId,
    pub source_id: Option<String>,
    pub status: Status,
    pub snoozed_until: Option<DateTime<Utc>>,
    pub priority: Option<Priority>,
    pub assignee: Option<Assignee>,
    pub team_id: Option<TeamId>,
    pub additional_attributes: Map<String, Value>,
    pub custom_attributes: Map<String, Value>,
    pub created_at: DateTime<Utc>,
    /// Posted in the same write as the creation.
    pub message: Option<NewMessage>,
}

/// Who toggles the status (the upstream's rules depend on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toggler {
    Agent(UserId),
    Administrator(UserId),
    Bot(AgentBotId),
    Contact,
    System,
}

/// `toggle_status`: a target status, or `None` to toggle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatusRequest {
    pub status: Option<Status>,
    pub snoozed_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub enum ConversationCommand {
    Create(Box<NewConversation>),
    ToggleStatus {
        request: StatusRequest,
        by: Toggler,
    },
    SetPriority(Option<Priority>),
    Assign(Option<Assignee>),
    /// Moves the conversation to a team. `drop_assignee` when the current
    /// assignee is not a member of the new team; `auto_assignee` when the
    /// team auto-assigns (chosen by the command service).
    SetTeam {
        team_id: Option<TeamId>,
        drop_assignee: bool,
        auto_assignee: Option<UserId>,
    },
    SetLabels(Vec<String>),
    ReplaceCustomAttributes(Map<String, Value>),
    Delete,
    /// Adds a message. An incoming message reopens a resolved or snoozed
    /// conversation to `reopen_as` (open, or pending when a bot handles the
    /// inbox).
    AddMessage {
        message: Box<NewMessage>,
        reopen_as: Status,
        flood_limit: usize,
    },
    /// Soft-deletes a message the service checked belongs here.
    DeleteMessage {
        message_id: MessageId,
    },
    /// Changes a message's delivery status. `current` is the status the
    /// service read; a late "delivered" after "read" changes nothing.
    SetMessageStatus {
        message_id: MessageId,
        current: MessageStatus,
        status: MessageStatus,
        external_error: Option<String>,
    },
    /// An agent read the conversation at `at` (upstream `update_last_seen`).
    MarkSeen {
        by: UserId,
        at: DateTime<Utc>,
    },
    /// The contact read the conversation (Client API `update_last_seen`).
    MarkContactSeen {
        at: DateTime<Utc>,
    },
    /// The contact answered an interactive message (CSAT, form, …); the
    /// service checked the message is one a contact may answer.
    SubmitValues {
        message_id: MessageId,
        submitted_values: Value,
    },
}

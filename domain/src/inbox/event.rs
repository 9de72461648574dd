//! What happened to an inbox, as recorded in its stream.

use super::channel::{Channel, ChannelKeys};
use super::settings::InboxSettings;
use super::working_hours::WorkingHour;
use crate::ids::{AccountId, AccountUserId, AgentBotId, ChannelId, InboxId, UserId};
use serde::{Deserialize, Serialize};

/// A member of an inbox and the account membership it was granted under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxMember {
    pub user_id: UserId,
    pub account_user_id: AccountUserId,
}

/// Changes record the whole new value of the section that changed
/// (settings, channel or schedule), so each event reads on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
#[expect(
    clippy::large_enum_variant,
    reason = "events live briefly, one at a time, between decoding and applying"
)]
pub enum InboxEvent {
    InboxCreated {
        id: InboxId,
        account_id: AccountId,
        channel_id: ChannelId,
        settings: InboxSettings,
        channel: Channel,
        keys: ChannelKeys,
        working_hours: Vec<WorkingHour>,
    },
    InboxUpdated {
        settings: InboxSettings,
    },
    InboxChannelUpdated {
        channel: Channel,
    },
    InboxWorkingHoursUpdated {
        working_hours: Vec<WorkingHour>,
    },
    InboxAvatarRemoved,
    InboxDeleted,
    InboxMembersAdded {
        members: Vec<InboxMember>,
    },
    InboxMembersRemoved {
        user_ids: Vec<UserId>,
    },
    InboxAgentBotSet {
        agent_bot_id: Option<AgentBotId>,
    },
}

impl cqrs_es::DomainEvent for InboxEvent {
    fn event_type(&self) -> String {
        match self {
            InboxEvent::InboxCreated { .. } => "InboxCreated",
            InboxEvent::InboxUpdated { .. } => "InboxUpdated",
            InboxEvent::InboxChannelUpdated { .. } => "InboxChannelUpdated",
            InboxEvent::InboxWorkingHoursUpdated { .. } => "InboxWorkingHoursUpdated",
            InboxEvent::InboxAvatarRemoved => "InboxAvatarRemoved",
            InboxEvent::InboxDeleted => "InboxDeleted",
            InboxEvent::InboxMembersAdded { .. } => "InboxMembersAdded",
            InboxEvent::InboxMembersRemoved { .. } => "InboxMembersRemoved",
            InboxEvent::InboxAgentBotSet { .. } => "InboxAgentBotSet",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

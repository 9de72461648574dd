//! The inbox aggregate (stream id = inbox id): a channel through which
//! contacts reach an account, its settings and business hours, the agents
//! who work it, and the agent bot bound to it.

mod aggregate;
mod channel;
mod command;
mod event;
mod settings;
mod working_hours;

pub use aggregate::Inbox;
pub use channel::{
    ApiChannel, Channel, ChannelKeys, ChannelKind, ChannelPatch, ReplyTime, WebWidget, WIDGET_FEATURES,
};
pub use command::{InboxChange, InboxCommand, NewInbox, Roster};
pub use event::{InboxEvent, InboxMember};
pub use settings::{InboxSettings, SenderNameType, SettingsPatch, MESSAGE_MAX};
pub use working_hours::{default_working_hours, WorkingHour, WorkingHourPatch};

use crate::validation::Violations;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InboxError {
    #[error("inbox not found")]
    NotFound,
    #[error("inbox already exists")]
    AlreadyExists,
    /// Some user ids do not belong to the inbox's account.
    #[error("Invalid User IDs")]
    ForeignUsers,
    #[error("{0}")]
    Invalid(Violations),
}

#[cfg(test)]
mod tests;

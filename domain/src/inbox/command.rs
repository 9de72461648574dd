//! What can be asked of an inbox.

use super::channel::{ChannelKeys, ChannelPatch};
use super::settings::SettingsPatch;
use super::working_hours::WorkingHourPatch;
use crate::ids::{AccountId, AccountUserId, AgentBotId, ChannelId, InboxId, UserId};
use std::collections::BTreeMap;

/// The account's members when the command was built, with the id of each
/// membership. Inbox membership is only as good as the account membership
/// it was granted under: a user removed from the account and invited again
/// has a new membership id and is no longer a member of the inbox.
pub type Roster = BTreeMap<UserId, AccountUserId>;

/// Raw, not yet validated input for a new inbox, with the ids and keys the
/// command service generated.
#[derive(Debug, Clone)]
pub struct NewInbox {
    pub id: InboxId,
    pub account_id: AccountId,
    pub channel_id: ChannelId,
    /// `channel.type` as sent; `None` when the request had no channel.
    pub channel_type: Option<String>,
    pub settings: SettingsPatch,
    pub channel: ChannelPatch,
    pub working_hours: Vec<WorkingHourPatch>,
    pub keys: ChannelKeys,
}

/// A partial update of an inbox, its channel and its working hours.
#[derive(Debug, Clone, Default)]
pub struct InboxChange {
    pub settings: SettingsPatch,
    pub channel: ChannelPatch,
    pub working_hours: Vec<WorkingHourPatch>,
}

/// Every command but `Create` names the account it expects the inbox to
/// belong to; an inbox of another account is not found.
#[derive(Debug, Clone)]
pub enum InboxCommand {
    Create(NewInbox),
    Update {
        account_id: AccountId,
        change: InboxChange,
    },
    RemoveAvatar {
        account_id: AccountId,
    },
    Delete {
        account_id: AccountId,
    },
    /// Adds the users who are not members yet.
    AddMembers {
        account_id: AccountId,
        user_ids: Vec<UserId>,
        roster: Roster,
    },
    /// Removes those of the users who are members.
    RemoveMembers {
        account_id: AccountId,
        user_ids: Vec<UserId>,
        roster: Roster,
    },
    /// Makes the member set exactly `user_ids`.
    ReplaceMembers {
        account_id: AccountId,
        user_ids: Vec<UserId>,
        roster: Roster,
    },
    /// Binds an agent bot (checked to be accessible by the caller), or
    /// unbinds with `None`.
    SetAgentBot {
        account_id: AccountId,
        agent_bot_id: Option<AgentBotId>,
    },
}

impl InboxCommand {
    pub(super) fn account_id(&self) -> AccountId {
        match self {
            InboxCommand::Create(new) => new.account_id,
            InboxCommand::Update { account_id, .. }
            | InboxCommand::RemoveAvatar { account_id }
            | InboxCommand::Delete { account_id }
            | InboxCommand::AddMembers { account_id, .. }
            | InboxCommand::RemoveMembers { account_id, .. }
            | InboxCommand::ReplaceMembers { account_id, .. }
            | InboxCommand::SetAgentBot { account_id, .. } => *account_id,
        }
    }
}

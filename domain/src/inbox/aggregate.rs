//! The inbox state and its decisions: validation of new inboxes and
//! changes, membership against the account roster, the bot binding.

use super::channel::{Channel, ChannelKeys, ChannelKind};
use super::command::{InboxChange, InboxCommand, NewInbox, Roster};
use super::event::{InboxEvent, InboxMember};
use super::settings::InboxSettings;
use super::working_hours::{apply_patches, default_working_hours, WorkingHour};
use super::InboxError;
use crate::ids::{AccountId, AccountUserId, AgentBotId, ChannelId, InboxId, UserId};
use crate::validation::Violations;
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inbox {
    pub id: Option<InboxId>,
    pub account_id: Option<AccountId>,
    pub channel_id: Option<ChannelId>,
    pub deleted: bool,
    pub settings: InboxSettings,
    pub channel: Option<Channel>,
    pub keys: Option<ChannelKeys>,
    pub working_hours: Vec<WorkingHour>,
    /// Members and the account membership each was added under.
    pub members: BTreeMap<UserId, AccountUserId>,
    pub agent_bot_id: Option<AgentBotId>,
}

#[derive(Debug, Clone, Copy)]
enum MemberChange {
    Add,
    Remove,
    Replace,
}

impl Inbox {
    /// Exists, not deleted, and belongs to `account_id`.
    fn live(&self, account_id: AccountId) -> Result<&Channel, InboxError> {
        match &self.channel {
            Some(channel) if !self.deleted && self.account_id == Some(account_id) => Ok(channel),
            _ => Err(InboxError::NotFound),
        }
    }

    /// The members whose account membership is still the one they were
    /// added under.
    pub fn members_in(&self, roster: &Roster) -> BTreeSet<UserId> {
        self.members
            .iter()
            .filter(|(user, granted)| roster.get(user) == Some(granted))
            .map(|(u, _)| *u)
            .collect()
    }

    fn create(&self, new: NewInbox) -> Result<Vec<InboxEvent>, InboxError> {
        if self.id.is_some() {
            return Err(InboxError::AlreadyExists);
        }
        let mut v = Violations::new();
        let settings = new.settings.apply_to(&InboxSettings::default(), &mut v);
        let kind = new.channel_type.as_deref().and_then(ChannelKind::parse);
        let channel = match kind {
            Some(kind) => Some(Channel::create(kind, &new.channel, &mut v)),
            None => {
                v.add("channel", "Channel must exist");
                None
            }
        };
        let working_hours = apply_patches(&default_working_hours(), &new.working_hours, &mut v);
        v.into_result().map_err(InboxError::Invalid)?;
        let channel = channel
            .ok_or_else(|| InboxError::Invalid(Violations::single("channel", "Channel must exist")))?;
        Ok(vec![InboxEvent::InboxCreated {
            id: new.id,
            account_id: new.account_id,
            channel_id: new.channel_id,
            settings,
            channel,
            keys: new.keys,
            working_hours,
        }])
    }

    fn update(&self, channel: &Channel, change: InboxChange) -> Result<Vec<InboxEvent>, InboxError> {
        let mut v = Violations::new();
        let settings = change.settings.apply_to(&self.settings, &mut v);
        let channel_after = channel.patched(&change.channel, &mut v);
        let working_hours = apply_patches(&self.working_hours, &change.working_hours, &mut v);
        v.into_result().map_err(InboxError::Invalid)?;
        let mut events = Vec::new();
        if settings != self.settings {
            events.push(InboxEvent::InboxUpdated { settings });
        }
        if channel_after != *channel {
            events.push(InboxEvent::InboxChannelUpdated { channel: channel_after });
        }
        if working_hours != self.working_hours {
            events.push(InboxEvent::InboxWorkingHoursUpdated { working_hours });
        }
        Ok(events)
    }

    fn change_members(
        &self,
        user_ids: Vec<UserId>,
        roster: &Roster,
        how: MemberChange,
    ) -> Result<Vec<InboxEvent>, InboxError> {
        if user_ids.iter().any(|u| !roster.contains_key(u)) {
            return Err(InboxError::ForeignUsers);
        }
        let current = self.members_in(roster);
        let wanted: BTreeSet<UserId> = user_ids.into_iter().collect();
        let (add, remove): (BTreeSet<UserId>, BTreeSet<UserId>) = match how {
            MemberChange::Add => (&wanted - &current, BTreeSet::new()),
            MemberChange::Remove => (BTreeSet::new(), &wanted & &current),
            MemberChange::Replace => (&wanted - &current, &current - &wanted),
        };
        let mut events = Vec::new();
        if !add.is_empty() {
            let members = add
                .into_iter()
                .filter_map(|user_id| {
                    roster.get(&user_id).map(|g| InboxMember { user_id, account_user_id: *g })
                })
                .collect();
            events.push(InboxEvent::InboxMembersAdded { members });
        }
        if !remove.is_empty() {
            events.push(InboxEvent::InboxMembersRemoved { user_ids: remove.into_iter().collect() });
        }
        Ok(events)
    }
}

impl cqrs_es::Aggregate for Inbox {
    const TYPE: &'static str = "Inbox";
    type Command = InboxCommand;
    type Event = InboxEvent;
    type Error = InboxError;
    type Services = ();

    async fn handle(
        &mut self,
        command: InboxCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), InboxError> {
        let events = if let InboxCommand::Create(new) = command {
            self.create(new)?
        } else {
            let channel = self.live(command.account_id())?;
            match command {
                InboxCommand::Create(_) => vec![],
                InboxCommand::Update { change, .. } => self.update(channel, change)?,
                InboxCommand::RemoveAvatar { .. } => vec![InboxEvent::InboxAvatarRemoved],
                InboxCommand::Delete { .. } => vec![InboxEvent::InboxDeleted],
                InboxCommand::AddMembers { user_ids, roster, .. } => {
                    self.change_members(user_ids, &roster, MemberChange::Add)?
                }
                InboxCommand::RemoveMembers { user_ids, roster, .. } => {
                    self.change_members(user_ids, &roster, MemberChange::Remove)?
                }
                InboxCommand::ReplaceMembers { user_ids, roster, .. } => {
                    self.change_members(user_ids, &roster, MemberChange::Replace)?
                }
                InboxCommand::SetAgentBot { agent_bot_id, .. } if agent_bot_id == self.agent_bot_id => vec![],
                InboxCommand::SetAgentBot { agent_bot_id, .. } => {
                    vec![InboxEvent::InboxAgentBotSet { agent_bot_id }]
                }
            }
        };
        for event in events {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: InboxEvent) {
        match event {
            InboxEvent::InboxCreated {
                id,
                account_id,
                channel_id,
                settings,
                channel,
                keys,
                working_hours,
            } => {
                self.id = Some(id);
                self.account_id = Some(account_id);
                self.channel_id = Some(channel_id);
                self.settings = settings;
                self.channel = Some(channel);
                self.keys = Some(keys);
                self.working_hours = working_hours;
            }
            InboxEvent::InboxUpdated { settings } => self.settings = settings,
            InboxEvent::InboxChannelUpdated { channel } => self.channel = Some(channel),
            InboxEvent::InboxWorkingHoursUpdated { working_hours } => self.working_hours = working_hours,
            InboxEvent::InboxAvatarRemoved => {}
            InboxEvent::InboxDeleted => self.deleted = true,
            InboxEvent::InboxMembersAdded { members } => {
                for m in members {
                    self.members.insert(m.user_id, m.account_user_id);
                }
            }
            InboxEvent::InboxMembersRemoved { user_ids } => {
                for user in user_ids {
                    self.members.remove(&user);
                }
            }
            InboxEvent::InboxAgentBotSet { agent_bot_id } => self.agent_bot_id = agent_bot_id,
        }
    }
}

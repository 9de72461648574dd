use super::{
    normalize_name, AccountMembers, NewTeam, TeamCommand, TeamError, TeamEvent, TeamMember, TeamPatch,
};
use crate::ids::{AccountId, AccountUserId, TeamId, UserId};
use crate::validation::{Violations, STRING_MAX, TEXT_MAX};
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub id: Option<TeamId>,
    pub account_id: Option<AccountId>,
    pub deleted: bool,
    /// Normalized (see [`normalize_name`]).
    pub name: String,
    pub description: Option<String>,
    pub allow_auto_assign: bool,
    /// Members with the account membership they were added under.
    pub members: BTreeMap<UserId, AccountUserId>,
}

/// Upstream's presence message for team names (`errors.validations.presence`).
const NAME_BLANK: &str = "Name must not be blank";

fn validate(v: &mut Violations, name: Option<&str>, description: Option<&str>) {
    if let Some(name) = name {
        if name.trim().is_empty() {
            v.add("name", NAME_BLANK);
        }
    }
    v.max_len("name", "Name", name.map(str::trim), STRING_MAX);
    v.max_len("description", "Description", description, TEXT_MAX);
}

/// The requested users, without repeats, in the order given; every one of
/// them must belong to the account.
fn requested(user_ids: &[UserId], account_members: &AccountMembers) -> Result<Vec<UserId>, TeamError> {
    let mut out: Vec<UserId> = Vec::with_capacity(user_ids.len());
    for id in user_ids {
        if !account_members.contains_key(id) {
            return Err(TeamError::InvalidUsers);
        }
        if !out.contains(id) {
            out.push(*id);
        }
    }
    Ok(out)
}

impl Team {
    fn live(&self) -> Result<(), TeamError> {
        if self.id.is_none() || self.deleted {
            return Err(TeamError::NotFound);
        }
        Ok(())
    }

    /// Whether `user_id` is a member under their current account membership.
    pub fn is_member(&self, user_id: UserId, account_members: &AccountMembers) -> bool {
        self.members.get(&user_id).is_some_and(|m| account_members.get(&user_id) == Some(m))
    }

    fn create(&self, new: NewTeam) -> Result<Vec<TeamEvent>, TeamError> {
        if self.id.is_some() {
            return Err(TeamError::AlreadyExists);
        }
        let mut v = Violations::new();
        validate(&mut v, Some(new.name.as_deref().unwrap_or_default()), new.description.as_deref());
        v.into_result().map_err(TeamError::Invalid)?;
        Ok(vec![TeamEvent::TeamCreated {
            id: new.id,
            account_id: new.account_id,
            name: normalize_name(new.name.as_deref().unwrap_or_default()),
            description: new.description,
            allow_auto_assign: new.allow_auto_assign.unwrap_or(true),
        }])
    }

    fn update(&self, patch: TeamPatch) -> Result<Vec<TeamEvent>, TeamError> {
        self.live()?;
        let mut v = Violations::new();
        validate(&mut v, patch.name.as_deref(), patch.description.as_ref().and_then(|d| d.as_deref()));
        v.into_result().map_err(TeamError::Invalid)?;
        let name = patch.name.map(|n| normalize_name(&n)).filter(|n| *n != self.name);
        let description = patch.description.filter(|d| *d != self.description);
        let allow_auto_assign = patch.allow_auto_assign.filter(|a| *a != self.allow_auto_assign);
        if name.is_none() && description.is_none() && allow_auto_assign.is_none() {
            return Ok(vec![]);
        }
        Ok(vec![TeamEvent::TeamUpdated { name, description, allow_auto_assign }])
    }

    fn added(&self, wanted: &[UserId], account_members: &AccountMembers) -> Option<TeamEvent> {
        let members: Vec<TeamMember> = wanted
            .iter()
            .filter(|u| !self.is_member(**u, account_members))
            .filter_map(|u| account_members.get(u).map(|m| TeamMember { user_id: *u, account_user_id: *m }))
            .collect();
        (!members.is_empty()).then_some(TeamEvent::TeamMembersAdded { members })
    }

    fn removed(&self, user_ids: Vec<UserId>) -> Option<TeamEvent> {
        (!user_ids.is_empty()).then_some(TeamEvent::TeamMembersRemoved { user_ids })
    }

    fn change_members(&self, command: TeamCommand) -> Result<Vec<TeamEvent>, TeamError> {
        self.live()?;
        let events = match command {
            TeamCommand::AddMembers { user_ids, account_members } => {
                let wanted = requested(&user_ids, &account_members)?;
                vec![self.added(&wanted, &account_members)]
            }
            TeamCommand::ReplaceMembers { user_ids, account_members } => {
                let wanted = requested(&user_ids, &account_members)?;
                let gone = self
                    .members
                    .keys()
                    .filter(|u| self.is_member(**u, &account_members) && !wanted.contains(u))
                    .copied()
                    .collect();
                vec![self.removed(gone), self.added(&wanted, &account_members)]
            }
            TeamCommand::RemoveMembers { user_ids, account_members } => {
                let unwanted = requested(&user_ids, &account_members)?;
                let gone = unwanted.into_iter().filter(|u| self.is_member(*u, &account_members)).collect();
                vec![self.removed(gone)]
            }
            TeamCommand::Create(_) | TeamCommand::Update(_) | TeamCommand::Delete => vec![],
        };
        Ok(events.into_iter().flatten().collect())
    }
}

impl cqrs_es::Aggregate for Team {
    const TYPE: &'static str = "Team";
    type Command = TeamCommand;
    type Event = TeamEvent;
    type Error = TeamError;
    type Services = ();

    async fn handle(
        &mut self,
        command: TeamCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), TeamError> {
        let events = match command {
            TeamCommand::Create(new) => self.create(new)?,
            TeamCommand::Update(patch) => self.update(patch)?,
            TeamCommand::Delete => {
                self.live()?;
                vec![TeamEvent::TeamDeleted]
            }
            membership => self.change_members(membership)?,
        };
        for event in events {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: TeamEvent) {
        match event {
            TeamEvent::TeamCreated { id, account_id, name, description, allow_auto_assign } => {
                self.id = Some(id);
                self.account_id = Some(account_id);
                self.name = name;
                self.description = description;
                self.allow_auto_assign = allow_auto_assign;
            }
            TeamEvent::TeamUpdated { name, description, allow_auto_assign } => {
                if let Some(n) = name {
                    self.name = n;
                }
                if let Some(d) = description {
                    self.description = d;
                }
                if let Some(a) = allow_auto_assign {
                    self.allow_auto_assign = a;
                }
            }
            TeamEvent::TeamMembersAdded { members } => {
                for m in members {
                    self.members.insert(m.user_id, m.account_user_id);
                }
            }
            TeamEvent::TeamMembersRemoved { user_ids } => {
                for u in user_ids {
                    self.members.remove(&u);
                }
            }
            TeamEvent::TeamDeleted => self.deleted = true,
        }
    }
}

//! Teams: named groups of an account's agents. A team name is lower-cased
//! and unique within its account; uniqueness is enforced by a
//! [`TeamNameClaim`] stream appended in the same atomic write as the team
//! event, so two concurrent creates with one name cannot both win.
//!
//! Members are recorded with the id of their account membership: a user
//! removed from the account (and perhaps invited again later) is no longer
//! a member of the account's teams, whatever the team stream last said.

mod aggregate;
mod name_claim;

pub use aggregate::Team;
pub use name_claim::{
    name_claim_id, TeamNameClaim, TeamNameClaimCommand, TeamNameClaimError, TeamNameClaimEvent,
};

use crate::ids::{AccountId, AccountUserId, TeamId, UserId};
use crate::validation::Violations;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The account's current members (user → membership id), looked up from
/// the account stream before a membership command.
pub type AccountMembers = BTreeMap<UserId, AccountUserId>;

/// The identity key of a team name: trimmed and lower-cased (upstream
/// lower-cases names before validating them).
pub fn normalize_name(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Raw input for a new team; the aggregate validates and normalizes it.
#[derive(Debug, Clone, Default)]
pub struct NewTeam {
    pub id: TeamId,
    pub account_id: AccountId,
    pub name: Option<String>,
    pub description: Option<String>,
    /// Defaults to `true`.
    pub allow_auto_assign: Option<bool>,
}

/// A partial update; `description: Some(None)` clears the description.
#[derive(Debug, Clone, Default)]
pub struct TeamPatch {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub allow_auto_assign: Option<bool>,
}

#[derive(Debug, Clone)]
pub enum TeamCommand {
    Create(NewTeam),
    Update(TeamPatch),
    Delete,
    /// Adds the users that are not members yet.
    AddMembers {
        user_ids: Vec<UserId>,
        account_members: AccountMembers,
    },
    /// Makes `user_ids` the exact member set.
    ReplaceMembers {
        user_ids: Vec<UserId>,
        account_members: AccountMembers,
    },
    /// Removes the users that are members.
    RemoveMembers {
        user_ids: Vec<UserId>,
        account_members: AccountMembers,
    },
}

/// A team member as recorded: the user and their account membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub user_id: UserId,
    pub account_user_id: AccountUserId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum TeamEvent {
    TeamCreated {
        id: TeamId,
        account_id: AccountId,
        name: String,
        description: Option<String>,
        allow_auto_assign: bool,
    },
    /// Only the fields that changed.
    TeamUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
        description: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        allow_auto_assign: Option<bool>,
    },
    TeamMembersAdded {
        members: Vec<TeamMember>,
    },
    TeamMembersRemoved {
        user_ids: Vec<UserId>,
    },
    TeamDeleted,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    #[error("team not found")]
    NotFound,
    #[error("team already exists")]
    AlreadyExists,
    #[error("{0}")]
    Invalid(Violations),
    /// A user id that is not a member of the team's account.
    #[error("Invalid User IDs")]
    InvalidUsers,
}

impl cqrs_es::DomainEvent for TeamEvent {
    fn event_type(&self) -> String {
        match self {
            TeamEvent::TeamCreated { .. } => "TeamCreated",
            TeamEvent::TeamUpdated { .. } => "TeamUpdated",
            TeamEvent::TeamMembersAdded { .. } => "TeamMembersAdded",
            TeamEvent::TeamMembersRemoved { .. } => "TeamMembersRemoved",
            TeamEvent::TeamDeleted => "TeamDeleted",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

#[cfg(test)]
mod tests;

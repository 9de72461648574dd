//! The account (tenant) aggregate: its profile, feature flags and members.

mod aggregate;
mod catalog;
mod command;
mod event;

pub use aggregate::{Account, Membership};
pub use catalog::{default_features, is_known_feature, is_known_locale, FEATURES, LOCALES};
pub use command::MemberSettings;
pub use command::{AccountCommand, AccountPatch, NewAccount};
pub use event::{AccountEvent, AccountFields};

use crate::validation::Violations;
use serde::{Deserialize, Serialize};

/// A member's role in an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Agent,
    Administrator,
}

impl Role {
    pub fn parse(value: &str) -> Option<Role> {
        match value {
            "agent" => Some(Role::Agent),
            "administrator" => Some(Role::Administrator),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Administrator => "administrator",
        }
    }
}

/// An agent's chosen availability in an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    #[default]
    Online,
    Busy,
    Offline,
}

impl Availability {
    pub fn parse(value: &str) -> Option<Availability> {
        match value {
            "online" => Some(Availability::Online),
            "busy" => Some(Availability::Busy),
            "offline" => Some(Availability::Offline),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Availability::Online => "online",
            Availability::Busy => "busy",
            Availability::Offline => "offline",
        }
    }
}

/// Whether the account may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    #[default]
    Active,
    Suspended,
}

impl AccountStatus {
    pub fn parse(value: &str) -> Option<AccountStatus> {
        match value {
            "active" => Some(AccountStatus::Active),
            "suspended" => Some(AccountStatus::Suspended),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Suspended => "suspended",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("account not found")]
    NotFound,
    #[error("account already exists")]
    AlreadyExists,
    #[error("the user is not a member of the account")]
    NotAMember,
    #[error("{0}")]
    Invalid(Violations),
}

#[cfg(test)]
mod tests;

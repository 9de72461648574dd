use super::{Availability, Role};
use crate::ids::{AccountId, AccountUserId, UserId};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Raw, not yet validated input for a new account. The aggregate validates
/// it in the upstream's wording.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub id: AccountId,
    pub name: Option<String>,
    pub locale: Option<String>,
    pub domain: Option<String>,
    pub support_email: Option<String>,
    pub status: Option<String>,
    pub limits: Option<Map<String, Value>>,
    pub custom_attributes: Option<Map<String, Value>>,
    /// Per-flag overrides of the defaults.
    pub features: BTreeMap<String, bool>,
}

/// A partial update: `None` leaves a field as it is. For the nullable
/// `domain` / `support_email`, `Some(None)` clears the value.
#[derive(Debug, Clone, Default)]
pub struct AccountPatch {
    pub name: Option<String>,
    pub locale: Option<String>,
    pub domain: Option<Option<String>>,
    pub support_email: Option<Option<String>>,
    pub status: Option<String>,
    pub limits: Option<Map<String, Value>>,
    pub custom_attributes: Option<Map<String, Value>>,
    pub features: BTreeMap<String, bool>,
}

#[derive(Debug, Clone)]
pub enum AccountCommand {
    Create(NewAccount),
    Update(AccountPatch),
    Delete,
    /// Adds the user, or changes the role of an existing member (upsert).
    /// `settings` apply to a new member only.
    UpsertMember {
        account_user_id: AccountUserId,
        user_id: UserId,
        role: Role,
        inviter_id: Option<UserId>,
        settings: MemberSettings,
    },
    /// Changes an existing member's role or availability settings.
    UpdateMember {
        user_id: UserId,
        role: Option<Role>,
        availability: Option<Availability>,
        auto_offline: Option<bool>,
    },
    /// Removes the user; a no-op when they are not a member.
    RemoveMember {
        user_id: UserId,
    },
}

/// Availability settings of a new member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberSettings {
    pub availability: Availability,
    pub auto_offline: bool,
}

impl Default for MemberSettings {
    fn default() -> Self {
        Self { availability: Availability::Online, auto_offline: true }
    }
}

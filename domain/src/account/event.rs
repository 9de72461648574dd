use super::{AccountStatus, Availability, Role};
use crate::ids::{AccountId, AccountUserId, UserId};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The account's profile as recorded at creation. `features` is the full,
/// resolved flag map so a replay never depends on today's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AccountFields {
    pub name: String,
    pub locale: String,
    pub domain: Option<String>,
    pub support_email: Option<String>,
    pub status: AccountStatus,
    pub limits: Map<String, Value>,
    pub custom_attributes: Map<String, Value>,
    pub features: BTreeMap<String, bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum AccountEvent {
    AccountCreated {
        id: AccountId,
        #[serde(flatten)]
        fields: AccountFields,
    },
    /// Only the fields that changed; `features` holds only flipped flags.
    AccountUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        locale: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
        domain: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
        support_email: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<AccountStatus>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limits: Option<Map<String, Value>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        custom_attributes: Option<Map<String, Value>>,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        features: BTreeMap<String, bool>,
    },
    AccountDeleted,
    AccountUserAdded {
        account_user_id: AccountUserId,
        user_id: UserId,
        role: Role,
        #[serde(default)]
        inviter_id: Option<UserId>,
        #[serde(default)]
        availability: Availability,
        #[serde(default = "default_true")]
        auto_offline: bool,
    },
    /// An agent's availability settings changed.
    AccountUserSettingsChanged {
        user_id: UserId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        availability: Option<Availability>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        auto_offline: Option<bool>,
    },
    AccountUserRoleChanged {
        user_id: UserId,
        role: Role,
    },
    AccountUserRemoved {
        user_id: UserId,
    },
}

impl cqrs_es::DomainEvent for AccountEvent {
    fn event_type(&self) -> String {
        match self {
            AccountEvent::AccountCreated { .. } => "AccountCreated",
            AccountEvent::AccountUpdated { .. } => "AccountUpdated",
            AccountEvent::AccountDeleted => "AccountDeleted",
            AccountEvent::AccountUserAdded { .. } => "AccountUserAdded",
            AccountEvent::AccountUserRoleChanged { .. } => "AccountUserRoleChanged",
            AccountEvent::AccountUserSettingsChanged { .. } => "AccountUserSettingsChanged",
            AccountEvent::AccountUserRemoved { .. } => "AccountUserRemoved",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

fn default_true() -> bool {
    true
}

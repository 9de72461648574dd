//! What may be asked of a contact. Lookups (normalised identity values,
//! which of them are taken) happen before the command and travel in it.

use super::rules::Taken;
use crate::ids::{AccountId, ContactId};
use serde_json::{Map, Value};

/// Input for a new contact. Identity values arrive already normalised
/// (see [`super::rules`]); `taken` says which of them another contact of
/// the account owns.
#[derive(Debug, Clone, Default)]
pub struct NewContact {
    pub id: ContactId,
    pub account_id: AccountId,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub identifier: Option<String>,
    pub blocked: Option<bool>,
    pub additional_attributes: Option<Map<String, Value>>,
    pub custom_attributes: Option<Map<String, Value>>,
    pub taken: Taken,
}

/// A partial update: `None` leaves a field as it is; for the nullable
/// identity fields `Some(None)` clears the value. The attribute hashes are
/// shallow-merged into the current ones.
#[derive(Debug, Clone, Default)]
pub struct ContactPatch {
    pub name: Option<String>,
    pub email: Option<Option<String>>,
    pub phone_number: Option<Option<String>>,
    pub identifier: Option<Option<String>>,
    pub blocked: Option<bool>,
    pub additional_attributes: Option<Map<String, Value>>,
    pub custom_attributes: Option<Map<String, Value>>,
    pub taken: Taken,
}

/// Every command but `Create` names the account it is meant for: a contact
/// of another account is "not found".
#[derive(Debug, Clone)]
pub enum ContactCommand {
    Create(NewContact),
    Update {
        account_id: AccountId,
        patch: ContactPatch,
    },
    /// `destroy_custom_attributes`: removes these keys (absent keys are ignored).
    RemoveCustomAttributes {
        account_id: AccountId,
        keys: Vec<String>,
    },
    /// Replaces the labels (already normalised).
    SetLabels {
        account_id: AccountId,
        labels: Vec<String>,
    },
    /// Sets (or with `None` removes) the avatar image.
    SetAvatar {
        account_id: AccountId,
        avatar: Option<super::event::Avatar>,
    },
    Delete {
        account_id: AccountId,
    },
}

//! What happened to a contact. Every event carries the account id.

use super::ContactType;
use crate::ids::{AccountId, ContactId};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A contact's profile as recorded at creation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ContactFields {
    pub name: String,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub identifier: Option<String>,
    pub blocked: bool,
    pub additional_attributes: Map<String, Value>,
    pub custom_attributes: Map<String, Value>,
    pub contact_type: ContactType,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum ContactEvent {
    ContactCreated {
        id: ContactId,
        account_id: AccountId,
        #[serde(flatten)]
        fields: ContactFields,
    },
    /// Only what changed. The attribute hashes are recorded whole (after
    /// the merge), so a replay never depends on merge rules.
    ContactUpdated {
        account_id: AccountId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
        email: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
        phone_number: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
        identifier: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        blocked: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        additional_attributes: Option<Map<String, Value>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        custom_attributes: Option<Map<String, Value>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contact_type: Option<ContactType>,
    },
    /// Keys removed from `custom_attributes` (only keys that were there).
    ContactCustomAttributesRemoved {
        account_id: AccountId,
        keys: Vec<String>,
    },
    /// The full new label list.
    ContactLabelsChanged {
        account_id: AccountId,
        labels: Vec<String>,
    },
    ContactDeleted {
        account_id: AccountId,
    },
    /// The avatar image was set (a stored blob) or removed (`None`).
    ContactAvatarChanged {
        account_id: AccountId,
        #[serde(default)]
        avatar: Option<Avatar>,
    },
}

/// An avatar image: the stored blob, its type and its thumbnail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Avatar {
    pub blob: crate::conversation::BlobRef,
    pub content_type: String,
    pub file_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<crate::conversation::Thumbnail>,
}

impl ContactEvent {
    pub fn account_id(&self) -> AccountId {
        match self {
            ContactEvent::ContactCreated { account_id, .. }
            | ContactEvent::ContactUpdated { account_id, .. }
            | ContactEvent::ContactCustomAttributesRemoved { account_id, .. }
            | ContactEvent::ContactLabelsChanged { account_id, .. }
            | ContactEvent::ContactDeleted { account_id }
            | ContactEvent::ContactAvatarChanged { account_id, .. } => *account_id,
        }
    }
}

impl cqrs_es::DomainEvent for ContactEvent {
    fn event_type(&self) -> String {
        match self {
            ContactEvent::ContactCreated { .. } => "ContactCreated",
            ContactEvent::ContactUpdated { .. } => "ContactUpdated",
            ContactEvent::ContactCustomAttributesRemoved { .. } => "ContactCustomAttributesRemoved",
            ContactEvent::ContactLabelsChanged { .. } => "ContactLabelsChanged",
            ContactEvent::ContactAvatarChanged { .. } => "ContactAvatarChanged",
            ContactEvent::ContactDeleted { .. } => "ContactDeleted",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

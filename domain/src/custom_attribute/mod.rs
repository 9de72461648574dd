//! Custom attribute definitions: the extra fields an account defines for
//! its conversations or contacts (`custom_attributes` keys), with a display
//! type that also decides how the filter engine compares their values.
//!
//! A key is unique within (account, model); uniqueness is a
//! [`UniqueClaim`](crate::unique_claim::UniqueClaim) stream appended in the
//! same atomic write as the definition's event. Changing the key or the
//! model moves the claim; deleting frees it.

mod aggregate;
mod kinds;

pub use aggregate::CustomAttributeDefinition;
pub use kinds::{AttributeModel, DisplayType};

use crate::ids::{AccountId, CustomAttributeDefinitionId};
use crate::unique_claim::{unique_claim_id, ClaimedField};
use crate::validation::Violations;
use serde::{Deserialize, Serialize};

/// The field key claims are about.
pub const ATTRIBUTE_KEY: ClaimedField = ClaimedField::new("attribute_key", "Attribute key");

/// The claim stream of `key` among `model`'s definitions in `account_id`.
pub fn key_claim_id(account_id: AccountId, model: AttributeModel, key: &str) -> String {
    unique_claim_id(account_id, &format!("custom_attribute/{}", model.as_str()), key)
}

/// A key as stored: without surrounding whitespace (upstream strips it).
pub fn normalize_key(key: &str) -> String {
    key.trim().to_owned()
}

/// Upstream's key format: letters, numbers, `_`, `.` and `-` only.
pub fn key_format_is_valid(key: &str) -> bool {
    !key.is_empty()
        && key.chars().all(|c| c.is_alphabetic() || c.is_numeric() || matches!(c, '_' | '.' | '-'))
}

/// A definition as recorded at creation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DefinitionFields {
    pub attribute_display_name: String,
    pub attribute_key: String,
    pub attribute_display_type: DisplayType,
    pub attribute_model: AttributeModel,
    pub attribute_description: Option<String>,
    pub attribute_values: Vec<String>,
    pub regex_pattern: Option<String>,
    pub regex_cue: Option<String>,
    pub default_value: Option<i64>,
}

/// Raw input for a new definition. `None` means "not given" (the model
/// and display type then take their defaults); the aggregate validates.
#[derive(Debug, Clone, Default)]
pub struct NewDefinition {
    pub id: CustomAttributeDefinitionId,
    pub account_id: AccountId,
    pub attribute_display_name: Option<String>,
    pub attribute_key: Option<String>,
    pub attribute_display_type: Option<DisplayType>,
    pub attribute_model: Option<AttributeModel>,
    pub attribute_description: Option<String>,
    pub attribute_values: Option<Vec<String>>,
    pub regex_pattern: Option<String>,
    pub regex_cue: Option<String>,
    pub default_value: Option<i64>,
}

/// A partial update; `Some(None)` clears an optional field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DefinitionPatch {
    pub attribute_display_name: Option<String>,
    pub attribute_key: Option<String>,
    pub attribute_display_type: Option<DisplayType>,
    pub attribute_model: Option<AttributeModel>,
    pub attribute_description: Option<Option<String>>,
    pub attribute_values: Option<Vec<String>>,
    pub regex_pattern: Option<Option<String>>,
    pub regex_cue: Option<Option<String>>,
    pub default_value: Option<Option<i64>>,
}

#[derive(Debug, Clone)]
pub enum CustomAttributeCommand {
    Create(NewDefinition),
    /// Names the caller's account: another account's definition is not found.
    Update {
        account_id: AccountId,
        patch: DefinitionPatch,
    },
    Delete {
        account_id: AccountId,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum CustomAttributeEvent {
    CustomAttributeDefinitionCreated {
        id: CustomAttributeDefinitionId,
        account_id: AccountId,
        #[serde(flatten)]
        fields: DefinitionFields,
    },
    /// Only the fields that changed (the whole new value of each).
    CustomAttributeDefinitionUpdated(DefinitionChanges),
    CustomAttributeDefinitionDeleted,
}

/// The changed fields of an update; `Some(None)` is a cleared value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DefinitionChanges {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_display_type: Option<DisplayType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_model: Option<AttributeModel>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
    pub attribute_description: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_values: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
    pub regex_pattern: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
    pub regex_cue: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
    pub default_value: Option<Option<i64>>,
}

impl DefinitionChanges {
    pub fn is_empty(&self) -> bool {
        *self == DefinitionChanges::default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomAttributeError {
    #[error("custom attribute definition not found")]
    NotFound,
    #[error("custom attribute definition already exists")]
    AlreadyExists,
    #[error("{0}")]
    Invalid(Violations),
}

impl cqrs_es::DomainEvent for CustomAttributeEvent {
    fn event_type(&self) -> String {
        match self {
            CustomAttributeEvent::CustomAttributeDefinitionCreated { .. } => {
                "CustomAttributeDefinitionCreated"
            }
            CustomAttributeEvent::CustomAttributeDefinitionUpdated(_) => "CustomAttributeDefinitionUpdated",
            CustomAttributeEvent::CustomAttributeDefinitionDeleted => "CustomAttributeDefinitionDeleted",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

#[cfg(test)]
mod tests;

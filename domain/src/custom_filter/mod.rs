//! Custom filters (saved views): a user's named filter query within one
//! account, for the conversation, contact or report screens. A filter
//! belongs to the user who saved it; nobody else sees or changes it.
//!
//! At most [`MAX_FILTERS_PER_USER`] filters per user and account, counted
//! by a [`CustomFilterQuota`] stream (one per user and account) that the
//! create appends to in the same atomic write as the filter's event.

mod aggregate;
mod quota;

pub use aggregate::CustomFilter;
pub use quota::{quota_id, CustomFilterQuota, QuotaCommand, QuotaError, QuotaEvent};

use crate::ids::{AccountId, CustomFilterId, UserId};
use crate::validation::Violations;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Upstream `Limits::MAX_CUSTOM_FILTERS_PER_USER`.
pub const MAX_FILTERS_PER_USER: usize = 1000;
/// Largest `query` (as JSON text) a filter may store.
pub const MAX_QUERY_BYTES: usize = 64 * 1024;

/// Upstream `filter_type` (`conversation: 0, contact: 1, report: 2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FilterType {
    #[default]
    Conversation,
    Contact,
    Report,
}

impl FilterType {
    pub const ALL: [FilterType; 3] = [FilterType::Conversation, FilterType::Contact, FilterType::Report];

    pub fn as_str(self) -> &'static str {
        match self {
            FilterType::Conversation => "conversation",
            FilterType::Contact => "contact",
            FilterType::Report => "report",
        }
    }

    /// By name or by the upstream's integer value (as a string).
    pub fn parse(value: &str) -> Option<FilterType> {
        let value = value.trim();
        Self::ALL
            .into_iter()
            .enumerate()
            .find(|(i, t)| t.as_str() == value || i.to_string() == value)
            .map(|(_, t)| t)
    }

    pub fn from_index(index: i64) -> Option<FilterType> {
        usize::try_from(index).ok().and_then(|i| Self::ALL.get(i).copied())
    }
}

/// Who is asking: a filter of another user (or account) is not found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub account_id: AccountId,
    pub user_id: UserId,
}

/// Raw input for a new filter; the aggregate validates it.
#[derive(Debug, Clone, Default)]
pub struct NewCustomFilter {
    pub id: CustomFilterId,
    pub account_id: AccountId,
    pub user_id: UserId,
    pub name: Option<String>,
    /// Default `conversation`.
    pub filter_type: Option<FilterType>,
    pub query: Option<Map<String, Value>>,
}

/// A partial update (`None` = unchanged).
#[derive(Debug, Clone, Default)]
pub struct CustomFilterPatch {
    pub name: Option<String>,
    pub filter_type: Option<FilterType>,
    pub query: Option<Map<String, Value>>,
}

#[derive(Debug, Clone)]
pub enum CustomFilterCommand {
    Create(NewCustomFilter),
    Update { owner: Owner, patch: CustomFilterPatch },
    Delete { owner: Owner },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum CustomFilterEvent {
    CustomFilterCreated {
        id: CustomFilterId,
        account_id: AccountId,
        user_id: UserId,
        name: String,
        filter_type: FilterType,
        query: Map<String, Value>,
    },
    /// Only the fields that changed (the query whole).
    CustomFilterUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filter_type: Option<FilterType>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        query: Option<Map<String, Value>>,
    },
    CustomFilterDeleted,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomFilterError {
    #[error("custom filter not found")]
    NotFound,
    #[error("custom filter already exists")]
    AlreadyExists,
    #[error("{0}")]
    Invalid(Violations),
}

impl cqrs_es::DomainEvent for CustomFilterEvent {
    fn event_type(&self) -> String {
        match self {
            CustomFilterEvent::CustomFilterCreated { .. } => "CustomFilterCreated",
            CustomFilterEvent::CustomFilterUpdated { .. } => "CustomFilterUpdated",
            CustomFilterEvent::CustomFilterDeleted => "CustomFilterDeleted",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

#[cfg(test)]
mod tests;

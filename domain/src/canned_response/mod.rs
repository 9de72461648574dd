//! Canned responses: an account's saved replies, each a `short_code` (what
//! an agent types after `/`) and its `content`. Any member of the account
//! may manage them.
//!
//! A short code is unique within its account (case-sensitive, as upstream);
//! uniqueness is a [`UniqueClaim`](crate::unique_claim::UniqueClaim) stream
//! appended in the same atomic write as the canned response's event.

mod aggregate;

pub use aggregate::CannedResponse;

use crate::ids::{AccountId, CannedResponseId};
use crate::unique_claim::{unique_claim_id, ClaimedField};
use crate::validation::Violations;
use serde::{Deserialize, Serialize};

/// The field short code claims are about.
pub const SHORT_CODE: ClaimedField = ClaimedField::new("short_code", "Short code");

/// The claim stream of a (normalized) short code in `account_id`.
pub fn short_code_claim_id(account_id: AccountId, short_code: &str) -> String {
    unique_claim_id(account_id, "canned_response/short_code", short_code)
}

/// A short code as stored: without surrounding whitespace (the case is
/// kept: `Hi` and `hi` are different codes).
pub fn normalize_short_code(short_code: &str) -> String {
    short_code.trim().to_owned()
}

/// Raw input for a new canned response; the aggregate validates it.
#[derive(Debug, Clone, Default)]
pub struct NewCannedResponse {
    pub id: CannedResponseId,
    pub account_id: AccountId,
    pub short_code: Option<String>,
    pub content: Option<String>,
}

/// A partial update (`None` = unchanged).
#[derive(Debug, Clone, Default)]
pub struct CannedResponsePatch {
    pub short_code: Option<String>,
    pub content: Option<String>,
}

#[derive(Debug, Clone)]
pub enum CannedResponseCommand {
    Create(NewCannedResponse),
    /// Names the account the caller is in: a canned response of another
    /// account is not found.
    Update {
        account_id: AccountId,
        patch: CannedResponsePatch,
    },
    Delete {
        account_id: AccountId,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum CannedResponseEvent {
    CannedResponseCreated {
        id: CannedResponseId,
        account_id: AccountId,
        short_code: String,
        content: String,
    },
    /// Only the fields that changed.
    CannedResponseUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        short_code: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        content: Option<String>,
    },
    CannedResponseDeleted,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CannedResponseError {
    #[error("canned response not found")]
    NotFound,
    #[error("canned response already exists")]
    AlreadyExists,
    #[error("{0}")]
    Invalid(Violations),
}

impl cqrs_es::DomainEvent for CannedResponseEvent {
    fn event_type(&self) -> String {
        match self {
            CannedResponseEvent::CannedResponseCreated { .. } => "CannedResponseCreated",
            CannedResponseEvent::CannedResponseUpdated { .. } => "CannedResponseUpdated",
            CannedResponseEvent::CannedResponseDeleted => "CannedResponseDeleted",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

#[cfg(test)]
mod tests;

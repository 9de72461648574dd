//! The contact aggregate: an end customer of one account, with its profile,
//! attribute hashes, labels and lifecycle type. The stream id is the contact
//! id; every event carries the account id.
//!
//! Uniqueness of e-mail, phone number and identifier per account is not a
//! property of one contact: it is enforced by [`claim::ContactClaim`] streams
//! appended in the same atomic write as the contact's own events.

mod aggregate;
pub mod claim;
mod command;
mod event;
pub mod rules;

pub use aggregate::Contact;
pub use claim::{ClaimKind, ContactClaim, ContactClaimCommand, ContactClaimError, ContactClaimEvent};
pub use command::{ContactCommand, ContactPatch, NewContact};
pub use event::{Avatar, ContactEvent, ContactFields};
pub use rules::Taken;

use crate::validation::Violations;
use serde::{Deserialize, Serialize};

/// Upstream `contact_type`: a visitor becomes a lead once it can be
/// reached (e-mail, phone or a social profile) and never goes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ContactType {
    #[default]
    Visitor,
    Lead,
    Customer,
}

impl ContactType {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactType::Visitor => "visitor",
            ContactType::Lead => "lead",
            ContactType::Customer => "customer",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    /// No such contact in this account (or it was deleted).
    #[error("contact not found")]
    NotFound,
    #[error("contact already exists")]
    AlreadyExists,
    #[error("{0}")]
    Invalid(Violations),
    /// A business rule refused the command (422 `{error}`).
    #[error("{0}")]
    Rejected(String),
}

#[cfg(test)]
mod tests;

//! Uniqueness of a contact's e-mail, phone number and identifier within an
//! account, enforced by the event store like [`crate::email_claim`]: each
//! (account, kind, value) is a stream, and claiming it is appended in the
//! same atomic write as the contact event. Two concurrent creates with one
//! value conflict on this stream's version; one of them loses.

use crate::ids::{AccountId, ContactId};
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

/// Which unique value of a contact a claim is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    Email,
    PhoneNumber,
    Identifier,
}

impl ClaimKind {
    pub const ALL: [ClaimKind; 3] = [ClaimKind::Email, ClaimKind::PhoneNumber, ClaimKind::Identifier];

    /// The attribute name in validation errors.
    pub fn attribute(self) -> &'static str {
        match self {
            ClaimKind::Email => "email",
            ClaimKind::PhoneNumber => "phone_number",
            ClaimKind::Identifier => "identifier",
        }
    }

    /// The attribute as Rails' full messages name it.
    pub fn label(self) -> &'static str {
        match self {
            ClaimKind::Email => "Email",
            ClaimKind::PhoneNumber => "Phone number",
            ClaimKind::Identifier => "Identifier",
        }
    }
}

/// The claim stream of `value` (already normalised: e-mails lower-cased,
/// identifiers as given, so they stay case-sensitive).
pub fn claim_stream_id(account_id: AccountId, kind: ClaimKind, value: &str) -> String {
    format!("{account_id}/{}/{value}", kind.attribute())
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactClaim {
    pub owner: Option<ContactId>,
}

#[derive(Debug, Clone)]
pub enum ContactClaimCommand {
    Claim { account_id: AccountId, kind: ClaimKind, contact_id: ContactId },
    Release { account_id: AccountId, contact_id: ContactId },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum ContactClaimEvent {
    ContactValueClaimed { account_id: AccountId, kind: ClaimKind, contact_id: ContactId },
    ContactValueReleased { account_id: AccountId, contact_id: ContactId },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactClaimError {
    #[error("{} has already been taken", .kind.label())]
    Taken { kind: ClaimKind, owner: ContactId },
}

impl cqrs_es::DomainEvent for ContactClaimEvent {
    fn event_type(&self) -> String {
        match self {
            ContactClaimEvent::ContactValueClaimed { .. } => "ContactValueClaimed",
            ContactClaimEvent::ContactValueReleased { .. } => "ContactValueReleased",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

impl cqrs_es::Aggregate for ContactClaim {
    const TYPE: &'static str = "ContactClaim";
    type Command = ContactClaimCommand;
    type Event = ContactClaimEvent;
    type Error = ContactClaimError;
    type Services = ();

    async fn handle(
        &mut self,
        command: ContactClaimCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), ContactClaimError> {
        match command {
            ContactClaimCommand::Claim { account_id, kind, contact_id } => match self.owner {
                Some(owner) if owner == contact_id => {}
                Some(owner) => return Err(ContactClaimError::Taken { kind, owner }),
                None => {
                    let event = ContactClaimEvent::ContactValueClaimed { account_id, kind, contact_id };
                    sink.write(event, self).await;
                }
            },
            ContactClaimCommand::Release { account_id, contact_id } => {
                if self.owner == Some(contact_id) {
                    sink.write(ContactClaimEvent::ContactValueReleased { account_id, contact_id }, self)
                        .await;
                }
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: ContactClaimEvent) {
        self.owner = match event {
            ContactClaimEvent::ContactValueClaimed { contact_id, .. } => Some(contact_id),
            ContactClaimEvent::ContactValueReleased { .. } => None,
        };
    }
}

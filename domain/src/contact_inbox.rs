//! A contact's presence in an inbox: the `source_id` that identifies the
//! contact to that inbox's channel (and to the Client API), and the
//! websocket token of that session. The stream is keyed by inbox and
//! source id, so a source id is unique per inbox by construction: a second
//! contact claiming it conflicts.

use crate::ids::{AccountId, ContactId, InboxId};
use crate::token::IssuedToken;
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

/// The stream of a source id within an inbox.
pub fn contact_inbox_stream_id(inbox_id: InboxId, source_id: &str) -> String {
    format!("{inbox_id}/{source_id}")
}

/// Upstream column limit for source ids.
pub const SOURCE_ID_MAX: usize = 255;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactInbox {
    pub id: Option<i64>,
    pub contact_id: Option<ContactId>,
    pub removed: bool,
    /// The session proved the contact's identity (HMAC).
    #[serde(default)]
    pub hmac_verified: bool,
}

#[derive(Debug, Clone)]
pub enum ContactInboxCommand {
    Create {
        id: i64,
        account_id: AccountId,
        inbox_id: InboxId,
        contact_id: ContactId,
        source_id: String,
        pubsub_token: IssuedToken,
        hmac_verified: bool,
    },
    /// The contact was deleted: the source id is free again.
    Remove { account_id: AccountId },
    /// The session proved the contact's identity with a valid HMAC.
    Verify { account_id: AccountId },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum ContactInboxEvent {
    ContactInboxCreated {
        id: i64,
        account_id: AccountId,
        inbox_id: InboxId,
        contact_id: ContactId,
        source_id: String,
        pubsub_token: IssuedToken,
        hmac_verified: bool,
    },
    ContactInboxRemoved {
        account_id: AccountId,
    },
    ContactInboxHmacVerified {
        account_id: AccountId,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactInboxError {
    /// Another contact of the inbox has this source id.
    #[error("source_id should be unique")]
    SourceIdTaken,
    #[error("source_id is too long (maximum is 255 characters)")]
    SourceIdTooLong,
}

impl cqrs_es::DomainEvent for ContactInboxEvent {
    fn event_type(&self) -> String {
        match self {
            ContactInboxEvent::ContactInboxCreated { .. } => "ContactInboxCreated",
            ContactInboxEvent::ContactInboxRemoved { .. } => "ContactInboxRemoved",
            ContactInboxEvent::ContactInboxHmacVerified { .. } => "ContactInboxHmacVerified",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

impl ContactInbox {
    /// Whether the source id currently belongs to a contact.
    pub fn is_live(&self) -> bool {
        self.id.is_some() && !self.removed
    }
}

impl cqrs_es::Aggregate for ContactInbox {
    const TYPE: &'static str = "ContactInbox";
    type Command = ContactInboxCommand;
    type Event = ContactInboxEvent;
    type Error = ContactInboxError;
    type Services = ();

    async fn handle(
        &mut self,
        command: ContactInboxCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), ContactInboxError> {
        match command {
            ContactInboxCommand::Create {
                id,
                account_id,
                inbox_id,
                contact_id,
                source_id,
                pubsub_token,
                hmac_verified,
            } => {
                if self.is_live() {
                    return if self.contact_id == Some(contact_id) {
                        Ok(())
                    } else {
                        Err(ContactInboxError::SourceIdTaken)
                    };
                }
                if source_id.chars().count() > SOURCE_ID_MAX {
                    return Err(ContactInboxError::SourceIdTooLong);
                }
                let event = ContactInboxEvent::ContactInboxCreated {
                    id,
                    account_id,
                    inbox_id,
                    contact_id,
                    source_id,
                    pubsub_token,
                    hmac_verified,
                };
                sink.write(event, self).await;
            }
            ContactInboxCommand::Remove { account_id } => {
                if self.is_live() {
                    sink.write(ContactInboxEvent::ContactInboxRemoved { account_id }, self).await;
                }
            }
            ContactInboxCommand::Verify { account_id } => {
                if self.is_live() && !self.hmac_verified {
                    sink.write(ContactInboxEvent::ContactInboxHmacVerified { account_id }, self).await;
                }
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: ContactInboxEvent) {
        match event {
            ContactInboxEvent::ContactInboxCreated { id, contact_id, hmac_verified, .. } => {
                *self = ContactInbox {
                    id: Some(id),
                    contact_id: Some(contact_id),
                    removed: false,
                    hmac_verified,
                };
            }
            ContactInboxEvent::ContactInboxRemoved { .. } => self.removed = true,
            ContactInboxEvent::ContactInboxHmacVerified { .. } => self.hmac_verified = true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cqrs_es::test::TestFramework;

    fn create(contact: i64) -> ContactInboxCommand {
        ContactInboxCommand::Create {
            id: 9,
            account_id: AccountId(1),
            inbox_id: InboxId(2),
            contact_id: ContactId(contact),
            source_id: "abc".into(),
            pubsub_token: IssuedToken { digest: "d".into(), sealed: "s".into() },
            hmac_verified: false,
        }
    }

    fn created(contact: i64) -> ContactInboxEvent {
        ContactInboxEvent::ContactInboxCreated {
            id: 9,
            account_id: AccountId(1),
            inbox_id: InboxId(2),
            contact_id: ContactId(contact),
            source_id: "abc".into(),
            pubsub_token: IssuedToken { digest: "d".into(), sealed: "s".into() },
            hmac_verified: false,
        }
    }

    #[test]
    fn a_source_id_belongs_to_one_contact_until_it_is_removed() {
        TestFramework::<ContactInbox>::with(())
            .given_no_previous_events()
            .when(create(1))
            .then_expect_events(vec![created(1)]);
        TestFramework::<ContactInbox>::with(())
            .given(vec![created(1)])
            .when(create(1))
            .then_expect_events(vec![]);
        TestFramework::<ContactInbox>::with(())
            .given(vec![created(1)])
            .when(create(2))
            .then_expect_error(ContactInboxError::SourceIdTaken);
        let removed = ContactInboxEvent::ContactInboxRemoved { account_id: AccountId(1) };
        TestFramework::<ContactInbox>::with(())
            .given(vec![created(1), removed])
            .when(create(2))
            .then_expect_events(vec![created(2)]);
    }

    #[test]
    fn a_session_is_verified_once_and_only_while_live() {
        let verify = || ContactInboxCommand::Verify { account_id: AccountId(1) };
        let verified = ContactInboxEvent::ContactInboxHmacVerified { account_id: AccountId(1) };
        TestFramework::<ContactInbox>::with(())
            .given(vec![created(1)])
            .when(verify())
            .then_expect_events(vec![verified.clone()]);
        TestFramework::<ContactInbox>::with(())
            .given(vec![created(1), verified])
            .when(verify())
            .then_expect_events(vec![]);
        TestFramework::<ContactInbox>::with(())
            .given_no_previous_events()
            .when(verify())
            .then_expect_events(vec![]);
    }
}

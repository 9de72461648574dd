//! Uniqueness of user e-mails across the installation, enforced by the event
//! store: each (lower-cased) e-mail is a stream, and claiming it is appended
//! in the same atomic write as the user event. Two concurrent sign-ups with
//! one address conflict on this stream's version; one of them loses.

use crate::ids::UserId;
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EmailClaim {
    pub owner: Option<UserId>,
}

#[derive(Debug, Clone)]
pub enum EmailClaimCommand {
    Claim { user_id: UserId },
    Release { user_id: UserId },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum EmailClaimEvent {
    EmailClaimed { user_id: UserId },
    EmailReleased { user_id: UserId },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailClaimError {
    #[error("Email has already been taken")]
    Taken { owner: UserId },
}

impl cqrs_es::DomainEvent for EmailClaimEvent {
    fn event_type(&self) -> String {
        match self {
            EmailClaimEvent::EmailClaimed { .. } => "EmailClaimed",
            EmailClaimEvent::EmailReleased { .. } => "EmailReleased",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

impl cqrs_es::Aggregate for EmailClaim {
    const TYPE: &'static str = "EmailClaim";
    type Command = EmailClaimCommand;
    type Event = EmailClaimEvent;
    type Error = EmailClaimError;
    type Services = ();

    async fn handle(
        &mut self,
        command: EmailClaimCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), EmailClaimError> {
        match command {
            EmailClaimCommand::Claim { user_id } => match self.owner {
                Some(owner) if owner == user_id => {}
                Some(owner) => return Err(EmailClaimError::Taken { owner }),
                None => sink.write(EmailClaimEvent::EmailClaimed { user_id }, self).await,
            },
            EmailClaimCommand::Release { user_id } => {
                if self.owner == Some(user_id) {
                    sink.write(EmailClaimEvent::EmailReleased { user_id }, self).await;
                }
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: EmailClaimEvent) {
        self.owner = match event {
            EmailClaimEvent::EmailClaimed { user_id } => Some(user_id),
            EmailClaimEvent::EmailReleased { .. } => None,
        };
    }
}

//! Uniqueness of webhook URLs within an account, enforced by the event
//! store: each (account, URL digest) is a stream, claimed in the same
//! atomic write as the webhook event (like team names). The command
//! service computes the digest, which keeps stream ids short whatever the
//! URL's length.

use crate::ids::{AccountId, WebhookId};
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

/// The claim stream id of a URL (given as its digest) in `account_id`.
pub fn url_claim_id(account_id: AccountId, url_digest: &str) -> String {
    format!("{account_id}/{url_digest}")
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WebhookUrlClaim {
    pub owner: Option<WebhookId>,
}

#[derive(Debug, Clone)]
pub enum WebhookUrlClaimCommand {
    Claim { webhook_id: WebhookId },
    Release { webhook_id: WebhookId },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum WebhookUrlClaimEvent {
    WebhookUrlClaimed { webhook_id: WebhookId },
    WebhookUrlReleased { webhook_id: WebhookId },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookUrlClaimError {
    #[error("Url has already been taken")]
    Taken { owner: WebhookId },
}

impl cqrs_es::DomainEvent for WebhookUrlClaimEvent {
    fn event_type(&self) -> String {
        match self {
            WebhookUrlClaimEvent::WebhookUrlClaimed { .. } => "WebhookUrlClaimed",
            WebhookUrlClaimEvent::WebhookUrlReleased { .. } => "WebhookUrlReleased",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

impl cqrs_es::Aggregate for WebhookUrlClaim {
    const TYPE: &'static str = "WebhookUrlClaim";
    type Command = WebhookUrlClaimCommand;
    type Event = WebhookUrlClaimEvent;
    type Error = WebhookUrlClaimError;
    type Services = ();

    async fn handle(
        &mut self,
        command: WebhookUrlClaimCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), WebhookUrlClaimError> {
        match command {
            WebhookUrlClaimCommand::Claim { webhook_id } => match self.owner {
                Some(owner) if owner == webhook_id => {}
                Some(owner) => return Err(WebhookUrlClaimError::Taken { owner }),
                None => sink.write(WebhookUrlClaimEvent::WebhookUrlClaimed { webhook_id }, self).await,
            },
            WebhookUrlClaimCommand::Release { webhook_id } => {
                if self.owner == Some(webhook_id) {
                    sink.write(WebhookUrlClaimEvent::WebhookUrlReleased { webhook_id }, self).await;
                }
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: WebhookUrlClaimEvent) {
        self.owner = match event {
            WebhookUrlClaimEvent::WebhookUrlClaimed { webhook_id } => Some(webhook_id),
            WebhookUrlClaimEvent::WebhookUrlReleased { .. } => None,
        };
    }
}

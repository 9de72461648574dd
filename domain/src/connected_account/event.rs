//! What happens to a connected account, as recorded in the log. Updates
//! carry only the fields that changed (configuration as its whole new
//! value); new credentials are their own event, so the audit trail shows
//! every rotation without ever showing a credential.

use super::{ConnectionStatus, Provider, SealedCredentials};
use crate::ids::{AccountId, ConnectedAccountId, InboxId};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Connected {
    pub id: ConnectedAccountId,
    pub account_id: AccountId,
    pub provider: Provider,
    pub name: String,
    pub headline: Option<String>,
    pub avatar_url: Option<String>,
    pub external_id: Option<String>,
    pub config: Map<String, Value>,
    pub credentials: SealedCredentials,
    pub inbox_id: Option<InboxId>,
    pub status: ConnectionStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum ConnectedAccountEvent {
    ConnectedAccountConnected(Connected),
    ConnectedAccountUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
        headline: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
        avatar_url: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
        external_id: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        config: Option<Map<String, Value>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
        inbox_id: Option<Option<InboxId>>,
    },
    ConnectedAccountCredentialsReplaced {
        credentials: SealedCredentials,
    },
    ConnectedAccountDisconnected,
}

impl cqrs_es::DomainEvent for ConnectedAccountEvent {
    fn event_type(&self) -> String {
        match self {
            ConnectedAccountEvent::ConnectedAccountConnected(_) => "ConnectedAccountConnected",
            ConnectedAccountEvent::ConnectedAccountUpdated { .. } => "ConnectedAccountUpdated",
            ConnectedAccountEvent::ConnectedAccountCredentialsReplaced { .. } => {
                "ConnectedAccountCredentialsReplaced"
            }
            ConnectedAccountEvent::ConnectedAccountDisconnected => "ConnectedAccountDisconnected",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

use crate::ids::UserId;
use crate::token::IssuedToken;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A user as recorded at creation. `password_hash` is an Argon2id PHC string
/// (a one-way hash); tokens appear only as [`IssuedToken`]s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewUser {
    pub id: UserId,
    pub name: String,
    pub display_name: Option<String>,
    pub email: String,
    pub password_hash: Option<String>,
    pub access_token: IssuedToken,
    pub pubsub_token: IssuedToken,
    #[serde(default)]
    pub custom_attributes: Map<String, Value>,
    /// False for agents invited by an administrator until they set a
    /// password; users created through the Platform API are confirmed.
    #[serde(default = "confirmed_by_default")]
    pub confirmed: bool,
}

fn confirmed_by_default() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum UserEvent {
    UserCreated(NewUser),
    UserUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
        display_name: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        email: Option<String>,
        /// The complete custom attributes after the merge.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        custom_attributes: Option<Map<String, Value>>,
    },
    /// A new password also rotates the websocket token, as upstream does.
    UserPasswordChanged {
        password_hash: String,
        pubsub_token: IssuedToken,
    },
    UserDeleted,
    SsoTokenIssued {
        digest: String,
        expires_at: DateTime<Utc>,
    },
    SsoTokenConsumed {
        digest: String,
    },
}

impl cqrs_es::DomainEvent for UserEvent {
    fn event_type(&self) -> String {
        match self {
            UserEvent::UserCreated(_) => "UserCreated",
            UserEvent::UserUpdated { .. } => "UserUpdated",
            UserEvent::UserPasswordChanged { .. } => "UserPasswordChanged",
            UserEvent::UserDeleted => "UserDeleted",
            UserEvent::SsoTokenIssued { .. } => "SsoTokenIssued",
            UserEvent::SsoTokenConsumed { .. } => "SsoTokenConsumed",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

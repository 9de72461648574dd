//! Platform apps: the installation admin's integrations. An app may touch
//! only what it created (derived from the actor of the creating event) or
//! was explicitly granted (events of this aggregate).

use crate::ids::PlatformAppId;
use crate::token::IssuedToken;
use crate::validation::{Violations, STRING_MAX};
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Kinds of objects a platform app can be granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PermissibleType {
    Account,
    User,
    AgentBot,
}

impl PermissibleType {
    pub fn as_str(self) -> &'static str {
        match self {
            PermissibleType::Account => "Account",
            PermissibleType::User => "User",
            PermissibleType::AgentBot => "AgentBot",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlatformApp {
    pub id: Option<PlatformAppId>,
    pub name: String,
    pub grants: BTreeSet<(PermissibleType, i64)>,
}

#[derive(Debug, Clone)]
pub enum PlatformAppCommand {
    Create { id: PlatformAppId, name: String, token: IssuedToken },
    Grant { resource_type: PermissibleType, resource_id: i64 },
    Revoke { resource_type: PermissibleType, resource_id: i64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum PlatformAppEvent {
    PlatformAppCreated { id: PlatformAppId, name: String, token: IssuedToken },
    PermissibleGranted { resource_type: PermissibleType, resource_id: i64 },
    PermissibleRevoked { resource_type: PermissibleType, resource_id: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlatformAppError {
    #[error("platform app not found")]
    NotFound,
    #[error("platform app already exists")]
    AlreadyExists,
    #[error("{0}")]
    Invalid(Violations),
}

impl cqrs_es::DomainEvent for PlatformAppEvent {
    fn event_type(&self) -> String {
        match self {
            PlatformAppEvent::PlatformAppCreated { .. } => "PlatformAppCreated",
            PlatformAppEvent::PermissibleGranted { .. } => "PermissibleGranted",
            PlatformAppEvent::PermissibleRevoked { .. } => "PermissibleRevoked",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

impl cqrs_es::Aggregate for PlatformApp {
    const TYPE: &'static str = "PlatformApp";
    type Command = PlatformAppCommand;
    type Event = PlatformAppEvent;
    type Error = PlatformAppError;
    type Services = ();

    async fn handle(
        &mut self,
        command: PlatformAppCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), PlatformAppError> {
        let event = match command {
            PlatformAppCommand::Create { id, name, token } => {
                if self.id.is_some() {
                    return Err(PlatformAppError::AlreadyExists);
                }
                let mut v = Violations::new();
                v.require_present("name", "Name", Some(&name));
                v.max_len("name", "Name", Some(&name), STRING_MAX);
                v.into_result().map_err(PlatformAppError::Invalid)?;
                PlatformAppEvent::PlatformAppCreated { id, name: name.trim().to_owned(), token }
            }
            PlatformAppCommand::Grant { resource_type, resource_id } => {
                self.id.ok_or(PlatformAppError::NotFound)?;
                if self.grants.contains(&(resource_type, resource_id)) {
                    return Ok(());
                }
                PlatformAppEvent::PermissibleGranted { resource_type, resource_id }
            }
            PlatformAppCommand::Revoke { resource_type, resource_id } => {
                self.id.ok_or(PlatformAppError::NotFound)?;
                if !self.grants.contains(&(resource_type, resource_id)) {
                    return Ok(());
                }
                PlatformAppEvent::PermissibleRevoked { resource_type, resource_id }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: PlatformAppEvent) {
        match event {
            PlatformAppEvent::PlatformAppCreated { id, name, .. } => {
                self.id = Some(id);
                self.name = name;
            }
            PlatformAppEvent::PermissibleGranted { resource_type, resource_id } => {
                self.grants.insert((resource_type, resource_id));
            }
            PlatformAppEvent::PermissibleRevoked { resource_type, resource_id } => {
                self.grants.remove(&(resource_type, resource_id));
            }
        }
    }
}

use super::event::{NewUser, UserEvent};
use super::rules::{normalize_email, validate_email, validate_profile};
use super::UserError;
use crate::ids::UserId;
use crate::token::IssuedToken;
use crate::validation::Violations;
use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SsoToken {
    pub digest: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: Option<UserId>,
    pub deleted: bool,
    pub name: String,
    pub display_name: Option<String>,
    pub email: String,
    pub custom_attributes: Map<String, Value>,
    pub access_token: Option<IssuedToken>,
    /// Outstanding (unused) single sign-on tokens.
    pub sso_tokens: Vec<SsoToken>,
}

/// A partial profile update; `password` carries the new hash and the rotated
/// websocket token.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub name: Option<String>,
    pub display_name: Option<Option<String>>,
    pub email: Option<String>,
    pub password: Option<(String, IssuedToken)>,
    /// Merged into the existing attributes.
    pub custom_attributes: Option<Map<String, Value>>,
}

#[derive(Debug, Clone)]
pub enum UserCommand {
    Create(NewUser),
    Update(UserPatch),
    Delete,
    IssueSsoToken { digest: String, expires_at: DateTime<Utc> },
    ConsumeSsoToken { digest: String, now: DateTime<Utc> },
}

impl User {
    fn live(&self) -> Result<(), UserError> {
        if self.id.is_none() || self.deleted {
            return Err(UserError::NotFound);
        }
        Ok(())
    }

    fn create(&self, mut new: NewUser) -> Result<Vec<UserEvent>, UserError> {
        if self.id.is_some() {
            return Err(UserError::AlreadyExists);
        }
        let mut v = Violations::new();
        validate_profile(&mut v, Some(&new.name), new.display_name.as_deref(), true);
        validate_email(&mut v, Some(&new.email));
        v.into_result().map_err(UserError::Invalid)?;
        new.name = new.name.trim().to_owned();
        new.email = normalize_email(&new.email);
        Ok(vec![UserEvent::UserCreated(new)])
    }

    fn update(&self, patch: UserPatch) -> Result<Vec<UserEvent>, UserError> {
        self.live()?;
        let mut v = Violations::new();
        validate_profile(
            &mut v,
            patch.name.as_deref(),
            patch.display_name.as_ref().and_then(|d| d.as_deref()),
            false,
        );
        if let Some(email) = &patch.email {
            validate_email(&mut v, Some(email));
        }
        v.into_result().map_err(UserError::Invalid)?;

        let name = patch.name.map(|n| n.trim().to_owned()).filter(|n| *n != self.name);
        let display_name = patch.display_name.filter(|d| *d != self.display_name);
        let email = patch.email.map(|e| normalize_email(&e)).filter(|e| *e != self.email);
        let custom_attributes = patch.custom_attributes.and_then(|extra| {
            let mut merged = self.custom_attributes.clone();
            merged.extend(extra);
            (merged != self.custom_attributes).then_some(merged)
        });
        let mut events = Vec::new();
        if name.is_some() || display_name.is_some() || email.is_some() || custom_attributes.is_some() {
            events.push(UserEvent::UserUpdated { name, display_name, email, custom_attributes });
        }
        if let Some((password_hash, pubsub_token)) = patch.password {
            events.push(UserEvent::UserPasswordChanged { password_hash, pubsub_token });
        }
        Ok(events)
    }

    fn consume_sso(&self, digest: String, now: DateTime<Utc>) -> Result<Vec<UserEvent>, UserError> {
        self.live()?;
        let valid = self.sso_tokens.iter().any(|t| t.digest == digest && t.expires_at > now);
        if !valid {
            return Err(UserError::InvalidSsoToken);
        }
        Ok(vec![UserEvent::SsoTokenConsumed { digest }])
    }
}

impl cqrs_es::Aggregate for User {
    const TYPE: &'static str = "User";
    type Command = UserCommand;
    type Event = UserEvent;
    type Error = UserError;
    type Services = ();

    async fn handle(
        &mut self,
        command: UserCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), UserError> {
        let events = match command {
            UserCommand::Create(new) => self.create(new)?,
            UserCommand::Update(patch) => self.update(patch)?,
            UserCommand::Delete => {
                self.live()?;
                vec![UserEvent::UserDeleted]
            }
            UserCommand::IssueSsoToken { digest, expires_at } => {
                self.live()?;
                vec![UserEvent::SsoTokenIssued { digest, expires_at }]
            }
            UserCommand::ConsumeSsoToken { digest, now } => self.consume_sso(digest, now)?,
        };
        for event in events {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: UserEvent) {
        match event {
            UserEvent::UserCreated(new) => {
                self.id = Some(new.id);
                self.name = new.name;
                self.display_name = new.display_name;
                self.email = new.email;
                self.custom_attributes = new.custom_attributes;
                self.access_token = Some(new.access_token);
            }
            UserEvent::UserUpdated { name, display_name, email, custom_attributes } => {
                if let Some(n) = name {
                    self.name = n;
                }
                if let Some(d) = display_name {
                    self.display_name = d;
                }
                if let Some(e) = email {
                    self.email = e;
                }
                if let Some(c) = custom_attributes {
                    self.custom_attributes = c;
                }
            }
            UserEvent::UserPasswordChanged { .. } => {}
            UserEvent::UserDeleted => self.deleted = true,
            UserEvent::SsoTokenIssued { digest, expires_at } => {
                // Tokens live five minutes; anything that expired before this
                // one was issued can never be used again.
                let horizon = expires_at - chrono::Duration::minutes(10);
                self.sso_tokens.retain(|t| t.expires_at > horizon);
                self.sso_tokens.push(SsoToken { digest, expires_at });
            }
            UserEvent::SsoTokenConsumed { digest } => self.sso_tokens.retain(|t| t.digest != digest),
        }
    }
}

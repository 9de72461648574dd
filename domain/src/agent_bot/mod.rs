//! Agent bots: automated participants that receive conversation events at an
//! `outgoing_url` and act through the Application API with their own token.
//! A bot belongs to one account, or to none (a system bot every account
//! sees). Its token appears in events only as an [`IssuedToken`].

use crate::ids::{AccountId, AgentBotId};
use crate::token::IssuedToken;
use crate::validation::{Violations, STRING_MAX};
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Upstream `Limits::URL_LENGTH_LIMIT`.
pub const URL_MAX: usize = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum BotType {
    #[default]
    Webhook,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BotProfile {
    pub name: Option<String>,
    pub description: Option<String>,
    pub outgoing_url: Option<String>,
    /// Free-form settings for the bot's own use (upstream `bot_config`).
    #[serde(default)]
    pub bot_config: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentBot {
    pub id: Option<AgentBotId>,
    pub deleted: bool,
    /// `None` for a system bot visible to every account.
    pub account_id: Option<AccountId>,
    pub profile: BotProfile,
}

/// A partial update; `Some(None)` clears a field.
#[derive(Debug, Clone, Default)]
pub struct BotPatch {
    pub name: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub outgoing_url: Option<Option<String>>,
    /// Replaces the whole configuration.
    pub bot_config: Option<Map<String, Value>>,
}

#[derive(Debug, Clone)]
pub enum AgentBotCommand {
    Create {
        id: AgentBotId,
        account_id: Option<AccountId>,
        profile: BotProfile,
        token: IssuedToken,
    },
    Update(BotPatch),
    RemoveAvatar,
    /// Replaces the bot's access token; the old one stops working.
    ResetAccessToken {
        token: IssuedToken,
    },
    Delete,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum AgentBotEvent {
    AgentBotCreated {
        id: AgentBotId,
        account_id: Option<AccountId>,
        #[serde(flatten)]
        profile: BotProfile,
        bot_type: BotType,
        access_token: IssuedToken,
    },
    AgentBotUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
        name: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
        description: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
        outgoing_url: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bot_config: Option<Map<String, Value>>,
    },
    AgentBotAvatarRemoved,
    AgentBotAccessTokenReset {
        access_token: IssuedToken,
    },
    AgentBotDeleted,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgentBotError {
    #[error("agent bot not found")]
    NotFound,
    #[error("agent bot already exists")]
    AlreadyExists,
    #[error("{0}")]
    Invalid(Violations),
}

impl cqrs_es::DomainEvent for AgentBotEvent {
    fn event_type(&self) -> String {
        match self {
            AgentBotEvent::AgentBotCreated { .. } => "AgentBotCreated",
            AgentBotEvent::AgentBotUpdated { .. } => "AgentBotUpdated",
            AgentBotEvent::AgentBotAvatarRemoved => "AgentBotAvatarRemoved",
            AgentBotEvent::AgentBotAccessTokenReset { .. } => "AgentBotAccessTokenReset",
            AgentBotEvent::AgentBotDeleted => "AgentBotDeleted",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

fn validate(v: &mut Violations, name: Option<&str>, description: Option<&str>, url: Option<&str>) {
    v.max_len("name", "Name", name, STRING_MAX);
    v.max_len("description", "Description", description, STRING_MAX);
    v.max_len("outgoing_url", "Outgoing url", url, URL_MAX);
    if let Some(url) = url.filter(|u| !u.is_empty()) {
        let scheme_ok = url.starts_with("http://") || url.starts_with("https://");
        if !scheme_ok || url.chars().any(char::is_whitespace) {
            v.add("outgoing_url", "Outgoing url is invalid");
        }
    }
}

impl AgentBot {
    fn live(&self) -> Result<(), AgentBotError> {
        if self.id.is_none() || self.deleted {
            return Err(AgentBotError::NotFound);
        }
        Ok(())
    }

    fn update(&self, patch: BotPatch) -> Result<Vec<AgentBotEvent>, AgentBotError> {
        self.live()?;
        let flat = |o: &Option<Option<String>>| o.as_ref().and_then(|x| x.as_deref()).map(str::to_owned);
        let mut v = Violations::new();
        validate(
            &mut v,
            flat(&patch.name).as_deref(),
            flat(&patch.description).as_deref(),
            flat(&patch.outgoing_url).as_deref(),
        );
        v.into_result().map_err(AgentBotError::Invalid)?;
        let p = &self.profile;
        let name = patch.name.filter(|n| *n != p.name);
        let description = patch.description.filter(|d| *d != p.description);
        let outgoing_url = patch.outgoing_url.filter(|u| *u != p.outgoing_url);
        let bot_config = patch.bot_config.filter(|c| *c != p.bot_config);
        if name.is_none() && description.is_none() && outgoing_url.is_none() && bot_config.is_none() {
            return Ok(vec![]);
        }
        Ok(vec![AgentBotEvent::AgentBotUpdated { name, description, outgoing_url, bot_config }])
    }
}

impl cqrs_es::Aggregate for AgentBot {
    const TYPE: &'static str = "AgentBot";
    type Command = AgentBotCommand;
    type Event = AgentBotEvent;
    type Error = AgentBotError;
    type Services = ();

    async fn handle(
        &mut self,
        command: AgentBotCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), AgentBotError> {
        let events = match command {
            AgentBotCommand::Create { id, account_id, profile, token } => {
                if self.id.is_some() {
                    return Err(AgentBotError::AlreadyExists);
                }
                let mut v = Violations::new();
                validate(
                    &mut v,
                    profile.name.as_deref(),
                    profile.description.as_deref(),
                    profile.outgoing_url.as_deref(),
                );
                v.into_result().map_err(AgentBotError::Invalid)?;
                vec![AgentBotEvent::AgentBotCreated {
                    id,
                    account_id,
                    profile,
                    bot_type: BotType::Webhook,
                    access_token: token,
                }]
            }
            AgentBotCommand::Update(patch) => self.update(patch)?,
            AgentBotCommand::RemoveAvatar => {
                self.live()?;
                vec![AgentBotEvent::AgentBotAvatarRemoved]
            }
            AgentBotCommand::ResetAccessToken { token } => {
                self.live()?;
                vec![AgentBotEvent::AgentBotAccessTokenReset { access_token: token }]
            }
            AgentBotCommand::Delete => {
                self.live()?;
                vec![AgentBotEvent::AgentBotDeleted]
            }
        };
        for event in events {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: AgentBotEvent) {
        match event {
            AgentBotEvent::AgentBotCreated { id, account_id, profile, .. } => {
                self.id = Some(id);
                self.account_id = account_id;
                self.profile = profile;
            }
            AgentBotEvent::AgentBotUpdated { name, description, outgoing_url, bot_config } => {
                if let Some(n) = name {
                    self.profile.name = n;
                }
                if let Some(d) = description {
                    self.profile.description = d;
                }
                if let Some(u) = outgoing_url {
                    self.profile.outgoing_url = u;
                }
                if let Some(c) = bot_config {
                    self.profile.bot_config = c;
                }
            }
            AgentBotEvent::AgentBotAvatarRemoved | AgentBotEvent::AgentBotAccessTokenReset { .. } => {}
            AgentBotEvent::AgentBotDeleted => self.deleted = true,
        }
    }
}

#[cfg(test)]
mod tests;

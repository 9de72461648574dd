//! The connected-account state and its decisions.

use super::event::{Connected, ConnectedAccountEvent};
use super::rules::{self, blank_to_none};
use super::{
    ConnectedAccountCommand, ConnectedAccountError, ConnectedAccountPatch, ConnectionStatus,
    NewConnectedAccount, Provider, SealedCredentials,
};
use crate::ids::{AccountId, ConnectedAccountId, InboxId};
use crate::validation::Violations;
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConnectedAccount {
    pub id: Option<ConnectedAccountId>,
    pub account_id: Option<AccountId>,
    pub deleted: bool,
    pub provider: Option<Provider>,
    pub name: String,
    pub headline: Option<String>,
    pub avatar_url: Option<String>,
    pub external_id: Option<String>,
    pub config: Map<String, Value>,
    pub credentials: Option<SealedCredentials>,
    pub inbox_id: Option<InboxId>,
    pub status: ConnectionStatus,
}

impl ConnectedAccount {
    /// Exists, is not disconnected, and belongs to `account_id`.
    fn live(&self, account_id: AccountId) -> Result<Provider, ConnectedAccountError> {
        match self.provider {
            Some(provider) if !self.deleted && self.account_id == Some(account_id) => Ok(provider),
            _ => Err(ConnectedAccountError::NotFound),
        }
    }

    fn connect(&self, new: NewConnectedAccount) -> Result<Vec<ConnectedAccountEvent>, ConnectedAccountError> {
        if self.id.is_some() {
            return Err(ConnectedAccountError::AlreadyExists);
        }
        let (name, headline) = (blank_to_none(new.name), blank_to_none(new.headline));
        let (avatar_url, external_id) = (blank_to_none(new.avatar_url), blank_to_none(new.external_id));
        let mut v = Violations::new();
        if new.provider.is_none() {
            v.add("integration", rules::NOT_BLANK);
        }
        rules::check_name(&mut v, name.as_deref());
        rules::check_headline(&mut v, headline.as_deref());
        rules::check_avatar_url(&mut v, avatar_url.as_deref());
        if let Some(provider) = new.provider {
            rules::check_external_id(&mut v, provider, external_id.as_deref());
        }
        rules::check_config_size(&mut v, &new.config);
        if new.credentials.is_none() {
            v.add("credentials", rules::NOT_BLANK);
        }
        v.into_result().map_err(ConnectedAccountError::Invalid)?;
        let (Some(provider), Some(name), Some(credentials)) = (new.provider, name, new.credentials) else {
            // unreachable: each missing value was reported above
            return Err(ConnectedAccountError::Invalid(Violations::single("name", rules::NOT_BLANK)));
        };
        Ok(vec![ConnectedAccountEvent::ConnectedAccountConnected(Connected {
            id: new.id,
            account_id: new.account_id,
            provider,
            name,
            headline,
            avatar_url,
            external_id,
            config: new.config,
            credentials,
            inbox_id: new.inbox_id,
            status: ConnectionStatus::Connecting,
        })])
    }

    fn update(
        &self,
        account_id: AccountId,
        patch: ConnectedAccountPatch,
    ) -> Result<Vec<ConnectedAccountEvent>, ConnectedAccountError> {
        let provider = self.live(account_id)?;
        let name = patch.name.map(|n| n.trim().to_owned());
        let headline = patch.headline.map(blank_to_none);
        let avatar_url = patch.avatar_url.map(blank_to_none);
        let external_id = patch.external_id.map(blank_to_none);
        let config = patch.config.map(|p| {
            let mut merged = Value::Object(self.config.clone());
            rules::merge_patch(&mut merged, &p);
            match merged {
                Value::Object(map) => map,
                _ => Map::new(),
            }
        });

        let mut v = Violations::new();
        if patch.provider.is_some_and(|p| p != provider) {
            v.add("integration", rules::IMMUTABLE);
        }
        if name.is_some() {
            rules::check_name(&mut v, name.as_deref());
        }
        rules::check_headline(&mut v, headline.clone().flatten().as_deref());
        rules::check_avatar_url(&mut v, avatar_url.clone().flatten().as_deref());
        rules::check_external_id(&mut v, provider, external_id.clone().flatten().as_deref());
        if let Some(config) = &config {
            rules::check_config_size(&mut v, config);
        }
        v.into_result().map_err(ConnectedAccountError::Invalid)?;

        let mut events = Vec::new();
        let name = name.filter(|n| *n != self.name);
        let headline = headline.filter(|h| *h != self.headline);
        let avatar_url = avatar_url.filter(|a| *a != self.avatar_url);
        let external_id = external_id.filter(|e| *e != self.external_id);
        let config = config.filter(|c| *c != self.config);
        let inbox_id = patch.inbox_id.filter(|i| *i != self.inbox_id);
        let changed = name.is_some()
            || headline.is_some()
            || avatar_url.is_some()
            || external_id.is_some()
            || config.is_some()
            || inbox_id.is_some();
        if changed {
            events.push(ConnectedAccountEvent::ConnectedAccountUpdated {
                name,
                headline,
                avatar_url,
                external_id,
                config,
                inbox_id,
            });
        }
        if let Some(credentials) = patch.credentials {
            events.push(ConnectedAccountEvent::ConnectedAccountCredentialsReplaced { credentials });
        }
        Ok(events)
    }
}

impl cqrs_es::Aggregate for ConnectedAccount {
    const TYPE: &'static str = "ConnectedAccount";
    type Command = ConnectedAccountCommand;
    type Event = ConnectedAccountEvent;
    type Error = ConnectedAccountError;
    type Services = ();

    async fn handle(
        &mut self,
        command: ConnectedAccountCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), ConnectedAccountError> {
        let events = match command {
            ConnectedAccountCommand::Connect(new) => self.connect(new)?,
            ConnectedAccountCommand::Update { account_id, patch } => self.update(account_id, patch)?,
            ConnectedAccountCommand::Disconnect { account_id } => {
                self.live(account_id)?;
                vec![ConnectedAccountEvent::ConnectedAccountDisconnected]
            }
        };
        for event in events {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: ConnectedAccountEvent) {
        match event {
            ConnectedAccountEvent::ConnectedAccountConnected(c) => {
                self.id = Some(c.id);
                self.account_id = Some(c.account_id);
                self.provider = Some(c.provider);
                self.name = c.name;
                self.headline = c.headline;
                self.avatar_url = c.avatar_url;
                self.external_id = c.external_id;
                self.config = c.config;
                self.credentials = Some(c.credentials);
                self.inbox_id = c.inbox_id;
                self.status = c.status;
            }
            ConnectedAccountEvent::ConnectedAccountUpdated {
                name,
                headline,
                avatar_url,
                external_id,
                config,
                inbox_id,
            } => {
                if let Some(n) = name {
                    self.name = n;
                }
                if let Some(h) = headline {
                    self.headline = h;
                }
                if let Some(a) = avatar_url {
                    self.avatar_url = a;
                }
                if let Some(e) = external_id {
                    self.external_id = e;
                }
                if let Some(c) = config {
                    self.config = c;
                }
                if let Some(i) = inbox_id {
                    self.inbox_id = i;
                }
            }
            ConnectedAccountEvent::ConnectedAccountCredentialsReplaced { credentials } => {
                self.credentials = Some(credentials);
            }
            ConnectedAccountEvent::ConnectedAccountDisconnected => {
                self.deleted = true;
                self.status = ConnectionStatus::Disconnected;
            }
        }
    }
}

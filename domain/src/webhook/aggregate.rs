//! The webhook's state and its decisions: validation in the upstream's
//! wording (URL, then subscriptions, then name), partial updates that record
//! only changes, and enabling/disabling deliveries.

use super::catalog::{is_known_event, DEFAULT_SUBSCRIPTIONS};
use super::{
    NewWebhook, SealedSecret, SubscriptionList, WebhookCommand, WebhookError, WebhookEvent, WebhookPatch,
    URL_MAX,
};
use crate::ids::{AccountId, InboxId, WebhookId};
use crate::validation::{Violations, STRING_MAX};
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Webhook {
    pub id: Option<WebhookId>,
    pub account_id: Option<AccountId>,
    pub deleted: bool,
    pub url: String,
    pub name: Option<String>,
    pub subscriptions: Vec<String>,
    pub inbox_id: Option<InboxId>,
    pub secret: Option<SealedSecret>,
    /// Why deliveries are stopped; `None` while enabled.
    pub disabled: Option<String>,
}

/// Rails' format error for the URL, and our subscription error wording.
const URL_INVALID: &str = "Url is invalid";
const SUBSCRIPTIONS_INVALID: &str = "Subscriptions Invalid events";
pub const DISABLED_BY_ADMIN: &str = "disabled by an administrator";

fn check_url(v: &mut Violations, url: Option<&str>, problem: Option<&str>) {
    match (url.map(str::trim), problem) {
        (None, _) | (Some(""), _) => v.add("url", URL_INVALID),
        (Some(url), _) if url.chars().count() > URL_MAX => {
            v.add("url", format!("Url is too long (maximum is {URL_MAX} characters)"))
        }
        (Some(_), Some(problem)) => v.add("url", problem),
        (Some(_), None) => {}
    }
}

/// The subscriptions without repeats, in the order given; every name must
/// be one of the upstream's webhook events and the list must not be empty.
fn check_subscriptions(v: &mut Violations, list: &SubscriptionList) -> Vec<String> {
    let SubscriptionList::Given(names) = list else {
        v.add("subscriptions", SUBSCRIPTIONS_INVALID);
        return vec![];
    };
    if names.is_empty() || !names.iter().all(|n| is_known_event(n)) {
        v.add("subscriptions", SUBSCRIPTIONS_INVALID);
        return vec![];
    }
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for n in names {
        if !out.contains(n) {
            out.push(n.clone());
        }
    }
    out
}

fn clean_name(name: Option<String>) -> Option<String> {
    name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty())
}

impl Webhook {
    fn live_in(&self, account_id: AccountId) -> Result<(), WebhookError> {
        if self.id.is_none() || self.deleted || self.account_id != Some(account_id) {
            return Err(WebhookError::NotFound);
        }
        Ok(())
    }

    pub fn enabled(&self) -> bool {
        self.disabled.is_none()
    }

    fn create(&self, new: NewWebhook) -> Result<Vec<WebhookEvent>, WebhookError> {
        if self.id.is_some() {
            return Err(WebhookError::AlreadyExists);
        }
        let mut v = Violations::new();
        check_url(&mut v, new.url.as_deref(), new.url_problem.as_deref());
        let subscriptions = match &new.subscriptions {
            Some(list) => check_subscriptions(&mut v, list),
            None => DEFAULT_SUBSCRIPTIONS.iter().map(|s| s.to_string()).collect(),
        };
        let name = clean_name(new.name);
        v.max_len("name", "Name", name.as_deref(), STRING_MAX);
        v.into_result().map_err(WebhookError::Invalid)?;
        Ok(vec![WebhookEvent::WebhookCreated {
            id: new.id,
            account_id: new.account_id,
            url: new.url.unwrap_or_default().trim().to_owned(),
            name,
            subscriptions,
            inbox_id: new.inbox_id,
            secret_sealed: new.secret,
        }])
    }

    fn update(&self, account_id: AccountId, patch: WebhookPatch) -> Result<Vec<WebhookEvent>, WebhookError> {
        self.live_in(account_id)?;
        let mut v = Violations::new();
        if patch.url.is_some() {
            check_url(&mut v, patch.url.as_deref(), patch.url_problem.as_deref());
        }
        let subscriptions = patch.subscriptions.as_ref().map(|list| check_subscriptions(&mut v, list));
        let name = patch.name.map(clean_name);
        v.max_len("name", "Name", name.as_ref().and_then(|n| n.as_deref()), STRING_MAX);
        v.into_result().map_err(WebhookError::Invalid)?;

        let url = patch.url.map(|u| u.trim().to_owned()).filter(|u| *u != self.url);
        let name = name.filter(|n| *n != self.name);
        let subscriptions = subscriptions.filter(|s| *s != self.subscriptions);
        let inbox_id = patch.inbox_id.filter(|i| *i != self.inbox_id);
        let mut events = Vec::new();
        if url.is_some() || name.is_some() || subscriptions.is_some() || inbox_id.is_some() {
            events.push(WebhookEvent::WebhookUpdated { account_id, url, name, subscriptions, inbox_id });
        }
        match patch.enabled {
            Some(true) if !self.enabled() => events.push(WebhookEvent::WebhookEnabled { account_id }),
            Some(false) if self.enabled() => {
                events.push(WebhookEvent::WebhookDisabled { account_id, reason: DISABLED_BY_ADMIN.into() })
            }
            _ => {}
        }
        Ok(events)
    }
}

impl cqrs_es::Aggregate for Webhook {
    const TYPE: &'static str = "Webhook";
    type Command = WebhookCommand;
    type Event = WebhookEvent;
    type Error = WebhookError;
    type Services = ();

    async fn handle(
        &mut self,
        command: WebhookCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), WebhookError> {
        let events = match command {
            WebhookCommand::Create(new) => self.create(new)?,
            WebhookCommand::Update { account_id, patch } => self.update(account_id, patch)?,
            WebhookCommand::Disable { account_id, reason } => {
                self.live_in(account_id)?;
                if self.enabled() {
                    vec![WebhookEvent::WebhookDisabled { account_id, reason }]
                } else {
                    vec![]
                }
            }
            WebhookCommand::Delete { account_id } => {
                self.live_in(account_id)?;
                vec![WebhookEvent::WebhookDeleted { account_id }]
            }
        };
        for event in events {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: WebhookEvent) {
        match event {
            WebhookEvent::WebhookCreated {
                id,
                account_id,
                url,
                name,
                subscriptions,
                inbox_id,
                secret_sealed,
            } => {
                self.id = Some(id);
                self.account_id = Some(account_id);
                self.url = url;
                self.name = name;
                self.subscriptions = subscriptions;
                self.inbox_id = inbox_id;
                self.secret = Some(secret_sealed);
            }
            WebhookEvent::WebhookUpdated { url, name, subscriptions, inbox_id, .. } => {
                if let Some(u) = url {
                    self.url = u;
                }
                if let Some(n) = name {
                    self.name = n;
                }
                if let Some(s) = subscriptions {
                    self.subscriptions = s;
                }
                if let Some(i) = inbox_id {
                    self.inbox_id = i;
                }
            }
            WebhookEvent::WebhookDisabled { reason, .. } => self.disabled = Some(reason),
            WebhookEvent::WebhookEnabled { .. } => self.disabled = None,
            WebhookEvent::WebhookDeleted { .. } => self.deleted = true,
        }
    }
}

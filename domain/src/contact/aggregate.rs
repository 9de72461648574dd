//! The contact's state and its decisions: validation in the upstream's
//! order, shallow merges of the attribute hashes, the visitor → lead rule,
//! labels and deletion. Only changes produce events.

use super::command::{ContactCommand, ContactPatch, NewContact};
use super::event::{ContactEvent, ContactFields};
use super::rules::{self, Candidate, LABELS_MAX};
use super::ContactError;
use crate::ids::{AccountId, ContactId};
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: Option<ContactId>,
    pub account_id: Option<AccountId>,
    pub deleted: bool,
    pub fields: ContactFields,
    pub labels: Vec<String>,
    #[serde(default)]
    pub avatar: Option<super::event::Avatar>,
}

impl Contact {
    /// A live contact of `account_id`; anything else is "not found".
    fn live_in(&self, account_id: AccountId) -> Result<(), ContactError> {
        if self.id.is_none() || self.deleted || self.account_id != Some(account_id) {
            return Err(ContactError::NotFound);
        }
        Ok(())
    }

    fn create(&self, new: NewContact) -> Result<Vec<ContactEvent>, ContactError> {
        if self.id.is_some() {
            return Err(ContactError::AlreadyExists);
        }
        let candidate = Candidate {
            name: new.name.as_deref(),
            email: new.email.as_deref(),
            phone_number: new.phone_number.as_deref(),
            identifier: new.identifier.as_deref(),
            additional_attributes: new.additional_attributes.as_ref(),
            custom_attributes: new.custom_attributes.as_ref(),
        };
        rules::validate(&candidate, new.taken).into_result().map_err(ContactError::Invalid)?;
        let additional_attributes = new.additional_attributes.unwrap_or_default();
        let contact_type = rules::resolve_type(
            Default::default(),
            new.email.as_deref(),
            new.phone_number.as_deref(),
            &additional_attributes,
        );
        Ok(vec![ContactEvent::ContactCreated {
            id: new.id,
            account_id: new.account_id,
            fields: ContactFields {
                name: new.name.unwrap_or_default(),
                email: new.email,
                phone_number: new.phone_number,
                identifier: new.identifier,
                blocked: new.blocked.unwrap_or(false),
                additional_attributes,
                custom_attributes: new.custom_attributes.unwrap_or_default(),
                contact_type,
            },
        }])
    }

    fn update(&self, account_id: AccountId, patch: ContactPatch) -> Result<Vec<ContactEvent>, ContactError> {
        self.live_in(account_id)?;
        let current = &self.fields;
        let merge = |current: &serde_json::Map<_, _>, changes: Option<serde_json::Map<_, _>>| {
            changes.map(|changes| {
                let mut merged = current.clone();
                merged.extend(changes);
                merged
            })
        };
        let additional = merge(&current.additional_attributes, patch.additional_attributes);
        let custom = merge(&current.custom_attributes, patch.custom_attributes);
        // only the values this update sets are validated (taken flags are
        // computed for changed values only)
        let candidate = Candidate {
            name: patch.name.as_deref(),
            email: patch.email.as_ref().and_then(|e| e.as_deref()),
            phone_number: patch.phone_number.as_ref().and_then(|p| p.as_deref()),
            identifier: patch.identifier.as_ref().and_then(|i| i.as_deref()),
            additional_attributes: additional.as_ref(),
            custom_attributes: custom.as_ref(),
        };
        rules::validate(&candidate, patch.taken).into_result().map_err(ContactError::Invalid)?;

        let name = patch.name.filter(|n| *n != current.name);
        let email = patch.email.filter(|e| *e != current.email);
        let phone_number = patch.phone_number.filter(|p| *p != current.phone_number);
        let identifier = patch.identifier.filter(|i| *i != current.identifier);
        let blocked = patch.blocked.filter(|b| *b != current.blocked);
        let additional_attributes = additional.filter(|a| *a != current.additional_attributes);
        let custom_attributes = custom.filter(|c| *c != current.custom_attributes);

        let after_email = email.clone().unwrap_or_else(|| current.email.clone());
        let after_phone = phone_number.clone().unwrap_or_else(|| current.phone_number.clone());
        let after_additional = additional_attributes.as_ref().unwrap_or(&current.additional_attributes);
        let contact_type = Some(rules::resolve_type(
            current.contact_type,
            after_email.as_deref(),
            after_phone.as_deref(),
            after_additional,
        ))
        .filter(|t| *t != current.contact_type);

        let nothing_changed = name.is_none()
            && email.is_none()
            && phone_number.is_none()
            && identifier.is_none()
            && blocked.is_none()
            && additional_attributes.is_none()
            && custom_attributes.is_none()
            && contact_type.is_none();
        if nothing_changed {
            return Ok(vec![]);
        }
        Ok(vec![ContactEvent::ContactUpdated {
            account_id,
            name,
            email,
            phone_number,
            identifier,
            blocked,
            additional_attributes,
            custom_attributes,
            contact_type,
        }])
    }

    fn remove_custom_attributes(
        &self,
        account_id: AccountId,
        keys: Vec<String>,
    ) -> Result<Vec<ContactEvent>, ContactError> {
        self.live_in(account_id)?;
        let mut present: Vec<String> = Vec::new();
        for key in keys {
            if self.fields.custom_attributes.contains_key(&key) && !present.contains(&key) {
                present.push(key);
            }
        }
        if present.is_empty() {
            return Ok(vec![]);
        }
        Ok(vec![ContactEvent::ContactCustomAttributesRemoved { account_id, keys: present }])
    }

    fn set_labels(
        &self,
        account_id: AccountId,
        labels: Vec<String>,
    ) -> Result<Vec<ContactEvent>, ContactError> {
        self.live_in(account_id)?;
        let labels = rules::normalize_labels(labels);
        if labels.len() > LABELS_MAX {
            return Err(ContactError::Rejected(format!("A contact can have at most {LABELS_MAX} labels")));
        }
        if labels == self.labels {
            return Ok(vec![]);
        }
        Ok(vec![ContactEvent::ContactLabelsChanged { account_id, labels }])
    }
}

impl cqrs_es::Aggregate for Contact {
    const TYPE: &'static str = "Contact";
    type Command = ContactCommand;
    type Event = ContactEvent;
    type Error = ContactError;
    type Services = ();

    async fn handle(
        &mut self,
        command: ContactCommand,
        _services: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), ContactError> {
        let events = match command {
            ContactCommand::Create(new) => self.create(new)?,
            ContactCommand::Update { account_id, patch } => self.update(account_id, patch)?,
            ContactCommand::RemoveCustomAttributes { account_id, keys } => {
                self.remove_custom_attributes(account_id, keys)?
            }
            ContactCommand::SetLabels { account_id, labels } => self.set_labels(account_id, labels)?,
            ContactCommand::SetAvatar { account_id, avatar } => {
                self.live_in(account_id)?;
                if avatar == self.avatar {
                    vec![]
                } else {
                    vec![ContactEvent::ContactAvatarChanged { account_id, avatar }]
                }
            }
            ContactCommand::Delete { account_id } => {
                self.live_in(account_id)?;
                vec![ContactEvent::ContactDeleted { account_id }]
            }
        };
        for event in events {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: ContactEvent) {
        match event {
            ContactEvent::ContactCreated { id, account_id, fields } => {
                self.id = Some(id);
                self.account_id = Some(account_id);
                self.fields = fields;
            }
            ContactEvent::ContactUpdated {
                name,
                email,
                phone_number,
                identifier,
                blocked,
                additional_attributes,
                custom_attributes,
                contact_type,
                ..
            } => {
                let f = &mut self.fields;
                if let Some(n) = name {
                    f.name = n;
                }
                if let Some(e) = email {
                    f.email = e;
                }
                if let Some(p) = phone_number {
                    f.phone_number = p;
                }
                if let Some(i) = identifier {
                    f.identifier = i;
                }
                if let Some(b) = blocked {
                    f.blocked = b;
                }
                if let Some(a) = additional_attributes {
                    f.additional_attributes = a;
                }
                if let Some(c) = custom_attributes {
                    f.custom_attributes = c;
                }
                if let Some(t) = contact_type {
                    f.contact_type = t;
                }
            }
            ContactEvent::ContactCustomAttributesRemoved { keys, .. } => {
                for key in keys {
                    self.fields.custom_attributes.remove(&key);
                }
            }
            ContactEvent::ContactLabelsChanged { labels, .. } => self.labels = labels,
            ContactEvent::ContactAvatarChanged { avatar, .. } => self.avatar = avatar,
            ContactEvent::ContactDeleted { .. } => self.deleted = true,
        }
    }
}

//! The custom attribute definition aggregate: validation in the upstream's
//! order and wording (display name, key presence, key format, reserved
//! keys), defaults for model and display type, and updates that record
//! only what changed.

use super::{
    key_format_is_valid, normalize_key, AttributeModel, CustomAttributeCommand, CustomAttributeError,
    CustomAttributeEvent, DefinitionChanges, DefinitionFields, DefinitionPatch, NewDefinition,
};
use crate::ids::{AccountId, CustomAttributeDefinitionId};
use crate::validation::{Violations, STRING_MAX, TEXT_MAX};
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomAttributeDefinition {
    pub id: Option<CustomAttributeDefinitionId>,
    pub account_id: Option<AccountId>,
    pub deleted: bool,
    pub fields: DefinitionFields,
}

const KEY_FORMAT: &str = "Attribute key must only contain letters, numbers, underscores, hyphens, and dots";
const KEY_CONFLICT: &str =
    "Attribute key The provided key is not allowed as it might conflict with default attributes.";

/// Validates a whole definition (after defaults and normalization).
/// `check_reserved` is false when neither key nor model changes.
fn validate(f: &DefinitionFields, check_reserved: bool) -> Result<(), CustomAttributeError> {
    let mut v = Violations::new();
    let name = Some(f.attribute_display_name.as_str());
    v.require_present("attribute_display_name", "Attribute display name", name);
    v.max_len("attribute_display_name", "Attribute display name", name, STRING_MAX);
    v.no_nul("attribute_display_name", "Attribute display name", name);
    let key = f.attribute_key.as_str();
    v.require_present("attribute_key", "Attribute key", Some(key));
    if !key_format_is_valid(key) {
        v.add("attribute_key", KEY_FORMAT);
    }
    v.max_len("attribute_key", "Attribute key", Some(key), STRING_MAX);
    if check_reserved && f.attribute_model.reserved_keys().contains(&key) {
        v.add("attribute_key", KEY_CONFLICT);
    }
    let description = f.attribute_description.as_deref();
    v.max_len("attribute_description", "Attribute description", description, TEXT_MAX);
    v.no_nul("attribute_description", "Attribute description", description);
    // one message per rule, however many values break it
    let too_long = f.attribute_values.iter().find(|value| value.chars().count() > STRING_MAX);
    v.max_len("attribute_values", "Attribute values", too_long.map(String::as_str), STRING_MAX);
    let with_nul = f.attribute_values.iter().find(|value| value.contains('\0'));
    v.no_nul("attribute_values", "Attribute values", with_nul.map(String::as_str));
    for (attribute, label, value) in [
        ("regex_pattern", "Regex pattern", f.regex_pattern.as_deref()),
        ("regex_cue", "Regex cue", f.regex_cue.as_deref()),
    ] {
        v.max_len(attribute, label, value, STRING_MAX);
        v.no_nul(attribute, label, value);
    }
    v.into_result().map_err(CustomAttributeError::Invalid)
}

/// `Some(new)` when it differs from `old`.
fn changed<T: PartialEq>(new: Option<T>, old: &T) -> Option<T> {
    new.filter(|n| n != old)
}

impl CustomAttributeDefinition {
    /// Live and in `account_id`.
    fn owned(&self, account_id: AccountId) -> Result<(), CustomAttributeError> {
        if self.id.is_none() || self.deleted || self.account_id != Some(account_id) {
            return Err(CustomAttributeError::NotFound);
        }
        Ok(())
    }

    fn create(&self, new: NewDefinition) -> Result<Vec<CustomAttributeEvent>, CustomAttributeError> {
        if self.id.is_some() {
            return Err(CustomAttributeError::AlreadyExists);
        }
        let fields = DefinitionFields {
            attribute_display_name: new.attribute_display_name.unwrap_or_default().trim().to_owned(),
            attribute_key: normalize_key(&new.attribute_key.unwrap_or_default()),
            attribute_display_type: new.attribute_display_type.unwrap_or_default(),
            attribute_model: new.attribute_model.unwrap_or_default(),
            attribute_description: new.attribute_description,
            attribute_values: new.attribute_values.unwrap_or_default(),
            regex_pattern: new.regex_pattern,
            regex_cue: new.regex_cue,
            default_value: new.default_value,
        };
        validate(&fields, true)?;
        Ok(vec![CustomAttributeEvent::CustomAttributeDefinitionCreated {
            id: new.id,
            account_id: new.account_id,
            fields,
        }])
    }

    fn update(
        &self,
        account_id: AccountId,
        patch: DefinitionPatch,
    ) -> Result<Vec<CustomAttributeEvent>, CustomAttributeError> {
        self.owned(account_id)?;
        let old = &self.fields;
        let changes = DefinitionChanges {
            attribute_display_name: changed(
                patch.attribute_display_name.map(|n| n.trim().to_owned()),
                &old.attribute_display_name,
            ),
            attribute_key: changed(patch.attribute_key.map(|k| normalize_key(&k)), &old.attribute_key),
            attribute_display_type: changed(patch.attribute_display_type, &old.attribute_display_type),
            attribute_model: changed(patch.attribute_model, &old.attribute_model),
            attribute_description: changed(patch.attribute_description, &old.attribute_description),
            attribute_values: changed(patch.attribute_values, &old.attribute_values),
            regex_pattern: changed(patch.regex_pattern, &old.regex_pattern),
            regex_cue: changed(patch.regex_cue, &old.regex_cue),
            default_value: changed(patch.default_value, &old.default_value),
        };
        if changes.is_empty() {
            return Ok(vec![]);
        }
        let mut after = self.clone();
        after.apply_changes(changes.clone());
        let moved = changes.attribute_key.is_some() || changes.attribute_model.is_some();
        validate(&after.fields, moved)?;
        Ok(vec![CustomAttributeEvent::CustomAttributeDefinitionUpdated(changes)])
    }

    fn apply_changes(&mut self, c: DefinitionChanges) {
        let f = &mut self.fields;
        if let Some(v) = c.attribute_display_name {
            f.attribute_display_name = v;
        }
        if let Some(v) = c.attribute_key {
            f.attribute_key = v;
        }
        if let Some(v) = c.attribute_display_type {
            f.attribute_display_type = v;
        }
        if let Some(v) = c.attribute_model {
            f.attribute_model = v;
        }
        if let Some(v) = c.attribute_description {
            f.attribute_description = v;
        }
        if let Some(v) = c.attribute_values {
            f.attribute_values = v;
        }
        if let Some(v) = c.regex_pattern {
            f.regex_pattern = v;
        }
        if let Some(v) = c.regex_cue {
            f.regex_cue = v;
        }
        if let Some(v) = c.default_value {
            f.default_value = v;
        }
    }

    /// The (model, key) pair the definition holds a claim on.
    pub fn claim(&self) -> (AttributeModel, &str) {
        (self.fields.attribute_model, &self.fields.attribute_key)
    }
}

impl cqrs_es::Aggregate for CustomAttributeDefinition {
    const TYPE: &'static str = "CustomAttributeDefinition";
    type Command = CustomAttributeCommand;
    type Event = CustomAttributeEvent;
    type Error = CustomAttributeError;
    type Services = ();

    async fn handle(
        &mut self,
        command: CustomAttributeCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), CustomAttributeError> {
        let events = match command {
            CustomAttributeCommand::Create(new) => self.create(new)?,
            CustomAttributeCommand::Update { account_id, patch } => self.update(account_id, patch)?,
            CustomAttributeCommand::Delete { account_id } => {
                self.owned(account_id)?;
                vec![CustomAttributeEvent::CustomAttributeDefinitionDeleted]
            }
        };
        for event in events {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: CustomAttributeEvent) {
        match event {
            CustomAttributeEvent::CustomAttributeDefinitionCreated { id, account_id, fields } => {
                self.id = Some(id);
                self.account_id = Some(account_id);
                self.fields = fields;
            }
            CustomAttributeEvent::CustomAttributeDefinitionUpdated(changes) => self.apply_changes(changes),
            CustomAttributeEvent::CustomAttributeDefinitionDeleted => self.deleted = true,
        }
    }
}

//! The label aggregate: the title lower-cased, then validated in the
//! upstream's order and wording; no-op updates record nothing.

use super::{
    is_valid_title, normalize_title, LabelCommand, LabelError, LabelEvent, LabelPatch, NewLabel,
    DEFAULT_COLOR,
};
use crate::ids::{AccountId, LabelId};
use crate::validation::{Violations, STRING_MAX, TEXT_MAX};
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Label {
    pub id: Option<LabelId>,
    pub account_id: Option<AccountId>,
    pub deleted: bool,
    /// Lower-cased (see [`normalize_title`]).
    pub title: String,
    pub description: Option<String>,
    pub color: String,
    pub show_on_sidebar: Option<bool>,
}

/// The upstream's presence message (`errors.validations.presence`).
const TITLE_BLANK: &str = "Title must not be blank";

/// Presence, format, length and NUL rules for the given (normalized)
/// fields (`None` = not being set). A blank title also fails the format,
/// as upstream ("Title must not be blank, Title is invalid").
fn validate(title: Option<&str>, description: Option<&str>, color: Option<&str>) -> Result<(), LabelError> {
    let mut v = Violations::new();
    if let Some(title) = title {
        if title.trim().is_empty() {
            v.add("title", TITLE_BLANK);
        }
        if !is_valid_title(title) {
            v.add("title", "Title is invalid");
        } else {
            v.max_len("title", "Title", Some(title), STRING_MAX);
        }
    }
    if let Some(description) = description {
        v.max_len("description", "Description", Some(description), TEXT_MAX);
        v.no_nul("description", "Description", Some(description));
    }
    if let Some(color) = color {
        v.max_len("color", "Color", Some(color), STRING_MAX);
        v.no_nul("color", "Color", Some(color));
    }
    v.into_result().map_err(LabelError::Invalid)
}

impl Label {
    /// Live and in `account_id`.
    fn owned(&self, account_id: AccountId) -> Result<(), LabelError> {
        if self.id.is_none() || self.deleted || self.account_id != Some(account_id) {
            return Err(LabelError::NotFound);
        }
        Ok(())
    }

    fn create(&self, new: NewLabel) -> Result<Vec<LabelEvent>, LabelError> {
        if self.id.is_some() {
            return Err(LabelError::AlreadyExists);
        }
        let title = normalize_title(new.title.as_deref().unwrap_or_default());
        let color = new.color.unwrap_or_else(|| DEFAULT_COLOR.to_owned());
        validate(Some(&title), new.description.as_deref(), Some(&color))?;
        Ok(vec![LabelEvent::LabelCreated {
            id: new.id,
            account_id: new.account_id,
            title,
            description: new.description,
            color,
            show_on_sidebar: new.show_on_sidebar,
        }])
    }

    fn update(&self, account_id: AccountId, patch: LabelPatch) -> Result<Vec<LabelEvent>, LabelError> {
        self.owned(account_id)?;
        let title = patch.title.map(|t| normalize_title(&t));
        validate(
            title.as_deref(),
            patch.description.as_ref().and_then(Option::as_deref),
            patch.color.as_deref(),
        )?;
        let title = title.filter(|t| *t != self.title);
        let description = patch.description.filter(|d| *d != self.description);
        let color = patch.color.filter(|c| *c != self.color);
        let show_on_sidebar = patch.show_on_sidebar.filter(|s| *s != self.show_on_sidebar);
        if title.is_none() && description.is_none() && color.is_none() && show_on_sidebar.is_none() {
            return Ok(vec![]);
        }
        Ok(vec![LabelEvent::LabelUpdated { title, description, color, show_on_sidebar }])
    }
}

impl cqrs_es::Aggregate for Label {
    const TYPE: &'static str = "Label";
    type Command = LabelCommand;
    type Event = LabelEvent;
    type Error = LabelError;
    type Services = ();

    async fn handle(
        &mut self,
        command: LabelCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), LabelError> {
        let events = match command {
            LabelCommand::Create(new) => self.create(new)?,
            LabelCommand::Update { account_id, patch } => self.update(account_id, patch)?,
            LabelCommand::Delete { account_id } => {
                self.owned(account_id)?;
                vec![LabelEvent::LabelDeleted]
            }
        };
        for event in events {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: LabelEvent) {
        match event {
            LabelEvent::LabelCreated { id, account_id, title, description, color, show_on_sidebar } => {
                self.id = Some(id);
                self.account_id = Some(account_id);
                self.title = title;
                self.description = description;
                self.color = color;
                self.show_on_sidebar = show_on_sidebar;
            }
            LabelEvent::LabelUpdated { title, description, color, show_on_sidebar } => {
                if let Some(title) = title {
                    self.title = title;
                }
                if let Some(description) = description {
                    self.description = description;
                }
                if let Some(color) = color {
                    self.color = color;
                }
                if let Some(show) = show_on_sidebar {
                    self.show_on_sidebar = show;
                }
            }
            LabelEvent::LabelDeleted => self.deleted = true,
        }
    }
}

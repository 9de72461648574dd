//! The canned response aggregate: validation in the upstream's order and
//! wording (content, then short code), and no-op updates that record
//! nothing.

use super::{
    normalize_short_code, CannedResponseCommand, CannedResponseError, CannedResponseEvent,
    CannedResponsePatch, NewCannedResponse,
};
use crate::ids::{AccountId, CannedResponseId};
use crate::validation::{Violations, STRING_MAX, TEXT_MAX};
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CannedResponse {
    pub id: Option<CannedResponseId>,
    pub account_id: Option<AccountId>,
    pub deleted: bool,
    /// Normalized (see [`normalize_short_code`]).
    pub short_code: String,
    pub content: String,
}

/// Rails' presence, length and NUL rules for the given fields (`None` =
/// not being set).
fn validate(short_code: Option<&str>, content: Option<&str>) -> Result<(), CannedResponseError> {
    let mut v = Violations::new();
    if let Some(content) = content {
        v.require_present("content", "Content", Some(content));
        v.max_len("content", "Content", Some(content), TEXT_MAX);
        v.no_nul("content", "Content", Some(content));
    }
    if let Some(code) = short_code.map(str::trim) {
        v.require_present("short_code", "Short code", Some(code));
        v.max_len("short_code", "Short code", Some(code), STRING_MAX);
        v.no_nul("short_code", "Short code", Some(code));
    }
    v.into_result().map_err(CannedResponseError::Invalid)
}

impl CannedResponse {
    /// Live and in `account_id`.
    fn owned(&self, account_id: AccountId) -> Result<(), CannedResponseError> {
        if self.id.is_none() || self.deleted || self.account_id != Some(account_id) {
            return Err(CannedResponseError::NotFound);
        }
        Ok(())
    }

    fn create(&self, new: NewCannedResponse) -> Result<Vec<CannedResponseEvent>, CannedResponseError> {
        if self.id.is_some() {
            return Err(CannedResponseError::AlreadyExists);
        }
        let short_code = new.short_code.unwrap_or_default();
        let content = new.content.unwrap_or_default();
        validate(Some(&short_code), Some(&content))?;
        Ok(vec![CannedResponseEvent::CannedResponseCreated {
            id: new.id,
            account_id: new.account_id,
            short_code: normalize_short_code(&short_code),
            content,
        }])
    }

    fn update(
        &self,
        account_id: AccountId,
        patch: CannedResponsePatch,
    ) -> Result<Vec<CannedResponseEvent>, CannedResponseError> {
        self.owned(account_id)?;
        validate(patch.short_code.as_deref(), patch.content.as_deref())?;
        let short_code = patch.short_code.map(|c| normalize_short_code(&c)).filter(|c| *c != self.short_code);
        let content = patch.content.filter(|c| *c != self.content);
        if short_code.is_none() && content.is_none() {
            return Ok(vec![]);
        }
        Ok(vec![CannedResponseEvent::CannedResponseUpdated { short_code, content }])
    }
}

impl cqrs_es::Aggregate for CannedResponse {
    const TYPE: &'static str = "CannedResponse";
    type Command = CannedResponseCommand;
    type Event = CannedResponseEvent;
    type Error = CannedResponseError;
    type Services = ();

    async fn handle(
        &mut self,
        command: CannedResponseCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), CannedResponseError> {
        let events = match command {
            CannedResponseCommand::Create(new) => self.create(new)?,
            CannedResponseCommand::Update { account_id, patch } => self.update(account_id, patch)?,
            CannedResponseCommand::Delete { account_id } => {
                self.owned(account_id)?;
                vec![CannedResponseEvent::CannedResponseDeleted]
            }
        };
        for event in events {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: CannedResponseEvent) {
        match event {
            CannedResponseEvent::CannedResponseCreated { id, account_id, short_code, content } => {
                self.id = Some(id);
                self.account_id = Some(account_id);
                self.short_code = short_code;
                self.content = content;
            }
            CannedResponseEvent::CannedResponseUpdated { short_code, content } => {
                if let Some(code) = short_code {
                    self.short_code = code;
                }
                if let Some(content) = content {
                    self.content = content;
                }
            }
            CannedResponseEvent::CannedResponseDeleted => self.deleted = true,
        }
    }
}

//! Who is calling the Client API: the inbox named by its public
//! `inbox_identifier` (API channel only), and the contact whose source id
//! is `{contact_identifier}` in it. A contact reaches only the
//! conversations of its own contact inbox; anything else is a 404.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use onelink_domain::Actor;
use onelink_projections::contact_inboxes::{self, ContactInboxRow};
use onelink_projections::contacts::{query as contact_rows, ContactRow};
use onelink_projections::conversations::query::find_by_display_id;
use onelink_projections::conversations::ConversationRow;
use onelink_projections::inboxes::{self, InboxRow};

/// The API-channel inbox with this identifier.
pub async fn inbox(state: &AppState, identifier: &str) -> ApiResult<InboxRow> {
    inboxes::find_by_identifier(&state.pool, identifier).await?.ok_or(ApiError::NotFound)
}

/// A contact acting through its source id in an inbox.
pub struct Session {
    pub inbox: InboxRow,
    pub contact_inbox: ContactInboxRow,
    pub contact: ContactRow,
}

impl Session {
    pub async fn load(state: &AppState, inbox_identifier: &str, source_id: &str) -> ApiResult<Session> {
        let inbox = inbox(state, inbox_identifier).await?;
        Self::in_inbox(state, inbox, source_id).await
    }

    pub async fn in_inbox(state: &AppState, inbox: InboxRow, source_id: &str) -> ApiResult<Session> {
        let contact_inbox = contact_inboxes::find(&state.pool, inbox.account_id, inbox.id, source_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        let contact = contact_rows::find(&state.pool, inbox.account_id, contact_inbox.contact_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        Ok(Session { inbox, contact_inbox, contact })
    }

    pub fn account_id(&self) -> i64 {
        self.inbox.account_id
    }

    pub fn actor(&self) -> Actor {
        Actor::Contact(self.contact.id)
    }

    /// Whether the session may reach a conversation: those of its contact
    /// inbox; with a verified identity (HMAC), every conversation of the
    /// contact in the account (upstream `hmac_verified` scope).
    pub fn owns(&self, c: &ConversationRow) -> bool {
        let own_contact = c.account_id == self.inbox.account_id && c.contact_id == self.contact.id;
        own_contact
            && (self.contact_inbox.hmac_verified
                || (c.inbox_id == self.inbox.id
                    && c.source_id.as_deref() == Some(self.contact_inbox.source_id.as_str())))
    }

    /// One of the contact's conversations by display id.
    pub async fn conversation(&self, state: &AppState, display_id: i64) -> ApiResult<ConversationRow> {
        find_by_display_id(&state.pool, self.account_id(), display_id)
            .await?
            .filter(|c| self.owns(c))
            .ok_or(ApiError::NotFound)
    }
}

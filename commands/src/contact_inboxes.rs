//! Contact inboxes: a contact's source id in an inbox.

use crate::execute::{with_retries, UnitOfWork};
use crate::ids::{next_id, IdSequence};
use crate::{CommandContext, CommandError, Commands, Outcome};
use onelink_domain::contact_inbox::{contact_inbox_stream_id, ContactInbox, ContactInboxCommand};
use onelink_domain::ids::{AccountId, ContactId, InboxId};

/// The contact inbox a request resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactInboxRef {
    pub id: i64,
    pub source_id: String,
}

/// Finds or creates the contact's presence in the inbox under `source_id`
/// (a new random UUID when none is given, as the upstream does for API and
/// website inboxes). Another contact holding the source id → 422.
pub async fn find_or_create(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    contact_id: ContactId,
    inbox_id: InboxId,
    source_id: Option<String>,
    hmac_verified: bool,
) -> Result<Outcome<ContactInboxRef>, CommandError> {
    let source_id =
        source_id.filter(|s| !s.trim().is_empty()).unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let stream = contact_inbox_stream_id(inbox_id, &source_id);
    let fresh = next_id(c.store.pool(), IdSequence::ContactInbox).await.map_err(anyhow::Error::from)?;
    let (_, pubsub_token) = c.secrets.issue_token();
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        let command = ContactInboxCommand::Create {
            id: fresh,
            account_id,
            inbox_id,
            contact_id,
            source_id: source_id.clone(),
            pubsub_token: pubsub_token.clone(),
            hmac_verified,
        };
        let state = uow.decide::<ContactInbox>(&stream, Some(account_id.0), command).await?;
        let position = match uow.commit(ctx).await? {
            Some(position) => Some(position),
            // already there: read-your-writes waits for whoever created it
            None => c.store.stream_head(<ContactInbox as cqrs_es::Aggregate>::TYPE, &stream).await?,
        };
        let id = state.id.unwrap_or(fresh);
        Ok(Outcome { value: ContactInboxRef { id, source_id: source_id.clone() }, position })
    })
    .await
}

/// Marks a session as identity-verified (a valid HMAC on show/update).
pub async fn verify(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    inbox_id: InboxId,
    source_id: &str,
) -> Result<Outcome<()>, CommandError> {
    let stream = contact_inbox_stream_id(inbox_id, source_id);
    let done = crate::execute::execute::<ContactInbox, _>(&c.store, &stream, Some(account_id.0), ctx, || {
        ContactInboxCommand::Verify { account_id }
    })
    .await?;
    Ok(Outcome { value: (), position: done.position })
}

/// Frees the source ids of a deleted contact, in the caller's unit of work.
pub async fn remove_all(
    uow: &mut UnitOfWork<'_>,
    account_id: AccountId,
    held: &[(InboxId, String)],
) -> Result<(), CommandError> {
    for (inbox_id, source_id) in held {
        let stream = contact_inbox_stream_id(*inbox_id, source_id);
        uow.decide::<ContactInbox>(&stream, Some(account_id.0), ContactInboxCommand::Remove { account_id })
            .await?;
    }
    Ok(())
}

//! Contacts: create, update, delete, labels and custom-attribute removal.
//!
//! E-mail, phone number and identifier are unique per account. Before a
//! command the service looks up who owns each value (so the aggregate can
//! report every violation in the upstream's order); then the contact's
//! events and the claim streams of the values it takes or frees are appended
//! in one unit of work. A concurrent writer that claimed the same value
//! first makes the append conflict; the retry then sees the value as taken.

use crate::execute::{execute, with_retries, UnitOfWork};
use crate::ids::{next_id, IdSequence};
use crate::{CommandContext, CommandError, Commands, Outcome};
use onelink_domain::contact::claim::claim_stream_id;
use onelink_domain::contact::rules::{normalize_email, normalize_identifier, normalize_phone};
use onelink_domain::contact::{
    ClaimKind, Contact, ContactClaim, ContactClaimCommand, ContactCommand, ContactPatch, NewContact, Taken,
};
use onelink_domain::ids::{AccountId, ContactId, InboxId};
use serde_json::{Map, Value};

/// Contact fields as a client sent them. For the identity fields,
/// `Some(None)` (or a blank string) clears the value.
#[derive(Debug, Clone, Default)]
pub struct ContactInput {
    pub name: Option<String>,
    pub email: Option<Option<String>>,
    pub phone_number: Option<Option<String>>,
    pub identifier: Option<Option<String>>,
    pub blocked: Option<bool>,
    pub additional_attributes: Option<Map<String, Value>>,
    pub custom_attributes: Option<Map<String, Value>>,
}

/// The identity values after normalisation (`None` = not given).
#[derive(Debug, Clone, Default)]
struct Identity {
    email: Option<Option<String>>,
    phone_number: Option<Option<String>>,
    identifier: Option<Option<String>>,
}

impl Identity {
    fn of(input: &ContactInput) -> Self {
        let norm = |v: &Option<Option<String>>, f: fn(&str) -> Option<String>| {
            v.as_ref().map(|v| v.as_deref().and_then(f))
        };
        Self {
            email: norm(&input.email, normalize_email),
            phone_number: norm(&input.phone_number, normalize_phone),
            identifier: norm(&input.identifier, normalize_identifier),
        }
    }

    fn get(&self, kind: ClaimKind) -> Option<&Option<String>> {
        match kind {
            ClaimKind::Email => self.email.as_ref(),
            ClaimKind::PhoneNumber => self.phone_number.as_ref(),
            ClaimKind::Identifier => self.identifier.as_ref(),
        }
    }
}

/// The current value of `kind` on a contact.
fn value_of(contact: &Contact, kind: ClaimKind) -> Option<&str> {
    match kind {
        ClaimKind::Email => contact.fields.email.as_deref(),
        ClaimKind::PhoneNumber => contact.fields.phone_number.as_deref(),
        ClaimKind::Identifier => contact.fields.identifier.as_deref(),
    }
}

/// Which of the values `identity` sets are owned by a contact other than `me`.
async fn taken(
    c: &Commands,
    account_id: AccountId,
    identity: &Identity,
    me: ContactId,
) -> Result<Taken, CommandError> {
    let mut taken = Taken::default();
    for kind in ClaimKind::ALL {
        let Some(Some(value)) = identity.get(kind) else { continue };
        let stream = claim_stream_id(account_id, kind, value);
        let owner = c.store.load::<ContactClaim>(&stream).await?.aggregate.owner;
        let is_taken = owner.is_some_and(|owner| owner != me);
        match kind {
            ClaimKind::Email => taken.email = is_taken,
            ClaimKind::PhoneNumber => taken.phone_number = is_taken,
            ClaimKind::Identifier => taken.identifier = is_taken,
        }
    }
    Ok(taken)
}

async fn claim(
    uow: &mut UnitOfWork<'_>,
    account_id: AccountId,
    kind: ClaimKind,
    value: &str,
    contact_id: ContactId,
) -> Result<(), CommandError> {
    let stream = claim_stream_id(account_id, kind, value);
    let command = ContactClaimCommand::Claim { account_id, kind, contact_id };
    uow.decide::<ContactClaim>(&stream, Some(account_id.0), command).await?;
    Ok(())
}

async fn release(
    uow: &mut UnitOfWork<'_>,
    account_id: AccountId,
    kind: ClaimKind,
    value: &str,
    contact_id: ContactId,
) -> Result<(), CommandError> {
    let stream = claim_stream_id(account_id, kind, value);
    let command = ContactClaimCommand::Release { account_id, contact_id };
    uow.decide::<ContactClaim>(&stream, Some(account_id.0), command).await?;
    Ok(())
}

/// Creates a contact in `account_id`.
pub async fn create(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    input: ContactInput,
) -> Result<Outcome<ContactId>, CommandError> {
    let identity = Identity::of(&input);
    let id = ContactId(next_id(c.store.pool(), IdSequence::Contact).await.map_err(anyhow::Error::from)?);
    with_retries(|| async {
        let new = NewContact {
            id,
            account_id,
            name: input.name.clone(),
            email: identity.email.clone().flatten(),
            phone_number: identity.phone_number.clone().flatten(),
            identifier: identity.identifier.clone().flatten(),
            blocked: input.blocked,
            additional_attributes: input.additional_attributes.clone(),
            custom_attributes: input.custom_attributes.clone(),
            taken: taken(c, account_id, &identity, id).await?,
        };
        let mut uow = UnitOfWork::new(&c.store);
        uow.decide::<Contact>(&id.to_string(), Some(account_id.0), ContactCommand::Create(new)).await?;
        for kind in ClaimKind::ALL {
            if let Some(Some(value)) = identity.get(kind) {
                claim(&mut uow, account_id, kind, value, id).await?;
            }
        }
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: id, position })
    })
    .await
}

/// Partial update; moves the claims of identity values that change.
pub async fn update(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: ContactId,
    input: ContactInput,
) -> Result<Outcome<()>, CommandError> {
    let identity = Identity::of(&input);
    with_retries(|| async {
        let before = c.store.load::<Contact>(&id.to_string()).await?.aggregate;
        let patch = ContactPatch {
            name: input.name.clone(),
            email: identity.email.clone(),
            phone_number: identity.phone_number.clone(),
            identifier: identity.identifier.clone(),
            blocked: input.blocked,
            additional_attributes: input.additional_attributes.clone(),
            custom_attributes: input.custom_attributes.clone(),
            taken: taken(c, account_id, &identity, id).await?,
        };
        let mut uow = UnitOfWork::new(&c.store);
        let command = ContactCommand::Update { account_id, patch };
        let after = uow.decide::<Contact>(&id.to_string(), Some(account_id.0), command).await?;
        for kind in ClaimKind::ALL {
            let (old, new) = (value_of(&before, kind), value_of(&after, kind));
            if old == new {
                continue;
            }
            if let Some(new) = new {
                claim(&mut uow, account_id, kind, new, id).await?;
            }
            if let Some(old) = old {
                release(&mut uow, account_id, kind, old, id).await?;
            }
        }
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

/// Deletes the contact and frees its identity values and the source ids
/// it `held` in inboxes (as the read model knows them).
pub async fn delete(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: ContactId,
    held: &[(InboxId, String)],
) -> Result<Outcome<()>, CommandError> {
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        let command = ContactCommand::Delete { account_id };
        let before = uow.decide::<Contact>(&id.to_string(), Some(account_id.0), command).await?;
        crate::contact_inboxes::remove_all(&mut uow, account_id, held).await?;
        for kind in ClaimKind::ALL {
            if let Some(value) = value_of(&before, kind) {
                release(&mut uow, account_id, kind, value, id).await?;
            }
        }
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

/// Replaces the contact's labels.
pub async fn set_labels(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: ContactId,
    labels: Vec<String>,
) -> Result<Outcome<()>, CommandError> {
    let done = execute::<Contact, _>(&c.store, &id.to_string(), Some(account_id.0), ctx, || {
        ContactCommand::SetLabels { account_id, labels: labels.clone() }
    })
    .await?;
    Ok(Outcome { value: (), position: done.position })
}

/// Removes custom attribute keys.
pub async fn remove_custom_attributes(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: ContactId,
    keys: Vec<String>,
) -> Result<Outcome<()>, CommandError> {
    let done = execute::<Contact, _>(&c.store, &id.to_string(), Some(account_id.0), ctx, || {
        ContactCommand::RemoveCustomAttributes { account_id, keys: keys.clone() }
    })
    .await?;
    Ok(Outcome { value: (), position: done.position })
}

/// Sets (or with `None` removes) the contact's avatar, a blob the caller
/// already stored.
pub async fn set_avatar(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: ContactId,
    avatar: Option<onelink_domain::contact::Avatar>,
) -> Result<Outcome<()>, CommandError> {
    let done = execute::<Contact, _>(&c.store, &id.to_string(), Some(account_id.0), ctx, || {
        ContactCommand::SetAvatar { account_id, avatar: avatar.clone() }
    })
    .await?;
    Ok(Outcome { value: (), position: done.position })
}

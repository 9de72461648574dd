//! Help center portals, categories and articles: create, update, delete.
//!
//! One generic service over [`Entry`]: the record's unique values
//! ([`Record::claims`]) are claimed in the same atomic write as its event;
//! an update claims what it newly holds and frees what it gave up, deciding
//! on the state it loaded; a deletion frees everything.

use crate::claims::{claim, release};
use crate::execute::{with_retries, UnitOfWork};
use crate::ids::{next_id, IdSequence};
use crate::{CommandContext, CommandError, Commands, Outcome};
use onelink_domain::help_center::{ArticleFields, CategoryFields, Entry, EntryCommand, PortalFields, Record};
use onelink_domain::ids::AccountId;

/// Which record kind lives in which id sequence.
pub trait Sequenced: Record {
    const SEQUENCE: IdSequence;
}

impl Sequenced for PortalFields {
    const SEQUENCE: IdSequence = IdSequence::Portal;
}

impl Sequenced for CategoryFields {
    const SEQUENCE: IdSequence = IdSequence::Category;
}

impl Sequenced for ArticleFields {
    const SEQUENCE: IdSequence = IdSequence::Article;
}

/// Creates a record in `account_id` (under `portal_id` for categories and
/// articles) and claims its unique values; returns its new id.
pub async fn create<R: Sequenced>(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    portal_id: Option<i64>,
    input: R::Patch,
) -> Result<Outcome<i64>, CommandError> {
    let id = next_id(c.store.pool(), R::SEQUENCE).await.map_err(anyhow::Error::from)?;
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        let command = EntryCommand::<R>::Create { id, account_id, portal_id, input: input.clone() };
        let created = uow.decide_new::<Entry<R>>(&id.to_string(), Some(account_id.0), command).await?;
        for (stream, field) in created.fields.claims(account_id, portal_id) {
            claim(&mut uow, account_id, &stream, id, field).await?;
        }
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: id, position })
    })
    .await
}

/// Applies `patch` to a record of `account_id` / `portal_id`.
pub async fn update<R: Sequenced>(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    portal_id: Option<i64>,
    id: i64,
    patch: R::Patch,
) -> Result<Outcome<()>, CommandError> {
    with_retries(|| async {
        let loaded = c.store.load::<Entry<R>>(&id.to_string()).await?;
        let before = loaded.aggregate.fields.claims(account_id, portal_id);
        let mut uow = UnitOfWork::new(&c.store);
        let command = EntryCommand::<R>::Update { account_id, portal_id, patch: patch.clone() };
        let after = uow.decide_loaded(&id.to_string(), Some(account_id.0), command, loaded).await?;
        let after = after.fields.claims(account_id, portal_id);
        for (stream, field) in &after {
            if !before.iter().any(|(s, _)| s == stream) {
                claim(&mut uow, account_id, stream, id, *field).await?;
            }
        }
        for (stream, _) in &before {
            if !after.iter().any(|(s, _)| s == stream) {
                release(&mut uow, account_id, stream, id).await?;
            }
        }
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

/// Deletes a record of `account_id` / `portal_id` and frees its values.
pub async fn delete<R: Sequenced>(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    portal_id: Option<i64>,
    id: i64,
) -> Result<Outcome<()>, CommandError> {
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        let command = EntryCommand::<R>::Delete { account_id, portal_id };
        let gone = uow.decide::<Entry<R>>(&id.to_string(), Some(account_id.0), command).await?;
        for (stream, _) in gone.fields.claims(account_id, portal_id) {
            release(&mut uow, account_id, &stream, id).await?;
        }
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

/// Deletes a portal with the given categories and articles (its contents
/// as the caller read them) in one atomic write, freeing every value they
/// held. Contents already gone are skipped; anything added meanwhile stays
/// in the log but is no longer reachable (its portal is gone).
pub async fn delete_portal(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    portal_id: i64,
    categories: &[i64],
    articles: &[i64],
) -> Result<Outcome<()>, CommandError> {
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        delete_in::<PortalFields>(&mut uow, account_id, None, portal_id, true).await?;
        for id in categories {
            delete_in::<CategoryFields>(&mut uow, account_id, Some(portal_id), *id, false).await?;
        }
        for id in articles {
            delete_in::<ArticleFields>(&mut uow, account_id, Some(portal_id), *id, false).await?;
        }
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

async fn delete_in<R: Record>(
    uow: &mut UnitOfWork<'_>,
    account_id: AccountId,
    portal_id: Option<i64>,
    id: i64,
    required: bool,
) -> Result<(), CommandError> {
    let command = EntryCommand::<R>::Delete { account_id, portal_id };
    match uow.decide::<Entry<R>>(&id.to_string(), Some(account_id.0), command).await {
        Ok(gone) => {
            for (stream, _) in gone.fields.claims(account_id, portal_id) {
                release(uow, account_id, &stream, id).await?;
            }
            Ok(())
        }
        Err(CommandError::NotFound) if !required => Ok(()),
        Err(e) => Err(e),
    }
}

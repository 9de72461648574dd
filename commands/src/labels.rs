//! Labels: create, update, delete.
//!
//! The (lower-cased) title is claimed per account in the same atomic write
//! as the label's event; a new title moves the claim and a deletion frees
//! it. Updates decide on the state they loaded, so the claim released is
//! always the one the label held.

use crate::claims::{claim, move_claim, release};
use crate::execute::{with_retries, UnitOfWork};
use crate::ids::{next_id, IdSequence};
use crate::{CommandContext, CommandError, Commands, Outcome};
use onelink_domain::ids::{AccountId, LabelId};
use onelink_domain::label::{title_claim_id, Label, LabelCommand, LabelPatch, NewLabel, TITLE};

/// Creates a label in `account_id` (the ids in `input` are ignored) and
/// claims its title.
pub async fn create(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    input: NewLabel,
) -> Result<Outcome<LabelId>, CommandError> {
    let id = LabelId(next_id(c.store.pool(), IdSequence::Label).await.map_err(anyhow::Error::from)?);
    let new = NewLabel { id, account_id, ..input };
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        let command = LabelCommand::Create(new.clone());
        let created = uow.decide_new::<Label>(&id.to_string(), Some(account_id.0), command).await?;
        claim(&mut uow, account_id, &title_claim_id(account_id, &created.title), id.0, TITLE).await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: id, position })
    })
    .await
}

/// Partial update of a label of `account_id`.
pub async fn update(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: LabelId,
    patch: LabelPatch,
) -> Result<Outcome<()>, CommandError> {
    with_retries(|| async {
        let loaded = c.store.load::<Label>(&id.to_string()).await?;
        let old = title_claim_id(account_id, &loaded.aggregate.title);
        let mut uow = UnitOfWork::new(&c.store);
        let command = LabelCommand::Update { account_id, patch: patch.clone() };
        let after = uow.decide_loaded(&id.to_string(), Some(account_id.0), command, loaded).await?;
        let new = title_claim_id(account_id, &after.title);
        move_claim(&mut uow, account_id, &old, &new, id.0, TITLE).await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

/// Deletes a label of `account_id` and frees its title.
pub async fn delete(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: LabelId,
) -> Result<Outcome<()>, CommandError> {
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        let command = LabelCommand::Delete { account_id };
        let gone = uow.decide::<Label>(&id.to_string(), Some(account_id.0), command).await?;
        release(&mut uow, account_id, &title_claim_id(account_id, &gone.title), id.0).await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

//! Custom attribute definitions: create, update, delete.
//!
//! The key is claimed per (account, model) in the same atomic write as the
//! definition's event; a new key or model moves the claim and a deletion
//! frees it. Updates decide on the state they loaded, so the claim released
//! is always the one the definition held.

use crate::claims::{claim, move_claim, release};
use crate::execute::{with_retries, UnitOfWork};
use crate::ids::{next_id, IdSequence};
use crate::{CommandContext, CommandError, Commands, Outcome};
use onelink_domain::custom_attribute::{
    key_claim_id, CustomAttributeCommand, CustomAttributeDefinition, DefinitionPatch, NewDefinition,
    ATTRIBUTE_KEY,
};
use onelink_domain::ids::{AccountId, CustomAttributeDefinitionId};

/// The claim stream a definition holds.
fn claim_of(account_id: AccountId, definition: &CustomAttributeDefinition) -> String {
    let (model, key) = definition.claim();
    key_claim_id(account_id, model, key)
}

/// Creates a definition in `account_id` (the ids in `input` are ignored)
/// and claims its key.
pub async fn create(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    input: NewDefinition,
) -> Result<Outcome<CustomAttributeDefinitionId>, CommandError> {
    let sequence = IdSequence::CustomAttributeDefinition;
    let id =
        CustomAttributeDefinitionId(next_id(c.store.pool(), sequence).await.map_err(anyhow::Error::from)?);
    let new = NewDefinition { id, account_id, ..input };
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        let command = CustomAttributeCommand::Create(new.clone());
        let created =
            uow.decide_new::<CustomAttributeDefinition>(&id.to_string(), Some(account_id.0), command).await?;
        claim(&mut uow, account_id, &claim_of(account_id, &created), id.0, ATTRIBUTE_KEY).await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: id, position })
    })
    .await
}

/// Partial update of a definition of `account_id`.
pub async fn update(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: CustomAttributeDefinitionId,
    patch: DefinitionPatch,
) -> Result<Outcome<()>, CommandError> {
    with_retries(|| async {
        let loaded = c.store.load::<CustomAttributeDefinition>(&id.to_string()).await?;
        let old = claim_of(account_id, &loaded.aggregate);
        let mut uow = UnitOfWork::new(&c.store);
        let command = CustomAttributeCommand::Update { account_id, patch: patch.clone() };
        let after = uow.decide_loaded(&id.to_string(), Some(account_id.0), command, loaded).await?;
        move_claim(&mut uow, account_id, &old, &claim_of(account_id, &after), id.0, ATTRIBUTE_KEY).await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

/// Deletes a definition of `account_id` and frees its key.
pub async fn delete(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: CustomAttributeDefinitionId,
) -> Result<Outcome<()>, CommandError> {
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        let command = CustomAttributeCommand::Delete { account_id };
        let gone =
            uow.decide::<CustomAttributeDefinition>(&id.to_string(), Some(account_id.0), command).await?;
        release(&mut uow, account_id, &claim_of(account_id, &gone), id.0).await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

//! Canned responses: create, update, delete.
//!
//! The short code is claimed (per account) in the same atomic write as the
//! canned response's event; a new short code moves the claim and a
//! deletion frees it. Updates decide on the state they loaded, so the claim
//! released is always the one the record held.

use crate::claims::{claim, move_claim, release};
use crate::execute::{with_retries, UnitOfWork};
use crate::ids::{next_id, IdSequence};
use crate::{CommandContext, CommandError, Commands, Outcome};
use onelink_domain::canned_response::{
    short_code_claim_id, CannedResponse, CannedResponseCommand, CannedResponsePatch, NewCannedResponse,
    SHORT_CODE,
};
use onelink_domain::ids::{AccountId, CannedResponseId};

/// Creates a canned response in `account_id` (the ids in `input` are
/// ignored) and claims its short code.
pub async fn create(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    input: NewCannedResponse,
) -> Result<Outcome<CannedResponseId>, CommandError> {
    let id = CannedResponseId(
        next_id(c.store.pool(), IdSequence::CannedResponse).await.map_err(anyhow::Error::from)?,
    );
    let new = NewCannedResponse { id, account_id, ..input };
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        let command = CannedResponseCommand::Create(new.clone());
        let created = uow.decide_new::<CannedResponse>(&id.to_string(), Some(account_id.0), command).await?;
        let stream = short_code_claim_id(account_id, &created.short_code);
        claim(&mut uow, account_id, &stream, id.0, SHORT_CODE).await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: id, position })
    })
    .await
}

/// Partial update of a canned response of `account_id`.
pub async fn update(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: CannedResponseId,
    patch: CannedResponsePatch,
) -> Result<Outcome<()>, CommandError> {
    with_retries(|| async {
        let loaded = c.store.load::<CannedResponse>(&id.to_string()).await?;
        let old = short_code_claim_id(account_id, &loaded.aggregate.short_code);
        let mut uow = UnitOfWork::new(&c.store);
        let command = CannedResponseCommand::Update { account_id, patch: patch.clone() };
        let after = uow.decide_loaded(&id.to_string(), Some(account_id.0), command, loaded).await?;
        let new = short_code_claim_id(account_id, &after.short_code);
        move_claim(&mut uow, account_id, &old, &new, id.0, SHORT_CODE).await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

/// Deletes a canned response of `account_id` and frees its short code.
pub async fn delete(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: CannedResponseId,
) -> Result<Outcome<()>, CommandError> {
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        let command = CannedResponseCommand::Delete { account_id };
        let gone = uow.decide::<CannedResponse>(&id.to_string(), Some(account_id.0), command).await?;
        release(&mut uow, account_id, &short_code_claim_id(account_id, &gone.short_code), id.0).await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

//! Custom filters: create, update, delete — each on behalf of the user who
//! owns the filter. A create takes a slot of the user's quota in the same
//! atomic write as the filter's event; a delete frees it.

use crate::execute::{with_retries, UnitOfWork};
use crate::ids::{next_id, IdSequence};
use crate::{CommandContext, CommandError, Commands, Outcome};
use onelink_domain::custom_filter::{
    quota_id, CustomFilter, CustomFilterCommand, CustomFilterPatch, CustomFilterQuota, NewCustomFilter,
    Owner, QuotaCommand, MAX_FILTERS_PER_USER,
};
use onelink_domain::ids::CustomFilterId;

/// Creates a filter for `owner` (the ids in `input` are ignored).
pub async fn create(
    c: &Commands,
    ctx: &CommandContext,
    owner: Owner,
    input: NewCustomFilter,
) -> Result<Outcome<CustomFilterId>, CommandError> {
    let id =
        CustomFilterId(next_id(c.store.pool(), IdSequence::CustomFilter).await.map_err(anyhow::Error::from)?);
    let new = NewCustomFilter { id, account_id: owner.account_id, user_id: owner.user_id, ..input };
    let account = Some(owner.account_id.0);
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        uow.decide_new::<CustomFilter>(&id.to_string(), account, CustomFilterCommand::Create(new.clone()))
            .await?;
        let take = QuotaCommand::Take { filter_id: id, limit: MAX_FILTERS_PER_USER };
        uow.decide::<CustomFilterQuota>(&quota_id(owner.account_id, owner.user_id), account, take).await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: id, position })
    })
    .await
}

/// Partial update of one of `owner`'s filters.
pub async fn update(
    c: &Commands,
    ctx: &CommandContext,
    owner: Owner,
    id: CustomFilterId,
    patch: CustomFilterPatch,
) -> Result<Outcome<()>, CommandError> {
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        let command = CustomFilterCommand::Update { owner, patch: patch.clone() };
        uow.decide::<CustomFilter>(&id.to_string(), Some(owner.account_id.0), command).await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

/// Deletes one of `owner`'s filters and frees its slot.
pub async fn delete(
    c: &Commands,
    ctx: &CommandContext,
    owner: Owner,
    id: CustomFilterId,
) -> Result<Outcome<()>, CommandError> {
    let account = Some(owner.account_id.0);
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        uow.decide::<CustomFilter>(&id.to_string(), account, CustomFilterCommand::Delete { owner }).await?;
        let free = QuotaCommand::Free { filter_id: id };
        uow.decide::<CustomFilterQuota>(&quota_id(owner.account_id, owner.user_id), account, free).await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

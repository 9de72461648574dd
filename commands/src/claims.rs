//! Taking, freeing and moving [`UniqueClaim`]s inside a unit of work, for
//! the services whose records hold a unique value (canned response short
//! codes, custom attribute keys).

use crate::execute::UnitOfWork;
use crate::CommandError;
use onelink_domain::ids::AccountId;
use onelink_domain::unique_claim::{ClaimedField, UniqueClaim, UniqueClaimCommand};

/// Claims the value behind `stream` for `owner` (refused if another owns it).
pub(crate) async fn claim(
    uow: &mut UnitOfWork<'_>,
    account_id: AccountId,
    stream: &str,
    owner: i64,
    field: ClaimedField,
) -> Result<(), CommandError> {
    uow.decide::<UniqueClaim>(stream, Some(account_id.0), UniqueClaimCommand::Claim { owner, field }).await?;
    Ok(())
}

/// Frees the value behind `stream` if `owner` holds it.
pub(crate) async fn release(
    uow: &mut UnitOfWork<'_>,
    account_id: AccountId,
    stream: &str,
    owner: i64,
) -> Result<(), CommandError> {
    uow.decide::<UniqueClaim>(stream, Some(account_id.0), UniqueClaimCommand::Release { owner }).await?;
    Ok(())
}

/// Moves `owner`'s claim from `old` to `new` (nothing when they are equal).
pub(crate) async fn move_claim(
    uow: &mut UnitOfWork<'_>,
    account_id: AccountId,
    old: &str,
    new: &str,
    owner: i64,
    field: ClaimedField,
) -> Result<(), CommandError> {
    if old != new {
        claim(uow, account_id, new, owner, field).await?;
        release(uow, account_id, old, owner).await?;
    }
    Ok(())
}

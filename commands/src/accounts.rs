//! Accounts and their members.

use crate::execute::{create_stream, execute};
use crate::ids::{next_id, IdSequence};
use crate::{CommandContext, CommandError, Commands, Outcome};
use onelink_domain::account::{
    Account, AccountCommand, AccountPatch, Availability, MemberSettings, NewAccount, Role,
};
use onelink_domain::ids::{AccountId, AccountUserId, UserId};
use onelink_domain::user::User;
use onelink_domain::Violations;

pub async fn create(
    c: &Commands,
    ctx: &CommandContext,
    input: NewAccount,
) -> Result<Outcome<AccountId>, CommandError> {
    let id = AccountId(next_id(c.store.pool(), IdSequence::Account).await.map_err(anyhow::Error::from)?);
    let done = create_stream::<Account, _>(&c.store, &id.to_string(), Some(id.0), ctx, || {
        AccountCommand::Create(NewAccount { id, ..input })
    })
    .await?;
    Ok(Outcome { value: id, position: done.position })
}

pub async fn update(
    c: &Commands,
    ctx: &CommandContext,
    id: AccountId,
    patch: AccountPatch,
) -> Result<Outcome<()>, CommandError> {
    let done = execute::<Account, _>(&c.store, &id.to_string(), Some(id.0), ctx, || {
        AccountCommand::Update(patch.clone())
    })
    .await?;
    Ok(Outcome { value: (), position: done.position })
}

pub async fn delete(c: &Commands, ctx: &CommandContext, id: AccountId) -> Result<Outcome<()>, CommandError> {
    let done =
        execute::<Account, _>(&c.store, &id.to_string(), Some(id.0), ctx, || AccountCommand::Delete).await?;
    Ok(Outcome { value: (), position: done.position })
}

/// Adds `user_id` to the account with `role`, or changes their role.
/// Returns the membership id.
pub async fn upsert_member(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    user_id: UserId,
    role: Role,
    settings: MemberSettings,
) -> Result<Outcome<AccountUserId>, CommandError> {
    let user = c.store.load::<User>(&user_id.to_string()).await?;
    if user.aggregate.id.is_none() || user.aggregate.deleted {
        return Err(CommandError::Invalid(Violations::single("user", "User must exist")));
    }
    let fresh_id =
        AccountUserId(next_id(c.store.pool(), IdSequence::AccountUser).await.map_err(anyhow::Error::from)?);
    let inviter_id = match ctx.actor {
        onelink_domain::Actor::User(id) => Some(UserId(id)),
        _ => None,
    };
    let done = execute::<Account, _>(&c.store, &account_id.to_string(), Some(account_id.0), ctx, || {
        AccountCommand::UpsertMember { account_user_id: fresh_id, user_id, role, inviter_id, settings }
    })
    .await?;
    let membership = done.state.member(user_id).map(|m| m.account_user_id).unwrap_or(fresh_id);
    Ok(Outcome { value: membership, position: done.position })
}

pub async fn remove_member(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    user_id: UserId,
) -> Result<Outcome<()>, CommandError> {
    let done = execute::<Account, _>(&c.store, &account_id.to_string(), Some(account_id.0), ctx, || {
        AccountCommand::RemoveMember { user_id }
    })
    .await?;
    Ok(Outcome { value: (), position: done.position })
}

/// Changes a member's role or availability settings.
pub async fn update_member(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    user_id: UserId,
    role: Option<Role>,
    availability: Option<Availability>,
    auto_offline: Option<bool>,
) -> Result<Outcome<()>, CommandError> {
    let done = execute::<Account, _>(&c.store, &account_id.to_string(), Some(account_id.0), ctx, || {
        AccountCommand::UpdateMember { user_id, role, availability, auto_offline }
    })
    .await?;
    Ok(Outcome { value: (), position: done.position })
}

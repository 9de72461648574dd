//! Teams and their members.
//!
//! A team's name is claimed (per account, normalized) in the same atomic
//! write as the team event; a rename moves the claim and a deletion frees
//! it. Membership changes are checked against the account's current members,
//! read from the account stream (the truth) just before the command.

use crate::execute::{with_retries, UnitOfWork};
use crate::ids::{next_id, IdSequence};
use crate::{CommandContext, CommandError, Commands, Outcome};
use onelink_domain::account::Account;
use onelink_domain::ids::{AccountId, TeamId, UserId};
use onelink_domain::team::{
    name_claim_id, AccountMembers, NewTeam, Team, TeamCommand, TeamNameClaim, TeamNameClaimCommand, TeamPatch,
};
use onelink_domain::user::User;

/// How a membership request changes the member set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberChange {
    /// Add the users that are not members yet.
    Add,
    /// Make the users the exact member set.
    Replace,
    /// Remove the users.
    Remove,
}

/// The team `id` of `account_id`, or `NotFound` (also for a team of another
/// account: the caller's path never reaches another tenant's stream).
async fn owned(c: &Commands, account_id: AccountId, id: TeamId) -> Result<Team, CommandError> {
    let team = c.store.load::<Team>(&id.to_string()).await?.aggregate;
    if team.id.is_none() || team.deleted || team.account_id != Some(account_id) {
        return Err(CommandError::NotFound);
    }
    Ok(team)
}

/// Creates a team (the id in `input` is ignored) and claims its name.
pub async fn create(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    input: NewTeam,
) -> Result<Outcome<TeamId>, CommandError> {
    let id = TeamId(next_id(c.store.pool(), IdSequence::Team).await.map_err(anyhow::Error::from)?);
    let new = NewTeam { id, account_id, ..input };
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        let team =
            uow.decide::<Team>(&id.to_string(), Some(account_id.0), TeamCommand::Create(new.clone())).await?;
        let claim = name_claim_id(account_id, &team.name);
        uow.decide::<TeamNameClaim>(&claim, Some(account_id.0), TeamNameClaimCommand::Claim { team_id: id })
            .await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: id, position })
    })
    .await
}

/// Partial update; a new name is claimed and the old one released.
pub async fn update(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: TeamId,
    patch: TeamPatch,
) -> Result<Outcome<()>, CommandError> {
    with_retries(|| async {
        let before = owned(c, account_id, id).await?;
        let mut uow = UnitOfWork::new(&c.store);
        let after = uow
            .decide::<Team>(&id.to_string(), Some(account_id.0), TeamCommand::Update(patch.clone()))
            .await?;
        if after.name != before.name {
            let (new, old) =
                (name_claim_id(account_id, &after.name), name_claim_id(account_id, &before.name));
            let account = Some(account_id.0);
            uow.decide::<TeamNameClaim>(&new, account, TeamNameClaimCommand::Claim { team_id: id }).await?;
            uow.decide::<TeamNameClaim>(&old, account, TeamNameClaimCommand::Release { team_id: id }).await?;
        }
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

/// Deletes the team and frees its name.
pub async fn delete(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: TeamId,
) -> Result<Outcome<()>, CommandError> {
    with_retries(|| async {
        owned(c, account_id, id).await?;
        let mut uow = UnitOfWork::new(&c.store);
        let team = uow.decide::<Team>(&id.to_string(), Some(account_id.0), TeamCommand::Delete).await?;
        let claim = name_claim_id(account_id, &team.name);
        uow.decide::<TeamNameClaim>(
            &claim,
            Some(account_id.0),
            TeamNameClaimCommand::Release { team_id: id },
        )
        .await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

/// The account's members that may join a team: everyone in the account
/// stream, except requested users that have since been deleted (a deleted
/// user stays in the account stream but belongs to no account).
async fn account_members(
    c: &Commands,
    account_id: AccountId,
    requested: &[UserId],
) -> Result<AccountMembers, CommandError> {
    let account = c.store.load::<Account>(&account_id.to_string()).await?.aggregate;
    if account.id.is_none() || account.deleted {
        return Err(CommandError::NotFound);
    }
    let mut members: AccountMembers =
        account.members.iter().map(|(user, m)| (*user, m.account_user_id)).collect();
    for user in requested {
        if members.contains_key(user) {
            let u = c.store.load::<User>(&user.to_string()).await?.aggregate;
            if u.id.is_none() || u.deleted {
                members.remove(user);
            }
        }
    }
    Ok(members)
}

/// Adds, replaces or removes team members. Any user outside the account
/// refuses the whole request (`NotPermitted("Invalid User IDs")`). Returns
/// the users that became members.
pub async fn change_members(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: TeamId,
    change: MemberChange,
    user_ids: Vec<UserId>,
) -> Result<Outcome<Vec<UserId>>, CommandError> {
    with_retries(|| async {
        let before = owned(c, account_id, id).await?;
        let account_members = account_members(c, account_id, &user_ids).await?;
        let mut added: Vec<UserId> = Vec::new();
        if change != MemberChange::Remove {
            for user in &user_ids {
                if !before.is_member(*user, &account_members) && !added.contains(user) {
                    added.push(*user);
                }
            }
        }
        let user_ids = user_ids.clone();
        let command = match change {
            MemberChange::Add => TeamCommand::AddMembers { user_ids, account_members },
            MemberChange::Replace => TeamCommand::ReplaceMembers { user_ids, account_members },
            MemberChange::Remove => TeamCommand::RemoveMembers { user_ids, account_members },
        };
        let mut uow = UnitOfWork::new(&c.store);
        uow.decide::<Team>(&id.to_string(), Some(account_id.0), command).await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: added, position })
    })
    .await
}

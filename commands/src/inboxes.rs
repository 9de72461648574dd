//! Inboxes: creation (with generated channel identifiers and HMAC secret),
//! updates, members (checked against the account's members), the agent bot
//! binding, avatar removal and deletion.

use crate::execute::execute;
use crate::ids::{next_id, IdSequence};
use crate::secrets::{random_token, TOKEN_LEN};
use crate::{CommandContext, CommandError, Commands, Outcome};
use onelink_domain::account::Account;
use onelink_domain::agent_bot::AgentBot;
use onelink_domain::ids::{AccountId, AgentBotId, ChannelId, InboxId, UserId};
use onelink_domain::inbox::{
    ChannelKeys, ChannelPatch, Inbox, InboxChange, InboxCommand, NewInbox, Roster, SettingsPatch,
    WorkingHourPatch,
};

/// A new inbox as a client described it.
#[derive(Debug, Clone, Default)]
pub struct InboxInput {
    /// `channel.type`; `None` when the request had no channel.
    pub channel_type: Option<String>,
    pub settings: SettingsPatch,
    pub channel: ChannelPatch,
    pub working_hours: Vec<WorkingHourPatch>,
}

async fn allocate(c: &Commands, sequence: IdSequence) -> Result<i64, CommandError> {
    Ok(next_id(c.store.pool(), sequence).await.map_err(anyhow::Error::from)?)
}

/// Creates an inbox with its channel. The public token (widget
/// `website_token` or API `inbox_identifier`) and the HMAC secret are drawn
/// here; the secret is recorded only as digest and sealed copy.
pub async fn create(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    input: InboxInput,
) -> Result<Outcome<InboxId>, CommandError> {
    let id = InboxId(allocate(c, IdSequence::Inbox).await?);
    let channel_id = ChannelId(allocate(c, IdSequence::Channel).await?);
    let (_, hmac_token) = c.secrets.issue_token();
    let keys = ChannelKeys { public_token: random_token(TOKEN_LEN), hmac_token };
    let done = execute::<Inbox, _>(&c.store, &id.to_string(), Some(account_id.0), ctx, || {
        InboxCommand::Create(NewInbox {
            id,
            account_id,
            channel_id,
            channel_type: input.channel_type.clone(),
            settings: input.settings.clone(),
            channel: input.channel.clone(),
            working_hours: input.working_hours.clone(),
            keys: keys.clone(),
        })
    })
    .await?;
    Ok(Outcome { value: id, position: done.position })
}

/// Runs a command against an existing inbox of `account_id`.
pub async fn change(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: InboxId,
    command: impl Fn() -> InboxCommand,
) -> Result<Outcome<()>, CommandError> {
    let done = execute::<Inbox, _>(&c.store, &id.to_string(), Some(account_id.0), ctx, command).await?;
    Ok(Outcome { value: (), position: done.position })
}

pub async fn update(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: InboxId,
    change_set: InboxChange,
) -> Result<Outcome<()>, CommandError> {
    change(c, ctx, account_id, id, || InboxCommand::Update { account_id, change: change_set.clone() }).await
}

pub async fn remove_avatar(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: InboxId,
) -> Result<Outcome<()>, CommandError> {
    change(c, ctx, account_id, id, || InboxCommand::RemoveAvatar { account_id }).await
}

pub async fn delete(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: InboxId,
) -> Result<Outcome<()>, CommandError> {
    change(c, ctx, account_id, id, || InboxCommand::Delete { account_id }).await
}

/// How a membership request changes the member set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    Add,
    Remove,
    Replace,
}

/// The account's members and their membership ids, from the account's
/// own stream (the truth, not a read model).
async fn roster(c: &Commands, account_id: AccountId) -> Result<Roster, CommandError> {
    let account = c.store.load::<Account>(&account_id.to_string()).await?.aggregate;
    if account.id.is_none() || account.deleted {
        return Err(CommandError::NotFound);
    }
    Ok(account.members.iter().map(|(user, m)| (*user, m.account_user_id)).collect())
}

/// Adds, removes or replaces members. Every user must belong to the
/// account (else "Invalid User IDs"; nothing is written).
pub async fn change_members(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: InboxId,
    how: Membership,
    user_ids: Vec<UserId>,
) -> Result<Outcome<()>, CommandError> {
    let roster = roster(c, account_id).await?;
    change(c, ctx, account_id, id, || {
        let (user_ids, roster) = (user_ids.clone(), roster.clone());
        match how {
            Membership::Add => InboxCommand::AddMembers { account_id, user_ids, roster },
            Membership::Remove => InboxCommand::RemoveMembers { account_id, user_ids, roster },
            Membership::Replace => InboxCommand::ReplaceMembers { account_id, user_ids, roster },
        }
    })
    .await
}

/// Binds a bot of this account or a system bot (any other bot is not
/// found), or unbinds with `None`.
pub async fn set_agent_bot(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: InboxId,
    agent_bot_id: Option<AgentBotId>,
) -> Result<Outcome<()>, CommandError> {
    if let Some(bot_id) = agent_bot_id {
        let bot = c.store.load::<AgentBot>(&bot_id.to_string()).await?.aggregate;
        let accessible =
            bot.id.is_some() && !bot.deleted && bot.account_id.is_none_or(|owner| owner == account_id);
        if !accessible {
            return Err(CommandError::NotFound);
        }
    }
    change(c, ctx, account_id, id, || InboxCommand::SetAgentBot { account_id, agent_bot_id }).await
}

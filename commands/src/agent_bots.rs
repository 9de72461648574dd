//! Agent bots.

use crate::execute::{create_stream, execute};
use crate::ids::{next_id, IdSequence};
use crate::{CommandContext, CommandError, Commands, Outcome};
use onelink_domain::agent_bot::{AgentBot, AgentBotCommand, BotPatch, BotProfile};
use onelink_domain::ids::{AccountId, AgentBotId};

pub async fn create(
    c: &Commands,
    ctx: &CommandContext,
    account_id: Option<AccountId>,
    profile: BotProfile,
) -> Result<Outcome<AgentBotId>, CommandError> {
    let id = AgentBotId(next_id(c.store.pool(), IdSequence::AgentBot).await.map_err(anyhow::Error::from)?);
    let (_token, issued) = c.secrets.issue_token();
    let done = create_stream::<AgentBot, _>(&c.store, &id.to_string(), account_id.map(|a| a.0), ctx, || {
        AgentBotCommand::Create { id, account_id, profile, token: issued }
    })
    .await?;
    Ok(Outcome { value: id, position: done.position })
}

/// Runs a command against an existing bot (update, avatar removal, delete).
pub async fn change(
    c: &Commands,
    ctx: &CommandContext,
    id: AgentBotId,
    account_id: Option<AccountId>,
    command: impl Fn() -> AgentBotCommand,
) -> Result<Outcome<()>, CommandError> {
    let done =
        execute::<AgentBot, _>(&c.store, &id.to_string(), account_id.map(|a| a.0), ctx, command).await?;
    Ok(Outcome { value: (), position: done.position })
}

pub async fn update(
    c: &Commands,
    ctx: &CommandContext,
    id: AgentBotId,
    account_id: Option<AccountId>,
    patch: BotPatch,
) -> Result<Outcome<()>, CommandError> {
    change(c, ctx, id, account_id, || AgentBotCommand::Update(patch.clone())).await
}

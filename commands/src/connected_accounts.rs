//! Connected accounts (seed 004): connect, update, disconnect.
//!
//! Credentials arrive here in clear, are checked (a non-empty object of
//! bounded size) and sealed with the installation key; only the sealed
//! form reaches the aggregate and so the log. A linked inbox is checked
//! against its stream (the truth): it must exist in the same account.

use crate::execute::{create_stream, execute};
use crate::{CommandContext, CommandError, Commands, Outcome};
use onelink_domain::connected_account::rules::credentials_violations;
use onelink_domain::connected_account::{
    ConnectedAccount, ConnectedAccountCommand, ConnectedAccountPatch, NewConnectedAccount, Provider,
    SealedCredentials,
};
use onelink_domain::ids::{AccountId, ConnectedAccountId, InboxId};
use onelink_domain::inbox::Inbox;
use onelink_domain::Violations;
use serde_json::{Map, Value};

/// A new connection as a client sent it (credentials still in clear).
#[derive(Debug, Clone)]
pub struct ConnectInput {
    pub provider: Option<Provider>,
    pub name: Option<String>,
    pub headline: Option<String>,
    pub avatar_url: Option<String>,
    pub external_id: Option<String>,
    pub config: Map<String, Value>,
    pub credentials: Option<Value>,
    pub inbox_id: Option<InboxId>,
}

/// A merge-patch as a client sent it (see [`ConnectedAccountPatch`]).
#[derive(Debug, Clone, Default)]
pub struct UpdateInput {
    pub provider: Option<Provider>,
    pub name: Option<String>,
    pub headline: Option<Option<String>>,
    pub avatar_url: Option<Option<String>>,
    pub external_id: Option<Option<String>>,
    pub config: Option<Value>,
    pub credentials: Option<Value>,
    pub inbox_id: Option<Option<InboxId>>,
}

/// Message for an inbox link that names no inbox of the account.
pub const UNKNOWN_INBOX: &str = "This inbox does not exist in this account.";

/// Checks and seals credentials; `None` stays `None`.
fn seal(c: &Commands, credentials: Option<&Value>) -> Result<Option<SealedCredentials>, CommandError> {
    let Some(credentials) = credentials else { return Ok(None) };
    credentials_violations(credentials).into_result().map_err(CommandError::Invalid)?;
    Ok(Some(SealedCredentials { sealed: c.secrets.seal(&credentials.to_string()) }))
}

async fn check_inbox(
    c: &Commands,
    account_id: AccountId,
    inbox: Option<InboxId>,
) -> Result<(), CommandError> {
    let Some(id) = inbox else { return Ok(()) };
    let inbox = c.store.load::<Inbox>(&id.to_string()).await?.aggregate;
    if inbox.id.is_none() || inbox.deleted || inbox.account_id != Some(account_id) {
        return Err(CommandError::Invalid(Violations::single("inbox", UNKNOWN_INBOX)));
    }
    Ok(())
}

/// Connects a new account to `account_id`; returns its new id.
pub async fn connect(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    input: ConnectInput,
) -> Result<Outcome<ConnectedAccountId>, CommandError> {
    let credentials = seal(c, input.credentials.as_ref())?;
    check_inbox(c, account_id, input.inbox_id).await?;
    let id = ConnectedAccountId(uuid::Uuid::now_v7());
    let new = NewConnectedAccount {
        id,
        account_id,
        provider: input.provider,
        name: input.name,
        headline: input.headline,
        avatar_url: input.avatar_url,
        external_id: input.external_id,
        config: input.config,
        credentials,
        inbox_id: input.inbox_id,
    };
    let done =
        create_stream::<ConnectedAccount, _>(&c.store, &id.to_string(), Some(account_id.0), ctx, || {
            ConnectedAccountCommand::Connect(new)
        })
        .await?;
    Ok(Outcome { value: id, position: done.position })
}

/// Applies a merge-patch to a connected account of `account_id`.
pub async fn update(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: ConnectedAccountId,
    input: UpdateInput,
) -> Result<Outcome<()>, CommandError> {
    let credentials = seal(c, input.credentials.as_ref())?;
    check_inbox(c, account_id, input.inbox_id.flatten()).await?;
    let patch = ConnectedAccountPatch {
        provider: input.provider,
        name: input.name,
        headline: input.headline,
        avatar_url: input.avatar_url,
        external_id: input.external_id,
        config: input.config,
        credentials,
        inbox_id: input.inbox_id,
    };
    let done = execute::<ConnectedAccount, _>(&c.store, &id.to_string(), Some(account_id.0), ctx, || {
        ConnectedAccountCommand::Update { account_id, patch: patch.clone() }
    })
    .await?;
    Ok(Outcome { value: (), position: done.position })
}

/// Disconnects (removes) a connected account of `account_id`.
pub async fn disconnect(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: ConnectedAccountId,
) -> Result<Outcome<()>, CommandError> {
    let done = execute::<ConnectedAccount, _>(&c.store, &id.to_string(), Some(account_id.0), ctx, || {
        ConnectedAccountCommand::Disconnect { account_id }
    })
    .await?;
    Ok(Outcome { value: (), position: done.position })
}

//! Platform apps (created from the CLI) and their grants.

use crate::execute::{create_stream, execute};
use crate::ids::{next_id, IdSequence};
use crate::{CommandContext, CommandError, Commands, Outcome};
use onelink_domain::account::Account;
use onelink_domain::agent_bot::AgentBot;
use onelink_domain::ids::PlatformAppId;
use onelink_domain::platform_app::{PermissibleType, PlatformApp, PlatformAppCommand};
use onelink_domain::user::User;

/// Creates an app; returns its id and its token in clear text (shown once).
pub async fn create(
    c: &Commands,
    ctx: &CommandContext,
    name: String,
) -> Result<Outcome<(PlatformAppId, String)>, CommandError> {
    let id =
        PlatformAppId(next_id(c.store.pool(), IdSequence::PlatformApp).await.map_err(anyhow::Error::from)?);
    let (token, issued) = c.secrets.issue_token();
    let done = create_stream::<PlatformApp, _>(&c.store, &id.to_string(), None, ctx, || {
        PlatformAppCommand::Create { id, name, token: issued }
    })
    .await?;
    Ok(Outcome { value: (id, token), position: done.position })
}

/// Grants an existing object to the app.
pub async fn grant(
    c: &Commands,
    ctx: &CommandContext,
    app: PlatformAppId,
    resource_type: PermissibleType,
    resource_id: i64,
) -> Result<Outcome<()>, CommandError> {
    let id = resource_id.to_string();
    let exists = match resource_type {
        PermissibleType::Account => {
            let a = c.store.load::<Account>(&id).await?.aggregate;
            a.id.is_some() && !a.deleted
        }
        PermissibleType::User => {
            let u = c.store.load::<User>(&id).await?.aggregate;
            u.id.is_some() && !u.deleted
        }
        PermissibleType::AgentBot => {
            let b = c.store.load::<AgentBot>(&id).await?.aggregate;
            b.id.is_some() && !b.deleted
        }
    };
    if !exists {
        return Err(CommandError::NotFound);
    }
    let done = execute::<PlatformApp, _>(&c.store, &app.to_string(), None, ctx, || {
        PlatformAppCommand::Grant { resource_type, resource_id }
    })
    .await?;
    Ok(Outcome { value: (), position: done.position })
}

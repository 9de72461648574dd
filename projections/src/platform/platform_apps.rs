//! `platform_apps` and `platform_app_permissibles`: which objects each app
//! may touch. Creation grants are derived from the creating event's actor;
//! explicit grants come from the app's own stream.

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::agent_bot::{AgentBot, AgentBotEvent};
use onelink_domain::platform_app::{PermissibleType, PlatformApp, PlatformAppEvent};
use onelink_domain::user::{User, UserEvent};
use sqlx::{PgConnection, PgExecutor};

pub struct PlatformAppsProjection;

/// What an event means for grants.
enum GrantChange {
    Created(PermissibleType),
    Deleted(PermissibleType),
    None,
}

fn grant_change(e: &RecordedEvent) -> anyhow::Result<GrantChange> {
    use GrantChange::*;
    Ok(if e.is(Account::TYPE) {
        match e.decode::<AccountEvent>()? {
            AccountEvent::AccountCreated { .. } => Created(PermissibleType::Account),
            AccountEvent::AccountDeleted => Deleted(PermissibleType::Account),
            _ => None,
        }
    } else if e.is(User::TYPE) {
        match e.decode::<UserEvent>()? {
            UserEvent::UserCreated(_) => Created(PermissibleType::User),
            UserEvent::UserDeleted => Deleted(PermissibleType::User),
            _ => None,
        }
    } else if e.is(AgentBot::TYPE) {
        match e.decode::<AgentBotEvent>()? {
            AgentBotEvent::AgentBotCreated { .. } => Created(PermissibleType::AgentBot),
            AgentBotEvent::AgentBotDeleted => Deleted(PermissibleType::AgentBot),
            _ => None,
        }
    } else {
        None
    })
}

async fn grant(
    conn: &mut PgConnection,
    app: i64,
    kind: PermissibleType,
    id: i64,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO platform_app_permissibles (platform_app_id, permissible_type, permissible_id, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(app)
    .bind(kind.as_str())
    .bind(id)
    .bind(at)
    .execute(conn)
    .await
    .map(|_| ())
}

#[async_trait]
impl Projection for PlatformAppsProjection {
    fn name(&self) -> &'static str {
        "platform_apps"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["platform_apps", "platform_app_permissibles"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if e.is(PlatformApp::TYPE) {
            let app = e.numeric_id()?;
            match e.decode::<PlatformAppEvent>()? {
                PlatformAppEvent::PlatformAppCreated { name, token, .. } => {
                    sqlx::query(
                        "INSERT INTO platform_apps (id, name, token_digest, created_at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(app)
                    .bind(name)
                    .bind(token.digest)
                    .bind(e.recorded_at)
                    .execute(conn)
                    .await?;
                }
                PlatformAppEvent::PermissibleGranted { resource_type, resource_id } => {
                    grant(conn, app, resource_type, resource_id, e.recorded_at).await?;
                }
                PlatformAppEvent::PermissibleRevoked { resource_type, resource_id } => {
                    sqlx::query(
                        "DELETE FROM platform_app_permissibles \
                         WHERE platform_app_id = $1 AND permissible_type = $2 AND permissible_id = $3",
                    )
                    .bind(app)
                    .bind(resource_type.as_str())
                    .bind(resource_id)
                    .execute(conn)
                    .await?;
                }
            }
            return Ok(());
        }
        match grant_change(e)? {
            GrantChange::Created(kind) => {
                if let (Some(app), "platform_app") = (e.actor_id, e.actor_type.as_str()) {
                    grant(conn, app, kind, e.numeric_id()?, e.recorded_at).await?;
                }
            }
            GrantChange::Deleted(kind) => {
                sqlx::query(
                    "DELETE FROM platform_app_permissibles WHERE permissible_type = $1 AND permissible_id = $2",
                )
                .bind(kind.as_str())
                .bind(e.numeric_id()?)
                .execute(conn)
                .await?;
            }
            GrantChange::None => {}
        }
        Ok(())
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlatformAppRow {
    pub id: i64,
    pub name: String,
}

pub async fn find_by_token(
    db: impl PgExecutor<'_>,
    digest: &str,
) -> Result<Option<PlatformAppRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM platform_apps WHERE token_digest = $1")
        .bind(digest)
        .fetch_optional(db)
        .await
}

pub async fn find(db: impl PgExecutor<'_>, id: i64) -> Result<Option<PlatformAppRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM platform_apps WHERE id = $1").bind(id).fetch_optional(db).await
}

pub async fn is_permitted(
    db: impl PgExecutor<'_>,
    app: i64,
    kind: PermissibleType,
    id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM platform_app_permissibles \
           WHERE platform_app_id = $1 AND permissible_type = $2 AND permissible_id = $3)",
    )
    .bind(app)
    .bind(kind.as_str())
    .bind(id)
    .fetch_one(db)
    .await
}

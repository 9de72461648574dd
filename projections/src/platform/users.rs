//! `users`: installation-wide user profiles and credential digests.

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_domain::user::{User, UserEvent};
use serde_json::Value;
use sqlx::{PgConnection, PgExecutor};

pub struct UsersProjection;

#[async_trait]
impl Projection for UsersProjection {
    fn name(&self) -> &'static str {
        "users"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["users"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if !e.is(User::TYPE) {
            return Ok(());
        }
        let id = e.numeric_id()?;
        let at = e.recorded_at;
        match e.decode::<UserEvent>()? {
            UserEvent::UserCreated(u) => {
                sqlx::query(
                    "INSERT INTO users (id, name, display_name, email, password_hash, access_token_digest, \
                       access_token_sealed, pubsub_token_digest, pubsub_token_sealed, custom_attributes, \
                       created_at, updated_at, confirmed) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12)",
                )
                .bind(id)
                .bind(&u.name)
                .bind(&u.display_name)
                .bind(&u.email)
                .bind(&u.password_hash)
                .bind(&u.access_token.digest)
                .bind(&u.access_token.sealed)
                .bind(&u.pubsub_token.digest)
                .bind(&u.pubsub_token.sealed)
                .bind(Value::Object(u.custom_attributes))
                .bind(at)
                .bind(u.confirmed)
                .execute(conn)
                .await?;
            }
            UserEvent::UserUpdated { name, display_name, email, custom_attributes } => {
                sqlx::query(
                    "UPDATE users SET name = COALESCE($2, name), \
                       display_name = CASE WHEN $3 THEN $4 ELSE display_name END, \
                       email = COALESCE($5, email), custom_attributes = COALESCE($6, custom_attributes), \
                       updated_at = $7 WHERE id = $1",
                )
                .bind(id)
                .bind(name)
                .bind(display_name.is_some())
                .bind(display_name.flatten())
                .bind(email)
                .bind(custom_attributes.map(Value::Object))
                .bind(at)
                .execute(conn)
                .await?;
            }
            UserEvent::UserPasswordChanged { password_hash, pubsub_token } => {
                sqlx::query(
                    "UPDATE users SET password_hash = $2, pubsub_token_digest = $3, pubsub_token_sealed = $4, \
                       updated_at = $5 WHERE id = $1",
                )
                .bind(id)
                .bind(password_hash)
                .bind(pubsub_token.digest)
                .bind(pubsub_token.sealed)
                .bind(at)
                .execute(conn)
                .await?;
            }
            UserEvent::UserDeleted => {
                sqlx::query("DELETE FROM users WHERE id = $1").bind(id).execute(conn).await?;
            }
            UserEvent::SsoTokenIssued { .. } | UserEvent::SsoTokenConsumed { .. } => {}
        }
        Ok(())
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub display_name: Option<String>,
    pub email: String,
    pub password_hash: Option<String>,
    pub access_token_sealed: String,
    pub pubsub_token_sealed: String,
    pub custom_attributes: Value,
    pub ui_settings: Value,
    pub message_signature: Option<String>,
    pub confirmed: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const USER_COLUMNS: &str = "id, name, display_name, email, password_hash, access_token_sealed, \
                            pubsub_token_sealed, custom_attributes, ui_settings, message_signature, \
                            confirmed, created_at, updated_at";

pub async fn find(db: impl PgExecutor<'_>, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn find_by_access_token(
    db: impl PgExecutor<'_>,
    digest: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE access_token_digest = $1"))
        .bind(digest)
        .fetch_optional(db)
        .await
}

pub async fn find_by_email(db: impl PgExecutor<'_>, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1"))
        .bind(email)
        .fetch_optional(db)
        .await
}

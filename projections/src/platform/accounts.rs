//! `accounts` and `account_users`.

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::user::{User, UserEvent};
use serde_json::Value;
use sqlx::{PgConnection, PgExecutor};

pub struct AccountsProjection;

#[async_trait]
impl Projection for AccountsProjection {
    fn name(&self) -> &'static str {
        "accounts"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["accounts", "account_users"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if e.is(Account::TYPE) {
            let id = e.numeric_id()?;
            apply_account(conn, id, e.recorded_at, e.decode()?).await?;
        } else if e.is(User::TYPE) && matches!(e.decode::<UserEvent>()?, UserEvent::UserDeleted) {
            sqlx::query("DELETE FROM account_users WHERE user_id = $1")
                .bind(e.numeric_id()?)
                .execute(conn)
                .await?;
        }
        Ok(())
    }
}

async fn apply_account(
    conn: &mut PgConnection,
    id: i64,
    at: DateTime<Utc>,
    event: AccountEvent,
) -> anyhow::Result<()> {
    match event {
        AccountEvent::AccountCreated { fields: f, .. } => {
            sqlx::query(
                "INSERT INTO accounts (id, name, locale, domain, support_email, status, limits, \
                                       custom_attributes, features, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
            )
            .bind(id)
            .bind(&f.name)
            .bind(&f.locale)
            .bind(&f.domain)
            .bind(&f.support_email)
            .bind(f.status.as_str())
            .bind(Value::Object(f.limits))
            .bind(Value::Object(f.custom_attributes))
            .bind(serde_json::to_value(&f.features)?)
            .bind(at)
            .execute(conn)
            .await?;
        }
        AccountEvent::AccountUpdated {
            name,
            locale,
            domain,
            support_email,
            status,
            limits,
            custom_attributes,
            features,
        } => {
            sqlx::query(
                "UPDATE accounts SET name = COALESCE($2, name), locale = COALESCE($3, locale), \
                   domain = CASE WHEN $4 THEN $5 ELSE domain END, \
                   support_email = CASE WHEN $6 THEN $7 ELSE support_email END, \
                   status = COALESCE($8, status), limits = COALESCE($9, limits), \
                   custom_attributes = COALESCE($10, custom_attributes), features = features || $11, \
                   updated_at = $12 \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(name)
            .bind(locale)
            .bind(domain.is_some())
            .bind(domain.flatten())
            .bind(support_email.is_some())
            .bind(support_email.flatten())
            .bind(status.map(|s| s.as_str()))
            .bind(limits.map(Value::Object))
            .bind(custom_attributes.map(Value::Object))
            .bind(serde_json::to_value(&features)?)
            .bind(at)
            .execute(conn)
            .await?;
        }
        AccountEvent::AccountDeleted => {
            sqlx::query("DELETE FROM accounts WHERE id = $1").bind(id).execute(&mut *conn).await?;
            sqlx::query("DELETE FROM account_users WHERE account_id = $1").bind(id).execute(conn).await?;
        }
        AccountEvent::AccountUserAdded {
            account_user_id,
            user_id,
            role,
            inviter_id,
            availability,
            auto_offline,
        } => {
            sqlx::query(
                "INSERT INTO account_users (account_id, user_id, id, role, inviter_id, availability, auto_offline, \
                                            created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(id)
            .bind(user_id.0)
            .bind(account_user_id.0)
            .bind(role.as_str())
            .bind(inviter_id.map(|i| i.0))
            .bind(availability.as_str())
            .bind(auto_offline)
            .bind(at)
            .execute(conn)
            .await?;
        }
        AccountEvent::AccountUserSettingsChanged { user_id, availability, auto_offline } => {
            sqlx::query(
                "UPDATE account_users SET availability = COALESCE($3, availability), \
                   auto_offline = COALESCE($4, auto_offline), updated_at = $5 \
                 WHERE account_id = $1 AND user_id = $2",
            )
            .bind(id)
            .bind(user_id.0)
            .bind(availability.map(|a| a.as_str()))
            .bind(auto_offline)
            .bind(at)
            .execute(conn)
            .await?;
        }
        AccountEvent::AccountUserRoleChanged { user_id, role } => {
            sqlx::query(
                "UPDATE account_users SET role = $3, updated_at = $4 WHERE account_id = $1 AND user_id = $2",
            )
            .bind(id)
            .bind(user_id.0)
            .bind(role.as_str())
            .bind(at)
            .execute(conn)
            .await?;
        }
        AccountEvent::AccountUserRemoved { user_id } => {
            sqlx::query("DELETE FROM account_users WHERE account_id = $1 AND user_id = $2")
                .bind(id)
                .bind(user_id.0)
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub name: String,
    pub locale: String,
    pub domain: Option<String>,
    pub support_email: Option<String>,
    pub status: String,
    pub limits: Value,
    pub custom_attributes: Value,
    pub features: Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountUserRow {
    pub id: i64,
    pub account_id: i64,
    pub user_id: i64,
    pub role: String,
    pub inviter_id: Option<i64>,
    pub active_at: Option<DateTime<Utc>>,
    pub availability: String,
    pub auto_offline: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const ACCOUNT_COLUMNS: &str = "id, name, locale, domain, support_email, status, limits, custom_attributes, \
                               features, created_at, updated_at";
const ACCOUNT_USER_COLUMNS: &str = "id, account_id, user_id, role, inviter_id, active_at, availability, \
                                    auto_offline, created_at, updated_at";

pub async fn find(db: impl PgExecutor<'_>, id: i64) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Accounts granted to a platform app, by id.
pub async fn list_for_platform_app(
    db: impl PgExecutor<'_>,
    app_id: i64,
) -> Result<Vec<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE EXISTS (SELECT 1 FROM platform_app_permissibles p \
           WHERE p.platform_app_id = $1 AND p.permissible_type = 'Account' AND p.permissible_id = a.id) \
         ORDER BY id"
    ))
    .bind(app_id)
    .fetch_all(db)
    .await
}

pub async fn members(db: impl PgExecutor<'_>, account_id: i64) -> Result<Vec<AccountUserRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ACCOUNT_USER_COLUMNS} FROM account_users WHERE account_id = $1 ORDER BY id"
    ))
    .bind(account_id)
    .fetch_all(db)
    .await
}

pub async fn membership(
    db: impl PgExecutor<'_>,
    account_id: i64,
    user_id: i64,
) -> Result<Option<AccountUserRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ACCOUNT_USER_COLUMNS} FROM account_users WHERE account_id = $1 AND user_id = $2"
    ))
    .bind(account_id)
    .bind(user_id)
    .fetch_optional(db)
    .await
}

/// A user's memberships with the account names, most recently active first.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserAccountRow {
    pub account_id: i64,
    pub name: String,
    pub role: String,
    pub active_at: Option<DateTime<Utc>>,
}

pub async fn accounts_of_user(
    db: impl PgExecutor<'_>,
    user_id: i64,
) -> Result<Vec<UserAccountRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT au.account_id, a.name, au.role, au.active_at FROM account_users au \
         JOIN accounts a ON a.id = au.account_id WHERE au.user_id = $1 \
         ORDER BY au.active_at DESC NULLS LAST, au.id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// A member with the user fields the Application API's Agent JSON shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgentRow {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub display_name: Option<String>,
    pub email: String,
    pub confirmed: bool,
    pub custom_attributes: Value,
    pub role: String,
    pub availability: String,
    pub auto_offline: bool,
}

const AGENT_SELECT: &str = "SELECT u.id, au.account_id, u.name, u.display_name, u.email, u.confirmed, \
     u.custom_attributes, au.role, au.availability, au.auto_offline \
     FROM account_users au JOIN users u ON u.id = au.user_id";

/// The account's agents, sorted by name as upstream (`lower(name)`).
pub async fn agents(db: impl PgExecutor<'_>, account_id: i64) -> Result<Vec<AgentRow>, sqlx::Error> {
    sqlx::query_as(&format!("{AGENT_SELECT} WHERE au.account_id = $1 ORDER BY lower(u.name), u.id"))
        .bind(account_id)
        .fetch_all(db)
        .await
}

/// Agents of the account among `user_ids` (ids of other accounts are
/// silently absent), sorted by name.
pub async fn agents_among(
    db: impl PgExecutor<'_>,
    account_id: i64,
    user_ids: &[i64],
) -> Result<Vec<AgentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{AGENT_SELECT} WHERE au.account_id = $1 AND au.user_id = ANY($2) ORDER BY lower(u.name), u.id"
    ))
    .bind(account_id)
    .bind(user_ids)
    .fetch_all(db)
    .await
}

pub async fn agent(
    db: impl PgExecutor<'_>,
    account_id: i64,
    user_id: i64,
) -> Result<Option<AgentRow>, sqlx::Error> {
    sqlx::query_as(&format!("{AGENT_SELECT} WHERE au.account_id = $1 AND au.user_id = $2"))
        .bind(account_id)
        .bind(user_id)
        .fetch_optional(db)
        .await
}

/// How many accounts a user belongs to.
pub async fn membership_count(db: impl PgExecutor<'_>, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM account_users WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(db)
        .await
}

//! `accounts` and `account_users`: the projection and the reads.

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_domain::account::Account;
use onelink_domain::user::{User, UserEvent};
use serde_json::Value;
use sqlx::{PgConnection, PgExecutor};
use std::collections::HashSet;

mod fold;

pub struct AccountsProjection;

#[async_trait]
impl Projection for AccountsProjection {
    fn name(&self) -> &'static str {
        "accounts"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["accounts", "account_users"]
    }

    fn aggregate_types(&self) -> Option<&'static [&'static str]> {
        Some(&[Account::TYPE, User::TYPE])
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        self.apply_batch(conn, std::slice::from_ref(e)).await
    }

    /// Folds runs of account events in memory (see [`fold`]); a deleted
    /// user leaves every account at its place in the log.
    async fn apply_batch(&self, conn: &mut PgConnection, events: &[RecordedEvent]) -> anyhow::Result<()> {
        let mut run_start = 0;
        for (i, e) in events.iter().enumerate() {
            if e.is(User::TYPE) && matches!(e.decode::<UserEvent>()?, UserEvent::UserDeleted) {
                fold_run(conn, &events[run_start..i]).await?;
                sqlx::query("DELETE FROM account_users WHERE user_id = $1")
                    .bind(e.numeric_id()?)
                    .execute(&mut *conn)
                    .await?;
                run_start = i + 1;
            }
        }
        fold_run(conn, &events[run_start..]).await
    }
}

/// Folds the account events among `events` (which hold no user deletion).
async fn fold_run(conn: &mut PgConnection, events: &[RecordedEvent]) -> anyhow::Result<()> {
    let mut ids: Vec<i64> = Vec::new();
    let mut seen = HashSet::new();
    for e in events.iter().filter(|e| e.is(Account::TYPE)) {
        let id = e.numeric_id()?;
        if seen.insert(id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Ok(());
    }
    let mut batch = fold::Batch::load(conn, &ids).await?;
    for e in events.iter().filter(|e| e.is(Account::TYPE)) {
        batch.fold(e.numeric_id()?, e.recorded_at, e.decode()?).map_err(|err| {
            anyhow::anyhow!("accounts failed on event {} ({}): {err:#}", e.global_position, e.event_type)
        })?;
    }
    batch.write(conn).await?;
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

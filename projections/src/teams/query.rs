//! Reading teams and their members; every query is scoped by account.
//! Members are joined with the account's memberships, so a user who left
//! the account never shows up, whatever the team rows say.

use crate::platform::accounts::AgentRow;
use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TeamRow {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub description: Option<String>,
    pub allow_auto_assign: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const TEAM_COLUMNS: &str = "id, account_id, name, description, allow_auto_assign, created_at, updated_at";

/// Team members who are (still) members of the account.
const MEMBER_JOIN: &str = "FROM team_members tm \
     JOIN account_users au ON au.account_id = tm.account_id AND au.user_id = tm.user_id";

/// The account's teams, oldest first (upstream's unordered `account.teams`).
pub async fn list(db: impl PgExecutor<'_>, account_id: i64) -> Result<Vec<TeamRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {TEAM_COLUMNS} FROM teams WHERE account_id = $1 ORDER BY id"))
        .bind(account_id)
        .fetch_all(db)
        .await
}

pub async fn find(db: impl PgExecutor<'_>, account_id: i64, id: i64) -> Result<Option<TeamRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {TEAM_COLUMNS} FROM teams WHERE account_id = $1 AND id = $2"))
        .bind(account_id)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The team's members as agents, sorted by name like the agents list.
pub async fn members(
    db: impl PgExecutor<'_>,
    account_id: i64,
    team_id: i64,
) -> Result<Vec<AgentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT u.id, au.account_id, u.name, u.display_name, u.email, u.confirmed, u.custom_attributes, \
                au.role, au.availability, au.auto_offline \
         {MEMBER_JOIN} JOIN users u ON u.id = tm.user_id \
         WHERE tm.account_id = $1 AND tm.team_id = $2 ORDER BY lower(u.name), u.id"
    ))
    .bind(account_id)
    .bind(team_id)
    .fetch_all(db)
    .await
}

pub async fn is_member(
    db: impl PgExecutor<'_>,
    account_id: i64,
    team_id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT EXISTS (SELECT 1 {MEMBER_JOIN} \
           WHERE tm.account_id = $1 AND tm.team_id = $2 AND tm.user_id = $3)"
    ))
    .bind(account_id)
    .bind(team_id)
    .bind(user_id)
    .fetch_one(db)
    .await
}

/// The ids of the account's teams `user_id` is a member of.
pub async fn team_ids_of_user(
    db: impl PgExecutor<'_>,
    account_id: i64,
    user_id: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT tm.team_id {MEMBER_JOIN} WHERE tm.account_id = $1 AND tm.user_id = $2 ORDER BY tm.team_id"
    ))
    .bind(account_id)
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// Teams of the account by id (for rendering many conversations at once).
pub async fn find_many(
    db: impl PgExecutor<'_>,
    account_id: i64,
    ids: &[i64],
) -> Result<Vec<TeamRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {TEAM_COLUMNS} FROM teams WHERE account_id = $1 AND id = ANY($2)"))
        .bind(account_id)
        .bind(ids)
        .fetch_all(db)
        .await
}

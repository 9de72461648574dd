//! Applying team, account and user events to `teams` / `team_members`.

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::team::{Team, TeamEvent};
use onelink_domain::user::{User, UserEvent};
use sqlx::PgConnection;

pub struct TeamsProjection;

#[async_trait]
impl Projection for TeamsProjection {
    fn name(&self) -> &'static str {
        "teams"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["teams", "team_members"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if e.is(Team::TYPE) {
            let account_id =
                e.account_id.ok_or_else(|| anyhow::anyhow!("team event {} has no account", e.event_id))?;
            apply_team(conn, account_id, e.numeric_id()?, e.recorded_at, e.decode()?).await?;
        } else if e.is(Account::TYPE) {
            let account_id = e.numeric_id()?;
            match e.decode::<AccountEvent>()? {
                AccountEvent::AccountUserRemoved { user_id } => {
                    sqlx::query("DELETE FROM team_members WHERE account_id = $1 AND user_id = $2")
                        .bind(account_id)
                        .bind(user_id.0)
                        .execute(conn)
                        .await?;
                }
                AccountEvent::AccountDeleted => {
                    sqlx::query("DELETE FROM team_members WHERE account_id = $1")
                        .bind(account_id)
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("DELETE FROM teams WHERE account_id = $1")
                        .bind(account_id)
                        .execute(conn)
                        .await?;
                }
                _ => {}
            }
        } else if e.is(User::TYPE) && matches!(e.decode::<UserEvent>()?, UserEvent::UserDeleted) {
            sqlx::query("DELETE FROM team_members WHERE user_id = $1")
                .bind(e.numeric_id()?)
                .execute(conn)
                .await?;
        }
        Ok(())
    }
}

async fn apply_team(
    conn: &mut PgConnection,
    account_id: i64,
    id: i64,
    at: DateTime<Utc>,
    event: TeamEvent,
) -> anyhow::Result<()> {
    match event {
        TeamEvent::TeamCreated { name, description, allow_auto_assign, .. } => {
            sqlx::query(
                "INSERT INTO teams (account_id, id, name, description, allow_auto_assign, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(account_id)
            .bind(id)
            .bind(name)
            .bind(description)
            .bind(allow_auto_assign)
            .bind(at)
            .execute(conn)
            .await?;
        }
        TeamEvent::TeamUpdated { name, description, allow_auto_assign } => {
            sqlx::query(
                "UPDATE teams SET name = COALESCE($3, name), \
                   description = CASE WHEN $4 THEN $5 ELSE description END, \
                   allow_auto_assign = COALESCE($6, allow_auto_assign), updated_at = $7 \
                 WHERE account_id = $1 AND id = $2",
            )
            .bind(account_id)
            .bind(id)
            .bind(name)
            .bind(description.is_some())
            .bind(description.flatten())
            .bind(allow_auto_assign)
            .bind(at)
            .execute(conn)
            .await?;
        }
        TeamEvent::TeamMembersAdded { members } => {
            let users: Vec<i64> = members.iter().map(|m| m.user_id.0).collect();
            sqlx::query(
                "INSERT INTO team_members (account_id, team_id, user_id, created_at) \
                 SELECT $1, $2, u, $4 FROM UNNEST($3::bigint[]) AS u ON CONFLICT DO NOTHING",
            )
            .bind(account_id)
            .bind(id)
            .bind(users)
            .bind(at)
            .execute(conn)
            .await?;
        }
        TeamEvent::TeamMembersRemoved { user_ids } => {
            let users: Vec<i64> = user_ids.iter().map(|u| u.0).collect();
            sqlx::query(
                "DELETE FROM team_members WHERE account_id = $1 AND team_id = $2 AND user_id = ANY($3)",
            )
            .bind(account_id)
            .bind(id)
            .bind(users)
            .execute(conn)
            .await?;
        }
        TeamEvent::TeamDeleted => {
            sqlx::query("DELETE FROM team_members WHERE account_id = $1 AND team_id = $2")
                .bind(account_id)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            sqlx::query("DELETE FROM teams WHERE account_id = $1 AND id = $2")
                .bind(account_id)
                .bind(id)
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

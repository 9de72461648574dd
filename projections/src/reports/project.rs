//! The `reports` projection, inbox bookkeeping and the reads its fold (`batch.rs`) needs.

use super::scope::StoredFact;
use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use cqrs_es::Aggregate;
use onelink_domain::account::Account;
use onelink_domain::conversation::Conversation;
use onelink_domain::inbox::{Inbox, InboxEvent, WorkingHour};
use onelink_domain::report::business_hours::business_micros;
use onelink_domain::report::{Fact, ReportState};
use sqlx::types::Json;
use sqlx::PgConnection;

pub struct ReportsProjection;

#[async_trait]
impl Projection for ReportsProjection {
    fn name(&self) -> &'static str {
        "reports"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["report_conversations", "report_inboxes", "report_facts", "report_hourly"]
    }

    fn aggregate_types(&self) -> Option<&'static [&'static str]> {
        Some(&[Inbox::TYPE, Account::TYPE, Conversation::TYPE])
    }

    async fn apply_batch(&self, conn: &mut PgConnection, events: &[RecordedEvent]) -> anyhow::Result<()> {
        super::batch::apply(self, conn, events).await
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        self.apply_batch(conn, std::slice::from_ref(e)).await
    }
}

/// A deleted account takes its report rows with it.
pub(super) async fn delete_account(
    conn: &mut PgConnection,
    tables: &[&str],
    account_id: i64,
) -> anyhow::Result<()> {
    for table in tables {
        sqlx::query(&format!("DELETE FROM {table} WHERE account_id = $1"))
            .bind(account_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The inbox facts the rules need: a bot, and the business hours.
#[derive(sqlx::FromRow)]
pub(super) struct InboxHours {
    pub(super) has_bot: bool,
    working_hours_enabled: bool,
    timezone: String,
    working_hours: Json<Vec<WorkingHour>>,
}

impl InboxHours {
    /// Microseconds of the fact's interval inside business hours (0 when
    /// the inbox has them disabled, as upstream).
    pub(super) fn business_micros(&self, fact: &Fact) -> i64 {
        match fact.span {
            Some((from, to)) if self.working_hours_enabled => {
                let tz = self.timezone.parse().unwrap_or(chrono_tz::Tz::UTC);
                business_micros(&self.working_hours.0, tz, from, to)
            }
            _ => 0,
        }
    }
}

pub(super) async fn inbox_hours(
    conn: &mut PgConnection,
    inbox_id: i64,
) -> anyhow::Result<Option<InboxHours>> {
    Ok(sqlx::query_as(
        "SELECT has_bot, working_hours_enabled, timezone, working_hours FROM report_inboxes WHERE inbox_id = $1",
    )
    .bind(inbox_id)
    .fetch_optional(conn)
    .await?)
}

pub(super) async fn inbox_event(conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
    let inbox_id = e.numeric_id()?;
    match e.decode::<InboxEvent>()? {
        InboxEvent::InboxCreated { account_id, settings, working_hours, .. } => {
            sqlx::query(
                "INSERT INTO report_inboxes (inbox_id, account_id, working_hours_enabled, timezone, working_hours) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(inbox_id)
            .bind(account_id.0)
            .bind(settings.working_hours_enabled)
            .bind(&settings.timezone)
            .bind(Json(&working_hours))
            .execute(conn)
            .await?;
        }
        InboxEvent::InboxUpdated { settings } => {
            sqlx::query(
                "UPDATE report_inboxes SET working_hours_enabled = $2, timezone = $3 WHERE inbox_id = $1",
            )
            .bind(inbox_id)
            .bind(settings.working_hours_enabled)
            .bind(&settings.timezone)
            .execute(conn)
            .await?;
        }
        InboxEvent::InboxWorkingHoursUpdated { working_hours } => {
            sqlx::query("UPDATE report_inboxes SET working_hours = $2 WHERE inbox_id = $1")
                .bind(inbox_id)
                .bind(Json(&working_hours))
                .execute(conn)
                .await?;
        }
        InboxEvent::InboxAgentBotSet { agent_bot_id } => {
            sqlx::query("UPDATE report_inboxes SET has_bot = $2 WHERE inbox_id = $1")
                .bind(inbox_id)
                .bind(agent_bot_id.is_some())
                .execute(conn)
                .await?;
        }
        _ => {}
    }
    Ok(())
}

pub(super) async fn load(
    conn: &mut PgConnection,
    account_id: i64,
    conversation_id: i64,
) -> anyhow::Result<Option<ReportState>> {
    let row: Option<(Json<ReportState>,)> = sqlx::query_as(
        "SELECT state FROM report_conversations WHERE account_id = $1 AND conversation_id = $2",
    )
    .bind(account_id)
    .bind(conversation_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(state,)| state.0))
}

pub(super) async fn facts_of(
    conn: &mut PgConnection,
    account_id: i64,
    conversation_id: i64,
) -> anyhow::Result<Vec<StoredFact>> {
    Ok(sqlx::query_as(
        "SELECT metric, at, value_us, value_bh_us, user_id FROM report_facts \
         WHERE account_id = $1 AND conversation_id = $2",
    )
    .bind(account_id)
    .bind(conversation_id)
    .fetch_all(conn)
    .await?)
}

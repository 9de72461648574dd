//! Applying conversation, inbox and account events to the report tables.

use super::deltas::Deltas;
use super::scope::StoredFact;
use crate::conversations::status_code;
use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::conversation::{Conversation, ConversationEvent};
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

    async fn apply_batch(&self, conn: &mut PgConnection, events: &[RecordedEvent]) -> anyhow::Result<()> {
        super::batch::apply(self, conn, events).await
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if e.is(Conversation::TYPE) {
            let account_id = e
                .account_id
                .ok_or_else(|| anyhow::anyhow!("conversation event {} has no account", e.event_id))?;
            conversation_event(conn, account_id, e.numeric_id()?, e).await
        } else if e.is(Inbox::TYPE) {
            inbox_event(conn, e).await
        } else if e.is(Account::TYPE) && matches!(e.decode::<AccountEvent>()?, AccountEvent::AccountDeleted) {
            let account_id = e.numeric_id()?;
            for table in self.tables() {
                sqlx::query(&format!("DELETE FROM {table} WHERE account_id = $1"))
                    .bind(account_id)
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(())
        } else {
            Ok(())
        }
    }
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

pub(super) async fn conversation_event(
    conn: &mut PgConnection,
    account_id: i64,
    conversation_id: i64,
    e: &RecordedEvent,
) -> anyhow::Result<()> {
    let event: ConversationEvent = e.decode()?;
    let mut deltas = Deltas::default();
    if let Some((state, fact)) = ReportState::created(&event) {
        let stored = StoredFact::new(&fact, 0);
        insert_fact(conn, account_id, conversation_id, &state, &stored).await?;
        deltas.count(&stored, &state);
        save(conn, account_id, conversation_id, &state).await?;
        return deltas.write(conn, account_id).await;
    }
    let Some(mut state) = load(conn, account_id, conversation_id).await? else {
        return Ok(());
    };
    if matches!(event, ConversationEvent::ConversationDeleted) {
        for fact in facts_of(conn, account_id, conversation_id).await? {
            deltas.uncount(&fact, &state);
        }
        for table in ["report_facts", "report_conversations"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE account_id = $1 AND conversation_id = $2"))
                .bind(account_id)
                .bind(conversation_id)
                .execute(&mut *conn)
                .await?;
        }
        return deltas.write(conn, account_id).await;
    }
    let before = state.clone();
    let inbox = inbox_hours(conn, state.inbox_id).await?;
    let has_bot = inbox.as_ref().is_some_and(|i| i.has_bot);
    let facts = state.apply(&event, e.recorded_at, has_bot);
    if (before.assignee, before.team_id, &before.labels) != (state.assignee, state.team_id, &state.labels) {
        for fact in facts_of(conn, account_id, conversation_id).await? {
            deltas.reattribute(&fact, &before, &state);
        }
    }
    for fact in &facts {
        let bh = inbox.as_ref().map_or(0, |i| i.business_micros(fact));
        let stored = StoredFact::new(fact, bh);
        insert_fact(conn, account_id, conversation_id, &state, &stored).await?;
        deltas.count(&stored, &state);
    }
    if state != before {
        save(conn, account_id, conversation_id, &state).await?;
    }
    deltas.write(conn, account_id).await
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

pub(super) async fn save(
    conn: &mut PgConnection,
    account_id: i64,
    conversation_id: i64,
    s: &ReportState,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO report_conversations (account_id, conversation_id, inbox_id, status, assignee_id, team_id, \
                                           labels, first_reply_at, waiting_since, state) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (account_id, conversation_id) DO UPDATE SET status = EXCLUDED.status, \
           assignee_id = EXCLUDED.assignee_id, team_id = EXCLUDED.team_id, labels = EXCLUDED.labels, \
           first_reply_at = EXCLUDED.first_reply_at, waiting_since = EXCLUDED.waiting_since, state = EXCLUDED.state",
    )
    .bind(account_id)
    .bind(conversation_id)
    .bind(s.inbox_id)
    .bind(status_code(s.status))
    .bind(s.assignee)
    .bind(s.team_id)
    .bind(&s.labels)
    .bind(s.first_reply_at)
    .bind(s.waiting_since)
    .bind(Json(s))
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) async fn insert_fact(
    conn: &mut PgConnection,
    account_id: i64,
    conversation_id: i64,
    state: &ReportState,
    fact: &StoredFact,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO report_facts (account_id, conversation_id, metric, at, value_us, value_bh_us, user_id, inbox_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(account_id)
    .bind(conversation_id)
    .bind(fact.metric)
    .bind(fact.at)
    .bind(fact.value_us)
    .bind(fact.value_bh_us)
    .bind(fact.user_id)
    .bind(state.inbox_id)
    .execute(conn)
    .await?;
    Ok(())
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

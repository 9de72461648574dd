//! The executor's log subscriber: reads the log in order (checkpointed,
//! one runner across nodes, like a projection) and, for each conversation
//! event that some active rule of the account listens to, enqueues one job
//! in the transaction that moves its checkpoint — so each event is
//! considered exactly once, and a crash loses nothing.
//!
//! Loop protection happens here: events caused by an automation rule
//! (actor `automation_rule`) never trigger rules; neither do activity
//! messages, messages an automation sent, or conversations created with
//! `additional_attributes.auto_reply`.
//!
//! Like the webhook outbox it is not a projection: never rebuilt (a rebuild
//! would run every rule again).

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::automation_rule::{AutomationRule, AutomationRuleEvent};
use onelink_domain::conversation::{Conversation, ConversationEvent, MessageType, Status};
use serde_json::Value;
use sqlx::PgConnection;

/// The subscriber's checkpoint name.
pub const EXECUTOR: &str = "automation_executor";

pub struct Enqueue;

/// The automation events a log event is, and its message (message events).
pub fn automation_events(e: &RecordedEvent) -> anyhow::Result<(Vec<&'static str>, Option<i64>)> {
    if !e.is(Conversation::TYPE) || e.actor_type == "automation_rule" {
        return Ok((vec![], None));
    }
    Ok(match e.decode::<ConversationEvent>()? {
        ConversationEvent::ConversationCreated { additional_attributes, .. } => {
            if auto_reply(additional_attributes.get("auto_reply")) {
                (vec![], None)
            } else {
                (vec!["conversation_created"], None)
            }
        }
        ConversationEvent::ConversationStatusChanged { status, .. } => {
            let mut names = vec!["conversation_updated"];
            match status {
                Status::Open => names.push("conversation_opened"),
                Status::Resolved => names.push("conversation_resolved"),
                _ => {}
            }
            (names, None)
        }
        ConversationEvent::ConversationPriorityChanged { .. }
        | ConversationEvent::ConversationAssigneeChanged { .. }
        | ConversationEvent::ConversationTeamChanged { .. }
        | ConversationEvent::ConversationLabelsChanged { .. }
        | ConversationEvent::ConversationCustomAttributesChanged { .. } => {
            (vec!["conversation_updated"], None)
        }
        ConversationEvent::MessageCreated(m) => {
            let by_automation = m.content_attributes.contains_key("automation_rule_id");
            if m.message_type == MessageType::Activity || by_automation {
                (vec![], None)
            } else {
                (vec!["message_created"], Some(m.id.0))
            }
        }
        _ => (vec![], None),
    })
}

fn auto_reply(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::String(s)) => !s.is_empty() && s != "false",
        Some(_) => true,
    }
}

#[async_trait]
impl Projection for Enqueue {
    fn name(&self) -> &'static str {
        EXECUTOR
    }

    /// Never rebuilt (see the module docs); listed for documentation.
    fn tables(&self) -> &'static [&'static str] {
        &["automation_routes", "automation_jobs"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        let Some(account_id) = e.account_id else { return Ok(()) };
        if e.is(AutomationRule::TYPE) {
            return route(conn, account_id, e.numeric_id()?, e.decode()?).await;
        }
        if e.is(Account::TYPE) && matches!(e.decode::<AccountEvent>()?, AccountEvent::AccountDeleted) {
            sqlx::query("DELETE FROM automation_routes WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *conn)
                .await?;
            sqlx::query(
                "UPDATE automation_jobs SET status = 'failed', last_error = 'account deleted', \
                   finished_at = now(), claim = NULL WHERE account_id = $1 AND status = 'pending'",
            )
            .bind(account_id)
            .execute(conn)
            .await?;
            return Ok(());
        }
        let (names, message_id) = automation_events(e)?;
        for name in names {
            let rules: Vec<i64> = sqlx::query_scalar(
                "SELECT rule_id FROM automation_routes \
                 WHERE account_id = $1 AND event_name = $2 AND active ORDER BY rule_id",
            )
            .bind(account_id)
            .bind(name)
            .fetch_all(&mut *conn)
            .await?;
            if rules.is_empty() {
                continue;
            }
            sqlx::query(
                "INSERT INTO automation_jobs (account_id, event_id, event_name, event_tx, event_position, \
                                              conversation_id, message_id, rule_ids) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
            )
            .bind(account_id)
            .bind(e.event_id)
            .bind(name)
            .bind(e.tx)
            .bind(e.global_position)
            .bind(e.numeric_id()?)
            .bind(message_id)
            .bind(&rules)
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }
}

async fn route(
    conn: &mut PgConnection,
    account_id: i64,
    rule_id: i64,
    event: AutomationRuleEvent,
) -> anyhow::Result<()> {
    match event {
        AutomationRuleEvent::AutomationRuleCreated { rule, .. }
        | AutomationRuleEvent::AutomationRuleUpdated { rule } => {
            sqlx::query(
                "INSERT INTO automation_routes (account_id, rule_id, event_name, active) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (account_id, rule_id) DO UPDATE SET event_name = EXCLUDED.event_name, \
                   active = EXCLUDED.active",
            )
            .bind(account_id)
            .bind(rule_id)
            .bind(rule.event_name)
            .bind(rule.active)
            .execute(conn)
            .await?;
        }
        AutomationRuleEvent::AutomationRuleDeleted => {
            sqlx::query("DELETE FROM automation_routes WHERE account_id = $1 AND rule_id = $2")
                .bind(account_id)
                .bind(rule_id)
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

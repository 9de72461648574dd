//! The executor: claims the oldest pending job (`FOR UPDATE SKIP LOCKED`
//! with a lease, so nodes share the queue), waits until this node's read
//! models have reached the job's event, then runs each listed rule that is
//! still active and not yet done for this event: evaluate, act, and record
//! the rule as done — so a restart never runs a rule twice for one event,
//! and a crash mid-rule re-runs only idempotent actions.

use super::actions::{conversation, Runner};
use super::eval::{matches, ContactFacts, Facts};
use crate::automation::query::active_among;
use crate::conversations::{ConversationRow, MessageRow, MESSAGE_COLUMNS};
use crate::log::{RecordedEvent, EVENT_COLUMNS};
use crate::registry::Projections;
use crate::webhooks::payload::fold;
use onelink_commands::{Commands, LogPosition};
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// Attempts before a job is given up (infrastructure failures only).
const MAX_ATTEMPTS: i32 = 5;
/// How long a claim is held before another worker may take the job.
const LEASE: Duration = Duration::from_secs(60);
/// How long a job waits for the read models to reach its event.
pub(super) const CATCH_UP: Duration = Duration::from_secs(10);

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct Job {
    pub account_id: i64,
    pub event_id: Uuid,
    pub event_name: String,
    pub event_tx: i64,
    pub event_position: i64,
    pub conversation_id: i64,
    pub message_id: Option<i64>,
    pub rule_ids: Vec<i64>,
    pub done_rule_ids: Vec<i64>,
    pub attempts: i32,
}

pub(crate) struct Executor {
    pub pool: PgPool,
    pub commands: Commands,
    pub projections: Projections,
    pub wake: Arc<Notify>,
    pub shutdown: CancellationToken,
    pub poll: Duration,
}

impl Executor {
    pub async fn run(self) {
        while !self.shutdown.is_cancelled() {
            let woken = self.wake.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            let pause = match self.claim().await {
                Ok(Some((claim, job))) => {
                    if let Err(e) = self.process(claim, &job).await {
                        tracing::warn!(error = format!("{e:#}"), job = %job.event_id, "automation job failed");
                        if let Err(e) = self.retry(claim, &job, &format!("{e:#}")).await {
                            tracing::warn!(error = %e, "automation job bookkeeping failed");
                        }
                    }
                    continue;
                }
                Ok(None) => self.poll,
                Err(e) => {
                    tracing::warn!(error = %e, "automation executor could not claim; retrying");
                    Duration::from_millis(500)
                }
            };
            tokio::select! {
                _ = &mut woken => {}
                _ = tokio::time::sleep(pause) => {}
                _ = self.shutdown.cancelled() => {}
            }
        }
    }

    async fn claim(&self) -> Result<Option<(Uuid, Job)>, sqlx::Error> {
        let claim = Uuid::new_v4();
        let job: Option<Job> = sqlx::query_as(
            "WITH due AS ( \
               SELECT account_id, event_id, event_name FROM automation_jobs \
               WHERE status = 'pending' AND next_attempt_at <= now() \
               ORDER BY event_tx, event_position LIMIT 1 FOR UPDATE SKIP LOCKED) \
             UPDATE automation_jobs j SET attempts = j.attempts + 1, claim = $1, \
               next_attempt_at = now() + make_interval(secs => $2) \
             FROM due WHERE j.account_id = due.account_id AND j.event_id = due.event_id \
               AND j.event_name = due.event_name \
             RETURNING j.account_id, j.event_id, j.event_name, j.event_tx, j.event_position, j.conversation_id, \
                       j.message_id, j.rule_ids, j.done_rule_ids, j.attempts",
        )
        .bind(claim)
        .bind(LEASE.as_secs_f64())
        .fetch_optional(&self.pool)
        .await?;
        Ok(job.map(|j| (claim, j)))
    }

    async fn process(&self, claim: Uuid, job: &Job) -> anyhow::Result<()> {
        let at = LogPosition { tx: job.event_tx, position: job.event_position };
        self.projections.wait_for(at, CATCH_UP).await?;
        let pending: Vec<i64> =
            job.rule_ids.iter().copied().filter(|r| !job.done_rule_ids.contains(r)).collect();
        let rules = active_among(&self.pool, job.account_id, &pending, &job.event_name).await?;
        for rule in rules {
            self.run_rule(job, &rule).await?;
            sqlx::query(
                "UPDATE automation_jobs SET done_rule_ids = array_append(done_rule_ids, $5) \
                 WHERE account_id = $1 AND event_id = $2 AND event_name = $3 AND claim = $4",
            )
            .bind(job.account_id)
            .bind(job.event_id)
            .bind(&job.event_name)
            .bind(claim)
            .bind(rule.id)
            .execute(&self.pool)
            .await?;
        }
        self.finish(claim, job, "done", None).await
    }

    async fn run_rule(&self, job: &Job, rule: &super::query::AutomationRuleRow) -> anyhow::Result<()> {
        let Some(row) = conversation(&self.pool, job.account_id, job.conversation_id).await? else {
            return Ok(());
        };
        if job.event_name == "conversation_opened"
            && row.additional_attributes.get("auto_reply").is_some_and(|v| !v.is_null() && *v != false)
        {
            return Ok(());
        }
        let contact: Option<ContactFacts> = sqlx::query_as(
            "SELECT email, phone_number, additional_attributes, custom_attributes FROM contacts \
             WHERE account_id = $1 AND id = $2",
        )
        .bind(job.account_id)
        .bind(row.contact_id)
        .fetch_optional(&self.pool)
        .await?;
        let messages: Vec<MessageRow> = sqlx::query_as(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE account_id = $1 AND conversation_id = $2 \
               AND ($3::bigint IS NULL OR id = $3) ORDER BY id"
        ))
        .bind(job.account_id)
        .bind(row.id)
        .bind(job.message_id)
        .fetch_all(&self.pool)
        .await?;
        let change = self.change(job).await?;
        let change = change.as_ref().map(|(b, a)| (b, a));
        let facts = Facts { conversation: &row, change, contact: contact.as_ref(), messages: &messages };
        if !matches(&rule.conditions.0, &facts) {
            return Ok(());
        }
        let runner = Runner {
            pool: &self.pool,
            projections: &self.projections,
            commands: &self.commands,
            job,
            rule_id: rule.id,
            event_name: &job.event_name,
        };
        for (index, action) in rule.actions.0.iter().enumerate() {
            runner.run(index, action).await?;
        }
        Ok(())
    }

    /// For conversation_updated: the conversation right before and right
    /// after the event, folded from its stream (later changes do not blur
    /// what this event changed).
    async fn change(&self, job: &Job) -> anyhow::Result<Option<(ConversationRow, ConversationRow)>> {
        if job.event_name != "conversation_updated" {
            return Ok(None);
        }
        let mut conn = self.pool.acquire().await?;
        let event: Option<RecordedEvent> =
            sqlx::query_as(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE event_id = $1"))
                .bind(job.event_id)
                .fetch_optional(&mut *conn)
                .await?;
        let Some(event) = event else { return Ok(None) };
        let folded = fold(&mut conn, &event, None).await?;
        Ok(folded.before.zip(folded.after))
    }

    async fn finish(&self, claim: Uuid, job: &Job, status: &str, error: Option<&str>) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE automation_jobs SET status = $5, last_error = $6, claim = NULL, finished_at = now() \
             WHERE account_id = $1 AND event_id = $2 AND event_name = $3 AND claim = $4",
        )
        .bind(job.account_id)
        .bind(job.event_id)
        .bind(&job.event_name)
        .bind(claim)
        .bind(status)
        .bind(error)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Backs off, or gives up after [`MAX_ATTEMPTS`].
    async fn retry(&self, claim: Uuid, job: &Job, error: &str) -> anyhow::Result<()> {
        if job.attempts >= MAX_ATTEMPTS {
            return self.finish(claim, job, "failed", Some(error)).await;
        }
        sqlx::query(
            "UPDATE automation_jobs SET last_error = $5, claim = NULL, \
               next_attempt_at = now() + make_interval(secs => $6) \
             WHERE account_id = $1 AND event_id = $2 AND event_name = $3 AND claim = $4",
        )
        .bind(job.account_id)
        .bind(job.event_id)
        .bind(&job.event_name)
        .bind(claim)
        .bind(error)
        .bind(f64::from(2u32.pow(job.attempts.clamp(0, 8) as u32)))
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

//! Delivery workers: claim a due message, send it, record the attempt.
//!
//! A claim is one short statement (`FOR UPDATE SKIP LOCKED`, so workers on
//! any number of nodes never take the same message) that counts the attempt
//! and pushes `next_attempt_at` past the attempt's timeout: the HTTP call
//! then runs outside any transaction (a transaction held open would hold
//! back every log consumer's horizon), and a message whose worker died is
//! simply due again once that lease runs out. Results are written only by
//! the claim's holder.

use super::schedule::DeliveryConfig;
use super::{send, sign};
use chrono::{DateTime, Utc};
use onelink_commands::secrets::SecretBox;
use onelink_commands::ssrf::EgressGuard;
use onelink_commands::{webhooks, CommandContext, Commands};
use onelink_domain::ids::{AccountId, WebhookId};
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// A claimed message and its webhook as the read model has it.
#[derive(Debug, sqlx::FromRow)]
struct Job {
    account_id: i64,
    id: Uuid,
    webhook_id: i64,
    message_id: Uuid,
    body: String,
    attempts: i32,
    /// `webhook`, `agent_bot` (then `webhook_id` is the bot's id) or
    /// `automation` (a rule's `send_webhook_event`; `webhook_id` is the
    /// rule's id, the URL is the message's own, and it goes unsigned).
    target: String,
    conversation_id: Option<i64>,
    url: Option<String>,
    secret_sealed: Option<String>,
    disabled_reason: Option<String>,
}

impl Job {
    fn to_bot(&self) -> bool {
        self.target == "agent_bot"
    }

    fn to_webhook(&self) -> bool {
        self.target == "webhook"
    }
}

pub(crate) struct Worker {
    pub pool: PgPool,
    pub commands: Commands,
    pub config: Arc<DeliveryConfig>,
    pub wake: Arc<Notify>,
    pub shutdown: CancellationToken,
}

/// How an attempt ends the message (or not).
enum Verdict {
    Delivered,
    Retry(DateTime<Utc>),
    Failed { disable: Option<String> },
}

impl Worker {
    fn egress(&self) -> &EgressGuard {
        &self.commands.egress
    }

    fn secrets(&self) -> &SecretBox {
        &self.commands.secrets
    }

    pub async fn run(self) {
        let mut errors = 0u32;
        while !self.shutdown.is_cancelled() {
            let woken = self.wake.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            let pause = match self.claim().await {
                Ok(Some(job)) => {
                    errors = 0;
                    self.deliver(job).await;
                    continue;
                }
                Ok(None) => self.idle_for().await,
                Err(e) => {
                    errors += 1;
                    tracing::warn!(error = %e, "webhook worker could not claim; retrying");
                    Duration::from_millis(100 * 2u64.pow(errors.min(6)))
                }
            };
            tokio::select! {
                _ = &mut woken => {}
                _ = tokio::time::sleep(pause) => {}
                _ = self.shutdown.cancelled() => {}
            }
        }
    }

    /// Until the next message is due, at most the poll interval.
    async fn idle_for(&self) -> Duration {
        let next: Option<f64> = sqlx::query_scalar(
            "SELECT EXTRACT(EPOCH FROM min(next_attempt_at) - now())::float8 FROM webhook_deliveries \
             WHERE status = 'pending'",
        )
        .fetch_one(&self.pool)
        .await
        .unwrap_or(None);
        let poll = self.config.poll_interval;
        match next {
            Some(secs) if secs <= 0.0 => Duration::from_millis(1),
            Some(secs) => Duration::from_secs_f64(secs).min(poll),
            None => poll,
        }
    }

    async fn claim(&self) -> Result<Option<(Uuid, Job)>, sqlx::Error> {
        let claim = Uuid::new_v4();
        let job: Option<Job> = sqlx::query_as(
            "WITH due AS ( \
               SELECT account_id, id FROM webhook_deliveries \
               WHERE status = 'pending' AND next_attempt_at <= now() \
               ORDER BY next_attempt_at, event_position LIMIT 1 FOR UPDATE SKIP LOCKED), \
             claimed AS ( \
               UPDATE webhook_deliveries d \
               SET attempts = d.attempts + 1, claim = $1, \
                   next_attempt_at = now() + make_interval(secs => $2) \
               FROM due WHERE d.account_id = due.account_id AND d.id = due.id \
               RETURNING d.account_id, d.id, d.webhook_id, d.message_id, d.body, d.attempts, d.target, \
                         d.conversation_id, d.url AS own_url) \
             SELECT c.*, COALESCE(w.url, NULLIF(b.outgoing_url, ''), c.own_url) AS url, \
                    COALESCE(w.secret_sealed, b.access_token_sealed) AS secret_sealed, w.disabled_reason \
             FROM claimed c \
             LEFT JOIN webhooks w ON c.target = 'webhook' AND w.account_id = c.account_id AND w.id = c.webhook_id \
             LEFT JOIN agent_bots b ON c.target = 'agent_bot' AND b.id = c.webhook_id",
        )
        .bind(claim)
        .bind(self.config.lease().as_secs_f64())
        .fetch_optional(&self.pool)
        .await?;
        Ok(job.map(|j| (claim, j)))
    }

    async fn deliver(&self, (claim, job): (Uuid, Job)) {
        let result = tokio::select! {
            done = self.attempt(claim, &job) => done,
            _ = self.shutdown.cancelled() => self.release(claim, &job).await,
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, delivery = %job.id, "webhook delivery bookkeeping failed");
        }
    }

    /// Gives a claimed message back at shutdown (it is sent again later).
    async fn release(&self, claim: Uuid, job: &Job) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE webhook_deliveries SET attempts = attempts - 1, claim = NULL, next_attempt_at = now() \
             WHERE account_id = $1 AND id = $2 AND claim = $3",
        )
        .bind(job.account_id)
        .bind(job.id)
        .bind(claim)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn attempt(&self, claim: Uuid, job: &Job) -> anyhow::Result<()> {
        // a rule's webhook event is unsigned, as upstream (a rule has no secret)
        let automation = job.target == "automation";
        let (Some(url), true) = (&job.url, automation || job.secret_sealed.is_some()) else {
            let gone =
                if job.to_bot() { "agent bot deleted or without outgoing_url" } else { "webhook deleted" };
            return self.finish(claim, job, "cancelled", gone).await;
        };
        if let Some(reason) = &job.disabled_reason {
            return self.finish(claim, job, "failed", &format!("webhook disabled: {reason}")).await;
        }
        if job.attempts > self.max_attempts(job) {
            return self.finish(claim, job, "failed", "attempts exhausted").await;
        }
        let started_at = Utc::now();
        let sent = match self.egress().target(url).await {
            Err(refused) => send::Sent { error: Some(refused.to_string()), ..send::Sent::default() },
            Ok(target) => {
                let headers = match &job.secret_sealed {
                    Some(sealed) if !automation => {
                        let secret = self.secrets().open(sealed).unwrap_or_default();
                        sign::headers(&secret, job.message_id, started_at.timestamp(), job.body.as_bytes())
                    }
                    _ => Vec::new(),
                };
                send::post(&target, &headers, &job.body, self.config.timeout).await
            }
        };
        let verdict = self.judge(job, &sent);
        self.record(claim, job, started_at, &sent, &verdict).await
    }

    fn max_attempts(&self, job: &Job) -> i32 {
        let webhook = self.config.schedule.max_attempts();
        if job.to_bot() {
            webhook.min(super::bots::BOT_ATTEMPTS)
        } else {
            webhook
        }
    }

    fn judge(&self, job: &Job, sent: &send::Sent) -> Verdict {
        match sent.status {
            Some(s) if (200..300).contains(&s) => return Verdict::Delivered,
            Some(410) if job.to_webhook() => {
                return Verdict::Failed { disable: Some("the endpoint answered 410 Gone".into()) }
            }
            _ => {}
        }
        let wait = match self.config.schedule.wait_after(job.attempts) {
            Some(_) if job.attempts >= self.max_attempts(job) => None,
            Some(wait) if job.to_bot() => Some(wait.min(super::bots::BOT_MAX_WAIT)),
            other => other,
        };
        let Some(wait) = wait else {
            return Verdict::Failed { disable: None };
        };
        let wait = match sent.retry_after {
            Some(asked) if matches!(sent.status, Some(429 | 503)) => {
                wait.max(asked).min(self.config.schedule.cap())
            }
            _ => wait,
        };
        Verdict::Retry(Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default())
    }

    async fn record(
        &self,
        claim: Uuid,
        job: &Job,
        started_at: DateTime<Utc>,
        sent: &send::Sent,
        verdict: &Verdict,
    ) -> anyhow::Result<()> {
        let (status, retry_at) = match verdict {
            Verdict::Delivered => ("delivered", None),
            Verdict::Retry(at) => ("pending", Some(*at)),
            Verdict::Failed { .. } => ("failed", None),
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO webhook_delivery_attempts (account_id, delivery_id, attempt, webhook_id, started_at, \
                                                    duration_ms, status_code, error, response_excerpt, retry_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
        )
        .bind(job.account_id)
        .bind(job.id)
        .bind(job.attempts)
        .bind(job.webhook_id)
        .bind(started_at)
        .bind(i32::try_from(sent.duration.as_millis()).unwrap_or(i32::MAX))
        .bind(sent.status.map(i32::from))
        .bind(&sent.error)
        .bind(&sent.excerpt)
        .bind(retry_at)
        .execute(&mut *tx)
        .await?;
        let owned = sqlx::query(
            "UPDATE webhook_deliveries SET status = $4, next_attempt_at = COALESCE($5, next_attempt_at), \
               last_status = $6, last_error = $7, claim = NULL, \
               finished_at = CASE WHEN $4 = 'pending' THEN NULL ELSE now() END \
             WHERE account_id = $1 AND id = $2 AND claim = $3",
        )
        .bind(job.account_id)
        .bind(job.id)
        .bind(claim)
        .bind(status)
        .bind(retry_at)
        .bind(sent.status.map(i32::from))
        .bind(&sent.error)
        .execute(&mut *tx)
        .await?;
        if owned.rows_affected() == 0 {
            // the webhook was deleted or disabled meanwhile; keep its verdict
            tx.rollback().await?;
            return Ok(());
        }
        if !job.to_webhook() {
            // bots and rules have no endpoint health: a failing bot hands
            // off instead
            tx.commit().await?;
            if let (Verdict::Failed { .. }, Some(conversation), true) =
                (verdict, job.conversation_id, job.to_bot())
            {
                super::bots::hand_off(&self.pool, &self.commands, job.account_id, conversation).await?;
            }
            return Ok(());
        }
        let failing_since: Option<DateTime<Utc>> = sqlx::query_scalar(
            "INSERT INTO webhook_endpoint_health AS h (account_id, webhook_id, failing_since, last_success_at) \
             VALUES ($1, $2, CASE WHEN $3 THEN NULL ELSE $4 END, CASE WHEN $3 THEN $4 END) \
             ON CONFLICT (account_id, webhook_id) DO UPDATE SET \
               failing_since = CASE WHEN $3 THEN NULL ELSE COALESCE(h.failing_since, $4) END, \
               last_success_at = CASE WHEN $3 THEN $4 ELSE h.last_success_at END \
             RETURNING failing_since",
        )
        .bind(job.account_id)
        .bind(job.webhook_id)
        .bind(matches!(verdict, Verdict::Delivered))
        .bind(started_at)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;

        let disable = match verdict {
            Verdict::Failed { disable: Some(reason) } => Some(reason.clone()),
            Verdict::Failed { disable: None } => failing_since
                .filter(|since| {
                    Utc::now() - *since
                        >= chrono::Duration::from_std(self.config.disable_after).unwrap_or_default()
                })
                .map(|since| {
                    format!("failing since {} without a successful delivery", super::payload::iso(since))
                }),
            _ => None,
        };
        if let Some(reason) = disable {
            let ctx = CommandContext::system();
            let (account, webhook) = (AccountId(job.account_id), WebhookId(job.webhook_id));
            webhooks::disable(&self.commands, &ctx, account, webhook, reason).await?;
        }
        Ok(())
    }

    /// Ends a message without sending it.
    async fn finish(&self, claim: Uuid, job: &Job, status: &str, why: &str) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE webhook_deliveries SET status = $4, last_error = $5, claim = NULL, finished_at = now(), \
               attempts = attempts - 1 \
             WHERE account_id = $1 AND id = $2 AND claim = $3",
        )
        .bind(job.account_id)
        .bind(job.id)
        .bind(claim)
        .bind(status)
        .bind(why)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

//! Running a matched rule's actions through the same command services the
//! API uses, as the rule (`Actor::AutomationRule`), in order, each one
//! against the conversation as it is now (reloaded before each action). A
//! refused action (e.g. an agent no longer in the account) is logged and
//! skipped, as upstream; an infrastructure failure fails the job, which is
//! retried — each action is idempotent per (rule, event): labels, assignee,
//! team, status and priority are set to a target (a repeat changes
//! nothing); messages carry an idempotency key; webhook messages a unique
//! message id.

use super::worker::Job;
use super::worker::CATCH_UP;
use crate::conversations::{ConversationRow, CONVERSATION_COLUMNS};
use crate::registry::Projections;
use onelink_commands::conversations::{self as commands, MessageInput, MessagePolicy};
use onelink_commands::{CommandContext, CommandError, Commands, LogPosition};
use onelink_domain::automation_rule::Action;
use onelink_domain::conversation::{
    Assignee, ContentType, ConversationCommand, MessageType, Priority, Status, StatusRequest, Toggler,
    DEFAULT_FLOOD_LIMIT,
};
use onelink_domain::ids::{AccountId, ConversationId, TeamId, UserId};
use onelink_domain::Actor;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

pub(super) async fn conversation(
    pool: &PgPool,
    account_id: i64,
    id: i64,
) -> Result<Option<ConversationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE account_id = $1 AND id = $2"
    ))
    .bind(account_id)
    .bind(id)
    .fetch_optional(pool)
    .await
}

fn first_text(params: &[Value]) -> Option<String> {
    params.first().and_then(|p| match p {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// `[id]`, `["nil"]`, `[0]`, `[]` → the id, or `None` (unassign).
fn target_id(params: &[Value]) -> Option<i64> {
    first_text(params).and_then(|s| s.trim().parse::<i64>().ok()).filter(|id| *id != 0)
}

pub(super) struct Runner<'a> {
    pub pool: &'a PgPool,
    pub projections: &'a Projections,
    pub commands: &'a Commands,
    pub job: &'a Job,
    pub rule_id: i64,
    pub event_name: &'a str,
}

impl Runner<'_> {
    fn ctx(&self) -> CommandContext {
        CommandContext::new(
            Actor::AutomationRule(self.rule_id),
            Some(format!("automation-{}", self.job.event_id)),
        )
    }

    /// Runs one action; `Ok(false)` when it was refused and skipped.
    pub async fn run(&self, index: usize, action: &Action) -> anyhow::Result<bool> {
        let account = AccountId(self.job.account_id);
        let Some(row) = conversation(self.pool, self.job.account_id, self.job.conversation_id).await? else {
            return Ok(false);
        };
        let id = ConversationId(row.id);
        let params = &action.action_params;
        let ctx = self.ctx();
        let c = self.commands;
        let status = |s: Status| StatusRequest { status: Some(s), snoozed_until: None };
        let result: Result<Option<LogPosition>, CommandError> = match action.action_name.as_str() {
            "add_label" | "remove_label" => {
                let names: Vec<String> =
                    params.iter().filter_map(|p| p.as_str()).map(|s| s.trim().to_owned()).collect();
                let mut labels = row.labels.clone();
                if action.action_name == "add_label" {
                    labels.extend(names.into_iter().filter(|n| !row.labels.contains(n)));
                } else {
                    labels.retain(|l| !names.contains(l));
                }
                commands::change(c, &ctx, account, id, || ConversationCommand::SetLabels(labels.clone()))
                    .await
                    .map(|o| o.position)
            }
            "assign_agent" => self.assign_agent(&ctx, &row, target_id(params)).await,
            "assign_team" => self.assign_team(&ctx, &row, target_id(params)).await,
            "change_priority" => {
                let priority = first_text(params).and_then(|p| Priority::parse(&p));
                commands::change(c, &ctx, account, id, || ConversationCommand::SetPriority(priority))
                    .await
                    .map(|o| o.position)
            }
            "change_status" => match first_text(params).and_then(|s| Status::parse(&s)) {
                Some(s) => commands::toggle_status(c, &ctx, account, id, status(s), Toggler::System)
                    .await
                    .map(|o| o.position),
                None => Ok(None),
            },
            "resolve_conversation" => {
                commands::toggle_status(c, &ctx, account, id, status(Status::Resolved), Toggler::System)
                    .await
                    .map(|o| o.position)
            }
            "open_conversation" => {
                commands::toggle_status(c, &ctx, account, id, status(Status::Open), Toggler::System)
                    .await
                    .map(|o| o.position)
            }
            "snooze_conversation" => {
                commands::toggle_status(c, &ctx, account, id, status(Status::Snoozed), Toggler::System)
                    .await
                    .map(|o| o.position)
            }
            "send_message" | "add_private_note" => {
                self.send_message(
                    &ctx,
                    &row,
                    index,
                    first_text(params),
                    action.action_name == "add_private_note",
                )
                .await
            }
            "send_webhook_event" => {
                return self.send_webhook(&row, index, first_text(params)).await.map(|()| true)
            }
            other => {
                tracing::warn!(rule = self.rule_id, action = other, "automation action not executed");
                return Ok(false);
            }
        };
        match result {
            Ok(position) => {
                // the next action reloads the conversation from the read
                // model: it must see this one's write
                if let Some(position) = position {
                    self.projections.wait_for(position, CATCH_UP).await?;
                }
                Ok(true)
            }
            Err(CommandError::Infra(e)) => Err(e),
            Err(CommandError::Concurrency) => Err(anyhow::anyhow!("conversation changed concurrently")),
            Err(refused) => {
                tracing::info!(rule = self.rule_id, action = %action.action_name, reason = %refused,
                    "automation action refused; skipped");
                Ok(false)
            }
        }
    }

    async fn assign_agent(
        &self,
        ctx: &CommandContext,
        row: &ConversationRow,
        user: Option<i64>,
    ) -> Result<Option<LogPosition>, CommandError> {
        let assignee = match user {
            None => None,
            Some(user) => {
                let agent = crate::platform::accounts::agent(self.pool, row.account_id, user)
                    .await
                    .map_err(anyhow::Error::from)?;
                let allowed = match &agent {
                    Some(a) if a.role == "administrator" => true,
                    Some(_) => {
                        crate::inboxes::query::is_member(self.pool, row.account_id, row.inbox_id, user)
                            .await
                            .map_err(anyhow::Error::from)?
                    }
                    None => false,
                };
                if !allowed {
                    return Err(CommandError::Rejected("assignee is not a member of the inbox".into()));
                }
                Some(Assignee::User(UserId(user)))
            }
        };
        let (account, id) = (AccountId(row.account_id), ConversationId(row.id));
        commands::change(self.commands, ctx, account, id, || ConversationCommand::Assign(assignee))
            .await
            .map(|o| o.position)
    }

    async fn assign_team(
        &self,
        ctx: &CommandContext,
        row: &ConversationRow,
        team: Option<i64>,
    ) -> Result<Option<LogPosition>, CommandError> {
        let team = match team {
            Some(team) => Some(
                crate::teams::query::find(self.pool, row.account_id, team)
                    .await
                    .map_err(anyhow::Error::from)?
                    .ok_or_else(|| CommandError::Rejected("team not found".into()))?,
            ),
            None => None,
        };
        let drop_assignee = match (&team, row.assignee_user_id) {
            (Some(t), Some(user)) => !crate::teams::query::is_member(self.pool, row.account_id, t.id, user)
                .await
                .map_err(anyhow::Error::from)?,
            _ => false,
        };
        let team_id = team.map(|t| TeamId(t.id));
        let (account, id) = (AccountId(row.account_id), ConversationId(row.id));
        commands::change(self.commands, ctx, account, id, || ConversationCommand::SetTeam {
            team_id,
            drop_assignee,
            auto_assignee: None,
        })
        .await
        .map(|o| o.position)
    }

    async fn send_message(
        &self,
        ctx: &CommandContext,
        row: &ConversationRow,
        index: usize,
        content: Option<String>,
        private: bool,
    ) -> Result<Option<LogPosition>, CommandError> {
        let Some(content) = content.filter(|c| !c.trim().is_empty()) else { return Ok(None) };
        let mut content_attributes = Map::new();
        content_attributes.insert("automation_rule_id".into(), json!(self.rule_id));
        let input = MessageInput {
            message_type: MessageType::Outgoing,
            content: Some(content),
            content_type: ContentType::Text,
            content_attributes,
            additional_attributes: Map::new(),
            private,
            sender: None,
            source_id: None,
            echo_id: None,
            attachments: Vec::new(),
            // one message per (rule, event, action), however often the job runs
            idempotency_key: Some(format!(
                "automation:{}:{}:{}:{index}",
                self.rule_id, self.job.event_id, self.job.event_name
            )),
        };
        let policy = MessagePolicy { reopen_as: Status::Open, flood_limit: DEFAULT_FLOOD_LIMIT };
        let (account, id) = (AccountId(row.account_id), ConversationId(row.id));
        commands::add_message(self.commands, ctx, account, id, input, policy, chrono::Utc::now())
            .await
            .map(|o| o.position)
    }

    /// Queues `ConversationPush + event` for the rule's URL in the webhook
    /// outbox (`target = 'automation'`, unsigned, SSRF-checked at delivery).
    async fn send_webhook(
        &self,
        row: &ConversationRow,
        index: usize,
        url: Option<String>,
    ) -> anyhow::Result<()> {
        let Some(url) = url.filter(|u| !u.trim().is_empty()) else { return Ok(()) };
        let mut conn = self.pool.acquire().await?;
        let last_chat: Option<crate::conversations::MessageRow> = sqlx::query_as(&format!(
            "SELECT {} FROM messages WHERE account_id = $1 AND conversation_id = $2 AND message_type <> 2 \
               AND NOT private AND NOT deleted ORDER BY id DESC LIMIT 1",
            crate::conversations::MESSAGE_COLUMNS
        ))
        .bind(row.account_id)
        .bind(row.id)
        .fetch_optional(&mut *conn)
        .await?;
        let mut body =
            crate::webhooks::payload::conversation_push(&mut conn, row, last_chat.as_ref()).await?;
        body.insert("event".into(), Value::String(format!("automation_event.{}", self.event_name)));
        let name = format!("{}:{}:{}:{index}", self.rule_id, self.job.event_id, self.job.event_name);
        // stable per (rule, event, action): a re-run enqueues nothing new
        let digest = Sha256::digest(name.as_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        let message_id = uuid::Builder::from_custom_bytes(bytes).into_uuid();
        sqlx::query(
            "INSERT INTO webhook_deliveries (account_id, id, webhook_id, message_id, event_id, event_position, \
                                             event_name, body, origin, target, conversation_id, url) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'live', 'automation', $9, $10) ON CONFLICT DO NOTHING",
        )
        .bind(row.account_id)
        .bind(Uuid::now_v7())
        .bind(self.rule_id)
        .bind(message_id)
        .bind(self.job.event_id)
        .bind(self.job.event_position)
        .bind(format!("automation_event.{}", self.event_name))
        .bind(Value::Object(body).to_string())
        .bind(row.id)
        .bind(url)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}

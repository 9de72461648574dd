//! Agent-bot delivery through the webhook outbox (upstream
//! `AgentBotListener`): the outbox routes conversation events to the bot
//! of the conversation's inbox and to a bot the conversation is assigned
//! to (once each), as `target = 'agent_bot'` rows; the workers send them
//! to the bot's `outgoing_url` through the same egress guard. A bot that
//! keeps failing hands a pending conversation over to humans (status
//! open), as the upstream does.

use super::payload::{bot_messages, Message};
use crate::conversations::status_code;
use crate::log::RecordedEvent;
use cqrs_es::Aggregate;
use onelink_commands::{conversations, CommandContext, Commands};
use onelink_domain::conversation::{Status, StatusRequest, Toggler};
use onelink_domain::ids::{AccountId, ConversationId};
use onelink_domain::inbox::{Inbox, InboxEvent};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Attempts a bot message gets (upstream: 3) before the hand-off.
pub const BOT_ATTEMPTS: i32 = 3;
/// The longest wait between two attempts to a bot (upstream: 3 s).
pub const BOT_MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Keeps `agent_bot_routes` in step with the inbox bindings, in log order.
pub(crate) async fn route(conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
    let (Some(account_id), true) = (e.account_id, e.is(Inbox::TYPE)) else { return Ok(()) };
    let inbox_id = e.numeric_id()?;
    let bot = match e.decode::<InboxEvent>()? {
        InboxEvent::InboxAgentBotSet { agent_bot_id } => agent_bot_id.map(|b| b.0),
        InboxEvent::InboxDeleted => None,
        _ => return Ok(()),
    };
    match bot {
        Some(bot) => {
            sqlx::query(
                "INSERT INTO agent_bot_routes (account_id, inbox_id, agent_bot_id) VALUES ($1, $2, $3) \
                 ON CONFLICT (account_id, inbox_id) DO UPDATE SET agent_bot_id = EXCLUDED.agent_bot_id",
            )
            .bind(account_id)
            .bind(inbox_id)
            .bind(bot)
            .execute(conn)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM agent_bot_routes WHERE account_id = $1 AND inbox_id = $2")
                .bind(account_id)
                .bind(inbox_id)
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

/// Queues the bot messages of a conversation event.
pub(crate) async fn enqueue(conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
    let Some(account_id) = e.account_id else { return Ok(()) };
    if !e.is(onelink_domain::conversation::Conversation::TYPE)
        || !matches!(
            e.event_type.as_str(),
            "MessageCreated" | "MessageStatusChanged" | "MessageDeleted" | "ConversationStatusChanged"
        )
    {
        return Ok(());
    }
    // no bot can be concerned: skip the fold
    let any_bot: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM agent_bot_routes WHERE account_id = $1) \
             OR EXISTS (SELECT 1 FROM agent_bots WHERE account_id = $1)",
    )
    .bind(account_id)
    .fetch_one(&mut *conn)
    .await?;
    if !any_bot {
        return Ok(());
    }
    let Some(out) = bot_messages(conn, e).await? else { return Ok(()) };
    let inbox_bot: Option<i64> = sqlx::query_scalar(
        "SELECT agent_bot_id FROM agent_bot_routes WHERE account_id = $1 AND inbox_id = $2",
    )
    .bind(account_id)
    .bind(out.inbox_id)
    .fetch_optional(&mut *conn)
    .await?;
    let mut bots: Vec<i64> = inbox_bot.into_iter().collect();
    if let Some(assigned) = out.assignee_bot.filter(|b| !bots.contains(b)) {
        bots.push(assigned);
    }
    for bot in bots {
        for m in &out.messages {
            insert(conn, e, account_id, bot, out.conversation_id, m).await?;
        }
    }
    Ok(())
}

async fn insert(
    conn: &mut PgConnection,
    e: &RecordedEvent,
    account_id: i64,
    bot: i64,
    conversation_id: i64,
    m: &Message,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO webhook_deliveries (account_id, id, webhook_id, message_id, event_id, event_position, \
                                         event_name, body, origin, target, conversation_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'live', 'agent_bot', $9) ON CONFLICT DO NOTHING",
    )
    .bind(account_id)
    .bind(Uuid::now_v7())
    .bind(bot)
    .bind(m.message_id)
    .bind(e.event_id)
    .bind(e.global_position)
    .bind(m.name)
    .bind(&m.body)
    .bind(conversation_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// After a bot's last failed attempt: a conversation still pending goes to
/// humans (the upstream's "marked open by system due to an error with the
/// agent bot").
pub(crate) async fn hand_off(
    pool: &PgPool,
    commands: &Commands,
    account_id: i64,
    conversation_id: i64,
) -> anyhow::Result<()> {
    let status: Option<i16> =
        sqlx::query_scalar("SELECT status FROM conversations WHERE account_id = $1 AND id = $2")
            .bind(account_id)
            .bind(conversation_id)
            .fetch_optional(pool)
            .await?;
    if status != Some(status_code(Status::Pending)) {
        return Ok(());
    }
    let request = StatusRequest { status: Some(Status::Open), snoozed_until: None };
    let ctx = CommandContext::system();
    let (account, id) = (AccountId(account_id), ConversationId(conversation_id));
    conversations::toggle_status(commands, &ctx, account, id, request, Toggler::System).await?;
    Ok(())
}

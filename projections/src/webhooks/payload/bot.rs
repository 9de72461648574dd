//! What agent bots receive (upstream `AgentBotListener`): `message_created`
//! and `message_updated` (incoming, outgoing and template messages, private
//! notes and the bot's own messages included — bots filter on
//! `message_type` / `sender.type`), `conversation_opened` and
//! `conversation_resolved` (ConversationPush + `event`). No
//! `conversation_created`. Payloads are the webhook payloads.

use super::conversation::{fold, with_event};
use super::conversation_json::{conversation_push, message_webhook};
use super::{account_json, Message};
use crate::log::RecordedEvent;
use cqrs_es::Aggregate;
use onelink_domain::conversation::{Conversation, ConversationEvent, Status};
use sqlx::PgConnection;

/// The bot messages of one conversation event, and whom they may reach.
pub struct BotMessages {
    pub conversation_id: i64,
    pub inbox_id: i64,
    /// The conversation's assigned bot, if a bot is its assignee.
    pub assignee_bot: Option<i64>,
    pub messages: Vec<Message>,
}

/// The bot event name of `event`, and the message it is about.
fn name_of(event: &ConversationEvent) -> Option<(&'static str, Option<i64>)> {
    match event {
        ConversationEvent::MessageCreated(m) => Some(("message_created", Some(m.id.0))),
        ConversationEvent::MessageStatusChanged { message_id, .. }
        | ConversationEvent::MessageDeleted { message_id } => Some(("message_updated", Some(message_id.0))),
        ConversationEvent::ConversationStatusChanged { status: Status::Open, .. } => {
            Some(("conversation_opened", None))
        }
        ConversationEvent::ConversationStatusChanged { status: Status::Resolved, .. } => {
            Some(("conversation_resolved", None))
        }
        _ => None,
    }
}

/// `None` when the event means nothing to bots.
pub async fn bot_messages(
    conn: &mut PgConnection,
    event: &RecordedEvent,
) -> anyhow::Result<Option<BotMessages>> {
    if !event.is(Conversation::TYPE) {
        return Ok(None);
    }
    let Some((name, message_id)) = name_of(&event.decode::<ConversationEvent>()?) else { return Ok(None) };
    let folded = fold(conn, event, message_id).await?;
    let Some(after) = folded.after else { return Ok(None) };
    let push = conversation_push(conn, &after, folded.last_chat.as_ref()).await?;
    let payload = match message_id {
        Some(_) => {
            // activity messages reach no bot
            let Some(message) = folded.message.filter(|m| m.message_type != 2) else { return Ok(None) };
            let account = account_json(conn, after.account_id).await?;
            message_webhook(conn, &account, &message, push).await?
        }
        None => push,
    };
    let body = serde_json::to_string(&with_event(payload, name))?;
    Ok(Some(BotMessages {
        conversation_id: after.id,
        inbox_id: after.inbox_id,
        assignee_bot: after.assignee_bot_id,
        messages: vec![Message { name, message_id: event.event_id, body }],
    }))
}

//! A realistic conversation log for rebuild measurements: each
//! conversation is created, gets 10 messages (alternating contact and
//! agent, a sentence of text each, ≈ 0.5 kB per event as stored) and is
//! resolved — 12 events, appended in bulk through `EventStore::append`
//! exactly as the command path stores them.

use chrono::{DateTime, Duration as Span, Utc};
use cqrs_es::{Aggregate, DomainEvent};
use onelink_commands::store::{encode_event, NewEvent, StreamAppend};
use onelink_commands::{CommandContext, Commands};
use onelink_domain::conversation::{
    Assignee, ContentType, Conversation, ConversationEvent, MessageStatus, MessageType, NewMessage, Sender,
    Status,
};
use onelink_domain::ids::{AccountId, ContactId, ConversationId, DisplayId, InboxId, MessageId, UserId};

pub const LINES: [&str; 4] = [
    "Hi, I ordered a pair of shoes last week and the tracking page still says the parcel is being prepared.",
    "Thanks for reaching out! Let me look up your order; could you confirm the e-mail address you used?",
    "Sure, it is the same address as this chat. The order number starts with 4471 if that helps at all.",
    "Found it: the parcel left our warehouse this morning, you should get an e-mail with the tracking link.",
];

pub fn origin() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

fn conversation_events(account: AccountId, id: i64, at: DateTime<Utc>) -> Vec<ConversationEvent> {
    let agent = UserId(id % 20 + 1);
    let mut events = vec![ConversationEvent::ConversationCreated {
        id: ConversationId(id),
        account_id: account,
        display_id: DisplayId(id),
        uuid: format!("bench-{}-{id}", account.0),
        inbox_id: InboxId(1),
        contact_id: ContactId(id),
        source_id: None,
        status: Status::Open,
        snoozed_until: None,
        priority: None,
        assignee: Some(Assignee::User(agent)),
        team_id: None,
        additional_attributes: Default::default(),
        custom_attributes: Default::default(),
        created_at: at,
    }];
    for k in 0..10 {
        let content = LINES[(k % 4) as usize].to_owned();
        events.push(text_message(
            id * 100 + k,
            k % 2 == 0,
            content,
            ContactId(id),
            agent,
            at + Span::minutes(5 * k),
        ));
    }
    events.push(ConversationEvent::ConversationStatusChanged {
        status: Status::Resolved,
        snoozed_until: None,
        bot_handoff: false,
    });
    events
}

/// A sent text message: incoming from the contact or outgoing from the agent.
pub fn text_message(
    id: i64,
    incoming: bool,
    content: String,
    contact: ContactId,
    agent: UserId,
    at: DateTime<Utc>,
) -> ConversationEvent {
    ConversationEvent::MessageCreated(NewMessage {
        id: MessageId(id),
        message_type: if incoming { MessageType::Incoming } else { MessageType::Outgoing },
        content: Some(content),
        content_type: ContentType::Text,
        content_attributes: Default::default(),
        additional_attributes: Default::default(),
        private: false,
        sender: Some(if incoming { Sender::Contact(contact) } else { Sender::User(agent) }),
        source_id: None,
        echo_id: None,
        status: MessageStatus::Sent,
        created_at: at,
        idempotency_key: None,
        attachments: Vec::new(),
    })
}

/// Appends conversations `first_id ..< first_id + count` of `account`, 200
/// streams per append; returns the number of events.
pub async fn append(
    commands: &Commands,
    account: AccountId,
    first_id: i64,
    count: i64,
) -> anyhow::Result<u64> {
    let mut written = 0u64;
    let ids: Vec<i64> = (first_id..first_id + count).collect();
    for chunk in ids.chunks(200) {
        let mut appends = Vec::with_capacity(chunk.len());
        for &id in chunk {
            let at = origin() + Span::minutes(id);
            let events = conversation_events(account, id, at);
            written += events.len() as u64;
            appends.push(stream_append(account, id, 0, &events)?);
        }
        commands.store.append(&appends, &CommandContext::system()).await?;
    }
    Ok(written)
}

/// `events` for conversation `id`'s stream after `expected_version`,
/// encoded exactly as the command path stores them.
pub fn stream_append(
    account: AccountId,
    id: i64,
    expected_version: i64,
    events: &[ConversationEvent],
) -> anyhow::Result<StreamAppend> {
    let events = events
        .iter()
        .map(|e| {
            let (event_type, payload) = encode_event(e)?;
            Ok(NewEvent { event_type, event_version: e.event_version(), payload })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(StreamAppend {
        aggregate_type: Conversation::TYPE,
        aggregate_id: id.to_string(),
        account_id: Some(account.0),
        expected_version,
        events,
    })
}

//! Conversations and their messages. The API resolves what needs read
//! models (inbox membership, contact inbox, whether a bot handles the
//! inbox, team membership) and passes the facts in.

use crate::execute::{create_stream, execute};
use crate::ids::{next_display_id, next_id, IdSequence};
use crate::{CommandContext, CommandError, Commands, Outcome};
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_domain::conversation::{
    Assignee, AttachmentRef, BlobRef, ContentType, Conversation, ConversationCommand, FileType,
    MessageStatus, MessageType, NewConversation, NewMessage, Priority, Sender, Status, StatusRequest,
    Thumbnail, Toggler,
};
use onelink_domain::ids::{
    AccountId, AttachmentId, ContactId, ConversationId, DisplayId, InboxId, MessageId, TeamId, UserId,
};
use serde_json::{Map, Value};

/// A message as a client asked for it.
#[derive(Debug, Clone)]
pub struct MessageInput {
    pub message_type: MessageType,
    pub content: Option<String>,
    pub content_type: ContentType,
    pub content_attributes: Map<String, Value>,
    pub additional_attributes: Map<String, Value>,
    pub private: bool,
    pub sender: Option<Sender>,
    pub source_id: Option<String>,
    pub echo_id: Option<String>,
    /// The client's `Idempotency-Key` (validated by the API).
    pub idempotency_key: Option<String>,
    /// Files already stored in the blob store.
    pub attachments: Vec<NewAttachment>,
}

/// A file of a new message, stored before the command runs (a refused
/// command leaves an unreferenced blob, which is harmless: blobs are
/// content-addressed and never overwritten).
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub blob: BlobRef,
    pub content_type: String,
    pub file_name: String,
    pub thumbnail: Option<Thumbnail>,
}

/// A conversation as the API resolved it.
#[derive(Debug, Clone)]
pub struct ConversationInput {
    pub account_id: AccountId,
    pub inbox_id: InboxId,
    pub contact_id: ContactId,
    pub source_id: Option<String>,
    pub status: Status,
    pub snoozed_until: Option<DateTime<Utc>>,
    pub priority: Option<Priority>,
    pub assignee: Option<Assignee>,
    pub team_id: Option<TeamId>,
    pub additional_attributes: Map<String, Value>,
    pub custom_attributes: Map<String, Value>,
    pub message: Option<MessageInput>,
}

async fn new_message(
    c: &Commands,
    input: MessageInput,
    now: DateTime<Utc>,
) -> Result<NewMessage, CommandError> {
    let id = MessageId(next_id(c.store.pool(), IdSequence::Message).await.map_err(anyhow::Error::from)?);
    let mut attachments = Vec::with_capacity(input.attachments.len());
    for a in input.attachments {
        let attachment_id =
            AttachmentId(next_id(c.store.pool(), IdSequence::Attachment).await.map_err(anyhow::Error::from)?);
        attachments.push(AttachmentRef {
            id: attachment_id,
            file_type: FileType::of_content_type(&a.content_type),
            blob: a.blob,
            content_type: a.content_type,
            file_name: a.file_name,
            thumbnail: a.thumbnail,
        });
    }
    Ok(NewMessage {
        id,
        message_type: input.message_type,
        content: input.content,
        content_type: input.content_type,
        content_attributes: input.content_attributes,
        additional_attributes: input.additional_attributes,
        private: input.private,
        sender: input.sender,
        source_id: input.source_id,
        echo_id: input.echo_id,
        status: MessageStatus::Sent,
        created_at: now,
        idempotency_key: input.idempotency_key,
        attachments,
    })
}

/// The created conversation's global id and display id.
pub async fn create(
    c: &Commands,
    ctx: &CommandContext,
    input: ConversationInput,
    now: DateTime<Utc>,
) -> Result<Outcome<(ConversationId, DisplayId)>, CommandError> {
    let pool = c.store.pool();
    let id = ConversationId(next_id(pool, IdSequence::Conversation).await.map_err(anyhow::Error::from)?);
    let display_id = DisplayId(next_display_id(pool, input.account_id.0).await.map_err(anyhow::Error::from)?);
    let message = match input.message {
        Some(m) => Some(new_message(c, m, now).await?),
        None => None,
    };
    let new = NewConversation {
        id,
        account_id: input.account_id,
        display_id,
        uuid: uuid::Uuid::new_v4().to_string(),
        inbox_id: input.inbox_id,
        contact_id: input.contact_id,
        source_id: input.source_id,
        status: input.status,
        snoozed_until: input.snoozed_until,
        priority: input.priority,
        assignee: input.assignee,
        team_id: input.team_id,
        additional_attributes: input.additional_attributes,
        custom_attributes: input.custom_attributes,
        created_at: now,
        message,
    };
    let done =
        create_stream::<Conversation, _>(&c.store, &id.to_string(), Some(input.account_id.0), ctx, || {
            ConversationCommand::Create(Box::new(new))
        })
        .await?;
    Ok(Outcome { value: (id, display_id), position: done.position })
}

/// Runs a command against an existing conversation (with retries on
/// concurrent writes); returns the state after it.
pub async fn change(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: ConversationId,
    command: impl Fn() -> ConversationCommand,
) -> Result<Outcome<Conversation>, CommandError> {
    let done =
        execute::<Conversation, _>(&c.store, &id.to_string(), Some(account_id.0), ctx, command).await?;
    Ok(Outcome { value: done.state, position: done.position })
}

pub async fn toggle_status(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: ConversationId,
    request: StatusRequest,
    by: Toggler,
) -> Result<Outcome<Conversation>, CommandError> {
    change(c, ctx, account_id, id, || ConversationCommand::ToggleStatus { request, by }).await
}

/// How a new message affects its conversation.
#[derive(Debug, Clone, Copy)]
pub struct MessagePolicy {
    /// Status an incoming message reopens a resolved/snoozed conversation to.
    pub reopen_as: Status,
    /// Messages allowed per conversation per minute.
    pub flood_limit: usize,
}

/// The message a create answered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddedMessage {
    pub id: MessageId,
    /// The idempotency key was known: `id` is the message created the first
    /// time, and nothing was written now.
    pub replayed: bool,
}

/// Adds a message; returns its id. A replayed idempotency key returns the
/// original message's id and the stream's head position (so the caller
/// waits until the original is visible).
pub async fn add_message(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: ConversationId,
    input: MessageInput,
    policy: MessagePolicy,
    now: DateTime<Utc>,
) -> Result<Outcome<AddedMessage>, CommandError> {
    let key = input.idempotency_key.clone();
    let message = new_message(c, input, now).await?;
    let message_id = message.id;
    let done = change(c, ctx, account_id, id, || ConversationCommand::AddMessage {
        message: Box::new(message.clone()),
        reopen_as: policy.reopen_as,
        flood_limit: policy.flood_limit,
    })
    .await?;
    let original = key.as_deref().and_then(|k| done.value.message_for_key(k)).unwrap_or(message_id);
    if original == message_id {
        return Ok(Outcome {
            value: AddedMessage { id: message_id, replayed: false },
            position: done.position,
        });
    }
    let head = c.store.stream_head(Conversation::TYPE, &id.to_string()).await.map_err(anyhow::Error::from)?;
    Ok(Outcome { value: AddedMessage { id: original, replayed: true }, position: head })
}

/// Soft-deletes a message the caller found in this conversation.
pub async fn delete_message(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: ConversationId,
    message_id: MessageId,
) -> Result<Outcome<Conversation>, CommandError> {
    change(c, ctx, account_id, id, || ConversationCommand::DeleteMessage { message_id }).await
}

/// The assignee a user id means in `assignments` (unassign on `None`).
pub fn user_assignee(user: Option<UserId>) -> Option<Assignee> {
    user.map(Assignee::User)
}

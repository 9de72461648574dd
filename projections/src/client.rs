//! Read queries of the Client API (`/public/api/v1/inboxes/…`) and of the
//! realtime fan-out: contacts by identity, a contact inbox's
//! conversations, principals by websocket token, and who may see an inbox.
//! Every query but the token look-ups is keyed by account first.

use crate::contact_inboxes::ContactInboxRow;
use crate::conversations::{ConversationRow, MessageRow, CONVERSATION_COLUMNS, MESSAGE_COLUMNS};
use sqlx::PgExecutor;

/// The account contact a Client API create reuses: matched by identifier
/// (exact), then e-mail (case-insensitive), then phone number (exact).
pub async fn contact_by_identity(
    db: impl PgExecutor<'_>,
    account_id: i64,
    identifier: Option<&str>,
    email: Option<&str>,
    phone_number: Option<&str>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM contacts WHERE account_id = $1 AND ( \
            ($2::text IS NOT NULL AND identifier = $2) \
         OR ($3::text IS NOT NULL AND lower(email) = lower($3)) \
         OR ($4::text IS NOT NULL AND phone_number = $4)) \
         ORDER BY (identifier IS NOT DISTINCT FROM $2) DESC, \
                  (lower(email) IS NOT DISTINCT FROM lower($3)) DESC, id LIMIT 1",
    )
    .bind(account_id)
    .bind(identifier)
    .bind(email)
    .bind(phone_number)
    .fetch_optional(db)
    .await
}

/// The conversations of a contact inbox, oldest first.
pub async fn conversations_of(
    db: impl PgExecutor<'_>,
    account_id: i64,
    inbox_id: i64,
    source_id: &str,
) -> Result<Vec<ConversationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE account_id = $1 AND inbox_id = $2 \
         AND source_id = $3 ORDER BY id"
    ))
    .bind(account_id)
    .bind(inbox_id)
    .bind(source_id)
    .fetch_all(db)
    .await
}

/// Every conversation of a contact in the account, oldest first (the
/// scope of an identity-verified session).
pub async fn conversations_of_contact(
    db: impl PgExecutor<'_>,
    account_id: i64,
    contact_id: i64,
) -> Result<Vec<ConversationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE account_id = $1 AND contact_id = $2 ORDER BY id"
    ))
    .bind(account_id)
    .bind(contact_id)
    .fetch_all(db)
    .await
}

/// A conversation by its global id.
pub async fn conversation_by_id(
    db: impl PgExecutor<'_>,
    account_id: i64,
    id: i64,
) -> Result<Option<ConversationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE account_id = $1 AND id = $2"
    ))
    .bind(account_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The contact inbox whose websocket token has this digest.
pub async fn contact_inbox_by_token(
    db: impl PgExecutor<'_>,
    token_digest: &str,
) -> Result<Option<ContactInboxRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, account_id, contact_id, inbox_id, source_id, pubsub_token_sealed, hmac_verified, created_at \
         FROM contact_inboxes WHERE pubsub_token_digest = $1",
    )
    .bind(token_digest)
    .fetch_optional(db)
    .await
}

/// Whether user `user_id` has this websocket token digest and is a member
/// of `account_id` (of a live account).
pub async fn user_subscribes(
    db: impl PgExecutor<'_>,
    account_id: i64,
    user_id: i64,
    token_digest: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users u JOIN account_users au ON au.user_id = u.id \
         WHERE au.account_id = $1 AND u.id = $2 AND u.pubsub_token_digest = $3)",
    )
    .bind(account_id)
    .bind(user_id)
    .bind(token_digest)
    .fetch_one(db)
    .await
}

/// The users who see an inbox's conversations: its standing members and
/// every administrator of the account (upstream recipient set "U").
pub async fn inbox_audience(
    db: impl PgExecutor<'_>,
    account_id: i64,
    inbox_id: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT au.user_id FROM account_users au WHERE au.account_id = $1 AND au.role = 'administrator' \
         UNION \
         SELECT m.user_id FROM inbox_members m JOIN account_users au \
           ON au.account_id = m.account_id AND au.user_id = m.user_id AND au.id = m.account_user_id \
         WHERE m.account_id = $1 AND m.inbox_id = $2",
    )
    .bind(account_id)
    .bind(inbox_id)
    .fetch_all(db)
    .await
}

/// Every public message of a conversation (no private notes, no activity
/// messages), oldest first: the Client API embeds them all.
pub async fn public_messages(
    db: impl PgExecutor<'_>,
    account_id: i64,
    conversation_ids: &[i64],
) -> Result<Vec<MessageRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages WHERE account_id = $1 AND conversation_id = ANY($2) \
         AND NOT private AND message_type <> 2 ORDER BY conversation_id, id"
    ))
    .bind(account_id)
    .bind(conversation_ids)
    .fetch_all(db)
    .await
}

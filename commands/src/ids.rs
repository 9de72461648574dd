//! Allocation of the public numeric ids from Postgres sequences. Gaps (from
//! refused commands) are harmless; ids are never reused.

use sqlx::PgPool;

#[derive(Debug, Clone, Copy)]
pub enum IdSequence {
    Account,
    User,
    AccountUser,
    PlatformApp,
    AgentBot,
    Conversation,
    Message,
    Attachment,
    ContactInbox,
    Team,
    Inbox,
    Channel,
    Contact,
    CannedResponse,
    CustomAttributeDefinition,
    CustomFilter,
    Portal,
    Category,
    Article,
    Webhook,
    Label,
    AutomationRule,
}

impl IdSequence {
    fn name(self) -> &'static str {
        match self {
            IdSequence::Account => "account_ids",
            IdSequence::User => "user_ids",
            IdSequence::AccountUser => "account_user_ids",
            IdSequence::PlatformApp => "platform_app_ids",
            IdSequence::AgentBot => "agent_bot_ids",
            IdSequence::Conversation => "conversation_ids",
            IdSequence::Message => "message_ids",
            IdSequence::Attachment => "attachment_ids",
            IdSequence::ContactInbox => "contact_inbox_ids",
            IdSequence::Team => "team_ids",
            IdSequence::Inbox => "inbox_ids",
            IdSequence::Channel => "channel_ids",
            IdSequence::Contact => "contact_ids",
            IdSequence::CannedResponse => "canned_response_ids",
            IdSequence::CustomAttributeDefinition => "custom_attribute_definition_ids",
            IdSequence::CustomFilter => "custom_filter_ids",
            IdSequence::Portal => "portal_ids",
            IdSequence::Category => "category_ids",
            IdSequence::Article => "article_ids",
            IdSequence::Webhook => "webhook_ids",
            IdSequence::Label => "label_ids",
            IdSequence::AutomationRule => "automation_rule_ids",
        }
    }
}

pub async fn next_id(pool: &PgPool, sequence: IdSequence) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT nextval($1::regclass)").bind(sequence.name()).fetch_one(pool).await
}

/// The next per-account conversation number. A counter row per account,
/// incremented in its own transaction (committed before the conversation's
/// event), so numbers are unique; a refused command leaves a gap.
pub async fn next_display_id(pool: &PgPool, account_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO conversation_display_ids (account_id, last_value) VALUES ($1, 1) \
         ON CONFLICT (account_id) DO UPDATE SET last_value = conversation_display_ids.last_value + 1 \
         RETURNING last_value",
    )
    .bind(account_id)
    .fetch_one(pool)
    .await
}

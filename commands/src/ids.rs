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
    Contact,
}

impl IdSequence {
    fn name(self) -> &'static str {
        match self {
            IdSequence::Account => "account_ids",
            IdSequence::User => "user_ids",
            IdSequence::AccountUser => "account_user_ids",
            IdSequence::PlatformApp => "platform_app_ids",
            IdSequence::AgentBot => "agent_bot_ids",
            IdSequence::Contact => "contact_ids",
        }
    }
}

pub async fn next_id(pool: &PgPool, sequence: IdSequence) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT nextval($1::regclass)").bind(sequence.name()).fetch_one(pool).await
}

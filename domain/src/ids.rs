//! Typed numeric identifiers. Upstream clients see plain integers; inside
//! OneLink an `AccountId` can never be passed where a `UserId` is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! numeric_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<i64> for $name {
            fn from(value: i64) -> Self {
                Self(value)
            }
        }
    )*};
}

numeric_id!(
    /// An account (tenant).
    AccountId,
    /// An installation-wide user.
    UserId,
    /// A user's membership of an account (upstream `account_users.id`).
    AccountUserId,
    /// A platform app (installation admin integration).
    PlatformAppId,
    /// An agent bot (installation-wide or account-scoped).
    AgentBotId,
    /// An inbox of an account.
    InboxId,
    /// The channel behind an inbox (upstream `channel_id`, one sequence for
    /// every channel kind).
    ChannelId,
    /// A team of agents within an account.
    TeamId,
    /// A contact (customer) of an account.
    ContactId,
    /// A conversation's global id (its stream); clients see `display_id`.
    ConversationId,
    /// A conversation's per-account public number.
    DisplayId,
    /// A message.
    MessageId,
    /// A file attached to a message.
    AttachmentId,
    /// A canned response (saved reply) of an account.
    CannedResponseId,
    /// A custom attribute definition of an account.
    CustomAttributeDefinitionId,
    /// A saved filter (custom view) of one user in one account.
    CustomFilterId,
    /// A help center portal of an account.
    PortalId,
    /// A help center category (of one portal, in one locale).
    CategoryId,
    /// A help center article.
    ArticleId,
    /// An account webhook (an outgoing HTTP endpoint).
    WebhookId,
    /// A label of an account's label catalogue.
    LabelId,
    /// An automation rule of an account.
    AutomationRuleId,
);

/// A connected account (seed 004): a UUID, both its public id and its
/// stream id. Version 7, so ids sort in creation order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConnectedAccountId(pub uuid::Uuid);

impl fmt::Display for ConnectedAccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

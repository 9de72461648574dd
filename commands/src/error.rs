//! One error type for every command service, by meaning. The API maps each
//! variant to its family's status code and JSON shape.

use onelink_domain::account::AccountError;
use onelink_domain::agent_bot::AgentBotError;
use onelink_domain::automation_rule::AutomationRuleError;
use onelink_domain::canned_response::CannedResponseError;
use onelink_domain::connected_account::ConnectedAccountError;
use onelink_domain::contact::{ContactClaimError, ContactError};
use onelink_domain::contact_inbox::ContactInboxError;
use onelink_domain::conversation::ConversationError;
use onelink_domain::custom_attribute::CustomAttributeError;
use onelink_domain::custom_filter::{CustomFilterError, QuotaError};
use onelink_domain::email_claim::EmailClaimError;
use onelink_domain::help_center::EntryError;
use onelink_domain::inbox::InboxError;
use onelink_domain::label::LabelError;
use onelink_domain::platform_app::PlatformAppError;
use onelink_domain::team::{TeamError, TeamNameClaimError};
use onelink_domain::unique_claim::UniqueClaimError;
use onelink_domain::user::UserError;
use onelink_domain::webhook::{WebhookError, WebhookUrlClaimError};
use onelink_domain::Violations;

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The aggregate does not exist (or was deleted).
    #[error("not found")]
    NotFound,
    /// Field validation failed (422 `{message, attributes}`).
    #[error("{0}")]
    Invalid(Violations),
    /// A business rule refused the command (422 `{error}`).
    #[error("{0}")]
    Rejected(String),
    /// The credentials presented to the command are not valid.
    #[error("{0}")]
    Unauthenticated(String),
    /// The command names something the caller may not touch (the upstream
    /// answers these with 401 `{error}`).
    #[error("{0}")]
    NotPermitted(String),
    /// Optimistic concurrency kept failing after bounded retries.
    #[error("the resource was changed concurrently, retry the request")]
    Concurrency,
    #[error(transparent)]
    Infra(#[from] anyhow::Error),
}

impl From<StoreFailure> for CommandError {
    fn from(e: StoreFailure) -> Self {
        match e {
            StoreFailure::Conflict => CommandError::Concurrency,
            StoreFailure::Database(e) => CommandError::Infra(e.into()),
            StoreFailure::Corrupt(msg) => CommandError::Infra(anyhow::anyhow!(msg)),
        }
    }
}

pub use crate::store::StoreFailure;

impl From<AccountError> for CommandError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::NotFound | AccountError::NotAMember => CommandError::NotFound,
            AccountError::AlreadyExists => CommandError::Rejected(e.to_string()),
            AccountError::Invalid(v) => CommandError::Invalid(v),
        }
    }
}

impl From<UserError> for CommandError {
    fn from(e: UserError) -> Self {
        match e {
            UserError::NotFound => CommandError::NotFound,
            UserError::AlreadyExists => CommandError::Rejected(e.to_string()),
            UserError::Invalid(v) => CommandError::Invalid(v),
            UserError::InvalidSsoToken => CommandError::Unauthenticated(e.to_string()),
        }
    }
}

impl From<EmailClaimError> for CommandError {
    fn from(e: EmailClaimError) -> Self {
        CommandError::Invalid(Violations::single("email", e.to_string()))
    }
}

impl From<PlatformAppError> for CommandError {
    fn from(e: PlatformAppError) -> Self {
        match e {
            PlatformAppError::NotFound => CommandError::NotFound,
            PlatformAppError::AlreadyExists => CommandError::Rejected(e.to_string()),
            PlatformAppError::Invalid(v) => CommandError::Invalid(v),
        }
    }
}

impl From<AgentBotError> for CommandError {
    fn from(e: AgentBotError) -> Self {
        match e {
            AgentBotError::NotFound => CommandError::NotFound,
            AgentBotError::AlreadyExists => CommandError::Rejected(e.to_string()),
            AgentBotError::Invalid(v) => CommandError::Invalid(v),
        }
    }
}

impl From<ConversationError> for CommandError {
    fn from(e: ConversationError) -> Self {
        match e {
            ConversationError::NotFound => CommandError::NotFound,
            ConversationError::Invalid(v) => CommandError::Invalid(v),
            ConversationError::AlreadyExists
            | ConversationError::Rejected(_)
            | ConversationError::TooManyMessages => CommandError::Rejected(e.to_string()),
        }
    }
}

impl From<ContactError> for CommandError {
    fn from(e: ContactError) -> Self {
        match e {
            ContactError::NotFound => CommandError::NotFound,
            ContactError::AlreadyExists | ContactError::Rejected(_) => CommandError::Rejected(e.to_string()),
            ContactError::Invalid(v) => CommandError::Invalid(v),
        }
    }
}

impl From<TeamError> for CommandError {
    fn from(e: TeamError) -> Self {
        match e {
            TeamError::NotFound => CommandError::NotFound,
            TeamError::AlreadyExists => CommandError::Rejected(e.to_string()),
            TeamError::Invalid(v) => CommandError::Invalid(v),
            TeamError::InvalidUsers => CommandError::NotPermitted(e.to_string()),
        }
    }
}

impl From<TeamNameClaimError> for CommandError {
    fn from(e: TeamNameClaimError) -> Self {
        CommandError::Invalid(Violations::single("name", e.to_string()))
    }
}

impl From<InboxError> for CommandError {
    fn from(e: InboxError) -> Self {
        match e {
            InboxError::NotFound => CommandError::NotFound,
            InboxError::AlreadyExists | InboxError::ForeignUsers => CommandError::Rejected(e.to_string()),
            InboxError::Invalid(v) => CommandError::Invalid(v),
        }
    }
}

impl From<ContactClaimError> for CommandError {
    fn from(e: ContactClaimError) -> Self {
        let ContactClaimError::Taken { kind, .. } = &e;
        CommandError::Invalid(Violations::single(kind.attribute(), e.to_string()))
    }
}

impl From<WebhookError> for CommandError {
    fn from(e: WebhookError) -> Self {
        match e {
            WebhookError::NotFound => CommandError::NotFound,
            WebhookError::AlreadyExists => CommandError::Rejected(e.to_string()),
            WebhookError::Invalid(v) => CommandError::Invalid(v),
        }
    }
}

impl From<WebhookUrlClaimError> for CommandError {
    fn from(e: WebhookUrlClaimError) -> Self {
        CommandError::Invalid(Violations::single("url", e.to_string()))
    }
}

impl From<ContactInboxError> for CommandError {
    fn from(e: ContactInboxError) -> Self {
        CommandError::Rejected(e.to_string())
    }
}

impl From<ConnectedAccountError> for CommandError {
    fn from(e: ConnectedAccountError) -> Self {
        match e {
            ConnectedAccountError::NotFound => CommandError::NotFound,
            ConnectedAccountError::AlreadyExists => CommandError::Rejected(e.to_string()),
            ConnectedAccountError::Invalid(v) => CommandError::Invalid(v),
        }
    }
}

impl From<UniqueClaimError> for CommandError {
    fn from(e: UniqueClaimError) -> Self {
        let UniqueClaimError::Taken { field, .. } = &e;
        CommandError::Invalid(Violations::single(field.attribute, e.to_string()))
    }
}

impl From<LabelError> for CommandError {
    fn from(e: LabelError) -> Self {
        match e {
            LabelError::NotFound => CommandError::NotFound,
            LabelError::AlreadyExists => CommandError::Rejected(e.to_string()),
            LabelError::Invalid(v) => CommandError::Invalid(v),
        }
    }
}

impl From<CannedResponseError> for CommandError {
    fn from(e: CannedResponseError) -> Self {
        match e {
            CannedResponseError::NotFound => CommandError::NotFound,
            CannedResponseError::AlreadyExists => CommandError::Rejected(e.to_string()),
            CannedResponseError::Invalid(v) => CommandError::Invalid(v),
        }
    }
}

impl From<CustomAttributeError> for CommandError {
    fn from(e: CustomAttributeError) -> Self {
        match e {
            CustomAttributeError::NotFound => CommandError::NotFound,
            CustomAttributeError::AlreadyExists => CommandError::Rejected(e.to_string()),
            CustomAttributeError::Invalid(v) => CommandError::Invalid(v),
        }
    }
}

impl From<CustomFilterError> for CommandError {
    fn from(e: CustomFilterError) -> Self {
        match e {
            CustomFilterError::NotFound => CommandError::NotFound,
            CustomFilterError::AlreadyExists => CommandError::Rejected(e.to_string()),
            CustomFilterError::Invalid(v) => CommandError::Invalid(v),
        }
    }
}

/// Upstream adds the limit error to `account_id`.
impl From<QuotaError> for CommandError {
    fn from(e: QuotaError) -> Self {
        CommandError::Invalid(Violations::single("account_id", e.to_string()))
    }
}

impl From<EntryError> for CommandError {
    fn from(e: EntryError) -> Self {
        match e {
            EntryError::NotFound => CommandError::NotFound,
            EntryError::AlreadyExists => CommandError::Rejected(e.to_string()),
            EntryError::Invalid(v) => CommandError::Invalid(v),
        }
    }
}

impl From<AutomationRuleError> for CommandError {
    fn from(e: AutomationRuleError) -> Self {
        match e {
            AutomationRuleError::NotFound => CommandError::NotFound,
            AutomationRuleError::AlreadyExists => CommandError::Rejected(e.to_string()),
            AutomationRuleError::Invalid(v) => CommandError::Invalid(v),
        }
    }
}

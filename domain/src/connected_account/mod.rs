//! Connected accounts (seed 004): a WhatsApp number, LinkedIn profile,
//! Instagram account … that an account (the tenant) connects so that an
//! inbox can later send and receive through it. One stream per connected
//! account, keyed by its UUID; every event carries the owning account.
//!
//! Credential material never appears in clear: the command service seals
//! it with the installation key before it reaches the aggregate, so events
//! and snapshots only ever hold [`SealedCredentials`].

mod aggregate;
mod event;
pub mod rules;

pub use aggregate::ConnectedAccount;
pub use event::{Connected, ConnectedAccountEvent};

use crate::ids::{AccountId, ConnectedAccountId, InboxId};
use crate::validation::Violations;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The service behind a connected account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Whatsapp,
    Linkedin,
    Telegram,
    Instagram,
    Gmail,
    Outlook,
}

impl Provider {
    pub const ALL: [Provider; 6] = [
        Provider::Whatsapp,
        Provider::Linkedin,
        Provider::Telegram,
        Provider::Instagram,
        Provider::Gmail,
        Provider::Outlook,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Whatsapp => "whatsapp",
            Provider::Linkedin => "linkedin",
            Provider::Telegram => "telegram",
            Provider::Instagram => "instagram",
            Provider::Gmail => "gmail",
            Provider::Outlook => "outlook",
        }
    }

    pub fn parse(raw: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.as_str() == raw)
    }
}

/// Where the connection stands. New connections start `connecting`; the
/// channel workers that verify credentials (not built yet) move them on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConnectionStatus {
    #[default]
    Connecting,
    Active,
    Disconnected,
    Error,
}

impl ConnectionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionStatus::Connecting => "connecting",
            ConnectionStatus::Active => "active",
            ConnectionStatus::Disconnected => "disconnected",
            ConnectionStatus::Error => "error",
        }
    }
}

/// Provider credentials as they may be recorded: sealed (AEAD) with the
/// installation key. There is no `Display`, and `Debug` hides the value.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedCredentials {
    pub sealed: String,
}

impl std::fmt::Debug for SealedCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealedCredentials([sealed])")
    }
}

/// A new connection; the aggregate validates it.
#[derive(Debug, Clone)]
pub struct NewConnectedAccount {
    pub id: ConnectedAccountId,
    pub account_id: AccountId,
    /// Required (reported as `integration`, the IRI clients send).
    pub provider: Option<Provider>,
    pub name: Option<String>,
    pub headline: Option<String>,
    pub avatar_url: Option<String>,
    pub external_id: Option<String>,
    pub config: Map<String, Value>,
    /// Required; checked with [`rules::credentials_violations`] before sealing.
    pub credentials: Option<SealedCredentials>,
    /// An inbox of the same account (checked by the command service).
    pub inbox_id: Option<InboxId>,
}

/// A merge-patch: absent fields stay; `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct ConnectedAccountPatch {
    /// Immutable: accepted only when it names the current provider.
    pub provider: Option<Provider>,
    pub name: Option<String>,
    pub headline: Option<Option<String>>,
    pub avatar_url: Option<Option<String>>,
    pub external_id: Option<Option<String>>,
    /// An RFC 7396 merge patch applied to the current configuration.
    pub config: Option<Value>,
    /// Replaces the stored credentials as a whole.
    pub credentials: Option<SealedCredentials>,
    pub inbox_id: Option<Option<InboxId>>,
}

#[derive(Debug, Clone)]
pub enum ConnectedAccountCommand {
    Connect(NewConnectedAccount),
    /// Every command but `Connect` names the account it is meant for; a
    /// connected account of another account is "not found".
    Update {
        account_id: AccountId,
        patch: ConnectedAccountPatch,
    },
    Disconnect {
        account_id: AccountId,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectedAccountError {
    #[error("connected account not found")]
    NotFound,
    #[error("connected account already exists")]
    AlreadyExists,
    #[error("{0}")]
    Invalid(Violations),
}

#[cfg(test)]
mod tests;

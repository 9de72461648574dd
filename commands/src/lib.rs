//! Application services: authorization-free command execution against the
//! event store. Each service looks up what its aggregate needs, builds the
//! command, lets the aggregate decide, and appends the resulting events with
//! optimistic concurrency (retrying on conflicts).

pub mod accounts;
pub mod agent_bots;
pub mod automation_rules;
pub mod canned_responses;
mod claims;
pub mod connected_accounts;
pub mod contact_inboxes;
pub mod contacts;
pub mod context;
pub mod conversations;
pub mod custom_attributes;
pub mod custom_filters;
pub mod error;
pub mod execute;
pub mod help_center;
pub mod ids;
pub mod inboxes;
pub mod labels;
pub mod passwords;
pub mod platform_apps;
pub mod secrets;
pub mod ssrf;
pub mod store;
pub mod teams;
pub mod users;
pub mod webhooks;

pub use context::CommandContext;
pub use error::CommandError;
pub use store::{EventStore, LogPosition};

use secrets::SecretBox;
use std::sync::Arc;

/// The embedded schema migrations (event store and read models).
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Everything a command service needs, cheap to clone.
#[derive(Clone)]
pub struct Commands {
    pub store: EventStore,
    pub secrets: Arc<SecretBox>,
    pub passwords: passwords::PasswordHasher,
    /// The SSRF guard webhook URLs are checked with.
    pub egress: Arc<ssrf::EgressGuard>,
}

impl Commands {
    /// With the default egress policy (public addresses only, system DNS).
    pub fn new(store: EventStore, secrets: SecretBox, passwords: passwords::PasswordHasher) -> Self {
        Self { store, secrets: Arc::new(secrets), passwords, egress: Arc::new(ssrf::EgressGuard::default()) }
    }

    pub fn with_egress(self, egress: Arc<ssrf::EgressGuard>) -> Self {
        Self { egress, ..self }
    }
}

/// What a command service returns: its result and the log position of the
/// last event it appended (`None` when the command changed nothing).
#[derive(Debug, Clone)]
pub struct Outcome<T> {
    pub value: T,
    pub position: Option<LogPosition>,
}

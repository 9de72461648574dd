//! Who runs a command and on behalf of which request: recorded on every
//! event the command appends.

use chrono::{DateTime, Utc};
use onelink_domain::Actor;

#[derive(Debug, Clone)]
pub struct CommandContext {
    pub actor: Actor,
    pub request_id: Option<String>,
    /// The time the command happens at, when the caller fixes it (the
    /// test-only clock header); otherwise the wall clock.
    pub at: Option<DateTime<Utc>>,
}

impl CommandContext {
    pub fn new(actor: Actor, request_id: Option<String>) -> Self {
        Self { actor, request_id, at: None }
    }

    /// The installation itself (CLI, background jobs).
    pub fn system() -> Self {
        Self { actor: Actor::System, request_id: None, at: None }
    }

    /// The same context at a fixed time.
    pub fn at(mut self, at: Option<DateTime<Utc>>) -> Self {
        self.at = at;
        self
    }

    /// When the command happens: the fixed time or now. Events record it as
    /// their `recorded_at`.
    pub fn now(&self) -> DateTime<Utc> {
        self.at.unwrap_or_else(Utc::now)
    }
}

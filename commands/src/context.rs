//! Who runs a command and on behalf of which request: recorded on every
//! event the command appends.

use onelink_domain::Actor;

#[derive(Debug, Clone)]
pub struct CommandContext {
    pub actor: Actor,
    pub request_id: Option<String>,
}

impl CommandContext {
    pub fn new(actor: Actor, request_id: Option<String>) -> Self {
        Self { actor, request_id }
    }

    /// The installation itself (CLI, background jobs).
    pub fn system() -> Self {
        Self { actor: Actor::System, request_id: None }
    }
}

//! Who caused an event. Recorded with every event for the audit trail.

use serde::{Deserialize, Serialize};

/// The principal on whose behalf a command runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Actor {
    User(i64),
    AgentBot(i64),
    Contact(i64),
    PlatformApp(i64),
    /// An automation rule acting on its own (its id): what the rule's
    /// actions write is recognisable, which is the loop protection.
    AutomationRule(i64),
    /// The installation itself: CLI, migrations, timers, process managers.
    System,
}

impl Actor {
    /// Stable lower-case name stored in the event log's `actor_type` column.
    pub fn kind(&self) -> &'static str {
        match self {
            Actor::User(_) => "user",
            Actor::AgentBot(_) => "agent_bot",
            Actor::Contact(_) => "contact",
            Actor::PlatformApp(_) => "platform_app",
            Actor::AutomationRule(_) => "automation_rule",
            Actor::System => "system",
        }
    }

    /// The principal's id, if it has one.
    pub fn id(&self) -> Option<i64> {
        match self {
            Actor::User(id)
            | Actor::AgentBot(id)
            | Actor::Contact(id)
            | Actor::PlatformApp(id)
            | Actor::AutomationRule(id) => Some(*id),
            Actor::System => None,
        }
    }

    /// Rebuilds an actor from the log's `actor_type` / `actor_id` columns.
    pub fn from_parts(kind: &str, id: Option<i64>) -> Option<Actor> {
        Some(match (kind, id) {
            ("user", Some(id)) => Actor::User(id),
            ("agent_bot", Some(id)) => Actor::AgentBot(id),
            ("contact", Some(id)) => Actor::Contact(id),
            ("platform_app", Some(id)) => Actor::PlatformApp(id),
            ("automation_rule", Some(id)) => Actor::AutomationRule(id),
            ("system", _) => Actor::System,
            _ => return None,
        })
    }
}

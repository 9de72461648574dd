//! Automation rules: an account's "when <event> and <conditions> then
//! <actions>" (upstream `AutomationRule`). Administrators manage them; the
//! executor (projections `automation`) runs the active ones.
//!
//! Validation is the upstream's save-time validation (condition keys,
//! action names, query operators, in its wording), plus what OneLink
//! enforces beyond it: `event_name` is one of the five events, each
//! condition's operator is one its key supports, and actions OneLink does
//! not execute are refused instead of being silently ignored. Errors are
//! per field (`conditions`, `actions`, …) with the bare message, rendered
//! as the upstream's `{"error": {"<field>": ["<message>"]}}`.

mod aggregate;
mod rules;

pub use aggregate::AutomationRule;
pub use rules::{allowed_operators, Action, Condition, ACTIONS, CONDITION_KEYS, EVENTS, NOT_BUILT_ACTIONS};

use crate::ids::{AccountId, AutomationRuleId};
use crate::validation::Violations;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Raw input (absent = not given); the aggregate validates and normalizes.
#[derive(Debug, Clone, Default)]
pub struct RuleDraft {
    pub name: Option<String>,
    pub description: Option<String>,
    pub event_name: Option<String>,
    pub active: Option<bool>,
    pub conditions: Option<Value>,
    pub actions: Option<Value>,
}

/// Facts the command service looked up: the account's custom attribute
/// keys (any of them may be a condition key) and the egress guard's
/// verdict on each `send_webhook_event` URL (`(url, why refused)`).
#[derive(Debug, Clone, Default)]
pub struct RuleContext {
    pub custom_attribute_keys: Vec<String>,
    pub refused_urls: Vec<(String, String)>,
}

/// A rule's full definition as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleDefinition {
    pub name: String,
    pub description: Option<String>,
    pub event_name: String,
    pub active: bool,
    pub conditions: Vec<Condition>,
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone)]
pub enum AutomationRuleCommand {
    Create {
        id: AutomationRuleId,
        account_id: AccountId,
        draft: RuleDraft,
        context: RuleContext,
    },
    /// Absent fields are kept.
    Update {
        account_id: AccountId,
        draft: RuleDraft,
        context: RuleContext,
    },
    Delete {
        account_id: AccountId,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum AutomationRuleEvent {
    AutomationRuleCreated {
        id: AutomationRuleId,
        account_id: AccountId,
        #[serde(flatten)]
        rule: RuleDefinition,
    },
    /// The whole definition after the change (rules are small; a reader
    /// never has to merge).
    AutomationRuleUpdated {
        #[serde(flatten)]
        rule: RuleDefinition,
    },
    AutomationRuleDeleted,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AutomationRuleError {
    #[error("automation rule not found")]
    NotFound,
    #[error("automation rule already exists")]
    AlreadyExists,
    #[error("{0}")]
    Invalid(Violations),
}

impl cqrs_es::DomainEvent for AutomationRuleEvent {
    fn event_type(&self) -> String {
        match self {
            AutomationRuleEvent::AutomationRuleCreated { .. } => "AutomationRuleCreated",
            AutomationRuleEvent::AutomationRuleUpdated { .. } => "AutomationRuleUpdated",
            AutomationRuleEvent::AutomationRuleDeleted => "AutomationRuleDeleted",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

#[cfg(test)]
mod tests;

//! The automation rule aggregate: validates a draft (new, or merged over
//! the current definition), records the whole definition; no-op updates
//! record nothing.

use super::rules::{actions, conditions, EVENTS};
use super::{
    AutomationRuleCommand, AutomationRuleError, AutomationRuleEvent, RuleContext, RuleDefinition, RuleDraft,
};
use crate::ids::{AccountId, AutomationRuleId};
use crate::validation::{Violations, STRING_MAX, TEXT_MAX};
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AutomationRule {
    pub id: Option<AutomationRuleId>,
    pub account_id: Option<AccountId>,
    pub deleted: bool,
    pub rule: Option<RuleDefinition>,
}

fn too_long(value: &str, max: usize) -> bool {
    value.chars().count() > max
}

/// The definition `draft` describes over `base` (fields absent in the
/// draft keep the base's), or the violations, keyed by field.
fn definition(
    base: Option<&RuleDefinition>,
    draft: RuleDraft,
    context: &RuleContext,
) -> Result<RuleDefinition, AutomationRuleError> {
    let mut v = Violations::new();
    let name = draft.name.or_else(|| base.map(|b| b.name.clone())).unwrap_or_default();
    if name.trim().is_empty() {
        v.add("name", "can't be blank");
    } else if too_long(&name, STRING_MAX) || name.contains('\0') {
        v.add("name", "is invalid");
    }
    let description = match draft.description {
        Some(d) => Some(d),
        None => base.and_then(|b| b.description.clone()),
    };
    if description.as_deref().is_some_and(|d| too_long(d, TEXT_MAX) || d.contains('\0')) {
        v.add("description", "is invalid");
    }
    let event_name = draft.event_name.or_else(|| base.map(|b| b.event_name.clone())).unwrap_or_default();
    if event_name.trim().is_empty() {
        v.add("event_name", "can't be blank");
    } else if !EVENTS.contains(&event_name.as_str()) {
        v.add("event_name", format!("Automation event {event_name} not supported."));
    }
    let conditions = match &draft.conditions {
        Some(raw) => conditions(raw, context, &mut v),
        None => base.map(|b| b.conditions.clone()).unwrap_or_default(),
    };
    let actions = match &draft.actions {
        Some(raw) => actions(raw, context, &mut v),
        None => base.map(|b| b.actions.clone()).unwrap_or_default(),
    };
    if actions.is_empty() && v.0.iter().all(|x| x.attribute != "actions") {
        v.add("actions", "can't be blank");
    }
    if event_name != "conversation_updated"
        && conditions.iter().any(|c| c.filter_operator == "attribute_changed")
    {
        v.add(
            "conditions",
            "Automation conditions attribute_changed is only supported on conversation_updated.",
        );
    }
    let active = draft.active.or(base.map(|b| b.active)).unwrap_or(true);
    v.into_result().map_err(AutomationRuleError::Invalid)?;
    Ok(RuleDefinition { name, description, event_name, active, conditions, actions })
}

impl AutomationRule {
    fn owned(&self, account_id: AccountId) -> Result<&RuleDefinition, AutomationRuleError> {
        match &self.rule {
            Some(rule) if !self.deleted && self.account_id == Some(account_id) => Ok(rule),
            _ => Err(AutomationRuleError::NotFound),
        }
    }

    fn decide(
        &self,
        command: AutomationRuleCommand,
    ) -> Result<Vec<AutomationRuleEvent>, AutomationRuleError> {
        Ok(match command {
            AutomationRuleCommand::Create { id, account_id, draft, context } => {
                if self.id.is_some() {
                    return Err(AutomationRuleError::AlreadyExists);
                }
                let rule = definition(None, draft, &context)?;
                vec![AutomationRuleEvent::AutomationRuleCreated { id, account_id, rule }]
            }
            AutomationRuleCommand::Update { account_id, draft, context } => {
                let current = self.owned(account_id)?;
                let rule = definition(Some(current), draft, &context)?;
                if rule == *current {
                    return Ok(vec![]);
                }
                vec![AutomationRuleEvent::AutomationRuleUpdated { rule }]
            }
            AutomationRuleCommand::Delete { account_id } => {
                self.owned(account_id)?;
                vec![AutomationRuleEvent::AutomationRuleDeleted]
            }
        })
    }
}

impl cqrs_es::Aggregate for AutomationRule {
    const TYPE: &'static str = "AutomationRule";
    type Command = AutomationRuleCommand;
    type Event = AutomationRuleEvent;
    type Error = AutomationRuleError;
    type Services = ();

    async fn handle(
        &mut self,
        command: AutomationRuleCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), AutomationRuleError> {
        for event in self.decide(command)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: AutomationRuleEvent) {
        match event {
            AutomationRuleEvent::AutomationRuleCreated { id, account_id, rule } => {
                self.id = Some(id);
                self.account_id = Some(account_id);
                self.rule = Some(rule);
            }
            AutomationRuleEvent::AutomationRuleUpdated { rule } => self.rule = Some(rule),
            AutomationRuleEvent::AutomationRuleDeleted => self.deleted = true,
        }
    }
}

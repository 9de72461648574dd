//! Automation rules: create, update, delete, clone. The API looks up the
//! account's custom attribute keys; this service asks the egress guard
//! about every `send_webhook_event` URL (SSRF protection at save time, as
//! for webhooks; delivery checks again after DNS resolution).

use crate::execute::{create_stream, execute};
use crate::ids::{next_id, IdSequence};
use crate::{CommandContext, CommandError, Commands, Outcome};
use onelink_domain::automation_rule::{AutomationRule, AutomationRuleCommand, RuleContext, RuleDraft};
use onelink_domain::ids::{AccountId, AutomationRuleId};
use serde_json::Value;

/// The `send_webhook_event` URLs of a draft the guard refuses, with why.
async fn refused_urls(c: &Commands, draft: &RuleDraft) -> Vec<(String, String)> {
    let mut refused = Vec::new();
    let Some(Value::Array(actions)) = &draft.actions else { return refused };
    for action in actions {
        if action.get("action_name").and_then(Value::as_str) != Some("send_webhook_event") {
            continue;
        }
        let url = match action.get("action_params") {
            Some(Value::Array(p)) => p.first().and_then(Value::as_str),
            Some(Value::String(s)) => Some(s.as_str()),
            _ => None,
        };
        if let Some(url) = url.filter(|u| !u.trim().is_empty()) {
            if let Err(rejection) = c.egress.check(url).await {
                refused.push((url.to_owned(), rejection.to_string()));
            }
        }
    }
    refused
}

/// Creates a rule in `account_id`; returns its id.
pub async fn create(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    draft: RuleDraft,
    custom_attribute_keys: Vec<String>,
) -> Result<Outcome<AutomationRuleId>, CommandError> {
    let context = RuleContext { custom_attribute_keys, refused_urls: refused_urls(c, &draft).await };
    let id = AutomationRuleId(
        next_id(c.store.pool(), IdSequence::AutomationRule).await.map_err(anyhow::Error::from)?,
    );
    let done = create_stream::<AutomationRule, _>(&c.store, &id.to_string(), Some(account_id.0), ctx, || {
        AutomationRuleCommand::Create { id, account_id, draft, context }
    })
    .await?;
    Ok(Outcome { value: id, position: done.position })
}

/// Partial update (absent fields kept).
pub async fn update(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: AutomationRuleId,
    draft: RuleDraft,
    custom_attribute_keys: Vec<String>,
) -> Result<Outcome<()>, CommandError> {
    let context = RuleContext { custom_attribute_keys, refused_urls: refused_urls(c, &draft).await };
    let done = execute::<AutomationRule, _>(&c.store, &id.to_string(), Some(account_id.0), ctx, || {
        AutomationRuleCommand::Update { account_id, draft: draft.clone(), context: context.clone() }
    })
    .await?;
    Ok(Outcome { value: (), position: done.position })
}

pub async fn delete(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: AutomationRuleId,
) -> Result<Outcome<()>, CommandError> {
    let done = execute::<AutomationRule, _>(&c.store, &id.to_string(), Some(account_id.0), ctx, || {
        AutomationRuleCommand::Delete { account_id }
    })
    .await?;
    Ok(Outcome { value: (), position: done.position })
}

/// A new rule with the definition of `id` (same active flag); returns the
/// copy's id.
pub async fn clone(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: AutomationRuleId,
    custom_attribute_keys: Vec<String>,
) -> Result<Outcome<AutomationRuleId>, CommandError> {
    let loaded = c.store.load::<AutomationRule>(&id.to_string()).await?.aggregate;
    let rule = match (&loaded.rule, loaded.deleted, loaded.account_id) {
        (Some(rule), false, Some(owner)) if owner == account_id => rule.clone(),
        _ => return Err(CommandError::NotFound),
    };
    let draft = RuleDraft {
        name: Some(rule.name),
        description: rule.description,
        event_name: Some(rule.event_name),
        active: Some(rule.active),
        conditions: Some(serde_json::to_value(rule.conditions).map_err(anyhow::Error::from)?),
        actions: Some(serde_json::to_value(rule.actions).map_err(anyhow::Error::from)?),
    };
    create(c, ctx, account_id, draft, custom_attribute_keys).await
}

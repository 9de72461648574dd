mod account_resources_rebuild;
mod agent_bots;
mod agents;
mod attachments;
mod auth;
mod automation_rules;
mod canned_responses;
mod custom_attributes;
mod custom_filters;
mod labels;
mod team_members;
mod teams;

use serde_json::Value;

/// The keys of a JSON object, in order.
pub fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap_or_else(|| panic!("not an object: {v}")).keys().cloned().collect()
}
mod contacts;
mod conversations;
mod help_center;
mod inbox_access;
mod inbox_agent_bot;
mod inbox_members;
mod inboxes;
mod reports;

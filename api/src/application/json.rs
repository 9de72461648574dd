//! Application API shapes shared by several resources.

use onelink_projections::platform::accounts::AgentRow;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// An account member as the upstream's `models/_agent` renders it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Agent {
    pub id: i64,
    pub account_id: i64,
    /// The chosen availability when `auto_offline` is off; otherwise
    /// `offline` unless the agent is connected (presence).
    pub availability_status: String,
    pub auto_offline: bool,
    pub confirmed: bool,
    pub email: String,
    pub provider: &'static str,
    pub available_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub custom_attributes: Option<Value>,
    pub name: String,
    pub role: String,
    pub thumbnail: String,
}

impl From<AgentRow> for Agent {
    fn from(r: AgentRow) -> Self {
        let availability_status = if r.auto_offline { "offline".to_owned() } else { r.availability.clone() };
        let custom_attributes =
            r.custom_attributes.as_object().filter(|m| !m.is_empty()).map(|_| r.custom_attributes.clone());
        Self {
            id: r.id,
            account_id: r.account_id,
            availability_status,
            auto_offline: r.auto_offline,
            confirmed: r.confirmed,
            email: r.email,
            provider: "email",
            available_name: r.display_name.filter(|d| !d.trim().is_empty()).unwrap_or_else(|| r.name.clone()),
            custom_attributes,
            name: r.name,
            role: r.role,
            thumbnail: String::new(),
        }
    }
}

pub fn agents(rows: Vec<AgentRow>) -> Vec<Agent> {
    rows.into_iter().map(Agent::from).collect()
}

//! Application API shapes shared by several resources.

use crate::state::AppState;
use onelink_projections::platform::accounts::AgentRow;
use onelink_projections::platform::agent_bots::AgentBotRow;
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

/// An agent bot as the upstream's `models/_agent_bot` renders it for an
/// account: system bots (no account) hide their URL; the bot's token is
/// shown only for the account's own bots, and only to administrators.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgentBot {
    pub id: i64,
    pub name: Option<String>,
    pub description: Option<String>,
    pub thumbnail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub outgoing_url: Option<Option<String>>,
    pub bot_type: String,
    #[schema(value_type = Object)]
    pub bot_config: Value,
    pub account_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    pub system_bot: bool,
}

impl AgentBot {
    pub fn new(state: &AppState, row: AgentBotRow, account_id: i64, admin: bool) -> Self {
        let system_bot = row.account_id.is_none();
        let own = row.account_id == Some(account_id);
        Self {
            id: row.id,
            name: row.name,
            description: row.description,
            thumbnail: String::new(),
            outgoing_url: (!system_bot).then_some(row.outgoing_url),
            bot_type: row.bot_type,
            bot_config: Value::Object(Default::default()),
            account_id: row.account_id,
            access_token: (own && admin).then(|| state.reveal(&row.access_token_sealed)),
            system_bot,
        }
    }
}

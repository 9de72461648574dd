//! Platform API response shapes (upstream `platform/api/v1/models/*`).

use crate::state::AppState;
use onelink_projections::platform::accounts::{AccountRow, AccountUserRow, UserAccountRow};
use onelink_projections::platform::agent_bots::AgentBotRow;
use onelink_projections::platform::users::UserRow;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct PlatformAccount {
    pub id: i64,
    pub name: String,
    pub locale: String,
    pub domain: Option<String>,
    pub support_email: String,
    /// Only the enabled features, each `true`.
    #[schema(value_type = Object)]
    pub features: Map<String, Value>,
    #[schema(value_type = Object)]
    pub custom_attributes: Value,
    #[schema(value_type = Object)]
    pub limits: Value,
    pub status: String,
}

impl PlatformAccount {
    pub fn new(state: &AppState, row: AccountRow) -> Self {
        let features = row
            .features
            .as_object()
            .map(|all| {
                all.iter()
                    .filter(|(_, on)| on.as_bool() == Some(true))
                    .map(|(k, _)| (k.clone(), true.into()))
                    .collect()
            })
            .unwrap_or_default();
        let support_email = row
            .support_email
            .filter(|e| !e.is_empty())
            .unwrap_or_else(|| state.settings.mailer_sender_email.clone());
        Self {
            id: row.id,
            name: row.name,
            locale: row.locale,
            domain: row.domain,
            support_email,
            features,
            custom_attributes: row.custom_attributes,
            limits: row.limits,
            status: row.status,
        }
    }
}

/// A membership as the upstream renders the raw record.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountUserRaw {
    pub id: i64,
    pub account_id: i64,
    pub user_id: i64,
    pub role: String,
    pub inviter_id: Option<i64>,
    pub active_at: Option<String>,
    pub availability: String,
    pub auto_offline: bool,
    pub custom_role_id: Option<i64>,
    pub agent_capacity_policy_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

/// ISO-8601 with milliseconds, as Rails renders timestamps.
pub fn iso(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl From<AccountUserRow> for AccountUserRaw {
    fn from(r: AccountUserRow) -> Self {
        Self {
            id: r.id,
            account_id: r.account_id,
            user_id: r.user_id,
            role: r.role,
            inviter_id: r.inviter_id,
            active_at: r.active_at.map(iso),
            availability: r.availability,
            auto_offline: r.auto_offline,
            custom_role_id: None,
            agent_capacity_policy_id: None,
            created_at: iso(r.created_at),
            updated_at: iso(r.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserAccount {
    pub id: i64,
    pub name: String,
    pub active_at: Option<String>,
    pub role: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlatformUser {
    pub access_token: String,
    pub account_id: Option<i64>,
    pub available_name: String,
    pub avatar_url: String,
    pub confirmed: bool,
    pub display_name: Option<String>,
    pub message_signature: Option<String>,
    pub email: String,
    pub id: i64,
    pub name: String,
    pub provider: &'static str,
    pub pubsub_token: String,
    /// Omitted when empty, as upstream.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub custom_attributes: Option<Value>,
    pub role: Option<String>,
    #[schema(value_type = Object)]
    pub ui_settings: Value,
    pub uid: String,
    pub accounts: Vec<UserAccount>,
}

impl PlatformUser {
    /// `accounts` must be ordered most recently active first.
    pub fn new(state: &AppState, user: UserRow, accounts: Vec<UserAccountRow>) -> Self {
        let active = accounts.first();
        let custom_attributes = user
            .custom_attributes
            .as_object()
            .filter(|m| !m.is_empty())
            .map(|_| user.custom_attributes.clone());
        Self {
            access_token: state.reveal(&user.access_token_sealed),
            account_id: active.map(|a| a.account_id),
            available_name: user
                .display_name
                .clone()
                .filter(|d| !d.trim().is_empty())
                .unwrap_or(user.name.clone()),
            avatar_url: String::new(),
            confirmed: true,
            display_name: user.display_name,
            message_signature: user.message_signature,
            email: user.email.clone(),
            id: user.id,
            name: user.name,
            provider: "email",
            pubsub_token: state.reveal(&user.pubsub_token_sealed),
            custom_attributes,
            role: active.map(|a| a.role.clone()),
            ui_settings: user.ui_settings,
            uid: user.email,
            accounts: accounts
                .into_iter()
                .map(|a| UserAccount {
                    id: a.account_id,
                    name: a.name,
                    active_at: a.active_at.map(iso),
                    role: a.role,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlatformAgentBot {
    pub id: i64,
    pub name: Option<String>,
    pub description: Option<String>,
    pub outgoing_url: Option<String>,
    pub account_id: Option<i64>,
    pub access_token: String,
}

impl PlatformAgentBot {
    pub fn new(state: &AppState, row: AgentBotRow) -> Self {
        Self {
            id: row.id,
            name: row.name,
            description: row.description,
            outgoing_url: row.outgoing_url,
            account_id: row.account_id,
            access_token: state.reveal(&row.access_token_sealed),
        }
    }
}

/// `{"error": "…"}`
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: String,
}

/// `{"message": "…", "attributes": ["…"]}`
#[derive(Debug, Serialize, ToSchema)]
pub struct ValidationErrorBody {
    pub message: String,
    pub attributes: Vec<String>,
}

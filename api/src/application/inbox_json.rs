//! The Inbox JSON of the Application API (upstream `models/_inbox`): the
//! common attributes, the website-widget keys (null for other channels),
//! and the keys only one channel kind has. The HMAC secret is shown to
//! administrators only.

use crate::state::AppState;
use onelink_domain::inbox::{Channel, WorkingHour};
use onelink_projections::inboxes::InboxRow;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Inbox {
    pub id: i64,
    /// `""` until avatars are stored.
    pub avatar_url: String,
    pub channel_id: i64,
    pub name: String,
    /// `Channel::WebWidget` or `Channel::Api`.
    pub channel_type: String,
    pub greeting_enabled: bool,
    pub greeting_message: Option<String>,
    pub working_hours_enabled: bool,
    pub enable_email_collect: bool,
    pub csat_survey_enabled: bool,
    #[schema(value_type = Object)]
    pub csat_config: Map<String, Value>,
    pub enable_auto_assignment: bool,
    #[schema(value_type = Object)]
    pub auto_assignment_config: Map<String, Value>,
    pub out_of_office_message: Option<String>,
    /// One entry per day of the week, Sunday (0) first.
    #[schema(value_type = Vec<Object>)]
    pub working_hours: Vec<WorkingHour>,
    pub timezone: String,
    pub callback_webhook_url: Option<String>,
    pub allow_messages_after_resolved: bool,
    pub lock_to_single_conversation: bool,
    /// `friendly` or `professional`.
    pub sender_name_type: &'static str,
    pub business_name: Option<String>,
    pub allowed_domains: Option<String>,
    pub widget_color: Option<String>,
    pub website_url: Option<String>,
    pub hmac_mandatory: bool,
    pub welcome_title: Option<String>,
    pub welcome_tagline: Option<String>,
    pub web_widget_script: Option<String>,
    pub website_token: Option<String>,
    pub selected_feature_flags: Option<Vec<String>>,
    pub reply_time: Option<&'static str>,
    /// The identity-validation secret; administrators only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hmac_token: Option<String>,
    /// Website widgets only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_chat_form_enabled: Option<bool>,
    /// Website widgets only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub pre_chat_form_options: Option<Map<String, Value>>,
    /// Website widgets only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub continuity_via_email: Option<bool>,
    pub messaging_service_sid: Option<String>,
    pub phone_number: Option<String>,
    /// API channels only (the value may be null).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub webhook_url: Option<Option<String>>,
    /// API channels only: the Client API's `inbox_identifier`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inbox_identifier: Option<String>,
    /// API channels only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub additional_attributes: Option<Map<String, Value>>,
    pub provider: Option<String>,
}

impl Inbox {
    /// Renders `row`; `admin` decides whether the HMAC secret is shown.
    pub fn new(state: &AppState, row: InboxRow, admin: bool) -> Self {
        let settings = row.settings.0;
        let hmac_token = admin.then(|| state.reveal(&row.hmac_token_sealed));
        let mut inbox = Inbox {
            id: row.id,
            avatar_url: String::new(),
            channel_id: row.channel_id,
            name: row.name,
            channel_type: row.channel_type,
            greeting_enabled: settings.greeting_enabled,
            greeting_message: settings.greeting_message,
            working_hours_enabled: settings.working_hours_enabled,
            enable_email_collect: settings.enable_email_collect,
            csat_survey_enabled: settings.csat_survey_enabled,
            csat_config: settings.csat_config,
            enable_auto_assignment: settings.enable_auto_assignment,
            auto_assignment_config: Map::new(),
            out_of_office_message: settings.out_of_office_message,
            working_hours: row.working_hours.0,
            timezone: settings.timezone,
            callback_webhook_url: None,
            allow_messages_after_resolved: settings.allow_messages_after_resolved,
            lock_to_single_conversation: settings.lock_to_single_conversation,
            sender_name_type: settings.sender_name_type.as_str(),
            business_name: settings.business_name,
            allowed_domains: None,
            widget_color: None,
            website_url: None,
            hmac_mandatory: row.channel.0.hmac_mandatory(),
            welcome_title: None,
            welcome_tagline: None,
            web_widget_script: None,
            website_token: None,
            selected_feature_flags: None,
            reply_time: None,
            hmac_token,
            pre_chat_form_enabled: None,
            pre_chat_form_options: None,
            continuity_via_email: None,
            messaging_service_sid: None,
            phone_number: None,
            webhook_url: None,
            inbox_identifier: None,
            additional_attributes: None,
            provider: None,
        };
        match row.channel.0 {
            Channel::WebWidget(w) => {
                let token = row.website_token.unwrap_or_default();
                inbox.web_widget_script = Some(widget_script(&state.settings.frontend_url, &token));
                inbox.website_token = Some(token);
                inbox.allowed_domains = Some(w.allowed_domains);
                inbox.widget_color = Some(w.widget_color);
                inbox.website_url = Some(w.website_url);
                inbox.welcome_title = w.welcome_title;
                inbox.welcome_tagline = w.welcome_tagline;
                inbox.selected_feature_flags = Some(w.selected_feature_flags);
                inbox.reply_time = Some(w.reply_time.as_str());
                inbox.pre_chat_form_enabled = Some(w.pre_chat_form_enabled);
                inbox.pre_chat_form_options = Some(w.pre_chat_form_options);
                inbox.continuity_via_email = Some(w.continuity_via_email);
            }
            Channel::Api(a) => {
                inbox.webhook_url = Some(a.webhook_url);
                inbox.inbox_identifier = row.inbox_identifier;
                inbox.additional_attributes = Some(a.additional_attributes);
            }
        }
        inbox
    }
}

/// The snippet a website embeds to load the live-chat widget.
fn widget_script(base_url: &str, website_token: &str) -> String {
    let base_url = base_url.trim_end_matches('/');
    format!(
        r#"
<script>
  (function(d, t) {{
    var BASE_URL = "{base_url}";
    var g = d.createElement(t), s = d.getElementsByTagName(t)[0];
    g.src = BASE_URL + "/packs/js/sdk.js";
    g.async = true;
    s.parentNode.insertBefore(g, s);
    g.onload = function() {{
      window.chatwootSDK.run({{ websiteToken: '{website_token}', baseUrl: BASE_URL }});
    }};
  }})(document, "script");
</script>
"#
    )
}

/// `{"payload": [Inbox]}`
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxList {
    pub payload: Vec<Inbox>,
}

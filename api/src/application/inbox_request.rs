//! Request bodies of the inbox endpoints and their translation into
//! command input. Like upstream, unknown keys are ignored, a body may be
//! nested under `inbox`, and a top-level string `"null"` means null.

use crate::dto::{flexible_id, nullable};
use crate::extract::RequestBody;
use onelink_commands::inboxes::InboxInput;
use onelink_domain::inbox::{ChannelPatch, InboxChange, SettingsPatch, WorkingHourPatch};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct InboxRequest {
    name: Option<String>,
    greeting_enabled: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    greeting_message: Option<Option<String>>,
    enable_email_collect: Option<bool>,
    csat_survey_enabled: Option<bool>,
    #[schema(value_type = Option<Object>)]
    csat_config: Option<Map<String, Value>>,
    enable_auto_assignment: Option<bool>,
    working_hours_enabled: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    out_of_office_message: Option<Option<String>>,
    /// An IANA time zone identifier (default `UTC`).
    timezone: Option<String>,
    allow_messages_after_resolved: Option<bool>,
    lock_to_single_conversation: Option<bool>,
    /// `friendly` (default) or `professional`.
    sender_name_type: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    business_name: Option<Option<String>>,
    /// Required on create (`type`: `web_widget` or `api`); on update, the
    /// editable attributes of the inbox's channel (`type` is ignored).
    channel: Option<ChannelRequest>,
    /// Changes to days of the weekly schedule, by `day_of_week`.
    working_hours: Option<Vec<WorkingHourRequest>>,
}

impl RequestBody for InboxRequest {
    const ROOT: Option<&'static str> = Some("inbox");

    fn normalize(value: Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| if v.as_str() == Some("null") { (k, Value::Null) } else { (k, v) })
                    .collect(),
            ),
            other => other,
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ChannelRequest {
    /// `web_widget` or `api`.
    #[serde(rename = "type")]
    kind: Option<String>,
    /// Website widget: required on create.
    website_url: Option<String>,
    widget_color: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    welcome_title: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    welcome_tagline: Option<Option<String>>,
    /// `in_a_few_minutes`, `in_a_few_hours` or `in_a_day`.
    reply_time: Option<String>,
    pre_chat_form_enabled: Option<bool>,
    #[schema(value_type = Option<Object>)]
    pre_chat_form_options: Option<Map<String, Value>>,
    continuity_via_email: Option<bool>,
    hmac_mandatory: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    allowed_domains: Option<Option<String>>,
    /// Any of `attachments`, `emoji_picker`, `end_conversation`,
    /// `use_inbox_avatar_for_bot`, `allow_mobile_webview`.
    selected_feature_flags: Option<Vec<String>>,
    /// API channel: where conversation events are posted (≤ 2048).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    webhook_url: Option<Option<String>>,
    #[schema(value_type = Option<Object>)]
    additional_attributes: Option<Map<String, Value>>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct WorkingHourRequest {
    #[serde(default, deserialize_with = "flexible_id")]
    day_of_week: Option<i64>,
    closed_all_day: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    open_hour: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    open_minutes: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    close_hour: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    close_minutes: Option<Option<i64>>,
    open_all_day: Option<bool>,
}

impl From<WorkingHourRequest> for WorkingHourPatch {
    fn from(w: WorkingHourRequest) -> Self {
        WorkingHourPatch {
            day_of_week: w.day_of_week,
            closed_all_day: w.closed_all_day,
            open_hour: w.open_hour,
            open_minutes: w.open_minutes,
            close_hour: w.close_hour,
            close_minutes: w.close_minutes,
            open_all_day: w.open_all_day,
        }
    }
}

impl From<ChannelRequest> for ChannelPatch {
    fn from(c: ChannelRequest) -> Self {
        ChannelPatch {
            website_url: c.website_url,
            widget_color: c.widget_color,
            welcome_title: c.welcome_title,
            welcome_tagline: c.welcome_tagline,
            reply_time: c.reply_time,
            pre_chat_form_enabled: c.pre_chat_form_enabled,
            pre_chat_form_options: c.pre_chat_form_options,
            continuity_via_email: c.continuity_via_email,
            hmac_mandatory: c.hmac_mandatory,
            allowed_domains: c.allowed_domains,
            selected_feature_flags: c.selected_feature_flags,
            webhook_url: c.webhook_url,
            additional_attributes: c.additional_attributes,
        }
    }
}

impl InboxRequest {
    fn split(self) -> (SettingsPatch, Option<ChannelRequest>, Vec<WorkingHourPatch>) {
        let settings = SettingsPatch {
            name: self.name,
            greeting_enabled: self.greeting_enabled,
            greeting_message: self.greeting_message,
            working_hours_enabled: self.working_hours_enabled,
            enable_email_collect: self.enable_email_collect,
            csat_survey_enabled: self.csat_survey_enabled,
            csat_config: self.csat_config,
            enable_auto_assignment: self.enable_auto_assignment,
            out_of_office_message: self.out_of_office_message,
            timezone: self.timezone,
            allow_messages_after_resolved: self.allow_messages_after_resolved,
            lock_to_single_conversation: self.lock_to_single_conversation,
            sender_name_type: self.sender_name_type,
            business_name: self.business_name,
        };
        let hours = self.working_hours.unwrap_or_default().into_iter().map(Into::into).collect();
        (settings, self.channel, hours)
    }

    /// A new inbox (the channel type decides which channel attributes count).
    pub fn into_input(self) -> InboxInput {
        let (settings, channel, working_hours) = self.split();
        let mut channel = channel.unwrap_or_default();
        let channel_type = channel.kind.take();
        InboxInput { channel_type, settings, channel: channel.into(), working_hours }
    }

    /// A change to an existing inbox.
    pub fn into_change(self) -> InboxChange {
        let (settings, channel, working_hours) = self.split();
        InboxChange { settings, channel: channel.unwrap_or_default().into(), working_hours }
    }
}

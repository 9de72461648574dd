//! The channel behind an inbox: a website live-chat widget or an API
//! channel, their editable attributes and the identifiers generated for
//! them at creation.

use crate::agent_bot::URL_MAX;
use crate::token::IssuedToken;
use crate::validation::{Violations, STRING_MAX};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// Rails' generic cap for text columns.
const TEXT_MAX: usize = 20_000;
const DEFAULT_WIDGET_COLOR: &str = "#1f93ff";
/// Widget features a visitor may be offered, in the upstream's bit order.
pub const WIDGET_FEATURES: &[&str] =
    &["attachments", "emoji_picker", "end_conversation", "use_inbox_avatar_for_bot", "allow_mobile_webview"];
const DEFAULT_WIDGET_FEATURES: &[&str] = &["attachments", "emoji_picker", "end_conversation"];
const PRE_CHAT_OPTION_KEYS: &[&str] = &["pre_chat_message", "require_email", "pre_chat_fields"];
const PRE_CHAT_FIELD_KEYS: &[&str] = &[
    "field_type",
    "label",
    "placeholder",
    "name",
    "enabled",
    "type",
    "required",
    "locale",
    "values",
    "regex_pattern",
    "regex_cue",
];

/// The channel kinds OneLink can create.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    WebWidget,
    Api,
}

impl ChannelKind {
    /// The `channel.type` of a create request.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "web_widget" => Some(Self::WebWidget),
            "api" => Some(Self::Api),
            _ => None,
        }
    }

    /// The upstream's polymorphic `channel_type`.
    pub fn channel_type(self) -> &'static str {
        match self {
            Self::WebWidget => "Channel::WebWidget",
            Self::Api => "Channel::Api",
        }
    }
}

/// How quickly the widget tells visitors to expect a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ReplyTime {
    #[default]
    InAFewMinutes,
    InAFewHours,
    InADay,
}

impl ReplyTime {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "in_a_few_minutes" => Some(Self::InAFewMinutes),
            "in_a_few_hours" => Some(Self::InAFewHours),
            "in_a_day" => Some(Self::InADay),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InAFewMinutes => "in_a_few_minutes",
            Self::InAFewHours => "in_a_few_hours",
            Self::InADay => "in_a_day",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebWidget {
    pub website_url: String,
    pub widget_color: String,
    pub welcome_title: Option<String>,
    pub welcome_tagline: Option<String>,
    pub reply_time: ReplyTime,
    pub pre_chat_form_enabled: bool,
    pub pre_chat_form_options: Map<String, Value>,
    pub continuity_via_email: bool,
    pub hmac_mandatory: bool,
    pub allowed_domains: String,
    pub selected_feature_flags: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ApiChannel {
    pub webhook_url: Option<String>,
    pub hmac_mandatory: bool,
    pub additional_attributes: Map<String, Value>,
}

/// A channel's editable attributes, resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Channel {
    WebWidget(WebWidget),
    Api(ApiChannel),
}

impl Channel {
    pub fn kind(&self) -> ChannelKind {
        match self {
            Channel::WebWidget(_) => ChannelKind::WebWidget,
            Channel::Api(_) => ChannelKind::Api,
        }
    }

    /// A new channel of `kind` with defaults, then `patch` applied.
    pub fn create(kind: ChannelKind, patch: &ChannelPatch, v: &mut Violations) -> Channel {
        let blank = match kind {
            ChannelKind::WebWidget => Channel::WebWidget(WebWidget {
                website_url: String::new(),
                widget_color: DEFAULT_WIDGET_COLOR.to_owned(),
                welcome_title: None,
                welcome_tagline: None,
                reply_time: ReplyTime::default(),
                pre_chat_form_enabled: false,
                pre_chat_form_options: Map::new(),
                continuity_via_email: true,
                hmac_mandatory: false,
                allowed_domains: String::new(),
                selected_feature_flags: DEFAULT_WIDGET_FEATURES.iter().map(|f| (*f).to_owned()).collect(),
            }),
            ChannelKind::Api => Channel::Api(ApiChannel::default()),
        };
        blank.patched(patch, v)
    }

    /// The channel after `patch`; attributes of other channel kinds are
    /// ignored (like the upstream's per-channel permitted parameters).
    pub fn patched(&self, patch: &ChannelPatch, v: &mut Violations) -> Channel {
        match self {
            Channel::WebWidget(w) => Channel::WebWidget(patch_widget(w.clone(), patch, v)),
            Channel::Api(a) => Channel::Api(patch_api(a.clone(), patch, v)),
        }
    }

    pub fn hmac_mandatory(&self) -> bool {
        match self {
            Channel::WebWidget(w) => w.hmac_mandatory,
            Channel::Api(a) => a.hmac_mandatory,
        }
    }
}

/// Channel attributes as a client sent them (`None` keeps the value;
/// `Some(None)` clears a nullable one).
#[derive(Debug, Clone, Default)]
pub struct ChannelPatch {
    pub website_url: Option<String>,
    pub widget_color: Option<String>,
    pub welcome_title: Option<Option<String>>,
    pub welcome_tagline: Option<Option<String>>,
    pub reply_time: Option<String>,
    pub pre_chat_form_enabled: Option<bool>,
    pub pre_chat_form_options: Option<Map<String, Value>>,
    pub continuity_via_email: Option<bool>,
    pub hmac_mandatory: Option<bool>,
    pub allowed_domains: Option<Option<String>>,
    pub selected_feature_flags: Option<Vec<String>>,
    pub webhook_url: Option<Option<String>>,
    pub additional_attributes: Option<Map<String, Value>>,
}

fn patch_widget(mut w: WebWidget, p: &ChannelPatch, v: &mut Violations) -> WebWidget {
    if let Some(url) = &p.website_url {
        w.website_url = url.trim().to_owned();
    }
    v.require_present("website_url", "Website url", Some(&w.website_url));
    v.max_len("website_url", "Website url", Some(&w.website_url), STRING_MAX);
    if let Some(color) = &p.widget_color {
        w.widget_color = color.trim().to_owned();
    }
    v.require_present("widget_color", "Widget color", Some(&w.widget_color));
    v.max_len("widget_color", "Widget color", Some(&w.widget_color), STRING_MAX);
    if let Some(t) = &p.welcome_title {
        w.welcome_title = t.clone();
    }
    v.max_len("welcome_title", "Welcome title", w.welcome_title.as_deref(), STRING_MAX);
    if let Some(t) = &p.welcome_tagline {
        w.welcome_tagline = t.clone();
    }
    v.max_len("welcome_tagline", "Welcome tagline", w.welcome_tagline.as_deref(), STRING_MAX);
    if let Some(raw) = &p.reply_time {
        match ReplyTime::parse(raw) {
            Some(r) => w.reply_time = r,
            None => v.add("reply_time", "Reply time is not included in the list"),
        }
    }
    w.pre_chat_form_enabled = p.pre_chat_form_enabled.unwrap_or(w.pre_chat_form_enabled);
    if let Some(options) = &p.pre_chat_form_options {
        w.pre_chat_form_options = pre_chat_options(options, v);
    }
    if !has_pre_chat_fields(&w.pre_chat_form_options) {
        fill_default_pre_chat(&mut w.pre_chat_form_options);
    }
    w.continuity_via_email = p.continuity_via_email.unwrap_or(w.continuity_via_email);
    w.hmac_mandatory = p.hmac_mandatory.unwrap_or(w.hmac_mandatory);
    if let Some(domains) = &p.allowed_domains {
        w.allowed_domains = domains.clone().unwrap_or_default();
    }
    v.max_len("allowed_domains", "Allowed domains", Some(&w.allowed_domains), TEXT_MAX);
    if let Some(flags) = &p.selected_feature_flags {
        if flags.iter().all(|f| WIDGET_FEATURES.contains(&f.as_str())) {
            // stored in the catalogue's order, each once (a bit field upstream)
            w.selected_feature_flags = WIDGET_FEATURES
                .iter()
                .filter(|f| flags.iter().any(|g| g == *f))
                .map(|f| (*f).to_owned())
                .collect();
        } else {
            v.add("selected_feature_flags", "Selected feature flags is not included in the list");
        }
    }
    w
}

fn patch_api(mut a: ApiChannel, p: &ChannelPatch, v: &mut Violations) -> ApiChannel {
    if let Some(url) = &p.webhook_url {
        a.webhook_url = url.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_owned);
    }
    if let Some(url) = a.webhook_url.as_deref() {
        v.max_len("webhook_url", "Webhook url", Some(url), URL_MAX);
        let scheme_ok = url.starts_with("http://") || url.starts_with("https://");
        if !scheme_ok || url.chars().any(char::is_whitespace) {
            v.add("webhook_url", "Webhook url is invalid");
        }
    }
    a.hmac_mandatory = p.hmac_mandatory.unwrap_or(a.hmac_mandatory);
    if let Some(attrs) = &p.additional_attributes {
        if let Some(window) = attrs.get("agent_reply_time_window").filter(|w| !is_blank(w)) {
            if !positive_integer(window) {
                v.add("agent_reply_time_window", "Agent reply time window must be greater than 0");
            }
        }
        a.additional_attributes = attrs.clone();
    }
    a
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn positive_integer(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.as_f64().is_some_and(|f| f >= 1.0),
        Value::String(s) => s.trim().parse::<i64>().is_ok_and(|n| n > 0),
        _ => false,
    }
}

fn has_pre_chat_fields(options: &Map<String, Value>) -> bool {
    options.get("pre_chat_fields").and_then(Value::as_array).is_some_and(|fields| !fields.is_empty())
}

/// The known keys of the pre-chat form options.
fn pre_chat_options(raw: &Map<String, Value>, v: &mut Violations) -> Map<String, Value> {
    let mut out: Map<String, Value> = raw
        .iter()
        .filter(|(k, _)| PRE_CHAT_OPTION_KEYS.contains(&k.as_str()))
        .map(|(k, x)| (k.clone(), x.clone()))
        .collect();
    if let Some(fields) = out.get_mut("pre_chat_fields") {
        let Some(list) = fields.as_array() else {
            v.add("pre_chat_form_options", "Pre chat form options pre_chat_fields must be a list");
            return out;
        };
        let mut kept = Vec::with_capacity(list.len());
        for field in list {
            let Some(field) = field.as_object() else {
                v.add("pre_chat_form_options", "Pre chat form options pre_chat_fields must be objects");
                return out;
            };
            let field: Map<String, Value> = field
                .iter()
                .filter(|(k, _)| PRE_CHAT_FIELD_KEYS.contains(&k.as_str()))
                .map(|(k, x)| (k.clone(), x.clone()))
                .collect();
            kept.push(Value::Object(field));
        }
        *fields = Value::Array(kept);
    }
    out
}

/// Without fields of its own, the form offers e-mail, name and phone,
/// all disabled. (Upstream replaces the whole options, message included.)
fn fill_default_pre_chat(options: &mut Map<String, Value>) {
    let field = |label: &str, name: &str, kind: &str, required: bool| {
        json!({"field_type": "standard", "label": label, "name": name, "type": kind,
               "required": required, "enabled": false})
    };
    options
        .entry("pre_chat_message")
        .or_insert_with(|| Value::String("Share your queries or comments here.".into()));
    options.insert(
        "pre_chat_fields".into(),
        Value::Array(vec![
            field("Email Id", "emailAddress", "email", true),
            field("Full name", "fullName", "text", false),
            field("Phone number", "phoneNumber", "text", false),
        ]),
    );
}

/// Identifiers generated for a new channel (by the command service, since
/// the domain draws no random numbers). The public token is the widget's
/// `website_token` or the API channel's `inbox_identifier`; the HMAC token
/// is a secret and appears only as digest and sealed copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelKeys {
    pub public_token: String,
    pub hmac_token: IssuedToken,
}

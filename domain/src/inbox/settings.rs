//! The channel-independent attributes of an inbox and their validation.

use crate::validation::{Violations, STRING_MAX};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Upstream `Limits::GREETING_MESSAGE_MAX_LENGTH` / `OUT_OF_OFFICE_MESSAGE_MAX_LENGTH`.
pub const MESSAGE_MAX: usize = 10_000;

/// How outgoing e-mail names the sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SenderNameType {
    #[default]
    Friendly,
    Professional,
}

impl SenderNameType {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "friendly" => Some(Self::Friendly),
            "professional" => Some(Self::Professional),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Friendly => "friendly",
            Self::Professional => "professional",
        }
    }
}

/// Everything an inbox is configured with apart from its channel and
/// working hours. Recorded whole, so a replay never depends on defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxSettings {
    pub name: String,
    pub greeting_enabled: bool,
    pub greeting_message: Option<String>,
    pub working_hours_enabled: bool,
    pub enable_email_collect: bool,
    pub csat_survey_enabled: bool,
    pub csat_config: Map<String, Value>,
    pub enable_auto_assignment: bool,
    pub out_of_office_message: Option<String>,
    pub timezone: String,
    pub allow_messages_after_resolved: bool,
    pub lock_to_single_conversation: bool,
    pub sender_name_type: SenderNameType,
    pub business_name: Option<String>,
}

impl Default for InboxSettings {
    /// The upstream column defaults.
    fn default() -> Self {
        Self {
            name: String::new(),
            greeting_enabled: false,
            greeting_message: None,
            working_hours_enabled: false,
            enable_email_collect: true,
            csat_survey_enabled: false,
            csat_config: Map::new(),
            enable_auto_assignment: true,
            out_of_office_message: None,
            timezone: "UTC".to_owned(),
            allow_messages_after_resolved: true,
            lock_to_single_conversation: false,
            sender_name_type: SenderNameType::Friendly,
            business_name: None,
        }
    }
}

/// Settings as a client sent them: `None` keeps the current value; for
/// nullable texts `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct SettingsPatch {
    pub name: Option<String>,
    pub greeting_enabled: Option<bool>,
    pub greeting_message: Option<Option<String>>,
    pub working_hours_enabled: Option<bool>,
    pub enable_email_collect: Option<bool>,
    pub csat_survey_enabled: Option<bool>,
    pub csat_config: Option<Map<String, Value>>,
    pub enable_auto_assignment: Option<bool>,
    pub out_of_office_message: Option<Option<String>>,
    pub timezone: Option<String>,
    pub allow_messages_after_resolved: Option<bool>,
    pub lock_to_single_conversation: Option<bool>,
    pub sender_name_type: Option<String>,
    pub business_name: Option<Option<String>>,
}

impl SettingsPatch {
    /// The settings after this patch, or every violation found.
    pub fn apply_to(&self, current: &InboxSettings, v: &mut Violations) -> InboxSettings {
        let mut s = current.clone();
        if let Some(name) = &self.name {
            s.name = name.trim().to_owned();
        }
        v.require_present("name", "Name", Some(&s.name));
        v.max_len("name", "Name", Some(&s.name), STRING_MAX);
        set(&mut s.greeting_enabled, self.greeting_enabled);
        if let Some(m) = &self.greeting_message {
            s.greeting_message = m.clone();
        }
        v.max_len("greeting_message", "Greeting message", s.greeting_message.as_deref(), MESSAGE_MAX);
        set(&mut s.working_hours_enabled, self.working_hours_enabled);
        set(&mut s.enable_email_collect, self.enable_email_collect);
        set(&mut s.csat_survey_enabled, self.csat_survey_enabled);
        if let Some(config) = &self.csat_config {
            s.csat_config = csat_config(config);
        }
        set(&mut s.enable_auto_assignment, self.enable_auto_assignment);
        if let Some(m) = &self.out_of_office_message {
            s.out_of_office_message = m.clone();
        }
        v.max_len(
            "out_of_office_message",
            "Out of office message",
            s.out_of_office_message.as_deref(),
            MESSAGE_MAX,
        );
        if let Some(tz) = &self.timezone {
            if tz.parse::<chrono_tz::Tz>().is_ok() {
                s.timezone = tz.clone();
            } else {
                v.add("timezone", "Timezone is not included in the list");
            }
        }
        set(&mut s.allow_messages_after_resolved, self.allow_messages_after_resolved);
        set(&mut s.lock_to_single_conversation, self.lock_to_single_conversation);
        if let Some(raw) = &self.sender_name_type {
            match SenderNameType::parse(raw) {
                Some(t) => s.sender_name_type = t,
                None => v.add("sender_name_type", "Sender name type is not included in the list"),
            }
        }
        if let Some(b) = &self.business_name {
            s.business_name = b.clone().filter(|b| !b.trim().is_empty());
        }
        v.max_len("business_name", "Business name", s.business_name.as_deref(), STRING_MAX);
        s
    }
}

fn set<T: Copy>(field: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *field = v;
    }
}

/// The CSAT survey configuration with the upstream's defaults filled in;
/// keys it does not know are dropped.
fn csat_config(raw: &Map<String, Value>) -> Map<String, Value> {
    if raw.is_empty() {
        return Map::new();
    }
    let text = |key: &str, default: &str| {
        raw.get(key).filter(|v| !v.is_null()).cloned().unwrap_or_else(|| Value::String(default.to_owned()))
    };
    let rules = raw.get("survey_rules").and_then(Value::as_object);
    let rule = |key: &str, default: Value| rules.and_then(|r| r.get(key)).cloned().unwrap_or(default);
    let mut out = Map::new();
    out.insert("display_type".into(), text("display_type", "emoji"));
    out.insert("message".into(), text("message", ""));
    out.insert(
        "survey_rules".into(),
        serde_json::json!({
            "operator": rule("operator", "contains".into()),
            "values": rule("values", Value::Array(vec![])),
        }),
    );
    out.insert("button_text".into(), text("button_text", "Please rate us"));
    out.insert("language".into(), text("language", "en"));
    if let Some(template) = raw.get("template").filter(|t| t.is_object()) {
        out.insert("template".into(), template.clone());
    }
    out
}

//! Validation of connected accounts in the wording of Symfony's
//! validator (the framework the seed's API is built with). Attributes are
//! the API's property paths (`avatarUrl`, not `avatar_url`), so the API can
//! render a violation list without translating names.

use super::Provider;
use crate::validation::{Violations, STRING_MAX};
use serde_json::Value;

pub const NOT_BLANK: &str = "This value should not be blank.";
pub const NOT_A_URL: &str = "This value is not a valid URL.";
pub const NOT_A_PHONE_NUMBER: &str = "This value is not a valid phone number.";
pub const IMMUTABLE: &str = "This value cannot be changed.";
pub const NOT_AN_OBJECT: &str = "This value should be of type object.";

/// Longest accepted URL (the upstream's general URL cap).
pub const URL_MAX: usize = 2048;
/// Largest serialized `config` or `credentials` object.
pub const OBJECT_MAX_BYTES: usize = 16 * 1024;

pub fn too_long(max: usize) -> String {
    format!("This value is too long. It should have {max} characters or less.")
}

pub fn too_large(max: usize) -> String {
    format!("This value is too large. It should be {max} bytes or less when encoded as JSON.")
}

/// `name`: required, at most 255 characters.
pub fn check_name(v: &mut Violations, name: Option<&str>) {
    match name.map(str::trim) {
        None | Some("") => v.add("name", NOT_BLANK),
        Some(n) if n.chars().count() > STRING_MAX => v.add("name", too_long(STRING_MAX)),
        Some(_) => {}
    }
}

pub fn check_headline(v: &mut Violations, headline: Option<&str>) {
    if headline.is_some_and(|h| h.chars().count() > STRING_MAX) {
        v.add("headline", too_long(STRING_MAX));
    }
}

/// `avatarUrl`: an absolute `http(s)` URL without spaces, at most 2048
/// characters.
pub fn check_avatar_url(v: &mut Violations, url: Option<&str>) {
    let Some(url) = url else { return };
    if url.chars().count() > URL_MAX {
        v.add("avatarUrl", too_long(URL_MAX));
    } else if !url_is_valid(url) {
        v.add("avatarUrl", NOT_A_URL);
    }
}

fn url_is_valid(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `externalId`: at most 255 characters; a WhatsApp number is E.164.
pub fn check_external_id(v: &mut Violations, provider: Provider, external_id: Option<&str>) {
    let Some(id) = external_id else { return };
    if id.chars().count() > STRING_MAX {
        v.add("externalId", too_long(STRING_MAX));
    } else if provider == Provider::Whatsapp && !is_e164(id) {
        v.add("externalId", NOT_A_PHONE_NUMBER);
    }
}

/// `+`, a non-zero digit, then 1 to 14 more digits.
pub fn is_e164(phone: &str) -> bool {
    let Some(digits) = phone.strip_prefix('+') else { return false };
    (2..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0')
}

pub fn check_config_size(v: &mut Violations, config: &serde_json::Map<String, Value>) {
    if encoded_len(&Value::Object(config.clone())) > OBJECT_MAX_BYTES {
        v.add("config", too_large(OBJECT_MAX_BYTES));
    }
}

/// What the command service checks before it seals credentials: a
/// non-empty JSON object of bounded size.
pub fn credentials_violations(credentials: &Value) -> Violations {
    let mut v = Violations::new();
    match credentials {
        Value::Object(map) if map.is_empty() => v.add("credentials", NOT_BLANK),
        Value::Object(_) if encoded_len(credentials) > OBJECT_MAX_BYTES => {
            v.add("credentials", too_large(OBJECT_MAX_BYTES))
        }
        Value::Object(_) => {}
        Value::Null => v.add("credentials", NOT_BLANK),
        _ => v.add("credentials", NOT_AN_OBJECT),
    }
    v
}

fn encoded_len(value: &Value) -> usize {
    serde_json::to_vec(value).map(|b| b.len()).unwrap_or(usize::MAX)
}

/// Applies an RFC 7396 JSON merge patch to `target`.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    if let Value::Object(map) = target {
        for (key, value) in patch {
            if value.is_null() {
                map.remove(key);
            } else {
                merge_patch(map.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

/// Trimmed, and blank means none.
pub fn blank_to_none(value: Option<String>) -> Option<String> {
    value.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

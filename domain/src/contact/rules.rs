//! The upstream's contact rules (`app/models/contact.rb`,
//! `Contacts::SyncAttributes`): normalisation of the identity fields,
//! validation in Rails' wording and order, labels, and the visitor → lead
//! rule. The command services use the same normalisation to find the claim
//! streams before they build a command.

use super::ContactType;
use crate::validation::{Violations, STRING_MAX};
use serde_json::{Map, Value};

/// Most labels one contact may carry (a resource guard; upstream has none).
pub const LABELS_MAX: usize = 100;

/// Lower-cased and trimmed; blank is no e-mail (`""` → `null`).
pub fn normalize_email(raw: &str) -> Option<String> {
    Some(raw.trim().to_lowercase()).filter(|e| !e.is_empty())
}

/// Trimmed; blank is no phone number.
pub fn normalize_phone(raw: &str) -> Option<String> {
    Some(raw.trim().to_owned()).filter(|p| !p.is_empty())
}

/// Kept as given (identifiers are case-sensitive); blank is none.
pub fn normalize_identifier(raw: &str) -> Option<String> {
    Some(raw.to_owned()).filter(|i| !i.trim().is_empty())
}

/// Devise's `email_regexp`: `/\A[^@\s]+@[^@\s]+\z/`.
pub fn email_is_valid(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// E.164: `+`, a non-zero digit, then 1 to 14 digits. Anchored at both
/// ends (upstream's regex is not anchored at the start; see
/// docs/UPSTREAM-QUIRKS.md).
pub fn phone_is_valid(phone: &str) -> bool {
    let Some(digits) = phone.strip_prefix('+') else { return false };
    (2..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0')
}

/// Which identity values are already owned by another contact of the
/// account (looked up by the command service before the command).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Taken {
    pub email: bool,
    pub phone_number: bool,
    pub identifier: bool,
}

/// The values a create or update would leave on the contact.
pub struct Candidate<'a> {
    pub name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone_number: Option<&'a str>,
    pub identifier: Option<&'a str>,
    pub additional_attributes: Option<&'a Map<String, Value>>,
    pub custom_attributes: Option<&'a Map<String, Value>>,
}

/// Violations in the upstream's order: name, email (taken, format),
/// identifier (taken), phone number (taken, format), then the hashes.
pub fn validate(candidate: &Candidate<'_>, taken: Taken) -> Violations {
    let mut v = Violations::new();
    text_rules(&mut v, "name", "Name", candidate.name);
    if let Some(email) = candidate.email {
        text_rules(&mut v, "email", "Email", Some(email));
        if taken.email {
            v.add("email", "Email has already been taken");
        }
        if !email_is_valid(email) {
            v.add("email", "Email Invalid email");
        }
    }
    if let Some(identifier) = candidate.identifier {
        text_rules(&mut v, "identifier", "Identifier", Some(identifier));
        if taken.identifier {
            v.add("identifier", "Identifier has already been taken");
        }
    }
    if let Some(phone) = candidate.phone_number {
        text_rules(&mut v, "phone_number", "Phone number", Some(phone));
        if taken.phone_number {
            v.add("phone_number", "Phone number has already been taken");
        }
        if !phone_is_valid(phone) {
            v.add("phone_number", "Phone number should be in e164 format");
        }
    }
    hash_rules(&mut v, "additional_attributes", "Additional attributes", candidate.additional_attributes);
    hash_rules(&mut v, "custom_attributes", "Custom attributes", candidate.custom_attributes);
    v
}

/// Length cap, and no NUL characters (Postgres text cannot hold them).
fn text_rules(v: &mut Violations, attribute: &str, label: &str, value: Option<&str>) {
    v.max_len(attribute, label, value, STRING_MAX);
    if value.is_some_and(|s| s.contains('\0')) {
        v.add(attribute, format!("{label} is invalid"));
    }
}

fn hash_rules(v: &mut Violations, attribute: &str, label: &str, value: Option<&Map<String, Value>>) {
    if value.is_some_and(|m| m.iter().any(|(k, val)| k.contains('\0') || has_nul(val))) {
        v.add(attribute, format!("{label} is invalid"));
    }
}

fn has_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// Rails' `present?` for a JSON value.
fn present(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    }
}

/// The type after a save: a visitor with an e-mail, a phone number or a
/// non-blank `social_*` additional attribute becomes a lead.
pub fn resolve_type(
    current: ContactType,
    email: Option<&str>,
    phone_number: Option<&str>,
    additional_attributes: &Map<String, Value>,
) -> ContactType {
    if current != ContactType::Visitor {
        return current;
    }
    let social = additional_attributes.iter().any(|(k, v)| k.starts_with("social_") && present(v));
    if email.is_some() || phone_number.is_some() || social {
        ContactType::Lead
    } else {
        ContactType::Visitor
    }
}

/// Whether `label` could be a label title upstream: letters, digits, `_`
/// and `-` only, at most 255 characters.
pub fn is_label_title(label: &str) -> bool {
    !label.is_empty()
        && label.chars().count() <= STRING_MAX
        && label.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// Labels as stored: trimmed, lower-cased (upstream titles are), without
/// blanks, duplicates or values that cannot be a label title, in the order
/// given. Like the upstream (which keeps only labels defined in the
/// account), anything else is dropped silently.
pub fn normalize_labels<I: IntoIterator<Item = String>>(labels: I) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for label in labels {
        let label = label.trim().to_lowercase();
        if is_label_title(&label) && !out.contains(&label) {
            out.push(label);
        }
    }
    out
}

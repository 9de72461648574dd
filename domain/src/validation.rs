//! Field validation in the upstream's (Rails) wording: each violation names
//! an attribute and carries a full message such as "Name can't be blank".

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub attribute: String,
    pub message: String,
}

/// A non-empty list of violations; rendered as
/// `{"message": "<messages joined by ', '>", "attributes": [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Violations(pub Vec<Violation>);

impl Violations {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(attribute: &str, message: impl Into<String>) -> Self {
        let mut v = Self::new();
        v.add(attribute, message);
        v
    }

    pub fn add(&mut self, attribute: &str, message: impl Into<String>) {
        self.0.push(Violation { attribute: attribute.to_owned(), message: message.into() });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was violated.
    pub fn into_result(self) -> Result<(), Violations> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    pub fn message(&self) -> String {
        self.0.iter().map(|v| v.message.as_str()).collect::<Vec<_>>().join(", ")
    }

    pub fn attributes(&self) -> Vec<String> {
        let mut attrs: Vec<String> = Vec::new();
        for v in &self.0 {
            if !attrs.contains(&v.attribute) {
                attrs.push(v.attribute.clone());
            }
        }
        attrs
    }

    /// Required, non-blank string.
    pub fn require_present(&mut self, attribute: &str, label: &str, value: Option<&str>) {
        if value.is_none_or(|v| v.trim().is_empty()) {
            self.add(attribute, format!("{label} can't be blank"));
        }
    }

    /// Postgres text cannot hold NUL characters: a value carrying one is
    /// "is invalid" rather than a database error later.
    pub fn no_nul(&mut self, attribute: &str, label: &str, value: Option<&str>) {
        if value.is_some_and(|v| v.contains('\0')) {
            self.add(attribute, format!("{label} is invalid"));
        }
    }

    /// Rails' generic length cap.
    pub fn max_len(&mut self, attribute: &str, label: &str, value: Option<&str>, max: usize) {
        if let Some(v) = value {
            if v.chars().count() > max {
                self.add(attribute, format!("{label} is too long (maximum is {max} characters)"));
            }
        }
    }
}

impl std::fmt::Display for Violations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Violations {}

/// Whether a JSON value carries a NUL character in any string or key.
pub fn json_has_nul(value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(json_has_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || json_has_nul(v)),
        _ => false,
    }
}

/// Upstream `ApplicationRecord` cap for string columns.
pub const STRING_MAX: usize = 255;
/// Upstream `ApplicationRecord` cap for text columns.
pub const TEXT_MAX: usize = 20_000;

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

/// Upstream `ApplicationRecord` cap for string columns.
pub const STRING_MAX: usize = 255;
/// Upstream `ApplicationRecord` cap for text columns.
pub const TEXT_MAX: usize = 20_000;

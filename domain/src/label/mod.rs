//! Labels: the account's label catalogue (upstream `Label`), each a
//! `title` (stored lower-cased), an optional `description`, a `color` and
//! a `show_on_sidebar` flag. Administrators manage them; any member reads.
//!
//! A title is unique within its account; since titles are lower-cased
//! before anything else, uniqueness is case-insensitive. It is a
//! [`UniqueClaim`](crate::unique_claim::UniqueClaim) stream appended in the
//! same atomic write as the label's event.
//!
//! Renaming a label does not rename it on conversations and contacts (the
//! upstream's `Labels::UpdateJob`); see docs/UPSTREAM-QUIRKS.md.

mod aggregate;

pub use aggregate::Label;

use crate::ids::{AccountId, LabelId};
use crate::unique_claim::{unique_claim_id, ClaimedField};
use crate::validation::Violations;
use serde::{Deserialize, Serialize};

/// The field title claims are about.
pub const TITLE: ClaimedField = ClaimedField::new("title", "Title");

/// The upstream's column default for `color`.
pub const DEFAULT_COLOR: &str = "#1f93ff";

/// The claim stream of a (normalized) title in `account_id`.
pub fn title_claim_id(account_id: AccountId, title: &str) -> String {
    unique_claim_id(account_id, "label/title", title)
}

/// A title as stored: lower-cased (the upstream's `before_validation`),
/// nothing else (surrounding whitespace makes it invalid, as upstream).
pub fn normalize_title(title: &str) -> String {
    title.to_lowercase()
}

/// The upstream's title format (`RegexHelper::
/// UNICODE_CHARACTER_NUMBER_HYPHEN_UNDERSCORE`,
/// `\A[\p{L}\p{N}]+[\p{L}\p{N}_-]+\z`): at least two characters, letters
/// and digits, `_` and `-` anywhere but first.
pub fn is_valid_title(title: &str) -> bool {
    let word = |c: char| c.is_alphabetic() || c.is_numeric();
    let mut chars = title.chars();
    chars.next().is_some_and(word)
        && title.chars().count() >= 2
        && chars.all(|c| word(c) || c == '_' || c == '-')
}

/// Raw input for a new label; the aggregate validates it.
#[derive(Debug, Clone, Default)]
pub struct NewLabel {
    pub id: LabelId,
    pub account_id: AccountId,
    pub title: Option<String>,
    pub description: Option<String>,
    /// `None` = the default color.
    pub color: Option<String>,
    pub show_on_sidebar: Option<bool>,
}

/// A partial update (outer `None` = unchanged).
#[derive(Debug, Clone, Default)]
pub struct LabelPatch {
    pub title: Option<String>,
    /// `Some(None)` clears the description.
    pub description: Option<Option<String>>,
    pub color: Option<String>,
    /// `Some(None)` clears the flag (the upstream column is nullable).
    pub show_on_sidebar: Option<Option<bool>>,
}

#[derive(Debug, Clone)]
pub enum LabelCommand {
    Create(NewLabel),
    /// Names the account the caller is in: a label of another account is
    /// not found.
    Update {
        account_id: AccountId,
        patch: LabelPatch,
    },
    Delete {
        account_id: AccountId,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum LabelEvent {
    LabelCreated {
        id: LabelId,
        account_id: AccountId,
        title: String,
        description: Option<String>,
        color: String,
        show_on_sidebar: Option<bool>,
    },
    /// Only the fields that changed.
    LabelUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
        description: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        color: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
        show_on_sidebar: Option<Option<bool>>,
    },
    LabelDeleted,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    #[error("label not found")]
    NotFound,
    #[error("label already exists")]
    AlreadyExists,
    #[error("{0}")]
    Invalid(Violations),
}

impl cqrs_es::DomainEvent for LabelEvent {
    fn event_type(&self) -> String {
        match self {
            LabelEvent::LabelCreated { .. } => "LabelCreated",
            LabelEvent::LabelUpdated { .. } => "LabelUpdated",
            LabelEvent::LabelDeleted => "LabelDeleted",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

#[cfg(test)]
mod tests;

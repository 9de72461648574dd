//! The two enums of a custom attribute definition — which records it
//! applies to (`attribute_model`) and how it is shown and compared
//! (`attribute_display_type`) — with the upstream's names and integer
//! values, and the keys each model reserves for its standard attributes.

use serde::{Deserialize, Serialize};

/// Upstream `attribute_model` (`conversation_attribute: 0, contact_attribute: 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AttributeModel {
    #[default]
    ConversationAttribute,
    ContactAttribute,
}

impl AttributeModel {
    pub const ALL: [AttributeModel; 2] =
        [AttributeModel::ConversationAttribute, AttributeModel::ContactAttribute];

    pub fn as_str(self) -> &'static str {
        match self {
            AttributeModel::ConversationAttribute => "conversation_attribute",
            AttributeModel::ContactAttribute => "contact_attribute",
        }
    }

    /// By name or by the upstream's integer value (as a string, e.g. from a
    /// query string).
    pub fn parse(value: &str) -> Option<AttributeModel> {
        let value = value.trim();
        Self::ALL
            .into_iter()
            .enumerate()
            .find(|(i, m)| m.as_str() == value || i.to_string() == value)
            .map(|(_, m)| m)
    }

    /// By the upstream's integer value.
    pub fn from_index(index: i64) -> Option<AttributeModel> {
        usize::try_from(index).ok().and_then(|i| Self::ALL.get(i).copied())
    }

    /// Keys a definition of this model may not use: the upstream's standard
    /// attributes (`CustomAttributeDefinition::STANDARD_ATTRIBUTES`) plus the
    /// standard keys of the model's filter, which a custom attribute of the
    /// same key could never be filtered by.
    pub fn reserved_keys(self) -> &'static [&'static str] {
        match self {
            AttributeModel::ConversationAttribute => &[
                "status",
                "priority",
                "assignee_id",
                "inbox_id",
                "team_id",
                "display_id",
                "campaign_id",
                "labels",
                "browser_language",
                "country_code",
                "referer",
                "created_at",
                "last_activity_at",
                // filter keys
                "conversation_language",
                "mail_subject",
            ],
            AttributeModel::ContactAttribute => &[
                "name",
                "email",
                "phone_number",
                "identifier",
                "country_code",
                "city",
                "company_name",
                "created_at",
                "last_activity_at",
                "referer",
                "blocked",
                // filter keys
                "company",
                "labels",
            ],
        }
    }
}

/// Upstream `attribute_display_type` (`text: 0 … checkbox: 7`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DisplayType {
    #[default]
    Text,
    Number,
    Currency,
    Percent,
    Link,
    Date,
    List,
    Checkbox,
}

impl DisplayType {
    pub const ALL: [DisplayType; 8] = [
        DisplayType::Text,
        DisplayType::Number,
        DisplayType::Currency,
        DisplayType::Percent,
        DisplayType::Link,
        DisplayType::Date,
        DisplayType::List,
        DisplayType::Checkbox,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DisplayType::Text => "text",
            DisplayType::Number => "number",
            DisplayType::Currency => "currency",
            DisplayType::Percent => "percent",
            DisplayType::Link => "link",
            DisplayType::Date => "date",
            DisplayType::List => "list",
            DisplayType::Checkbox => "checkbox",
        }
    }

    /// By name or by the upstream's integer value (as a string).
    pub fn parse(value: &str) -> Option<DisplayType> {
        let value = value.trim();
        Self::ALL
            .into_iter()
            .enumerate()
            .find(|(i, t)| t.as_str() == value || i.to_string() == value)
            .map(|(_, t)| t)
    }

    /// By the upstream's integer value.
    pub fn from_index(index: i64) -> Option<DisplayType> {
        usize::try_from(index).ok().and_then(|i| Self::ALL.get(i).copied())
    }
}

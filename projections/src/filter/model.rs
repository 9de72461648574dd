//! What a filterable model looks like to the engine: its standard attribute
//! table (the upstream's `lib/filters/filter_keys.yml`), where each value
//! lives, how it compares, and which operators it accepts; plus the
//! account's custom attribute definitions for that model.
//!
//! Everything that reaches SQL text from here is `'static`: table aliases,
//! columns and `additional_attributes` keys come from these tables, never
//! from a request.

use super::operator::Operator;

/// Where a standard attribute's value is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A column of the model's table.
    Column(&'static str),
    /// `additional_attributes ->> '<key>'`.
    Additional(&'static str),
    /// The model's labels (see [`Labels`]).
    Labels,
    /// An attribute the model does not store (always `NULL`), such as the
    /// conversation's `campaign_id` while campaigns are not built.
    Absent,
}

/// How values compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text; `case_insensitive` compares `LOWER(column)` with `LOWER(value)`.
    Text {
        case_insensitive: bool,
    },
    /// Integers and decimals.
    Number,
    /// A timestamp compared as a calendar date (UTC), or a date.
    Date,
    Boolean,
    /// Label names (always lower-case).
    Labels,
    /// A named enum stored as its number (`status`, `priority`); `all`
    /// names every value when the attribute allows it.
    Enum {
        codes: &'static [(&'static str, i64)],
        all: bool,
    },
}

/// A value rewrite some attributes need before comparing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Normalize {
    None,
    /// Phone numbers: `"+"` followed by the value without a leading `+`.
    PlusPrefixed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandardAttribute {
    pub key: &'static str,
    pub source: Source,
    pub kind: Kind,
    pub operators: &'static [Operator],
    pub normalize: Normalize,
}

/// How `equal_to` / `not_equal_to` use a condition's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Equality {
    /// Only the first value (the upstream's contact filter).
    FirstValue,
    /// Any of the values (`IN` / `NOT IN`, the conversation filter).
    AnyValue,
}

/// The table holding a model's labels, one row per (owner, label), keyed
/// `(account_id, <owner_column>, label)`.
#[derive(Debug, Clone, Copy)]
pub struct LabelsTable {
    pub table: &'static str,
    pub owner_column: &'static str,
}

/// Where a model keeps its labels.
#[derive(Debug, Clone, Copy)]
pub enum Labels {
    /// Rows of a label table.
    Table(LabelsTable),
    /// A `text[]` column of the model's table.
    Column(&'static str),
}

/// A filterable model.
#[derive(Debug, Clone, Copy)]
pub struct FilterModel {
    /// Alias of the model's table in the queries the filter is pushed into.
    pub alias: &'static str,
    pub attributes: &'static [StandardAttribute],
    pub equality: Equality,
    pub labels: Option<Labels>,
    /// Upstream `attribute_model` of the model's custom attributes
    /// (`contact_attribute`, `conversation_attribute`).
    pub custom_attribute_model: &'static str,
}

impl FilterModel {
    pub fn standard(&self, key: &str) -> Option<&'static StandardAttribute> {
        self.attributes.iter().find(|a| a.key == key)
    }

    pub fn keys(&self) -> Vec<&'static str> {
        self.attributes.iter().map(|a| a.key).collect()
    }
}

/// Display type of a custom attribute definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomType {
    Text,
    Link,
    List,
    Number,
    Currency,
    Percent,
    Date,
    Checkbox,
}

impl CustomType {
    pub fn parse(value: &str) -> Option<CustomType> {
        Some(match value {
            "text" => CustomType::Text,
            "link" => CustomType::Link,
            "list" => CustomType::List,
            "number" => CustomType::Number,
            "currency" => CustomType::Currency,
            "percent" => CustomType::Percent,
            "date" => CustomType::Date,
            "checkbox" => CustomType::Checkbox,
            _ => return None,
        })
    }

    /// The comparison a display type gets (upstream `ATTRIBUTE_TYPES`;
    /// currency and percent, uncast upstream, compare as numbers).
    pub fn kind(self) -> Kind {
        match self {
            CustomType::Text | CustomType::Link | CustomType::List => Kind::Text { case_insensitive: true },
            CustomType::Number | CustomType::Currency | CustomType::Percent => Kind::Number,
            CustomType::Date => Kind::Date,
            CustomType::Checkbox => Kind::Boolean,
        }
    }
}

/// A custom attribute definition of the account for the filtered model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomAttribute {
    pub key: String,
    pub display_type: CustomType,
}

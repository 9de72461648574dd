//! The conversation filter's attribute table (upstream `filter_keys.yml`,
//! `conversations:` section) and how the conversations table is filtered:
//! `equal_to` / `not_equal_to` use every value (`IN` / `NOT IN`), `status`
//! and `priority` take their names, labels live in the `labels` column,
//! `additional_attributes` texts compare case-sensitively.

use super::row::status_code;
use crate::filter::model::{Equality, FilterModel, Kind, Labels, Normalize, Source, StandardAttribute};
use crate::filter::operator::{DATE, EQUALITY, PRESENCE, TEXT};
use crate::filter::{CustomAttribute, Filter, FilterError, Operator};
use chrono::NaiveDate;
use onelink_domain::conversation::{Priority, Status};
use serde_json::Value;

/// Alias of `conversations` in every query the filter is pushed into.
pub const ALIAS: &str = "c";

const EXACT: Kind = Kind::Text { case_insensitive: false };
const ID: &[Operator] = PRESENCE;
const DISPLAY_ID: &[Operator] = TEXT;

const STATUSES: [(&str, i64); 4] = [
    (Status::Open.as_str(), status_code(Status::Open) as i64),
    (Status::Resolved.as_str(), status_code(Status::Resolved) as i64),
    (Status::Pending.as_str(), status_code(Status::Pending) as i64),
    (Status::Snoozed.as_str(), status_code(Status::Snoozed) as i64),
];

const PRIORITIES: [(&str, i64); 4] = [
    (Priority::Low.as_str(), Priority::Low.rank() as i64),
    (Priority::Medium.as_str(), Priority::Medium.rank() as i64),
    (Priority::High.as_str(), Priority::High.rank() as i64),
    (Priority::Urgent.as_str(), Priority::Urgent.rank() as i64),
];

const fn attribute(
    key: &'static str,
    source: Source,
    kind: Kind,
    operators: &'static [Operator],
) -> StandardAttribute {
    StandardAttribute { key, source, kind, operators, normalize: Normalize::None }
}

pub static ATTRIBUTES: [StandardAttribute; 14] = [
    attribute("status", Source::Column("status"), Kind::Enum { codes: &STATUSES, all: true }, EQUALITY),
    attribute("assignee_id", Source::Column("assignee_user_id"), Kind::Number, ID),
    attribute("inbox_id", Source::Column("inbox_id"), Kind::Number, ID),
    attribute("team_id", Source::Column("team_id"), Kind::Number, ID),
    attribute(
        "priority",
        Source::Column("priority"),
        Kind::Enum { codes: &PRIORITIES, all: false },
        EQUALITY,
    ),
    attribute("display_id", Source::Column("display_id"), Kind::Number, DISPLAY_ID),
    attribute("campaign_id", Source::Absent, Kind::Number, ID),
    attribute("labels", Source::Labels, Kind::Labels, PRESENCE),
    attribute("browser_language", Source::Additional("browser_language"), EXACT, EQUALITY),
    attribute("conversation_language", Source::Additional("conversation_language"), EXACT, EQUALITY),
    attribute("referer", Source::Additional("referer"), EXACT, TEXT),
    attribute("mail_subject", Source::Additional("mail_subject"), EXACT, TEXT),
    attribute("created_at", Source::Column("created_at"), Kind::Date, DATE),
    attribute("last_activity_at", Source::Column("last_activity_at"), Kind::Date, DATE),
];

pub static CONVERSATIONS: FilterModel = FilterModel {
    alias: ALIAS,
    attributes: &ATTRIBUTES,
    equality: Equality::AnyValue,
    labels: Some(Labels::Column("labels")),
    custom_attribute_model: "conversation_attribute",
};

/// Validates a conversation filter payload. `custom` holds the account's
/// `conversation_attribute` definitions.
pub fn parse(
    payload: Option<&Value>,
    custom: &[CustomAttribute],
    today: NaiveDate,
) -> Result<Filter, FilterError> {
    crate::filter::parse(payload, &CONVERSATIONS, custom, today)
}

#[cfg(test)]
mod tests {
    use super::CONVERSATIONS;
    use onelink_domain::custom_attribute::AttributeModel;

    #[test]
    fn no_custom_attribute_can_be_shadowed_by_a_standard_conversation_filter_key() {
        let reserved = AttributeModel::ConversationAttribute.reserved_keys();
        for key in CONVERSATIONS.keys() {
            assert!(
                reserved.contains(&key),
                "{key} is a filter key but may be defined as a custom attribute"
            );
        }
        assert_eq!(CONVERSATIONS.custom_attribute_model, AttributeModel::ConversationAttribute.as_str());
    }
}

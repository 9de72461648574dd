//! The contact filter's attribute table (upstream `filter_keys.yml`,
//! `contacts:` section) and how the contacts table is filtered: only the
//! first value counts for `equal_to` / `not_equal_to`, phone numbers are
//! compared as `"+" + digits`, text compares case-insensitively.
//!
//! Note the upstream's `company` key reads `additional_attributes.company`,
//! while the dashboard and search store `company_name` (kept; see
//! docs/UPSTREAM-QUIRKS.md).

use crate::filter::model::{
    Equality, FilterModel, Kind, Labels, LabelsTable, Normalize, Source, StandardAttribute,
};
use crate::filter::operator::{DATE, EQUALITY, PRESENCE, TEXT, TEXT_WITH_PREFIX};
use crate::filter::{CustomAttribute, Filter, FilterError};
use chrono::NaiveDate;
use serde_json::Value;

/// Alias of `contacts` in every query the filter is pushed into.
pub const ALIAS: &str = "c";

const CI: Kind = Kind::Text { case_insensitive: true };

const fn attribute(
    key: &'static str,
    source: Source,
    kind: Kind,
    operators: &'static [crate::filter::Operator],
) -> StandardAttribute {
    StandardAttribute { key, source, kind, operators, normalize: Normalize::None }
}

pub static ATTRIBUTES: [StandardAttribute; 11] = [
    attribute("name", Source::Column("name"), CI, TEXT),
    StandardAttribute {
        key: "phone_number",
        source: Source::Column("phone_number"),
        kind: CI,
        operators: TEXT_WITH_PREFIX,
        normalize: Normalize::PlusPrefixed,
    },
    attribute("email", Source::Column("email"), CI, TEXT),
    attribute("identifier", Source::Column("identifier"), CI, EQUALITY),
    attribute("country_code", Source::Additional("country_code"), CI, EQUALITY),
    attribute("city", Source::Additional("city"), CI, TEXT),
    attribute("company", Source::Additional("company"), CI, TEXT),
    attribute("labels", Source::Labels, Kind::Labels, PRESENCE),
    attribute("created_at", Source::Column("created_at"), Kind::Date, DATE),
    attribute("last_activity_at", Source::Column("last_activity_at"), Kind::Date, DATE),
    attribute("blocked", Source::Column("blocked"), Kind::Boolean, EQUALITY),
];

pub static CONTACTS: FilterModel = FilterModel {
    alias: ALIAS,
    attributes: &ATTRIBUTES,
    equality: Equality::FirstValue,
    labels: Some(Labels::Table(LabelsTable { table: "contact_labels", owner_column: "contact_id" })),
    custom_attribute_model: "contact_attribute",
};

/// Validates a contact filter payload. `custom` holds the account's
/// `contact_attribute` definitions
/// ([`custom_attributes::query::filter_attributes`](crate::custom_attributes::query::filter_attributes)).
pub fn parse(
    payload: Option<&Value>,
    custom: &[CustomAttribute],
    today: NaiveDate,
) -> Result<Filter, FilterError> {
    crate::filter::parse(payload, &CONTACTS, custom, today)
}

#[cfg(test)]
mod tests {
    use super::CONTACTS;
    use onelink_domain::custom_attribute::AttributeModel;

    #[test]
    fn no_custom_attribute_can_be_shadowed_by_a_standard_contact_filter_key() {
        let reserved = AttributeModel::ContactAttribute.reserved_keys();
        for key in CONTACTS.keys() {
            assert!(
                reserved.contains(&key),
                "{key} is a filter key but may be defined as a custom attribute"
            );
        }
        assert_eq!(CONTACTS.custom_attribute_model, AttributeModel::ContactAttribute.as_str());
    }
}

//! Unit tests of the filter engine: validation order and wording,
//! precedence, value typing and the SQL it emits.

use super::model::{CustomAttribute, CustomType};
use super::*;
use crate::contacts::filter::CONTACTS;
use serde_json::{json, Value};
use sqlx::{Postgres, QueryBuilder};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
}

fn cond(key: &str, op: &str, values: Value, q: Value) -> Value {
    json!({"attribute_key": key, "filter_operator": op, "values": values, "query_operator": q})
}

fn parse_with(payload: Value, custom: &[CustomAttribute]) -> Result<Filter, FilterError> {
    super::parse(Some(&payload), &CONTACTS, custom, today())
}

fn error(payload: Value) -> String {
    match parse_with(payload, &[]) {
        Err(e) => e.to_string(),
        Ok(f) => panic!("accepted: {f:?}"),
    }
}

fn sql(filter: &Filter) -> String {
    let mut qb: QueryBuilder<'_, Postgres> = QueryBuilder::new("");
    sql::push_filter(&mut qb, &CONTACTS, filter);
    qb.sql().to_owned()
}

#[test]
fn query_operators_are_checked_for_every_condition_first() {
    let payload = json!([
        cond("nope", "equal_to", json!(["x"]), json!("AND")),
        cond("name", "equal_to", json!(["x"]), json!("XOR")),
    ]);
    assert_eq!(error(payload), "Query operator must be either \"AND\" or \"OR\".");
}

#[test]
fn messages_follow_the_upstream_order_and_wording() {
    assert_eq!(
        error(json!([cond("name", "is_present", json!([]), json!(null))])),
        "Invalid operator. The allowed operators for name are [equal_to,not_equal_to,contains,does_not_contain]."
    );
    assert_eq!(
        error(json!([cond("email", "contains", json!([]), json!(null))])),
        "Invalid value. The values provided for email are invalid"
    );
    assert_eq!(
        error(json!([cond("nickname", "equal_to", json!([]), json!(null))])),
        "Invalid value. The values provided for nickname are invalid",
        "(b) comes before (c)"
    );
    assert_eq!(
        error(json!([cond("nickname", "equal_to", json!(["x"]), json!(null))])),
        "Invalid attribute key - [nickname]. The key should be one of [name,phone_number,email,identifier,\
         country_code,city,company,labels,created_at,last_activity_at,blocked] or a custom attribute defined in \
         the account."
    );
}

#[test]
fn malformed_payloads_are_refused() {
    assert_eq!(super::parse(None, &CONTACTS, &[], today()), Err(FilterError::MissingPayload));
    assert_eq!(parse_with(json!({"a": 1}), &[]), Err(FilterError::MalformedPayload));
    assert_eq!(parse_with(json!([1, 2]), &[]), Err(FilterError::MalformedPayload));
    let many: Vec<Value> =
        (0..=MAX_CONDITIONS).map(|_| cond("name", "equal_to", json!(["a"]), json!("OR"))).collect();
    assert_eq!(parse_with(Value::Array(many), &[]), Err(FilterError::TooManyConditions));
    // a missing connective between conditions, and a trailing one
    let missing = json!([
        cond("name", "equal_to", json!(["a"]), json!(null)),
        cond("name", "equal_to", json!(["b"]), json!(null))
    ]);
    assert_eq!(parse_with(missing, &[]), Err(FilterError::InvalidQueryOperator));
    let trailing = json!([cond("name", "equal_to", json!(["a"]), json!("and"))]);
    assert_eq!(parse_with(trailing, &[]), Err(FilterError::InvalidQueryOperator));
}

#[test]
fn values_that_cannot_be_typed_are_invalid_not_sql_errors() {
    for (key, op, values) in [
        ("created_at", "is_greater_than", json!(["yesterday"])),
        ("created_at", "is_greater_than", json!(["2024-13-45"])),
        ("created_at", "days_before", json!(["ten"])),
        ("created_at", "days_before", json!([i64::MAX])),
        ("blocked", "equal_to", json!(["maybe"])),
        ("name", "equal_to", json!([{"a": 1}])),
        ("name", "equal_to", json!(["a\u{0}b"])),
        ("name", "contains", json!([null])),
    ] {
        let got = error(json!([cond(key, op, values.clone(), json!(null))]));
        assert_eq!(got, format!("Invalid value. The values provided for {key} are invalid"), "{values}");
    }
}

#[test]
fn and_binds_tighter_than_or() {
    let a = cond("name", "equal_to", json!(["a"]), json!("AND"));
    let b = cond("email", "equal_to", json!(["b"]), json!("OR"));
    let c = cond("city", "equal_to", json!(["c"]), json!(null));
    let f = parse_with(json!([a, b, c]), &[]).unwrap();
    assert_eq!(f.groups().iter().map(Vec::len).collect::<Vec<_>>(), [2, 1]);
    let a = cond("name", "equal_to", json!(["a"]), json!("or"));
    let b = cond("email", "equal_to", json!(["b"]), json!("and"));
    let f = parse_with(json!([a, b, c]), &[]).unwrap();
    assert_eq!(f.groups().iter().map(Vec::len).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(
        sql(&f),
        "(((LOWER(c.name) IN (LOWER($1)))) OR ((LOWER(c.email) IN (LOWER($2))) AND \
         (LOWER((c.additional_attributes ->> 'city')) IN (LOWER($3)))))"
    );
}

#[test]
fn contacts_compare_only_the_first_value_and_normalise_phones() {
    let f =
        parse_with(json!([cond("phone_number", "equal_to", json!(["15551234", "+1999"]), json!(null))]), &[])
            .unwrap();
    let Test::Equal { values, .. } = &f.groups()[0][0].test else { panic!() };
    assert_eq!(values, &[Scalar::Text("+15551234".into())]);
    let f =
        parse_with(json!([cond("phone_number", "starts_with", json!("+1_5%"), json!(null))]), &[]).unwrap();
    assert_eq!(f.groups()[0][0].test, Test::Like { negate: false, patterns: vec!["+1\\_5\\%%".into()] });
}

#[test]
fn every_value_is_a_bind_parameter() {
    let nasty = "'; DROP TABLE contacts; --";
    let payload = json!([
        cond("name", "contains", json!([nasty, "' OR '1'='1"]), json!("OR")),
        cond("labels", "equal_to", json!([nasty]), json!("AND")),
        cond("created_at", "days_before", json!("3"), json!("or")),
        cond("blocked", "not_equal_to", json!(true), json!(null)),
    ]);
    let text = sql(&parse_with(payload, &[]).unwrap());
    assert!(!text.contains("DROP") && !text.contains("'1'"), "{text}");
    assert!(text.contains("$1") && text.contains("NOT IN"), "{text}");
}

#[test]
fn custom_attributes_plug_in_with_bound_keys_and_lenient_casts() {
    let defs = [
        CustomAttribute { key: "plan'; --".into(), display_type: CustomType::Text },
        CustomAttribute { key: "seats".into(), display_type: CustomType::Number },
        CustomAttribute { key: "renewal".into(), display_type: CustomType::Date },
    ];
    let payload = json!([
        cond("plan'; --", "not_equal_to", json!(["Pro"]), json!("AND")),
        cond("seats", "is_greater_than", json!(["10"]), json!("AND")),
        cond("renewal", "is_less_than", json!("2027-01-01"), json!("AND")),
        cond("seats", "weird_op", json!(["1"]), json!(null)),
    ]);
    assert!(matches!(parse_with(payload.clone(), &defs), Err(FilterError::InvalidOperator { .. })));
    let mut payload = payload;
    if let Some(items) = payload.as_array_mut() {
        items.pop();
        items[2]["query_operator"] = Value::Null;
    }
    let text = sql(&parse_with(payload, &defs).unwrap());
    assert!(!text.contains("plan"), "{text}");
    assert!(text.contains("OR (c.custom_attributes ->> $"), "{text}");
    assert!(text.contains("onelink_try_numeric((c.custom_attributes ->> $"), "{text}");
    assert!(text.contains("::numeric") && text.contains("onelink_try_date("), "{text}");
    assert_eq!(
        parse_with(json!([cond("seats", "equal_to", json!(["ten"]), json!(null))]), &defs),
        Err(FilterError::InvalidValue { key: "seats".into() })
    );
}

#[test]
fn an_empty_payload_matches_everything() {
    let f = parse_with(json!([]), &[]).unwrap();
    assert!(f.is_empty());
    assert_eq!(sql(&f), "TRUE");
}

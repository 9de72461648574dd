//! Given/when/then tests of the custom attribute definition aggregate.

use super::*;
use cqrs_es::test::TestFramework;

type DefinitionTest = TestFramework<CustomAttributeDefinition>;

const ACCOUNT: AccountId = AccountId(1);

fn fields(key: &str) -> DefinitionFields {
    DefinitionFields {
        attribute_display_name: "Plan".into(),
        attribute_key: key.into(),
        attribute_display_type: DisplayType::Text,
        attribute_model: AttributeModel::ConversationAttribute,
        ..DefinitionFields::default()
    }
}

fn created(f: DefinitionFields) -> CustomAttributeEvent {
    CustomAttributeEvent::CustomAttributeDefinitionCreated {
        id: CustomAttributeDefinitionId(3),
        account_id: ACCOUNT,
        fields: f,
    }
}

fn new(name: Option<&str>, key: Option<&str>) -> NewDefinition {
    NewDefinition {
        id: CustomAttributeDefinitionId(3),
        account_id: ACCOUNT,
        attribute_display_name: name.map(Into::into),
        attribute_key: key.map(Into::into),
        ..NewDefinition::default()
    }
}

fn update(patch: DefinitionPatch) -> CustomAttributeCommand {
    CustomAttributeCommand::Update { account_id: ACCOUNT, patch }
}

fn violations(result: Result<Vec<CustomAttributeEvent>, CustomAttributeError>) -> (String, Vec<String>) {
    let Err(CustomAttributeError::Invalid(v)) = result else { panic!("accepted: {result:?}") };
    (v.message(), v.attributes())
}

#[test]
fn a_new_definition_is_trimmed_and_defaults_to_a_text_conversation_attribute() {
    DefinitionTest::with(())
        .given_no_previous_events()
        .when(CustomAttributeCommand::Create(new(Some(" Plan "), Some(" plan "))))
        .then_expect_events(vec![created(fields("plan"))]);
}

#[test]
fn name_and_key_are_required_and_the_key_has_upstreams_format() {
    let result = DefinitionTest::with(())
        .given_no_previous_events()
        .when(CustomAttributeCommand::Create(new(None, Some("  "))))
        .inspect_result();
    assert_eq!(
        violations(result),
        (
            "Attribute display name can't be blank, Attribute key can't be blank, \
             Attribute key must only contain letters, numbers, underscores, hyphens, and dots"
                .into(),
            vec!["attribute_display_name".into(), "attribute_key".into()]
        )
    );
    for bad in ["a b", "a'b", "x;DROP", "a/b", "ключ$", "a\0b"] {
        let result = DefinitionTest::with(())
            .given_no_previous_events()
            .when(CustomAttributeCommand::Create(new(Some("X"), Some(bad))))
            .inspect_result();
        assert!(violations(result).0.contains("must only contain"), "{bad:?}");
    }
    for good in ["plan", "Plan_2", "a.b-c", "größe", "ключ", "数字1"] {
        let result = DefinitionTest::with(())
            .given_no_previous_events()
            .when(CustomAttributeCommand::Create(new(Some("X"), Some(good))))
            .inspect_result();
        assert!(result.is_ok(), "{good:?}: {result:?}");
    }
}

#[test]
fn a_key_of_a_standard_attribute_of_its_model_is_refused() {
    let mut contact = new(Some("Company"), Some("company"));
    contact.attribute_model = Some(AttributeModel::ContactAttribute);
    let result = DefinitionTest::with(())
        .given_no_previous_events()
        .when(CustomAttributeCommand::Create(contact))
        .inspect_result();
    assert_eq!(
        violations(result).0,
        "Attribute key The provided key is not allowed as it might conflict with default attributes."
    );
    // a contact key is fine for conversations
    let result = DefinitionTest::with(())
        .given_no_previous_events()
        .when(CustomAttributeCommand::Create(new(Some("Company"), Some("company"))))
        .inspect_result();
    assert!(result.is_ok());
    // moving to the contact model with a reserved key is refused too
    DefinitionTest::with(())
        .given(vec![created(fields("company"))])
        .when(update(DefinitionPatch {
            attribute_model: Some(AttributeModel::ContactAttribute),
            ..Default::default()
        }))
        .then_expect_error(CustomAttributeError::Invalid(Violations::single(
            "attribute_key",
            "Attribute key The provided key is not allowed as it might conflict with default attributes.",
        )));
}

#[test]
fn an_update_records_only_what_changed_and_clears_optional_fields() {
    let mut start = fields("plan");
    start.attribute_description = Some("Which plan".into());
    DefinitionTest::with(())
        .given(vec![created(start)])
        .when(update(DefinitionPatch {
            attribute_display_name: Some(" Plan ".into()),
            attribute_display_type: Some(DisplayType::List),
            attribute_values: Some(vec!["free".into(), "pro".into()]),
            attribute_description: Some(None),
            regex_pattern: Some(None),
            ..Default::default()
        }))
        .then_expect_events(vec![CustomAttributeEvent::CustomAttributeDefinitionUpdated(
            DefinitionChanges {
                attribute_display_type: Some(DisplayType::List),
                attribute_values: Some(vec!["free".into(), "pro".into()]),
                attribute_description: Some(None),
                ..Default::default()
            },
        )]);
    DefinitionTest::with(())
        .given(vec![created(fields("plan"))])
        .when(update(DefinitionPatch { attribute_key: Some("plan".into()), ..Default::default() }))
        .then_expect_events(vec![]);
    DefinitionTest::with(())
        .given(vec![created(fields("plan"))])
        .when(update(DefinitionPatch { attribute_display_name: Some(" ".into()), ..Default::default() }))
        .then_expect_error(CustomAttributeError::Invalid(Violations::single(
            "attribute_display_name",
            "Attribute display name can't be blank",
        )));
}

#[test]
fn another_accounts_or_a_deleted_definition_is_not_found() {
    DefinitionTest::with(())
        .given(vec![created(fields("plan"))])
        .when(CustomAttributeCommand::Delete { account_id: AccountId(2) })
        .then_expect_error(CustomAttributeError::NotFound);
    DefinitionTest::with(())
        .given(vec![created(fields("plan")), CustomAttributeEvent::CustomAttributeDefinitionDeleted])
        .when(update(DefinitionPatch { attribute_key: Some("x".into()), ..Default::default() }))
        .then_expect_error(CustomAttributeError::NotFound);
    DefinitionTest::with(())
        .given(vec![created(fields("plan"))])
        .when(CustomAttributeCommand::Delete { account_id: ACCOUNT })
        .then_expect_events(vec![CustomAttributeEvent::CustomAttributeDefinitionDeleted]);
}

#[test]
fn enums_parse_names_and_upstream_integers() {
    assert_eq!(AttributeModel::parse("1"), Some(AttributeModel::ContactAttribute));
    assert_eq!(AttributeModel::parse("contact_attribute"), Some(AttributeModel::ContactAttribute));
    assert_eq!(AttributeModel::parse("2"), None);
    assert_eq!(AttributeModel::from_index(0), Some(AttributeModel::ConversationAttribute));
    assert_eq!(AttributeModel::from_index(-1), None);
    assert_eq!(DisplayType::parse("7"), Some(DisplayType::Checkbox));
    assert_eq!(DisplayType::parse("currency"), Some(DisplayType::Currency));
    assert_eq!(DisplayType::from_index(8), None);
    assert_eq!(DisplayType::parse("Text"), None);
}

#[test]
fn key_claims_are_per_account_and_model() {
    let contact = AttributeModel::ContactAttribute;
    let conversation = AttributeModel::ConversationAttribute;
    assert_ne!(key_claim_id(ACCOUNT, contact, "plan"), key_claim_id(ACCOUNT, conversation, "plan"));
    assert_ne!(key_claim_id(ACCOUNT, contact, "plan"), key_claim_id(AccountId(2), contact, "plan"));
}

#[test]
fn a_cleared_field_survives_the_round_trip_through_json() {
    let event = CustomAttributeEvent::CustomAttributeDefinitionUpdated(DefinitionChanges {
        regex_cue: Some(None),
        ..Default::default()
    });
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"type": "CustomAttributeDefinitionUpdated", "data": {"regex_cue": null}})
    );
    assert_eq!(serde_json::from_value::<CustomAttributeEvent>(json).unwrap(), event);
}

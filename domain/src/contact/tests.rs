//! Given/when/then tests of the contact and claim aggregates.

use super::claim::claim_stream_id;
use super::rules::{normalize_email, normalize_labels, phone_is_valid};
use super::*;
use crate::ids::{AccountId, ContactId};
use cqrs_es::test::TestFramework;
use serde_json::{json, Map, Value};

type ContactTest = TestFramework<Contact>;
type ClaimTest = TestFramework<ContactClaim>;

const ACCOUNT: AccountId = AccountId(7);

fn map(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

fn new_contact() -> NewContact {
    NewContact { id: ContactId(1), account_id: ACCOUNT, ..NewContact::default() }
}

fn created(fields: ContactFields) -> ContactEvent {
    ContactEvent::ContactCreated { id: ContactId(1), account_id: ACCOUNT, fields }
}

fn update(patch: ContactPatch) -> ContactCommand {
    ContactCommand::Update { account_id: ACCOUNT, patch }
}

fn invalid(result: Result<Vec<ContactEvent>, ContactError>) -> (String, Vec<String>) {
    let Err(ContactError::Invalid(v)) = result else { panic!("expected a validation error, got {result:?}") };
    (v.message(), v.attributes())
}

#[test]
fn a_contact_without_identity_is_a_visitor_with_defaults() {
    ContactTest::with(())
        .given_no_previous_events()
        .when(ContactCommand::Create(new_contact()))
        .then_expect_events(vec![created(ContactFields {
            contact_type: ContactType::Visitor,
            ..ContactFields::default()
        })]);
}

#[test]
fn an_email_or_a_social_profile_makes_a_lead() {
    let mut new = new_contact();
    new.email = normalize_email(" Ada@Example.COM ");
    let events = ContactTest::with(())
        .given_no_previous_events()
        .when(ContactCommand::Create(new))
        .inspect_result()
        .unwrap();
    let ContactEvent::ContactCreated { fields, .. } = &events[0] else { panic!() };
    assert_eq!(fields.email.as_deref(), Some("ada@example.com"));
    assert_eq!(fields.contact_type, ContactType::Lead);

    let mut new = new_contact();
    new.additional_attributes = Some(map(json!({"social_twitter_user_name": "ada"})));
    let events =
        ContactTest::with(()).given_no_previous_events().when(ContactCommand::Create(new)).inspect_result();
    let Ok(events) = events else { panic!() };
    let ContactEvent::ContactCreated { fields, .. } = &events[0] else { panic!() };
    assert_eq!(fields.contact_type, ContactType::Lead);
}

#[test]
fn violations_come_in_the_upstream_order_and_wording() {
    let mut new = new_contact();
    new.email = Some("not-an-email".into());
    new.phone_number = Some("12345".into());
    new.identifier = Some("abc".into());
    new.taken = Taken { email: true, phone_number: true, identifier: true };
    let result =
        ContactTest::with(()).given_no_previous_events().when(ContactCommand::Create(new)).inspect_result();
    let (message, attributes) = invalid(result);
    assert_eq!(
        message,
        "Email has already been taken, Email Invalid email, Identifier has already been taken, \
         Phone number has already been taken, Phone number should be in e164 format"
    );
    assert_eq!(attributes, ["email", "identifier", "phone_number"]);
}

#[test]
fn phone_numbers_are_e164_anchored_at_both_ends() {
    for ok in ["+15551234567", "+12", "+123456789012345"] {
        assert!(phone_is_valid(ok), "{ok}");
    }
    for bad in ["15551234567", "+0123", "+1", "+1234567890123456", "tel:+15551234567", "+1 555", "+１２３"]
    {
        assert!(!phone_is_valid(bad), "{bad}");
    }
}

#[test]
fn names_are_capped_and_nul_is_refused() {
    let mut new = new_contact();
    new.name = Some("x".repeat(256));
    new.custom_attributes = Some(map(json!({"k": ["a\u{0}b"]})));
    let result =
        ContactTest::with(()).given_no_previous_events().when(ContactCommand::Create(new)).inspect_result();
    let (message, attributes) = invalid(result);
    assert_eq!(message, "Name is too long (maximum is 255 characters), Custom attributes is invalid");
    assert_eq!(attributes, ["name", "custom_attributes"]);
}

#[test]
fn an_update_merges_hashes_shallowly_and_records_only_changes() {
    let fields = ContactFields {
        name: "Ada".into(),
        custom_attributes: map(json!({"plan": "free", "seats": 1})),
        additional_attributes: map(json!({"city": "Paris", "nested": {"a": 1}})),
        ..ContactFields::default()
    };
    let patch = ContactPatch {
        name: Some("Ada".into()),
        custom_attributes: Some(map(json!({"plan": "pro"}))),
        additional_attributes: Some(map(json!({"nested": {"b": 2}}))),
        ..ContactPatch::default()
    };
    ContactTest::with(()).given(vec![created(fields)]).when(update(patch)).then_expect_events(vec![
        ContactEvent::ContactUpdated {
            account_id: ACCOUNT,
            name: None,
            email: None,
            phone_number: None,
            identifier: None,
            blocked: None,
            additional_attributes: Some(map(json!({"city": "Paris", "nested": {"b": 2}}))),
            custom_attributes: Some(map(json!({"plan": "pro", "seats": 1}))),
            contact_type: None,
        },
    ]);
}

#[test]
fn an_update_without_changes_emits_nothing_and_a_phone_makes_a_lead() {
    let fields = ContactFields { name: "Ada".into(), ..ContactFields::default() };
    ContactTest::with(())
        .given(vec![created(fields.clone())])
        .when(update(ContactPatch { name: Some("Ada".into()), ..ContactPatch::default() }))
        .then_expect_events(vec![]);
    let patch = ContactPatch { phone_number: Some(Some("+4930123".into())), ..ContactPatch::default() };
    ContactTest::with(()).given(vec![created(fields)]).when(update(patch)).then_expect_events(vec![
        ContactEvent::ContactUpdated {
            account_id: ACCOUNT,
            name: None,
            email: None,
            phone_number: Some(Some("+4930123".into())),
            identifier: None,
            blocked: None,
            additional_attributes: None,
            custom_attributes: None,
            contact_type: Some(ContactType::Lead),
        },
    ]);
}

#[test]
fn a_lead_stays_a_lead_when_its_email_is_cleared() {
    let fields = ContactFields {
        email: Some("a@b.c".into()),
        contact_type: ContactType::Lead,
        ..ContactFields::default()
    };
    let events = ContactTest::with(())
        .given(vec![created(fields)])
        .when(update(ContactPatch { email: Some(None), ..ContactPatch::default() }))
        .inspect_result()
        .unwrap();
    assert!(matches!(&events[0], ContactEvent::ContactUpdated { contact_type: None, email: Some(None), .. }));
}

#[test]
fn another_accounts_commands_find_nothing() {
    let other = AccountId(8);
    let given = || vec![created(ContactFields::default())];
    for command in [
        ContactCommand::Update { account_id: other, patch: ContactPatch::default() },
        ContactCommand::Delete { account_id: other },
        ContactCommand::SetLabels { account_id: other, labels: vec!["vip".into()] },
        ContactCommand::RemoveCustomAttributes { account_id: other, keys: vec!["k".into()] },
    ] {
        let result = ContactTest::with(()).given(given()).when(command).inspect_result();
        assert_eq!(result, Err(ContactError::NotFound));
    }
}

#[test]
fn deleted_contacts_are_gone() {
    let deleted = ContactEvent::ContactDeleted { account_id: ACCOUNT };
    ContactTest::with(())
        .given(vec![created(ContactFields::default()), deleted])
        .when(ContactCommand::Delete { account_id: ACCOUNT })
        .then_expect_error(ContactError::NotFound);
}

#[test]
fn removing_custom_attributes_records_only_present_keys() {
    let fields =
        ContactFields { custom_attributes: map(json!({"a": 1, "b": 2})), ..ContactFields::default() };
    let remove = |keys: &[&str]| ContactCommand::RemoveCustomAttributes {
        account_id: ACCOUNT,
        keys: keys.iter().map(|k| k.to_string()).collect(),
    };
    ContactTest::with(())
        .given(vec![created(fields.clone())])
        .when(remove(&["a", "zzz", "a"]))
        .then_expect_events(vec![ContactEvent::ContactCustomAttributesRemoved {
            account_id: ACCOUNT,
            keys: vec!["a".into()],
        }]);
    ContactTest::with(()).given(vec![created(fields)]).when(remove(&["zzz"])).then_expect_events(vec![]);
}

#[test]
fn labels_are_normalised_and_overwritten() {
    assert_eq!(
        normalize_labels(["VIP".to_string(), " vip ".into(), "".into(), "has space".into(), "b2b".into()]),
        ["vip", "b2b"]
    );
    let set = |labels: &[&str]| ContactCommand::SetLabels {
        account_id: ACCOUNT,
        labels: labels.iter().map(|l| l.to_string()).collect(),
    };
    let had = ContactEvent::ContactLabelsChanged { account_id: ACCOUNT, labels: vec!["vip".into()] };
    ContactTest::with(())
        .given(vec![created(ContactFields::default()), had.clone()])
        .when(set(&["VIP"]))
        .then_expect_events(vec![]);
    ContactTest::with(())
        .given(vec![created(ContactFields::default()), had])
        .when(set(&[]))
        .then_expect_events(vec![ContactEvent::ContactLabelsChanged { account_id: ACCOUNT, labels: vec![] }]);
    let many: Vec<String> = (0..=rules::LABELS_MAX).map(|i| format!("l{i}")).collect();
    let result = ContactTest::with(())
        .given(vec![created(ContactFields::default())])
        .when(ContactCommand::SetLabels { account_id: ACCOUNT, labels: many })
        .inspect_result();
    assert!(matches!(result, Err(ContactError::Rejected(_))));
}

#[test]
fn a_claim_has_one_owner_until_released() {
    let claim = |id| ContactClaimCommand::Claim {
        account_id: ACCOUNT,
        kind: ClaimKind::Email,
        contact_id: ContactId(id),
    };
    let claimed = ContactClaimEvent::ContactValueClaimed {
        account_id: ACCOUNT,
        kind: ClaimKind::Email,
        contact_id: ContactId(1),
    };
    ClaimTest::with(()).given_no_previous_events().when(claim(1)).then_expect_events(vec![claimed.clone()]);
    ClaimTest::with(()).given(vec![claimed.clone()]).when(claim(1)).then_expect_events(vec![]);
    ClaimTest::with(())
        .given(vec![claimed.clone()])
        .when(claim(2))
        .then_expect_error_message("Email has already been taken");
    let released = ContactClaimEvent::ContactValueReleased { account_id: ACCOUNT, contact_id: ContactId(1) };
    ClaimTest::with(())
        .given(vec![claimed.clone()])
        .when(ContactClaimCommand::Release { account_id: ACCOUNT, contact_id: ContactId(2) })
        .then_expect_events(vec![]);
    ClaimTest::with(()).given(vec![claimed, released]).when(claim(2)).then_expect_events(vec![
        ContactClaimEvent::ContactValueClaimed {
            account_id: ACCOUNT,
            kind: ClaimKind::Email,
            contact_id: ContactId(2),
        },
    ]);
}

#[test]
fn claim_streams_are_per_account_and_kind() {
    assert_eq!(claim_stream_id(ACCOUNT, ClaimKind::Email, "a@b.c"), "7/email/a@b.c");
    assert_ne!(
        claim_stream_id(ACCOUNT, ClaimKind::Identifier, "X"),
        claim_stream_id(ACCOUNT, ClaimKind::Identifier, "x")
    );
    assert_ne!(
        claim_stream_id(AccountId(1), ClaimKind::PhoneNumber, "+1"),
        claim_stream_id(AccountId(2), ClaimKind::PhoneNumber, "+1")
    );
}

#[test]
fn events_round_trip_through_json() {
    let event = ContactEvent::ContactUpdated {
        account_id: ACCOUNT,
        name: None,
        email: Some(None),
        phone_number: Some(Some("+1555".into())),
        identifier: None,
        blocked: Some(true),
        additional_attributes: None,
        custom_attributes: None,
        contact_type: None,
    };
    let text = serde_json::to_value(&event).unwrap();
    assert_eq!(
        text,
        json!({"type": "ContactUpdated", "data": {"account_id": 7, "email": null, "phone_number": "+1555", "blocked": true}})
    );
    assert_eq!(serde_json::from_value::<ContactEvent>(text).unwrap(), event);
}

//! Given/when/then tests of the connected-account aggregate and its rules.

use super::rules::{credentials_violations, merge_patch};
use super::*;
use cqrs_es::test::TestFramework;
use serde_json::json;

type Test = TestFramework<ConnectedAccount>;

const ACCOUNT: AccountId = AccountId(1);

fn id() -> ConnectedAccountId {
    ConnectedAccountId(uuid::Uuid::from_u128(7))
}

fn sealed(tag: &str) -> SealedCredentials {
    SealedCredentials { sealed: format!("sealed-{tag}") }
}

fn new_account() -> NewConnectedAccount {
    NewConnectedAccount {
        id: id(),
        account_id: ACCOUNT,
        provider: Some(Provider::Whatsapp),
        name: Some(" Michael Scott ".into()),
        headline: Some("Regional Manager at Dunder Mifflin".into()),
        avatar_url: Some("https://example.com/avatars/michael_scott.png".into()),
        external_id: Some("+15551234567".into()),
        config: json!({"region": "us"}).as_object().cloned().unwrap_or_default(),
        credentials: Some(sealed("a")),
        inbox_id: None,
    }
}

fn connected() -> ConnectedAccountEvent {
    ConnectedAccountEvent::ConnectedAccountConnected(Connected {
        id: id(),
        account_id: ACCOUNT,
        provider: Provider::Whatsapp,
        name: "Michael Scott".into(),
        headline: Some("Regional Manager at Dunder Mifflin".into()),
        avatar_url: Some("https://example.com/avatars/michael_scott.png".into()),
        external_id: Some("+15551234567".into()),
        config: json!({"region": "us"}).as_object().cloned().unwrap_or_default(),
        credentials: sealed("a"),
        inbox_id: None,
        status: ConnectionStatus::Connecting,
    })
}

fn update(patch: ConnectedAccountPatch) -> ConnectedAccountCommand {
    ConnectedAccountCommand::Update { account_id: ACCOUNT, patch }
}

fn invalid(result: Result<Vec<ConnectedAccountEvent>, ConnectedAccountError>) -> Vec<(String, String)> {
    match result {
        Err(ConnectedAccountError::Invalid(v)) => v.0.into_iter().map(|v| (v.attribute, v.message)).collect(),
        other => panic!("expected violations, got {other:?}"),
    }
}

#[test]
fn connecting_records_the_trimmed_fields_and_starts_connecting() {
    Test::with(())
        .given_no_previous_events()
        .when(ConnectedAccountCommand::Connect(new_account()))
        .then_expect_events(vec![connected()]);
}

#[test]
fn a_connection_needs_a_name_and_credentials_and_valid_fields() {
    let bad = NewConnectedAccount {
        provider: None,
        name: Some("  ".into()),
        headline: Some("h".repeat(256)),
        avatar_url: Some("javascript:alert(1)".into()),
        external_id: Some("5551234567".into()),
        credentials: None,
        ..new_account()
    };
    let result = Test::with(()).given_no_previous_events().when(ConnectedAccountCommand::Connect(bad));
    assert_eq!(
        invalid(result.inspect_result()),
        vec![
            ("integration".into(), "This value should not be blank.".into()),
            ("name".into(), "This value should not be blank.".into()),
            ("headline".into(), "This value is too long. It should have 255 characters or less.".into()),
            ("avatarUrl".into(), "This value is not a valid URL.".into()),
            ("credentials".into(), "This value should not be blank.".into()),
        ]
    );
    let bad_phone = NewConnectedAccount { external_id: Some("5551234567".into()), ..new_account() };
    let result = Test::with(()).given_no_previous_events().when(ConnectedAccountCommand::Connect(bad_phone));
    assert_eq!(
        invalid(result.inspect_result()),
        vec![("externalId".into(), "This value is not a valid phone number.".into())]
    );
}

#[test]
fn only_whatsapp_ids_must_be_phone_numbers() {
    let linkedin = NewConnectedAccount {
        provider: Some(Provider::Linkedin),
        external_id: Some("in/mscott".into()),
        ..new_account()
    };
    let events = Test::with(())
        .given_no_previous_events()
        .when(ConnectedAccountCommand::Connect(linkedin))
        .inspect_result()
        .unwrap();
    assert_eq!(events.len(), 1);
}

#[test]
fn connecting_twice_is_refused() {
    Test::with(())
        .given(vec![connected()])
        .when(ConnectedAccountCommand::Connect(new_account()))
        .then_expect_error(ConnectedAccountError::AlreadyExists);
}

#[test]
fn an_update_records_only_what_changed_and_merges_the_config() {
    Test::with(())
        .given(vec![connected()])
        .when(update(ConnectedAccountPatch {
            provider: Some(Provider::Whatsapp),
            name: Some("Michael Scott".into()),
            headline: Some(None),
            config: Some(json!({"region": null, "webhook": {"verify": true}})),
            ..ConnectedAccountPatch::default()
        }))
        .then_expect_events(vec![ConnectedAccountEvent::ConnectedAccountUpdated {
            name: None,
            headline: Some(None),
            avatar_url: None,
            external_id: None,
            config: Some(json!({"webhook": {"verify": true}}).as_object().cloned().unwrap_or_default()),
            inbox_id: None,
        }]);
}

#[test]
fn an_update_that_changes_nothing_records_nothing() {
    Test::with(())
        .given(vec![connected()])
        .when(update(ConnectedAccountPatch {
            name: Some("Michael Scott".into()),
            config: Some(json!({"region": "us"})),
            inbox_id: Some(None),
            ..ConnectedAccountPatch::default()
        }))
        .then_expect_events(vec![]);
}

#[test]
fn new_credentials_are_their_own_event() {
    Test::with(())
        .given(vec![connected()])
        .when(update(ConnectedAccountPatch {
            credentials: Some(sealed("b")),
            inbox_id: Some(Some(InboxId(3))),
            ..ConnectedAccountPatch::default()
        }))
        .then_expect_events(vec![
            ConnectedAccountEvent::ConnectedAccountUpdated {
                name: None,
                headline: None,
                avatar_url: None,
                external_id: None,
                config: None,
                inbox_id: Some(Some(InboxId(3))),
            },
            ConnectedAccountEvent::ConnectedAccountCredentialsReplaced { credentials: sealed("b") },
        ]);
}

#[test]
fn the_provider_cannot_change_and_the_name_cannot_be_cleared() {
    let result = Test::with(()).given(vec![connected()]).when(update(ConnectedAccountPatch {
        provider: Some(Provider::Linkedin),
        name: Some(String::new()),
        ..ConnectedAccountPatch::default()
    }));
    assert_eq!(
        invalid(result.inspect_result()),
        vec![
            ("integration".into(), "This value cannot be changed.".into()),
            ("name".into(), "This value should not be blank.".into()),
        ]
    );
}

#[test]
fn another_accounts_connection_is_not_found() {
    let other = AccountId(2);
    Test::with(())
        .given(vec![connected()])
        .when(ConnectedAccountCommand::Update { account_id: other, patch: ConnectedAccountPatch::default() })
        .then_expect_error(ConnectedAccountError::NotFound);
    Test::with(())
        .given(vec![connected()])
        .when(ConnectedAccountCommand::Disconnect { account_id: other })
        .then_expect_error(ConnectedAccountError::NotFound);
}

#[test]
fn a_disconnected_account_is_gone() {
    Test::with(())
        .given(vec![connected()])
        .when(ConnectedAccountCommand::Disconnect { account_id: ACCOUNT })
        .then_expect_events(vec![ConnectedAccountEvent::ConnectedAccountDisconnected]);
    Test::with(())
        .given(vec![connected(), ConnectedAccountEvent::ConnectedAccountDisconnected])
        .when(ConnectedAccountCommand::Disconnect { account_id: ACCOUNT })
        .then_expect_error(ConnectedAccountError::NotFound);
    Test::with(())
        .given_no_previous_events()
        .when(update(ConnectedAccountPatch::default()))
        .then_expect_error(ConnectedAccountError::NotFound);
}

#[test]
fn credentials_must_be_a_non_empty_bounded_object() {
    assert!(credentials_violations(&json!({"token": "x"})).is_empty());
    for (value, message) in [
        (json!({}), "This value should not be blank."),
        (json!(null), "This value should not be blank."),
        (json!("token"), "This value should be of type object."),
        (
            json!({"k": "x".repeat(20_000)}),
            "This value is too large. It should be 16384 bytes or less when encoded as JSON.",
        ),
    ] {
        let v = credentials_violations(&value);
        assert_eq!(v.message(), message, "{value}");
        assert_eq!(v.attributes(), vec!["credentials"]);
    }
}

#[test]
fn merge_patch_follows_rfc_7396() {
    // RFC 7396 appendix A, a selection
    let cases = [
        (json!({"a": "b"}), json!({"a": "c"}), json!({"a": "c"})),
        (json!({"a": "b"}), json!({"b": "c"}), json!({"a": "b", "b": "c"})),
        (json!({"a": "b"}), json!({"a": null}), json!({})),
        (json!({"a": {"b": "c"}}), json!({"a": {"b": "d", "c": null}}), json!({"a": {"b": "d"}})),
        (json!({"a": [{"b": "c"}]}), json!({"a": [1]}), json!({"a": [1]})),
        (json!({"e": null}), json!({"a": 1}), json!({"e": null, "a": 1})),
        (json!({}), json!({"a": {"bb": {"ccc": null}}}), json!({"a": {"bb": {}}})),
    ];
    for (target, patch, expected) in cases {
        let mut t = target.clone();
        merge_patch(&mut t, &patch);
        assert_eq!(t, expected, "{target} + {patch}");
    }
}

#[test]
fn sealed_credentials_do_not_print() {
    assert_eq!(format!("{:?}", sealed("secret")), "SealedCredentials([sealed])");
}

use super::*;
use crate::ids::UserId;
use crate::token::IssuedToken;
use chrono::{TimeZone, Utc};
use cqrs_es::test::TestFramework;

type UserTest = TestFramework<User>;

fn token(tag: &str) -> IssuedToken {
    IssuedToken { digest: format!("digest-{tag}"), sealed: format!("sealed-{tag}") }
}

fn new_user(name: &str, email: &str) -> NewUser {
    NewUser {
        id: UserId(5),
        name: name.into(),
        display_name: None,
        email: email.into(),
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$x$y".into()),
        access_token: token("a"),
        pubsub_token: token("p"),
        custom_attributes: Default::default(),
        confirmed: true,
    }
}

#[test]
fn email_is_normalized_on_create() {
    let expected = new_user("Ann", "ann@example.com");
    UserTest::with(())
        .given_no_previous_events()
        .when(UserCommand::Create(new_user(" Ann ", " Ann@Example.COM ")))
        .then_expect_events(vec![UserEvent::UserCreated(expected)]);
}

#[test]
fn invalid_email_and_blank_name_are_reported_together() {
    let Err(UserError::Invalid(v)) = UserTest::with(())
        .given_no_previous_events()
        .when(UserCommand::Create(new_user("", "not-an-email")))
        .inspect_result()
    else {
        panic!("expected a validation error")
    };
    assert_eq!(v.message(), "Name can't be blank, Email is invalid");
}

#[test]
fn password_rules_follow_the_upstream() {
    assert!(password_violations("Passw0rd!").is_empty());
    let v = password_violations("abc");
    assert_eq!(
        v.message(),
        "Password is too short (minimum is 6 characters), Password must contain at least 1 uppercase character, \
         Password must contain at least 1 digit, Password must contain at least 1 special character"
    );
    assert_eq!(password_violations(&"Aa1!".repeat(33)).attributes(), vec!["password"]);
}

#[test]
fn custom_attributes_are_merged_not_replaced() {
    let mut created = new_user("Ann", "ann@example.com");
    created.custom_attributes.insert("a".into(), 1.into());
    let mut extra = serde_json::Map::new();
    extra.insert("b".into(), 2.into());
    let mut merged = created.custom_attributes.clone();
    merged.insert("b".into(), 2.into());
    UserTest::with(())
        .given(vec![UserEvent::UserCreated(created)])
        .when(UserCommand::Update(UserPatch { custom_attributes: Some(extra), ..Default::default() }))
        .then_expect_events(vec![UserEvent::UserUpdated {
            name: None,
            display_name: None,
            email: None,
            custom_attributes: Some(merged),
        }]);
}

#[test]
fn a_single_sign_on_token_works_once_and_only_before_it_expires() {
    let issued_at = Utc.with_ymd_and_hms(2026, 1, 1, 10, 0, 0).unwrap();
    let expires_at = issued_at + chrono::Duration::minutes(5);
    let given = vec![
        UserEvent::UserCreated(new_user("Ann", "ann@example.com")),
        UserEvent::SsoTokenIssued { digest: "d1".into(), expires_at },
    ];
    UserTest::with(())
        .given(given.clone())
        .when(UserCommand::ConsumeSsoToken { digest: "d1".into(), now: issued_at })
        .then_expect_events(vec![UserEvent::SsoTokenConsumed { digest: "d1".into() }]);
    let mut used = given.clone();
    used.push(UserEvent::SsoTokenConsumed { digest: "d1".into() });
    UserTest::with(())
        .given(used)
        .when(UserCommand::ConsumeSsoToken { digest: "d1".into(), now: issued_at })
        .then_expect_error(UserError::InvalidSsoToken);
    UserTest::with(())
        .given(given)
        .when(UserCommand::ConsumeSsoToken { digest: "d1".into(), now: expires_at })
        .then_expect_error(UserError::InvalidSsoToken);
}

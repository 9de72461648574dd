use super::*;
use crate::ids::{AccountId, AccountUserId, UserId};
use cqrs_es::test::TestFramework;
use serde_json::json;

type AccountTest = TestFramework<Account>;

fn created(name: &str) -> AccountEvent {
    AccountEvent::AccountCreated {
        id: AccountId(1),
        fields: AccountFields {
            name: name.into(),
            locale: "en".into(),
            features: default_features(),
            ..AccountFields::default()
        },
    }
}

fn new_account(name: Option<&str>) -> NewAccount {
    NewAccount { id: AccountId(1), name: name.map(Into::into), ..NewAccount::default() }
}

#[test]
fn creating_an_account_records_resolved_features() {
    AccountTest::with(())
        .given_no_previous_events()
        .when(AccountCommand::Create(new_account(Some("Acme"))))
        .then_expect_events(vec![created("Acme")]);
}

#[test]
fn a_blank_name_is_rejected_in_upstream_wording() {
    let result = AccountTest::with(())
        .given_no_previous_events()
        .when(AccountCommand::Create(new_account(Some("  "))))
        .inspect_result();
    let Err(AccountError::Invalid(v)) = result else { panic!("expected a validation error") };
    assert_eq!(v.message(), "Name can't be blank");
    assert_eq!(v.attributes(), vec!["name"]);
}

#[test]
fn unknown_locale_status_limits_and_features_are_all_reported() {
    let mut new = new_account(Some("Acme"));
    new.locale = Some("xx".into());
    new.status = Some("frozen".into());
    new.limits = Some(json!({"planets": 3}).as_object().cloned().unwrap_or_default());
    new.features.insert("warp_drive".into(), true);
    let Err(AccountError::Invalid(v)) =
        AccountTest::with(()).given_no_previous_events().when(AccountCommand::Create(new)).inspect_result()
    else {
        panic!("expected a validation error")
    };
    assert_eq!(v.attributes(), vec!["locale", "status", "limits", "features"]);
}

#[test]
fn an_update_records_only_what_changed() {
    let mut patch =
        AccountPatch { name: Some("Acme".into()), locale: Some("de".into()), ..Default::default() };
    patch.features.insert("help_center".into(), true); // already on
    patch.features.insert("campaigns".into(), true); // off by default
    let mut flipped = std::collections::BTreeMap::new();
    flipped.insert("campaigns".to_owned(), true);
    AccountTest::with(())
        .given(vec![created("Acme")])
        .when(AccountCommand::Update(patch))
        .then_expect_events(vec![AccountEvent::AccountUpdated {
            name: None,
            locale: Some("de".into()),
            domain: None,
            support_email: None,
            status: None,
            limits: None,
            custom_attributes: None,
            features: flipped,
        }]);
}

#[test]
fn an_update_without_changes_emits_nothing() {
    AccountTest::with(())
        .given(vec![created("Acme")])
        .when(AccountCommand::Update(AccountPatch { name: Some("Acme".into()), ..Default::default() }))
        .then_expect_events(vec![]);
}

#[test]
fn membership_is_an_upsert() {
    let added = AccountEvent::AccountUserAdded {
        account_user_id: AccountUserId(7),
        user_id: UserId(3),
        role: Role::Agent,
        inviter_id: None,
        availability: Availability::Online,
        auto_offline: true,
    };
    let upsert = |role| AccountCommand::UpsertMember {
        account_user_id: AccountUserId(8),
        user_id: UserId(3),
        role,
        inviter_id: None,
        settings: MemberSettings::default(),
    };
    AccountTest::with(()).given(vec![created("A")]).when(upsert(Role::Agent)).then_expect_events(vec![
        AccountEvent::AccountUserAdded {
            account_user_id: AccountUserId(8),
            user_id: UserId(3),
            role: Role::Agent,
            inviter_id: None,
            availability: Availability::Online,
            auto_offline: true,
        },
    ]);
    AccountTest::with(())
        .given(vec![created("A"), added.clone()])
        .when(upsert(Role::Agent))
        .then_expect_events(vec![]);
    AccountTest::with(())
        .given(vec![created("A"), added])
        .when(upsert(Role::Administrator))
        .then_expect_events(vec![AccountEvent::AccountUserRoleChanged {
            user_id: UserId(3),
            role: Role::Administrator,
        }]);
}

#[test]
fn a_deleted_account_accepts_no_commands() {
    AccountTest::with(())
        .given(vec![created("A"), AccountEvent::AccountDeleted])
        .when(AccountCommand::Delete)
        .then_expect_error(AccountError::NotFound);
    AccountTest::with(())
        .given_no_previous_events()
        .when(AccountCommand::RemoveMember { user_id: UserId(1) })
        .then_expect_error(AccountError::NotFound);
}

#[test]
fn events_round_trip_through_json() {
    let event = created("Acme");
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(json["type"], "AccountCreated");
    assert_eq!(json["data"]["id"], 1);
    assert_eq!(serde_json::from_value::<AccountEvent>(json).unwrap(), event);
}

#[test]
fn member_settings_change_only_what_differs_and_need_a_member() {
    let added = AccountEvent::AccountUserAdded {
        account_user_id: AccountUserId(7),
        user_id: UserId(3),
        role: Role::Agent,
        inviter_id: None,
        availability: Availability::Online,
        auto_offline: true,
    };
    AccountTest::with(())
        .given(vec![created("A"), added])
        .when(AccountCommand::UpdateMember {
            user_id: UserId(3),
            role: Some(Role::Agent),
            availability: Some(Availability::Busy),
            auto_offline: Some(true),
        })
        .then_expect_events(vec![AccountEvent::AccountUserSettingsChanged {
            user_id: UserId(3),
            availability: Some(Availability::Busy),
            auto_offline: None,
        }]);
    AccountTest::with(())
        .given(vec![created("A")])
        .when(AccountCommand::UpdateMember {
            user_id: UserId(9),
            role: None,
            availability: None,
            auto_offline: None,
        })
        .then_expect_error(AccountError::NotAMember);
}

//! Given/when/then tests of the label aggregate.

use super::*;
use cqrs_es::test::TestFramework;

type LabelTest = TestFramework<Label>;

const ACCOUNT: AccountId = AccountId(1);

fn created(title: &str) -> LabelEvent {
    LabelEvent::LabelCreated {
        id: LabelId(7),
        account_id: ACCOUNT,
        title: title.into(),
        description: None,
        color: DEFAULT_COLOR.into(),
        show_on_sidebar: None,
    }
}

fn new(title: Option<&str>) -> LabelCommand {
    LabelCommand::Create(NewLabel {
        id: LabelId(7),
        account_id: ACCOUNT,
        title: title.map(Into::into),
        ..NewLabel::default()
    })
}

fn update(patch: LabelPatch) -> LabelCommand {
    LabelCommand::Update { account_id: ACCOUNT, patch }
}

fn invalid(result: Result<Vec<LabelEvent>, LabelError>) -> (String, Vec<String>) {
    let Err(LabelError::Invalid(v)) = result else { panic!("accepted: {result:?}") };
    (v.message(), v.attributes())
}

#[test]
fn a_new_label_is_lower_cased_with_the_default_color() {
    LabelTest::with(())
        .given_no_previous_events()
        .when(new(Some("Billing-2026_Q1")))
        .then_expect_events(vec![created("billing-2026_q1")]);
    LabelTest::with(())
        .given_no_previous_events()
        .when(new(Some("Ünïcödé")))
        .then_expect_events(vec![created("ünïcödé")]);
}

#[test]
fn titles_follow_the_upstream_format_and_wording() {
    for title in ["a", "_ab", "-ab", "a b", " ab", "ab ", "ab\n", "a.b", "a\0b", "a:b"] {
        assert!(!is_valid_title(title), "{title:?}");
        let result = LabelTest::with(()).given_no_previous_events().when(new(Some(title))).inspect_result();
        assert_eq!(invalid(result), ("Title is invalid".into(), vec!["title".into()]), "{title:?}");
    }
    for title in ["ab", "a_", "a-", "1a", "日本語", "x-_-y"] {
        assert!(is_valid_title(title), "{title:?}");
    }
    let blank = ("Title must not be blank, Title is invalid".into(), vec!["title".into()]);
    let result = LabelTest::with(()).given_no_previous_events().when(new(None)).inspect_result();
    assert_eq!(invalid(result), blank);
    let result = LabelTest::with(()).given_no_previous_events().when(new(Some("  "))).inspect_result();
    assert_eq!(invalid(result), blank);
    let long = "x".repeat(256);
    let result = LabelTest::with(()).given_no_previous_events().when(new(Some(&long))).inspect_result();
    assert_eq!(invalid(result).0, "Title is too long (maximum is 255 characters)");
}

#[test]
fn an_update_records_only_what_changed() {
    LabelTest::with(())
        .given(vec![created("billing")])
        .when(update(LabelPatch {
            title: Some("BILLING".into()),
            description: Some(Some("Money".into())),
            color: Some(DEFAULT_COLOR.into()),
            show_on_sidebar: Some(Some(true)),
        }))
        .then_expect_events(vec![LabelEvent::LabelUpdated {
            title: None,
            description: Some(Some("Money".into())),
            color: None,
            show_on_sidebar: Some(Some(true)),
        }]);
    LabelTest::with(())
        .given(vec![created("billing")])
        .when(update(LabelPatch::default()))
        .then_expect_events(vec![]);
    LabelTest::with(())
        .given(vec![created("billing")])
        .when(update(LabelPatch {
            description: Some(None),
            show_on_sidebar: Some(None),
            ..LabelPatch::default()
        }))
        .then_expect_events(vec![]);
    let result = LabelTest::with(())
        .given(vec![created("billing")])
        .when(update(LabelPatch { title: Some("no way".into()), ..LabelPatch::default() }))
        .inspect_result();
    assert_eq!(invalid(result).0, "Title is invalid");
}

#[test]
fn another_accounts_or_a_deleted_label_is_not_found() {
    LabelTest::with(())
        .given(vec![created("billing")])
        .when(LabelCommand::Delete { account_id: AccountId(2) })
        .then_expect_error(LabelError::NotFound);
    LabelTest::with(())
        .given(vec![created("billing"), LabelEvent::LabelDeleted])
        .when(update(LabelPatch { color: Some("#000".into()), ..LabelPatch::default() }))
        .then_expect_error(LabelError::NotFound);
    LabelTest::with(())
        .given(vec![created("billing")])
        .when(LabelCommand::Delete { account_id: ACCOUNT })
        .then_expect_events(vec![LabelEvent::LabelDeleted]);
    LabelTest::with(())
        .given(vec![created("billing")])
        .when(new(Some("x1")))
        .then_expect_error(LabelError::AlreadyExists);
}

#[test]
fn title_claims_are_per_account_and_case_insensitive_by_normalization() {
    assert_ne!(title_claim_id(ACCOUNT, "vip"), title_claim_id(AccountId(2), "vip"));
    assert_eq!(
        title_claim_id(ACCOUNT, &normalize_title("VIP")),
        title_claim_id(ACCOUNT, &normalize_title("vip"))
    );
}

#[test]
fn an_update_event_round_trips_cleared_fields() {
    let event = LabelEvent::LabelUpdated {
        title: None,
        description: Some(None),
        color: None,
        show_on_sidebar: Some(None),
    };
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"type": "LabelUpdated", "data": {"description": null, "show_on_sidebar": null}})
    );
    assert_eq!(serde_json::from_value::<LabelEvent>(json).unwrap(), event);
}

//! Given/when/then tests of the canned response aggregate.

use super::*;
use cqrs_es::test::TestFramework;

type CannedTest = TestFramework<CannedResponse>;

const ACCOUNT: AccountId = AccountId(1);

fn created(code: &str, content: &str) -> CannedResponseEvent {
    CannedResponseEvent::CannedResponseCreated {
        id: CannedResponseId(7),
        account_id: ACCOUNT,
        short_code: code.into(),
        content: content.into(),
    }
}

fn new(code: Option<&str>, content: Option<&str>) -> CannedResponseCommand {
    CannedResponseCommand::Create(NewCannedResponse {
        id: CannedResponseId(7),
        account_id: ACCOUNT,
        short_code: code.map(Into::into),
        content: content.map(Into::into),
    })
}

fn patch(code: Option<&str>, content: Option<&str>) -> CannedResponseCommand {
    CannedResponseCommand::Update {
        account_id: ACCOUNT,
        patch: CannedResponsePatch { short_code: code.map(Into::into), content: content.map(Into::into) },
    }
}

fn invalid(result: Result<Vec<CannedResponseEvent>, CannedResponseError>) -> (String, Vec<String>) {
    let Err(CannedResponseError::Invalid(v)) = result else { panic!("accepted: {result:?}") };
    (v.message(), v.attributes())
}

#[test]
fn a_new_canned_response_keeps_its_content_and_a_trimmed_short_code() {
    CannedTest::with(())
        .given_no_previous_events()
        .when(new(Some("  Hello "), Some("Hi there!\n")))
        .then_expect_events(vec![created("Hello", "Hi there!\n")]);
}

#[test]
fn content_and_short_code_are_required_in_upstream_order_and_wording() {
    let result = CannedTest::with(()).given_no_previous_events().when(new(None, Some("  "))).inspect_result();
    assert_eq!(
        invalid(result),
        (
            "Content can't be blank, Short code can't be blank".into(),
            vec!["content".into(), "short_code".into()]
        )
    );
    let long = "x".repeat(256);
    let result =
        CannedTest::with(()).given_no_previous_events().when(new(Some(&long), Some("c"))).inspect_result();
    assert_eq!(invalid(result).0, "Short code is too long (maximum is 255 characters)");
    let result =
        CannedTest::with(()).given_no_previous_events().when(new(Some("a\0b"), Some("c"))).inspect_result();
    assert_eq!(invalid(result).0, "Short code is invalid");
}

#[test]
fn an_update_records_only_what_changed() {
    CannedTest::with(())
        .given(vec![created("hello", "Hi")])
        .when(patch(Some(" hello "), Some("Hi!")))
        .then_expect_events(vec![CannedResponseEvent::CannedResponseUpdated {
            short_code: None,
            content: Some("Hi!".into()),
        }]);
    CannedTest::with(())
        .given(vec![created("hello", "Hi")])
        .when(patch(None, None))
        .then_expect_events(vec![]);
    let result =
        CannedTest::with(()).given(vec![created("hello", "Hi")]).when(patch(Some(""), None)).inspect_result();
    assert_eq!(invalid(result), ("Short code can't be blank".into(), vec!["short_code".into()]));
}

#[test]
fn another_accounts_or_a_deleted_canned_response_is_not_found() {
    CannedTest::with(())
        .given(vec![created("hello", "Hi")])
        .when(CannedResponseCommand::Delete { account_id: AccountId(2) })
        .then_expect_error(CannedResponseError::NotFound);
    CannedTest::with(())
        .given(vec![created("hello", "Hi"), CannedResponseEvent::CannedResponseDeleted])
        .when(patch(None, Some("x")))
        .then_expect_error(CannedResponseError::NotFound);
    CannedTest::with(())
        .given(vec![created("hello", "Hi")])
        .when(CannedResponseCommand::Delete { account_id: ACCOUNT })
        .then_expect_events(vec![CannedResponseEvent::CannedResponseDeleted]);
    CannedTest::with(())
        .given(vec![created("hello", "Hi")])
        .when(new(Some("x"), Some("y")))
        .then_expect_error(CannedResponseError::AlreadyExists);
}

#[test]
fn short_code_claims_are_per_account_and_case_sensitive() {
    assert_ne!(short_code_claim_id(ACCOUNT, "hi"), short_code_claim_id(AccountId(2), "hi"));
    assert_ne!(short_code_claim_id(ACCOUNT, "hi"), short_code_claim_id(ACCOUNT, "Hi"));
}

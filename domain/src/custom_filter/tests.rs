//! Given/when/then tests of the custom filter aggregate and its quota.

use super::*;
use cqrs_es::test::TestFramework;
use serde_json::json;

type FilterTest = TestFramework<CustomFilter>;
type QuotaTest = TestFramework<CustomFilterQuota>;

const OWNER: Owner = Owner { account_id: AccountId(1), user_id: UserId(5) };

fn query(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

fn created() -> CustomFilterEvent {
    CustomFilterEvent::CustomFilterCreated {
        id: CustomFilterId(9),
        account_id: OWNER.account_id,
        user_id: OWNER.user_id,
        name: "Open VIPs".into(),
        filter_type: FilterType::Conversation,
        query: query(json!({"payload": []})),
    }
}

fn new(name: Option<&str>, q: Option<Value>) -> CustomFilterCommand {
    CustomFilterCommand::Create(NewCustomFilter {
        id: CustomFilterId(9),
        account_id: OWNER.account_id,
        user_id: OWNER.user_id,
        name: name.map(Into::into),
        filter_type: None,
        query: q.map(query),
    })
}

#[test]
fn a_new_filter_defaults_to_the_conversation_type() {
    FilterTest::with(())
        .given_no_previous_events()
        .when(new(Some(" Open VIPs "), Some(json!({"payload": []}))))
        .then_expect_events(vec![created()]);
}

#[test]
fn name_and_query_are_required_and_bounded() {
    let result = FilterTest::with(()).given_no_previous_events().when(new(Some(""), None)).inspect_result();
    let Err(CustomFilterError::Invalid(v)) = result else { panic!("accepted") };
    assert_eq!(v.message(), "Name can't be blank, Query can't be blank");
    assert_eq!(v.attributes(), ["name", "query"]);
    let huge = json!({"payload": "x".repeat(MAX_QUERY_BYTES)});
    FilterTest::with(()).given_no_previous_events().when(new(Some("a"), Some(huge))).then_expect_error(
        CustomFilterError::Invalid(Violations::single("query", "Query is too long (maximum is 65536 bytes)")),
    );
    FilterTest::with(())
        .given_no_previous_events()
        .when(new(Some("a"), Some(json!({"k\u{0}": 1}))))
        .then_expect_error(CustomFilterError::Invalid(Violations::single("query", "Query is invalid")));
}

#[test]
fn only_the_owner_in_the_owners_account_may_change_a_filter() {
    for stranger in [
        Owner { account_id: AccountId(1), user_id: UserId(6) },
        Owner { account_id: AccountId(2), user_id: UserId(5) },
    ] {
        FilterTest::with(())
            .given(vec![created()])
            .when(CustomFilterCommand::Delete { owner: stranger })
            .then_expect_error(CustomFilterError::NotFound);
    }
    FilterTest::with(())
        .given(vec![created()])
        .when(CustomFilterCommand::Update {
            owner: OWNER,
            patch: CustomFilterPatch {
                name: Some("Open VIPs".into()),
                filter_type: Some(FilterType::Contact),
                query: Some(query(json!({"payload": []}))),
            },
        })
        .then_expect_events(vec![CustomFilterEvent::CustomFilterUpdated {
            name: None,
            filter_type: Some(FilterType::Contact),
            query: None,
        }]);
    FilterTest::with(())
        .given(vec![created(), CustomFilterEvent::CustomFilterDeleted])
        .when(CustomFilterCommand::Delete { owner: OWNER })
        .then_expect_error(CustomFilterError::NotFound);
}

#[test]
fn the_quota_counts_live_filters_up_to_the_limit() {
    let taken = |id| QuotaEvent::CustomFilterSlotTaken { filter_id: CustomFilterId(id) };
    QuotaTest::with(())
        .given(vec![taken(1), taken(2)])
        .when(QuotaCommand::Take { filter_id: CustomFilterId(3), limit: 2 })
        .then_expect_error(QuotaError::LimitReached { limit: 2 });
    QuotaTest::with(())
        .given(vec![taken(1), taken(2), QuotaEvent::CustomFilterSlotFreed { filter_id: CustomFilterId(1) }])
        .when(QuotaCommand::Take { filter_id: CustomFilterId(3), limit: 2 })
        .then_expect_events(vec![taken(3)]);
    QuotaTest::with(())
        .given(vec![taken(1)])
        .when(QuotaCommand::Free { filter_id: CustomFilterId(2) })
        .then_expect_events(vec![]);
    assert_eq!(
        QuotaError::LimitReached { limit: MAX_FILTERS_PER_USER }.to_string(),
        "Account Limit reached. The maximum number of allowed custom filters for a user per account is 1000."
    );
}

#[test]
fn filter_types_parse_names_and_upstream_integers() {
    assert_eq!(FilterType::parse("1"), Some(FilterType::Contact));
    assert_eq!(FilterType::parse("report"), Some(FilterType::Report));
    assert_eq!(FilterType::parse("3"), None);
    assert_eq!(FilterType::from_index(0), Some(FilterType::Conversation));
}

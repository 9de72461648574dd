//! Given/when/then tests of the automation rule aggregate.

use super::*;
use cqrs_es::test::TestFramework;
use serde_json::json;

type RuleTest = TestFramework<AutomationRule>;

const ACCOUNT: AccountId = AccountId(1);

fn draft(body: Value) -> RuleDraft {
    RuleDraft {
        name: body.get("name").and_then(Value::as_str).map(Into::into),
        description: None,
        event_name: body.get("event_name").and_then(Value::as_str).map(Into::into),
        active: body.get("active").and_then(Value::as_bool),
        conditions: body.get("conditions").cloned(),
        actions: body.get("actions").cloned(),
    }
}

fn create(body: Value) -> AutomationRuleCommand {
    AutomationRuleCommand::Create {
        id: AutomationRuleId(3),
        account_id: ACCOUNT,
        draft: draft(body),
        context: RuleContext { custom_attribute_keys: vec!["plan".into()], refused_urls: vec![] },
    }
}

fn valid() -> Value {
    json!({
        "name": "Refunds", "event_name": "message_created",
        "conditions": [{"attribute_key": "content", "filter_operator": "contains", "values": ["refund"], "query_operator": null}],
        "actions": [{"action_name": "add_label", "action_params": ["billing"]}]
    })
}

fn errors(body: Value) -> Vec<(String, String)> {
    let result = RuleTest::with(()).given_no_previous_events().when(create(body)).inspect_result();
    let Err(AutomationRuleError::Invalid(v)) = result else { panic!("accepted: {result:?}") };
    v.0.into_iter().map(|x| (x.attribute, x.message)).collect()
}

#[test]
fn a_valid_rule_is_created_active() {
    let events =
        RuleTest::with(()).given_no_previous_events().when(create(valid())).inspect_result().unwrap();
    let [AutomationRuleEvent::AutomationRuleCreated { rule, .. }] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert!(rule.active);
    assert_eq!(rule.conditions[0].values, json!(["refund"]));
}

#[test]
fn unsupported_keys_actions_and_operators_are_refused_in_the_upstream_wording() {
    let mut body = valid();
    body["conditions"][0]["attribute_key"] = json!("shoe_size");
    assert_eq!(
        errors(body),
        vec![("conditions".into(), "Automation conditions shoe_size not supported.".into())]
    );

    let mut body = valid();
    body["actions"][0]["action_name"] = json!("launch_rocket");
    assert_eq!(
        errors(body),
        vec![("actions".into(), "Automation actions launch_rocket not supported.".into())]
    );

    let mut body = valid();
    body["conditions"] = json!([
        {"attribute_key": "content", "filter_operator": "contains", "values": ["a"]},
        {"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"]}
    ]);
    assert_eq!(
        errors(body),
        vec![("conditions".into(), "Automation conditions should have query operator.".into())]
    );

    let mut body = valid();
    body["conditions"][0]["query_operator"] = json!("XOR");
    assert_eq!(
        errors(body),
        vec![("conditions".into(), r#"Query operator must be either "AND" or "OR""#.into())]
    );
}

#[test]
fn custom_attribute_keys_of_the_account_are_allowed() {
    let mut body = valid();
    body["conditions"][0] =
        json!({"attribute_key": "plan", "filter_operator": "equal_to", "values": ["gold"]});
    RuleTest::with(()).given_no_previous_events().when(create(body)).inspect_result().unwrap();
}

#[test]
fn an_unchanged_update_records_nothing_and_another_account_finds_nothing() {
    let created =
        RuleTest::with(()).given_no_previous_events().when(create(valid())).inspect_result().unwrap();
    let update = |account| AutomationRuleCommand::Update {
        account_id: account,
        draft: RuleDraft { name: Some("Refunds".into()), ..RuleDraft::default() },
        context: RuleContext::default(),
    };
    RuleTest::with(()).given(created.clone()).when(update(ACCOUNT)).then_expect_events(vec![]);
    RuleTest::with(())
        .given(created)
        .when(update(AccountId(2)))
        .then_expect_error(AutomationRuleError::NotFound);
}

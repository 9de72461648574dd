use super::*;
use cqrs_es::test::TestFramework;

type WebhookTest = TestFramework<Webhook>;

const ACCOUNT: AccountId = AccountId(1);

fn new_webhook(url: &str, subscriptions: Option<SubscriptionList>) -> NewWebhook {
    NewWebhook {
        id: WebhookId(9),
        account_id: ACCOUNT,
        url: Some(url.into()),
        url_problem: None,
        name: Some(" Orders ".into()),
        subscriptions,
        inbox_id: None,
        secret: SealedSecret("sealed".into()),
    }
}

fn created() -> WebhookEvent {
    WebhookEvent::WebhookCreated {
        id: WebhookId(9),
        account_id: ACCOUNT,
        url: "https://hooks.example.com/a".into(),
        name: Some("Orders".into()),
        subscriptions: vec!["contact_created".into()],
        inbox_id: None,
        secret_sealed: SealedSecret("sealed".into()),
    }
}

fn list(names: &[&str]) -> Option<SubscriptionList> {
    Some(SubscriptionList::Given(names.iter().map(|n| n.to_string()).collect()))
}

fn violations(result: Result<(), WebhookError>) -> Violations {
    match result {
        Err(WebhookError::Invalid(v)) => v,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn a_webhook_is_created_with_a_trimmed_name_and_unique_subscriptions() {
    WebhookTest::with(())
        .given_no_previous_events()
        .when(WebhookCommand::Create(new_webhook(
            " https://hooks.example.com/a ",
            list(&["contact_created", "contact_created"]),
        )))
        .then_expect_events(vec![created()]);
}

#[test]
fn without_subscriptions_the_upstream_default_set_is_used() {
    let events = WebhookTest::with(())
        .given_no_previous_events()
        .when(WebhookCommand::Create(new_webhook("https://hooks.example.com/a", None)))
        .inspect_result()
        .unwrap();
    let WebhookEvent::WebhookCreated { subscriptions, .. } = &events[0] else { panic!() };
    assert_eq!(subscriptions.len(), 8);
    assert!(subscriptions.iter().all(|s| is_known_event(s)));
}

#[test]
fn bad_urls_and_subscriptions_are_reported_together_in_upstream_order() {
    for subs in [list(&[]), list(&["contact_created", "nope"]), Some(SubscriptionList::Malformed)] {
        let mut new = new_webhook("", subs);
        new.name = Some("x".repeat(300));
        let result = WebhookTest::with(()).given_no_previous_events().when(WebhookCommand::Create(new));
        let v = violations(result.inspect_result().map(|_| ()));
        assert_eq!(v.attributes(), ["url", "subscriptions", "name"]);
        assert_eq!(
            v.message(),
            "Url is invalid, Subscriptions Invalid events, Name is too long (maximum is 255 characters)"
        );
    }
}

#[test]
fn the_egress_verdict_and_the_length_limit_refuse_the_url() {
    let mut new = new_webhook("http://10.0.0.1/", None);
    new.url_problem = Some("Url points to a private address".into());
    let v = violations(
        WebhookTest::with(())
            .given_no_previous_events()
            .when(WebhookCommand::Create(new))
            .inspect_result()
            .map(|_| ()),
    );
    assert_eq!(v.message(), "Url points to a private address");

    let long = format!("https://example.com/{}", "a".repeat(URL_MAX));
    let v = violations(
        WebhookTest::with(())
            .given_no_previous_events()
            .when(WebhookCommand::Create(new_webhook(&long, None)))
            .inspect_result()
            .map(|_| ()),
    );
    assert_eq!(v.message(), "Url is too long (maximum is 2048 characters)");
}

#[test]
fn an_update_records_only_changes_and_toggles_deliveries() {
    let patch = WebhookPatch {
        url: Some("https://hooks.example.com/a".into()),
        name: Some(Some("Billing".into())),
        subscriptions: list(&["contact_created"]),
        enabled: Some(false),
        ..WebhookPatch::default()
    };
    WebhookTest::with(())
        .given(vec![created()])
        .when(WebhookCommand::Update { account_id: ACCOUNT, patch })
        .then_expect_events(vec![
            WebhookEvent::WebhookUpdated {
                account_id: ACCOUNT,
                url: None,
                name: Some(Some("Billing".into())),
                subscriptions: None,
                inbox_id: None,
            },
            WebhookEvent::WebhookDisabled {
                account_id: ACCOUNT,
                reason: "disabled by an administrator".into(),
            },
        ]);
    let enable = WebhookPatch { enabled: Some(true), ..WebhookPatch::default() };
    WebhookTest::with(())
        .given(vec![created(), WebhookEvent::WebhookDisabled { account_id: ACCOUNT, reason: "410".into() }])
        .when(WebhookCommand::Update { account_id: ACCOUNT, patch: enable })
        .then_expect_events(vec![WebhookEvent::WebhookEnabled { account_id: ACCOUNT }]);
}

#[test]
fn disabling_twice_records_one_event_and_other_accounts_see_nothing() {
    let disabled = WebhookEvent::WebhookDisabled { account_id: ACCOUNT, reason: "410".into() };
    WebhookTest::with(())
        .given(vec![created(), disabled])
        .when(WebhookCommand::Disable { account_id: ACCOUNT, reason: "again".into() })
        .then_expect_events(vec![]);
    WebhookTest::with(())
        .given(vec![created()])
        .when(WebhookCommand::Delete { account_id: AccountId(2) })
        .then_expect_error(WebhookError::NotFound);
    WebhookTest::with(())
        .given(vec![created(), WebhookEvent::WebhookDeleted { account_id: ACCOUNT }])
        .when(WebhookCommand::Update { account_id: ACCOUNT, patch: WebhookPatch::default() })
        .then_expect_error(WebhookError::NotFound);
}

#[test]
fn a_url_claim_refuses_a_second_owner_until_released() {
    type ClaimTest = TestFramework<WebhookUrlClaim>;
    let claimed = WebhookUrlClaimEvent::WebhookUrlClaimed { webhook_id: WebhookId(1) };
    ClaimTest::with(())
        .given(vec![claimed.clone()])
        .when(WebhookUrlClaimCommand::Claim { webhook_id: WebhookId(2) })
        .then_expect_error(WebhookUrlClaimError::Taken { owner: WebhookId(1) });
    ClaimTest::with(())
        .given(vec![claimed, WebhookUrlClaimEvent::WebhookUrlReleased { webhook_id: WebhookId(1) }])
        .when(WebhookUrlClaimCommand::Claim { webhook_id: WebhookId(2) })
        .then_expect_events(vec![WebhookUrlClaimEvent::WebhookUrlClaimed { webhook_id: WebhookId(2) }]);
}

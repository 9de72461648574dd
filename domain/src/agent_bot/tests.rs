use super::*;
use cqrs_es::test::TestFramework;

fn token() -> IssuedToken {
    IssuedToken { digest: "d".into(), sealed: "s".into() }
}

#[test]
fn a_bot_url_must_be_http_and_short() {
    let create = |url: &str| AgentBotCommand::Create {
        id: AgentBotId(1),
        account_id: None,
        profile: BotProfile { name: Some("b".into()), description: None, outgoing_url: Some(url.into()) },
        token: token(),
    };
    for bad in ["ftp://x", "javascript:alert(1)", &format!("https://x/{}", "a".repeat(URL_MAX))] {
        let result =
            TestFramework::<AgentBot>::with(()).given_no_previous_events().when(create(bad)).inspect_result();
        assert!(matches!(result, Err(AgentBotError::Invalid(_))), "{bad} accepted");
    }
    let ok = TestFramework::<AgentBot>::with(())
        .given_no_previous_events()
        .when(create("https://bot.example/hook"));
    assert_eq!(ok.inspect_result().map(|e| e.len()), Ok(1));
}

#[test]
fn clearing_a_field_is_recorded_and_unchanged_fields_are_not() {
    let created = AgentBotEvent::AgentBotCreated {
        id: AgentBotId(1),
        account_id: None,
        profile: BotProfile { name: Some("b".into()), description: Some("d".into()), outgoing_url: None },
        bot_type: BotType::Webhook,
        access_token: token(),
    };
    TestFramework::<AgentBot>::with(())
        .given(vec![created])
        .when(AgentBotCommand::Update(BotPatch {
            name: Some(Some("b".into())),
            description: Some(None),
            outgoing_url: None,
        }))
        .then_expect_events(vec![AgentBotEvent::AgentBotUpdated {
            name: None,
            description: Some(None),
            outgoing_url: None,
        }]);
}

#[test]
fn a_cleared_field_survives_the_round_trip_through_json() {
    let event = AgentBotEvent::AgentBotUpdated { name: None, description: Some(None), outgoing_url: None };
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(json, serde_json::json!({"type": "AgentBotUpdated", "data": {"description": null}}));
    assert_eq!(serde_json::from_value::<AgentBotEvent>(json).unwrap(), event);
}

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
        profile: BotProfile {
            name: Some("b".into()),
            outgoing_url: Some(url.into()),
            ..BotProfile::default()
        },
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
        profile: BotProfile {
            name: Some("b".into()),
            description: Some("d".into()),
            ..BotProfile::default()
        },
        bot_type: BotType::Webhook,
        access_token: token(),
    };
    TestFramework::<AgentBot>::with(())
        .given(vec![created])
        .when(AgentBotCommand::Update(BotPatch {
            name: Some(Some("b".into())),
            description: Some(None),
            outgoing_url: None,
            bot_config: None,
        }))
        .then_expect_events(vec![AgentBotEvent::AgentBotUpdated {
            name: None,
            description: Some(None),
            outgoing_url: None,
            bot_config: None,
        }]);
}

#[test]
fn a_cleared_field_survives_the_round_trip_through_json() {
    let event = AgentBotEvent::AgentBotUpdated {
        name: None,
        description: Some(None),
        outgoing_url: None,
        bot_config: None,
    };
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(json, serde_json::json!({"type": "AgentBotUpdated", "data": {"description": null}}));
    assert_eq!(serde_json::from_value::<AgentBotEvent>(json).unwrap(), event);
}

fn created() -> AgentBotEvent {
    AgentBotEvent::AgentBotCreated {
        id: AgentBotId(1),
        account_id: Some(AccountId(3)),
        profile: BotProfile { name: Some("b".into()), ..BotProfile::default() },
        bot_type: BotType::Webhook,
        access_token: token(),
    }
}

#[test]
fn bot_config_is_replaced_as_a_whole_and_only_when_it_changed() {
    let config = serde_json::json!({"lang": "de"}).as_object().cloned().unwrap();
    TestFramework::<AgentBot>::with(())
        .given(vec![created()])
        .when(AgentBotCommand::Update(BotPatch { bot_config: Some(config.clone()), ..BotPatch::default() }))
        .then_expect_events(vec![AgentBotEvent::AgentBotUpdated {
            name: None,
            description: None,
            outgoing_url: None,
            bot_config: Some(config.clone()),
        }]);
    let updated = AgentBotEvent::AgentBotUpdated {
        name: None,
        description: None,
        outgoing_url: None,
        bot_config: Some(config.clone()),
    };
    TestFramework::<AgentBot>::with(())
        .given(vec![created(), updated])
        .when(AgentBotCommand::Update(BotPatch { bot_config: Some(config), ..BotPatch::default() }))
        .then_expect_events(vec![]);
}

#[test]
fn a_bot_created_before_bot_config_existed_still_loads() {
    let old = serde_json::json!({"type": "AgentBotCreated", "data": {"id": 1, "account_id": null, "name": "b",
        "description": null, "outgoing_url": null, "bot_type": "webhook",
        "access_token": {"digest": "d", "sealed": "s"}}});
    let AgentBotEvent::AgentBotCreated { profile, .. } = serde_json::from_value(old).unwrap() else {
        panic!("wrong event")
    };
    assert!(profile.bot_config.is_empty());
}

#[test]
fn resetting_the_token_records_only_the_new_digest_and_sealed_copy() {
    let fresh = IssuedToken { digest: "d2".into(), sealed: "s2".into() };
    TestFramework::<AgentBot>::with(())
        .given(vec![created()])
        .when(AgentBotCommand::ResetAccessToken { token: fresh.clone() })
        .then_expect_events(vec![AgentBotEvent::AgentBotAccessTokenReset { access_token: fresh.clone() }]);
    TestFramework::<AgentBot>::with(())
        .given(vec![created(), AgentBotEvent::AgentBotDeleted])
        .when(AgentBotCommand::ResetAccessToken { token: fresh })
        .then_expect_error(AgentBotError::NotFound);
}

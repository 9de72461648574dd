//! Given/when/then tests of the inbox aggregate.

use super::*;
use crate::ids::{AccountId, AccountUserId, AgentBotId, ChannelId, InboxId, UserId};
use crate::token::IssuedToken;
use cqrs_es::test::TestFramework;
use serde_json::json;

type InboxTest = TestFramework<Inbox>;

const ACCOUNT: AccountId = AccountId(1);

fn keys() -> ChannelKeys {
    ChannelKeys {
        public_token: "PublicToken".into(),
        hmac_token: IssuedToken { digest: "digest".into(), sealed: "sealed".into() },
    }
}

fn new_inbox(channel_type: Option<&str>, channel: ChannelPatch) -> NewInbox {
    NewInbox {
        id: InboxId(5),
        account_id: ACCOUNT,
        channel_id: ChannelId(9),
        channel_type: channel_type.map(Into::into),
        settings: SettingsPatch { name: Some("Support".into()), ..SettingsPatch::default() },
        channel,
        working_hours: vec![],
        keys: keys(),
    }
}

fn widget_patch() -> ChannelPatch {
    ChannelPatch { website_url: Some("https://acme.example".into()), ..ChannelPatch::default() }
}

fn created_api() -> InboxEvent {
    InboxEvent::InboxCreated {
        id: InboxId(5),
        account_id: ACCOUNT,
        channel_id: ChannelId(9),
        settings: InboxSettings { name: "Support".into(), ..InboxSettings::default() },
        channel: Channel::Api(ApiChannel::default()),
        keys: keys(),
        working_hours: default_working_hours(),
    }
}

fn invalid(result: Result<Vec<InboxEvent>, InboxError>) -> Violations {
    match result {
        Err(InboxError::Invalid(v)) => v,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn roster(members: &[(i64, i64)]) -> Roster {
    members.iter().map(|(u, g)| (UserId(*u), AccountUserId(*g))).collect()
}

#[test]
fn a_web_widget_gets_the_upstream_defaults() {
    let events = InboxTest::with(())
        .given_no_previous_events()
        .when(InboxCommand::Create(new_inbox(Some("web_widget"), widget_patch())))
        .inspect_result()
        .unwrap_or_default();
    let [InboxEvent::InboxCreated { channel: Channel::WebWidget(w), settings, working_hours, .. }] =
        &events[..]
    else {
        panic!("expected one InboxCreated, got {events:?}");
    };
    assert_eq!(w.widget_color, "#1f93ff");
    assert_eq!(w.reply_time, ReplyTime::InAFewMinutes);
    assert!(w.continuity_via_email && !w.hmac_mandatory && !w.pre_chat_form_enabled);
    assert_eq!(w.selected_feature_flags, ["attachments", "emoji_picker", "end_conversation"]);
    assert_eq!(w.pre_chat_form_options["pre_chat_fields"].as_array().map(Vec::len), Some(3));
    assert_eq!(settings.timezone, "UTC");
    assert!(settings.enable_email_collect && settings.enable_auto_assignment && !settings.greeting_enabled);
    let open: Vec<bool> = working_hours.iter().map(|d| !d.closed_all_day).collect();
    assert_eq!(open, [false, true, true, true, true, true, false]);
    assert_eq!((working_hours[1].open_hour, working_hours[1].close_hour), (Some(9), Some(17)));
}

#[test]
fn a_missing_or_unknown_channel_must_exist() {
    for kind in [None, Some("email"), Some("carrier_pigeon")] {
        let v = invalid(
            InboxTest::with(())
                .given_no_previous_events()
                .when(InboxCommand::Create(new_inbox(kind, ChannelPatch::default())))
                .inspect_result(),
        );
        assert_eq!(v.message(), "Channel must exist", "{kind:?}");
    }
}

#[test]
fn channel_attributes_are_validated_in_upstream_wording() {
    let v = invalid(
        InboxTest::with(())
            .given_no_previous_events()
            .when(InboxCommand::Create(new_inbox(Some("web_widget"), ChannelPatch::default())))
            .inspect_result(),
    );
    assert_eq!(v.message(), "Website url can't be blank");
    let long = ChannelPatch {
        webhook_url: Some(Some(format!("https://hook.example/{}", "a".repeat(2048)))),
        additional_attributes: json!({"agent_reply_time_window": 0}).as_object().cloned(),
        ..ChannelPatch::default()
    };
    let v = invalid(
        InboxTest::with(())
            .given_no_previous_events()
            .when(InboxCommand::Create(new_inbox(Some("api"), long)))
            .inspect_result(),
    );
    assert_eq!(v.attributes(), ["webhook_url", "agent_reply_time_window"]);
    let mut bad = new_inbox(Some("web_widget"), widget_patch());
    bad.settings.timezone = Some("Mars/Olympus_Mons".into());
    bad.settings.sender_name_type = Some("anonymous".into());
    bad.channel.reply_time = Some("never".into());
    let v = invalid(
        InboxTest::with(()).given_no_previous_events().when(InboxCommand::Create(bad)).inspect_result(),
    );
    assert_eq!(v.attributes(), ["timezone", "sender_name_type", "reply_time"]);
}

#[test]
fn an_update_records_only_the_sections_that_changed() {
    let change = InboxChange {
        settings: SettingsPatch {
            name: Some("Support".into()),
            greeting_enabled: Some(true),
            ..SettingsPatch::default()
        },
        channel: ChannelPatch {
            website_url: Some("ignored for api channels".into()),
            ..ChannelPatch::default()
        },
        working_hours: vec![],
    };
    let settings =
        InboxSettings { name: "Support".into(), greeting_enabled: true, ..InboxSettings::default() };
    InboxTest::with(())
        .given(vec![created_api()])
        .when(InboxCommand::Update { account_id: ACCOUNT, change: change.clone() })
        .then_expect_events(vec![InboxEvent::InboxUpdated { settings: settings.clone() }]);
    InboxTest::with(())
        .given(vec![created_api(), InboxEvent::InboxUpdated { settings }])
        .when(InboxCommand::Update { account_id: ACCOUNT, change })
        .then_expect_events(vec![]);
}

#[test]
fn working_hours_change_per_day_and_are_checked() {
    let monday = |p: WorkingHourPatch| InboxChange { working_hours: vec![p], ..InboxChange::default() };
    let events = InboxTest::with(())
        .given(vec![created_api()])
        .when(InboxCommand::Update {
            account_id: ACCOUNT,
            change: monday(WorkingHourPatch {
                day_of_week: Some(1),
                close_hour: Some(Some(12)),
                close_minutes: Some(Some(30)),
                ..WorkingHourPatch::default()
            }),
        })
        .inspect_result()
        .unwrap_or_default();
    let [InboxEvent::InboxWorkingHoursUpdated { working_hours }] = &events[..] else { panic!("{events:?}") };
    assert_eq!((working_hours[1].close_hour, working_hours[1].close_minutes), (Some(12), Some(30)));
    assert_eq!(working_hours[2], default_working_hours()[2]);

    for bad in [
        WorkingHourPatch { day_of_week: Some(1), close_hour: Some(Some(8)), ..WorkingHourPatch::default() },
        WorkingHourPatch { day_of_week: Some(9), ..WorkingHourPatch::default() },
        WorkingHourPatch { day_of_week: Some(2), open_hour: Some(Some(24)), ..WorkingHourPatch::default() },
        WorkingHourPatch { day_of_week: Some(0), open_all_day: Some(true), ..WorkingHourPatch::default() },
        WorkingHourPatch { day_of_week: Some(0), closed_all_day: Some(false), ..WorkingHourPatch::default() },
    ] {
        let result = InboxTest::with(())
            .given(vec![created_api()])
            .when(InboxCommand::Update { account_id: ACCOUNT, change: monday(bad.clone()) })
            .inspect_result();
        assert_eq!(invalid(result).attributes(), ["working_hours"], "{bad:?}");
    }
}

#[test]
fn membership_changes_only_what_differs_and_only_for_account_members() {
    let team = roster(&[(1, 11), (2, 12), (3, 13)]);
    let added = InboxEvent::InboxMembersAdded {
        members: vec![
            InboxMember { user_id: UserId(1), account_user_id: AccountUserId(11) },
            InboxMember { user_id: UserId(2), account_user_id: AccountUserId(12) },
        ],
    };
    InboxTest::with(())
        .given(vec![created_api(), added.clone()])
        .when(InboxCommand::AddMembers {
            account_id: ACCOUNT,
            user_ids: vec![UserId(2), UserId(3)],
            roster: team.clone(),
        })
        .then_expect_events(vec![InboxEvent::InboxMembersAdded {
            members: vec![InboxMember { user_id: UserId(3), account_user_id: AccountUserId(13) }],
        }]);
    InboxTest::with(())
        .given(vec![created_api(), added.clone()])
        .when(InboxCommand::ReplaceMembers {
            account_id: ACCOUNT,
            user_ids: vec![UserId(3)],
            roster: team.clone(),
        })
        .then_expect_events(vec![
            InboxEvent::InboxMembersAdded {
                members: vec![InboxMember { user_id: UserId(3), account_user_id: AccountUserId(13) }],
            },
            InboxEvent::InboxMembersRemoved { user_ids: vec![UserId(1), UserId(2)] },
        ]);
    InboxTest::with(())
        .given(vec![created_api(), added])
        .when(InboxCommand::RemoveMembers { account_id: ACCOUNT, user_ids: vec![UserId(3)], roster: team })
        .then_expect_events(vec![]);
    InboxTest::with(())
        .given(vec![created_api()])
        .when(InboxCommand::AddMembers {
            account_id: ACCOUNT,
            user_ids: vec![UserId(99)],
            roster: roster(&[(1, 11)]),
        })
        .then_expect_error(InboxError::ForeignUsers);
}

#[test]
fn a_user_invited_again_to_the_account_is_not_an_inbox_member_until_added_again() {
    let added = InboxEvent::InboxMembersAdded {
        members: vec![InboxMember { user_id: UserId(1), account_user_id: AccountUserId(11) }],
    };
    // removed from the account and invited again: a new membership id
    InboxTest::with(())
        .given(vec![created_api(), added])
        .when(InboxCommand::AddMembers {
            account_id: ACCOUNT,
            user_ids: vec![UserId(1)],
            roster: roster(&[(1, 21)]),
        })
        .then_expect_events(vec![InboxEvent::InboxMembersAdded {
            members: vec![InboxMember { user_id: UserId(1), account_user_id: AccountUserId(21) }],
        }]);
}

#[test]
fn another_accounts_or_a_deleted_inbox_is_not_found() {
    InboxTest::with(())
        .given(vec![created_api()])
        .when(InboxCommand::Delete { account_id: AccountId(2) })
        .then_expect_error(InboxError::NotFound);
    InboxTest::with(())
        .given(vec![created_api(), InboxEvent::InboxDeleted])
        .when(InboxCommand::RemoveAvatar { account_id: ACCOUNT })
        .then_expect_error(InboxError::NotFound);
    InboxTest::with(())
        .given(vec![created_api()])
        .when(InboxCommand::Create(new_inbox(Some("api"), ChannelPatch::default())))
        .then_expect_error(InboxError::AlreadyExists);
}

#[test]
fn binding_the_same_bot_twice_records_nothing() {
    let bound = InboxEvent::InboxAgentBotSet { agent_bot_id: Some(AgentBotId(4)) };
    InboxTest::with(())
        .given(vec![created_api()])
        .when(InboxCommand::SetAgentBot { account_id: ACCOUNT, agent_bot_id: Some(AgentBotId(4)) })
        .then_expect_events(vec![bound.clone()]);
    InboxTest::with(())
        .given(vec![created_api(), bound.clone()])
        .when(InboxCommand::SetAgentBot { account_id: ACCOUNT, agent_bot_id: Some(AgentBotId(4)) })
        .then_expect_events(vec![]);
    InboxTest::with(())
        .given(vec![created_api(), bound])
        .when(InboxCommand::SetAgentBot { account_id: ACCOUNT, agent_bot_id: None })
        .then_expect_events(vec![InboxEvent::InboxAgentBotSet { agent_bot_id: None }]);
}

#[test]
fn events_round_trip_through_json() {
    let event = created_api();
    let json = serde_json::to_value(&event).unwrap_or_default();
    assert_eq!(json["type"], "InboxCreated");
    assert_eq!(json["data"]["channel"]["kind"], "api");
    assert_eq!(json["data"]["keys"]["hmac_token"], json!({"digest": "digest", "sealed": "sealed"}));
    assert_eq!(serde_json::from_value::<InboxEvent>(json).ok(), Some(event));
}

use super::*;
use crate::ids::*;
use chrono::{TimeZone, Utc};
use cqrs_es::test::TestFramework;
use serde_json::json;

type ConversationTest = TestFramework<Conversation>;

fn at(seconds: i64) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 10, 0, 0).unwrap() + chrono::Duration::seconds(seconds)
}

fn created(status: Status) -> ConversationEvent {
    ConversationEvent::ConversationCreated {
        id: ConversationId(1),
        account_id: AccountId(1),
        display_id: DisplayId(1),
        uuid: "00000000-0000-0000-0000-000000000001".into(),
        inbox_id: InboxId(1),
        contact_id: ContactId(1),
        source_id: Some("s".into()),
        status,
        snoozed_until: None,
        priority: None,
        assignee: None,
        team_id: None,
        additional_attributes: Default::default(),
        custom_attributes: Default::default(),
        created_at: at(0),
    }
}

fn message(id: i64, message_type: MessageType, seconds: i64) -> NewMessage {
    NewMessage {
        id: MessageId(id),
        message_type,
        content: Some(format!("m{id}")),
        content_type: ContentType::Text,
        content_attributes: Default::default(),
        additional_attributes: Default::default(),
        private: false,
        sender: None,
        source_id: None,
        echo_id: None,
        status: MessageStatus::Sent,
        created_at: at(seconds),
        idempotency_key: None,
        attachments: vec![],
    }
}

fn toggle(status: Option<Status>, by: Toggler) -> ConversationCommand {
    ConversationCommand::ToggleStatus { request: StatusRequest { status, snoozed_until: Some(at(999)) }, by }
}

fn status_changed(status: Status) -> ConversationEvent {
    ConversationEvent::ConversationStatusChanged { status, snoozed_until: None, bot_handoff: false }
}

#[test]
fn toggling_without_a_status_flips_open_and_resolved() {
    ConversationTest::with(())
        .given(vec![created(Status::Open)])
        .when(toggle(None, Toggler::Administrator(UserId(1))))
        .then_expect_events(vec![status_changed(Status::Resolved)]);
    ConversationTest::with(())
        .given(vec![created(Status::Pending)])
        .when(toggle(None, Toggler::Administrator(UserId(1))))
        .then_expect_events(vec![status_changed(Status::Open)]);
}

#[test]
fn snoozed_until_is_kept_only_for_snoozed() {
    ConversationTest::with(())
        .given(vec![created(Status::Open)])
        .when(toggle(Some(Status::Snoozed), Toggler::Administrator(UserId(1))))
        .then_expect_events(vec![ConversationEvent::ConversationStatusChanged {
            status: Status::Snoozed,
            snoozed_until: Some(at(999)),
            bot_handoff: false,
        }]);
}

#[test]
fn an_agent_reopening_takes_only_an_unassigned_conversation() {
    ConversationTest::with(())
        .given(vec![created(Status::Resolved)])
        .when(toggle(Some(Status::Open), Toggler::Agent(UserId(7))))
        .then_expect_events(vec![
            status_changed(Status::Open),
            ConversationEvent::ConversationAssigneeChanged { assignee: Some(Assignee::User(UserId(7))) },
        ]);
    let assigned =
        ConversationEvent::ConversationAssigneeChanged { assignee: Some(Assignee::User(UserId(3))) };
    ConversationTest::with(())
        .given(vec![created(Status::Resolved), assigned])
        .when(toggle(Some(Status::Open), Toggler::Agent(UserId(7))))
        .then_expect_events(vec![status_changed(Status::Open)]);
}

#[test]
fn a_bot_opening_a_pending_conversation_is_a_handoff() {
    ConversationTest::with(())
        .given(vec![created(Status::Pending)])
        .when(toggle(Some(Status::Open), Toggler::Bot(AgentBotId(2))))
        .then_expect_events(vec![ConversationEvent::ConversationStatusChanged {
            status: Status::Open,
            snoozed_until: None,
            bot_handoff: true,
        }]);
}

#[test]
fn an_incoming_message_reopens_a_resolved_conversation() {
    let add = |m| ConversationCommand::AddMessage {
        message: Box::new(m),
        reopen_as: Status::Open,
        flood_limit: 200,
    };
    ConversationTest::with(())
        .given(vec![created(Status::Resolved)])
        .when(add(message(1, MessageType::Incoming, 5)))
        .then_expect_events(vec![
            ConversationEvent::MessageCreated(message(1, MessageType::Incoming, 5)),
            status_changed(Status::Open),
        ]);
    ConversationTest::with(())
        .given(vec![created(Status::Resolved)])
        .when(add(message(1, MessageType::Outgoing, 5)))
        .then_expect_events(vec![ConversationEvent::MessageCreated(message(1, MessageType::Outgoing, 5))]);
}

#[test]
fn the_flood_guard_counts_the_last_minute_only() {
    let mut history = vec![created(Status::Open)];
    for i in 0..3 {
        history.push(ConversationEvent::MessageCreated(message(i, MessageType::Outgoing, i)));
    }
    let add = |seconds| ConversationCommand::AddMessage {
        message: Box::new(message(9, MessageType::Outgoing, seconds)),
        reopen_as: Status::Open,
        flood_limit: 3,
    };
    ConversationTest::with(())
        .given(history.clone())
        .when(add(30))
        .then_expect_error(ConversationError::TooManyMessages);
    let later = ConversationTest::with(()).given(history).when(add(61)).inspect_result();
    assert_eq!(later.map(|e| e.len()), Ok(1));
}

#[test]
fn labels_are_normalized_and_diffed() {
    let given = vec![
        created(Status::Open),
        ConversationEvent::ConversationLabelsChanged {
            labels: vec!["billing".into(), "vip".into()],
            added: vec!["billing".into(), "vip".into()],
            removed: vec![],
        },
    ];
    ConversationTest::with(())
        .given(given)
        .when(ConversationCommand::SetLabels(vec![" VIP ".into(), "urgent".into(), "vip".into()]))
        .then_expect_events(vec![ConversationEvent::ConversationLabelsChanged {
            labels: vec!["vip".into(), "urgent".into()],
            added: vec!["urgent".into()],
            removed: vec!["billing".into()],
        }]);
}

#[test]
fn moving_to_a_team_drops_a_non_member_assignee() {
    let assigned =
        ConversationEvent::ConversationAssigneeChanged { assignee: Some(Assignee::User(UserId(3))) };
    ConversationTest::with(())
        .given(vec![created(Status::Open), assigned])
        .when(ConversationCommand::SetTeam {
            team_id: Some(TeamId(4)),
            drop_assignee: true,
            auto_assignee: None,
        })
        .then_expect_events(vec![
            ConversationEvent::ConversationTeamChanged { team_id: Some(TeamId(4)) },
            ConversationEvent::ConversationAssigneeChanged { assignee: None },
        ]);
}

#[test]
fn content_rules_follow_the_upstream() {
    assert!(validate_content(Some("hi"), ContentType::Text, &Default::default(), 0).is_empty());
    for blank in [None, Some(""), Some(" \n ")] {
        let v = validate_content(blank, ContentType::Text, &Default::default(), 0);
        assert_eq!(v.message(), "Content can't be blank");
    }
    let long = "x".repeat(CONTENT_MAX + 1);
    assert_eq!(
        validate_content(Some(&long), ContentType::Text, &Default::default(), 0).message(),
        "Content is too long (maximum is 150000 characters)"
    );
    let ok = json!({"items": [{"title": "A", "value": "a"}]});
    assert!(validate_content(None, ContentType::InputSelect, ok.as_object().unwrap(), 0).is_empty());
    for bad in [
        json!({}),
        json!({"items": []}),
        json!({"items": [{"title": "A", "evil": 1}]}),
        json!({"items": "x"}),
    ] {
        assert!(
            !validate_content(None, ContentType::InputSelect, bad.as_object().unwrap(), 0).is_empty(),
            "{bad}"
        );
    }
    let card =
        json!({"items": [{"title": "T", "actions": [{"type": "link", "text": "Go", "uri": "https://x"}]}]});
    assert!(validate_content(None, ContentType::Cards, card.as_object().unwrap(), 0).is_empty());
    let no_actions = json!({"items": [{"title": "T"}]});
    assert!(!validate_content(None, ContentType::Cards, no_actions.as_object().unwrap(), 0).is_empty());
}

#[test]
fn a_deleted_conversation_refuses_messages() {
    ConversationTest::with(())
        .given(vec![created(Status::Open), ConversationEvent::ConversationDeleted])
        .when(ConversationCommand::AddMessage {
            message: Box::new(message(1, MessageType::Outgoing, 1)),
            reopen_as: Status::Open,
            flood_limit: 200,
        })
        .then_expect_error(ConversationError::NotFound);
}

fn keyed(id: i64, key: &str, seconds: i64) -> NewMessage {
    NewMessage { idempotency_key: Some(key.into()), ..message(id, MessageType::Outgoing, seconds) }
}

#[test]
fn a_known_idempotency_key_creates_nothing() {
    let add =
        |m| ConversationCommand::AddMessage { message: Box::new(m), reopen_as: Status::Open, flood_limit: 1 };
    let given = vec![created(Status::Open), ConversationEvent::MessageCreated(keyed(1, "k-1", 1))];
    // a replay is answered even when the flood guard would refuse a new message
    ConversationTest::with(()).given(given.clone()).when(add(keyed(2, "k-1", 2))).then_expect_events(vec![]);
    ConversationTest::with(())
        .given(given)
        .when(add(keyed(2, "k-2", 2)))
        .then_expect_error(ConversationError::TooManyMessages);
}

#[test]
fn idempotency_keys_are_bounded() {
    let mut state = Conversation::default();
    cqrs_es::Aggregate::apply(&mut state, created(Status::Open));
    let total = idempotency::KEYS_KEPT as i64 + 5;
    for i in 0..total {
        cqrs_es::Aggregate::apply(
            &mut state,
            ConversationEvent::MessageCreated(keyed(i, &format!("k{i}"), 0)),
        );
    }
    assert_eq!(state.idempotency_keys.len(), idempotency::KEYS_KEPT);
    assert_eq!(state.message_for_key("k0"), None, "the oldest keys are forgotten");
    assert_eq!(state.message_for_key(&format!("k{}", total - 1)), Some(MessageId(total - 1)));
    assert!(idempotency::valid_key("3f1c-retry"));
    assert!(!idempotency::valid_key(""));
    assert!(!idempotency::valid_key("a\nb"));
    assert!(!idempotency::valid_key(&"k".repeat(256)));
}

#[test]
fn a_late_delivered_receipt_does_not_undo_read() {
    let set = |current, status, error: Option<&str>| ConversationCommand::SetMessageStatus {
        message_id: MessageId(1),
        current,
        status,
        external_error: error.map(str::to_owned),
    };
    let given = vec![created(Status::Open)];
    ConversationTest::with(())
        .given(given.clone())
        .when(set(MessageStatus::Read, MessageStatus::Delivered, None))
        .then_expect_events(vec![]);
    ConversationTest::with(())
        .given(given.clone())
        .when(set(MessageStatus::Sent, MessageStatus::Sent, None))
        .then_expect_events(vec![]);
    // the error is kept only with `failed`
    ConversationTest::with(())
        .given(given.clone())
        .when(set(MessageStatus::Sent, MessageStatus::Delivered, Some("x")))
        .then_expect_events(vec![ConversationEvent::MessageStatusChanged {
            message_id: MessageId(1),
            status: MessageStatus::Delivered,
            external_error: None,
        }]);
    ConversationTest::with(())
        .given(given)
        .when(set(MessageStatus::Sent, MessageStatus::Failed, Some("bounced")))
        .then_expect_events(vec![ConversationEvent::MessageStatusChanged {
            message_id: MessageId(1),
            status: MessageStatus::Failed,
            external_error: Some("bounced".into()),
        }]);
}

#[test]
fn the_state_survives_a_snapshot_round_trip() {
    let mut state = Conversation::default();
    cqrs_es::Aggregate::apply(&mut state, created(Status::Open));
    for i in 0..5 {
        cqrs_es::Aggregate::apply(
            &mut state,
            ConversationEvent::MessageCreated(keyed(i, &format!("k{i}"), i)),
        );
    }
    let snapshot = serde_json::to_value(&state).expect("a conversation serializes");
    let back: Conversation = serde_json::from_value(snapshot).expect("and deserializes");
    assert_eq!(back, state);
    assert_eq!(back.message_for_key("k3"), Some(MessageId(3)));
}

#[test]
fn files_stand_in_for_content_up_to_fifteen() {
    assert!(validate_content(None, ContentType::Text, &Default::default(), 1).is_empty());
    assert!(validate_content(Some(""), ContentType::Text, &Default::default(), MAX_ATTACHMENTS).is_empty());
    assert_eq!(
        validate_content(Some("hi"), ContentType::Text, &Default::default(), MAX_ATTACHMENTS + 1).message(),
        "Attachments are too many (maximum is 15)"
    );
}

#[test]
fn messages_recorded_before_attachments_still_decode() {
    let mut old =
        serde_json::to_value(ConversationEvent::MessageCreated(message(1, MessageType::Outgoing, 0)))
            .unwrap();
    assert!(old["data"].get("attachments").is_none(), "no key when there are none");
    old["data"].as_object_mut().unwrap().remove("attachments");
    let decoded: ConversationEvent = serde_json::from_value(old).unwrap();
    let ConversationEvent::MessageCreated(m) = decoded else { panic!("not a message") };
    assert!(m.attachments.is_empty());
    let with = NewMessage {
        attachments: vec![AttachmentRef {
            id: AttachmentId(9),
            blob: BlobRef { sha256: "ab".repeat(32), size: 3 },
            content_type: "image/png".into(),
            file_name: "a.PNG".into(),
            file_type: FileType::Image,
            thumbnail: None,
        }],
        ..message(2, MessageType::Outgoing, 0)
    };
    let round: ConversationEvent = serde_json::from_value(
        serde_json::to_value(ConversationEvent::MessageCreated(with.clone())).unwrap(),
    )
    .unwrap();
    assert_eq!(round, ConversationEvent::MessageCreated(with.clone()));
    assert_eq!(with.attachments[0].extension().as_deref(), Some("png"));
}

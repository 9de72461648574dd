use super::*;
use crate::conversation::{ContentType, MessageStatus};
use crate::ids::*;
use chrono::{Duration, TimeZone};

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 10, 0, 0).unwrap() + Duration::seconds(seconds)
}

fn start() -> ReportState {
    let event = ConversationEvent::ConversationCreated {
        id: ConversationId(1),
        account_id: AccountId(1),
        display_id: DisplayId(1),
        uuid: "u".into(),
        inbox_id: InboxId(7),
        contact_id: ContactId(1),
        source_id: None,
        status: Status::Open,
        snoozed_until: None,
        priority: None,
        assignee: Some(Assignee::User(UserId(5))),
        team_id: None,
        additional_attributes: Default::default(),
        custom_attributes: Default::default(),
        created_at: at(0),
    };
    let (state, fact) = ReportState::created(&event).unwrap();
    assert_eq!((fact.metric, fact.user_id), (Metric::ConversationCreated, None));
    state
}

fn message(message_type: MessageType, sender: Option<Sender>, seconds: i64) -> ConversationEvent {
    ConversationEvent::MessageCreated(NewMessage {
        id: MessageId(seconds),
        message_type,
        content: Some("x".into()),
        content_type: ContentType::Text,
        content_attributes: Default::default(),
        additional_attributes: Default::default(),
        private: false,
        sender,
        source_id: None,
        echo_id: None,
        status: MessageStatus::Sent,
        created_at: at(seconds),
        idempotency_key: None,
        attachments: Vec::new(),
    })
}

fn status(status: Status, bot_handoff: bool) -> ConversationEvent {
    ConversationEvent::ConversationStatusChanged { status, snoozed_until: None, bot_handoff }
}

fn durations(facts: &[Fact]) -> Vec<(Metric, i64, Option<i64>)> {
    facts.iter().map(|f| (f.metric, f.value_us() / 1_000_000, f.user_id)).collect()
}

const AGENT: Sender = Sender::User(UserId(9));

#[test]
fn the_first_human_reply_is_the_first_response_and_later_ones_are_reply_times() {
    let mut s = start();
    assert_eq!(
        durations(&s.apply(&message(MessageType::Incoming, None, 10), at(10), false)),
        [(Metric::IncomingMessage, 0, None)]
    );
    let first = s.apply(&message(MessageType::Outgoing, Some(AGENT), 70), at(70), false);
    // from creation (the last non-human activity), attributed to the replier
    assert_eq!(
        durations(&first),
        [(Metric::OutgoingMessage, 0, Some(9)), (Metric::FirstResponse, 70, Some(9))]
    );
    // a reply while nobody waits is just a message
    let idle = s.apply(&message(MessageType::Outgoing, Some(AGENT), 80), at(80), false);
    assert_eq!(durations(&idle), [(Metric::OutgoingMessage, 0, Some(9))]);
    s.apply(&message(MessageType::Incoming, None, 100), at(100), false);
    s.apply(&message(MessageType::Incoming, None, 130), at(130), false);
    // waiting since the first of the two incoming messages; the assignee gets it
    let reply = s.apply(&message(MessageType::Outgoing, Some(AGENT), 160), at(160), false);
    assert_eq!(durations(&reply), [(Metric::OutgoingMessage, 0, Some(9)), (Metric::ReplyTime, 60, Some(5))]);
}

#[test]
fn private_notes_and_automation_messages_are_not_replies() {
    let mut s = start();
    let ConversationEvent::MessageCreated(mut note) = message(MessageType::Outgoing, Some(AGENT), 20) else {
        unreachable!()
    };
    note.private = true;
    let facts = s.apply(&ConversationEvent::MessageCreated(note), at(20), false);
    assert_eq!(durations(&facts), [(Metric::OutgoingMessage, 0, Some(9))]);
    let ConversationEvent::MessageCreated(mut auto) = message(MessageType::Outgoing, Some(AGENT), 30) else {
        unreachable!()
    };
    auto.content_attributes.insert("automation_rule_id".into(), 3.into());
    let facts = s.apply(&ConversationEvent::MessageCreated(auto), at(30), false);
    assert_eq!(durations(&facts), [(Metric::OutgoingMessage, 0, Some(9))]);
    assert!(s.first_reply_at.is_none());
}

#[test]
fn resolutions_count_every_time_and_reopening_restarts_the_first_response_clock() {
    let mut s = start();
    let resolved = s.apply(&status(Status::Resolved, false), at(100), false);
    assert_eq!(durations(&resolved), [(Metric::Resolved, 100, Some(5))]);
    assert!(s.apply(&status(Status::Resolved, false), at(110), false).is_empty(), "no change, no fact");
    s.apply(&status(Status::Open, false), at(200), false);
    let first = s.apply(&message(MessageType::Outgoing, Some(AGENT), 230), at(230), false);
    assert_eq!(durations(&first)[1], (Metric::FirstResponse, 30, Some(9)));
    let again = s.apply(&status(Status::Resolved, false), at(300), false);
    assert_eq!(durations(&again), [(Metric::Resolved, 300, Some(5))]);
}

#[test]
fn bots_resolve_and_hand_off_once() {
    let mut s = start();
    s.status = Status::Pending;
    let bot_reply =
        s.apply(&message(MessageType::Outgoing, Some(Sender::AgentBot(AgentBotId(1))), 5), at(5), true);
    assert_eq!(durations(&bot_reply), [(Metric::OutgoingMessage, 0, None)]);
    let handoff = s.apply(&status(Status::Open, true), at(40), true);
    assert_eq!(durations(&handoff), [(Metric::BotHandoff, 40, Some(5))]);
    s.apply(&status(Status::Pending, false), at(50), true);
    assert!(s.apply(&status(Status::Open, true), at(60), true).is_empty(), "one hand-off per conversation");
    // first response counts from the latest reopening
    let first = s.apply(&message(MessageType::Outgoing, Some(AGENT), 90), at(90), true);
    assert_eq!(durations(&first)[1], (Metric::FirstResponse, 30, Some(9)));
    // a user has replied: no bot resolution any more
    let resolved = s.apply(&status(Status::Resolved, false), at(120), true);
    assert_eq!(durations(&resolved), [(Metric::Resolved, 120, Some(5))]);
}

#[test]
fn a_bot_only_conversation_is_bot_resolved() {
    let mut s = start();
    let resolved = s.apply(&status(Status::Resolved, false), at(30), true);
    assert_eq!(durations(&resolved), [(Metric::Resolved, 30, Some(5)), (Metric::BotResolved, 30, Some(5))]);
}

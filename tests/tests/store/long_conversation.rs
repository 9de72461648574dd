//! Invariant 5 for conversations: a conversation with 10,000 messages
//! (every one with an idempotency key, so the aggregate holds its full set
//! of keys) accepts a message about as fast as a new conversation, because
//! decisions read a snapshot of bounded size and never the messages.
//!
//! The stream is built like the bench builds long streams: the first 9,998
//! messages appended in bulk exactly as the command path writes them, the
//! last ones by real commands (which take the snapshot at version 10,000).

use chrono::Utc;
use onelink_commands::conversations::{self, ConversationInput, MessageInput, MessagePolicy};
use onelink_commands::store::{encode_event, NewEvent, StreamAppend};
use onelink_commands::{CommandContext, Commands};
use onelink_domain::conversation::{
    ContentType, ConversationEvent, MessageStatus, MessageType, NewMessage, Sender, Status,
};
use onelink_domain::ids::{AccountId, ContactId, ConversationId, InboxId, MessageId, UserId};
use onelink_domain::Actor;
use onelink_projections::conversations::history;
use onelink_tests::TestApp;
use std::time::{Duration, Instant};

const LONG: usize = 10_000;
/// Messages added by commands after the bulk part: the first one crosses
/// version 10,000 and takes the snapshot.
const TAIL: usize = 2;
const SAMPLES: usize = 60;

fn conversation() -> ConversationInput {
    ConversationInput {
        account_id: AccountId(1),
        inbox_id: InboxId(1),
        contact_id: ContactId(1),
        source_id: Some("source".into()),
        status: Status::Open,
        snoozed_until: None,
        priority: None,
        assignee: None,
        team_id: None,
        additional_attributes: Default::default(),
        custom_attributes: Default::default(),
        message: None,
    }
}

fn key(n: usize) -> String {
    format!("{n:036}")
}

fn content(n: usize) -> String {
    format!("message {n} {}", "x".repeat(200))
}

/// Appends messages `from..to` (after stream version `version`) in batches.
async fn bulk_messages(c: &Commands, id: ConversationId, version: i64, from: usize, to: usize) {
    let started = Utc::now() - chrono::Duration::hours(2);
    let ctx = CommandContext::system();
    let mut expected_version = version;
    for batch in (from..to).collect::<Vec<_>>().chunks(500) {
        let events: Vec<NewEvent> = batch
            .iter()
            .map(|&n| {
                let event = ConversationEvent::MessageCreated(NewMessage {
                    id: MessageId(1_000_000_000 + n as i64),
                    message_type: MessageType::Outgoing,
                    content: Some(content(n)),
                    content_type: ContentType::Text,
                    content_attributes: Default::default(),
                    additional_attributes: Default::default(),
                    private: false,
                    sender: Some(Sender::User(UserId(1))),
                    source_id: None,
                    echo_id: None,
                    status: MessageStatus::Sent,
                    created_at: started + chrono::Duration::milliseconds(n as i64),
                    idempotency_key: Some(key(n)),
                    attachments: vec![],
                });
                let (event_type, payload) = encode_event(&event).unwrap();
                NewEvent { event_type, event_version: "1".into(), payload }
            })
            .collect();
        let count = events.len() as i64;
        let append = StreamAppend {
            aggregate_type: "Conversation",
            aggregate_id: id.to_string(),
            account_id: Some(1),
            expected_version,
            events,
        };
        c.store.append(&[append], &ctx).await.unwrap();
        expected_version += count;
    }
}

fn keyed(n: usize) -> MessageInput {
    MessageInput {
        message_type: MessageType::Outgoing,
        content: Some(content(n)),
        content_type: ContentType::Text,
        content_attributes: Default::default(),
        additional_attributes: Default::default(),
        private: false,
        sender: Some(Sender::User(UserId(1))),
        source_id: None,
        echo_id: None,
        idempotency_key: Some(key(n)),
        attachments: vec![],
    }
}

async fn add(c: &Commands, id: ConversationId, n: usize) -> Duration {
    let ctx = CommandContext::new(Actor::User(1), None);
    let policy = MessagePolicy { reopen_as: Status::Open, flood_limit: 1_000 };
    let started = Instant::now();
    conversations::add_message(c, &ctx, AccountId(1), id, keyed(n), policy, Utc::now()).await.unwrap();
    started.elapsed()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::test]
async fn a_conversation_with_ten_thousand_messages_decides_as_fast_as_a_new_one() {
    let app = TestApp::spawn().await;
    let c = app.commands();
    let ctx = CommandContext::new(Actor::System, None);
    let long = conversations::create(&c, &ctx, conversation(), Utc::now()).await.unwrap().value.0;
    let fresh = conversations::create(&c, &ctx, conversation(), Utc::now()).await.unwrap().value.0;
    let filling = Instant::now();
    bulk_messages(&c, long, 1, 0, LONG - TAIL).await;
    for n in LONG - TAIL..LONG {
        add(&c, long, n).await;
    }
    let filled = filling.elapsed();

    let length: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE aggregate_id = $1 AND aggregate_type = 'Conversation'",
    )
    .bind(long.to_string())
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(length, LONG as i64 + 1);

    // alternate the two, so both see the same machine load
    let (mut on_long, mut on_fresh) = (Vec::new(), Vec::new());
    for n in 0..SAMPLES {
        on_long.push(add(&c, long, LONG + n).await);
        on_fresh.push(add(&c, fresh, n).await);
    }
    let (long_median, fresh_median) = (median(on_long), median(on_fresh));
    let snapshot: i64 = sqlx::query_scalar(
        "SELECT octet_length(state::text)::bigint FROM snapshots \
         WHERE aggregate_type = 'Conversation' AND aggregate_id = $1",
    )
    .bind(long.to_string())
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(snapshot < 200_000, "the snapshot stays small: {snapshot} bytes");
    eprintln!(
        "filled {LONG} messages in {filled:?}; add_message median: long {long_median:?}, new {fresh_median:?}; \
         conversation snapshot {snapshot} bytes"
    );
    assert!(
        long_median < fresh_median * 3 + Duration::from_millis(5),
        "long {long_median:?} vs new {fresh_median:?}"
    );

    // a retry with a recent key is answered from the bounded state; a key
    // older than the last 1000 keyed messages is forgotten
    let replay = add(&c, long, LONG + SAMPLES - 1).await;
    assert!(replay < fresh_median * 3 + Duration::from_millis(5), "replay {replay:?}");
    let head = || async {
        let n: i64 = sqlx::query_scalar(
            "SELECT max(sequence) FROM events WHERE aggregate_id = $1 AND aggregate_type = 'Conversation'",
        )
        .bind(long.to_string())
        .fetch_one(&app.db)
        .await
        .unwrap();
        n
    };
    let before = head().await;
    add(&c, long, LONG + SAMPLES - 1).await;
    assert_eq!(head().await, before, "a replay writes nothing");
    add(&c, long, 5).await;
    assert_eq!(head().await, before + 1, "a key 10,000 messages old is forgotten");

    // the audit's point-in-time fold reads the whole stream in pages
    let started = Instant::now();
    let now = history::as_of(&app.db, 1, long.0, Utc::now()).await.unwrap().unwrap();
    let folded = started.elapsed();
    eprintln!("as_of over {} events in {folded:?}", now.version);
    assert_eq!(now.version, before + 1);
    assert_eq!(now.row.message_count, before);
    assert_eq!(now.latest_messages.len(), 1, "only the latest message is kept");
    assert_eq!(Some(now.latest_messages[0].id), now.row.last_message_id);
}

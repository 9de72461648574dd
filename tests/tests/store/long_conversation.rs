//! Invariant 5 for conversations: a conversation with 10,000 messages
//! (every one with an idempotency key, the largest state the aggregate
//! keeps) accepts a message about as fast as a new conversation, because
//! decisions read a snapshot of bounded size and never the messages.

use chrono::Utc;
use onelink_commands::conversations::{self, ConversationInput, MessageInput, MessagePolicy};
use onelink_commands::{CommandContext, Commands};
use onelink_domain::conversation::{ContentType, MessageType, Sender, Status};
use onelink_domain::ids::{AccountId, ContactId, ConversationId, InboxId, UserId};
use onelink_domain::Actor;
use onelink_tests::TestApp;
use std::time::{Duration, Instant};

const LONG: usize = 10_000;
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

fn keyed(n: usize) -> MessageInput {
    MessageInput {
        message_type: MessageType::Outgoing,
        content: Some(format!("message {n} {}", "x".repeat(200))),
        content_type: ContentType::Text,
        content_attributes: Default::default(),
        additional_attributes: Default::default(),
        private: false,
        sender: Some(Sender::User(UserId(1))),
        source_id: None,
        echo_id: None,
        idempotency_key: Some(format!("{:036}", n)),
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
    for n in 0..LONG {
        add(&c, long, n).await;
    }
    let filled = filling.elapsed();

    // alternate the two, so both see the same machine load
    let (mut on_long, mut on_fresh) = (Vec::new(), Vec::new());
    for n in 0..SAMPLES {
        on_long.push(add(&c, long, LONG + n).await);
        on_fresh.push(add(&c, fresh, n).await);
    }
    let (long_median, fresh_median) = (median(on_long), median(on_fresh));
    let snapshot: i64 = sqlx::query_scalar(
        "SELECT coalesce(max(octet_length(state::text)), 0) FROM snapshots WHERE aggregate_type = 'Conversation'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap_or(0);
    eprintln!(
        "filled {LONG} messages in {filled:?}; add_message median: long {long_median:?}, new {fresh_median:?}; \
         largest conversation snapshot {snapshot} bytes"
    );
    assert!(
        long_median < fresh_median * 3 + Duration::from_millis(5),
        "long {long_median:?} vs new {fresh_median:?}"
    );
    // a retry with an old key is still answered from the bounded state
    let replay = add(&c, long, LONG + SAMPLES - 1).await;
    assert!(replay < fresh_median * 3 + Duration::from_millis(5), "replay {replay:?}");
}

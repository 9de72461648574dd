//! The conversation stream under concurrency, and its read models.

use chrono::Utc;
use onelink_commands::conversations::{self, ConversationInput, MessageInput, MessagePolicy};
use onelink_commands::CommandContext;
use onelink_domain::conversation::{ContentType, MessageType, Sender, Status};
use onelink_domain::ids::{AccountId, ContactId, ConversationId, InboxId, UserId};
use onelink_domain::Actor;
use onelink_tests::readmodels::{dump, rebuild_all};
use onelink_tests::TestApp;

fn input() -> ConversationInput {
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

fn text(writer: usize, n: usize) -> MessageInput {
    MessageInput {
        message_type: if n.is_multiple_of(2) { MessageType::Outgoing } else { MessageType::Incoming },
        content: Some(format!("w{writer}-{n}")),
        content_type: ContentType::Text,
        content_attributes: Default::default(),
        additional_attributes: Default::default(),
        private: false,
        sender: Some(Sender::User(UserId(writer as i64 + 1))),
        source_id: None,
        echo_id: None,
        idempotency_key: None,
        attachments: vec![],
    }
}

/// R4: 16 writers × 100 messages on one conversation.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_writers_on_one_conversation_land_every_message_once_in_order() {
    let app = TestApp::spawn().await;
    let c = app.commands();
    let ctx = CommandContext::new(Actor::System, None);
    let created = conversations::create(&c, &ctx, input(), Utc::now()).await.unwrap();
    let (id, display_id) = created.value;
    assert_eq!(display_id.0, 1, "the account's first conversation is number 1");
    let policy = MessagePolicy { reopen_as: Status::Open, flood_limit: 100_000 };

    let mut tasks = Vec::new();
    for writer in 0..16 {
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            let ctx = CommandContext::new(Actor::User(writer as i64 + 1), None);
            let mut last = None;
            for n in 0..100 {
                let done = conversations::add_message(
                    &c,
                    &ctx,
                    AccountId(1),
                    id,
                    text(writer, n),
                    policy,
                    Utc::now(),
                )
                .await
                .unwrap();
                last = done.position;
            }
            last
        }));
    }
    let mut last = None;
    for t in tasks {
        last = last.max(t.await.unwrap());
    }
    app.settle(last).await;

    let versions: Vec<i64> = sqlx::query_scalar(
        "SELECT sequence FROM events WHERE aggregate_type = 'Conversation' ORDER BY sequence",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(versions, (1..=1601).collect::<Vec<_>>(), "stream versions are gapless");
    let (messages, count): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM messages), (SELECT message_count FROM conversations WHERE id = $1)",
    )
    .bind(id.0)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((messages, count), (1600, 1600));
    for writer in 0..16 {
        let contents: Vec<String> =
            sqlx::query_scalar("SELECT content FROM messages WHERE sender_id = $1 ORDER BY id")
                .bind(writer as i64 + 1)
                .fetch_all(&app.db)
                .await
                .unwrap();
        let expected: Vec<String> = (0..100).map(|n| format!("w{writer}-{n}")).collect();
        assert_eq!(contents, expected, "writer {writer}'s messages in its send order");
    }
    let live = dump(&app.db).await;
    rebuild_all(&app.db).await;
    assert_eq!(dump(&app.db).await, live);
}

#[tokio::test]
async fn counts_follow_status_and_assignee_changes_exactly() {
    let app = TestApp::spawn().await;
    let c = app.commands();
    let ctx = CommandContext::new(Actor::System, None);
    let mut ids: Vec<ConversationId> = Vec::new();
    let mut last = None;
    for _ in 0..10 {
        let done = conversations::create(&c, &ctx, input(), Utc::now()).await.unwrap();
        ids.push(done.value.0);
        last = done.position;
    }
    use onelink_domain::conversation::{Assignee, ConversationCommand, StatusRequest, Toggler};
    for (i, id) in ids.iter().enumerate() {
        if i.is_multiple_of(3) {
            let request = StatusRequest { status: Some(Status::Resolved), snoozed_until: None };
            let done = conversations::toggle_status(&c, &ctx, AccountId(1), *id, request, Toggler::System)
                .await
                .unwrap();
            last = done.position;
        }
        if i.is_multiple_of(2) {
            let done = conversations::change(&c, &ctx, AccountId(1), *id, || {
                ConversationCommand::Assign(Some(Assignee::User(UserId(7))))
            })
            .await
            .unwrap();
            last = done.position;
        }
    }
    let deleted =
        conversations::change(&c, &ctx, AccountId(1), ids[9], || ConversationCommand::Delete).await.unwrap();
    app.settle(deleted.position.max(last)).await;
    let counts: Vec<(i16, i64, i64)> = sqlx::query_as(
        "SELECT status, assignee_key, n FROM conversation_counts WHERE account_id = 1 ORDER BY 1, 2",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    // 9 remain: resolved = {0, 3, 6}; assigned to 7 = {0, 2, 4, 6, 8}
    assert_eq!(counts, vec![(0, 0, 3), (0, 7, 3), (1, 0, 1), (1, 7, 2)]);
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM conversations").fetch_one(&app.db).await.unwrap();
    assert_eq!(rows, 9);
    let live = dump(&app.db).await;
    rebuild_all(&app.db).await;
    assert_eq!(dump(&app.db).await, live, "count rows equal a rebuild (no zero rows left behind)");
}

#[tokio::test]
async fn label_counts_follow_label_sets_overwrites_and_deletes_exactly() {
    use onelink_domain::conversation::{ConversationCommand, StatusRequest, Toggler};
    let app = TestApp::spawn().await;
    let c = app.commands();
    let ctx = CommandContext::new(Actor::System, None);
    let mut ids: Vec<ConversationId> = Vec::new();
    for _ in 0..4 {
        ids.push(conversations::create(&c, &ctx, input(), Utc::now()).await.unwrap().value.0);
    }
    let set = |labels: &[&str]| {
        let labels: Vec<String> = labels.iter().map(|l| (*l).to_owned()).collect();
        move || ConversationCommand::SetLabels(labels.clone())
    };
    let account = AccountId(1);
    conversations::change(&c, &ctx, account, ids[0], set(&["billing", "vip"])).await.unwrap();
    conversations::change(&c, &ctx, account, ids[1], set(&["billing"])).await.unwrap();
    conversations::change(&c, &ctx, account, ids[2], set(&["vip", "billing"])).await.unwrap();
    conversations::change(&c, &ctx, account, ids[2], set(&["support"])).await.unwrap();
    conversations::change(&c, &ctx, account, ids[3], set(&["billing"])).await.unwrap();
    conversations::change(&c, &ctx, account, ids[3], || ConversationCommand::Delete).await.unwrap();
    let request = StatusRequest { status: Some(Status::Resolved), snoozed_until: None };
    let last =
        conversations::toggle_status(&c, &ctx, account, ids[0], request, Toggler::System).await.unwrap();
    app.settle(last.position).await;

    let counts: Vec<(String, i16, i64)> = sqlx::query_as(
        "SELECT label, status, n FROM conversation_label_counts WHERE account_id = 1 ORDER BY 1, 2",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let expected = [("billing", 0, 1), ("billing", 1, 1), ("support", 0, 1), ("vip", 1, 1)];
    let expected: Vec<(String, i16, i64)> =
        expected.iter().map(|(l, s, n)| ((*l).to_owned(), *s, *n)).collect();
    assert_eq!(counts, expected, "one count per live conversation and label, none left at zero");
    let by_rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT l, count(*) FROM conversations, unnest(labels) AS l WHERE account_id = 1 GROUP BY l ORDER BY l",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let by_counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT label, sum(n)::bigint FROM conversation_label_counts WHERE account_id = 1 GROUP BY label ORDER BY label",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(by_counts, by_rows);
    let live = dump(&app.db).await;
    rebuild_all(&app.db).await;
    assert_eq!(dump(&app.db).await, live, "label counts equal a rebuild");
}

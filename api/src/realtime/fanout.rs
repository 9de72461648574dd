//! The realtime fan-out: a per-node consumer of the event log. Every node
//! tails the log from its head at start-up (no checkpoint: a websocket
//! that was not connected has nothing to catch up on), woken by the
//! store's `LogSignal` (local appends, and other nodes' appends through
//! `NOTIFY onelink_events`), with a short poll for events held back by
//! an older open transaction. Each event is turned into the upstream's
//! broadcast events, rendered once the read models include it, and put
//! on the outboxes of the subscriptions in its audience.

use super::hub::{Hub, Principal};
use super::push;
use crate::state::AppState;
use onelink_commands::LogPosition;
use onelink_domain::conversation::ConversationEvent;
use onelink_projections::client::{conversation_by_id, inbox_audience};
use onelink_projections::conversations::query::find_message;
use onelink_projections::conversations::ConversationRow;
use onelink_projections::log::read_after;
use onelink_projections::RecordedEvent;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// The conversation aggregate's stream type (`Conversation::TYPE`).
const CONVERSATION: &str = "Conversation";
/// The contact aggregate's stream type (`Contact::TYPE`).
const CONTACT: &str = "Contact";
const POLL: Duration = Duration::from_millis(200);
const BATCH: i64 = 500;
/// Longest a delivery waits for the read models to include its event.
const RENDER_WAIT: Duration = Duration::from_secs(5);

pub async fn start(
    state: AppState,
    hub: Arc<Hub>,
    wake: Arc<Notify>,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let cursor = onelink_projections::log::horizon(&state.pool).await?;
    tokio::spawn(run(state, hub, wake, shutdown, cursor));
    Ok(())
}

async fn run(
    state: AppState,
    hub: Arc<Hub>,
    wake: Arc<Notify>,
    shutdown: CancellationToken,
    mut cursor: LogPosition,
) {
    loop {
        let notified = wake.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let events = match state.pool.acquire().await {
            Ok(mut conn) => read_after(&mut conn, cursor, BATCH).await,
            Err(e) => Err(e),
        };
        let events = match events {
            Ok(events) => events,
            Err(e) => {
                tracing::warn!(error = %e, "realtime fan-out could not read the log");
                Vec::new()
            }
        };
        if events.is_empty() {
            tokio::select! {
                _ = &mut notified => {}
                _ = tokio::time::sleep(POLL) => {}
                _ = shutdown.cancelled() => return,
            }
            continue;
        }
        for e in &events {
            cursor = e.position();
            if let Err(err) = deliver(&state, &hub, e).await {
                tracing::warn!(error = %err, event.position = e.global_position, "realtime delivery failed");
            }
        }
    }
}

/// Who an event goes to: the inbox's agents, and its contact too unless
/// the content is private.
#[derive(Clone, Copy, PartialEq)]
enum Audience {
    Agents,
    AgentsAndContact,
}

async fn deliver(state: &AppState, hub: &Hub, e: &RecordedEvent) -> Result<(), crate::error::ApiError> {
    let Some(account_id) = e.account_id else { return Ok(()) };
    if !hub.listens_to(account_id) {
        return Ok(());
    }
    if e.is(CONTACT) {
        return deliver_contact(state, hub, account_id, e).await;
    }
    if !e.is(CONVERSATION) {
        return Ok(());
    }
    let event: ConversationEvent = e.decode()?;
    let _ = state.projections.wait_for(e.position(), RENDER_WAIT).await;
    let Some(c) = conversation_by_id(&state.pool, account_id, e.numeric_id()?).await? else { return Ok(()) };
    use ConversationEvent as E;
    let message_event = |name: &'static str, id: i64| Some((name, id));
    let (message, names): (Option<(&str, i64)>, &[&str]) = match &event {
        E::MessageCreated(m) => (message_event("message.created", m.id.0), &[]),
        E::MessageDeleted { message_id }
        | E::MessageStatusChanged { message_id, .. }
        | E::MessageValuesSubmitted { message_id, .. } => {
            (message_event("message.updated", message_id.0), &[])
        }
        E::ConversationCreated { .. } => (None, &["conversation.created"]),
        E::ConversationStatusChanged { .. } => {
            (None, &["conversation.status_changed", "conversation.updated"])
        }
        E::ConversationAssigneeChanged { .. } => (None, &["assignee.changed"]),
        E::ConversationTeamChanged { .. } => (None, &["team.changed"]),
        E::ConversationPriorityChanged { .. }
        | E::ConversationLabelsChanged { .. }
        | E::ConversationCustomAttributesChanged { .. } => (None, &["conversation.updated"]),
        E::ContactLastSeen { .. } => (None, &["conversation.read"]),
        // an agent's read marker is not pushed (the upstream's `conversation.read`
        // to agents is not sent yet)
        E::ConversationDeleted | E::ConversationSeen { .. } => (None, &[]),
    };
    let agents = Hub::agents(account_id, &inbox_audience(&state.pool, account_id, c.inbox_id).await?);
    let contact = contact_principal(&c);
    if let Some((name, message_id)) = message {
        let Some(m) = find_message(&state.pool, account_id, c.id, message_id).await? else { return Ok(()) };
        let data = push::message(state, &c, &m).await?;
        hub.send(&agents, name, &data);
        if !m.private && m.message_type != 2 {
            hub.send(&contact, name, &data);
        }
        return Ok(());
    }
    if names.is_empty() {
        return Ok(());
    }
    let data = push::conversation(state, &c).await?;
    for name in names {
        hub.send(&agents, name, &data.agents);
        if audience(name) == Audience::AgentsAndContact {
            hub.send(&contact, name, &data.contact);
        }
    }
    Ok(())
}

/// `contact.created` / `contact.updated` / `contact.deleted` to every
/// agent of the account.
async fn deliver_contact(
    state: &AppState,
    hub: &Hub,
    account_id: i64,
    e: &RecordedEvent,
) -> Result<(), crate::error::ApiError> {
    use onelink_domain::contact::ContactEvent as C;
    let name = match e.decode::<C>()? {
        C::ContactCreated { .. } => "contact.created",
        C::ContactDeleted { .. } => "contact.deleted",
        _ => "contact.updated",
    };
    let agents = hub.account_agents(account_id);
    if agents.is_empty() {
        return Ok(());
    }
    let id = e.numeric_id()?;
    let _ = state.projections.wait_for(e.position(), RENDER_WAIT).await;
    let data = match onelink_projections::contacts::query::find(&state.pool, account_id, id).await? {
        Some(contact) if name != "contact.deleted" => {
            let mut data = crate::application::conversations::json::contact_push(&contact);
            if let Some(o) = data.as_object_mut() {
                o.insert("account_id".into(), serde_json::json!(account_id));
            }
            data
        }
        Some(_) | None if name == "contact.deleted" => {
            serde_json::json!({"id": id, "account_id": account_id})
        }
        _ => return Ok(()),
    };
    hub.send(&agents, name, &data);
    Ok(())
}

fn audience(event: &str) -> Audience {
    match event {
        "conversation.created" | "conversation.updated" | "conversation.status_changed" => {
            Audience::AgentsAndContact
        }
        _ => Audience::Agents,
    }
}

/// The conversation's contact session.
pub fn contact_principal(c: &ConversationRow) -> Vec<Principal> {
    c.source_id
        .clone()
        .map(|source_id| Principal::Contact { account_id: c.account_id, inbox_id: c.inbox_id, source_id })
        .into_iter()
        .collect()
}

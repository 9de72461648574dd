//! `GET /cable`: the ActionCable protocol (Rails 7.1, `actioncable-v1-json`)
//! the upstream's widget and SDKs speak. `welcome` once, a `ping` every
//! 3 s, `subscribe`/`unsubscribe` commands whose `identifier` is a JSON
//! string echoed byte for byte. Only `RoomChannel` exists: contacts
//! subscribe with their contact inbox's pubsub token, agents with their
//! user's token plus `account_id` and `user_id`. An unknown token is
//! `reject_subscription` (the upstream sends nothing).

use super::hub::{Hub, Principal, OUTBOX_CAPACITY};
use crate::state::AppState;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use onelink_commands::secrets::digest;
use onelink_projections::client::{contact_inbox_by_token, user_subscribes};
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::sync::mpsc;

pub const PING_INTERVAL: Duration = Duration::from_secs(3);
const PROTOCOLS: [&str; 2] = ["actioncable-v1-json", "actioncable-unsupported"];

pub async fn cable(State(state): State<AppState>, ws: WebSocketUpgrade) -> Response {
    ws.protocols(PROTOCOLS).on_upgrade(move |socket| connection(state, socket))
}

#[derive(Debug, Deserialize)]
struct Command {
    command: String,
    identifier: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Identifier {
    channel: Option<String>,
    pubsub_token: Option<String>,
    account_id: Option<Value>,
    user_id: Option<Value>,
}

fn number(v: &Option<Value>) -> Option<i64> {
    match v.as_ref()? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn connection(state: AppState, socket: WebSocket) {
    let hub = state.realtime.clone();
    let id = hub.connection_id();
    let (mut sink, mut stream) = socket.split();
    let (outbox, mut frames) = mpsc::channel::<String>(OUTBOX_CAPACITY);
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING_INTERVAL, PING_INTERVAL);
    let welcome = json!({"type": "welcome"}).to_string();
    if sink.send(Message::Text(welcome.into())).await.is_err() {
        return;
    }
    loop {
        let out = tokio::select! {
            _ = ping.tick() => json!({"type": "ping", "message": unix_now()}).to_string(),
            Some(frame) = frames.recv() => frame,
            incoming = stream.next() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    if let Some(reply) = command(&state, &hub, id, &outbox, text.as_str()).await {
                        reply
                    } else {
                        continue;
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => continue,
            },
            _ = hub.shutdown.cancelled() => {
                let bye = json!({"type": "disconnect", "reason": "server_restart", "reconnect": true});
                let _ = sink.send(Message::Text(bye.to_string().into())).await;
                break;
            }
        };
        if sink.send(Message::Text(out.into())).await.is_err() {
            break;
        }
    }
    hub.unsubscribe(id, None);
}

/// Handles one client frame; returns the reply, if any.
async fn command(
    state: &AppState,
    hub: &Hub,
    id: u64,
    outbox: &mpsc::Sender<String>,
    text: &str,
) -> Option<String> {
    let cmd: Command = serde_json::from_str(text).ok()?;
    let identifier = cmd.identifier?;
    match cmd.command.as_str() {
        "subscribe" => {
            let kind = match authorize(state, &identifier).await {
                Some(principal) => {
                    hub.subscribe(principal, id, &identifier, outbox.clone());
                    "confirm_subscription"
                }
                None => "reject_subscription",
            };
            Some(json!({"identifier": identifier, "type": kind}).to_string())
        }
        "unsubscribe" => {
            hub.unsubscribe(id, Some(&identifier));
            None
        }
        // `update_presence` and other actions: presence is not tracked yet.
        _ => None,
    }
}

/// The principal a `RoomChannel` identifier proves, if any.
async fn authorize(state: &AppState, identifier: &str) -> Option<Principal> {
    let ident: Identifier = serde_json::from_str(identifier).ok()?;
    if ident.channel.as_deref() != Some("RoomChannel") {
        return None;
    }
    let token = ident.pubsub_token.filter(|t| !t.is_empty())?;
    let token_digest = digest(&token);
    if ident.user_id.is_some() || ident.account_id.is_some() {
        let (account_id, user_id) = (number(&ident.account_id)?, number(&ident.user_id)?);
        let ok = user_subscribes(&state.pool, account_id, user_id, &token_digest).await.ok()?;
        return ok.then_some(Principal::Agent { account_id, user_id });
    }
    let ci = contact_inbox_by_token(&state.pool, &token_digest).await.ok()??;
    Some(Principal::Contact { account_id: ci.account_id, inbox_id: ci.inbox_id, source_id: ci.source_id })
}

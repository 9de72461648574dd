//! Typing indicators: ephemeral, so not written to the event log (the
//! log is the record of what happened to a conversation; a keystroke
//! signal has no lasting effect and would only bloat streams and every
//! consumer). The handler sends `NOTIFY onelink_typing` with the ids;
//! every node listens and delivers to its own subscribers, rendering the
//! payload from its read models. Lost notices (a node reconnecting) are
//! acceptable for an indicator that clients expire by themselves.

use super::hub::Hub;
use super::push;
use crate::state::AppState;
use onelink_projections::client::{conversation_by_id, inbox_audience};
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgListener;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

pub const TYPING_CHANNEL: &str = "onelink_typing";

/// A contact started or stopped typing in a conversation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Typing {
    pub account_id: i64,
    pub conversation_id: i64,
    pub contact_id: i64,
    pub on: bool,
}

/// Tells every node (this one included) about a typing change.
pub async fn announce(pool: &sqlx::PgPool, typing: &Typing) -> Result<(), sqlx::Error> {
    let payload = serde_json::to_string(typing).unwrap_or_default();
    sqlx::query("SELECT pg_notify($1, $2)").bind(TYPING_CHANNEL).bind(payload).execute(pool).await.map(|_| ())
}

pub async fn start(state: AppState, hub: Arc<Hub>, shutdown: CancellationToken) -> anyhow::Result<()> {
    let mut listener = PgListener::connect_with(&state.pool).await?;
    listener.listen(TYPING_CHANNEL).await?;
    tokio::spawn(async move {
        loop {
            tokio::select! {
                received = listener.try_recv() => match received {
                    Ok(Some(n)) => {
                        if let Ok(typing) = serde_json::from_str::<Typing>(n.payload()) {
                            if let Err(e) = deliver(&state, &hub, &typing).await {
                                tracing::warn!(error = %e, "typing notice not delivered");
                            }
                        }
                    }
                    Ok(None) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "typing notifications interrupted");
                        tokio::time::sleep(Duration::from_millis(500)).await;
                    }
                },
                _ = shutdown.cancelled() => return,
            }
        }
    });
    Ok(())
}

/// To the inbox's agents only: never back to the typing contact.
async fn deliver(state: &AppState, hub: &Hub, t: &Typing) -> Result<(), crate::error::ApiError> {
    if !hub.listens_to(t.account_id) {
        return Ok(());
    }
    let Some(c) = conversation_by_id(&state.pool, t.account_id, t.conversation_id).await? else {
        return Ok(());
    };
    if c.contact_id != t.contact_id {
        return Ok(());
    }
    let Some(data) = push::contact_typing(state, &c).await? else { return Ok(()) };
    let agents = Hub::agents(c.account_id, &inbox_audience(&state.pool, c.account_id, c.inbox_id).await?);
    let event = if t.on { "conversation.typing_on" } else { "conversation.typing_off" };
    hub.send(&agents, event, &data);
    Ok(())
}

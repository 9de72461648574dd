//! This node's websocket subscriptions and delivery to them. A frame is
//! only ever put on the outbox of a subscription whose principal is in
//! the event's audience: agents by (account, user), contacts by (account,
//! inbox, source id) — never across accounts.

use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Frames waiting for one connection; a connection that falls this far
/// behind loses frames (logged) rather than growing memory.
pub const OUTBOX_CAPACITY: usize = 1024;

/// Who a subscription is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Principal {
    Agent { account_id: i64, user_id: i64 },
    Contact { account_id: i64, inbox_id: i64, source_id: String },
}

impl Principal {
    fn account_id(&self) -> i64 {
        match self {
            Principal::Agent { account_id, .. } | Principal::Contact { account_id, .. } => *account_id,
        }
    }
}

#[derive(Clone)]
struct Subscription {
    connection: u64,
    identifier: String,
    outbox: mpsc::Sender<String>,
}

#[derive(Default)]
pub struct Hub {
    subscriptions: Mutex<HashMap<Principal, Vec<Subscription>>>,
    next_connection: AtomicU64,
    /// Cancelled when the node shuts down: connections say goodbye.
    pub shutdown: CancellationToken,
}

/// An ActionCable message frame.
pub fn frame(identifier: &str, event: &str, data: &Value) -> String {
    json!({ "identifier": identifier, "message": { "event": event, "data": data } }).to_string()
}

impl Hub {
    pub fn connection_id(&self) -> u64 {
        self.next_connection.fetch_add(1, Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Principal, Vec<Subscription>>> {
        self.subscriptions.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn subscribe(
        &self,
        principal: Principal,
        connection: u64,
        identifier: &str,
        outbox: mpsc::Sender<String>,
    ) {
        let mut subs = self.lock();
        let list = subs.entry(principal).or_default();
        if !list.iter().any(|s| s.connection == connection && s.identifier == identifier) {
            list.push(Subscription { connection, identifier: identifier.to_owned(), outbox });
        }
    }

    /// Drops one subscription of a connection, or all of them (`None`).
    pub fn unsubscribe(&self, connection: u64, identifier: Option<&str>) {
        let mut subs = self.lock();
        subs.retain(|_, list| {
            list.retain(|s| s.connection != connection || identifier.is_some_and(|i| i != s.identifier));
            !list.is_empty()
        });
    }

    /// Whether anyone on this node listens to the account (else the
    /// fan-out does not even render).
    pub fn listens_to(&self, account_id: i64) -> bool {
        self.lock().keys().any(|p| p.account_id() == account_id)
    }

    pub fn subscription_count(&self) -> usize {
        self.lock().values().map(Vec::len).sum()
    }

    /// Sends to the subscriptions of these principals.
    pub fn send(&self, principals: &[Principal], event: &str, data: &Value) {
        let targets: Vec<Subscription> = {
            let subs = self.lock();
            principals.iter().filter_map(|p| subs.get(p)).flatten().cloned().collect()
        };
        for s in targets {
            if s.outbox.try_send(frame(&s.identifier, event, data)).is_err() {
                tracing::warn!(
                    connection = s.connection,
                    event,
                    "websocket outbox full or closed; frame dropped"
                );
            }
        }
    }

    /// Every agent of the account subscribed on this node (upstream
    /// stream `account_<id>`).
    pub fn account_agents(&self, account_id: i64) -> Vec<Principal> {
        self.lock()
            .keys()
            .filter(|p| matches!(p, Principal::Agent { account_id: a, .. } if *a == account_id))
            .cloned()
            .collect()
    }

    /// The agent principals of `account_id` among `user_ids`.
    pub fn agents(account_id: i64, user_ids: &[i64]) -> Vec<Principal> {
        user_ids.iter().map(|&user_id| Principal::Agent { account_id, user_id }).collect()
    }
}

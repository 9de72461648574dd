//! Telling subscribers that the log grew, without a NOTIFY in the appending
//! transaction (see migrations/0007_notify_from_the_application.sql).
//!
//! After a successful append the store wakes this process's subscribers at
//! once (`local`) and asks the node's publisher to send one `pg_notify` to
//! other nodes (`outbound`); several appends in quick succession collapse
//! into one notification.

use std::sync::Arc;
use tokio::sync::Notify;

#[derive(Clone, Default)]
pub struct LogSignal {
    local: Arc<Notify>,
    outbound: Arc<Notify>,
}

impl LogSignal {
    /// Called by the store after a commit that appended events.
    pub fn appended(&self) {
        self.local.notify_waiters();
        self.outbound.notify_one();
    }

    /// Woken when events are appended by this process or, through the
    /// listener, by another node.
    pub fn local(&self) -> &Arc<Notify> {
        &self.local
    }

    /// Resolves when a notification to other nodes is due.
    pub fn outbound(&self) -> &Arc<Notify> {
        &self.outbound
    }
}

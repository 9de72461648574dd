//! Idempotency keys of a conversation's recent messages.
//!
//! A client that timed out may post the same message again with the same
//! `Idempotency-Key`; the aggregate then answers with the message it
//! created the first time instead of creating another. The keys live in the
//! aggregate (rebuilt from `MessageCreated` events, kept in snapshots), so
//! the rule holds across concurrent writers, nodes and restarts. Only the
//! most recent [`KEYS_KEPT`] keys are remembered, which keeps the state
//! bounded however long the conversation grows.

use crate::ids::MessageId;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// How many recent keys a conversation remembers.
pub const KEYS_KEPT: usize = 1_000;

/// Longest key accepted, in characters.
pub const KEY_MAX: usize = 255;

/// The recent keys, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecentKeys(VecDeque<(String, MessageId)>);

impl RecentKeys {
    /// The message created under `key`, if it is still remembered.
    pub fn find(&self, key: &str) -> Option<MessageId> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, id)| *id)
    }

    /// Remembers a key, forgetting the oldest beyond [`KEYS_KEPT`].
    pub fn record(&mut self, key: String, message_id: MessageId) {
        self.0.push_back((key, message_id));
        while self.0.len() > KEYS_KEPT {
            self.0.pop_front();
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Whether a client's key is usable: 1 to [`KEY_MAX`] characters, none of
/// them control characters.
pub fn valid_key(key: &str) -> bool {
    let count = key.chars().count();
    (1..=KEY_MAX).contains(&count) && !key.chars().any(char::is_control)
}

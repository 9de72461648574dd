//! Account webhooks: the read model, the outbox fed from the log, delivery
//! workers, signatures, payloads and replay.
//!
//! Flow: a log event → [`outbox`] (checkpointed subscriber: one pending row
//! per subscribed webhook, in the checkpoint's transaction) → [`worker`]s
//! (claim with SKIP LOCKED, [`send`] to the SSRF-vetted, pinned address,
//! [`sign`]ed, record the attempt, back off per [`schedule`]) → delivered,
//! or failed and visible through the API. [`replay`] re-queues a past range
//! with the original message ids.
//!
//! The `webhooks` table is a read model ([`project`]); the outbox, attempt
//! and endpoint-health tables are operational state that no rebuild touches.

pub mod bots;
pub mod outbox;
pub mod payload;
pub mod project;
pub mod query;
pub mod replay;
pub mod schedule;
pub mod send;
pub mod service;
pub mod sign;
mod worker;

pub use project::WebhooksProjection;
pub use schedule::{DeliveryConfig, RetrySchedule};
pub use service::Deliveries;

//! The pure domain of OneLink: aggregates, their commands, events and errors.
//!
//! Nothing here touches a database, the network or the clock: every fact an
//! aggregate needs (ids, timestamps, token digests, password hashes) is looked
//! up or produced by the `commands` crate and placed *into* the command.

pub mod account;
pub mod actor;
pub mod agent_bot;
pub mod automation_rule;
pub mod canned_response;
pub mod connected_account;
pub mod contact;
pub mod contact_inbox;
pub mod conversation;
pub mod custom_attribute;
pub mod custom_filter;
pub mod email_claim;
pub mod help_center;
pub mod ids;
pub mod inbox;
pub mod label;
pub mod platform_app;
pub mod report;
pub mod team;
pub mod token;
pub mod unique_claim;
pub mod user;
pub mod validation;
pub mod webhook;

pub use actor::Actor;
pub use validation::{Violation, Violations};

/// Runs a cqrs-es `handle` that only ever emits events (the sink applies them)
/// and returns the emitted events. Our aggregates need no services.
pub async fn decide<A>(aggregate: &mut A, command: A::Command) -> Result<Vec<A::Event>, A::Error>
where
    A: cqrs_es::Aggregate<Services = ()>,
{
    let sink = cqrs_es::event_sink::EventSink::default();
    aggregate.handle(command, &(), &sink).await?;
    Ok(sink.collect().await)
}

/// Serde support for `Option<Option<T>>` event fields: absent → `None`,
/// `null` → `Some(None)` (a cleared value), value → `Some(Some(v))`.
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S, T>(value: &Option<Option<T>>, s: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        T: Serialize,
    {
        // Only called for `Some(_)` (absent values are skipped).
        value.as_ref().and_then(Option::as_ref).serialize(s)
    }

    pub fn deserialize<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(d).map(Some)
    }
}

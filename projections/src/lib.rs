//! The read side: the ordered log reader, checkpointed projection runners,
//! blue/green rebuilds, and every read model with the queries the API uses.

pub mod automation;
pub mod canned_responses;
pub mod client;
pub mod connected_accounts;
pub mod contact_inboxes;
pub mod contacts;
pub mod conversations;
pub mod custom_attributes;
pub mod custom_filters;
pub mod filter;
pub mod help_center;
pub mod inboxes;
pub mod labels;
pub mod log;
pub mod platform;
pub mod projection;
pub mod rebuild;
pub mod registry;
pub mod reports;
pub mod runner;
pub mod status;
pub mod teams;
pub mod webhooks;

pub use log::RecordedEvent;
pub use onelink_commands::LogPosition;
pub use projection::Projection;
pub use registry::{all_projections, Projections};

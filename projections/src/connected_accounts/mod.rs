//! `connected_accounts`: the accounts (WhatsApp numbers, LinkedIn
//! profiles, …) each OneLink account has connected, with their sealed
//! credentials and the inbox they are linked to.
//!
//! Besides the connected-account streams this projection follows accounts
//! (a deleted account's connections go) and inboxes (a deleted inbox is
//! unlinked; the connection stays).

mod project;
pub mod query;

pub use project::ConnectedAccountsProjection;
pub use query::{ConnectedAccountRow, Membership};

//! `teams` and `team_members`: the account's teams and who is in them.
//!
//! Besides the team streams, this projection follows the account and user
//! streams: a member removed from the account, or a deleted user, leaves
//! every team of that account (of every account) at once.

mod project;
pub mod query;

pub use project::TeamsProjection;
pub use query::TeamRow;

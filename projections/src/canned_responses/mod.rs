//! `canned_responses`: the account's saved replies, from the canned
//! response streams. A deleted account takes its canned responses with it.

mod project;
pub mod query;

pub use project::CannedResponsesProjection;
pub use query::CannedResponseRow;

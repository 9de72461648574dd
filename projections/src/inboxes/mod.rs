//! Inboxes and their members: the `inboxes` and `inbox_members` read
//! models (written in [`project`]) and the queries the API and, later, the
//! Client API and conversation listings read them with ([`query`]).
//!
//! An inbox membership counts only while the user is still a member of the
//! account under the same membership (`account_users.id`): queries check
//! it, and the projection drops memberships when a user leaves the account
//! or is deleted.

mod project;
pub mod query;

pub use project::InboxesProjection;
pub use query::{
    count, find, find_by_identifier, find_by_website_token, find_many, is_member, list_for, member_inbox_ids,
    members, InboxRow,
};

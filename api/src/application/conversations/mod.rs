//! Conversations (`/api/v1/accounts/{account_id}/conversations…`).

pub mod access;
pub mod actions;
pub mod assignments;
pub mod create;
pub mod json;
pub mod labels;
pub mod list;
pub mod message_input;
pub mod messages_create;

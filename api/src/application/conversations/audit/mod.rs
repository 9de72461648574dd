//! The audit trail of a conversation (no upstream equivalent): every event
//! of its stream in order, with who caused it and in which request
//! (`…/conversations/{id}/events`), and the conversation as it was at any
//! past moment, folded from those events (`…/conversations/{id}?as_of=`).
//! Access is that of showing the conversation; only the caller's account's
//! events are ever read.

pub mod as_of;
pub mod events;

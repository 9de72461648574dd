//! Realtime: `/cable` (ActionCable) and the per-node fan-out from the
//! event log to websocket subscriptions. See docs/ARCHITECTURE.md.

pub mod cable;
pub mod fanout;
pub mod hub;
pub mod push;
pub mod typing;

pub use hub::Hub;

//! The OneLink HTTP API (Platform, Application and Client families), the
//! `onelink` command line and the embedded PostgreSQL default.

pub mod app;
pub mod application;
pub mod auth;
pub mod blobs;
pub mod cli;
pub mod client;
pub mod clock;
pub mod connected;
pub mod dto;
pub mod embedded_pg;
pub mod error;
pub mod extract;
pub mod health;
pub mod jwt;
pub mod login;
pub mod openapi;
pub mod platform;
pub mod realtime;
pub mod state;
pub mod telemetry;

pub use app::{AppConfig, Application};
pub use state::Settings;

//! Test harness: a database per test cloned from a migrated template, the
//! real application on a random port, and an HTTP client that talks to it
//! like any other client.

pub mod app;
pub mod pg;
pub mod process;
pub mod readmodels;
pub mod seed;

pub use app::{Response, TestApp};

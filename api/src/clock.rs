//! The test-only clock header. With `--unsafe-clock-header` (never in
//! production), a request may say when it happens with
//! `X-OneLink-Clock: <RFC 3339 time>`; the events it causes are recorded at
//! that time. Tests use it to script a history over days (reports) without
//! waiting for them. Without the flag the header is ignored.

use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicBool, Ordering};

pub const HEADER: &str = "x-onelink-clock";

static HEADER_ALLOWED: AtomicBool = AtomicBool::new(false);

/// Turns the header on for this process (the server's start-up flag).
pub fn allow_header() {
    HEADER_ALLOWED.store(true, Ordering::Relaxed);
}

/// The time a request fixes, if the header is allowed and well formed.
pub fn requested_time(headers: &HeaderMap) -> Option<DateTime<Utc>> {
    if !HEADER_ALLOWED.load(Ordering::Relaxed) {
        return None;
    }
    let value = headers.get(HEADER)?.to_str().ok()?;
    DateTime::parse_from_rfc3339(value).ok().map(|t| t.with_timezone(&Utc))
}

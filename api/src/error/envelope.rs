//! Error shapes per API family, applied as response middleware so that
//! extractor rejections and handler errors are rendered alike.
//!
//! - Platform (`PlatformController`, no exception wrapper upstream): a
//!   missing record is Rails' `{"status":404,"error":"Not Found"}`.
//! - Application: `{"error":"Resource could not be found"}` (the default).

use super::{ErrorDetails, ErrorKind};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

pub async fn platform(response: Response) -> Response {
    let Some(details) = response.extensions().get::<ErrorDetails>().cloned() else {
        return response;
    };
    match details.kind {
        ErrorKind::NotFound => not_found_rails(details),
        _ => response,
    }
}

/// Rails' default 404 body, used by the Platform API and unknown routes.
pub fn not_found_rails(details: ErrorDetails) -> Response {
    let mut response =
        (StatusCode::NOT_FOUND, Json(json!({ "status": 404, "error": "Not Found" }))).into_response();
    response.extensions_mut().insert(details);
    response
}

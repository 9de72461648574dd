//! Error shapes of the connected-accounts API (API Platform + LexikJWT,
//! the seed's framework), applied as response middleware so extractor
//! rejections and handler errors render alike:
//!
//! - 401: Lexik's `{"code": 401, "message": …}` with `WWW-Authenticate: Bearer`;
//! - 422: a `ConstraintViolation` with one `violations[]` entry per field;
//! - 429: `{"error": "Too many requests"}` with `Retry-After` (unchanged);
//! - anything else: the Hydra/RFC 7807 `Error`.

use crate::error::{ErrorDetails, ErrorKind};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use onelink_domain::connected_account::rules;
use onelink_domain::Violation;
use serde_json::{json, Value};

pub const LD_JSON: &str = "application/ld+json; charset=utf-8";
pub const ACCESS_DENIED: &str = "Access Denied.";

pub async fn envelope(response: Response) -> Response {
    let Some(details) = response.extensions().get::<ErrorDetails>().cloned() else {
        return response;
    };
    let status = response.status();
    let mut rendered = match details.kind {
        ErrorKind::TooManyRequests => return response,
        ErrorKind::Unauthenticated => {
            let mut r = (status, Json(json!({ "code": status.as_u16(), "message": details.message })))
                .into_response();
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            r
        }
        ErrorKind::Invalid => ld((status, Json(constraint_violation(status, &details.violations)))),
        kind => ld((status, Json(hydra_error(status, &detail(kind, details.message.clone()))))),
    };
    rendered.extensions_mut().insert(details);
    rendered
}

fn ld(parts: impl IntoResponse) -> Response {
    let mut r = parts.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(LD_JSON));
    r
}

fn detail(kind: ErrorKind, message: String) -> String {
    match kind {
        ErrorKind::NotFound => "Not Found".into(),
        _ => message,
    }
}

/// API Platform's error resource.
pub fn hydra_error(status: StatusCode, detail: &str) -> Value {
    let code = status.as_u16();
    json!({
        "@context": "/api/contexts/Error",
        "@id": format!("/api/errors/{code}"),
        "@type": "Error",
        "title": "An error occurred",
        "detail": detail,
        "status": code,
        "type": format!("/errors/{code}"),
    })
}

/// Symfony's `ConstraintViolationList` as API Platform renders it.
pub fn constraint_violation(status: StatusCode, violations: &[Violation]) -> Value {
    let detail: Vec<String> = violations.iter().map(|v| format!("{}: {}", v.attribute, v.message)).collect();
    let list: Vec<Value> = violations
        .iter()
        .map(|v| json!({ "propertyPath": v.attribute, "message": v.message, "code": code(&v.message) }))
        .collect();
    json!({
        "@context": "/api/contexts/ConstraintViolation",
        "@type": "ConstraintViolation",
        "title": "An error occurred",
        "detail": detail.join("\n"),
        "status": status.as_u16(),
        "violations": list,
    })
}

/// Symfony's constraint error codes, where a message has one.
fn code(message: &str) -> Option<&'static str> {
    Some(match message {
        rules::NOT_BLANK => "c1051bb4-d103-4f74-8988-acbcafc7fdc3",
        rules::NOT_A_URL => "57c2f299-1154-4870-89bb-ef3b1f5ad229",
        rules::NOT_AN_OBJECT => "ba785a8c-82cb-4283-967c-3cf342181b40",
        m if m.starts_with("This value should be of type") => "ba785a8c-82cb-4283-967c-3cf342181b40",
        m if m.starts_with("This value is too long.") => "d94b19cc-114f-4f44-9cc4-4138e80a87b9",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_render_in_the_frameworks_shapes() {
        assert_eq!(
            hydra_error(StatusCode::NOT_FOUND, "Not Found"),
            json!({"@context": "/api/contexts/Error", "@id": "/api/errors/404", "@type": "Error",
                   "title": "An error occurred", "detail": "Not Found", "status": 404, "type": "/errors/404"})
        );
        let v = [
            Violation { attribute: "name".into(), message: rules::NOT_BLANK.into() },
            Violation { attribute: "config".into(), message: rules::too_large(10) },
        ];
        let body = constraint_violation(StatusCode::UNPROCESSABLE_ENTITY, &v);
        assert_eq!(body["detail"], "name: This value should not be blank.\nconfig: This value is too large. It should be 10 bytes or less when encoded as JSON.");
        assert_eq!(
            body["violations"],
            json!([{"propertyPath": "name", "message": "This value should not be blank.",
                    "code": "c1051bb4-d103-4f74-8988-acbcafc7fdc3"},
                   {"propertyPath": "config", "message": rules::too_large(10), "code": null}])
        );
    }
}

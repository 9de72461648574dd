//! JSON bodies with our error shapes: malformed JSON is a 400, a value of
//! the wrong type a 422 naming the attribute. Like Rails' ParamsWrapper, a
//! body may be flat or nested under the resource's root key
//! (`{"user": {...}}`); an empty body is an empty object.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use onelink_domain::Violations;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A request DTO, with the root key clients may nest it under.
pub trait RequestBody: DeserializeOwned {
    const ROOT: Option<&'static str> = None;

    /// Rewrites the (unwrapped) body before it is deserialized.
    fn normalize(value: Value) -> Value {
        value
    }
}

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: RequestBody,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let RawBody(bytes) = RawBody::from_request(req, state).await?;
        parse_body(&bytes).map(ApiJson)
    }
}

/// The body as bytes, for handlers that read it themselves; a body over
/// the limit is our 413, not axum's plain-text one.
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        Bytes::from_request(req, state).await.map(RawBody).map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::BadRequest(rejection.body_text())
            }
        })
    }
}

/// Parses a body (see the module docs).
pub fn parse_body<T: RequestBody>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: Value = if bytes.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(bytes)
            .map_err(|e| ApiError::BadRequest(format!("Invalid JSON in request body: {e}")))?
    };
    parse_value(value)
}

/// Deserializes an already parsed body (e.g. the fields of a form).
pub fn parse_value<T: RequestBody>(value: Value) -> Result<T, ApiError> {
    let value = T::normalize(unwrap_root(value, T::ROOT));
    if !value.is_object() {
        return Err(ApiError::BadRequest("The request body must be a JSON object".into()));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let attribute = path.split(['.', '[']).next().unwrap_or_default().to_owned();
        let label = humanize(&attribute);
        ApiError::Invalid(Violations::single(&attribute, format!("{label} {}", describe(e.inner()))))
    })
}

fn unwrap_root(value: Value, root: Option<&str>) -> Value {
    match (value, root) {
        (Value::Object(mut map), Some(root)) if map.get(root).is_some_and(Value::is_object) => {
            map.remove(root).unwrap_or_default()
        }
        (value, _) => value,
    }
}

/// `support_email` → `Support email` (Rails' `humanize`).
pub fn humanize(attribute: &str) -> String {
    let text = attribute.replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => "Request".into(),
    }
}

fn describe(e: &serde_json::Error) -> String {
    let text = e.to_string();
    // serde's "invalid type: integer `5`, expected a string" → "is invalid: …"
    let text = text.split(" at line ").next().unwrap_or(&text);
    format!("is invalid ({text})")
}

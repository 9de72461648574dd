//! API errors by meaning. A handler or extractor returns an [`ApiError`];
//! its response carries the error in its extensions, and each API family's
//! envelope middleware (see [`envelope`]) renders the family's JSON shape.

pub mod envelope;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use onelink_commands::CommandError;
use onelink_domain::Violations;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Missing or invalid credentials (401 `{"error": …}`).
    #[error("{0}")]
    Unauthenticated(String),
    /// Authenticated but not allowed (401 upstream, not 403).
    #[error("{0}")]
    NotPermitted(String),
    /// No credentials at all on the Application API (devise's wording and
    /// `{"errors": [...]}` shape).
    #[error("You need to sign in or sign up before continuing.")]
    SignInRequired,
    /// Authenticated but not allowed, where a real 403 is answered
    /// (connected accounts; message status updates outside API inboxes).
    #[error("{0}")]
    Forbidden(String),
    /// 415: the body's media type is not one the endpoint reads.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 429 with `Retry-After` (seconds).
    #[error("Too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    /// 429 `{"error": message}` with `Retry-After` (e.g. the conversation
    /// flood guard).
    #[error("{message}")]
    Throttled { message: String, retry_after_secs: u64 },
    /// 402, e.g. an account limit.
    #[error("{0}")]
    PaymentRequired(String),
    #[error("not found")]
    NotFound,
    /// 422 `{"message": …, "attributes": […]}`.
    #[error("{0}")]
    Invalid(Violations),
    /// 422 `{"error": …}`.
    #[error("{0}")]
    Unprocessable(String),
    /// 422 `{"error": {"<attribute>": ["<message>", …]}}` (Rails'
    /// `errors.messages`, e.g. automation rules).
    #[error("{}", .0.message())]
    FieldErrors(Violations),
    #[error("{0}")]
    BadRequest(String),
    #[error("request body too large")]
    PayloadTooLarge,
    /// 413 `{"error": …}` naming the file and the limit.
    #[error("{0}")]
    FileTooLarge(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(anyhow::Error),
}

/// What the envelope middleware needs to re-render an error.
#[derive(Debug, Clone)]
pub struct ErrorDetails {
    pub kind: ErrorKind,
    pub message: String,
    /// For [`ErrorKind::Invalid`]: each attribute and its message.
    pub violations: Vec<onelink_domain::Violation>,
}

impl ErrorDetails {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), violations: Vec::new() }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Unauthenticated,
    PaymentRequired,
    NotPermitted,
    Forbidden,
    UnsupportedMediaType,
    TooManyRequests,
    NotFound,
    Invalid,
    Unprocessable,
    BadRequest,
    PayloadTooLarge,
    Conflict,
    Unavailable,
    Internal,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthenticated(_) | ApiError::NotPermitted(_) | ApiError::SignInRequired => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::PaymentRequired(_) => StatusCode::PAYMENT_REQUIRED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooManyRequests { .. } | ApiError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Invalid(_) | ApiError::Unprocessable(_) | ApiError::FieldErrors(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::PayloadTooLarge | ApiError::FileTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            ApiError::Unauthenticated(_) | ApiError::SignInRequired => ErrorKind::Unauthenticated,
            ApiError::PaymentRequired(_) => ErrorKind::PaymentRequired,
            ApiError::NotPermitted(_) => ErrorKind::NotPermitted,
            ApiError::Forbidden(_) => ErrorKind::Forbidden,
            ApiError::UnsupportedMediaType(_) => ErrorKind::UnsupportedMediaType,
            ApiError::TooManyRequests { .. } | ApiError::Throttled { .. } => ErrorKind::TooManyRequests,
            ApiError::NotFound => ErrorKind::NotFound,
            ApiError::Invalid(_) => ErrorKind::Invalid,
            ApiError::Unprocessable(_) | ApiError::FieldErrors(_) => ErrorKind::Unprocessable,
            ApiError::BadRequest(_) => ErrorKind::BadRequest,
            ApiError::PayloadTooLarge | ApiError::FileTooLarge(_) => ErrorKind::PayloadTooLarge,
            ApiError::Conflict(_) => ErrorKind::Conflict,
            ApiError::Unavailable(_) => ErrorKind::Unavailable,
            ApiError::Internal(_) => ErrorKind::Internal,
        }
    }

    /// The text a client may see (internal causes stay in the log).
    fn public_message(&self) -> String {
        match self {
            ApiError::NotFound => "Resource could not be found".into(),
            ApiError::PayloadTooLarge => "Request body is too large".into(),
            ApiError::Internal(_) => "Internal Server Error".into(),
            other => other.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match &self {
            ApiError::Invalid(v) => json!({ "message": v.message(), "attributes": v.attributes() }),
            ApiError::SignInRequired => json!({ "errors": [self.to_string()] }),
            ApiError::FieldErrors(v) => {
                let mut fields = serde_json::Map::new();
                for violation in &v.0 {
                    let messages = fields.entry(violation.attribute.clone()).or_insert_with(|| json!([]));
                    if let Some(list) = messages.as_array_mut() {
                        list.push(json!(violation.message));
                    }
                }
                json!({ "error": fields })
            }
            other => json!({ "error": other.public_message() }),
        };
        match &self {
            ApiError::Internal(e) => tracing::error!(error = format!("{e:#}"), "request failed"),
            ApiError::Unavailable(e) => tracing::warn!(error = %e, "service unavailable"),
            _ => {}
        }
        let violations = match &self {
            ApiError::Invalid(v) => v.0.clone(),
            _ => Vec::new(),
        };
        let details = ErrorDetails { kind: self.kind(), message: self.public_message(), violations };
        let mut response = (status, Json(body)).into_response();
        if let ApiError::TooManyRequests { retry_after_secs } | ApiError::Throttled { retry_after_secs, .. } =
            &self
        {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
        }
        response.extensions_mut().insert(details);
        response
    }
}

impl From<CommandError> for ApiError {
    fn from(e: CommandError) -> Self {
        match e {
            CommandError::NotFound => ApiError::NotFound,
            CommandError::Invalid(v) => ApiError::Invalid(v),
            CommandError::Rejected(m) => ApiError::Unprocessable(m),
            CommandError::Unauthenticated(m) => ApiError::Unauthenticated(m),
            CommandError::NotPermitted(m) => ApiError::NotPermitted(m),
            CommandError::Concurrency => ApiError::Conflict(CommandError::Concurrency.to_string()),
            CommandError::Infra(e) => match e.downcast::<sqlx::Error>() {
                Ok(db) => ApiError::from(db),
                Err(e) => ApiError::Internal(e),
            },
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                ApiError::Unavailable("The database is unavailable, retry shortly".into())
            }
            other => ApiError::Internal(other.into()),
        }
    }
}

/// Every filter error is a 422 `{"error": <upstream message>}`.
impl From<onelink_projections::filter::FilterError> for ApiError {
    fn from(e: onelink_projections::filter::FilterError) -> Self {
        ApiError::Unprocessable(e.to_string())
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        ApiError::Internal(e)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

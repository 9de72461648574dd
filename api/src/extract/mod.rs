//! Request extractors whose rejections are [`crate::error::ApiError`]s.

pub mod bearer;
pub mod json;
pub mod member;
pub mod path;
pub mod platform_app;

pub use bearer::JwtUser;
pub use json::{ApiJson, RawBody, RequestBody};
pub use member::{Caller, Member};
pub use path::Ids;
pub use platform_app::PlatformApp;

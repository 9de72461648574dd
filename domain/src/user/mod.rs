//! The installation-wide user aggregate: profile, credentials (as hashes and
//! sealed tokens only) and single-sign-on links.

mod aggregate;
mod event;
mod rules;

pub use aggregate::{SsoToken, User, UserCommand, UserPatch};
pub use event::{NewUser, UserEvent};
pub use rules::{normalize_email, password_violations, validate_email, validate_profile};

use crate::validation::Violations;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserError {
    #[error("user not found")]
    NotFound,
    #[error("user already exists")]
    AlreadyExists,
    #[error("{0}")]
    Invalid(Violations),
    #[error("single sign-on token is invalid or expired")]
    InvalidSsoToken,
}

#[cfg(test)]
mod tests;

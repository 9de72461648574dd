//! How a bearer token appears in an event: never in clear text.

use serde::{Deserialize, Serialize};

/// A token as recorded in the log: the SHA-256 digest used to authenticate
/// (hex), and an AEAD-sealed copy so the API can show the token again where
/// the upstream does (user `access_token`). Neither reveals the token without
/// the installation's secret key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken {
    pub digest: String,
    pub sealed: String,
}

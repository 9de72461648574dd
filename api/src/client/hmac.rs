//! Identity validation of the Client API (upstream `Channel::Api` HMAC):
//! `identifier_hash` = lower-case hex HMAC-SHA256(key = the inbox's
//! hmac_token, message = the identifier). Compared in constant time
//! (`Mac::verify_slice`, built on `subtle`), unlike upstream's `==`.

use crate::error::ApiError;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const HMAC_FAILED: &str = "HMAC failed: Invalid Identifier Hash Provided";

/// Whether `hash` is the HMAC of `identifier` under `secret`.
pub fn hash_matches(secret: &str, identifier: &str, hash: &str) -> bool {
    let Ok(expected) = hex::decode(hash) else { return false };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else { return false };
    mac.update(identifier.as_bytes());
    mac.verify_slice(&expected).is_ok()
}

/// The upstream's rule: when identity validation is mandatory every
/// contacts call carries a valid hash; otherwise a hash, when given, must
/// be valid. Returns whether the caller proved the identity.
pub fn check(mandatory: bool, secret: &str, identifier: &str, hash: Option<&str>) -> Result<bool, ApiError> {
    match hash {
        None if !mandatory => Ok(false),
        Some(hash) if !secret.is_empty() && hash_matches(secret, identifier, hash) => Ok(true),
        _ => Err(ApiError::Unauthenticated(HMAC_FAILED.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &str, identifier: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(identifier.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    #[test]
    fn only_the_right_hash_of_the_right_identifier_passes() {
        let good = sign("s3cret", "user-1");
        assert!(hash_matches("s3cret", "user-1", &good));
        assert!(!hash_matches("s3cret", "user-2", &good));
        assert!(!hash_matches("other", "user-1", &good));
        assert!(!hash_matches("s3cret", "user-1", ""));
        assert!(!hash_matches("s3cret", "user-1", "zz"));
        assert!(!hash_matches("s3cret", "user-1", &good[..62]));
    }

    #[test]
    fn mandatory_validation_needs_a_hash_and_optional_validation_checks_one_if_given() {
        let good = sign("k", "id");
        assert!(!check(false, "k", "id", None).unwrap());
        assert!(check(false, "k", "id", Some(&good)).unwrap());
        assert!(check(false, "k", "id", Some("")).is_err());
        assert!(check(true, "k", "id", None).is_err());
        assert!(check(true, "k", "id", Some(&good)).unwrap());
        assert!(check(true, "", "id", Some(&good)).is_err(), "an unreadable secret never validates");
    }
}

//! JSON Web Tokens for the connected-accounts API, per RFC 8725:
//!
//! - the algorithm is pinned server-side to HS256 — validation accepts no
//!   other, and the crypto provider installed for `jsonwebtoken` cannot
//!   even compute another (`none` does not parse as an algorithm at all);
//! - the key is derived from the installation secret with a purpose label,
//!   `HMAC-SHA256(secret, "onelink/jwt/hs256/v1")`, so it differs from the
//!   key that seals tokens at rest (`SHA-256(secret)`);
//! - `exp`, `iss`, `aud` and `sub` are required and checked, `nbf` is
//!   checked when present, and the leeway is explicitly [`LEEWAY_SECS`];
//! - tokens live at most [`MAX_TTL_SECS`] (default and maximum one hour).
//!
//! A token also carries `sv`, a fingerprint of the user's password hash:
//! changing the password ends every session signed in with the old one.

use hmac::{Hmac, Mac};
use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const ISSUER: &str = "onelink";
pub const AUDIENCE: &str = "onelink-connected-accounts";
/// Clock skew tolerated on `exp` / `nbf`: none, like LexikJWT's default.
pub const LEEWAY_SECS: u64 = 0;
pub const MAX_TTL_SECS: u64 = 3600;
/// The purpose label of the signing key (see the module docs).
pub const KEY_LABEL: &[u8] = b"onelink/jwt/hs256/v1";

type HmacSha256 = Hmac<Sha256>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user id, as a string (RFC 7519 `StringOrURI`).
    pub sub: String,
    pub email: String,
    pub iat: u64,
    pub exp: u64,
    pub iss: String,
    pub aud: String,
    /// Password fingerprint (see the module docs).
    pub sv: String,
}

/// Why a presented token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwtError {
    /// Authentic but past its `exp`.
    Expired,
    /// Anything else: malformed, wrong algorithm, wrong key, tampered, wrong
    /// issuer or audience, missing claims, not yet valid.
    Invalid,
}

/// Issues and verifies the installation's tokens.
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys").field("ttl", &self.ttl).finish_non_exhaustive()
    }
}

/// The HS256 key: `HMAC-SHA256(secret, KEY_LABEL)`.
pub fn signing_key(secret: &str) -> [u8; 32] {
    let mut mac =
        <HmacSha256 as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(KEY_LABEL);
    mac.finalize().into_bytes().into()
}

/// The session fingerprint of a password hash (`""` without a password).
pub fn session_version(password_hash: Option<&str>) -> String {
    match password_hash {
        Some(hash) => hex_prefix(&Sha256::digest(hash.as_bytes())),
        None => String::new(),
    }
}

fn hex_prefix(bytes: &[u8]) -> String {
    bytes.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

pub fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default()
}

impl JwtKeys {
    /// Fails when `ttl` is zero or longer than [`MAX_TTL_SECS`].
    pub fn new(secret: &str, ttl: Duration) -> anyhow::Result<Self> {
        if ttl.is_zero() || ttl.as_secs() > MAX_TTL_SECS {
            anyhow::bail!("the JWT lifetime must be between 1 and {MAX_TTL_SECS} seconds, not {ttl:?}");
        }
        install_provider();
        let key = signing_key(secret);
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.validate_aud = true;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        Ok(Self {
            encoding: EncodingKey::from_secret(&key),
            decoding: DecodingKey::from_secret(&key),
            validation,
            ttl,
        })
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// A token for `user_id`, valid from `now` (unix seconds) for the TTL.
    pub fn issue(&self, user_id: i64, email: &str, sv: String, now: u64) -> anyhow::Result<String> {
        let claims = Claims {
            sub: user_id.to_string(),
            email: email.to_owned(),
            iat: now,
            exp: now + self.ttl.as_secs(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sv,
        };
        Ok(jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?)
    }

    pub fn verify(&self, token: &str) -> Result<Claims, JwtError> {
        match jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation) {
            Ok(data) => Ok(data.claims),
            Err(e) if matches!(e.kind(), ErrorKind::ExpiredSignature) => Err(JwtError::Expired),
            Err(_) => Err(JwtError::Invalid),
        }
    }
}

/// HS256 only: every other algorithm is refused by the provider itself.
static HS256_ONLY: CryptoProvider = CryptoProvider {
    signer_factory: hs256_signer,
    verifier_factory: hs256_verifier,
    key_utils: KeyUtils::new_unimplemented(),
};

/// Installs [`HS256_ONLY`] as `jsonwebtoken`'s process-wide provider (a
/// second call, e.g. a second application in one test process, is a no-op).
fn install_provider() {
    let _ = HS256_ONLY.install_default();
}

struct Hs256(HmacSha256);

impl Hs256 {
    fn new(key: &[u8]) -> jsonwebtoken::errors::Result<Self> {
        <HmacSha256 as Mac>::new_from_slice(key).map(Hs256).map_err(|_| ErrorKind::InvalidKeyFormat.into())
    }
}

impl signature::Signer<Vec<u8>> for Hs256 {
    fn try_sign(&self, msg: &[u8]) -> Result<Vec<u8>, signature::Error> {
        let mut mac = self.0.clone();
        mac.update(msg);
        Ok(mac.finalize().into_bytes().to_vec())
    }
}

impl signature::Verifier<Vec<u8>> for Hs256 {
    /// Constant-time comparison (`verify_slice`).
    fn verify(&self, msg: &[u8], signature: &Vec<u8>) -> Result<(), signature::Error> {
        let mut mac = self.0.clone();
        mac.update(msg);
        mac.verify_slice(signature).map_err(signature::Error::from_source)
    }
}

impl JwtSigner for Hs256 {
    fn algorithm(&self) -> Algorithm {
        Algorithm::HS256
    }
}

impl JwtVerifier for Hs256 {
    fn algorithm(&self) -> Algorithm {
        Algorithm::HS256
    }
}

fn hs256_signer(alg: &Algorithm, key: &EncodingKey) -> jsonwebtoken::errors::Result<Box<dyn JwtSigner>> {
    match alg {
        Algorithm::HS256 => Ok(Box::new(Hs256::new(key.as_bytes())?)),
        _ => Err(ErrorKind::InvalidAlgorithm.into()),
    }
}

fn hs256_verifier(alg: &Algorithm, key: &DecodingKey) -> jsonwebtoken::errors::Result<Box<dyn JwtVerifier>> {
    match alg {
        Algorithm::HS256 => Ok(Box::new(Hs256::new(key.try_get_as_bytes()?)?)),
        _ => Err(ErrorKind::InvalidAlgorithm.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::new("installation secret", Duration::from_secs(3600)).unwrap()
    }

    #[test]
    fn issued_tokens_verify_and_carry_the_fixed_claims() {
        let keys = keys();
        let now = now_secs();
        let token = keys.issue(42, "ann@example.com", "abc".into(), now).unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!(claims.sub, "42");
        assert_eq!((claims.iss.as_str(), claims.aud.as_str()), (ISSUER, AUDIENCE));
        assert_eq!(claims.exp - claims.iat, 3600);
    }

    #[test]
    fn the_lifetime_is_bounded_and_the_key_is_not_the_sealing_key() {
        assert!(JwtKeys::new("s", Duration::from_secs(3601)).is_err());
        assert!(JwtKeys::new("s", Duration::ZERO).is_err());
        let derived = signing_key("s");
        assert_ne!(derived.as_slice(), Sha256::digest(b"s").as_slice());
        assert_ne!(signing_key("s"), signing_key("t"));
    }

    #[test]
    fn other_keys_and_expired_tokens_are_refused() {
        let keys = keys();
        let other = JwtKeys::new("another secret", Duration::from_secs(60)).unwrap();
        let token = other.issue(1, "a@example.com", String::new(), now_secs()).unwrap();
        assert_eq!(keys.verify(&token), Err(JwtError::Invalid));
        let old = keys.issue(1, "a@example.com", String::new(), now_secs() - 7200).unwrap();
        assert_eq!(keys.verify(&old), Err(JwtError::Expired));
        assert_eq!(keys.verify("garbage"), Err(JwtError::Invalid));
    }

    #[test]
    fn session_versions_follow_the_password_hash() {
        assert_eq!(session_version(None), "");
        assert_eq!(session_version(Some("$argon2id$a")).len(), 16);
        assert_ne!(session_version(Some("$argon2id$a")), session_version(Some("$argon2id$b")));
    }
}

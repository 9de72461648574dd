//! Bearer tokens and the installation's secret box.
//!
//! Tokens are 24 base58 characters (≈140 bits, the upstream's format). The
//! log and read models hold only `SHA-256(token)` for authentication and an
//! XChaCha20-Poly1305-sealed copy for the places where the upstream shows a
//! token again; the key never leaves the process configuration.

use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use onelink_domain::token::IssuedToken;
use rand::Rng;
use sha2::{Digest, Sha256};

const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
pub const TOKEN_LEN: usize = 24;
const NONCE_LEN: usize = 24;

/// A random token of `len` base58 characters.
pub fn random_token(len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len).map(|_| BASE58[rng.gen_range(0..BASE58.len())] as char).collect()
}

/// 32 random bytes as 64 lower-case hex characters.
pub fn random_hex32() -> String {
    let bytes: [u8; 32] = rand::thread_rng().gen();
    hex::encode(bytes)
}

/// The lookup key of a token: hex SHA-256.
pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Seals and opens secrets with the installation key.
pub struct SecretBox {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox([redacted])")
    }
}

impl SecretBox {
    /// Derives the 256-bit key from the configured secret (any length).
    pub fn from_secret(secret: &str) -> Self {
        let key = Sha256::digest(secret.as_bytes());
        Self { cipher: XChaCha20Poly1305::new(&key) }
    }

    pub fn seal(&self, plaintext: &str) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        // Encryption with a fresh nonce and an in-memory buffer cannot fail.
        let ciphertext = self.cipher.encrypt(&nonce, plaintext.as_bytes()).unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend(ciphertext);
        B64.encode(out)
    }

    /// `None` when the value was sealed with another key or tampered with.
    pub fn open(&self, sealed: &str) -> Option<String> {
        let bytes = B64.decode(sealed).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let plain = self.cipher.decrypt(XNonce::from_slice(nonce), ciphertext).ok()?;
        String::from_utf8(plain).ok()
    }

    /// A new bearer token: the clear text (to hand out once, or show again
    /// through [`SecretBox::open`]) and its log form.
    pub fn issue_token(&self) -> (String, IssuedToken) {
        let token = random_token(TOKEN_LEN);
        let issued = IssuedToken { digest: digest(&token), sealed: self.seal(&token) };
        (token, issued)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_tokens_open_only_with_the_same_key() {
        let a = SecretBox::from_secret("key a");
        let b = SecretBox::from_secret("key b");
        let (token, issued) = a.issue_token();
        assert_eq!(token.len(), TOKEN_LEN);
        assert_eq!(issued.digest, digest(&token));
        assert!(!issued.sealed.contains(&token));
        assert_eq!(a.open(&issued.sealed).as_deref(), Some(token.as_str()));
        assert_eq!(b.open(&issued.sealed), None);
        assert_eq!(a.open("garbage"), None);
    }

    #[test]
    fn tokens_carry_at_least_128_bits() {
        let bits = TOKEN_LEN as f64 * (BASE58.len() as f64).log2();
        assert!(bits >= 128.0, "{bits}");
        assert_ne!(random_token(TOKEN_LEN), random_token(TOKEN_LEN));
    }
}

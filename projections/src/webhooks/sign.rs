//! Signature headers of a delivery, computed per attempt.
//!
//! - Standard Webhooks v1: `webhook-id` (the message id, stable across
//!   retries and replays), `webhook-timestamp` (Unix seconds of the
//!   attempt), `webhook-signature: v1,<base64 HMAC-SHA256>` of
//!   `"{id}.{timestamp}.{body}"`, keyed with the secret's bytes after
//!   `whsec_` (base64-decoded), as the reference libraries do.
//! - Chatwoot: `X-Chatwoot-Signature: sha256=<hex HMAC-SHA256>` of
//!   `"{timestamp}.{body}"`, keyed with the secret string as shown by the
//!   API (what receivers written for current Chatwoot do),
//!   `X-Chatwoot-Timestamp`, and `X-Chatwoot-Delivery` (the message id).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use onelink_commands::webhooks::SECRET_PREFIX;
use sha2::Sha256;
use uuid::Uuid;

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else { return Vec::new() };
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

/// The Standard Webhooks key: the base64 after `whsec_`, decoded.
fn standard_key(secret: &str) -> Vec<u8> {
    secret
        .strip_prefix(SECRET_PREFIX)
        .and_then(|b64| B64.decode(b64).ok())
        .unwrap_or_else(|| secret.as_bytes().to_vec())
}

/// `v1,<base64>` for `webhook-signature`.
pub fn standard_signature(secret: &str, message_id: &str, timestamp: i64, body: &[u8]) -> String {
    let ts = timestamp.to_string();
    let mac = hmac(&standard_key(secret), &[message_id.as_bytes(), b".", ts.as_bytes(), b".", body]);
    format!("v1,{}", B64.encode(mac))
}

/// `sha256=<hex>` for `X-Chatwoot-Signature`.
pub fn chatwoot_signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let ts = timestamp.to_string();
    format!("sha256={}", hex::encode(hmac(secret.as_bytes(), &[ts.as_bytes(), b".", body])))
}

/// Every header of one attempt, in a stable order.
pub fn headers(secret: &str, message_id: Uuid, timestamp: i64, body: &[u8]) -> Vec<(&'static str, String)> {
    let id = message_id.to_string();
    vec![
        ("webhook-id", id.clone()),
        ("webhook-timestamp", timestamp.to_string()),
        ("webhook-signature", standard_signature(secret, &id, timestamp, body)),
        ("x-chatwoot-signature", chatwoot_signature(secret, timestamp, body)),
        ("x-chatwoot-timestamp", timestamp.to_string()),
        ("x-chatwoot-delivery", id),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification.
    #[test]
    fn the_standard_signature_matches_the_specification_example() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            standard_signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn the_chatwoot_signature_is_hex_hmac_of_timestamp_and_body() {
        let sig = chatwoot_signature("secret", 1700000000, b"{}");
        assert!(sig.starts_with("sha256=") && sig.len() == 7 + 64, "{sig}");
        assert_eq!(sig, format!("sha256={}", hex::encode(hmac(b"secret", &[b"1700000000.{}"]))));
    }
}

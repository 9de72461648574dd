//! Signed, expiring download URLs:
//! `<base>/blobs/<account_id>/<sha256>/<file name>?ct=<type>&exp=<unix>&sig=<hex>`.
//!
//! The signature is HMAC-SHA256, under a key derived from the installation
//! secret, over the account id, the blob hash, the file name, the content
//! type served and the expiry, so none of them can be changed (another
//! account's id, another blob, a later expiry) without the URL failing.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

type HmacSha256 = Hmac<Sha256>;

/// What a download URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobGrant<'a> {
    pub account_id: i64,
    pub sha256: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("This link has expired")]
    Expired,
    #[error("This link is invalid")]
    BadSignature,
}

pub struct BlobUrls {
    key: [u8; 32],
    base: String,
    ttl: Duration,
}

impl std::fmt::Debug for BlobUrls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobUrls").field("base", &self.base).field("ttl", &self.ttl).finish_non_exhaustive()
    }
}

impl BlobUrls {
    /// `secret`: the installation secret (a purpose-bound key is derived
    /// from it); `base`: scheme and host the URLs start with.
    pub fn new(secret: &str, base: &str, ttl: Duration) -> Self {
        let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
        mac.update(b"onelink blob download urls v1");
        let key = mac.finalize().into_bytes().into();
        Self { key, base: base.trim_end_matches('/').to_owned(), ttl }
    }

    fn mac(&self, grant: &BlobGrant<'_>, expires: i64) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        // lengths first, so no field can bleed into the next
        for field in [grant.sha256, grant.file_name, grant.content_type] {
            mac.update(&(field.len() as u64).to_be_bytes());
            mac.update(field.as_bytes());
        }
        mac.update(&grant.account_id.to_be_bytes());
        mac.update(&expires.to_be_bytes());
        mac
    }

    /// An absolute URL valid until `now + ttl`.
    pub fn sign(&self, grant: &BlobGrant<'_>, now: DateTime<Utc>) -> String {
        let expires = now.timestamp() + self.ttl.as_secs() as i64;
        self.sign_until(grant, expires)
    }

    /// An absolute URL valid until the unix time `expires`.
    pub fn sign_until(&self, grant: &BlobGrant<'_>, expires: i64) -> String {
        let signature = hex::encode(self.mac(grant, expires).finalize().into_bytes());
        let name: String = url::form_urlencoded::byte_serialize(grant.file_name.as_bytes()).collect();
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("ct", grant.content_type)
            .append_pair("exp", &expires.to_string())
            .append_pair("sig", &signature)
            .finish();
        format!(
            "{}/blobs/{}/{}/{}?{query}",
            self.base,
            grant.account_id,
            grant.sha256,
            name.replace('+', "%20")
        )
    }

    /// Checks a presented URL's parts (in constant time for the signature).
    pub fn verify(
        &self,
        grant: &BlobGrant<'_>,
        expires: i64,
        signature: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Denied> {
        let presented = hex::decode(signature).map_err(|_| Denied::BadSignature)?;
        self.mac(grant, expires).verify_slice(&presented).map_err(|_| Denied::BadSignature)?;
        if expires < now.timestamp() {
            return Err(Denied::Expired);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> BlobGrant<'static> {
        BlobGrant { account_id: 7, sha256: "ab", file_name: "a b.png", content_type: "image/png" }
    }

    #[test]
    fn a_signed_url_verifies_until_it_expires() {
        let urls = BlobUrls::new("secret", "http://h/", Duration::from_secs(60));
        let now = Utc::now();
        let url = urls.sign(&grant(), now);
        assert!(url.starts_with("http://h/blobs/7/ab/a%20b.png?ct=image%2Fpng&exp="), "{url}");
        let exp = now.timestamp() + 60;
        let sig = url.rsplit("sig=").next().unwrap();
        assert_eq!(urls.verify(&grant(), exp, sig, now), Ok(()));
        assert_eq!(
            urls.verify(&grant(), exp, sig, now + chrono::Duration::seconds(61)),
            Err(Denied::Expired)
        );
        assert_eq!(urls.verify(&grant(), exp + 1, sig, now), Err(Denied::BadSignature));
        let other = BlobGrant { account_id: 8, ..grant() };
        assert_eq!(urls.verify(&other, exp, sig, now), Err(Denied::BadSignature));
        let other_key = BlobUrls::new("other", "http://h", Duration::from_secs(60));
        assert_eq!(other_key.verify(&grant(), exp, sig, now), Err(Denied::BadSignature));
    }
}

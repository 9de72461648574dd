//! Uploaded files: a content-addressed blob store behind one trait (local
//! disk by default), signed expiring download URLs, image thumbnails, and
//! reading `multipart/form-data` uploads under the configured limits.
//!
//! A blob is named by the SHA-256 of its bytes and never overwritten; events
//! record the hash, size, declared type and file name, never the bytes. A
//! blob written for a command that is then refused stays unreferenced
//! (harmless; an explicit purge is future work).

pub mod download;
pub mod json;
pub mod local;
pub mod thumbs;
pub mod upload;
pub mod urls;

use async_trait::async_trait;
use axum::body::Bytes;
use onelink_domain::conversation::BlobRef;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::time::Duration;

pub use local::LocalBlobStore;
pub use urls::BlobUrls;

/// Upstream's default per-file limit (40 MB).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 40 * 1024 * 1024;
/// Lifetime of a signed download URL unless configured.
pub const DEFAULT_URL_TTL: Duration = Duration::from_secs(24 * 3600);

/// Where blobs live and the limits of uploads.
#[derive(Debug, Clone)]
pub struct BlobConfig {
    /// Directory of the local store.
    pub dir: PathBuf,
    /// Largest accepted file, in bytes.
    pub max_file_bytes: u64,
    /// Lifetime of signed download URLs.
    pub url_ttl: Duration,
    /// Base of the absolute download URLs (e.g. `https://chat.example.com`);
    /// `None`: `http://<bound address>`.
    pub public_url: Option<String>,
}

impl BlobConfig {
    pub fn under(data_dir: &std::path::Path) -> Self {
        Self {
            dir: data_dir.join("blobs"),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            url_ttl: DEFAULT_URL_TTL,
            public_url: None,
        }
    }
}

/// Storage of immutable, content-addressed blobs.
#[async_trait]
pub trait BlobStore: Send + Sync + std::fmt::Debug {
    /// Stores `bytes` (a no-op when a blob with the same hash exists).
    async fn put(&self, bytes: Bytes) -> anyhow::Result<BlobRef>;
    /// The blob's bytes, `None` when there is no such blob.
    async fn get(&self, sha256: &str) -> anyhow::Result<Option<Bytes>>;
}

/// The reference a blob of `bytes` gets.
pub fn blob_ref(bytes: &[u8]) -> BlobRef {
    BlobRef { sha256: hex::encode(Sha256::digest(bytes)), size: bytes.len() as u64 }
}

/// Whether `s` can name a blob (64 lower-case hex characters).
pub fn valid_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

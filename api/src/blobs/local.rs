//! Blobs on local disk: `<dir>/<aa>/<bb>/<sha256>`, written to a temporary
//! file, synced, then hard-linked into place (atomic, and it fails rather
//! than replace an existing blob).

use super::{blob_ref, valid_hash, BlobStore};
use anyhow::Context;
use async_trait::async_trait;
use axum::body::Bytes;
use onelink_domain::conversation::BlobRef;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct LocalBlobStore {
    root: PathBuf,
}

impl LocalBlobStore {
    /// Opens (creating) the store at `root`.
    pub fn open(root: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(root.join("tmp")).with_context(|| format!("creating {}", root.display()))?;
        Ok(Self { root: root.to_owned() })
    }

    fn path(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[0..2]).join(&sha256[2..4]).join(sha256)
    }

    fn put_blocking(&self, bytes: &[u8]) -> anyhow::Result<BlobRef> {
        let blob = blob_ref(bytes);
        let target = self.path(&blob.sha256);
        if target.exists() {
            return Ok(blob);
        }
        let parent = target.parent().context("blob path has a parent")?;
        std::fs::create_dir_all(parent)?;
        let temp = self.root.join("tmp").join(uuid::Uuid::new_v4().to_string());
        let written = (|| -> std::io::Result<()> {
            let mut file = std::fs::File::create_new(&temp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            match std::fs::hard_link(&temp, &target) {
                Err(e) if e.kind() != ErrorKind::AlreadyExists => Err(e),
                _ => Ok(()),
            }
        })();
        let _ = std::fs::remove_file(&temp);
        written.with_context(|| format!("storing blob {}", blob.sha256))?;
        Ok(blob)
    }
}

#[async_trait]
impl BlobStore for LocalBlobStore {
    async fn put(&self, bytes: Bytes) -> anyhow::Result<BlobRef> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.put_blocking(&bytes)).await?
    }

    async fn get(&self, sha256: &str) -> anyhow::Result<Option<Bytes>> {
        if !valid_hash(sha256) {
            return Ok(None);
        }
        let path = self.path(sha256);
        let read = tokio::task::spawn_blocking(move || std::fs::read(path)).await?;
        match read {
            Ok(bytes) => Ok(Some(Bytes::from(bytes))),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_blob_is_stored_once_under_its_hash() {
        let dir = std::env::temp_dir().join(format!("onelink-blob-test-{}", uuid::Uuid::new_v4()));
        let store = LocalBlobStore::open(&dir).unwrap();
        let a = store.put(Bytes::from_static(b"hello")).await.unwrap();
        let b = store.put(Bytes::from_static(b"hello")).await.unwrap();
        assert_eq!(a, b);
        assert_eq!(a.size, 5);
        assert_eq!(store.get(&a.sha256).await.unwrap().unwrap(), Bytes::from_static(b"hello"));
        assert!(store.get(&"0".repeat(64)).await.unwrap().is_none());
        assert!(store.get("../secret").await.unwrap().is_none());
        assert_eq!(std::fs::read_dir(dir.join("tmp")).unwrap().count(), 0);
        std::fs::remove_dir_all(dir).unwrap();
    }
}

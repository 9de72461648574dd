//! Files attached to messages, as the conversation stream records them: a
//! reference to a content-addressed blob (its SHA-256, size, declared type
//! and name), never the bytes.

use crate::ids::AttachmentId;
use serde::{Deserialize, Serialize};

/// The upstream's `file_type` of an uploaded file (the kinds a channel
/// creates — location, fallback, share, … — are not uploads).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileType {
    Image,
    Audio,
    Video,
    File,
}

impl FileType {
    /// By the declared content type's top-level type, as upstream
    /// (`Attachment#file_type` from the blob's content type).
    pub fn of_content_type(content_type: &str) -> FileType {
        let top = content_type.split('/').next().unwrap_or_default().trim().to_ascii_lowercase();
        match top.as_str() {
            "image" => FileType::Image,
            "audio" => FileType::Audio,
            "video" => FileType::Video,
            _ => FileType::File,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FileType::Image => "image",
            FileType::Audio => "audio",
            FileType::Video => "video",
            FileType::File => "file",
        }
    }
}

/// A stored blob: lower-case hex SHA-256 of its bytes and their length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobRef {
    pub sha256: String,
    pub size: u64,
}

/// A thumbnail made at upload time (its own blob) and the original's
/// pixel size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thumbnail {
    pub blob: BlobRef,
    pub content_type: String,
    pub width: u32,
    pub height: u32,
}

/// One file of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRef {
    pub id: AttachmentId,
    pub blob: BlobRef,
    pub content_type: String,
    pub file_name: String,
    pub file_type: FileType,
    /// Images that could be decoded only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<Thumbnail>,
}

impl AttachmentRef {
    /// The file name's extension, lower-cased, if it has one.
    pub fn extension(&self) -> Option<String> {
        let (stem, ext) = self.file_name.rsplit_once('.')?;
        (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_types_follow_the_content_type() {
        assert_eq!(FileType::of_content_type("image/png"), FileType::Image);
        assert_eq!(FileType::of_content_type("Audio/ogg"), FileType::Audio);
        assert_eq!(FileType::of_content_type("video/mp4"), FileType::Video);
        assert_eq!(FileType::of_content_type("application/pdf"), FileType::File);
        assert_eq!(FileType::of_content_type(""), FileType::File);
    }
}

//! The upstream's attachment JSON (`Attachment#push_event_data` for
//! files): `{id, message_id, file_type, account_id, extension, data_url,
//! thumb_url, file_size, width?, height?}`, URLs signed at render time.

use super::urls::{BlobGrant, BlobUrls};
use chrono::Utc;
use onelink_domain::conversation::AttachmentRef;
use onelink_projections::conversations::MessageRow;
use serde_json::{json, Value};

pub fn attachment_json(urls: &BlobUrls, m: &MessageRow, a: &AttachmentRef) -> Value {
    let now = Utc::now();
    let data_url = urls.sign(
        &BlobGrant {
            account_id: m.account_id,
            sha256: &a.blob.sha256,
            file_name: &a.file_name,
            content_type: &a.content_type,
        },
        now,
    );
    let thumb_url = a
        .thumbnail
        .as_ref()
        .map(|t| {
            let stem = a.file_name.rsplit_once('.').map(|(stem, _)| stem).unwrap_or(&a.file_name);
            let name = format!("{stem}-thumb.png");
            urls.sign(
                &BlobGrant {
                    account_id: m.account_id,
                    sha256: &t.blob.sha256,
                    file_name: &name,
                    content_type: &t.content_type,
                },
                now,
            )
        })
        .unwrap_or_default();
    let mut out = json!({
        "id": a.id.0,
        "message_id": m.id,
        "file_type": a.file_type.as_str(),
        "account_id": m.account_id,
        "extension": a.extension(),
        "data_url": data_url,
        "thumb_url": thumb_url,
        "file_size": a.blob.size,
    });
    if let (Some(o), Some(t)) = (out.as_object_mut(), &a.thumbnail) {
        o.insert("width".into(), json!(t.width));
        o.insert("height".into(), json!(t.height));
    }
    out
}

/// A contact's `thumbnail`: a signed URL of its avatar's thumbnail (or of
/// the image itself when none was made); `""` without an avatar.
pub fn avatar_url(
    urls: Option<&BlobUrls>,
    account_id: i64,
    avatar: Option<&onelink_domain::contact::Avatar>,
) -> String {
    let (Some(urls), Some(a)) = (urls, avatar) else { return String::new() };
    let (sha256, content_type) = match &a.thumbnail {
        Some(t) => (&t.blob.sha256, &t.content_type),
        None => (&a.blob.sha256, &a.content_type),
    };
    urls.sign(&BlobGrant { account_id, sha256, file_name: &a.file_name, content_type }, Utc::now())
}

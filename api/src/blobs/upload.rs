//! Request bodies that may carry files: JSON as everywhere else, or
//! `multipart/form-data` whose text fields become the same DTO (`a[b]`
//! nests, `a[]` collects) and whose `attachments[]` parts are files.
//!
//! Limits are enforced while reading, before anything is stored: at most
//! [`MAX_ATTACHMENTS`] files, each at most `max_file_bytes` (413 naming the
//! file), the text fields together at most 1 MiB, the whole body at most
//! `max_files × max_file_bytes + 1 MiB`.
//! Files are held in memory until the handler has checked access, then
//! written to the blob store ([`store_attachments`]).

use super::{thumbs, BlobStore};
use crate::error::{ApiError, ApiResult};
use crate::extract::json::{parse_body, parse_value, RequestBody};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use onelink_commands::conversations::NewAttachment;
use onelink_domain::conversation::{FileType, Thumbnail, MAX_ATTACHMENTS};
use serde_json::{Map, Value};

/// Room for the text fields of a multipart body.
const FIELDS_ALLOWANCE: u64 = 1024 * 1024;

/// One uploaded file, not yet stored.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    pub field: String,
    pub file_name: String,
    pub content_type: String,
    pub bytes: Bytes,
}

/// A DTO and the files sent with it (none for a JSON body).
pub struct WithFiles<T> {
    pub body: T,
    pub files: Vec<UploadedFile>,
}

impl<T: RequestBody> WithFiles<T> {
    /// The files sent under `attachments[]` (or `attachments`).
    pub fn attachments(&self) -> impl Iterator<Item = &UploadedFile> {
        self.files.iter().filter(|f| is_attachments_field(&f.field))
    }
}

fn is_attachments_field(name: &str) -> bool {
    let name = name.strip_prefix("message[").and_then(|n| n.strip_suffix(']')).unwrap_or(name);
    name == "attachments" || name.starts_with("attachments[")
}

fn is_multipart(req: &Request) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"))
}

impl<T: RequestBody> FromRequest<AppState> for WithFiles<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        if !is_multipart(&req) {
            let crate::extract::RawBody(bytes) = crate::extract::RawBody::from_request(req, state).await?;
            return Ok(WithFiles { body: parse_body(&bytes)?, files: Vec::new() });
        }
        let (fields, files) = read_multipart(req, state.blob_config.max_file_bytes).await?;
        Ok(WithFiles { body: parse_value(Value::Object(fields))?, files })
    }
}

async fn read_multipart(
    req: Request,
    max_file_bytes: u64,
) -> ApiResult<(Map<String, Value>, Vec<UploadedFile>)> {
    let boundary = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok())
        .ok_or_else(|| ApiError::BadRequest("multipart/form-data needs a boundary".into()))?;
    let whole = max_file_bytes.saturating_mul(MAX_ATTACHMENTS as u64).saturating_add(FIELDS_ALLOWANCE);
    let constraints = multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(whole));
    let stream = req.into_body().into_data_stream();
    let mut multipart = multer::Multipart::with_constraints(stream, boundary, constraints);
    let (mut fields, mut files) = (Map::new(), Vec::new());
    // the text fields together, so they cannot use the files' allowance
    let mut text_bytes: u64 = 0;
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        match field.file_name().map(str::to_owned) {
            Some(file_name) => {
                if files.len() >= MAX_ATTACHMENTS {
                    return Err(ApiError::Unprocessable(format!(
                        "Too many attachments (maximum is {MAX_ATTACHMENTS})"
                    )));
                }
                let content_type = clean_content_type(field.content_type().map(|m| m.essence_str()));
                let file_name = clean_file_name(&file_name);
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                    if (bytes.len() + chunk.len()) as u64 > max_file_bytes {
                        return Err(ApiError::FileTooLarge(format!(
                            "File {file_name} is too large (maximum is {max_file_bytes} bytes)"
                        )));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                files.push(UploadedFile { field: name, file_name, content_type, bytes: Bytes::from(bytes) });
            }
            None => {
                let mut raw = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                    text_bytes += chunk.len() as u64;
                    if text_bytes > FIELDS_ALLOWANCE {
                        return Err(ApiError::PayloadTooLarge);
                    }
                    raw.extend_from_slice(&chunk);
                }
                let text = String::from_utf8(raw)
                    .map_err(|_| ApiError::BadRequest(format!("Form field {name} is not UTF-8")))?;
                insert_field(&mut fields, &name, text);
            }
        }
    }
    Ok((fields, files))
}

fn multipart_error(e: multer::Error) -> ApiError {
    match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            ApiError::PayloadTooLarge
        }
        other => ApiError::BadRequest(format!("Invalid multipart body: {other}")),
    }
}

/// `a` → `{a: v}`, `a[]` → `{a: [v, …]}`, `a[b]` → `{a: {b: v}}`
/// (`message[content]` thus nests under the DTO's root key).
fn insert_field(fields: &mut Map<String, Value>, name: &str, value: String) {
    let (head, rest) = match name.split_once('[') {
        Some((head, rest)) => (head, rest.strip_suffix(']').unwrap_or(rest)),
        None => (name, ""),
    };
    if name.find('[').is_none() {
        fields.insert(head.to_owned(), Value::String(value));
    } else if rest.is_empty() {
        let entry = fields.entry(head.to_owned()).or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(items) = entry {
            items.push(Value::String(value));
        }
    } else {
        let entry = fields.entry(head.to_owned()).or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(inner) = entry {
            let inner_name = rest.replacen("][", "[", 1);
            insert_field(inner, &inner_name, value);
        }
    }
}

/// A `type/subtype` in lower case, or `application/octet-stream`.
fn clean_content_type(declared: Option<&str>) -> String {
    let fallback = || "application/octet-stream".to_owned();
    let Some(declared) = declared else { return fallback() };
    let t = declared.trim().to_ascii_lowercase();
    let ok = t.len() <= 255
        && t.split_once('/').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && t.bytes().all(|c| c.is_ascii_alphanumeric() || b"/.+-_".contains(&c))
        });
    if ok {
        t
    } else {
        fallback()
    }
}

/// The last path component, without control characters, at most 255
/// characters; `file` when nothing is left.
fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(255).collect();
    let cleaned = cleaned.trim().to_owned();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        "file".into()
    } else {
        cleaned
    }
}

/// Stores the files (and a thumbnail for each decodable image).
pub async fn store_attachments<'a>(
    store: &dyn BlobStore,
    files: impl IntoIterator<Item = &'a UploadedFile>,
) -> ApiResult<Vec<NewAttachment>> {
    let mut out = Vec::new();
    for file in files {
        let blob = store.put(file.bytes.clone()).await.map_err(ApiError::Internal)?;
        let thumbnail = match FileType::of_content_type(&file.content_type) {
            FileType::Image => thumbnail(store, file.bytes.clone()).await?,
            _ => None,
        };
        out.push(NewAttachment {
            blob,
            content_type: file.content_type.clone(),
            file_name: file.file_name.clone(),
            thumbnail,
        });
    }
    Ok(out)
}

async fn thumbnail(store: &dyn BlobStore, bytes: Bytes) -> ApiResult<Option<Thumbnail>> {
    let made = tokio::task::spawn_blocking(move || thumbs::make(&bytes))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    let Some(made) = made else { return Ok(None) };
    let blob = store.put(Bytes::from(made.png)).await.map_err(ApiError::Internal)?;
    Ok(Some(Thumbnail { blob, content_type: "image/png".into(), width: made.width, height: made.height }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_field_names_nest_like_rails() {
        let mut m = Map::new();
        insert_field(&mut m, "content", "hi".into());
        insert_field(&mut m, "template_params[name]", "t".into());
        insert_field(&mut m, "tags[]", "a".into());
        insert_field(&mut m, "tags[]", "b".into());
        insert_field(&mut m, "message[echo_id]", "e".into());
        assert_eq!(
            Value::Object(m),
            serde_json::json!({"content": "hi", "template_params": {"name": "t"}, "tags": ["a", "b"],
                "message": {"echo_id": "e"}})
        );
    }

    #[test]
    fn file_names_and_types_are_cleaned() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\x\\a\nb.txt"), "ab.txt");
        assert_eq!(clean_file_name(".."), "file");
        assert_eq!(clean_content_type(Some("Image/PNG")), "image/png");
        assert_eq!(clean_content_type(Some("text/html; x")), "application/octet-stream");
        assert_eq!(clean_content_type(None), "application/octet-stream");
    }
}

//! `GET /blobs/{account_id}/{sha256}/{file_name}?ct=&exp=&sig=` — a blob
//! through a signed, expiring URL (see [`super::urls`]). A missing,
//! expired or altered signature is a 403 `{"error": …}`. The file is served
//! with the content type that was signed, in a sandbox (no script runs in
//! the API's origin), and as a download unless it is an image, audio or
//! video.

use super::urls::BlobGrant;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use onelink_domain::conversation::FileType;
use serde::Deserialize;

pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new().routes(utoipa_axum::routes!(download))
}

#[derive(Debug, Deserialize)]
pub struct SignedQuery {
    ct: Option<String>,
    exp: Option<String>,
    sig: Option<String>,
}

/// `GET /blobs/{account_id}/{sha256}/{file_name}` — the file behind a
/// signed `data_url`/`thumb_url` (no token: the signature is the grant).
#[utoipa::path(get, path = "/blobs/{account_id}/{sha256}/{file_name}", tag = "Attachments",
    params(("account_id" = i64, Path), ("sha256" = String, Path), ("file_name" = String, Path),
        ("ct" = String, Query, description = "Content type served (signed)"),
        ("exp" = i64, Query, description = "Expiry, unix seconds (signed)"),
        ("sig" = String, Query, description = "HMAC-SHA256, hex")),
    responses((status = 200, description = "The file's bytes"),
        (status = 403, description = "Expired, altered or unsigned URL"), (status = 404)))]
pub async fn download(
    State(state): State<AppState>,
    Path((account_id, sha256, file_name)): Path<(String, String, String)>,
    uri: axum::http::Uri,
) -> ApiResult<Response> {
    let denied = |m: &str| ApiError::Forbidden(m.to_owned());
    let Ok(Query(q)) = Query::<SignedQuery>::try_from_uri(&uri) else {
        return Err(denied("This link is invalid"));
    };
    let (Some(ct), Some(exp), Some(sig)) = (q.ct, q.exp, q.sig) else {
        return Err(denied("This link is invalid"));
    };
    let account_id: i64 = account_id.parse().map_err(|_| denied("This link is invalid"))?;
    let expires: i64 = exp.parse().map_err(|_| denied("This link is invalid"))?;
    let grant = BlobGrant { account_id, sha256: &sha256, file_name: &file_name, content_type: &ct };
    state.blob_urls.verify(&grant, expires, &sig, Utc::now()).map_err(|e| denied(&e.to_string()))?;
    let bytes = state.blobs.get(&sha256).await.map_err(ApiError::Internal)?.ok_or(ApiError::NotFound)?;
    let content_type =
        HeaderValue::from_str(&ct).unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let inline = FileType::of_content_type(&ct) != FileType::File;
    let disposition = format!(
        "{}; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        url::form_urlencoded::byte_serialize(file_name.as_bytes()).collect::<String>().replace('+', "%20")
    );
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type);
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    Ok(response)
}

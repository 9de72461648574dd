//! Contact avatars: an `avatar` image file in a multipart create/update, or
//! an `avatar_url` fetched in the background through the SSRF guard (the
//! same egress policy as webhooks: loopback and private addresses refused
//! with 422 at request time, and again — DNS pinned — when fetching).
//! Images only (PNG, JPEG, GIF that decode), at most the configured file
//! size; the avatar is recorded as `ContactAvatarChanged` with the blob's
//! reference, never the bytes.

use super::json::ContactRequest;
use crate::blobs::thumbs;
use crate::blobs::upload::{UploadedFile, WithFiles};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::body::Bytes;
use onelink_commands::ssrf::{EgressGuard, UrlRejection};
use onelink_commands::{contacts, CommandContext};
use onelink_domain::contact::Avatar;
use onelink_domain::conversation::Thumbnail;
use onelink_domain::ids::{AccountId, ContactId};
use onelink_domain::Violations;
use std::time::Duration;

/// Content types an avatar may have (the decoders OneLink has).
const IMAGE_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/jpg", "image/gif"];
/// One attempt to fetch an `avatar_url`, connect to last byte.
const FETCH_TIMEOUT: Duration = Duration::from_secs(15);

/// What a request asks for the avatar, checked before anything is written.
pub enum AvatarChange {
    Keep,
    File { file: UploadedFile, made: thumbs::Made },
    Url(String),
}

fn invalid(attribute: &str, message: impl Into<String>) -> ApiError {
    ApiError::Invalid(Violations::single(attribute, message.into()))
}

fn not_an_image() -> ApiError {
    invalid("avatar", "Avatar must be a PNG, JPEG or GIF image")
}

/// Decodes an image off the runtime (`None`: not an image we read).
async fn decode(bytes: Bytes) -> ApiResult<Option<thumbs::Made>> {
    tokio::task::spawn_blocking(move || thumbs::make(&bytes)).await.map_err(|e| ApiError::Internal(e.into()))
}

pub async fn check(state: &AppState, form: &WithFiles<ContactRequest>) -> ApiResult<AvatarChange> {
    let file = form.files.iter().find(|f| f.field == "avatar" || f.field == "contact[avatar]");
    if let Some(file) = file {
        if !IMAGE_TYPES.contains(&file.content_type.as_str()) {
            return Err(not_an_image());
        }
        let made = decode(file.bytes.clone()).await?.ok_or_else(not_an_image)?;
        return Ok(AvatarChange::File { file: file.clone(), made });
    }
    match form.body.avatar_url.as_deref().map(str::trim) {
        None | Some("") => Ok(AvatarChange::Keep),
        Some(url) => {
            state.commands.egress.check(url).await.map_err(|e| invalid("avatar_url", describe(&e)))?;
            Ok(AvatarChange::Url(url.to_owned()))
        }
    }
}

fn describe(e: &UrlRejection) -> String {
    match e {
        UrlRejection::Blocked { ip, reason } => format!("Avatar url points to a {reason} address ({ip})"),
        UrlRejection::NotAllowed { ip } => format!("Avatar url points to {ip}, which OneLink may not reach"),
        _ => "Avatar url is invalid".into(),
    }
}

/// Carries out a checked change: a file is stored and recorded now; a URL
/// is fetched in the background (a failure is logged and changes nothing).
pub async fn apply(
    state: &AppState,
    ctx: &CommandContext,
    account_id: i64,
    contact_id: i64,
    change: AvatarChange,
) -> ApiResult<()> {
    match change {
        AvatarChange::Keep => Ok(()),
        AvatarChange::File { file, made } => {
            let avatar = store(state, file.bytes, file.content_type, file.file_name, made).await?;
            let done = contacts::set_avatar(
                &state.commands,
                ctx,
                AccountId(account_id),
                ContactId(contact_id),
                Some(avatar),
            )
            .await?;
            state.settle(done.position).await
        }
        AvatarChange::Url(url) => {
            let (state, ctx) = (state.clone(), ctx.clone());
            tokio::spawn(async move {
                if let Err(e) = fetch_and_set(&state, &ctx, account_id, contact_id, &url).await {
                    tracing::warn!(contact.id = contact_id, error = format!("{e:#}"), "avatar_url not used");
                }
            });
            Ok(())
        }
    }
}

async fn store(
    state: &AppState,
    bytes: Bytes,
    content_type: String,
    file_name: String,
    made: thumbs::Made,
) -> ApiResult<Avatar> {
    let blob = state.blobs.put(bytes).await.map_err(ApiError::Internal)?;
    let thumb = state.blobs.put(Bytes::from(made.png)).await.map_err(ApiError::Internal)?;
    let thumbnail = Some(Thumbnail {
        blob: thumb,
        content_type: "image/png".into(),
        width: made.width,
        height: made.height,
    });
    Ok(Avatar { blob, content_type, file_name, thumbnail })
}

async fn fetch_and_set(
    state: &AppState,
    ctx: &CommandContext,
    account_id: i64,
    contact_id: i64,
    url: &str,
) -> anyhow::Result<()> {
    let (bytes, content_type, file_name) =
        fetch(&state.commands.egress, url, state.blob_config.max_file_bytes).await?;
    let made = decode(bytes.clone()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let made = made.ok_or_else(|| anyhow::anyhow!("not a PNG, JPEG or GIF image"))?;
    let avatar =
        store(state, bytes, content_type, file_name, made).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    contacts::set_avatar(&state.commands, ctx, AccountId(account_id), ContactId(contact_id), Some(avatar))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

/// GETs an image through the guard (pinned DNS, no redirects), at most
/// `max_bytes`, with an image content type.
async fn fetch(egress: &EgressGuard, url: &str, max_bytes: u64) -> anyhow::Result<(Bytes, String, String)> {
    let target = egress.target(url).await?;
    let client = onelink_projections::webhooks::send::client(&target, FETCH_TIMEOUT)?;
    let mut res = client.get(target.url.clone()).send().await?;
    anyhow::ensure!(res.status().is_success(), "answered {}", res.status());
    let content_type = res
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .unwrap_or_default();
    anyhow::ensure!(
        IMAGE_TYPES.contains(&content_type.as_str()),
        "content type {content_type:?} is not an image"
    );
    let mut body = Vec::new();
    while let Some(chunk) = res.chunk().await? {
        anyhow::ensure!((body.len() + chunk.len()) as u64 <= max_bytes, "larger than {max_bytes} bytes");
        body.extend_from_slice(&chunk);
    }
    let file_name = target
        .url
        .path_segments()
        .and_then(|mut s| s.next_back().map(str::to_owned))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "avatar".into());
    Ok((Bytes::from(body), content_type, file_name))
}

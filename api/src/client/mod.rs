//! Client API (`/public/api/v1/inboxes/{inbox_identifier}/…`): what a
//! custom chat interface calls on behalf of one contact. The contact's
//! source id in the inbox is its only credential; identity validation by
//! HMAC when the inbox asks for it. Errors: Rails' 404 body, `{"error"}`
//! otherwise (the upstream 500s on a bad HMAC; OneLink answers 401).

pub mod contacts;
pub mod conversations;
pub mod hmac;
pub mod json;
pub mod limit;
pub mod messages;
pub mod session;

use crate::error::envelope;
use crate::state::AppState;
use axum::middleware::map_response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(contacts::create))
        .routes(routes!(contacts::show, contacts::update))
        .routes(routes!(conversations::index, conversations::create))
        .routes(routes!(conversations::show))
        .routes(routes!(conversations::toggle_status))
        .routes(routes!(conversations::toggle_typing))
        .routes(routes!(conversations::update_last_seen))
        .routes(routes!(messages::index, messages::create))
        .routes(routes!(messages::update))
        .layer(map_response(envelope::platform))
}

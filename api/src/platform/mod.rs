//! Platform API (`/platform/api/v1/…`): the installation admin's API,
//! authenticated with platform app tokens and bound by the permissible rule.

mod account_users;
mod accounts;
mod agent_bots;
pub(crate) mod json;

pub use json::{iso, PlatformUser};
pub use users::render_user;
mod users;

use crate::error::envelope;
use crate::state::AppState;
use axum::middleware::map_response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(accounts::index, accounts::create))
        .routes(routes!(accounts::show, accounts::update, accounts::destroy))
        .routes(routes!(account_users::index, account_users::create, account_users::destroy))
        .routes(routes!(users::create))
        .routes(routes!(users::show, users::update, users::destroy))
        .routes(routes!(users::login))
        .routes(routes!(users::token))
        .routes(routes!(agent_bots::index, agent_bots::create))
        .routes(routes!(agent_bots::show, agent_bots::update, agent_bots::destroy))
        .routes(routes!(agent_bots::destroy_avatar))
        .layer(map_response(envelope::platform))
}

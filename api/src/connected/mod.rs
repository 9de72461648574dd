//! The connected-accounts API (seed 004, contract §7.3): LexikJWT login at
//! `/authentication/login_check` and the `ConnectedAccount` resource at
//! `/api/accounts` (kept apart from the Application API's
//! `/api/v1/accounts`), in API Platform's JSON-LD/Hydra conventions.
//! Authenticated with `Authorization: Bearer <JWT>`.

mod body;
pub mod errors;
pub mod json;
mod login_check;
mod read;
mod scope;
mod write;

use crate::state::AppState;
use axum::middleware::map_response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login_check::login_check))
        .routes(routes!(read::index, write::create))
        .routes(routes!(read::show, write::update, write::destroy))
        .layer(map_response(errors::envelope))
}

//! Application API (`/api/v1/accounts/{account_id}/…`): per-user tokens,
//! account membership, administrator/agent roles.

mod agents;
pub mod json;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(agents::index, agents::create))
        .routes(routes!(agents::update, agents::destroy))
}

//! Application API (`/api/v1/accounts/{account_id}/…`): per-user tokens,
//! account membership, administrator/agent roles.

mod agents;
pub mod contacts;
pub mod json;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(agents::index, agents::create))
        .routes(routes!(agents::update, agents::destroy))
        // static segments (`search`, `filter`) take precedence over `{id}`
        .routes(routes!(contacts::list::index, contacts::create::create))
        .routes(routes!(contacts::search::search))
        .routes(routes!(contacts::filter::filter))
        .routes(routes!(contacts::show::show, contacts::update::update, contacts::delete::destroy))
        .routes(routes!(contacts::labels::index, contacts::labels::create))
        .routes(routes!(contacts::custom_attributes::destroy_custom_attributes))
}

//! Application API (`/api/v1/accounts/{account_id}/…`): per-user tokens,
//! account membership, administrator/agent roles.

mod agent_bots;
mod agents;
mod automation_rules;
mod canned_responses;
pub mod contacts;
pub mod conversations;
mod custom_attribute_definitions;
mod custom_filters;
pub mod help_center;
mod inbox_json;
mod inbox_members;
mod inbox_request;
mod inboxes;
pub mod json;
mod labels;
pub mod reports;
mod team_members;
mod teams;
pub mod webhooks;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(agents::index, agents::create))
        .routes(routes!(agents::update, agents::destroy))
        .routes(routes!(help_center::portals::index, help_center::portals::create))
        .routes(routes!(
            help_center::portals::show,
            help_center::portals::update,
            help_center::portals::destroy
        ))
        .routes(routes!(help_center::portals::archive))
        .routes(routes!(help_center::categories::index, help_center::categories::create))
        .routes(routes!(
            help_center::categories::show,
            help_center::categories::update,
            help_center::categories::destroy
        ))
        .routes(routes!(help_center::articles::index, help_center::articles::create))
        .routes(routes!(help_center::articles::reorder))
        .routes(routes!(
            help_center::articles::show,
            help_center::articles::update,
            help_center::articles::destroy
        ))
        .routes(routes!(reports::timeseries::timeseries))
        .routes(routes!(reports::summary::summary))
        .routes(routes!(reports::summary::bot_summary))
        .routes(routes!(reports::live::conversations))
        .routes(routes!(reports::live::conversation_metrics))
        .routes(routes!(reports::live::grouped_conversation_metrics))
        .routes(routes!(teams::index, teams::create))
        .routes(routes!(teams::show, teams::update, teams::destroy))
        .routes(routes!(
            team_members::index,
            team_members::create,
            team_members::update,
            team_members::destroy
        ))
        .routes(routes!(agent_bots::index, agent_bots::create))
        .routes(routes!(agent_bots::show, agent_bots::update, agent_bots::destroy))
        .routes(routes!(agent_bots::destroy_avatar))
        .routes(routes!(agent_bots::reset_access_token))
        .routes(routes!(inboxes::index, inboxes::create))
        .routes(routes!(inboxes::show, inboxes::update, inboxes::destroy))
        .routes(routes!(inboxes::destroy_avatar))
        .routes(routes!(inboxes::agent_bot))
        .routes(routes!(inboxes::set_agent_bot))
        .routes(routes!(inbox_members::show))
        .routes(routes!(inbox_members::create, inbox_members::update, inbox_members::destroy))
        // static segments (`search`, `filter`) take precedence over `{id}`
        .routes(routes!(contacts::list::index, contacts::create::create))
        .routes(routes!(contacts::search::search))
        .routes(routes!(contacts::filter::filter))
        .routes(routes!(contacts::show::show, contacts::update::update, contacts::delete::destroy))
        .routes(routes!(contacts::labels::index, contacts::labels::create))
        .routes(routes!(contacts::custom_attributes::destroy_custom_attributes))
        .routes(routes!(contacts::contact_inboxes::contactable))
        .routes(routes!(contacts::contact_inboxes::create))
        .routes(routes!(contacts::conversations::index))
        .routes(routes!(conversations::list::index, conversations::create::create))
        .routes(routes!(conversations::list::meta))
        .routes(routes!(conversations::filter::filter))
        .routes(routes!(
            conversations::list::show,
            conversations::actions::update,
            conversations::actions::destroy
        ))
        .routes(routes!(conversations::actions::toggle_status))
        .routes(routes!(conversations::actions::toggle_priority))
        .routes(routes!(conversations::actions::custom_attributes))
        .routes(routes!(conversations::assignments::create))
        .routes(routes!(conversations::labels::index, conversations::labels::create))
        .routes(routes!(conversations::messages::index::index, conversations::messages::create::create))
        .routes(routes!(conversations::messages::update::destroy, conversations::messages::update::update))
        .routes(routes!(conversations::audit::events::index))
        .routes(routes!(conversations::seen::update_last_seen))
        .routes(routes!(canned_responses::index, canned_responses::create))
        .routes(routes!(canned_responses::update, canned_responses::destroy))
        .routes(routes!(custom_attribute_definitions::index, custom_attribute_definitions::create))
        .routes(routes!(
            custom_attribute_definitions::show,
            custom_attribute_definitions::update,
            custom_attribute_definitions::destroy
        ))
        .routes(routes!(labels::index, labels::create))
        .routes(routes!(labels::show, labels::update, labels::destroy))
        .routes(routes!(custom_filters::index, custom_filters::create))
        .routes(routes!(custom_filters::show, custom_filters::update, custom_filters::destroy))
        .routes(routes!(webhooks::crud::index, webhooks::crud::create))
        .routes(routes!(webhooks::crud::update, webhooks::crud::destroy))
        .routes(routes!(webhooks::deliveries::index))
        .routes(routes!(webhooks::replay::replay))
        .routes(routes!(automation_rules::index, automation_rules::create))
        .routes(routes!(automation_rules::show, automation_rules::update, automation_rules::destroy))
        .routes(routes!(automation_rules::clone))
}

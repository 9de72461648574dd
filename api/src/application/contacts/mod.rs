//! `/api/v1/accounts/{account_id}/contacts…` (upstream
//! `api/v1/accounts/contacts_controller.rb` and `contacts/labels_controller.rb`).
//!
//! Every member may list, search, filter, show, create and update the
//! account's contacts; only administrators delete. Listings are limited
//! to "resolved contacts" and paginated 15 at a time.

pub mod create;
pub mod custom_attributes;
pub mod delete;
pub mod filter;
pub mod json;
pub mod labels;
pub mod list;
pub mod params;
pub mod search;
pub mod show;
pub mod update;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use json::{Contact, ContactList, ListMeta};
use onelink_projections::contacts::query::{self, Listing};
use params::ListParams;

/// Runs a listing and renders the `{meta, payload}` envelope.
async fn respond_list(
    state: &AppState,
    listing: &Listing<'_>,
    params: &ListParams,
) -> ApiResult<ContactList> {
    let page = query::list(&state.pool, listing).await?;
    Ok(ContactList {
        meta: ListMeta { count: page.count, current_page: params.current_page.clone() },
        payload: page.rows.into_iter().map(|r| Contact::render(r, params.include_contact_inboxes)).collect(),
    })
}

/// The contact `id` of the account, rendered (404 when there is none).
async fn find_contact(state: &AppState, account_id: i64, id: i64, with_inboxes: bool) -> ApiResult<Contact> {
    let row = query::find(&state.pool, account_id, id).await?.ok_or(ApiError::NotFound)?;
    Ok(Contact::render(row, with_inboxes))
}

//! `/api/v1/accounts/{account_id}/contacts…` (upstream
//! `api/v1/accounts/contacts_controller.rb` and `contacts/labels_controller.rb`).
//!
//! Every member may list, search, filter, show, create and update the
//! account's contacts; only administrators delete. Listings are limited
//! to "resolved contacts" and paginated 15 at a time.

pub mod avatar;
pub mod contact_inboxes;
pub mod conversations;
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
use json::{Contact, ContactInboxSlim, ContactList, ListMeta};
use onelink_projections::contact_inboxes as contact_inbox_rows;
use onelink_projections::contacts::query::{self, Listing};
use onelink_projections::contacts::ContactRow;
use params::ListParams;
use std::collections::HashMap;

/// Runs a listing and renders the `{meta, payload}` envelope.
async fn respond_list(
    state: &AppState,
    listing: &Listing<'_>,
    params: &ListParams,
) -> ApiResult<ContactList> {
    let page = query::list(&state.pool, listing).await?;
    let payload =
        render_contacts(state, listing.account_id, page.rows, params.include_contact_inboxes).await?;
    Ok(ContactList {
        meta: ListMeta { count: page.count, current_page: params.current_page.clone() },
        payload,
    })
}

/// Renders contacts, with their contact inboxes (one query for all) when
/// asked to.
pub async fn render_contacts(
    state: &AppState,
    account_id: i64,
    rows: Vec<ContactRow>,
    with_inboxes: bool,
) -> ApiResult<Vec<Contact>> {
    if !with_inboxes {
        return Ok(rows.into_iter().map(|r| Contact::render(r, None, Some(&state.blob_urls))).collect());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut by_contact: HashMap<i64, Vec<ContactInboxSlim>> = HashMap::new();
    for ci in contact_inbox_rows::of_contacts(&state.pool, account_id, &ids).await? {
        by_contact.entry(ci.contact_id).or_default().push(ci.into());
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let inboxes = by_contact.remove(&r.id).unwrap_or_default();
            Contact::render(r, Some(inboxes), Some(&state.blob_urls))
        })
        .collect())
}

/// The contact `id` of the account, rendered (404 when there is none).
async fn find_contact(state: &AppState, account_id: i64, id: i64, with_inboxes: bool) -> ApiResult<Contact> {
    let row = query::find(&state.pool, account_id, id).await?.ok_or(ApiError::NotFound)?;
    let mut rendered = render_contacts(state, account_id, vec![row], with_inboxes).await?;
    rendered.pop().ok_or(ApiError::NotFound)
}

//! Which OneLink account a connected-accounts request works on.
//!
//! A user reaches the connected accounts of the accounts they belong to
//! (suspended accounts excepted). A listing or a create works on one
//! account: the `account_id` the client names, or else the user's active
//! account (most recently active membership, then the oldest). Naming an
//! account the user does not belong to is 403; a connected account of such
//! an account is 404, so its existence does not leak. Reading takes any
//! member; connecting, changing and disconnecting take an administrator.

use super::errors::ACCESS_DENIED;
use crate::error::{ApiError, ApiResult};
use crate::extract::JwtUser;
use crate::state::AppState;
use onelink_domain::account::Role;
use onelink_projections::connected_accounts::query::{self, Membership};

pub struct Scope {
    memberships: Vec<Membership>,
}

impl Scope {
    pub async fn of(state: &AppState, caller: &JwtUser) -> ApiResult<Self> {
        Ok(Self { memberships: query::memberships(&state.pool, caller.user.id).await? })
    }

    /// Every account the caller may read from.
    pub fn account_ids(&self) -> Vec<i64> {
        self.memberships.iter().map(|m| m.account_id).collect()
    }

    /// The account named by `requested`, or the active one; 403 if the
    /// caller is not a member (or belongs to no account).
    pub fn choose(&self, requested: Option<i64>) -> ApiResult<&Membership> {
        let found = match requested {
            Some(id) => self.memberships.iter().find(|m| m.account_id == id),
            None => self.memberships.first(),
        };
        found.ok_or_else(|| ApiError::Forbidden(ACCESS_DENIED.into()))
    }

    /// 403 unless the caller administers `account_id`.
    pub fn require_admin(&self, account_id: i64) -> ApiResult<()> {
        let admin = self
            .memberships
            .iter()
            .any(|m| m.account_id == account_id && Role::parse(&m.role) == Some(Role::Administrator));
        if admin {
            Ok(())
        } else {
            Err(ApiError::Forbidden(ACCESS_DENIED.into()))
        }
    }
}

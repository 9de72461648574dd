//! Application API authentication and account resolution, in the
//! upstream's order: the token (401), the account (404, suspended 401), the
//! caller's membership (401). Bots may call only the endpoints that accept
//! a [`Caller`]; everything else takes a [`Member`] (users only).

use super::platform_app::access_token;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use onelink_commands::secrets::digest;
use onelink_commands::CommandContext;
use onelink_domain::account::Role;
use onelink_domain::Actor;
use onelink_projections::platform::accounts::{self, AccountRow};
use onelink_projections::platform::agent_bots::{self, AgentBotRow};
use onelink_projections::platform::users::{self, UserRow};

const INVALID_TOKEN: &str = "Invalid Access Token";
const NOT_A_MEMBER: &str = "You are not authorized to access this account";
const BOTS_NOT_ALLOWED: &str = "Access to this endpoint is not authorized for bots";
const BOT_NOT_IN_ACCOUNT: &str = "Bot is not authorized to access this account";
pub const NOT_AUTHORIZED: &str = "You are not authorized to do this action";

/// Who presented the token.
#[derive(Debug, Clone)]
pub enum Principal {
    User(UserRow),
    Bot(AgentBotRow),
}

async fn authenticate(parts: &Parts, state: &AppState) -> Result<Principal, ApiError> {
    let token = access_token(parts).ok_or(ApiError::SignInRequired)?;
    let token_digest = digest(token);
    if let Some(user) = users::find_by_access_token(&state.pool, &token_digest).await? {
        return Ok(Principal::User(user));
    }
    if let Some(bot) = agent_bots::find_by_access_token(&state.pool, &token_digest).await? {
        return Ok(Principal::Bot(bot));
    }
    Err(ApiError::Unauthenticated(INVALID_TOKEN.into()))
}

/// The `{account_id}` path segment of the request.
async fn account(parts: &mut Parts, state: &AppState) -> Result<AccountRow, ApiError> {
    let params = RawPathParams::from_request_parts(parts, state).await.map_err(|_| ApiError::NotFound)?;
    let raw = params.iter().find(|(k, _)| *k == "account_id").map(|(_, v)| v).ok_or(ApiError::NotFound)?;
    let id: i64 = raw.parse().map_err(|_| ApiError::NotFound)?;
    let account = accounts::find(&state.pool, id).await?.ok_or(ApiError::NotFound)?;
    if account.status == "suspended" {
        return Err(ApiError::NotPermitted("Account is suspended".into()));
    }
    Ok(account)
}

/// A user who belongs to the account in the path.
#[derive(Debug, Clone)]
pub struct Member {
    pub account: AccountRow,
    pub user: UserRow,
    pub role: Role,
}

impl Member {
    pub fn account_id(&self) -> i64 {
        self.account.id
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Administrator
    }

    /// 401 "You are not authorized to do this action" unless an administrator.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(ApiError::NotPermitted(NOT_AUTHORIZED.into()))
        }
    }

    pub fn actor(&self) -> Actor {
        Actor::User(self.user.id)
    }

    pub fn context(&self, request_id: &crate::state::RequestId) -> CommandContext {
        request_id.context(self.actor())
    }
}

impl FromRequestParts<AppState> for Member {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match Caller::from_request_parts(parts, state).await? {
            Caller::User(member) => Ok(member),
            Caller::Bot { .. } => Err(ApiError::NotPermitted(BOTS_NOT_ALLOWED.into())),
        }
    }
}

/// A member user, or an agent bot of (or connected to) the account.
#[derive(Debug, Clone)]
pub enum Caller {
    User(Member),
    Bot { account: AccountRow, bot: AgentBotRow },
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let principal = authenticate(parts, state).await?;
        let account = account(parts, state).await?;
        match principal {
            Principal::User(user) => {
                let membership = accounts::membership(&state.pool, account.id, user.id)
                    .await?
                    .ok_or_else(|| ApiError::NotPermitted(NOT_A_MEMBER.into()))?;
                let role = Role::parse(&membership.role).unwrap_or(Role::Agent);
                Ok(Caller::User(Member { account, user, role }))
            }
            Principal::Bot(bot) => {
                if bot.account_id != Some(account.id) {
                    return Err(ApiError::NotPermitted(BOT_NOT_IN_ACCOUNT.into()));
                }
                Ok(Caller::Bot { account, bot })
            }
        }
    }
}

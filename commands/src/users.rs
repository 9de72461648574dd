//! Users: creation (idempotent by e-mail), profile and password changes,
//! deletion, and single sign-on tokens.

use crate::execute::{execute, with_retries, UnitOfWork};
use crate::ids::{next_id, IdSequence};
use crate::secrets::{digest, random_hex32};
use crate::{CommandContext, CommandError, Commands, Outcome};
use chrono::{DateTime, Duration, Utc};
use onelink_domain::email_claim::{EmailClaim, EmailClaimCommand};
use onelink_domain::ids::{PlatformAppId, UserId};
use onelink_domain::platform_app::{PermissibleType, PlatformApp, PlatformAppCommand};
use onelink_domain::user::{
    normalize_email, password_violations, validate_email, validate_profile, NewUser, User, UserCommand,
    UserPatch,
};
use onelink_domain::{Actor, Violations};
use serde_json::{Map, Value};

/// How long a single sign-on link stays valid.
pub const SSO_TTL_MINUTES: i64 = 5;

/// User fields as a client sent them.
#[derive(Debug, Clone, Default)]
pub struct UserInput {
    pub name: Option<String>,
    pub display_name: Option<Option<String>>,
    pub email: Option<String>,
    pub password: Option<String>,
    pub custom_attributes: Option<Map<String, Value>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    New(UserId),
    /// A user with that e-mail already existed; it is returned unchanged.
    Existing(UserId),
}

impl Created {
    pub fn id(self) -> UserId {
        match self {
            Created::New(id) | Created::Existing(id) => id,
        }
    }
}

async fn owner_of(c: &Commands, email: &str) -> Result<Option<UserId>, CommandError> {
    Ok(c.store.load::<EmailClaim>(email).await?.aggregate.owner)
}

/// Creates a user, or returns the existing user with that e-mail. When a
/// platform app asks, the user is granted to it either way (the creation
/// grant is derived from the event's actor; an existing user gets an
/// explicit grant event).
pub async fn create(
    c: &Commands,
    ctx: &CommandContext,
    input: UserInput,
) -> Result<Outcome<Created>, CommandError> {
    create_with(c, ctx, input, Signup::Password).await
}

/// How a new user gets in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signup {
    /// With a password that meets the rules; confirmed at once.
    Password,
    /// Invited by an administrator: no password yet, unconfirmed.
    Invitation,
}

/// Creates an unconfirmed user without a password (an invited agent), or
/// returns the existing user with that e-mail.
pub async fn invite(
    c: &Commands,
    ctx: &CommandContext,
    name: Option<String>,
    email: Option<String>,
) -> Result<Outcome<Created>, CommandError> {
    let input = UserInput { name, email, ..UserInput::default() };
    create_with(c, ctx, input, Signup::Invitation).await
}

async fn create_with(
    c: &Commands,
    ctx: &CommandContext,
    input: UserInput,
    signup: Signup,
) -> Result<Outcome<Created>, CommandError> {
    let email = input.email.as_deref().map(normalize_email).unwrap_or_default();
    if !email.is_empty() {
        if let Some(existing) = owner_of(c, &email).await? {
            return existing_user(c, ctx, existing).await;
        }
    }
    let mut v = Violations::new();
    validate_profile(&mut v, input.name.as_deref(), input.display_name.clone().flatten().as_deref(), true);
    validate_email(&mut v, input.email.as_deref());
    match (signup, input.password.as_deref()) {
        (Signup::Password, Some(p)) => v.0.extend(password_violations(p).0),
        (Signup::Password, None) => v.add("password", "Password can't be blank"),
        (Signup::Invitation, _) => {}
    }
    v.into_result().map_err(CommandError::Invalid)?;

    let password_hash = match (signup, input.password.clone()) {
        (Signup::Password, Some(p)) => Some(c.passwords.hash(p).await?),
        _ => None,
    };
    let id = UserId(next_id(c.store.pool(), IdSequence::User).await.map_err(anyhow::Error::from)?);
    let (_, access_token) = c.secrets.issue_token();
    let (_, pubsub_token) = c.secrets.issue_token();
    let new = NewUser {
        id,
        name: input.name.clone().unwrap_or_default(),
        display_name: input.display_name.clone().flatten(),
        email: email.clone(),
        password_hash,
        access_token,
        pubsub_token,
        custom_attributes: input.custom_attributes.clone().unwrap_or_default(),
        confirmed: signup == Signup::Password,
    };
    let outcome = with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        if let Err(taken) =
            uow.decide::<EmailClaim>(&email, None, EmailClaimCommand::Claim { user_id: id }).await
        {
            // another sign-up with this e-mail won the race
            return match owner_of(c, &email).await? {
                Some(existing) => Ok(Outcome { value: Created::Existing(existing), position: None }),
                None => Err(taken),
            };
        }
        uow.decide_new::<User>(&id.to_string(), None, UserCommand::Create(new.clone())).await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: Created::New(id), position })
    })
    .await?;
    if let Created::Existing(existing) = outcome.value {
        return existing_user(c, ctx, existing).await;
    }
    Ok(outcome)
}

/// The outcome for an e-mail that already has a user: grant it to the
/// calling app, and point read-your-writes at the latest of the grant and
/// the user's own stream (another request may have just created it).
async fn existing_user(
    c: &Commands,
    ctx: &CommandContext,
    id: UserId,
) -> Result<Outcome<Created>, CommandError> {
    let granted = grant_to_calling_app(c, ctx, id).await?;
    let head = c.store.stream_head(<User as cqrs_es::Aggregate>::TYPE, &id.to_string()).await?;
    Ok(Outcome { value: Created::Existing(id), position: granted.max(head) })
}

async fn grant_to_calling_app(
    c: &Commands,
    ctx: &CommandContext,
    user: UserId,
) -> Result<Option<crate::LogPosition>, CommandError> {
    let Actor::PlatformApp(app) = ctx.actor else {
        return Ok(None);
    };
    let app = PlatformAppId(app);
    let done = execute::<PlatformApp, _>(&c.store, &app.to_string(), None, ctx, || {
        PlatformAppCommand::Grant { resource_type: PermissibleType::User, resource_id: user.0 }
    })
    .await?;
    Ok(done.position)
}

/// Partial update. A new password is checked against the rules, hashed,
/// and rotates the websocket token; an e-mail change moves the claim.
pub async fn update(
    c: &Commands,
    ctx: &CommandContext,
    id: UserId,
    input: UserInput,
) -> Result<Outcome<()>, CommandError> {
    let password = match input.password.clone() {
        Some(p) => {
            password_violations(&p).into_result().map_err(CommandError::Invalid)?;
            let (_, pubsub) = c.secrets.issue_token();
            Some((c.passwords.hash(p).await?, pubsub))
        }
        None => None,
    };
    let patch = UserPatch {
        name: input.name.clone(),
        display_name: input.display_name.clone(),
        email: input.email.clone(),
        password,
        custom_attributes: input.custom_attributes.clone(),
    };
    with_retries(|| async {
        let current = c.store.load::<User>(&id.to_string()).await?.aggregate;
        let mut uow = UnitOfWork::new(&c.store);
        let after = uow.decide::<User>(&id.to_string(), None, UserCommand::Update(patch.clone())).await?;
        if after.email != current.email {
            uow.decide::<EmailClaim>(&after.email, None, EmailClaimCommand::Claim { user_id: id }).await?;
            uow.decide::<EmailClaim>(&current.email, None, EmailClaimCommand::Release { user_id: id })
                .await?;
        }
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

/// Deletes the user and frees its e-mail.
pub async fn delete(c: &Commands, ctx: &CommandContext, id: UserId) -> Result<Outcome<()>, CommandError> {
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        let before = uow.decide::<User>(&id.to_string(), None, UserCommand::Delete).await?;
        uow.decide::<EmailClaim>(&before.email, None, EmailClaimCommand::Release { user_id: id }).await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

/// Issues a single-use sign-on token (64 hex characters, valid five
/// minutes); only its digest is recorded.
pub async fn issue_sso_token(
    c: &Commands,
    ctx: &CommandContext,
    id: UserId,
    now: DateTime<Utc>,
) -> Result<Outcome<String>, CommandError> {
    let token = random_hex32();
    let expires_at = now + Duration::minutes(SSO_TTL_MINUTES);
    let token_digest = digest(&token);
    let done = execute::<User, _>(&c.store, &id.to_string(), None, ctx, || UserCommand::IssueSsoToken {
        digest: token_digest.clone(),
        expires_at,
    })
    .await?;
    Ok(Outcome { value: token, position: done.position })
}

/// Spends a sign-on token for the user with `email`; returns the user.
pub async fn consume_sso_token(
    c: &Commands,
    ctx: &CommandContext,
    email: &str,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Outcome<UserId>, CommandError> {
    let invalid = || CommandError::Unauthenticated("Invalid login credentials. Please try again.".into());
    let Some(id) = owner_of(c, &normalize_email(email)).await? else {
        return Err(invalid());
    };
    let token_digest = digest(token);
    let done = execute::<User, _>(&c.store, &id.to_string(), None, ctx, || UserCommand::ConsumeSsoToken {
        digest: token_digest.clone(),
        now,
    })
    .await
    .map_err(|e| match e {
        CommandError::Unauthenticated(_) | CommandError::NotFound => invalid(),
        other => other,
    })?;
    Ok(Outcome { value: id, position: done.position })
}

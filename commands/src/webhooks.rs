//! Account webhooks: create (URL checked by the SSRF guard, secret drawn
//! and sealed), update, delete, and disabling by the delivery workers.
//!
//! A URL is claimed per account in the same atomic write as the webhook
//! event (a change moves the claim, a deletion frees it), so two webhooks of
//! one account never share a URL.

use crate::execute::{execute, with_retries, UnitOfWork};
use crate::ids::{next_id, IdSequence};
use crate::{CommandContext, CommandError, Commands, Outcome};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use onelink_domain::ids::{AccountId, InboxId, WebhookId};
use onelink_domain::webhook::{
    url_claim_id, NewWebhook, SealedSecret, SubscriptionList, Webhook, WebhookCommand, WebhookPatch,
    WebhookUrlClaim, WebhookUrlClaimCommand,
};
use rand::Rng;
use sha2::{Digest, Sha256};

/// Prefix of the signing secrets (Standard Webhooks' `whsec_`).
pub const SECRET_PREFIX: &str = "whsec_";

/// A webhook as a client described it.
#[derive(Debug, Clone, Default)]
pub struct WebhookInput {
    pub url: Option<String>,
    pub name: Option<String>,
    pub subscriptions: Option<SubscriptionList>,
    pub inbox_id: Option<InboxId>,
}

/// A new signing secret: `whsec_` and 32 random bytes in base64.
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::thread_rng().gen();
    format!("{SECRET_PREFIX}{}", B64.encode(bytes))
}

fn claim_id(account_id: AccountId, url: &str) -> String {
    url_claim_id(account_id, &hex::encode(Sha256::digest(url.trim().as_bytes())))
}

/// The guard's verdict on a URL, as the aggregate takes it.
async fn url_problem(c: &Commands, url: Option<&str>) -> Option<String> {
    let url = url?;
    c.egress.check(url).await.err().map(|rejection| rejection.to_string())
}

/// Creates a webhook; returns its id.
pub async fn create(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    input: WebhookInput,
) -> Result<Outcome<WebhookId>, CommandError> {
    let url_problem = url_problem(c, input.url.as_deref()).await;
    let id = WebhookId(next_id(c.store.pool(), IdSequence::Webhook).await.map_err(anyhow::Error::from)?);
    let secret = SealedSecret(c.secrets.seal(&new_secret()));
    let new = NewWebhook {
        id,
        account_id,
        url: input.url,
        url_problem,
        name: input.name,
        subscriptions: input.subscriptions,
        inbox_id: input.inbox_id,
        secret,
    };
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        let account = Some(account_id.0);
        let hook =
            uow.decide_new::<Webhook>(&id.to_string(), account, WebhookCommand::Create(new.clone())).await?;
        let claim = claim_id(account_id, &hook.url);
        uow.decide::<WebhookUrlClaim>(&claim, account, WebhookUrlClaimCommand::Claim { webhook_id: id })
            .await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: id, position })
    })
    .await
}

/// A partial update: `url`, `name` (`Some(None)` clears), `subscriptions`,
/// `inbox_id`, and `enabled` to switch deliveries on or off.
#[derive(Debug, Clone, Default)]
pub struct WebhookChange {
    pub url: Option<String>,
    pub name: Option<Option<String>>,
    pub subscriptions: Option<SubscriptionList>,
    pub inbox_id: Option<Option<InboxId>>,
    pub enabled: Option<bool>,
}

pub async fn update(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: WebhookId,
    change: WebhookChange,
) -> Result<Outcome<()>, CommandError> {
    let patch = WebhookPatch {
        url_problem: url_problem(c, change.url.as_deref()).await,
        url: change.url,
        name: change.name,
        subscriptions: change.subscriptions,
        inbox_id: change.inbox_id,
        enabled: change.enabled,
    };
    with_retries(|| async {
        let before = c.store.load::<Webhook>(&id.to_string()).await?.aggregate;
        let mut uow = UnitOfWork::new(&c.store);
        let account = Some(account_id.0);
        let command = WebhookCommand::Update { account_id, patch: patch.clone() };
        let after = uow.decide::<Webhook>(&id.to_string(), account, command).await?;
        if after.url != before.url {
            let (new, old) = (claim_id(account_id, &after.url), claim_id(account_id, &before.url));
            let webhook_id = id;
            uow.decide::<WebhookUrlClaim>(&new, account, WebhookUrlClaimCommand::Claim { webhook_id })
                .await?;
            uow.decide::<WebhookUrlClaim>(&old, account, WebhookUrlClaimCommand::Release { webhook_id })
                .await?;
        }
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

/// Deletes the webhook and frees its URL.
pub async fn delete(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: WebhookId,
) -> Result<Outcome<()>, CommandError> {
    with_retries(|| async {
        let mut uow = UnitOfWork::new(&c.store);
        let account = Some(account_id.0);
        let hook =
            uow.decide::<Webhook>(&id.to_string(), account, WebhookCommand::Delete { account_id }).await?;
        let claim = claim_id(account_id, &hook.url);
        uow.decide::<WebhookUrlClaim>(&claim, account, WebhookUrlClaimCommand::Release { webhook_id: id })
            .await?;
        let position = uow.commit(ctx).await?;
        Ok(Outcome { value: (), position })
    })
    .await
}

/// Stops deliveries to a webhook (run by the delivery workers as the
/// system: an endpoint answered 410 Gone or kept failing).
pub async fn disable(
    c: &Commands,
    ctx: &CommandContext,
    account_id: AccountId,
    id: WebhookId,
    reason: String,
) -> Result<Outcome<()>, CommandError> {
    let command = || WebhookCommand::Disable { account_id, reason: reason.clone() };
    let done = execute::<Webhook, _>(&c.store, &id.to_string(), Some(account_id.0), ctx, command).await?;
    Ok(Outcome { value: (), position: done.position })
}

//! Seeding and calling the Client API (`/public/api/v1/inboxes/…`).

use crate::seed::{Tenant, User};
use crate::{Response, TestApp};
use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{json, Value};
use sha2::Sha256;

/// `/public/api/v1/inboxes/{inbox_identifier}{rest}`
pub fn public_path(inbox: &Value, rest: &str) -> String {
    format!("/public/api/v1/inboxes/{}{rest}", inbox["inbox_identifier"].as_str().unwrap())
}

/// The identity hash a backend computes for `identifier`.
pub fn identifier_hash(hmac_token: &str, identifier: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(hmac_token.as_bytes()).unwrap();
    mac.update(identifier.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

impl TestApp {
    /// An unauthenticated call (the Client API has no token).
    pub async fn public(&self, method: Method, path: &str, body: Option<Value>) -> Response {
        self.request(method, path, None, body).await
    }

    /// Creates a contact through the Client API; returns the ClientContact.
    pub async fn client_contact(&self, inbox: &Value, body: Value) -> Value {
        let res = self.public(Method::POST, &public_path(inbox, "/contacts"), Some(body)).await;
        assert_eq!(res.status, 200, "{}", res.text);
        res.json()
    }

    /// Opens a conversation for the contact; returns the ClientConversation.
    pub async fn client_conversation(&self, inbox: &Value, contact: &Value) -> Value {
        let path = public_path(
            inbox,
            &format!("/contacts/{}/conversations", contact["source_id"].as_str().unwrap()),
        );
        let res = self.public(Method::POST, &path, Some(json!({}))).await;
        assert_eq!(res.status, 200, "{}", res.text);
        res.json()
    }

    /// Posts a message as the contact; returns the ClientMessage.
    pub async fn client_message(
        &self,
        inbox: &Value,
        contact: &Value,
        display_id: i64,
        body: Value,
    ) -> Response {
        let path = public_path(
            inbox,
            &format!(
                "/contacts/{}/conversations/{display_id}/messages",
                contact["source_id"].as_str().unwrap()
            ),
        );
        self.public(Method::POST, &path, Some(body)).await
    }

    /// A user's websocket token (from the Platform API user JSON).
    pub async fn pubsub_token(&self, tenant: &Tenant, user: &User) -> String {
        let res = self.get(&format!("/platform/api/v1/users/{}", user.id), &tenant.platform_token).await;
        assert_eq!(res.status, 200, "{}", res.text);
        res.json()["pubsub_token"].as_str().unwrap().to_owned()
    }
}

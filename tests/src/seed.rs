//! Seeding through the API, since events are the truth: tenants with an
//! administrator and an agent, created by a platform app.

use crate::TestApp;
use serde_json::json;

/// A user of a tenant and the token it calls the Application API with.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub token: String,
    pub email: String,
}

/// An account with an administrator and an agent.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub account_id: i64,
    pub admin: User,
    pub agent: User,
    /// The platform app that created it.
    pub platform_token: String,
}

impl Tenant {
    /// `/api/v1/accounts/{account_id}{rest}`
    pub fn path(&self, rest: &str) -> String {
        format!("/api/v1/accounts/{}{rest}", self.account_id)
    }
}

impl TestApp {
    /// Creates a user through the Platform API and adds it to `account_id`.
    pub async fn member(&self, platform_token: &str, account_id: i64, name: &str, role: &str) -> User {
        let email = format!(
            "{}-{}@example.com",
            name.to_lowercase().replace(' ', "."),
            uuid::Uuid::new_v4().simple()
        );
        let user = self
            .post(
                "/platform/api/v1/users",
                platform_token,
                json!({"name": name, "email": email, "password": "Passw0rd!"}),
            )
            .await;
        assert_eq!(user.status, 200, "{}", user.text);
        let user = user.json();
        let id = user["id"].as_i64().unwrap();
        let added = self
            .post(
                &format!("/platform/api/v1/accounts/{account_id}/account_users"),
                platform_token,
                json!({"user_id": id, "role": role}),
            )
            .await;
        assert_eq!(added.status, 200, "{}", added.text);
        User { id, token: user["access_token"].as_str().unwrap().to_owned(), email }
    }

    /// A new account named `name` with an administrator and an agent.
    pub async fn tenant(&self, name: &str) -> Tenant {
        let (_, platform_token) = self.platform_app(&format!("{name} platform app")).await;
        let account = self.post("/platform/api/v1/accounts", &platform_token, json!({"name": name})).await;
        assert_eq!(account.status, 200, "{}", account.text);
        let account_id = account.json()["id"].as_i64().unwrap();
        let admin = self.member(&platform_token, account_id, &format!("{name} Admin"), "administrator").await;
        let agent = self.member(&platform_token, account_id, &format!("{name} Agent"), "agent").await;
        Tenant { account_id, admin, agent, platform_token }
    }
}

impl TestApp {
    /// Creates a contact in `tenant` as its administrator; returns the
    /// contact JSON (`payload.contact`).
    pub async fn contact(&self, tenant: &Tenant, body: serde_json::Value) -> serde_json::Value {
        let res = self.post(&tenant.path("/contacts"), &tenant.admin.token, body).await;
        assert_eq!(res.status, 200, "{}", res.text);
        res.json()["payload"]["contact"].clone()
    }
}

impl TestApp {
    /// Creates an API-channel inbox in `tenant`; returns its JSON.
    pub async fn api_inbox(&self, tenant: &Tenant, name: &str) -> serde_json::Value {
        let body = json!({"name": name, "channel": {"type": "api"}});
        let res = self.post(&tenant.path("/inboxes"), &tenant.admin.token, body).await;
        assert_eq!(res.status, 200, "{}", res.text);
        res.json()
    }

    /// Makes `user_ids` the members of the inbox.
    pub async fn inbox_members(&self, tenant: &Tenant, inbox_id: i64, user_ids: &[i64]) {
        let body = json!({"inbox_id": inbox_id, "user_ids": user_ids});
        let res = self.patch(&tenant.path("/inbox_members"), &tenant.admin.token, body).await;
        assert_eq!(res.status, 200, "{}", res.text);
    }
}

impl TestApp {
    /// Opens a conversation as the tenant's administrator with a new
    /// contact in `inbox_id`; returns the conversation JSON.
    pub async fn conversation(
        &self,
        tenant: &Tenant,
        inbox_id: i64,
        extra: serde_json::Value,
    ) -> serde_json::Value {
        let contact = self
            .contact(tenant, json!({"name": format!("Customer {}", uuid::Uuid::new_v4().simple())}))
            .await;
        let mut body = json!({"inbox_id": inbox_id, "contact_id": contact["id"]});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let res = self.post(&tenant.path("/conversations"), &tenant.admin.token, body).await;
        assert_eq!(res.status, 200, "{}", res.text);
        res.json()
    }
}

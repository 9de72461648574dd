use super::{fixture, keys};
use serde_json::json;

#[tokio::test]
async fn add_list_change_role_and_remove_members() {
    let f = fixture().await;
    let path = format!("/platform/api/v1/accounts/{}/account_users", f.account_id);
    let added = f.app.post(&path, &f.token, json!({"user_id": f.user_id, "role": "agent"})).await;
    assert_eq!(added.status, 200, "{}", added.text);
    let body = added.json();
    assert_eq!(
        keys(&body),
        [
            "id",
            "account_id",
            "user_id",
            "role",
            "inviter_id",
            "active_at",
            "availability",
            "auto_offline",
            "custom_role_id",
            "agent_capacity_policy_id",
            "created_at",
            "updated_at"
        ]
    );
    assert_eq!(body["account_id"], f.account_id);
    assert_eq!(body["user_id"], f.user_id);
    assert_eq!(body["role"], "agent");
    assert_eq!(body["availability"], "online");
    assert_eq!(body["auto_offline"], true);
    assert!(body["created_at"].as_str().unwrap().ends_with('Z'));

    let promoted =
        f.app.post(&path, &f.token, json!({"user_id": f.user_id.to_string(), "role": "administrator"})).await;
    assert_eq!(promoted.json()["role"], "administrator");
    assert_eq!(promoted.json()["id"], body["id"], "an upsert keeps the membership");

    let listed = f.app.get(&path, &f.token).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["role"], "administrator");

    let user = f.app.get(&format!("/platform/api/v1/users/{}", f.user_id), &f.token).await.json();
    assert_eq!(user["account_id"], f.account_id);
    assert_eq!(user["role"], "administrator");
    assert_eq!(
        user["accounts"],
        json!([{"id": f.account_id, "name": "Acme", "active_at": null, "role": "administrator"}])
    );

    let removed = f
        .app
        .request(reqwest::Method::DELETE, &path, Some(&f.token), Some(json!({"user_id": f.user_id})))
        .await;
    assert_eq!(removed.status, 200);
    assert_eq!(removed.text, "");
    assert_eq!(f.app.get(&path, &f.token).await.json(), json!([]));
    // removing a non-member is fine; the user id can also come in the query
    let again = f.app.delete(&format!("{path}?user_id={}", f.user_id), &f.token).await;
    assert_eq!(again.status, 200);
}

#[tokio::test]
async fn bad_members_are_rejected() {
    let f = fixture().await;
    let path = format!("/platform/api/v1/accounts/{}/account_users", f.account_id);
    let before = f.app.event_count().await;
    let unknown = f.app.post(&path, &f.token, json!({"user_id": 999_999, "role": "agent"})).await;
    assert_eq!(unknown.status, 422);
    assert_eq!(unknown.json(), json!({"message": "User must exist", "attributes": ["user"]}));
    let missing = f.app.post(&path, &f.token, json!({"role": "agent"})).await;
    assert_eq!(missing.status, 422);
    let role = f.app.post(&path, &f.token, json!({"user_id": f.user_id, "role": "owner"})).await;
    assert_eq!(role.status, 422);
    assert_eq!(role.json()["attributes"], json!(["role"]));
    let wrong_type = f.app.post(&path, &f.token, json!({"user_id": {"$gt": 0}})).await;
    assert_eq!(wrong_type.status, 422);
    assert_eq!(f.app.event_count().await, before);
    let no_account = f.app.get("/platform/api/v1/accounts/424242/account_users", &f.token).await;
    assert_eq!(no_account.status, 404);
}

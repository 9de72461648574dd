use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn agents_are_listed_by_name_in_the_upstream_shape() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let res = app.get(&a.path("/agents"), &a.agent.token).await;
    assert_eq!(res.status, 200);
    let list = res.json();
    let names: Vec<_> =
        list.as_array().unwrap().iter().map(|x| x["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, ["Alpha Admin", "Alpha Agent"]);
    let admin = &list[0];
    let keys: Vec<_> = admin.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "id",
            "account_id",
            "availability_status",
            "auto_offline",
            "confirmed",
            "email",
            "provider",
            "available_name",
            "name",
            "role",
            "thumbnail"
        ]
    );
    assert_eq!(admin["role"], "administrator");
    assert_eq!(admin["account_id"], a.account_id);
    assert_eq!(admin["availability_status"], "offline", "auto_offline agents without presence are offline");
    assert_eq!(admin["confirmed"], true);
    assert!(!res.text.contains("access_token") && !res.text.contains("pubsub_token"));
}

#[tokio::test]
async fn an_admin_invites_updates_and_removes_an_agent() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let created = app
        .post(
            &a.path("/agents"),
            &a.admin.token,
            json!({"agent": {"name": "Zed", "email": "Zed@Example.com", "role": "agent", "availability": "busy",
                             "auto_offline": false}}),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    let zed = created.json();
    assert_eq!(zed["email"], "zed@example.com");
    assert_eq!(zed["confirmed"], false, "invited users are unconfirmed");
    assert_eq!(zed["availability_status"], "busy");
    assert_eq!(zed["auto_offline"], false);

    let again = app
        .post(&a.path("/agents"), &a.admin.token, json!({"name": "Zed", "email": "zed@example.com"}))
        .await;
    assert_eq!(again.status, 422);
    assert_eq!(again.json(), json!({"message": "User has already been taken", "attributes": ["user"]}));

    let path = a.path(&format!("/agents/{}", zed["id"]));
    let updated = app
        .patch(
            &path,
            &a.admin.token,
            json!({"name": "Zed Z", "role": "administrator", "availability": "online"}),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.json()["name"], "Zed Z");
    assert_eq!(updated.json()["role"], "administrator");
    assert_eq!(updated.json()["availability_status"], "online");

    let bad = app.patch(&path, &a.admin.token, json!({"availability": "available"})).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["attributes"], json!(["availability"]));

    let removed = app.delete(&path, &a.admin.token).await;
    assert_eq!(removed.status, 200);
    assert_eq!(removed.text, "");
    let names = app.get(&a.path("/agents"), &a.admin.token).await.json();
    assert_eq!(names.as_array().unwrap().len(), 2);
    assert_eq!(app.delete(&path, &a.admin.token).await.status, 404);
}

#[tokio::test]
async fn an_existing_user_is_attached_not_duplicated() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let res = app
        .post(&a.path("/agents"), &a.admin.token, json!({"name": "ignored", "email": b.agent.email}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["id"], b.agent.id);
    assert_eq!(res.json()["confirmed"], true);
    // removing them from A keeps the user, who still belongs to B
    app.delete(&a.path(&format!("/agents/{}", b.agent.id)), &a.admin.token).await;
    assert_eq!(app.get(&b.path("/agents"), &b.agent.token).await.status, 200);
}

#[tokio::test]
async fn the_agent_seat_limit_is_402() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    app.patch(
        &format!("/platform/api/v1/accounts/{}", a.account_id),
        &a.platform_token,
        json!({"limits": {"agents": 2}}),
    )
    .await;
    let res = app
        .post(&a.path("/agents"), &a.admin.token, json!({"name": "Third", "email": "third@example.com"}))
        .await;
    assert_eq!(res.status, 402);
    assert_eq!(res.json(), json!({"error": "Account limit exceeded. Please purchase more licenses"}));
}

#[tokio::test]
async fn agents_cannot_manage_agents_and_other_tenants_cannot_touch_them() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let before = app.event_count().await;
    let agent_path = a.path(&format!("/agents/{}", a.admin.id));
    let denied = "You are not authorized to do this action";
    for (method, path, body) in [
        (Method::POST, a.path("/agents"), Some(json!({"name": "X", "email": "x@example.com"}))),
        (Method::PATCH, agent_path.clone(), Some(json!({"role": "agent"}))),
        (Method::DELETE, agent_path.clone(), None),
    ] {
        let res = app.request(method.clone(), &path, Some(&a.agent.token), body.clone()).await;
        assert_eq!(res.status, 401, "{method} {path}");
        assert_eq!(res.json(), json!({"error": denied}));
        let foreign = app.request(method.clone(), &path, Some(&b.admin.token), body.clone()).await;
        assert_eq!(foreign.status, 401, "{method} {path}");
        // B's admin on B's path with A's user id: not found in B
        let cross = b.path(&format!("/agents/{}", a.admin.id));
        if method != Method::POST {
            let res = app.request(method.clone(), &cross, Some(&b.admin.token), body).await;
            assert_eq!(res.status, 404, "{method} {cross}");
        }
    }
    assert_eq!(app.event_count().await, before, "refused requests write nothing");
}

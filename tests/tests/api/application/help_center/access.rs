//! Roles, tenancy and bad input for the help center.

use super::{article, category, portal};
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn agents_read_but_every_write_is_for_administrators() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    portal(&app, &a, "docs").await;
    let c = category(&app, &a, "docs", json!({"name": "One", "slug": "one"})).await;
    let art = article(&app, &a, "docs", json!({"title": "T", "content": "C", "author_id": a.admin.id})).await;
    let (cid, aid) = (c["id"].as_i64().unwrap(), art["id"].as_i64().unwrap());
    for path in [
        "/portals".to_owned(),
        "/portals/docs".into(),
        "/portals/docs/categories".into(),
        format!("/portals/docs/categories/{cid}"),
        "/portals/docs/articles".into(),
        format!("/portals/docs/articles/{aid}"),
    ] {
        assert_eq!(app.get(&a.path(&path), &a.agent.token).await.status, 200, "{path}");
    }
    let events = app.event_count().await;
    let writes: Vec<(Method, String, Option<Value>)> = vec![
        (Method::POST, "/portals".into(), Some(json!({"name": "X", "slug": "x"}))),
        (Method::PATCH, "/portals/docs".into(), Some(json!({"name": "X"}))),
        (Method::PATCH, "/portals/docs/archive".into(), None),
        (Method::DELETE, "/portals/docs".into(), None),
        (Method::POST, "/portals/docs/categories".into(), Some(json!({"name": "X", "slug": "x"}))),
        (Method::PATCH, format!("/portals/docs/categories/{cid}"), Some(json!({"name": "X"}))),
        (Method::DELETE, format!("/portals/docs/categories/{cid}"), None),
        (
            Method::POST,
            "/portals/docs/articles".into(),
            Some(json!({"title": "X", "content": "x", "author_id": a.agent.id})),
        ),
        (Method::PATCH, format!("/portals/docs/articles/{aid}"), Some(json!({"title": "X"}))),
        (Method::DELETE, format!("/portals/docs/articles/{aid}"), None),
        (
            Method::POST,
            "/portals/docs/articles/reorder".into(),
            Some(json!({"positions_hash": {aid.to_string(): 1}})),
        ),
    ];
    for (method, path, body) in writes {
        let res = app.request(method.clone(), &a.path(&path), Some(&a.agent.token), body).await;
        assert_eq!(res.status, 401, "{method} {path}: {}", res.text);
        assert_eq!(res.json()["error"], "You are not authorized to do this action");
    }
    assert_eq!(app.event_count().await, events, "refused writes record nothing");
}

#[tokio::test]
async fn another_account_cannot_reach_or_link_to_the_help_center() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    portal(&app, &a, "alpha-docs").await;
    portal(&app, &b, "beta-docs").await;
    let c = category(&app, &a, "alpha-docs", json!({"name": "Secret", "slug": "secret"})).await;
    let art = article(
        &app,
        &a,
        "alpha-docs",
        json!({"title": "CANARY", "content": "CANARY", "author_id": a.admin.id}),
    )
    .await;
    let (cid, aid) = (c["id"].as_i64().unwrap(), art["id"].as_i64().unwrap());
    let events = app.event_count().await;
    // B's token on A's account: 401 everywhere
    for path in
        ["/portals".to_owned(), "/portals/alpha-docs".into(), format!("/portals/alpha-docs/articles/{aid}")]
    {
        let res = app.get(&a.path(&path), &b.admin.token).await;
        assert_eq!(res.status, 401, "{path}");
        assert!(!res.text.contains("CANARY"));
    }
    let res = app.patch(&a.path("/portals/alpha-docs"), &b.admin.token, json!({"name": "pwned"})).await;
    assert_eq!(res.status, 401);
    // A's slug and ids under B's account: not found
    for path in [
        "/portals/alpha-docs".to_owned(),
        "/portals/alpha-docs/articles".into(),
        format!("/portals/beta-docs/articles/{aid}"),
        format!("/portals/beta-docs/categories/{cid}"),
    ] {
        let res = app.get(&b.path(&path), &b.admin.token).await;
        assert_eq!(res.status, 404, "{path}: {}", res.text);
        assert!(!res.text.contains("CANARY"));
    }
    for (method, path) in [
        (Method::DELETE, format!("/portals/beta-docs/articles/{aid}")),
        (Method::DELETE, format!("/portals/beta-docs/categories/{cid}")),
        (Method::DELETE, "/portals/alpha-docs".to_owned()),
    ] {
        let res = app.request(method, &b.path(&path), Some(&b.admin.token), None).await;
        assert_eq!(res.status, 404, "{path}");
    }
    // linking to A's category, article or agent from B
    for body in [
        json!({"title": "T", "content": "C", "author_id": b.admin.id, "category_id": cid}),
        json!({"title": "T", "content": "C", "author_id": b.admin.id, "associated_article_id": aid}),
        json!({"title": "T", "content": "C", "author_id": a.admin.id}),
    ] {
        let res = app.post(&b.path("/portals/beta-docs/articles"), &b.admin.token, body.clone()).await;
        assert_eq!(res.status, 422, "{body}: {}", res.text);
    }
    let res = app
        .post(
            &b.path("/portals/beta-docs/articles/reorder"),
            &b.admin.token,
            json!({"positions_hash": {aid.to_string(): 1}}),
        )
        .await;
    assert_eq!(res.status, 404);
    // an account_id in the body is ignored
    let res = app
        .post(
            &b.path("/portals"),
            &b.admin.token,
            json!({"portal": {"name": "Mine", "slug": "mine", "account_id": a.account_id}}),
        )
        .await;
    assert_eq!(res.json()["account_id"], b.account_id);
    assert_eq!(app.event_count().await, events + 2, "only B's portal and its slug claim");
    assert_eq!(app.get(&a.path("/portals"), &a.admin.token).await.json()["meta"]["portals_count"], 1);
}

#[tokio::test]
async fn bad_input_is_a_clear_4xx() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    portal(&app, &a, "docs").await;
    let art = article(&app, &a, "docs", json!({"title": "T", "content": "C", "author_id": a.admin.id})).await;
    let token = &a.admin.token;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("/portals", json!({"portal": {"slug": "no-name"}}), "Name can't be blank"),
        ("/portals", json!({"portal": {"name": "X"}}), "Slug can't be blank"),
        (
            "/portals",
            json!({"portal": {"name": "X", "slug": "Bad Slug"}}),
            "Slug may only contain lower-case letters, digits and hyphens",
        ),
        ("/portals", json!({"portal": {"name": 5, "slug": "x"}}), ""),
        (
            "/portals",
            json!({"portal": {"name": "X", "slug": "x", "config": {"theme": "dark"}}}),
            "Config in portal on theme is not supported.",
        ),
        (
            "/portals",
            json!({"portal": {"name": "X", "slug": "x", "config": {"allowed_locales": ["en"], "default_locale": "fr"}}}),
            "Config default_locale must be one of the allowed locales",
        ),
        (
            "/portals",
            json!({"portal": {"name": "X", "slug": "x", "config": {"allowed_locales": ["EN!"]}}}),
            "",
        ),
        (
            "/portals",
            json!({"portal": {"name": "X", "slug": "x"}, "inbox_id": 999999}),
            "Inbox must be a website inbox of this account",
        ),
        ("/portals", json!({"portal": {"name": "X", "slug": "x", "header_text": "a\u{0}b"}}), ""),
        (
            "/portals/docs/articles",
            json!({"title": "T", "content": "C", "author_id": a.admin.id, "status": "bogus"}),
            "Status is not included in the list",
        ),
        (
            "/portals/docs/articles",
            json!({"title": "T", "content": "C", "author_id": a.admin.id, "meta": [1]}),
            "Meta must be an object",
        ),
        (
            "/portals/docs/articles",
            json!({"title": "T", "content": "C", "author_id": a.admin.id, "locale": "de"}),
            "",
        ),
        (
            "/portals/docs/articles",
            json!({"title": "T", "content": "x".repeat(200_001), "author_id": a.admin.id}),
            "",
        ),
        ("/portals/docs/articles", json!({"title": "T", "content": "C", "author_id": "abc"}), ""),
        (
            "/portals/docs/articles",
            json!({"title": "T", "content": "C", "author_id": a.admin.id, "category_id": {"a": 1}}),
            "",
        ),
        ("/portals/docs/articles/reorder", json!({"positions_hash": {"x": 1}}), ""),
        ("/portals/docs/articles/reorder", json!({"positions_hash": [1]}), ""),
        ("/portals/docs/categories", json!({"name": "N", "slug": "n", "related_category_ids": "abc"}), ""),
    ];
    let events = app.event_count().await;
    for (path, body, message) in cases {
        let res = app.post(&a.path(path), token, body.clone()).await;
        assert_eq!(
            res.status,
            422,
            "{path} {}: {}",
            body.to_string().chars().take(200).collect::<String>(),
            res.text
        );
        if !message.is_empty() {
            assert_eq!(res.json()["message"], message, "{path}");
        }
    }
    assert_eq!(app.event_count().await, events, "nothing was written");
    let raw =
        app.raw(Method::POST, &a.path("/portals"), token, "application/json", b"{\"portal\":".to_vec()).await;
    assert_eq!(raw.status, 400);
    assert!(raw.json()["error"].is_string());
    for path in [
        "/portals/nope",
        "/portals/nope/articles",
        "/portals/docs/articles/999999",
        "/portals/docs/articles/abc",
        "/portals/docs/categories/1",
    ] {
        let res = app.get(&a.path(path), token).await;
        assert_eq!(res.status, 404, "{path}");
    }
    let one = a.path(&format!("/portals/docs/articles/{}", art["id"]));
    assert_eq!(app.patch(&one, token, json!({"title": ""})).await.status, 422);
    assert_eq!(app.get(&a.path("/portals/docs/articles?status=bogus"), token).await.status, 422);
}

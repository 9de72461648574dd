//! Portals: shapes, slugs, updates, archive, deletion with contents.

use super::{article, category, portal};
use onelink_tests::TestApp;
use serde_json::json;

#[tokio::test]
async fn portals_are_created_listed_renamed_archived_and_deleted() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let widget = app
        .post(
            &a.path("/inboxes"),
            &a.admin.token,
            json!({"name": "Site", "channel": {"type": "web_widget", "website_url": "https://acme.example"}}),
        )
        .await
        .json();
    let body = json!({"portal": {"name": "Help", "slug": "acme-help", "color": "#1f93ff",
                                 "custom_domain": "https://Help.Acme.example/", "header_text": "How can we help?",
                                 "page_title": "Acme Help", "homepage_link": "https://acme.example",
                                 "config": {"allowed_locales": ["en", "de"], "default_locale": "de"}},
                      "inbox_id": widget["id"]});
    let res = app.post(&a.path("/portals"), &a.admin.token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let p = res.json();
    assert_eq!(p["slug"], "acme-help");
    assert_eq!(p["account_id"], a.account_id);
    assert_eq!(p["custom_domain"], "help.acme.example", "scheme and slash stripped, lower-cased");
    assert_eq!(p["archived"], false);
    assert_eq!(p["inbox"]["id"], widget["id"]);
    assert_eq!(
        p["config"]["allowed_locales"],
        json!([{"code": "en", "articles_count": 0, "categories_count": 0},
               {"code": "de", "articles_count": 0, "categories_count": 0}])
    );
    assert_eq!(p["meta"]["default_locale"], "de");
    assert_eq!(p["meta"]["all_articles_count"], 0);

    portal(&app, &a, "second").await;
    let list = app.get(&a.path("/portals"), &a.agent.token).await.json();
    assert_eq!(list["meta"], json!({"current_page": 1, "portals_count": 2}));
    assert_eq!(list["payload"][0]["slug"], "acme-help");

    let shown = app.get(&a.path("/portals/acme-help"), &a.agent.token).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.json()["page_title"], "Acme Help");

    let res = app
        .patch(
            &a.path("/portals/acme-help"),
            &a.admin.token,
            json!({"portal": {"slug": "acme", "color": null}}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["slug"], "acme");
    assert!(res.json()["color"].is_null());
    assert_eq!(app.get(&a.path("/portals/acme-help"), &a.admin.token).await.status, 404);
    // the old slug is free again, the new one is taken
    portal(&app, &a, "acme-help").await;
    let taken =
        app.post(&a.path("/portals"), &a.admin.token, json!({"portal": {"name": "X", "slug": "acme"}})).await;
    assert_eq!(taken.status, 422);
    assert_eq!(taken.json()["message"], "Slug has already been taken");

    let archived = app.patch(&a.path("/portals/acme/archive"), &a.admin.token, json!({})).await;
    assert_eq!(archived.status, 200);
    assert_eq!(archived.json()["archived"], true);

    // deleting a portal takes its categories and articles, and frees their slugs
    let c = category(&app, &a, "acme", json!({"name": "Billing", "slug": "billing", "locale": "en"})).await;
    let body = json!({"title": "Refunds", "content": "How refunds work", "slug": "refunds",
                      "author_id": a.admin.id, "category_id": c["id"]});
    article(&app, &a, "acme", body.clone()).await;
    assert_eq!(app.delete(&a.path("/portals/acme"), &a.admin.token).await.status, 200);
    assert_eq!(app.get(&a.path("/portals/acme"), &a.admin.token).await.status, 404);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM articles").fetch_one(&app.db).await.unwrap();
    assert_eq!(left, 0);
    let mut again = body;
    again.as_object_mut().unwrap().remove("category_id");
    assert_eq!(article(&app, &a, "second", again).await["slug"], "refunds", "the slug was freed");
}

#[tokio::test]
async fn slugs_and_domains_are_unique_across_the_installation() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let body = json!({"portal": {"name": "Docs", "slug": "docs", "custom_domain": "docs.example.com"}});
    assert_eq!(app.post(&a.path("/portals"), &a.admin.token, body).await.status, 200);
    let same_slug = json!({"portal": {"name": "Docs", "slug": "docs"}});
    let res = app.post(&b.path("/portals"), &b.admin.token, same_slug.clone()).await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["attributes"], json!(["slug"]));
    let same_domain =
        json!({"portal": {"name": "Docs", "slug": "b-docs", "custom_domain": "http://DOCS.example.com"}});
    let res = app.post(&b.path("/portals"), &b.admin.token, same_domain).await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["message"], "Custom domain has already been taken");
    assert_eq!(app.delete(&a.path("/portals/docs"), &a.admin.token).await.status, 200);
    assert_eq!(app.post(&b.path("/portals"), &b.admin.token, same_slug).await.status, 200);

    // article slugs too
    portal(&app, &a, "alpha").await;
    let body = json!({"title": "Hello", "content": "x", "slug": "hello", "author_id": b.admin.id});
    article(&app, &b, "docs", body.clone()).await;
    let mut theirs = body;
    theirs["author_id"] = json!(a.admin.id);
    let res = app.post(&a.path("/portals/alpha/articles"), &a.admin.token, theirs).await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["message"], "Slug has already been taken");
}

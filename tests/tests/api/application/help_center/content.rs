//! Categories and articles: shapes, defaults, listing filters and counts,
//! reordering, category deletion, rebuild equivalence.

use super::{article, category, portal};
use onelink_tests::readmodels::{dump, rebuild_all};
use onelink_tests::TestApp;
use serde_json::{json, Value};

fn ids(list: &Value) -> Vec<i64> {
    list["payload"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn categories_link_to_each_other_and_are_unique_per_locale() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    portal(&app, &a, "docs").await;
    let billing =
        category(&app, &a, "docs", json!({"name": "Billing", "slug": "billing", "position": 2})).await;
    assert_eq!(billing["locale"], "en", "the portal's default locale");
    let setup = category(
        &app,
        &a,
        "docs",
        json!({"category": {"name": "Setup", "slug": "setup", "locale": "en", "position": 1, "icon": "🛠",
                            "description": "Getting started", "related_category_ids": [billing["id"]],
                            "parent_category_id": billing["id"]}}),
    )
    .await;
    assert_eq!(setup["related_categories"][0]["slug"], "billing");
    assert_eq!(setup["parent_category"]["id"], billing["id"]);
    assert_eq!(setup["meta"]["articles_count"], 0);
    for key in ["id", "name", "slug", "locale", "description", "position", "account_id", "icon"] {
        assert!(setup.get(key).is_some(), "{key}");
    }
    // the same slug in another locale is another category; in the same locale it is refused
    category(&app, &a, "docs", json!({"name": "Facturation", "slug": "billing", "locale": "fr"})).await;
    let path = a.path("/portals/docs/categories");
    let res = app.post(&path, &a.admin.token, json!({"name": "B2", "slug": "billing", "locale": "en"})).await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["message"], "Locale should be unique in the category and portal");
    let res = app.post(&path, &a.admin.token, json!({"name": "B3", "slug": "b3", "locale": "de"})).await;
    assert_eq!(res.status, 422, "de is not an allowed locale: {}", res.text);
    let res = app
        .post(&path, &a.admin.token, json!({"name": "B4", "slug": "b4", "related_category_ids": [999999]}))
        .await;
    assert_eq!(res.status, 422);

    let en = app.get(&a.path("/portals/docs/categories?locale=en"), &a.agent.token).await.json();
    assert_eq!(ids(&en), vec![setup["id"].as_i64().unwrap(), billing["id"].as_i64().unwrap()], "by position");
    assert_eq!(en["meta"], json!({"current_page": 1, "categories_count": 2}));
    let all = app.get(&a.path("/portals/docs/categories"), &a.agent.token).await.json();
    assert_eq!(all["meta"]["categories_count"], 3);

    let one = a.path(&format!("/portals/docs/categories/{}", billing["id"]));
    let res = app.patch(&one, &a.admin.token, json!({"category": {"name": "Payments"}})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["payload"]["name"], "Payments");
    assert_eq!(app.get(&one, &a.agent.token).await.json()["payload"]["name"], "Payments");
}

#[tokio::test]
async fn articles_take_defaults_filter_count_reorder_and_outlive_their_category() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    portal(&app, &a, "docs").await;
    let fr = category(&app, &a, "docs", json!({"name": "Aide", "slug": "aide", "locale": "fr"})).await;
    let res = app
        .post(&a.path("/portals/docs/articles"), &a.admin.token, json!({"title": "T", "content": "C"}))
        .await;
    assert_eq!(res.status, 422, "an author is required");
    assert_eq!(res.json()["attributes"], json!(["author"]));

    let first = article(
        &app,
        &a,
        "docs",
        json!({"article": {"title": "Bonjour le monde", "content": "Premier", "author_id": a.agent.id,
                           "category_id": fr["id"], "meta": {"tags": ["x"]}}}),
    )
    .await;
    assert_eq!(first["locale"], "fr", "the category's locale");
    assert_eq!(first["status"], "draft");
    assert_eq!(first["position"], 10);
    assert_eq!(first["category"], json!({"id": fr["id"], "name": "Aide", "slug": "aide", "locale": "fr"}));
    assert_eq!(first["author"]["id"], a.agent.id);
    assert_eq!(first["meta"], json!({"tags": ["x"]}));
    let slug = first["slug"].as_str().unwrap();
    assert!(
        slug.ends_with("-bonjour-le-monde") && slug.split('-').next().unwrap().parse::<i64>().is_ok(),
        "{slug}"
    );
    assert!(first["updated_at"].is_i64());
    let second = article(
        &app,
        &a,
        "docs",
        json!({"title": "Deuxième", "content": "Refund policy", "author_id": a.admin.id, "category_id": fr["id"],
               "status": "published"}),
    )
    .await;
    assert_eq!(second["position"], 20, "after the highest position in the category");
    let third = article(
        &app,
        &a,
        "docs",
        json!({"title": "English", "content": "Body", "description": "about REFUNDS", "author_id": a.admin.id,
               "status": "archived"}),
    )
    .await;
    assert_eq!(third["locale"], "en");

    let list = |q: &str| {
        let app = &app;
        let path = a.path(&format!("/portals/docs/articles{q}"));
        let token = a.agent.token.clone();
        async move { app.get(&path, &token).await.json() }
    };
    let (id1, id2, id3) =
        (first["id"].as_i64().unwrap(), second["id"].as_i64().unwrap(), third["id"].as_i64().unwrap());
    let everything = list("").await;
    assert_eq!(ids(&everything), vec![id3, id2, id1], "most recently updated first");
    assert_eq!(
        everything["meta"],
        json!({"all_articles_count": 3, "archived_articles_count": 1, "articles_count": 3, "current_page": 1,
               "draft_articles_count": 1, "mine_articles_count": 1, "published_count": 1})
    );
    assert_eq!(ids(&list("?category_slug=aide&locale=fr").await), vec![id1, id2], "by position");
    assert_eq!(ids(&list("?status=published").await), vec![id2]);
    assert_eq!(ids(&list(&format!("?author_id={}", a.admin.id)).await), vec![id3, id2]);
    let refunds = list("?query=refund").await;
    assert_eq!(ids(&refunds), vec![id3, id2], "title, description or content");
    assert_eq!(refunds["meta"]["articles_count"], 2);
    assert_eq!(refunds["meta"]["all_articles_count"], 3);
    assert_eq!(list("?locale=en").await["meta"]["all_articles_count"], 1);
    assert_eq!(ids(&list("?category_slug=nope").await), Vec::<i64>::new());
    assert_eq!(ids(&list("?query=%25").await), Vec::<i64>::new(), "% matches literally");
    let portal_json = app.get(&a.path("/portals/docs"), &a.agent.token).await.json();
    assert_eq!(
        portal_json["config"]["allowed_locales"][1],
        json!({"code": "fr", "articles_count": 2, "categories_count": 1})
    );

    let res = app
        .post(
            &a.path("/portals/docs/articles/reorder"),
            &a.admin.token,
            json!({"positions_hash": {id1.to_string(): 30, id2.to_string(): 5}}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(ids(&list("?category_slug=aide").await), vec![id2, id1]);

    let one = a.path(&format!("/portals/docs/articles/{id1}"));
    let res =
        app.patch(&one, &a.admin.token, json!({"article": {"status": "published", "title": "Salut"}})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["payload"]["status"], "published");
    assert_eq!(res.json()["payload"]["slug"], first["slug"], "the slug stays");

    // a deleted category leaves its articles without one
    assert_eq!(
        app.delete(&a.path(&format!("/portals/docs/categories/{}", fr["id"])), &a.admin.token).await.status,
        200
    );
    let shown = app.get(&one, &a.agent.token).await.json();
    assert!(shown["payload"]["category"].is_null());
    let res = app.patch(&one, &a.admin.token, json!({"title": "Salut encore"})).await;
    assert_eq!(res.status, 200);
    assert!(res.json()["payload"]["category"].is_null(), "a later edit does not bring it back");
    assert_eq!(app.delete(&one, &a.admin.token).await.status, 200);
    assert_eq!(app.get(&one, &a.admin.token).await.status, 404);
}

#[tokio::test]
async fn a_rebuild_reproduces_the_help_center_read_models() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    portal(&app, &a, "docs").await;
    portal(&app, &a, "gone").await;
    let c = category(&app, &a, "docs", json!({"name": "One", "slug": "one"})).await;
    let doomed = category(&app, &a, "docs", json!({"name": "Two", "slug": "two"})).await;
    for n in 0..6 {
        let category_id = if n % 2 == 0 { &c["id"] } else { &doomed["id"] };
        article(&app, &a, "docs", json!({"title": format!("A{n}"), "content": "x", "author_id": a.admin.id, "category_id": category_id})).await;
    }
    article(&app, &a, "gone", json!({"title": "G", "content": "x", "author_id": a.admin.id})).await;
    app.patch(&a.path("/portals/docs"), &a.admin.token, json!({"name": "Renamed"})).await;
    app.delete(&a.path(&format!("/portals/docs/categories/{}", doomed["id"])), &a.admin.token).await;
    app.delete(&a.path("/portals/gone"), &a.admin.token).await;
    let before = dump(&app.db).await;
    assert_eq!(before["articles"].as_array().unwrap().len(), 6);
    rebuild_all(&app.db).await;
    let after = dump(&app.db).await;
    for table in ["portals", "categories", "articles"] {
        assert_eq!(before[table], after[table], "{table}");
    }
}

//! `/api/v1/accounts/{account_id}/inboxes`: shapes, updates, deletion,
//! limits and bad input.

use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

pub fn api_inbox(name: &str) -> Value {
    json!({"name": name, "channel": {"type": "api"}})
}

pub fn widget_inbox(name: &str) -> Value {
    json!({"name": name, "channel": {"type": "web_widget", "website_url": "https://acme.example"}})
}

/// Creates an inbox as the tenant's administrator; returns its JSON.
pub async fn create_inbox(app: &TestApp, t: &Tenant, body: Value) -> Value {
    let res = app.post(&t.path("/inboxes"), &t.admin.token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

/// Makes `user_ids` the members of the inbox.
pub async fn set_members(app: &TestApp, t: &Tenant, inbox_id: &Value, user_ids: &[i64]) {
    let body = json!({"inbox_id": inbox_id, "user_ids": user_ids});
    let res = app.patch(&t.path("/inbox_members"), &t.admin.token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
}

pub fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

const COMMON: &[&str] = &[
    "id",
    "avatar_url",
    "channel_id",
    "name",
    "channel_type",
    "greeting_enabled",
    "greeting_message",
    "working_hours_enabled",
    "enable_email_collect",
    "csat_survey_enabled",
    "csat_config",
    "enable_auto_assignment",
    "auto_assignment_config",
    "out_of_office_message",
    "working_hours",
    "timezone",
    "callback_webhook_url",
    "allow_messages_after_resolved",
    "lock_to_single_conversation",
    "sender_name_type",
    "business_name",
    "allowed_domains",
    "widget_color",
    "website_url",
    "hmac_mandatory",
    "welcome_title",
    "welcome_tagline",
    "web_widget_script",
    "website_token",
    "selected_feature_flags",
    "reply_time",
];

fn expected_keys(extra_before_twilio: &[&str], extra_after_twilio: &[&str]) -> Vec<String> {
    let mut all: Vec<&str> = COMMON.to_vec();
    all.extend(extra_before_twilio);
    all.extend(["messaging_service_sid", "phone_number"]);
    all.extend(extra_after_twilio);
    all.push("provider");
    all.into_iter().map(String::from).collect()
}

#[tokio::test]
async fn a_website_widget_inbox_has_the_upstream_shape_and_defaults() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let body = json!({"inbox": {"name": "Website", "greeting_enabled": true, "greeting_message": "Hi!",
        "channel": {"type": "web_widget", "website_url": "https://acme.example", "welcome_title": "Hello",
                    "welcome_tagline": "We reply fast", "reply_time": "in_a_day"}}});
    let inbox = create_inbox(&app, &a, body).await;
    let web_keys = ["hmac_token", "pre_chat_form_enabled", "pre_chat_form_options", "continuity_via_email"];
    assert_eq!(keys(&inbox), expected_keys(&web_keys, &[]));
    assert_eq!(inbox["channel_type"], "Channel::WebWidget");
    assert_eq!(inbox["name"], "Website");
    assert_eq!(inbox["avatar_url"], "");
    assert_eq!(
        (inbox["greeting_enabled"].clone(), inbox["greeting_message"].clone()),
        (json!(true), json!("Hi!"))
    );
    assert_eq!(inbox["widget_color"], "#1f93ff");
    assert_eq!(inbox["website_url"], "https://acme.example");
    assert_eq!(
        (inbox["welcome_title"].clone(), inbox["reply_time"].clone()),
        (json!("Hello"), json!("in_a_day"))
    );
    assert_eq!(inbox["selected_feature_flags"], json!(["attachments", "emoji_picker", "end_conversation"]));
    assert_eq!(inbox["continuity_via_email"], true);
    assert_eq!(inbox["pre_chat_form_enabled"], false);
    assert_eq!(inbox["pre_chat_form_options"]["pre_chat_fields"][0]["name"], "emailAddress");
    assert_eq!(inbox["allowed_domains"], "");
    assert_eq!(inbox["hmac_mandatory"], false);
    assert_eq!(inbox["timezone"], "UTC");
    assert_eq!(inbox["sender_name_type"], "friendly");
    assert_eq!(
        (inbox["enable_email_collect"].clone(), inbox["enable_auto_assignment"].clone()),
        (json!(true), json!(true))
    );
    assert_eq!(inbox["allow_messages_after_resolved"], true);
    let token = inbox["website_token"].as_str().unwrap();
    assert_eq!(token.len(), 24);
    let found = onelink_projections::inboxes::find_by_website_token(&app.db, token).await.unwrap().unwrap();
    assert_eq!((found.account_id, found.id), (a.account_id, inbox["id"].as_i64().unwrap()));
    assert!(onelink_projections::inboxes::find_by_identifier(&app.db, token).await.unwrap().is_none());
    assert!(inbox["web_widget_script"].as_str().unwrap().contains(&format!("websiteToken: '{token}'")));
    assert_eq!(inbox["hmac_token"].as_str().unwrap().len(), 24);
    assert!(inbox["channel_id"].as_i64().unwrap() > 0);
    let days = inbox["working_hours"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    assert_eq!(
        days[1],
        json!({"day_of_week": 1, "closed_all_day": false, "open_hour": 9, "open_minutes": 0, "close_hour": 17,
               "close_minutes": 0, "open_all_day": false})
    );
    assert_eq!(days[0]["closed_all_day"], true);
    assert_eq!(days[0]["open_hour"], json!(null));

    let shown = app.get(&a.path(&format!("/inboxes/{}", inbox["id"])), &a.admin.token).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.json(), inbox);
}

#[tokio::test]
async fn an_api_inbox_shows_its_secret_to_administrators_only_and_never_logs_it() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let body = json!({"name": "Backend", "channel": {"type": "api", "webhook_url": "https://hooks.example/in",
        "hmac_mandatory": true, "additional_attributes": {"agent_reply_time_window": 24}}});
    let inbox = create_inbox(&app, &a, body).await;
    let api_keys = ["webhook_url", "inbox_identifier", "additional_attributes"];
    assert_eq!(keys(&inbox), expected_keys(&["hmac_token"], &api_keys));
    assert_eq!(inbox["channel_type"], "Channel::Api");
    assert_eq!(inbox["webhook_url"], "https://hooks.example/in");
    assert_eq!(inbox["hmac_mandatory"], true);
    assert_eq!(inbox["additional_attributes"], json!({"agent_reply_time_window": 24}));
    assert_eq!(inbox["inbox_identifier"].as_str().unwrap().len(), 24);
    for widget_only in ["widget_color", "website_url", "website_token", "web_widget_script", "reply_time"] {
        assert_eq!(inbox[widget_only], json!(null), "{widget_only}");
    }
    let secret = inbox["hmac_token"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 24);

    let logged: i64 =
        sqlx::query_scalar("SELECT count(*) FROM events WHERE payload::text LIKE '%' || $1 || '%'")
            .bind(&secret)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(logged, 0, "the HMAC secret must not appear in the log");
    let identifier = inbox["inbox_identifier"].as_str().unwrap();
    let found = onelink_projections::inboxes::find_by_identifier(&app.db, identifier).await.unwrap().unwrap();
    assert_eq!(found.account_id, a.account_id);

    set_members(&app, &a, &inbox["id"], &[a.agent.id]).await;
    let as_agent = app.get(&a.path(&format!("/inboxes/{}", inbox["id"])), &a.agent.token).await;
    assert_eq!(as_agent.status, 200);
    assert!(as_agent.json().get("hmac_token").is_none());
    assert!(!as_agent.text.contains(&secret));
    let listed = app.get(&a.path("/inboxes"), &a.agent.token).await;
    assert!(!listed.text.contains(&secret) && !listed.text.contains("hmac_token"));
}

#[tokio::test]
async fn inboxes_are_listed_by_name_and_agents_see_only_their_own() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    for name in ["beta", "Alpha", "gamma"] {
        create_inbox(&app, &a, api_inbox(name)).await;
    }
    let list = app.get(&a.path("/inboxes"), &a.admin.token).await;
    assert_eq!(list.status, 200);
    let names: Vec<_> =
        list.json()["payload"].as_array().unwrap().iter().map(|i| i["name"].clone()).collect();
    assert_eq!(names, [json!("Alpha"), json!("beta"), json!("gamma")]);

    let mine = app.get(&a.path("/inboxes"), &a.agent.token).await;
    assert_eq!(mine.json(), json!({"payload": []}));
    let beta = &list.json()["payload"][1]["id"];
    set_members(&app, &a, beta, &[a.agent.id]).await;
    let mine = app.get(&a.path("/inboxes"), &a.agent.token).await.json();
    assert_eq!(mine["payload"].as_array().unwrap().len(), 1);
    assert_eq!(mine["payload"][0]["name"], "beta");
}

#[tokio::test]
async fn an_update_changes_settings_channel_and_working_hours() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let mut body = widget_inbox("Website");
    body["greeting_message"] = json!("Hello");
    let inbox = create_inbox(&app, &a, body).await;
    assert_eq!(inbox["greeting_message"], "Hello");
    let path = a.path(&format!("/inboxes/{}", inbox["id"]));
    let body = json!({"name": "Site chat", "greeting_message": "null", "timezone": "Europe/Berlin",
        "working_hours_enabled": true, "sender_name_type": "professional", "csat_survey_enabled": true,
        "csat_config": {"message": "Rate us"},
        "channel": {"type": "api", "widget_color": "#000000", "selected_feature_flags": ["emoji_picker"],
                    "hmac_mandatory": true, "webhook_url": "https://ignored.example"},
        "working_hours": [{"day_of_week": 1, "open_hour": 8, "close_hour": 12, "close_minutes": 30},
                          {"day_of_week": 0, "open_all_day": true, "closed_all_day": false}]});
    let res = app.patch(&path, &a.admin.token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let updated = res.json();
    assert_eq!(updated["name"], "Site chat");
    assert_eq!(updated["greeting_message"], json!(null), "the string \"null\" is null, as upstream");
    assert_eq!(
        (updated["timezone"].clone(), updated["sender_name_type"].clone()),
        (json!("Europe/Berlin"), json!("professional"))
    );
    assert_eq!(updated["csat_config"]["message"], "Rate us");
    assert_eq!(updated["csat_config"]["display_type"], "emoji");
    assert_eq!(updated["channel_type"], "Channel::WebWidget", "the channel type cannot change");
    assert_eq!(updated["widget_color"], "#000000");
    assert_eq!(updated["selected_feature_flags"], json!(["emoji_picker"]));
    assert_eq!(updated["hmac_mandatory"], true);
    assert!(updated.get("webhook_url").is_none());
    assert_eq!(updated["website_token"], inbox["website_token"]);
    assert_eq!(updated["hmac_token"], inbox["hmac_token"]);
    let days = updated["working_hours"].as_array().unwrap();
    assert_eq!((days[1]["open_hour"].clone(), days[1]["close_hour"].clone()), (json!(8), json!(12)));
    assert_eq!(days[1]["close_minutes"], 30);
    assert_eq!(days[0]["open_all_day"], true);
    assert_eq!((days[0]["open_hour"].clone(), days[0]["close_hour"].clone()), (json!(0), json!(23)));
    assert_eq!(days[2], inbox["working_hours"][2]);

    let before = app.event_count().await;
    let again = app.put(&path, &a.admin.token, json!({"name": "Site chat"})).await;
    assert_eq!(again.status, 200);
    assert_eq!(app.event_count().await, before, "an update that changes nothing records nothing");
}

#[tokio::test]
async fn bad_input_is_a_clear_4xx_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = create_inbox(&app, &a, api_inbox("Backend")).await;
    let before = app.event_count().await;
    let long_url = format!("https://hooks.example/{}", "a".repeat(2048));
    let create = a.path("/inboxes");
    let update = a.path(&format!("/inboxes/{}", inbox["id"]));
    for (path, body, expected) in [
        (&create, json!({"name": "x"}), json!({"message": "Channel must exist", "attributes": ["channel"]})),
        (
            &create,
            json!({"name": "x", "channel": {"type": "email"}}),
            json!({"message": "Channel must exist", "attributes": ["channel"]}),
        ),
        (
            &create,
            json!({"name": "x", "channel": {"type": "web_widget"}}),
            json!({"message": "Website url can't be blank", "attributes": ["website_url"]}),
        ),
        (
            &create,
            json!({"name": "", "channel": {"type": "api", "webhook_url": long_url}}),
            json!({"message": "Name can't be blank, Webhook url is too long (maximum is 2048 characters)",
                   "attributes": ["name", "webhook_url"]}),
        ),
        (
            &create,
            json!({"name": "x", "timezone": "Mars/Olympus", "channel": {"type": "api"}}),
            json!({"message": "Timezone is not included in the list", "attributes": ["timezone"]}),
        ),
        (
            &update,
            json!({"channel": {"webhook_url": "ftp://files.example"}}),
            json!({"message": "Webhook url is invalid", "attributes": ["webhook_url"]}),
        ),
        (
            &update,
            json!({"working_hours": [{"day_of_week": 1, "open_hour": 18}]}),
            json!({"message": "Working hours of day 1: closing time cannot be before opening time",
                   "attributes": ["working_hours"]}),
        ),
        (
            &update,
            json!({"working_hours": [{"day_of_week": 7}]}),
            json!({"message": "Working hours day of week must be between 0 and 6", "attributes": ["working_hours"]}),
        ),
    ] {
        let res = app
            .request(
                if *path == create { Method::POST } else { Method::PATCH },
                path,
                Some(&a.admin.token),
                Some(body.clone()),
            )
            .await;
        assert_eq!(res.status, 422, "{body}: {}", res.text);
        assert_eq!(res.json(), expected, "{body}");
    }
    for (body, attribute) in [
        (json!({"name": 5, "channel": {"type": "api"}}), "name"),
        (json!({"name": "x", "greeting_enabled": "yes", "channel": {"type": "api"}}), "greeting_enabled"),
        (json!({"name": "x", "channel": "api"}), "channel"),
        (json!({"name": "x", "channel": {"type": "api", "additional_attributes": [1]}}), "channel"),
    ] {
        let res = app.post(&create, &a.admin.token, body.clone()).await;
        assert_eq!(res.status, 422, "{body}: {}", res.text);
        assert_eq!(res.json()["attributes"], json!([attribute]), "{body}");
    }
    let malformed =
        app.raw(Method::POST, &create, &a.admin.token, "application/json", b"{\"name\":".to_vec()).await;
    assert_eq!(malformed.status, 400);
    assert!(malformed.json()["error"].is_string());
    assert_eq!(app.event_count().await, before, "refused requests write nothing");
}

#[tokio::test]
async fn unknown_or_non_numeric_inboxes_are_not_found() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let not_found = json!({"error": "Resource could not be found"});
    for path in ["/inboxes/999999", "/inboxes/abc", "/inboxes/999999/agent_bot", "/inbox_members/999999"] {
        let res = app.get(&a.path(path), &a.admin.token).await;
        assert_eq!(res.status, 404, "{path}");
        assert_eq!(res.json(), not_found, "{path}");
    }
    let res = app.patch(&a.path("/inboxes/999999"), &a.admin.token, json!({"name": "x"})).await;
    assert_eq!(res.status, 404);
    assert_eq!(app.delete(&a.path("/inboxes/999999/avatar"), &a.admin.token).await.status, 404);
}

#[tokio::test]
async fn deleting_an_inbox_answers_like_upstream_and_removes_it() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = create_inbox(&app, &a, widget_inbox("Website")).await;
    let path = a.path(&format!("/inboxes/{}", inbox["id"]));
    set_members(&app, &a, &inbox["id"], &[a.agent.id]).await;

    let avatar = app.delete(&format!("{path}/avatar"), &a.admin.token).await;
    assert_eq!(avatar.status, 200);
    assert_eq!(app.get(&path, &a.admin.token).await.json()["avatar_url"], "");

    let deleted = app.delete(&path, &a.admin.token).await;
    assert_eq!(deleted.status, 200);
    assert_eq!(
        deleted.json(),
        json!({"message": "Your inbox deletion request will be processed in some time."})
    );
    assert_eq!(app.get(&path, &a.admin.token).await.status, 404);
    assert_eq!(app.get(&a.path("/inboxes"), &a.admin.token).await.json(), json!({"payload": []}));
    assert_eq!(app.delete(&path, &a.admin.token).await.status, 404);
    let members: i64 = sqlx::query_scalar("SELECT count(*) FROM inbox_members WHERE inbox_id = $1")
        .bind(inbox["id"].as_i64())
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(members, 0);
}

#[tokio::test]
async fn the_inbox_limit_is_402() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let limits = app
        .patch(
            &format!("/platform/api/v1/accounts/{}", a.account_id),
            &a.platform_token,
            json!({"limits": {"inboxes": 1}}),
        )
        .await;
    assert_eq!(limits.status, 200);
    create_inbox(&app, &a, api_inbox("One")).await;
    let before = app.event_count().await;
    let res = app.post(&a.path("/inboxes"), &a.admin.token, api_inbox("Two")).await;
    assert_eq!(res.status, 402);
    assert_eq!(res.json(), json!({"error": "Account limit exceeded. Upgrade to a higher plan"}));
    assert_eq!(app.event_count().await, before);
}

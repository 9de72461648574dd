//! Who may read reports, and bad parameters.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_administrators_of_the_account_read_reports_and_bad_parameters_are_422() {
    let app = spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let inbox = app.api_inbox(&a, "Support").await["id"].as_i64().unwrap();
    let foreign_inbox = app.api_inbox(&b, "Theirs").await["id"].as_i64().unwrap();
    let (d0, d1) = (day0(), t(1, 0, 0));
    let good = format!("/summary?type=account&{}", range(d0, d1));
    assert_eq!(report(&app, &a, &a.admin, &good).await.status, 200);
    for rest in [
        good.clone(),
        format!("?metric=conversations_count&type=account&{}", range(d0, d1)),
        "/conversations?type=account".to_owned(),
    ] {
        let res = report(&app, &a, &a.agent, &rest).await;
        assert_eq!(res.status, 401, "agent on {rest}: {}", res.text);
        // another account's administrator is not a member here
        let res = report(&app, &a, &b.admin, &rest).await;
        assert_eq!(res.status, 401, "foreign admin on {rest}: {}", res.text);
    }
    let live = app
        .get(&format!("/api/v2/accounts/{}/live_reports/conversation_metrics", a.account_id), &a.agent.token)
        .await;
    assert_eq!(live.status, 401);

    let cases = [
        (format!("/summary?{}", range(d0, d1)), 422),
        (format!("/summary?type=planet&{}", range(d0, d1)), 422),
        (format!("/summary?type=inbox&{}", range(d0, d1)), 422),
        (format!("/summary?type=inbox&id={foreign_inbox}&{}", range(d0, d1)), 404),
        (format!("/summary?type=inbox&id=999999&{}", range(d0, d1)), 404),
        (format!("/summary?type=agent&id={}&{}", b.admin.id, range(d0, d1)), 404),
        (format!("/summary?type=team&id=abc&{}", range(d0, d1)), 404),
        (format!("/summary?type=account&{}", range(d1, d0)), 422),
        ("/summary?type=account&since=yesterday&until=1".to_owned(), 422),
        ("/summary?type=account&since=1e300&until=1".to_owned(), 422),
        (format!("/summary?type=account&{}", range(d0, d0 + Duration::days(4000))), 422),
        (format!("?metric=everything&type=account&{}", range(d0, d1)), 422),
        (format!("?type=account&{}", range(d0, d1)), 422),
        (
            format!(
                "?metric=conversations_count&type=account&group_by=hour&{}",
                range(d0, d0 + Duration::days(500))
            ),
            422,
        ),
        ("/conversations".to_owned(), 422),
    ];
    for (rest, status) in cases {
        let res = report(&app, &a, &a.admin, &rest).await;
        assert_eq!(res.status, status, "{rest}: {}", res.text);
        assert!(res.json().is_object(), "{rest}: a JSON error body");
    }
    let grouped = format!(
        "/api/v2/accounts/{}/live_reports/grouped_conversation_metrics?group_by=planet",
        a.account_id
    );
    let res = app.get(&grouped, &a.admin.token).await;
    assert_eq!((res.status, res.json()), (422, json!({"error": "invalid group_by"})));

    // the same inbox in its own account works; no range means nothing to report
    let q = format!("/summary?type=inbox&id={inbox}");
    let empty = ok(report(&app, &a, &a.admin, &q).await);
    assert_eq!(empty["conversations_count"], 0);
    assert_eq!(empty["avg_first_response_time"], Value::Null);
    let none = ok(report(&app, &a, &a.admin, "?metric=conversations_count&type=account").await);
    assert_eq!(none, json!([]));
}

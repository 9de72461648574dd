//! The scripted history and every metric it must produce.

use super::*;
use onelink_tests::readmodels::{dump, rebuild_all};

/// A fact the script implies, written down by hand from the upstream's
/// rules: (time, metric, seconds, inbox, agent it counts for, conversation).
#[derive(Debug, Clone)]
struct Expect {
    at: DateTime<Utc>,
    metric: &'static str,
    secs: f64,
    /// Seconds inside business hours (Mon–Fri 09–17 UTC on inbox 1).
    bh: f64,
    inbox: usize,
    agent: Option<i64>,
    conversation: usize,
}

struct World {
    app: TestApp,
    a: Tenant,
    agent2: User,
    inboxes: [i64; 2],
    team: i64,
    conversations: Vec<i64>,
    facts: Vec<Expect>,
}

fn sums(
    facts: &[Expect],
    metric: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    keep: &dyn Fn(&Expect) -> bool,
) -> (i64, f64, f64) {
    facts
        .iter()
        .filter(|f| f.metric == metric && f.at >= from && f.at < to && keep(f))
        .fold((0, 0.0, 0.0), |(n, s, b), f| (n + 1, s + f.secs, b + f.bh))
}

/// The summary JSON the facts imply for `[from, to)`.
fn summary(
    facts: &[Expect],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    keep: &dyn Fn(&Expect) -> bool,
    bh: bool,
) -> Value {
    let figures = |from, to| {
        let count = |m| sums(facts, m, from, to, keep).0;
        let avg = |m| {
            let (n, s, b) = sums(facts, m, from, to, keep);
            if n == 0 {
                Value::Null
            } else {
                json!((if bh { b } else { s }) / n as f64)
            }
        };
        json!({
            "conversations_count": count("created"),
            "incoming_messages_count": count("incoming"),
            "outgoing_messages_count": count("outgoing"),
            "avg_first_response_time": avg("first_response"),
            "avg_resolution_time": avg("resolved"),
            "resolutions_count": count("resolved"),
            "reply_time": avg("reply_time"),
        })
    };
    let mut current = figures(from, to);
    current["previous"] = figures(from - (to - from), from);
    current
}

/// Plays the script. Agent 1 is the tenant's agent; inbox 2 has a bot.
async fn play() -> World {
    let app = spawn().await;
    let a = app.tenant("Reports").await;
    let agent2 = app.member(&a.platform_token, a.account_id, "Second Agent", "agent").await;
    let (admin, a1, a2) = (a.admin.token.clone(), a.agent.token.clone(), agent2.token.clone());
    let i1 = app.api_inbox(&a, "Email-ish").await["id"].as_i64().unwrap();
    let i2 = app.api_inbox(&a, "Bot desk").await["id"].as_i64().unwrap();
    for inbox in [i1, i2] {
        app.inbox_members(&a, inbox, &[a.agent.id, agent2.id]).await;
    }
    let res =
        app.patch(&a.path(&format!("/inboxes/{i1}")), &admin, json!({"working_hours_enabled": true})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let bot = app.post(&a.path("/agent_bots"), &admin, json!({"name": "Triage"})).await.json();
    let bot_token = bot["access_token"].as_str().unwrap().to_owned();
    let res = app
        .post(&a.path(&format!("/inboxes/{i2}/set_agent_bot")), &admin, json!({"agent_bot": bot["id"]}))
        .await;
    assert!(res.status < 300, "{}", res.text);
    let team =
        app.post(&a.path("/teams"), &admin, json!({"name": "Billing"})).await.json()["id"].as_i64().unwrap();
    let res = app
        .post(
            &a.path(&format!("/teams/{team}/team_members")),
            &admin,
            json!({"user_ids": [a.agent.id, agent2.id]}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);

    let mut w =
        World { app, a, agent2, inboxes: [i1, i2], team, conversations: Vec::new(), facts: Vec::new() };
    let (u1, u2, admin_id) = (w.a.agent.id, w.agent2.id, w.a.admin.id);
    let app = &w.app;
    let path = |rest: &str| w.a.path(rest);
    let mut conversations = Vec::new();
    let create = async |when, inbox: i64, extra: Value| {
        let mut body = json!({"inbox_id": inbox, "contact_id": contact_id(app, &w.a).await});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let c = at(app, when, Method::POST, &path("/conversations"), &admin, body).await.json();
        c["id"].as_i64().unwrap()
    };
    let c1 = create(t(0, 10, 0), i1, json!({"assignee_id": u1, "team_id": team})).await;
    let c2 = create(t(0, 23, 0), i2, json!({"status": "pending"})).await;
    let c3 = create(t(2, 5, 0), i2, json!({"status": "pending"})).await;
    let c4 = create(t(2, 22, 30), i1, json!({"team_id": team})).await;
    conversations.extend([c1, c2, c3, c4]);
    let say = async |when, c: i64, token: &str, kind: &str| {
        let body = json!({"content": format!("{kind} at {when}"), "message_type": kind});
        at(app, when, Method::POST, &path(&format!("/conversations/{c}/messages")), token, body).await;
    };
    let status = async |when, c: i64, token: &str, s: &str| {
        at(
            app,
            when,
            Method::POST,
            &path(&format!("/conversations/{c}/toggle_status")),
            token,
            json!({"status": s}),
        )
        .await;
    };
    // conversation 1: replies, a resolution, a reopening, another resolution
    say(t(0, 10, 5), c1, &admin, "incoming").await;
    say(t(0, 10, 20), c1, &a1, "outgoing").await;
    say(t(0, 11, 0), c1, &admin, "incoming").await;
    say(t(0, 11, 30), c1, &admin, "outgoing").await;
    status(t(0, 12, 0), c1, &admin, "resolved").await;
    status(t(1, 9, 0), c1, &admin, "open").await;
    say(t(1, 9, 10), c1, &admin, "incoming").await;
    say(t(1, 9, 40), c1, &a1, "outgoing").await;
    status(t(1, 10, 0), c1, &admin, "resolved").await;
    // conversation 2: the bot hands over, agent 2 takes it
    say(t(0, 23, 10), c2, &admin, "incoming").await;
    status(t(1, 1, 0), c2, &bot_token, "open").await;
    let assign = json!({"assignee_id": u2});
    at(app, t(1, 2, 0), Method::POST, &path(&format!("/conversations/{c2}/assignments")), &admin, assign)
        .await;
    say(t(1, 2, 30), c2, &a2, "outgoing").await;
    status(t(1, 3, 0), c2, &admin, "resolved").await;
    // conversation 3: the bot answers and resolves on its own
    say(t(2, 5, 1), c3, &bot_token, "outgoing").await;
    status(t(2, 5, 30), c3, &bot_token, "resolved").await;
    // conversation 4: waiting, unassigned
    say(t(2, 22, 40), c4, &admin, "incoming").await;

    let f = |at, metric, secs: f64, bh: f64, inbox, agent, conversation| Expect {
        at,
        metric,
        secs,
        bh,
        inbox,
        agent,
        conversation,
    };
    w.facts = vec![
        f(t(0, 10, 0), "created", 0.0, 0.0, 0, Some(u1), 0),
        f(t(0, 10, 5), "incoming", 0.0, 0.0, 0, None, 0),
        f(t(0, 10, 20), "outgoing", 0.0, 0.0, 0, Some(u1), 0),
        f(t(0, 10, 20), "first_response", 1200.0, 1200.0, 0, Some(u1), 0),
        f(t(0, 11, 0), "incoming", 0.0, 0.0, 0, None, 0),
        f(t(0, 11, 30), "outgoing", 0.0, 0.0, 0, Some(admin_id), 0),
        // reply time counts for the assignee, not the replier
        f(t(0, 11, 30), "reply_time", 1800.0, 1800.0, 0, Some(u1), 0),
        f(t(0, 12, 0), "resolved", 7200.0, 7200.0, 0, Some(u1), 0),
        f(t(1, 9, 10), "incoming", 0.0, 0.0, 0, None, 0),
        f(t(1, 9, 40), "outgoing", 0.0, 0.0, 0, Some(u1), 0),
        f(t(1, 9, 40), "reply_time", 1800.0, 1800.0, 0, Some(u1), 0),
        // created Monday 10:00, resolved Tuesday 10:00: 7 h + 1 h in business hours
        f(t(1, 10, 0), "resolved", 86400.0, 28800.0, 0, Some(u1), 0),
        // conversation 2 counts for its current assignee
        f(t(0, 23, 0), "created", 0.0, 0.0, 1, Some(u2), 1),
        f(t(0, 23, 10), "incoming", 0.0, 0.0, 1, None, 1),
        f(t(1, 1, 0), "bot_handoff", 7200.0, 0.0, 1, None, 1),
        f(t(1, 2, 30), "outgoing", 0.0, 0.0, 1, Some(u2), 1),
        // from the hand-off, the last non-human activity
        f(t(1, 2, 30), "first_response", 5400.0, 0.0, 1, Some(u2), 1),
        f(t(1, 3, 0), "resolved", 14400.0, 0.0, 1, Some(u2), 1),
        f(t(2, 5, 0), "created", 0.0, 0.0, 1, None, 2),
        f(t(2, 5, 1), "outgoing", 0.0, 0.0, 1, None, 2),
        f(t(2, 5, 30), "resolved", 1800.0, 0.0, 1, None, 2),
        f(t(2, 5, 30), "bot_resolved", 1800.0, 0.0, 1, None, 2),
        f(t(2, 22, 30), "created", 0.0, 0.0, 0, None, 3),
        f(t(2, 22, 40), "incoming", 0.0, 0.0, 0, None, 3),
    ];
    w.conversations = conversations;
    w
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_metric_matches_the_script() {
    let w = play().await;
    let (app, a) = (&w.app, &w.a);
    let all = |_: &Expect| true;
    let (d0, d3) = (day0(), t(3, 0, 0));

    // account, whole range and a range cut mid-hour at both ends
    for (from, to) in [(d0, d3), (t(0, 10, 10), t(1, 9, 45)), (t(1, 0, 0), t(2, 23, 0))] {
        let got = ok(report(app, a, &a.admin, &format!("/summary?type=account&{}", range(from, to))).await);
        assert_eq!(got, summary(&w.facts, from, to, &all, false), "account {from}..{to}");
    }
    // per agent (including the administrator, who only replied once)
    for user in [&a.agent, &w.agent2, &a.admin] {
        let id = user.id;
        let q = format!("/summary?type=agent&id={id}&{}", range(d0, d3));
        let mine = move |f: &Expect| f.agent == Some(id);
        assert_eq!(
            ok(report(app, a, &a.admin, &q).await),
            summary(&w.facts, d0, d3, &mine, false),
            "agent {id}"
        );
    }
    // per inbox, plain and in business hours
    for (i, inbox) in w.inboxes.iter().enumerate() {
        let here = move |f: &Expect| f.inbox == i;
        for bh in [false, true] {
            let q = format!("/summary?type=inbox&id={inbox}&business_hours={bh}&{}", range(d0, d3));
            assert_eq!(
                ok(report(app, a, &a.admin, &q).await),
                summary(&w.facts, d0, d3, &here, bh),
                "inbox {i} bh={bh}"
            );
        }
    }
    // bots
    let bots = ok(report(
        app,
        a,
        &a.admin,
        &format!("/bot_summary?type=inbox&id={}&{}", w.inboxes[1], range(d0, d3)),
    )
    .await);
    assert_eq!(
        bots,
        json!({"bot_resolutions_count": 1, "bot_handoffs_count": 1,
               "previous": {"bot_resolutions_count": 0, "bot_handoffs_count": 0}})
    );
    let series =
        ok(report(app, a, &a.admin, &format!("?metric=bot_handoffs_count&type=account&{}", range(d0, d3)))
            .await);
    assert_eq!(
        series.as_array().unwrap().iter().map(|p| p["value"].as_i64().unwrap()).collect::<Vec<_>>(),
        [0, 1, 0]
    );

    // timeseries per day in three time zones, every metric
    for offset in [0.0, 5.5, -8.0] {
        let shift = Duration::seconds((offset * 3600.0) as i64);
        for (name, fact, average) in [
            ("conversations_count", "created", false),
            ("incoming_messages_count", "incoming", false),
            ("outgoing_messages_count", "outgoing", false),
            ("resolutions_count", "resolved", false),
            ("avg_resolution_time", "resolved", true),
            ("avg_first_response_time", "first_response", true),
            ("reply_time", "reply_time", true),
            ("bot_resolutions_count", "bot_resolved", false),
        ] {
            let q = format!(
                "?metric={name}&type=account&group_by=day&timezone_offset={offset}&{}",
                range(d0, d3)
            );
            let got = ok(report(app, a, &a.admin, &q).await);
            // independent bucketing: local midnights, clipped to the range
            let first_local_day = (d0 + shift).date_naive();
            let mut expected = Vec::new();
            let mut start = first_local_day.and_hms_opt(0, 0, 0).unwrap().and_utc() - shift;
            while start < d3 {
                let (from, to) = (start.max(d0), (start + Duration::days(1)).min(d3));
                let (n, s, _) = sums(&w.facts, fact, from, to, &all);
                expected.push(if average {
                    json!({"value": if n == 0 { 0.0 } else { s / n as f64 }, "timestamp": start.timestamp(), "count": n})
                } else {
                    json!({"value": n, "timestamp": start.timestamp()})
                });
                start += Duration::days(1);
            }
            assert_eq!(got, Value::Array(expected), "{name} at offset {offset}");
        }
    }

    // live counts: only conversation 4 is open (unanswered, unassigned)
    let live = ok(report(app, a, &a.admin, "/conversations?type=account").await);
    assert_eq!(live, json!({"open": 1, "unattended": 1, "unassigned": 1, "pending": 0}));
    let agents = ok(report(app, a, &a.admin, "/conversations?type=agent").await);
    assert_eq!(agents.as_array().unwrap().len(), 3);
    assert!(agents.as_array().unwrap().iter().all(|x| x["metric"] == json!({"open": 0, "unattended": 0})));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn team_reports_follow_current_membership_and_rebuild_identically() {
    let w = play().await;
    let (app, a) = (&w.app, &w.a);
    let (d0, d3) = (day0(), t(3, 0, 0));
    let q = format!("/summary?type=team&id={}&{}", w.team, range(d0, d3));
    let in_team = |members: Vec<usize>| move |f: &Expect| members.contains(&f.conversation);
    assert_eq!(
        ok(report(app, a, &a.admin, &q).await),
        summary(&w.facts, d0, d3, &in_team(vec![0, 3]), false)
    );

    // conversation 2 joins the team: its whole history moves with it
    let c2 = w.conversations[1];
    let res = app
        .post(
            &a.path(&format!("/conversations/{c2}/assignments")),
            &a.admin.token,
            json!({"team_id": w.team}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        ok(report(app, a, &a.admin, &q).await),
        summary(&w.facts, d0, d3, &in_team(vec![0, 1, 3]), false)
    );

    // labels: the catalogue names the label by id, conversations by title
    let label = app.post(&a.path("/labels"), &a.admin.token, json!({"title": "vip"})).await;
    assert_eq!(label.status, 200, "{}", label.text);
    let lq = format!("/summary?type=label&id={}&{}", label.json()["id"], range(d0, d3));
    let tag = async |c: i64, labels: Value| {
        let res = app
            .post(&a.path(&format!("/conversations/{c}/labels")), &a.admin.token, json!({"labels": labels}))
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
    };
    tag(w.conversations[0], json!(["vip"])).await;
    tag(w.conversations[2], json!(["vip", "other"])).await;
    assert_eq!(
        ok(report(app, a, &a.admin, &lq).await),
        summary(&w.facts, d0, d3, &in_team(vec![0, 2]), false)
    );
    tag(w.conversations[0], json!([])).await;
    assert_eq!(ok(report(app, a, &a.admin, &lq).await), summary(&w.facts, d0, d3, &in_team(vec![2]), false));
    let series =
        format!("?metric=conversations_count&type=label&id={}&{}", label.json()["id"], range(d0, d3));
    let values: Vec<i64> = ok(report(app, a, &a.admin, &series).await)
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].as_i64().unwrap())
        .collect();
    assert_eq!(values, [0, 0, 1]);

    // a rebuild from the log gives the same tables and the same answers
    let before = dump(&app.db).await;
    let answer = ok(report(app, a, &a.admin, &q).await);
    rebuild_all(&app.db).await;
    let after = dump(&app.db).await;
    for table in ["report_conversations", "report_inboxes", "report_facts", "report_hourly"] {
        assert_eq!(before[table], after[table], "{table} differs after a rebuild");
        assert_ne!(before[table], json!([]), "{table} is empty");
    }
    assert_eq!(ok(report(app, a, &a.admin, &q).await), answer);
}

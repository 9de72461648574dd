//! `GET /contacts/search`

use super::{name_set, names};
use onelink_tests::TestApp;
use serde_json::json;

#[tokio::test]
async fn search_matches_each_field_and_identifiers_case_sensitively() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let seed = [
        json!({"name": "Grace Hopper", "email": "grace@navy.mil"}),
        json!({"name": "Alan", "email": "alan@bletchley.uk", "phone_number": "+441234567"}),
        json!({"name": "Idris", "identifier": "CUST-Xy9"}),
        json!({"name": "Corp", "email": "corp@example.com", "additional_attributes": {"company_name": "Initech"}}),
        json!({"name": "Grace Visitor"}),
        json!({"name": "Literal", "email": "fifty%off@example.com"}),
    ];
    for body in seed {
        app.contact(&a, body).await;
    }
    let search = |q: &str| {
        let path = a.path(&format!("/contacts/search?q={}", url_encode(q)));
        let token = a.agent.token.clone();
        let app = &app;
        async move { app.get(&path, &token).await }
    };
    for (q, expected) in [
        ("grace", vec!["Grace Hopper"]),
        ("NAVY", vec!["Grace Hopper"]),
        ("4412", vec!["Alan"]),
        ("Xy9", vec!["Idris"]),
        ("xy9", vec![]),
        ("INITECH", vec!["Corp"]),
        ("  alan  ", vec!["Alan"]),
        ("%", vec!["Literal"]),
        ("_", vec![]),
    ] {
        let res = search(q).await;
        assert_eq!(res.status, 200, "{q}: {}", res.text);
        let body = res.json();
        assert_eq!(name_set(&body), expected, "q={q:?}");
        assert_eq!(body["meta"]["count"], expected.len(), "q={q:?}");
        assert_eq!(body["meta"]["current_page"], 1);
    }
    for q in ["", "   "] {
        let res = search(q).await;
        assert_eq!(res.status, 422);
        assert_eq!(res.json(), json!({"error": "Specify search string with parameter q"}));
    }
    let res = app.get(&a.path("/contacts/search"), &a.agent.token).await;
    assert_eq!(res.status, 422);
}

/// Substrings long enough for the trigram indexes (three characters and
/// more), anywhere in a field, in any case; LIKE's wildcards and escape
/// character are plain characters.
#[tokio::test]
async fn search_finds_substrings_of_every_field_and_takes_wildcards_literally() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let seed = [
        json!({"name": "Ada Lovelace", "email": "countess@analytical.engine"}),
        json!({"name": "Bob", "phone_number": "+442071234567"}),
        json!({"name": "Carol", "identifier": "Order-ABC-42"}),
        json!({"name": "Dan", "email": "dan@example.com", "additional_attributes": {"company_name": "Globex Corporation"}}),
        json!({"name": "Percent", "email": "save50%now@example.com"}),
        json!({"name": "Under", "email": "first_last@example.com"}),
        json!({"name": "Underx", "email": "firstxlast@example.com"}),
        json!({"name": "Slash", "identifier": "a\\b\\c"}),
        json!({"name": "Lovelace Visitor"}),
    ];
    for body in seed {
        app.contact(&a, body).await;
    }
    let other = app.tenant("Other").await;
    app.contact(&other, json!({"name": "Ada Elsewhere", "email": "ada@other.example"})).await;
    for (q, expected) in [
        ("LOVELACE", vec!["Ada Lovelace"]),
        ("ada lov", vec!["Ada Lovelace"]),
        ("ANALYTICAL.eng", vec!["Ada Lovelace"]),
        ("2071234", vec!["Bob"]),
        ("+4420", vec!["Bob"]),
        ("der-ABC", vec!["Carol"]),
        ("der-abc", vec![]),
        ("obex corp", vec!["Dan"]),
        ("50%now", vec!["Percent"]),
        ("50%", vec!["Percent"]),
        ("e50_now", vec![]),
        ("first_last", vec!["Under"]),
        ("t_l", vec!["Under"]),
        ("a\\b", vec!["Slash"]),
        ("a%c", vec![]),
        ("ada", vec!["Ada Lovelace"]),
        ("zzzzzz", vec![]),
    ] {
        let path = a.path(&format!("/contacts/search?q={}", url_encode(q)));
        let res = app.get(&path, &a.agent.token).await;
        assert_eq!(res.status, 200, "{q}: {}", res.text);
        let body = res.json();
        assert_eq!(name_set(&body), expected, "q={q:?}");
        assert_eq!(body["meta"]["count"], expected.len(), "q={q:?}");
    }
}

#[tokio::test]
async fn search_pages_sorts_and_honours_labels() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    for i in 0..17 {
        let c = app
            .contact(&a, json!({"name": format!("Match {i:02}"), "email": format!("m{i}@example.com")}))
            .await;
        if i % 2 == 0 {
            let path = a.path(&format!("/contacts/{}/labels", c["id"]));
            app.post(&path, &a.agent.token, json!({"labels": ["even"]})).await;
        }
    }
    let page2 = app.get(&a.path("/contacts/search?q=match&page=2&sort=-name"), &a.agent.token).await.json();
    assert_eq!(page2["meta"], json!({"count": 17, "current_page": "2"}));
    assert_eq!(names(&page2), ["Match 01", "Match 00"]);
    let even = app.get(&a.path("/contacts/search?q=match&labels[]=even"), &a.agent.token).await.json();
    assert_eq!(even["meta"]["count"], 9);
}

fn url_encode(value: &str) -> String {
    value.bytes().map(|b| format!("%{b:02X}")).collect()
}

//! `/api/v1/accounts/{account_id}/contacts…`

mod access;
mod bad_input;
mod contact_inboxes;
mod counts;
mod crud;
mod custom_attribute_filter;
mod filter;
mod list;
mod proptest_filter;
mod rebuild;
mod search;
mod uniqueness;

use onelink_tests::seed::Tenant;
use onelink_tests::{Response, TestApp};
use serde_json::{json, Value};

/// The `name`s of a listing's payload, in order.
pub fn names(body: &Value) -> Vec<String> {
    body["payload"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect()
}

/// Sorted names (for set comparisons).
pub fn name_set(body: &Value) -> Vec<String> {
    let mut names = names(body);
    names.sort();
    names
}

/// `POST /contacts/filter` with `payload` as A's agent.
pub async fn filter(app: &TestApp, tenant: &Tenant, payload: Value) -> Response {
    app.post(&tenant.path("/contacts/filter"), &tenant.agent.token, json!({ "payload": payload })).await
}

/// A condition of a filter payload.
pub fn cond(key: &str, op: &str, values: Value, query_operator: Value) -> Value {
    json!({"attribute_key": key, "filter_operator": op, "values": values, "query_operator": query_operator})
}

/// Drives all futures concurrently on this task and returns their outputs
/// in order (a tiny `join_all`, to avoid a dependency).
pub async fn join_all<F: std::future::Future + Unpin>(mut futures: Vec<F>) -> Vec<F::Output> {
    use std::task::Poll;
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match std::pin::Pin::new(future).poll(cx) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().map(|o| o.expect("every future completed")).collect()
}

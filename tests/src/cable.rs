//! A websocket client speaking ActionCable to `/cable`, for realtime tests.

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub struct Cable {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Control frames seen so far (welcome, pings, confirmations).
    pub control: Vec<Value>,
}

/// The identifier string of a contact's subscription.
pub fn contact_identifier(pubsub_token: &str) -> String {
    json!({"channel": "RoomChannel", "pubsub_token": pubsub_token}).to_string()
}

/// The identifier string of an agent's subscription.
pub fn agent_identifier(pubsub_token: &str, account_id: i64, user_id: i64) -> String {
    json!({"channel": "RoomChannel", "pubsub_token": pubsub_token, "account_id": account_id, "user_id": user_id})
        .to_string()
}

impl Cable {
    /// Connects to `{base_url}/cable` and reads the welcome.
    pub async fn connect(base_url: &str) -> Cable {
        let url = format!("{}/cable", base_url.replacen("http://", "ws://", 1));
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert("Sec-WebSocket-Protocol", "actioncable-v1-json".parse().unwrap());
        let (ws, response) = tokio_tungstenite::connect_async(request).await.unwrap();
        assert_eq!(
            response.headers().get("sec-websocket-protocol").and_then(|v| v.to_str().ok()),
            Some("actioncable-v1-json")
        );
        let mut cable = Cable { ws, control: Vec::new() };
        let welcome = cable.next_frame(Duration::from_secs(5)).await.expect("welcome");
        assert_eq!(welcome, json!({"type": "welcome"}));
        cable
    }

    pub async fn send(&mut self, frame: Value) {
        self.ws.send(Message::Text(frame.to_string().into())).await.unwrap();
    }

    /// The next JSON frame within `within`.
    pub async fn next_frame(&mut self, within: Duration) -> Option<Value> {
        let deadline = Instant::now() + within;
        loop {
            let msg = tokio::time::timeout_at(deadline, self.ws.next()).await.ok()??;
            match msg.ok()? {
                Message::Text(t) => return Some(serde_json::from_str(t.as_str()).unwrap()),
                Message::Close(_) => return None,
                _ => continue,
            }
        }
    }

    /// Subscribes; returns the reply type (`confirm_subscription` or
    /// `reject_subscription`), or `None` if nothing came within 5 s.
    pub async fn subscribe(&mut self, identifier: &str) -> Option<String> {
        self.send(json!({"command": "subscribe", "identifier": identifier})).await;
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let frame = self.next_frame(deadline.saturating_duration_since(Instant::now())).await?;
            if frame["identifier"] == identifier && frame.get("type").is_some() {
                assert_eq!(frame["identifier"].as_str(), Some(identifier), "identifier echoed byte for byte");
                return frame["type"].as_str().map(str::to_owned);
            }
            self.control.push(frame);
        }
    }

    /// The next event (`{"identifier","message":{"event","data"}}`) within
    /// `within`; control frames are kept aside.
    pub async fn next_event(&mut self, within: Duration) -> Option<Value> {
        let deadline = Instant::now() + within;
        loop {
            let frame = self.next_frame(deadline.saturating_duration_since(Instant::now())).await?;
            if frame.get("message").is_some_and(Value::is_object) {
                return Some(frame);
            }
            self.control.push(frame);
        }
    }

    /// Waits for an event named `name` (skipping others); returns its data.
    pub async fn expect_event(&mut self, name: &str, within: Duration) -> Value {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let frame = self.next_event(left).await.unwrap_or_else(|| panic!("no {name} within {within:?}"));
            if frame["message"]["event"] == name {
                return frame["message"]["data"].clone();
            }
        }
    }

    /// Every event received during `period`.
    pub async fn events_during(&mut self, period: Duration) -> Vec<Value> {
        let deadline = Instant::now() + period;
        let mut out = Vec::new();
        while let Some(frame) = self.next_event(deadline.saturating_duration_since(Instant::now())).await {
            out.push(frame);
        }
        out
    }
}

//! A real webhook receiver on 127.0.0.1 for delivery tests: records every
//! request that reaches it and answers as scripted — refuse connections
//! (nothing listens on its port), a status code, a stall past the sender's
//! timeout, a redirect, a large body, or 200.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpSocket;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Ok,
    Status(u16),
    /// Wait this long before answering 200.
    Stall(Duration),
    /// Stop listening: connections are refused.
    Refuse,
    /// 302 to this location.
    Redirect(String),
    /// 200 with a body of this many bytes.
    Body(usize),
}

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub at: Instant,
    pub path: String,
    pub headers: HeaderMap,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap()
    }

    /// Whether both signatures verify with `secret` (computed here, from
    /// the specifications, not with the server's code).
    pub fn signed_with(&self, secret: &str) -> bool {
        let b64 = base64::engine::general_purpose::STANDARD;
        let hmac = |key: &[u8], content: &str| {
            let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
            mac.update(content.as_bytes());
            mac.finalize().into_bytes().to_vec()
        };
        let id = self.header("webhook-id");
        let ts = self.header("webhook-timestamp");
        let key = b64.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
        let standard = format!("v1,{}", b64.encode(hmac(&key, &format!("{id}.{ts}.{}", self.body))));
        let cw_ts = self.header("x-chatwoot-timestamp");
        let chatwoot =
            format!("sha256={}", hex::encode(hmac(secret.as_bytes(), &format!("{cw_ts}.{}", self.body))));
        self.header("webhook-signature").split(' ').any(|s| s == standard)
            && self.header("x-chatwoot-signature") == chatwoot
    }
}

struct Inner {
    mode: Mutex<Mode>,
    received: Mutex<Vec<Received>>,
    arrived: Notify,
}

pub struct Receiver {
    pub addr: SocketAddr,
    inner: Arc<Inner>,
    server: Mutex<Option<JoinHandle<()>>>,
}

async fn record(
    State(inner): State<Arc<Inner>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mode = inner.mode.lock().unwrap().clone();
    let received = Received {
        at: Instant::now(),
        path: uri.path().to_owned(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    inner.received.lock().unwrap().push(received);
    inner.arrived.notify_waiters();
    match mode {
        Mode::Ok | Mode::Refuse => (StatusCode::OK, "ok").into_response(),
        Mode::Status(code) => (StatusCode::from_u16(code).unwrap(), "receiver says no").into_response(),
        Mode::Stall(d) => {
            tokio::time::sleep(d).await;
            (StatusCode::OK, "late").into_response()
        }
        Mode::Redirect(to) => (StatusCode::FOUND, [("location", to)], "moved").into_response(),
        Mode::Body(n) => (StatusCode::OK, "x".repeat(n)).into_response(),
    }
}

impl Receiver {
    pub async fn start() -> Receiver {
        let inner = Arc::new(Inner {
            mode: Mutex::new(Mode::Ok),
            received: Mutex::default(),
            arrived: Notify::new(),
        });
        let addr = SocketAddr::from(([127, 0, 0, 1], 0));
        let (server, addr) = Self::listen(&inner, addr);
        Receiver { addr, inner, server: Mutex::new(Some(server)) }
    }

    fn listen(inner: &Arc<Inner>, addr: SocketAddr) -> (JoinHandle<()>, SocketAddr) {
        let socket = TcpSocket::new_v4().unwrap();
        socket.set_reuseaddr(true).unwrap();
        socket.bind(addr).unwrap();
        let listener = socket.listen(128).unwrap();
        let addr = listener.local_addr().unwrap();
        let app = axum::Router::new().fallback(record).with_state(inner.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        (server, addr)
    }

    /// `http://127.0.0.1:<port><path>`
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Changes how the receiver answers from now on.
    pub async fn set(&self, mode: Mode) {
        *self.inner.mode.lock().unwrap() = mode.clone();
        let running = self.server.lock().unwrap().take();
        match (mode, running) {
            (Mode::Refuse, Some(server)) => {
                server.abort();
                let _ = server.await;
            }
            (Mode::Refuse, None) => {}
            (_, Some(server)) => *self.server.lock().unwrap() = Some(server),
            (_, None) => {
                let (server, _) = Self::listen(&self.inner, self.addr);
                *self.server.lock().unwrap() = Some(server);
            }
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.inner.received.lock().unwrap().clone()
    }

    /// Waits until `check` holds for the requests so far (panics after
    /// `within`).
    pub async fn wait_until(
        &self,
        what: &str,
        within: Duration,
        check: impl Fn(&[Received]) -> bool,
    ) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let arrived = self.inner.arrived.notified();
            tokio::pin!(arrived);
            arrived.as_mut().enable();
            let now = self.received();
            if check(&now) {
                return now;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                let now = self.received();
                if check(&now) {
                    return now;
                }
                panic!("receiver: timed out waiting for {what} ({} requests so far)", now.len());
            }
        }
    }
}

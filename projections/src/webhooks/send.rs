//! One HTTP attempt, treating the receiver as untrusted: connect only to
//! the addresses the SSRF guard vetted (DNS pinned, any other lookup
//! refused), no proxies, no redirects, one timeout for the whole exchange,
//! and at most 64 KiB of the answer read (a short excerpt is kept).

use onelink_commands::ssrf::Target;
use reqwest::dns::{Name, Resolve, Resolving};
use reqwest::redirect::Policy;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Most of an answer's body that is read.
pub const READ_CAP: usize = 64 * 1024;
/// Most of it that is kept in the delivery log.
pub const EXCERPT_CAP: usize = 256;
const USER_AGENT: &str = concat!("OneLink-Webhooks/", env!("CARGO_PKG_VERSION"));

/// What came of one attempt.
#[derive(Debug, Clone, Default)]
pub struct Sent {
    pub status: Option<u16>,
    pub error: Option<String>,
    pub excerpt: Option<String>,
    /// `Retry-After` (seconds) of a 429/503 answer.
    pub retry_after: Option<Duration>,
    pub duration: Duration,
}

/// Refuses every lookup: names are resolved (and vetted) by the guard and
/// pinned; nothing else may be resolved behind its back.
struct NoLookups;

impl Resolve for NoLookups {
    fn resolve(&self, name: Name) -> Resolving {
        let error = format!("{} was not vetted by the egress guard", name.as_str());
        Box::pin(async move { Err(error.into()) })
    }
}

/// A client that reaches only the guard-vetted addresses of `target` (no
/// proxies, redirects or other lookups); also used to fetch avatars.
pub fn client(target: &Target, timeout: Duration) -> reqwest::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .redirect(Policy::none())
        .no_proxy()
        .timeout(timeout)
        .connect_timeout(timeout)
        .pool_max_idle_per_host(0)
        .user_agent(USER_AGENT)
        .dns_resolver(Arc::new(NoLookups));
    if let Some((host, addrs)) = &target.pinned {
        builder = builder.resolve_to_addrs(host, addrs);
    }
    builder.build()
}

/// The error and its causes, e.g. "error sending request: connection refused".
fn describe(e: &reqwest::Error, timeout: Duration) -> String {
    if e.is_timeout() {
        return format!("timed out after {} ms", timeout.as_millis());
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    cap(&text, 500)
}

fn cap(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

/// POSTs `body` with `headers` to the vetted target.
pub async fn post(
    target: &Target,
    headers: &[(&'static str, String)],
    body: &str,
    timeout: Duration,
) -> Sent {
    let started = Instant::now();
    let mut sent = attempt(target, headers, body, timeout).await;
    sent.duration = started.elapsed();
    sent
}

async fn attempt(target: &Target, headers: &[(&'static str, String)], body: &str, timeout: Duration) -> Sent {
    let client = match client(target, timeout) {
        Ok(c) => c,
        Err(e) => return Sent { error: Some(describe(&e, timeout)), ..Sent::default() },
    };
    let mut request = client
        .post(target.url.clone())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(reqwest::header::ACCEPT, "application/json")
        .body(body.to_owned());
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let exchange = async {
        let mut response = request.send().await?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let mut read = Vec::new();
        // the status is what counts; a body that stalls or breaks is cut
        while read.len() < READ_CAP {
            match response.chunk().await {
                Ok(Some(chunk)) => read.extend_from_slice(&chunk[..chunk.len().min(READ_CAP - read.len())]),
                Ok(None) | Err(_) => break,
            }
        }
        Ok::<_, reqwest::Error>((status, retry_after, read))
    };
    // reqwest's own timeout covers the exchange; this one is a backstop
    match tokio::time::timeout(timeout + Duration::from_millis(250), exchange).await {
        Err(_) => {
            Sent { error: Some(format!("timed out after {} ms", timeout.as_millis())), ..Sent::default() }
        }
        Ok(Err(e)) => Sent { error: Some(describe(&e, timeout)), ..Sent::default() },
        Ok(Ok((status, retry_after, read))) => {
            let excerpt = String::from_utf8_lossy(&read[..read.len().min(EXCERPT_CAP)]).trim().to_owned();
            let error = if status.is_success() {
                None
            } else if status.is_redirection() {
                Some(format!("answered {} (redirects are not followed)", status.as_u16()))
            } else {
                Some(format!("answered {}", status.as_u16()))
            };
            Sent {
                status: Some(status.as_u16()),
                error,
                excerpt: (!excerpt.is_empty()).then(|| cap(&excerpt, EXCERPT_CAP)),
                retry_after,
                duration: Duration::ZERO,
            }
        }
    }
}

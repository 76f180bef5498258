//! Delivery of catalog webhook events (lasso-api.md §1.8 B): one signed POST per
//! enabled, subscribed endpoint, one attempt, 10 s timeout, redirects not followed,
//! each attempt recorded in the endpoint's delivery history.
//!
//! The emulator only ever connects to loopback (127.0.0.0/8, ::1, `localhost`) over
//! plain HTTP. Any other target is recorded as a failed attempt without a connection.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use url::{Host, Url};
use uuid::Uuid;

use crate::app::AppState;
use crate::auth::CompanyId;
use crate::catalog_state::{CatalogState, DeliveryRecord};
use crate::clock::now_iso;
use crate::signature::sign;

/// Per-attempt timeout (connect, send and response head).
pub const TIMEOUT: Duration = Duration::from_secs(10);

pub const USER_AGENT: &str = "Lasso-Webhook/1.0";

const NOT_LOOPBACK: &str = "lasso-mock delivers webhooks only to loopback addresses \
     (http://127.0.0.1, http://[::1], http://localhost); no connection was attempted";

/// An endpoint an event goes to.
#[derive(Clone, Debug)]
pub struct Target {
    pub endpoint_id: String,
    pub url: String,
    pub secret: String,
}

/// An event to deliver to its targets (computed under the company lock).
#[derive(Debug)]
pub struct Event {
    pub name: &'static str,
    pub data: Value,
    pub targets: Vec<Target>,
}

impl CatalogState {
    /// Enabled endpoints subscribed to `event`.
    pub fn targets(&self, event: &str) -> Vec<Target> {
        self.webhooks
            .iter()
            .filter(|w| w.enabled && w.events.iter().any(|e| e == event))
            .map(|w| Target {
                endpoint_id: w.id.clone(),
                url: w.url.clone(),
                secret: w.secret.clone(),
            })
            .collect()
    }

    /// An event for its current subscribers, or `None` when nobody listens.
    pub fn event(&self, name: &'static str, data: impl FnOnce() -> Value) -> Option<Event> {
        let targets = self.targets(name);
        (!targets.is_empty()).then(|| Event {
            name,
            data: data(),
            targets,
        })
    }
}

/// The JSON body of a delivery: `{event, timestamp, data}`.
pub fn payload(event: &str, data: &Value) -> Arc<Vec<u8>> {
    let body = json!({ "event": event, "timestamp": now_iso(), "data": data });
    Arc::new(serde_json::to_vec(&body).unwrap_or_default())
}

/// Delivers events in the background; the API response does not wait. Events of one
/// call are delivered in order.
pub fn dispatch(app: &AppState, company: CompanyId, events: Vec<Event>) {
    if events.is_empty() {
        return;
    }
    let app = app.clone();
    tokio::spawn(async move {
        for event in events {
            let body = payload(event.name, &event.data);
            for target in &event.targets {
                let attempt = Attempt {
                    endpoint_id: target.endpoint_id.clone(),
                    url: target.url.clone(),
                    secret: target.secret.clone(),
                    event: event.name.to_owned(),
                    delivery_id: Uuid::new_v4().to_string(),
                    attempt_number: 1,
                    is_test: false,
                    redelivered_from: None,
                    payload: body.clone(),
                };
                attempt.run(&app, company).await;
            }
        }
    });
}

/// One attempt to deliver one payload to one endpoint.
#[derive(Clone, Debug)]
pub struct Attempt {
    pub endpoint_id: String,
    pub url: String,
    pub secret: String,
    pub event: String,
    pub delivery_id: String,
    pub attempt_number: u32,
    pub is_test: bool,
    pub redelivered_from: Option<String>,
    pub payload: Arc<Vec<u8>>,
}

impl Attempt {
    /// Sends, records the attempt in the company's history and returns the record.
    pub async fn run(self, app: &AppState, company: CompanyId) -> DeliveryRecord {
        let delivered_at = now_iso();
        let outcome = post(&self).await;
        let record = DeliveryRecord {
            id: Uuid::new_v4().to_string(),
            endpoint_id: self.endpoint_id,
            delivery_id: self.delivery_id,
            attempt_number: self.attempt_number,
            event: self.event,
            status_code: outcome.status_code,
            error: outcome.error,
            duration_ms: outcome.duration_ms,
            delivered_at,
            is_test: self.is_test,
            redelivered_from: self.redelivered_from,
            payload: self.payload,
        };
        let kept = record.clone();
        app.companies.with(company, |c| c.catalog.record_delivery(kept));
        record
    }
}

#[derive(Debug, Default)]
struct Outcome {
    status_code: Option<u16>,
    error: Option<String>,
    duration_ms: Option<u64>,
}

fn failed(error: impl Into<String>) -> Outcome {
    Outcome {
        error: Some(error.into()),
        ..Outcome::default()
    }
}

/// Loopback socket addresses for a URL, or why it is not deliverable.
fn loopback_addrs(url: &Url) -> Result<Vec<SocketAddr>, String> {
    let port = url.port_or_known_default().unwrap_or(80);
    let ips: Vec<IpAddr> = match url.host() {
        Some(Host::Ipv4(ip)) if ip.is_loopback() => vec![IpAddr::V4(ip)],
        Some(Host::Ipv6(ip)) if ip.is_loopback() => vec![IpAddr::V6(ip)],
        Some(Host::Domain(name)) if name.eq_ignore_ascii_case("localhost") => {
            vec![IpAddr::V4(Ipv4Addr::LOCALHOST), IpAddr::V6(Ipv6Addr::LOCALHOST)]
        }
        _ => return Err(NOT_LOOPBACK.to_owned()),
    };
    if url.scheme() != "http" {
        return Err(format!(
            "lasso-mock delivers to loopback over plain http only; {} is not supported",
            url.scheme()
        ));
    }
    Ok(ips.into_iter().map(|ip| SocketAddr::new(ip, port)).collect())
}

async fn post(attempt: &Attempt) -> Outcome {
    let url = match Url::parse(&attempt.url) {
        Ok(url) => url,
        Err(err) => return failed(format!("Invalid URL: {err}")),
    };
    let addrs = match loopback_addrs(&url) {
        Ok(addrs) => addrs,
        Err(reason) => return failed(reason),
    };
    let started = Instant::now();
    let result = tokio::time::timeout(TIMEOUT, exchange(&url, &addrs, attempt)).await;
    let duration_ms = Some(started.elapsed().as_millis() as u64);
    match result {
        Err(_) => Outcome {
            error: Some(format!("Timed out after {} s", TIMEOUT.as_secs())),
            duration_ms,
            ..Outcome::default()
        },
        Ok(Err(err)) => Outcome {
            error: Some(err),
            duration_ms,
            ..Outcome::default()
        },
        Ok(Ok(code)) => Outcome {
            status_code: Some(code),
            error: match code {
                200..=299 => None,
                300..=399 => Some(format!("Redirect not followed (HTTP {code})")),
                _ => Some(format!("Endpoint responded with HTTP {code}")),
            },
            duration_ms,
        },
    }
}

/// Connects, sends the request and reads the status line of the answer.
async fn exchange(url: &Url, addrs: &[SocketAddr], attempt: &Attempt) -> Result<u16, String> {
    let mut stream = None;
    let mut last_error = String::from("no address");
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(err) => last_error = format!("Connection to {addr} failed: {err}"),
        }
    }
    let mut stream = stream.ok_or(last_error)?;
    let _ = stream.set_nodelay(true);

    let mut target = url.path().to_owned();
    if let Some(query) = url.query() {
        target.push('?');
        target.push_str(query);
    }
    let host = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        _ => String::new(),
    };
    let head = format!(
        "POST {target} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         User-Agent: {USER_AGENT}\r\nX-Lasso-Event: {}\r\nX-Lasso-Delivery-Id: {}\r\n\
         X-Lasso-Signature: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        attempt.event,
        attempt.delivery_id,
        sign(&attempt.secret, &attempt.payload),
        attempt.payload.len()
    );
    let io = |err: std::io::Error| format!("Delivery failed: {err}");
    stream.write_all(head.as_bytes()).await.map_err(io)?;
    stream.write_all(&attempt.payload).await.map_err(io)?;
    stream.flush().await.map_err(io)?;

    // Only the status line matters; read until it is complete.
    let mut buf = Vec::with_capacity(256);
    let mut chunk = [0u8; 512];
    loop {
        if let Some(end) = buf.windows(2).position(|w| w == b"\r\n") {
            return parse_status_line(&buf[..end]);
        }
        if buf.len() > 8192 {
            return Err("Invalid HTTP response: status line too long".into());
        }
        let n = stream.read(&mut chunk).await.map_err(io)?;
        if n == 0 {
            return Err("Connection closed before a response was received".into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn parse_status_line(line: &[u8]) -> Result<u16, String> {
    let line = String::from_utf8_lossy(line);
    let mut parts = line.split(' ');
    match (parts.next(), parts.next().and_then(|c| c.parse::<u16>().ok())) {
        (Some(version), Some(code)) if version.starts_with("HTTP/") && (100..600).contains(&code) => Ok(code),
        _ => Err(format!("Invalid HTTP response: {line}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_is_deliverable() {
        let ok = [
            "http://127.0.0.1:9/x",
            "http://127.1.2.3/",
            "http://[::1]:8080/hook",
            "http://LOCALHOST:1/",
        ];
        for url in ok {
            assert!(loopback_addrs(&Url::parse(url).unwrap()).is_ok(), "{url}");
        }
        let refused = [
            "https://example.com/hook",
            "http://10.0.0.1/",
            "http://localhost.example.com/",
            "https://127.0.0.1/hook",
        ];
        for url in refused {
            assert!(loopback_addrs(&Url::parse(url).unwrap()).is_err(), "{url}");
        }
    }

    #[test]
    fn status_lines() {
        assert_eq!(parse_status_line(b"HTTP/1.1 204 No Content"), Ok(204));
        assert_eq!(parse_status_line(b"HTTP/1.0 500"), Ok(500));
        assert!(parse_status_line(b"garbage").is_err());
    }
}

//! The emulator's one HTTP client: a signed JSON POST of a webhook payload, one
//! attempt, 10 s for connect, send and the response head, redirects not followed.
//!
//! It only ever connects to loopback (127.0.0.0/8, ::1, `localhost`) over plain HTTP;
//! any other target is refused before a connection is attempted. Only the status
//! line of the answer matters, so a raw HTTP/1.1 exchange is all it takes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use url::{Host, Url};

use super::signature::sign;
use crate::clock::now_iso;

/// Per-attempt timeout (connect, send and response head).
pub const TIMEOUT: Duration = Duration::from_secs(10);

pub const USER_AGENT: &str = "Lasso-Webhook/1.0";

const NOT_LOOPBACK: &str = "lasso-mock delivers webhooks only to loopback addresses \
     (http://127.0.0.1, http://[::1], http://localhost); no connection was attempted";

/// The documented payload envelope `{event, timestamp, data}`.
pub fn payload(event: &str, data: &Value) -> Arc<Vec<u8>> {
    let body = json!({ "event": event, "timestamp": now_iso(), "data": data });
    Arc::new(serde_json::to_vec(&body).unwrap_or_default())
}

/// Whether the URL's host is loopback: 127.0.0.0/8, ::1 or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// What one attempt got: a status, or why there is none.
#[derive(Debug, Default)]
pub struct Outcome {
    pub status_code: Option<u16>,
    /// `None` only after a 2xx.
    pub error: Option<String>,
    /// `None` when no connection was attempted.
    pub duration_ms: Option<u64>,
}

impl Outcome {
    fn refused(error: String) -> Outcome {
        Outcome {
            error: Some(error),
            ..Outcome::default()
        }
    }

    pub fn delivered(&self) -> bool {
        self.status_code.is_some_and(|code| (200..300).contains(&code))
    }
}

/// A URL the emulator may deliver to: plain HTTP on a loopback host.
#[derive(Debug)]
pub struct Target {
    url: Url,
    addrs: Vec<SocketAddr>,
}

impl Target {
    /// The target of `url`, or why it is never contacted.
    pub fn parse(url: &str) -> Result<Target, String> {
        let url = Url::parse(url).map_err(|err| format!("Invalid URL: {err}"))?;
        if !is_loopback(&url) {
            return Err(NOT_LOOPBACK.to_owned());
        }
        if url.scheme() != "http" {
            return Err(format!(
                "lasso-mock delivers to loopback over plain http only; {} is not supported",
                url.scheme()
            ));
        }
        let ips = match url.host() {
            Some(Host::Ipv4(ip)) => vec![IpAddr::V4(ip)],
            Some(Host::Ipv6(ip)) => vec![IpAddr::V6(ip)],
            _ => vec![IpAddr::V4(Ipv4Addr::LOCALHOST), IpAddr::V6(Ipv6Addr::LOCALHOST)],
        };
        let port = url.port_or_known_default().unwrap_or(80);
        let addrs = ips.into_iter().map(|ip| SocketAddr::new(ip, port)).collect();
        Ok(Target { url, addrs })
    }

    /// One signed POST of `body` with the documented headers.
    pub async fn post(&self, event: &str, delivery_id: &str, secret: &str, body: &[u8]) -> Outcome {
        let started = Instant::now();
        let result = tokio::time::timeout(TIMEOUT, self.exchange(event, delivery_id, secret, body)).await;
        let duration_ms = Some(started.elapsed().as_millis() as u64);
        let (status_code, error) = match result {
            Err(_) => (None, Some(format!("Timed out after {} s", TIMEOUT.as_secs()))),
            Ok(Err(err)) => (None, Some(err)),
            Ok(Ok(code)) => (
                Some(code),
                match code {
                    200..=299 => None,
                    300..=399 => Some(format!("Redirect not followed (HTTP {code})")),
                    _ => Some(format!("Endpoint responded with HTTP {code}")),
                },
            ),
        };
        Outcome {
            status_code,
            error,
            duration_ms,
        }
    }

    /// Connects, sends the request and reads the status line of the answer.
    async fn exchange(
        &self,
        event: &str,
        delivery_id: &str,
        secret: &str,
        body: &[u8],
    ) -> Result<u16, String> {
        let mut stream = None;
        let mut last_error = String::from("no address");
        for addr in &self.addrs {
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

        let url = &self.url;
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
             User-Agent: {USER_AGENT}\r\nX-Lasso-Event: {event}\r\nX-Lasso-Delivery-Id: {delivery_id}\r\n\
             X-Lasso-Signature: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            sign(secret, body),
            body.len()
        );
        let io = |err: std::io::Error| format!("Delivery failed: {err}");
        stream.write_all(head.as_bytes()).await.map_err(io)?;
        stream.write_all(body).await.map_err(io)?;
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
}

/// One attempt to deliver `body` to `url`; a target that is not plain-HTTP loopback
/// is a failed attempt without a connection.
pub async fn deliver(url: &str, event: &str, delivery_id: &str, secret: &str, body: &[u8]) -> Outcome {
    match Target::parse(url) {
        Ok(target) => target.post(event, delivery_id, secret, body).await,
        Err(reason) => Outcome::refused(reason),
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
    fn only_plain_http_loopback_is_a_target() {
        let target = Target::parse("http://127.0.0.1:8080/hook?x=1").unwrap();
        assert_eq!(target.addrs, [SocketAddr::from(([127, 0, 0, 1], 8080))]);
        assert_eq!(Target::parse("http://LOCALHOST:9/").unwrap().addrs.len(), 2);
        assert_eq!(Target::parse("http://[::1]:7").unwrap().addrs[0].port(), 7);
        assert_eq!(Target::parse("http://127.1.2.3/").unwrap().addrs[0].port(), 80);
        for refused in [
            "https://example.com/hook",
            "http://10.0.0.1/",
            "http://localhost.example.com/",
            "https://127.0.0.1/hook",
            "not a url",
        ] {
            assert!(Target::parse(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn status_lines() {
        assert_eq!(parse_status_line(b"HTTP/1.1 204 No Content"), Ok(204));
        assert_eq!(parse_status_line(b"HTTP/1.0 500"), Ok(500));
        assert!(parse_status_line(b"garbage").is_err());
    }
}

//! `webhook_url` callbacks (lasso-api.md §1.8 A): a JSON POST with `X-Lasso-Event`,
//! `X-Lasso-Delivery-Id` (new per attempt) and `X-Lasso-Signature: sha256=<hex
//! HMAC-SHA256 of the raw body>` keyed with the company's secret
//! (`GET /__mock/webhook-secret`). Non-2xx answers (or none within 10 s) are retried
//! after 30 s, 5 min and 30 min, scaled by the time scale, then abandoned.
//!
//! Only plain-HTTP loopback targets (`127.0.0.0/8`, `localhost`, `[::1]`) are
//! contacted; any other target is recorded as not delivered. Every attempt is listed
//! by `GET /__mock/webhook-deliveries`.

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::app::AppState;
use crate::auth;
use crate::clock;

/// Documented retry delays after the first attempt.
pub const RETRY_DELAYS: [Duration; 3] = [
    Duration::from_secs(30),
    Duration::from_secs(300),
    Duration::from_secs(1800),
];
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
const LOG_CAPACITY: usize = 512;

/// The log of delivery attempts (most recent last).
#[derive(Default)]
pub struct DeliveryLog(Mutex<VecDeque<Value>>);

impl DeliveryLog {
    fn push(&self, record: Value) {
        let mut log = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if log.len() == LOG_CAPACITY {
            log.pop_front();
        }
        log.push_back(record);
    }

    pub fn to_json(&self) -> Value {
        let log = self.0.lock().unwrap_or_else(|p| p.into_inner());
        json!({ "deliveries": log.iter().collect::<Vec<_>>() })
    }

    pub fn clear(&self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The documented payload envelope `{event, timestamp, data}`.
pub fn payload(event: &str, data: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({ "event": event, "timestamp": clock::now_iso(), "data": data }))
        .unwrap_or_default()
}

/// Delivers `event` to `url` after `delay`; `body` is computed when the delay is over
/// (`None` skips the delivery, e.g. when the table was deleted meanwhile).
pub fn spawn<F>(app: AppState, secret: String, url: String, event: &'static str, delay: Duration, body: F)
where
    F: FnOnce(&AppState) -> Option<Vec<u8>> + Send + 'static,
{
    tokio::spawn(async move {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let Some(body) = body(&app) else { return };
        let signature = sign(&secret, &body);
        let target = loopback_target(&url);
        for attempt in 0..=RETRY_DELAYS.len() {
            let delivery_id = uuid::Uuid::new_v4().to_string();
            let outcome = match &target {
                Some((addr, host, path)) => {
                    let headers = [
                        ("X-Lasso-Event", event),
                        ("X-Lasso-Delivery-Id", delivery_id.as_str()),
                        ("X-Lasso-Signature", signature.as_str()),
                    ];
                    tokio::time::timeout(ATTEMPT_TIMEOUT, post(*addr, host, path, &headers, &body))
                        .await
                        .unwrap_or_else(|_| Err("no response within 10 s".into()))
                }
                None => Err("not a plain-HTTP loopback URL: lasso-mock does not deliver it".into()),
            };
            let delivered = matches!(outcome, Ok(status) if (200..300).contains(&status));
            app.extraction.deliveries.push(json!({
                "event": event,
                "url": url,
                "delivery_id": delivery_id,
                "attempt": attempt + 1,
                "status_code": outcome.as_ref().ok(),
                "error": outcome.as_ref().err(),
                "delivered": delivered,
                "at": clock::now_iso(),
            }));
            if delivered || target.is_none() {
                return;
            }
            if let Some(delay) = RETRY_DELAYS.get(attempt) {
                tokio::time::sleep(app.extraction.scaled(*delay)).await;
            }
        }
    });
}

/// `(address, Host header, path)` of a plain-HTTP loopback URL.
pub fn loopback_target(url: &str) -> Option<(SocketAddr, String, String)> {
    let rest = url.strip_prefix("http://")?;
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) if rest.as_bytes()[i] == b'/' => (&rest[..i], rest[i..].to_owned()),
        Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
        None => (rest, "/".to_owned()),
    };
    let authority = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port: u16 = match port {
        Some(port) => port.parse().ok()?,
        None => 80,
    };
    let ip: IpAddr = if host.eq_ignore_ascii_case("localhost") {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        host.parse().ok()?
    };
    let loopback = match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => v6 == Ipv6Addr::LOCALHOST,
    };
    loopback.then(|| (SocketAddr::new(ip, port), authority.to_owned(), path))
}

/// One HTTP/1.1 POST; returns the response status code.
async fn post(
    addr: SocketAddr,
    host: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<u16, String> {
    let mut stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nUser-Agent: Lasso-Webhook/1.0\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .await
        .map_err(|e| format!("write: {e}"))?;
    stream.write_all(body).await.map_err(|e| format!("write: {e}"))?;
    let mut response = Vec::with_capacity(256);
    let mut buf = [0u8; 1024];
    while !response.windows(2).any(|w| w == b"\r\n") {
        let n = stream.read(&mut buf).await.map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            break;
        }
        response.extend_from_slice(&buf[..n]);
        if response.len() > 16 * 1024 {
            break;
        }
    }
    let line = String::from_utf8_lossy(&response);
    line.split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("malformed response: {:?}", line.lines().next().unwrap_or("")))
}

/// `GET /__mock/webhook-secret` with the company's `Authorization` header:
/// `{"secret": "whsec_…"}`.
pub async fn secret_handler(State(app): State<AppState>, headers: HeaderMap) -> Response {
    match auth::authenticate(&headers, app.keys.as_ref()) {
        Ok(company) => Json(json!({ "secret": app.extraction.webhook_secret(company) })).into_response(),
        Err(err) => err.into_response(),
    }
}

/// `GET /__mock/webhook-deliveries`: every delivery attempt, oldest first.
pub async fn deliveries_handler(State(app): State<AppState>) -> Json<Value> {
    Json(app.extraction.deliveries.to_json())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback() {
        let (addr, host, path) = loopback_target("http://127.0.0.1:8080/hook?x=1").unwrap();
        assert_eq!(
            (addr.port(), host.as_str(), path.as_str()),
            (8080, "127.0.0.1:8080", "/hook?x=1")
        );
        assert_eq!(loopback_target("http://localhost:9/").unwrap().0.port(), 9);
        assert_eq!(loopback_target("http://[::1]:7").unwrap().2, "/");
        assert!(loopback_target("http://example.com/hook").is_none());
        assert!(loopback_target("https://127.0.0.1/hook").is_none());
        assert!(loopback_target("http://10.0.0.1/hook").is_none());
    }

    #[test]
    fn signature_is_hex_hmac() {
        // RFC 4231 test case 2.
        let sig = sign("Jefe", b"what do ya want for nothing?");
        assert_eq!(
            sig,
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}

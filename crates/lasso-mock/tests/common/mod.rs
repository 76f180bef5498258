//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses a different subset

use std::io::{Read, Write};
use std::net::TcpStream;

use serde_json::Value;

/// A well-formed key; different `n` give different companies.
pub fn key(n: u8) -> String {
    format!("lasso_{}", format!("{n:02x}").repeat(32))
}

pub fn bearer(n: u8) -> String {
    format!("Bearer {}", key(n))
}

/// Plain-http client. The workspace builds reqwest with `rustls-no-provider`, which
/// refuses to build a client without a crypto provider even for plain http, so the
/// test process installs ring (a no-op after the first call).
pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("reqwest client")
}

pub async fn json(response: reqwest::Response) -> Value {
    let bytes = response.bytes().await.expect("response body");
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|err| panic!("body is not JSON ({err}): {}", String::from_utf8_lossy(&bytes)))
}

/// Asserts the standard error envelope and returns its message.
pub async fn assert_envelope(response: reqwest::Response, status: u16, error_type: &str) -> String {
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    let body = json(response).await;
    assert_eq!(body["status_code"], status, "{body}");
    assert_eq!(body["error_type"], error_type, "{body}");
    let request_id = body["request_id"].as_str().expect("request_id string");
    let request_id = uuid::Uuid::parse_str(request_id).expect("request_id is a UUID");
    assert_eq!(request_id.get_version_num(), 4);
    body["message"].as_str().expect("message string").to_owned()
}

/// Minimal blocking HTTP/1.1 GET for tests without a runtime; returns (status, body).
pub fn raw_get(port: u16, path: &str, authorization: Option<&str>) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    let auth = authorization
        .map(|value| format!("Authorization: {value}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Connection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (head, body) = response.split_once("\r\n\r\n").expect("HTTP head");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("status code");
    Ok((status, body.to_owned()))
}

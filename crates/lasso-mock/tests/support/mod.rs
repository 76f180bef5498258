//! Helpers for the extraction-side integration tests: a small JSON client bound to
//! one company, table polling and a loopback webhook receiver.
#![allow(dead_code)] // each test binary uses a different subset

use std::time::{Duration, Instant};

use lasso_mock::{MockConfig, MockServer};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// A well-formed key; different `n` give different companies.
pub fn key(n: u8) -> String {
    format!("lasso_{}", format!("{n:02x}").repeat(32))
}

pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("reqwest client")
}

/// A fast emulator: jobs take `scale` × their normal time.
pub async fn start(scale: f64) -> MockServer {
    start_with(MockConfig {
        time_scale: scale,
        ..MockConfig::default()
    })
    .await
}

pub async fn start_with(config: MockConfig) -> MockServer {
    MockServer::start(config).await.expect("mock starts")
}

/// A JSON client for one company.
#[derive(Clone)]
pub struct Api {
    pub url: String,
    pub base: String,
    pub http: reqwest::Client,
    pub auth: String,
}

pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// Asserts the standard error envelope with this status and returns the message.
    pub fn error(&self, status: u16, error_type: &str) -> String {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.body["status_code"], status, "{}", self.body);
        assert_eq!(self.body["error_type"], error_type, "{}", self.body);
        let id = self.body["request_id"].as_str().expect("request_id");
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
        self.body["message"].as_str().expect("message").to_owned()
    }

    pub fn ok(&self, status: u16) -> &Value {
        assert_eq!(self.status, status, "{}", self.body);
        &self.body
    }
}

impl Api {
    pub fn new(server: &MockServer, company: u8) -> Api {
        Api {
            url: server.url(),
            base: server.base(),
            http: http(),
            auth: format!("Bearer {}", key(company)),
        }
    }

    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.url))
            .header("authorization", &self.auth)
    }

    pub async fn send(&self, builder: reqwest::RequestBuilder) -> Reply {
        let response = builder.send().await.expect("request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.request(reqwest::Method::GET, path)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(self.request(reqwest::Method::DELETE, path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(self.request(reqwest::Method::POST, path).json(&body))
            .await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(self.request(reqwest::Method::PUT, path).json(&body))
            .await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(self.request(reqwest::Method::PATCH, path).json(&body))
            .await
    }

    /// Raw bytes of a GET (exports).
    pub async fn bytes(&self, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let response = self
            .request(reqwest::Method::GET, path)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, headers, response.bytes().await.expect("body").to_vec())
    }

    pub async fn balance(&self) -> f64 {
        self.get("/credits/balance").await.ok(200)["balance"]
            .as_f64()
            .unwrap()
    }

    /// Creates a table from text and returns its id.
    pub async fn create_text_table(&self, name: &str, text: &str) -> String {
        let reply = self
            .post(
                "/tables",
                serde_json::json!({"schema_id": "schema_sample", "name": name, "source_text": text}),
            )
            .await;
        reply.ok(201)["id"].as_str().unwrap().to_owned()
    }

    /// Polls until the table reaches a terminal status and returns it.
    pub async fn wait_table(&self, id: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let table = self.get(&format!("/tables/{id}")).await.ok(200).clone();
            if matches!(
                table["status"].as_str(),
                Some("completed" | "error" | "cancelled")
            ) {
                return table;
            }
            assert!(Instant::now() < deadline, "table {id} never finished: {table}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// The webhook secret of this company, from the control API.
    pub async fn webhook_secret(&self) -> String {
        let response = self
            .http
            .get(format!("{}/__mock/webhook-secret", self.base))
            .header("authorization", &self.auth)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let body: Value = response.json().await.unwrap();
        body["secret"].as_str().unwrap().to_owned()
    }
}

/// One request captured by the [`Receiver`].
#[derive(Debug)]
pub struct Captured {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Captured {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A tiny loopback HTTP server that records each request and answers with the next
/// status of `statuses` (then 200).
pub struct Receiver {
    pub url: String,
    pub requests: mpsc::UnboundedReceiver<Captured>,
}

pub async fn receiver(statuses: Vec<u16>) -> Receiver {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks/lasso", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut statuses = statuses.into_iter();
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let status = statuses.next().unwrap_or(200);
            let mut data = Vec::new();
            let mut buf = [0u8; 4096];
            let captured = loop {
                let n = socket.read(&mut buf).await.unwrap_or(0);
                if n == 0 {
                    break None;
                }
                data.extend_from_slice(&buf[..n]);
                if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&data[..end]).into_owned();
                    let mut lines = head.split("\r\n");
                    let path = lines
                        .next()
                        .unwrap_or("")
                        .split(' ')
                        .nth(1)
                        .unwrap_or("")
                        .to_owned();
                    let headers: Vec<(String, String)> = lines
                        .filter_map(|l| l.split_once(':'))
                        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
                        .collect();
                    let length: usize = headers
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                        .and_then(|(_, v)| v.parse().ok())
                        .unwrap_or(0);
                    while data.len() < end + 4 + length {
                        let n = socket.read(&mut buf).await.unwrap_or(0);
                        if n == 0 {
                            break;
                        }
                        data.extend_from_slice(&buf[..n]);
                    }
                    let body = data[end + 4..].to_vec();
                    break Some(Captured { path, headers, body });
                }
            };
            let reply = format!("HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            let _ = socket.write_all(reply.as_bytes()).await;
            if let Some(captured) = captured {
                let _ = tx.send(captured);
            }
        }
    });
    Receiver { url, requests: rx }
}

impl Receiver {
    pub async fn next(&mut self, within: Duration) -> Captured {
        tokio::time::timeout(within, self.requests.recv())
            .await
            .expect("webhook arrives in time")
            .expect("receiver alive")
    }
}

/// Recomputes `sha256=<hex HMAC-SHA256(secret, body)>`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

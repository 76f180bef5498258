//! Helpers shared by every integration test of the emulator: keys and a plain-HTTP
//! client, a JSON client bound to one company (API and control API), checks of the
//! error envelope, a loopback webhook receiver and the `lasso-mock` binary.
#![allow(dead_code)] // each test binary uses a different subset

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode};
use lasso_mock::{MockConfig, MockServer};
use reqwest::Method;
use serde_json::{json, Value};
use tokio::sync::mpsc;

/// The emulator's binary.
pub const BIN: &str = env!("CARGO_BIN_EXE_lasso-mock");

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

/// Asserts the status and the standard error envelope of a JSON body.
#[track_caller]
pub fn assert_error_body(status: u16, body: &Value, expected_status: u16, error_type: &str) {
    assert_eq!(status, expected_status, "unexpected status, body: {body}");
    assert_eq!(body["status_code"], expected_status, "{body}");
    assert_eq!(body["error_type"], error_type, "{body}");
    let request_id = body["request_id"].as_str().expect("request_id string");
    let request_id = uuid::Uuid::parse_str(request_id).expect("request_id is a UUID");
    assert_eq!(request_id.get_version_num(), 4);
    assert!(body["message"].is_string(), "{body}");
}

/// Asserts the standard error envelope (and its content type) and returns its message.
pub async fn assert_envelope(response: reqwest::Response, status: u16, error_type: &str) -> String {
    let actual = response.status().as_u16();
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    let body = json(response).await;
    assert_error_body(actual, &body, status, error_type);
    body["message"].as_str().unwrap().to_owned()
}

/// One blocking HTTP/1.1 request for tests without a runtime; returns (status, body).
pub fn raw_request(
    port: u16,
    method: &str,
    path: &str,
    authorization: Option<&str>,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    let auth = authorization
        .map(|value| format!("Authorization: {value}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
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

/// Starts the binary with `args` and returns it with the API URL of its first line.
pub fn spawn_binary(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    let url = first_line
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {first_line:?}"))
        .to_owned();
    (child, url)
}

/// An emulator whose jobs take `time_scale` × their normal time.
pub async fn start(time_scale: f64) -> MockServer {
    start_with(MockConfig {
        time_scale,
        ..MockConfig::default()
    })
    .await
}

pub async fn start_with(config: MockConfig) -> MockServer {
    MockServer::start(config).await.expect("mock starts")
}

/// An emulator with the default settings and a client for company 1.
pub async fn start_api() -> (MockServer, Api) {
    let server = start_with(MockConfig::default()).await;
    let api = Api::new(&server, 1);
    (server, api)
}

/// Status, headers and JSON body (`Null` when empty, a string when not JSON).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// Asserts the status and returns the body.
    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(self.status, status, "unexpected status, body: {}", self.body);
        self.body
    }

    /// Asserts the standard error envelope with this status and type; returns it.
    #[track_caller]
    pub fn error(self, status: u16, error_type: &str) -> Value {
        assert_error_body(self.status, &self.body, status, error_type);
        self.body
    }

    /// As [`Reply::error`], returning the message.
    #[track_caller]
    pub fn error_message(self, status: u16, error_type: &str) -> String {
        self.error(status, error_type)["message"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// A JSON client of one company, for the API and the control API.
#[derive(Clone)]
pub struct Api {
    /// The API base URL (`…/api/v1`).
    pub url: String,
    /// The origin, where `/__mock` lives.
    pub base: String,
    pub http: reqwest::Client,
    pub company: u8,
}

impl Api {
    pub fn new(server: &MockServer, company: u8) -> Api {
        Api {
            url: server.url(),
            base: server.base(),
            http: client(),
            company,
        }
    }

    /// The same server as another company.
    pub fn as_company(&self, company: u8) -> Api {
        Api {
            company,
            ..self.clone()
        }
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.url))
            .header("authorization", bearer(self.company))
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
        self.send(self.request(Method::GET, path)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(self.request(Method::DELETE, path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(self.request(Method::POST, path).json(&body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(self.request(Method::PUT, path).json(&body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(self.request(Method::PATCH, path).json(&body)).await
    }

    /// The raw response of a GET, or the transport error (faults).
    pub async fn try_get(&self, path: &str) -> reqwest::Result<reqwest::Response> {
        self.request(Method::GET, path).send().await
    }

    /// The raw response of a GET (headers, envelopes, exports).
    pub async fn fetch(&self, path: &str) -> reqwest::Response {
        self.try_get(path).await.expect("request")
    }

    /// Status, headers and raw bytes of a GET.
    pub async fn bytes(&self, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let response = self.fetch(path).await;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, headers, response.bytes().await.expect("body").to_vec())
    }

    pub async fn balance(&self) -> f64 {
        self.get("/credits/balance").await.expect(200)["balance"]
            .as_f64()
            .unwrap()
    }

    /// Creates a table from text and returns its id.
    pub async fn create_text_table(&self, name: &str, text: &str) -> String {
        let reply = self
            .post(
                "/tables",
                json!({"schema_id": "schema_sample", "name": name, "source_text": text}),
            )
            .await;
        reply.expect(201)["id"].as_str().unwrap().to_owned()
    }

    /// Polls until the table reaches a terminal status and returns it.
    pub async fn wait_table(&self, id: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let table = self.get(&format!("/tables/{id}")).await.expect(200);
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

    /// A request to the control API (`/__mock{path}`, no auth).
    pub fn control_request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, format!("{}/__mock{path}", self.base))
    }

    /// A control endpoint that must succeed; its JSON body.
    pub async fn control(&self, method: Method, path: &str) -> Value {
        let response = self.control_request(method, path).send().await.unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        json(response).await
    }

    /// `POST /__mock/faults` with `fault` as is; the raw response.
    pub async fn post_fault(&self, fault: &Value) -> reqwest::Response {
        self.control_request(Method::POST, "/faults")
            .body(fault.to_string())
            .send()
            .await
            .unwrap()
    }

    /// Queues a fault that must be accepted.
    pub async fn queue_fault(&self, fault: Value) {
        let response = self.post_fault(&fault).await;
        let status = response.status().as_u16();
        assert_eq!(status, 201, "{}", json(response).await);
    }

    pub async fn stats(&self) -> Value {
        self.control(Method::GET, "/stats").await
    }

    /// The company's secret for `webhook_url` callbacks (the request needs its key).
    pub async fn webhook_secret(&self) -> String {
        let request = self.control_request(Method::GET, "/webhook-secret");
        let response = request
            .header("authorization", bearer(self.company))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        json(response).await["secret"].as_str().unwrap().to_owned()
    }
}

/// One request the [`Receiver`] got.
#[derive(Debug)]
pub struct Captured {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Captured {
    #[track_caller]
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("missing header {name}"))
            .to_str()
            .unwrap()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// Checks the documented headers and the signature with `secret`; returns the payload.
    #[track_caller]
    pub fn verify(&self, secret: &str, event: &str) -> Value {
        assert_eq!(self.header("content-type"), "application/json");
        assert_eq!(self.header("user-agent"), "Lasso-Webhook/1.0");
        assert_eq!(self.header("x-lasso-event"), event);
        assert!(uuid::Uuid::parse_str(self.header("x-lasso-delivery-id")).is_ok());
        assert_eq!(self.header("x-lasso-signature"), signature(secret, &self.body));
        let payload = self.json();
        assert_eq!(payload["event"], event);
        assert!(payload["timestamp"].as_str().unwrap().ends_with('Z'));
        payload
    }
}

#[derive(Clone)]
struct ReceiverState {
    tx: mpsc::UnboundedSender<Captured>,
    /// Statuses of the next answers; 204 once they are used up.
    statuses: Arc<Mutex<Vec<u16>>>,
    delay: Duration,
}

/// A loopback HTTP server standing in for a customer's webhook endpoint.
pub struct Receiver {
    pub url: String,
    rx: mpsc::UnboundedReceiver<Captured>,
}

async fn receive(
    State(state): State<ReceiverState>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    tokio::time::sleep(state.delay).await;
    let path = uri.path().to_owned();
    let _ = state.tx.send(Captured { path, headers, body });
    let mut statuses = state.statuses.lock().unwrap();
    let status = if statuses.is_empty() {
        204
    } else {
        statuses.remove(0)
    };
    StatusCode::from_u16(status).unwrap()
}

impl Receiver {
    /// Answers with `statuses` in turn, then 204; each answer after `delay`.
    pub async fn start(statuses: Vec<u16>, delay: Duration) -> Receiver {
        let (tx, rx) = mpsc::unbounded_channel();
        let state = ReceiverState {
            tx,
            statuses: Arc::new(Mutex::new(statuses)),
            delay,
        };
        let app = axum::Router::new()
            .route("/hooks/lasso", axum::routing::post(receive))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks/lasso", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { url, rx }
    }

    pub async fn next(&mut self) -> Captured {
        tokio::time::timeout(Duration::from_secs(10), self.rx.recv())
            .await
            .expect("a webhook delivery within 10 s")
            .expect("receiver open")
    }

    /// Asserts that nothing more arrives within `wait`.
    pub async fn nothing_more(&mut self, wait: Duration) {
        let extra = tokio::time::timeout(wait, self.rx.recv()).await;
        assert!(extra.is_err(), "unexpected delivery: {extra:?}");
    }
}

/// Recomputes `sha256=<hex HMAC-SHA256(secret, body)>`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

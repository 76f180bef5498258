//! Fault injection as a client sees it: every fault kind is observed over a raw TCP
//! connection (what exactly arrives, and how the connection ends) and, where it
//! matters, through reqwest. Also `times`, `probability`, per-route and global faults,
//! `execute`, and faults set from the command line.

mod common;

use std::collections::HashMap;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{assert_envelope, bearer, client, json, spawn_binary, start_api, Api, BIN};
use reqwest::Method;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BALANCE_BODY: &str = r#"{"balance":1000.0,"currency":"credits"}"#;

/// How a raw exchange ended.
#[derive(Debug, PartialEq)]
enum End {
    /// The server closed the connection in order (FIN).
    Eof,
    /// The connection was reset (RST).
    Reset,
    /// Nothing more arrived within the read timeout.
    Silent,
}

#[derive(Debug)]
struct Raw {
    bytes: Vec<u8>,
    end: End,
    /// Time from sending the request to the first byte of the answer.
    first_byte: Option<Duration>,
}

impl Raw {
    fn split(&self) -> (&[u8], &[u8]) {
        let at = self
            .bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(&self.bytes)));
        (&self.bytes[..at], &self.bytes[at + 4..])
    }

    fn status(&self) -> u16 {
        let head = String::from_utf8_lossy(self.split().0).into_owned();
        head.split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .expect("status code")
    }

    fn header(&self, name: &str) -> Option<String> {
        let head = String::from_utf8_lossy(self.split().0).into_owned();
        head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
        })
    }

    fn content_length(&self) -> usize {
        self.header("content-length")
            .expect("content-length")
            .parse()
            .unwrap()
    }

    fn body(&self) -> &[u8] {
        self.split().1
    }
}

/// One request on a fresh connection (`Connection: close`), reading until the server
/// closes or resets it, or until nothing arrives for `quiet`.
async fn raw(port: u16, method: &str, path: &str, quiet: Duration) -> Raw {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let request = format!(
        "{method} /api/v1{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {}\r\n\
         Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}",
        bearer(1)
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let sent = Instant::now();
    let mut bytes = Vec::new();
    let mut first_byte = None;
    let mut buf = vec![0u8; 64 * 1024];
    let end = loop {
        match tokio::time::timeout(quiet, stream.read(&mut buf)).await {
            Err(_) => break End::Silent,
            Ok(Ok(0)) => break End::Eof,
            Ok(Ok(n)) => {
                first_byte.get_or_insert_with(|| sent.elapsed());
                bytes.extend_from_slice(&buf[..n]);
            }
            Ok(Err(err)) if err.kind() == std::io::ErrorKind::ConnectionReset => break End::Reset,
            Ok(Err(err)) => panic!("unexpected read error {err}"),
        }
    };
    Raw {
        bytes,
        end,
        first_byte,
    }
}

const QUIET: Duration = Duration::from_secs(5);

/// `(received, executed, faulted)` of one operation.
async fn counts(api: &Api, op: &str) -> (u64, u64, u64) {
    let stats = api.stats().await;
    let get = |counter: &str| stats[counter][op].as_u64().unwrap();
    (get("received"), get("executed"), get("faulted"))
}

async fn balance_ok(api: &Api) {
    let response = api.fetch("/credits/balance").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().await.unwrap(), BALANCE_BODY);
}

#[tokio::test]
async fn reset_before_sends_no_byte_and_resets_the_connection() {
    let (server, api) = start_api().await;
    api.queue_fault(json!({"route": "GET /credits/balance", "kind": "reset_before"}))
        .await;

    let reply = raw(server.port(), "GET", "/credits/balance", QUIET).await;
    assert!(
        reply.bytes.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&reply.bytes)
    );
    assert_eq!(reply.end, End::Reset);
    assert_eq!(counts(&api, "credits.balance").await, (1, 0, 1));

    // Through an HTTP client: an error, no response at all.
    api.queue_fault(json!({"route": "GET /credits/balance", "kind": "reset_before"}))
        .await;
    let err = api.try_get("/credits/balance").await.unwrap_err();
    assert!(!err.is_status() && !err.is_timeout(), "{err:?}");
    assert_eq!(counts(&api, "credits.balance").await, (2, 0, 2));

    // The fault is used up: the next request is answered normally.
    balance_ok(&api).await;
    assert_eq!(counts(&api, "credits.balance").await, (3, 1, 2));
}

#[tokio::test]
async fn reset_before_after_a_delay() {
    let (server, api) = start_api().await;
    api.queue_fault(json!({"route": "*", "kind": "reset_before", "delay_ms": 300}))
        .await;
    let started = Instant::now();
    let reply = raw(server.port(), "GET", "/credits/balance", QUIET).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(reply.bytes.is_empty());
    assert_eq!(reply.end, End::Reset);
}

#[tokio::test]
async fn reset_after_headers_announces_a_body_and_drops_it_midway() {
    let (server, api) = start_api().await;
    api.queue_fault(json!({"route": "GET /credits/balance", "kind": "reset_after_headers"}))
        .await;
    let reply = raw(server.port(), "GET", "/credits/balance", QUIET).await;
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.header("content-type").as_deref(), Some("application/json"));
    let announced = reply.content_length();
    assert!(announced > 100, "{announced}");
    // Half the body by default, then a reset.
    assert_eq!(reply.body().len(), announced / 2);
    assert_eq!(reply.end, End::Reset);

    // An error status with `send_bytes`, seen through reqwest: headers arrive, the
    // body fails.
    api.queue_fault(json!({"route": "*", "kind": "reset_after_headers", "status": 503, "send_bytes": 10}))
        .await;
    let response = api.try_get("/credits/balance").await.unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert!(response.bytes().await.is_err());

    let raw_again = {
        api.queue_fault(json!({"route": "*", "kind": "reset_after_headers", "send_bytes": 0}))
            .await;
        raw(server.port(), "GET", "/credits/balance", QUIET).await
    };
    assert_eq!(raw_again.status(), 200);
    assert!(raw_again.body().is_empty());
    assert_eq!(raw_again.end, End::Reset);
    assert_eq!(counts(&api, "credits.balance").await, (3, 0, 3));
}

#[tokio::test]
async fn slow_headers_waits_before_the_first_byte() {
    let (server, api) = start_api().await;
    api.queue_fault(
        json!({"route": "GET /credits/balance", "kind": "slow_headers", "delay_ms": 400, "status": 504}),
    )
    .await;
    let reply = raw(server.port(), "GET", "/credits/balance", QUIET).await;
    assert!(
        reply.first_byte.unwrap() >= Duration::from_millis(400),
        "{reply:?}"
    );
    assert_eq!(reply.status(), 504);
    assert_eq!(reply.end, End::Eof);

    // A client with a shorter timeout gives up.
    api.queue_fault(json!({"route": "*", "kind": "slow_headers", "delay_ms": 2000}))
        .await;
    let err = api
        .request(Method::GET, "/credits/balance")
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(counts(&api, "credits.balance").await, (2, 0, 2));
}

#[tokio::test]
async fn stall_body_holds_the_rest_of_the_body() {
    let (server, api) = start_api().await;
    api.queue_fault(
        json!({"route": "GET /credits/balance", "kind": "stall_body", "send_bytes": 10, "delay_ms": 800}),
    )
    .await;
    // Reading with a short patience: headers and 10 bytes, then silence.
    let mut stream = TcpStream::connect(("127.0.0.1", server.port())).await.unwrap();
    let request = format!(
        "GET /api/v1/credits/balance HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nConnection: close\r\n\r\n",
        bearer(1)
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(300), stream.read(&mut buf)).await {
        assert!(n > 0, "closed early");
        bytes.extend_from_slice(&buf[..n]);
    }
    let partial = Raw {
        bytes: bytes.clone(),
        end: End::Silent,
        first_byte: None,
    };
    assert_eq!(partial.status(), 200);
    let announced = partial.content_length();
    assert_eq!(partial.body().len(), 10);
    // After the stall, the rest arrives and the response completes.
    stream.read_to_end(&mut bytes).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(800));
    let full = Raw {
        bytes,
        end: End::Eof,
        first_byte: None,
    };
    assert_eq!(full.body().len(), announced);
    let body: Value = serde_json::from_slice(full.body()).unwrap();
    assert_eq!(body["injected_by"], "lasso-mock");

    // Until the client gives up: reqwest with a timeout.
    api.queue_fault(json!({"route": "*", "kind": "stall_body"})).await;
    let response = api
        .request(Method::GET, "/credits/balance")
        .timeout(Duration::from_millis(300))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let err = response.bytes().await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

#[tokio::test]
async fn truncated_json_has_a_matching_content_length() {
    let (server, api) = start_api().await;
    api.queue_fault(json!({"route": "GET /credits/balance", "kind": "truncated_json"}))
        .await;
    let reply = raw(server.port(), "GET", "/credits/balance", QUIET).await;
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.header("content-type").as_deref(), Some("application/json"));
    assert_eq!(reply.body().len(), reply.content_length());
    assert!(reply.body().starts_with(b"{\""));
    assert!(serde_json::from_slice::<Value>(reply.body()).is_err());
    assert_eq!(reply.end, End::Eof);

    // A given body, cut after `send_bytes`.
    api.queue_fault(
        json!({"route": "*", "kind": "truncated_json", "body": {"data": [1, 2, 3]}, "send_bytes": 9}),
    )
    .await;
    let response = api.try_get("/credits/balance").await.unwrap();
    assert_eq!(response.headers()["content-length"], "9");
    assert_eq!(response.text().await.unwrap(), r#"{"data":["#);
    assert_eq!(counts(&api, "credits.balance").await, (2, 0, 2));
}

#[tokio::test]
async fn wrong_content_type_serves_html() {
    let (_server, api) = start_api().await;
    api.queue_fault(json!({"route": "GET /credits/balance", "kind": "wrong_content_type"}))
        .await;
    let response = api.try_get("/credits/balance").await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
    assert!(response.text().await.unwrap().contains("<html>"));
    assert_eq!(counts(&api, "credits.balance").await, (1, 0, 1));

    // `execute`: the operation runs and its real body comes labelled as HTML.
    api.queue_fault(json!({"route": "GET /credits/balance", "kind": "wrong_content_type", "execute": true}))
        .await;
    let response = api.try_get("/credits/balance").await.unwrap();
    assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(response.text().await.unwrap(), BALANCE_BODY);
    assert_eq!(counts(&api, "credits.balance").await, (2, 1, 2));
}

#[tokio::test]
async fn oversized_streams_exactly_size_bytes() {
    let (server, api) = start_api().await;
    api.queue_fault(json!({"route": "GET /credits/balance", "kind": "oversized"}))
        .await;
    let response = api.try_get("/credits/balance").await.unwrap();
    assert_eq!(response.status().as_u16(), 500);
    assert_eq!(response.headers()["content-length"], "10485760");
    let body = response.bytes().await.unwrap();
    assert_eq!(body.len(), 10 * 1024 * 1024);
    // Still a valid error envelope, padded.
    let value: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(value["error_type"], "internal_error");
    assert!(value["padding"].as_str().unwrap().len() > 10_000_000);

    api.queue_fault(
        json!({"route": "*", "kind": "oversized", "status": 502, "size_bytes": 5000, "body_kind": "html"}),
    )
    .await;
    let reply = raw(server.port(), "GET", "/credits/balance", QUIET).await;
    assert_eq!(reply.status(), 502);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(reply.body().len(), 5000);
    assert_eq!(reply.content_length(), 5000);
    assert!(reply.body().starts_with(b"<!DOCTYPE html>"));
    assert_eq!(reply.end, End::Eof);
}

#[tokio::test]
async fn status_body_kinds_json_html_and_empty() {
    let (server, api) = start_api().await;
    api.queue_fault(json!({"route": "*", "status": 502, "body_kind": "html"}))
        .await;
    api.queue_fault(
        json!({"route": "*", "status": 503, "body_kind": "empty", "headers": {"Retry-After": "1"}}),
    )
    .await;
    api.queue_fault(json!({"route": "*", "status": 504, "body_kind": "json"}))
        .await;

    let response = api.try_get("/credits/balance").await.unwrap();
    assert_eq!(response.status().as_u16(), 502);
    assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("<h1>502 Bad Gateway</h1>"));

    let reply = raw(server.port(), "GET", "/credits/balance", QUIET).await;
    assert_eq!(reply.status(), 503);
    assert_eq!(reply.header("retry-after").as_deref(), Some("1"));
    assert_eq!(reply.header("content-type"), None);
    assert_eq!(reply.content_length(), 0);
    assert!(reply.body().is_empty());

    let response = api.try_get("/credits/balance").await.unwrap();
    assert_eq!(response.status().as_u16(), 504);
    assert_eq!(json(response).await["error_type"], "internal_error");
    balance_ok(&api).await;
}

#[tokio::test]
async fn retry_after_in_both_forms() {
    let (_server, api) = start_api().await;
    let date = "Wed, 21 Oct 2015 07:28:00 GMT";
    api.queue_fault(json!({"route": "*", "status": 429, "headers": {"Retry-After": "2"}}))
        .await;
    api.queue_fault(json!({"route": "*", "status": 429, "headers": {"Retry-After": date}}))
        .await;
    api.queue_fault(json!({"route": "*", "status": 429})).await;
    for expected in [Some("2"), Some(date), None] {
        let response = api.try_get("/credits/balance").await.unwrap();
        assert_eq!(response.status().as_u16(), 429);
        let header = response
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(header.as_deref(), expected);
        assert_eq!(json(response).await["error_type"], "rate_limited");
    }
}

#[tokio::test]
async fn times_counts_down_per_route_and_global_faults_match_everything() {
    let (_server, api) = start_api().await;
    api.queue_fault(json!({"route": "POST /search", "status": 500, "times": 2}))
        .await;
    // Other routes are untouched by a per-route fault.
    balance_ok(&api).await;
    assert_eq!(counts(&api, "credits.balance").await, (1, 1, 0));
    let search = || {
        api.request(Method::POST, "/search")
            .json(&json!({"query": "headphones"}))
            .send()
    };
    assert_eq!(search().await.unwrap().status().as_u16(), 500);
    assert_eq!(search().await.unwrap().status().as_u16(), 500);
    assert_eq!(search().await.unwrap().status().as_u16(), 200);
    assert_eq!(counts(&api, "search").await, (3, 1, 2));

    // A global fault hits any operation, unknown routes included.
    api.queue_fault(json!({"route": "*", "kind": "reset_before", "times": 3}))
        .await;
    assert!(api.try_get("/credits/balance").await.is_err());
    assert!(api.try_get("/tables/tbl_sample").await.is_err());
    assert!(api.try_get("/no/such/route").await.is_err());
    assert_eq!(
        api.try_get("/credits/balance").await.unwrap().status().as_u16(),
        200
    );
    assert_eq!(counts(&api, "tables.get").await, (1, 0, 1));
    assert_eq!(counts(&api, "unknown").await, (1, 0, 1));
}

#[tokio::test]
async fn probability_is_random_but_seeded() {
    async fn pattern(seed: u64) -> Vec<bool> {
        let (_server, api) = start_api().await;
        api.queue_fault(
            json!({"route": "GET /credits/balance", "status": 503, "probability": 0.3, "seed": seed}),
        )
        .await;
        let mut hits = Vec::new();
        for _ in 0..150 {
            let status = api.try_get("/credits/balance").await.unwrap().status().as_u16();
            hits.push(status == 503);
        }
        // The fault stays queued: a probability fault without `times` has no limit.
        let listed = api.control(Method::GET, "/faults").await;
        assert_eq!(listed["faults"][0]["times"], Value::Null);
        assert_eq!(listed["faults"][0]["probability"], 0.3);
        let (received, executed, faulted) = counts(&api, "credits.balance").await;
        assert_eq!(received, 150);
        assert_eq!(faulted as usize, hits.iter().filter(|&&hit| hit).count());
        assert_eq!(executed + faulted, 150);
        hits
    }
    let a = pattern(11).await;
    assert_eq!(a, pattern(11).await, "same seed, same draws");
    assert_ne!(a, pattern(12).await);
    let hits = a.iter().filter(|&&hit| hit).count();
    assert!((25..=65).contains(&hits), "{hits} of 150 at p=0.3");

    // `times` caps a probability fault; 1.0 always fires, 0.0 never.
    let (_server, api) = start_api().await;
    api.queue_fault(json!({"route": "*", "status": 500, "probability": 0.0}))
        .await;
    api.queue_fault(json!({"route": "*", "status": 502, "probability": 1.0, "times": 2}))
        .await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(api.try_get("/credits/balance").await.unwrap().status().as_u16());
    }
    assert_eq!(statuses, [502, 502, 200, 200]);
}

#[tokio::test]
async fn execute_runs_the_operation_and_then_fails_the_answer() {
    let (server, api) = start_api().await;
    // The classic ambiguous failure: the billed search ran, the client saw a 502.
    api.queue_fault(json!({"route": "POST /search", "status": 502, "body_kind": "html", "execute": true}))
        .await;
    let response = api
        .request(Method::POST, "/search")
        .json(&json!({"query": "headphones"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 502);
    assert_eq!(counts(&api, "search").await, (1, 1, 1));
    let balance = json(api.try_get("/credits/balance").await.unwrap()).await;
    assert_eq!(balance["balance"], 995.0);

    // A reset after the operation ran: nothing reaches the client.
    api.queue_fault(json!({"route": "POST /search", "kind": "reset_before", "execute": true}))
        .await;
    let mut stream = TcpStream::connect(("127.0.0.1", server.port())).await.unwrap();
    let body = r#"{"query":"laptops"}"#;
    let request = format!(
        "POST /api/v1/search HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        bearer(1),
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut bytes = Vec::new();
    let result = stream.read_to_end(&mut bytes).await;
    assert!(bytes.is_empty());
    assert_eq!(result.unwrap_err().kind(), std::io::ErrorKind::ConnectionReset);
    assert_eq!(counts(&api, "search").await, (2, 2, 2));
    let balance = json(api.try_get("/credits/balance").await.unwrap()).await;
    assert_eq!(balance["balance"], 990.0);

    // The real body, truncated; and the real answer, late.
    api.queue_fault(
        json!({"route": "GET /credits/balance", "kind": "truncated_json", "execute": true, "send_bytes": 12}),
    )
    .await;
    let reply = raw(server.port(), "GET", "/credits/balance", QUIET).await;
    assert_eq!(reply.body(), br#"{"balance":9"#);
    api.queue_fault(
        json!({"route": "GET /credits/balance", "kind": "slow_headers", "delay_ms": 300, "execute": true}),
    )
    .await;
    let reply = raw(server.port(), "GET", "/credits/balance", QUIET).await;
    assert!(reply.first_byte.unwrap() >= Duration::from_millis(300));
    assert_eq!(reply.body(), br#"{"balance":990.0,"currency":"credits"}"#);
}

#[tokio::test]
async fn listing_shows_kinds_and_invalid_kinds_are_422() {
    let (_server, api) = start_api().await;
    api.queue_fault(
        json!({"route": "GET /tables/{table_id}", "kind": "stall_body", "delay_ms": 100, "send_bytes": 4}),
    )
    .await;
    let listed = api.control(Method::GET, "/faults").await;
    let fault = &listed["faults"][0];
    assert_eq!(fault["kind"], "stall_body");
    assert_eq!(fault["times"], 1);
    assert_eq!(fault["delay_ms"], 100);
    assert_eq!(fault["send_bytes"], 4);
    assert_eq!(fault["execute"], false);

    for (fault, field) in [
        (json!({"route": "*", "kind": "teleport"}), "kind"),
        (json!({"route": "*", "kind": "reset_before", "body": "x"}), "body"),
        (
            json!({"route": "*", "status": 500, "probability": -0.1}),
            "probability",
        ),
        (
            json!({"route": "*", "kind": "oversized", "size_bytes": 1u64 << 40}),
            "size_bytes",
        ),
    ] {
        let response = api.post_fault(&fault).await;
        let message = assert_envelope(response, 422, "validation_error").await;
        assert!(message.contains(field), "{message}");
    }
}

#[tokio::test]
async fn cli_faults_from_a_file_and_inline() {
    let dir = std::env::temp_dir().join(format!("lasso-mock-faults-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("faults.json");
    std::fs::write(
        &file,
        json!([
            {"route": "GET /credits/balance", "status": 429, "headers": {"Retry-After": "0"}},
            {"route": "GET /credits/balance", "kind": "reset_before"}
        ])
        .to_string(),
    )
    .unwrap();
    let (mut child, url) = spawn_binary(&[
        "--faults",
        file.to_str().unwrap(),
        "--faults",
        r#"{"route": "GET /tables", "status": 503, "times": 2}"#,
    ]);
    let http = client();
    let get = |path: &str| {
        http.get(format!("{url}{path}"))
            .header("authorization", bearer(1))
            .send()
    };
    assert_eq!(get("/credits/balance").await.unwrap().status().as_u16(), 429);
    assert!(get("/credits/balance").await.is_err());
    assert_eq!(get("/credits/balance").await.unwrap().status().as_u16(), 200);
    assert_eq!(get("/tables").await.unwrap().status().as_u16(), 503);
    assert_eq!(get("/tables").await.unwrap().status().as_u16(), 503);
    assert_eq!(get("/tables").await.unwrap().status().as_u16(), 200);
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);

    // A bad spec: exit code 2 and a message naming the fault and the field.
    let bad = Command::new(BIN)
        .args([
            "--faults",
            r#"[{"route": "*", "kind": "reset_before"}, {"route": "*"}]"#,
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(bad.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("fault #1") && stderr.contains("status"),
        "{stderr}"
    );
}

#[tokio::test]
async fn cli_faults_probability_mixes_kinds_reproducibly() {
    async fn run(seed: &str) -> Vec<String> {
        let (mut child, url) = spawn_binary(&["--faults-probability", "0.5", "--faults-seed", seed]);
        let http = client();
        let mut outcomes = Vec::new();
        for _ in 0..200 {
            let outcome = match http
                .get(format!("{url}/credits/balance"))
                .header("authorization", bearer(1))
                .send()
                .await
            {
                Ok(response) => response.status().as_u16().to_string(),
                Err(_) => "reset".to_owned(),
            };
            outcomes.push(outcome);
        }
        child.kill().unwrap();
        child.wait().unwrap();
        outcomes
    }
    let a = run("5").await;
    assert_eq!(a, run("5").await);
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for outcome in &a {
        *counts.entry(outcome.as_str()).or_default() += 1;
    }
    for kind in ["200", "429", "500", "502", "503", "reset"] {
        assert!(
            counts.get(kind).copied().unwrap_or(0) > 0,
            "{kind} missing: {counts:?}"
        );
    }
    assert!((70..=130).contains(&counts["200"]), "{counts:?}");
}

#[tokio::test]
async fn shutdown_ends_stalls_and_delays_at_once() {
    let (server, api) = start_api().await;
    api.queue_fault(json!({"route": "GET /credits/balance", "kind": "stall_body"}))
        .await;
    api.queue_fault(json!({"route": "GET /tables", "kind": "slow_headers", "delay_ms": 300000}))
        .await;
    let stalled = api.try_get("/credits/balance").await.unwrap();
    assert_eq!(stalled.status().as_u16(), 200);
    let port = server.port();
    let slow = tokio::spawn(async move { raw(port, "GET", "/tables", Duration::from_secs(10)).await });
    tokio::time::sleep(Duration::from_millis(100)).await;

    let started = Instant::now();
    server.shutdown().await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // The stalled body ends with an error instead of its rest.
    assert!(stalled.bytes().await.is_err());
    let slow = slow.await.unwrap();
    assert_ne!(slow.end, End::Silent, "{slow:?}");
}

//! Secrets never show: every kind of error is triggered with every `log`
//! record captured (all targets, TRACE: the SDK's own DEBUG lines and those of
//! hyper, reqwest and rustls) and every panic message recorded, and neither the
//! key nor any 8 characters of its hidden part may appear in a message,
//! `Display`, `Debug`, `to_fields()`, log line or panic text; the webhook
//! secret appears in no webhook error. Runs against `lasso-mock` in-process.

mod common;

use lasso_ai::__bindings::{ClientExt, ErrorExt};
use std::sync::{Mutex, Once};
use std::time::Duration;

use common::{assert_secret_free, checked, secret, KEY};
use lasso_ai::{webhook, Client, Error, RequestOptions};
use lasso_mock::{MockConfig, MockServer};
use serde_json::json;

static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());
static PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {}: {}", record.level(), record.target(), record.args());
        LOG.lock().unwrap_or_else(|p| p.into_inner()).push(line);
    }
    fn flush(&self) {}
}

fn capture() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        static CAPTURE: Capture = Capture;
        log::set_logger(&CAPTURE).unwrap();
        log::set_max_level(log::LevelFilter::Trace);
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // `try_lock`: a panic while the list is being read must not deadlock.
            if let Ok(mut panics) = PANICS.try_lock() {
                panics.push(info.to_string());
            }
            previous(info);
        }));
    });
}

/// Every view of an error: `Display`, `Debug` (via `checked`) and `to_fields()`.
fn views(e: Error) -> Error {
    let e = checked(e);
    assert_secret_free(&e.to_fields().to_string());
    e
}

async fn mock() -> MockServer {
    MockServer::start(MockConfig {
        time_scale: 0.0,
        ..MockConfig::default()
    })
    .await
    .unwrap()
}

fn client(url: &str) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(url)
        .max_retries(0)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_error_log_line_or_panic_shows_the_key() {
    capture();
    let server = mock().await;
    let client = client(&server.url());
    assert_secret_free(&format!("{client:?} {client:#?}"));
    let mut kinds = std::collections::BTreeSet::new();
    let mut seen = |e: Error| kinds.insert(views(e).code());

    // API errors of every documented status, and others, with JSON and HTML bodies.
    for status in [400, 401, 402, 403, 404, 409, 422, 429, 500, 502, 503, 504, 418] {
        for body_kind in ["json", "html", "empty"] {
            let fault = json!({"route": "GET /credits/balance", "status": status, "body_kind": body_kind,
                               "headers": {"Retry-After": "120", "X-Request-Id": "req-1"}});
            server.add_faults(&fault.to_string()).unwrap();
            let e = client.credits().balance().await.unwrap_err();
            assert_eq!(e.status(), Some(status), "{e}");
            seen(e);
        }
    }
    // The emulator's own errors: not found, validation, a revoked key.
    seen(client.tables().get("tbl_missing").await.unwrap_err());
    seen(
        client
            .call("search", json!({}), &RequestOptions::new())
            .await
            .unwrap_err(),
    );
    let revoked = Client::builder()
        .api_key(format!("lasso_{}", "0".repeat(64)))
        .base_url(server.url())
        .build()
        .unwrap();
    seen(revoked.credits().balance().await.unwrap_err());

    // Connection, timeout, decode.
    let refused = common::refused_port().await;
    seen(client_at(refused).credits().balance().await.unwrap_err());
    server
        .add_faults(r#"{"route": "GET /credits/balance", "kind": "slow_headers", "delay_ms": 1000}"#)
        .unwrap();
    let quick = client.with_options(RequestOptions::new().timeout(Duration::from_millis(200)));
    seen(quick.credits().balance().await.unwrap_err());
    server
        .add_faults(r#"{"route": "GET /credits/balance", "kind": "wrong_content_type"}"#)
        .unwrap();
    seen(client.credits().balance().await.unwrap_err());
    server
        .add_faults(r#"{"route": "GET /credits/balance", "kind": "truncated_json"}"#)
        .unwrap();
    seen(client.credits().balance().await.unwrap_err());

    // A job that fails while being waited for.
    let failed = json!({"route": "GET /tables/tbl_sample", "status": 200, "times": 5,
        "body": {"id": "tbl_sample", "status": "failed", "progress": 40, "error_message": "worker crashed"}});
    server.add_faults(&failed.to_string()).unwrap();
    let e = client
        .wait_for_table(
            "tbl_sample",
            Duration::from_millis(10),
            Duration::from_secs(5),
            |_| {},
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "job_failed", "{e}");
    seen(e);

    // Invalid keys: each variant of the key is a secret too.
    let variants = [
        KEY[..40].to_owned(),
        format!("{KEY}00"),
        format!("sk_{}", &KEY[6..]),
        format!("{}é{}", &KEY[..30], &KEY[31..]),
        format!("{} {}", &KEY[..30], &KEY[31..]),
        format!("{}zz", &KEY[..68]),
        format!("\"{KEY}\""),
        format!("Bearer{}", &KEY[6..]),
    ];
    for raw in variants {
        secret(&raw);
        let e = Client::builder()
            .api_key(raw.clone())
            .base_url(server.url())
            .build()
            .unwrap_err();
        assert_eq!(e.code(), "invalid_api_key", "{raw}: {e}");
        seen(e);
    }
    let e = Client::builder().base_url(server.url()).build().unwrap_err();
    seen(e);

    // Configuration errors where the key ended up in the wrong option.
    for base_url in [
        KEY.to_owned(),
        format!("  {KEY}"),
        format!("https://user:{KEY}@hub.example/api/v1"),
        format!("https://{KEY}@hub.example/api/v1"),
        format!("https://hub.example/api/v1?api_key={KEY}"),
        format!("https://hub.example/api/v1#{KEY}"),
    ] {
        let e = Client::builder()
            .api_key(KEY)
            .base_url(base_url)
            .build()
            .unwrap_err();
        assert_eq!(e.code(), "configuration", "{e}");
        seen(e);
    }
    for (name, value) in [
        ("Authorization", format!("Bearer {KEY}")),
        ("X-Debug", format!("{KEY}\n")),
        ("authorization", KEY.to_owned()),
    ] {
        let e = Client::builder()
            .api_key(KEY)
            .base_url(server.url())
            .header(name, value)
            .build()
            .unwrap_err();
        assert_eq!(e.code(), "configuration", "{e}");
        seen(e);
    }
    let e = Client::builder()
        .api_key(KEY)
        .timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    seen(e);

    // Webhook verification errors carry no secret and no computed signature.
    let wh = secret("whsec_9f8e7d6c5b4a39281706f5e4d3c2b1a0");
    let body = br#"{"event":"webhook.test","data":{"n":1}}"#;
    let right = webhook::sign(body, &wh);
    let wrong = webhook::sign(body, "whsec_someone_else_entirely");
    for (header, secrets) in [
        (None, vec![wh.as_str()]),
        (Some("sha256=nothex"), vec![wh.as_str()]),
        (Some("v1=abc"), vec![wh.as_str()]),
        (Some(wrong.as_str()), vec![wh.as_str()]),
        (
            Some(wrong.as_str()),
            vec!["whsec_old_secret_number_one", wh.as_str()],
        ),
        (Some(right.as_str()), vec![]),
        (Some(right.as_str()), vec!["", wh.as_str()]),
    ] {
        let e = webhook::construct_event(b"{\"tampered\":true}", header, &secrets).unwrap_err();
        assert_eq!(e.code(), "webhook_verification", "{e}");
        let text = format!("{e} {e:?} {}", e.to_fields());
        assert!(
            !text.contains(&right[7..]) && !text.contains(&wrong[7..]),
            "{text}"
        );
        assert!(
            !text.contains("someone_else") && !text.contains("number_one"),
            "{text}"
        );
        seen(e);
    }
    let e =
        webhook::construct_event(b"not json", Some(&webhook::sign(b"not json", &wh)), &[&wh]).unwrap_err();
    seen(e);
    seen(Error::from(webhook::WebhookError::payload_not_raw(
        "a dict",
        "request.body",
    )));
    seen(Error::from_panic(&"a panic message"));

    for kind in [
        "invalid_request",
        "unauthenticated",
        "insufficient_credits",
        "forbidden",
        "not_found",
        "conflict",
        "validation_error",
        "rate_limited",
        "internal_error",
        "service_unavailable",
        "api_error",
        "connection",
        "timeout",
        "invalid_api_key",
        "configuration",
        "decode",
        "job_failed",
        "webhook_verification",
        "internal_sdk_error",
    ] {
        assert!(kinds.contains(kind), "no {kind} error was triggered: {kinds:?}");
    }

    // The log: the SDK's own attempt lines are there, and no line shows the key.
    let lines = LOG.lock().unwrap().clone();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("lasso: GET /api/v1/credits/balance -> 418")),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| !l.contains(" lasso: ")),
        "other crates' records are captured too"
    );
    for line in &lines {
        assert_secret_free(line);
    }
    let panics = PANICS.lock().unwrap().clone();
    for panic in &panics {
        assert_secret_free(panic);
    }
    server.shutdown().await;
}

fn client_at(port: u16) -> Client {
    client(&format!("http://127.0.0.1:{port}/api/v1"))
}

#[test]
fn http_to_a_non_loopback_host_is_refused_before_any_request() {
    for base_url in [
        "http://hub.banditshq.com/api/v1",
        "http://example.com",
        "http://10.0.0.1/api/v1",
        "http://192.168.1.10:8080/api/v1",
        "http://[2001:db8::1]/api/v1",
        "http://127.0.0.1.nip.io/api/v1",
        "http://localhost.example.com/api/v1",
        "HTTP://EXAMPLE.COM/api/v1",
    ] {
        let e = Client::builder()
            .api_key(KEY)
            .base_url(base_url)
            .build()
            .unwrap_err();
        assert_eq!(e.code(), "configuration", "{base_url}: {e}");
        assert!(e.message().contains("plain http://"), "{base_url}: {e}");
        checked(e);
    }
    for base_url in [
        "http://127.0.0.1:9/api/v1",
        "http://127.5.6.7/api/v1",
        "http://[::1]:9/api/v1",
        "http://localhost:9/api/v1",
    ] {
        Client::builder().api_key(KEY).base_url(base_url).build().unwrap();
    }
}

/// A server or proxy that echoes the `Authorization` header in an error body (some
/// gateways and debugging proxies do) must not put the key into the error's
/// message, `raw_body` or `body`: whole, cut short, or upper-cased.
#[tokio::test]
async fn a_key_echoed_by_the_server_is_not_shown() {
    let server = mock().await;
    let secret = &KEY["lasso_".len()..];
    for echoed in [
        format!("Invalid API key: Bearer {KEY}"),
        format!("AUTHORIZATION: BEARER {}", KEY.to_ascii_uppercase()),
        format!("key starting {}… is revoked", &secret[..24]),
        format!("{{\"token\": \"{}\"}}", &secret[10..50]),
    ] {
        let fault = json!({"route": "GET /credits/balance", "status": 401,
            "body": {"error_type": "unauthenticated", "message": echoed}});
        server.add_faults(&fault.to_string()).unwrap();
        let e = client(&server.url()).credits().balance().await.unwrap_err();
        let e = views(e);
        assert_eq!(e.code(), "unauthenticated", "{e}");
        assert!(e.message().contains('…'), "{e}");
    }
}

/// Configuration errors quote the base URL or header name as given; a key
/// pasted into the wrong place must not be shown there.
#[test]
fn a_key_in_a_bad_base_url_or_header_name_is_not_quoted() {
    for base_url in [
        format!("Bearer {KEY}"),
        format!("http://example.com/{KEY}"),
        format!("not a url {KEY}"),
    ] {
        let e = Client::builder()
            .api_key(KEY)
            .base_url(base_url)
            .build()
            .unwrap_err();
        views(e);
    }
    let e = Client::builder()
        .api_key(KEY)
        .header(format!("{KEY} x"), "v")
        .build()
        .unwrap_err();
    views(e);
}

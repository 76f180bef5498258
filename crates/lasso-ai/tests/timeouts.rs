//! Timeouts: slow headers, a stalled body, per-request overrides and the
//! connect timeout (against a loopback listener whose accept queue is full).

mod common;

use lasso_ai::__bindings::ClientExt;
use std::time::{Duration, Instant};

use common::*;
use http::Method;
use lasso_ai::{Error, RequestOptions};
use serde_json::json;

const SHORT: Duration = Duration::from_millis(300);

#[tokio::test]
async fn slow_headers_time_out_within_the_client_timeout() {
    let server = TestServer::start([balance_ok().after(Duration::from_secs(10))]).await;
    let client = builder(&server).timeout(SHORT).max_retries(0).build().unwrap();

    let started = Instant::now();
    let e = expect_err(client.credits().balance().await);
    let elapsed = started.elapsed();

    assert_eq!(e.code(), "timeout", "{e:?}");
    assert!(matches!(e, Error::Timeout { .. }));
    assert!(e.message().contains("timed out after 300 ms"), "{e}");
    assert!(e.message().starts_with("GET /credits/balance"), "{e}");
    assert!(!e.message().contains("gave up"), "{e}");
    assert_eq!(e.status(), None);
    assert!(
        elapsed >= SHORT && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_stalled_body_times_out() {
    // A success whose body stops after a few bytes times out; an error page
    // likewise stalled is still the error its status says, with what arrived.
    for status in [200, 500] {
        let stalled = Behaviour::StallBody {
            status,
            content_length: 1000,
            sent: br#"{"balance": 4"#.to_vec(),
        };
        let server = TestServer::start([stalled]).await;
        let client = builder(&server).timeout(SHORT).max_retries(0).build().unwrap();

        let started = Instant::now();
        let e = expect_err(client.credits().balance().await);
        let elapsed = started.elapsed();

        if status == 200 {
            assert_eq!(e.code(), "timeout", "{status}: {e:?}");
            assert!(e.message().contains("reading the body included"), "{e}");
        } else {
            assert_eq!(e.code(), "internal_error", "{status}: {e:?}");
            assert_eq!(e.raw_body(), Some(r#"{"balance": 4"#));
        }
        assert!(
            elapsed >= SHORT && elapsed < Duration::from_secs(2),
            "{status}: {elapsed:?}"
        );
        assert_eq!(server.count(), 1);
    }
}

#[tokio::test]
async fn a_stalled_body_is_retried_for_get_but_not_for_post() {
    let stalled = || Behaviour::StallBody {
        status: 200,
        content_length: 100,
        sent: b"{".to_vec(),
    };
    let server = TestServer::start([stalled(), Behaviour::json(200, json!({"balance": 1}))]).await;
    let client = builder(&server).timeout(SHORT).build().unwrap();
    let balance = expect_ok(client.credits().balance().await);
    assert_eq!(balance.balance, 1.0);
    assert_eq!(server.count(), 2);

    let server = TestServer::start([stalled(), Behaviour::json(200, json!({}))]).await;
    let client = builder(&server).timeout(SHORT).build().unwrap();
    let e = expect_err(
        client
            .raw_request(
                Method::POST,
                "/search",
                Some(json!({"q": 1})),
                &RequestOptions::new(),
            )
            .await,
    );
    assert_eq!(e.code(), "timeout");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn the_per_request_timeout_overrides_the_clients() {
    // A long client timeout, a short per-request one: the request one wins.
    let server = TestServer::always(balance_ok().after(Duration::from_secs(10))).await;
    let client = builder(&server)
        .timeout(Duration::from_secs(30))
        .max_retries(0)
        .build()
        .unwrap();
    let short = RequestOptions::new().timeout(SHORT);

    let started = Instant::now();
    let e = expect_err(
        client
            .call("credits.balance", serde_json::Value::Null, &short)
            .await,
    );
    assert_eq!(e.code(), "timeout");
    assert!(e.message().contains("300 ms"), "{e}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );

    let started = Instant::now();
    let e = expect_err(client.with_options(short.clone()).credits().balance().await);
    assert_eq!(e.code(), "timeout");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );

    let started = Instant::now();
    let e = expect_err(
        client
            .raw_request(Method::GET, "/credits/balance", None, &short)
            .await,
    );
    assert_eq!(e.code(), "timeout");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );

    // A short client timeout, a longer per-request one: the slow answer arrives.
    let server = TestServer::always(balance_ok().after(Duration::from_millis(600))).await;
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();
    let long = RequestOptions::new().timeout(Duration::from_secs(5));
    let balance = expect_ok(client.with_options(long.clone()).credits().balance().await);
    assert_eq!(balance.balance, 42.5);
    expect_ok(
        client
            .call("credits.balance", serde_json::Value::Null, &long)
            .await,
    );
    // …and without the override, the client's 200 ms applies.
    let e = expect_err(client.credits().balance().await);
    assert_eq!(e.code(), "timeout");
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn connect_timeout_against_a_full_accept_queue() {
    let Some((addr, _listener, _fillers)) = full_backlog().await else {
        eprintln!("SKIPPED: this kernel does not leave connections to a full accept queue pending");
        return;
    };
    let base_url = format!("http://{addr}/api/v1");

    // The client's connect timeout, no retries.
    let client = lasso_ai::Client::builder()
        .api_key(KEY)
        .base_url(&base_url)
        .connect_timeout(SHORT)
        .timeout(Duration::from_secs(10))
        .max_retries(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let e = expect_err(client.credits().balance().await);
    let elapsed = started.elapsed();
    assert_eq!(e.code(), "timeout", "{e:?}");
    assert!(
        e.message().contains(&format!("connecting to {addr} timed out")),
        "{e}"
    );
    assert!(
        elapsed >= Duration::from_millis(250) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );

    // A per-request connect timeout overrides the client's (10 s by default).
    let client = lasso_ai::Client::builder()
        .api_key(KEY)
        .base_url(&base_url)
        .timeout(Duration::from_secs(10))
        .max_retries(0)
        .build()
        .unwrap();
    let options = RequestOptions::new().connect_timeout(SHORT);
    let started = Instant::now();
    let e = expect_err(
        client
            .call("credits.balance", serde_json::Value::Null, &options)
            .await,
    );
    assert_eq!(e.code(), "timeout", "{e:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );

    // The request never left: even a POST is retried (three attempts).
    let options = RequestOptions::new().connect_timeout(SHORT).max_retries(2);
    let started = Instant::now();
    let e = expect_err(
        client
            .raw_request(Method::POST, "/search", Some(json!({"q": 1})), &options)
            .await,
    );
    let elapsed = started.elapsed();
    assert_eq!(e.code(), "timeout", "{e:?}");
    assert!(e.message().contains("gave up after 3 attempts"), "{e}");
    // 3 × 0.3 s connecting + 0.25–0.5 s + 0.5–1 s of backoff.
    assert!(
        elapsed >= Duration::from_millis(1600) && elapsed < Duration::from_secs(4),
        "{elapsed:?}"
    );
}

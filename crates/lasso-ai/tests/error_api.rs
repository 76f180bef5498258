//! The error model as a Rust caller uses it: a `kind()` to match on instead of
//! strings, `is_retryable()` / `retry_after()`, the `source()` chain down to the
//! `io::Error` or `serde_json::Error`, `ApiError` as a `std::error::Error`, a
//! `Display` naming the request, a `Debug` showing the body once, and a typed
//! webhook failure reason.

mod common;

use std::error::Error as _;
use std::time::Duration;

use common::*;
use lasso_ai::webhook::{self, WebhookErrorReason};
use lasso_ai::{ApiError, Error, ErrorKind, RequestOptions, Upload};
use serde_json::json;

fn is_std_error<E: std::error::Error + Send + Sync + 'static>(_: &E) {}

#[tokio::test]
async fn an_api_error_has_a_kind_retry_helpers_and_names_its_request() {
    let limited =
        Behaviour::envelope(429, "rate_limited", "Slow down", "req_429").with_header("retry-after", "7");
    let server = TestServer::start([limited]).await;
    let e = client(&server)
        .tables()
        .get("tbl_1")
        .with_options(RequestOptions::new().max_retries(0))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert!(e.is_retryable(), "{e:?}");
    assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(e.request_id(), Some("req_429"));
    assert_eq!(
        e.to_string(),
        "GET /tables/{table_id}: Slow down (429 rate_limited, request_id req_429)"
    );
    let api: &ApiError = e.as_api().unwrap();
    is_std_error(api);
    assert_eq!(api.kind(), ErrorKind::RateLimited);
    // The body shows once in `Debug`, not as both parsed JSON and raw text.
    let debug = format!("{e:?}");
    assert_eq!(debug.matches("status_code").count(), 1, "{debug}");

    let server = TestServer::start([Behaviour::envelope(404, "not_found", "No table", "r")]).await;
    let e = client(&server).tables().get("tbl_1").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(!e.is_retryable());
}

#[tokio::test]
async fn the_source_chain_reaches_the_json_io_and_network_errors() {
    // A 200 whose body is not the model: the serde_json error underneath.
    let server = TestServer::start([Behaviour::json(200, json!({"balance": "lots"}))]).await;
    let e = client(&server).credits().balance().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    let source = e.source().expect("a decode error has a source");
    assert!(source.downcast_ref::<serde_json::Error>().is_some(), "{source:?}");

    // A file that is not there: the io::Error, and nothing is sent.
    let missing = std::env::temp_dir().join("lasso-no-such-file.pdf");
    let e = client(&server)
        .files()
        .upload(Upload::path(&missing))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LocalFileNotFound);
    let io = e
        .source()
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .expect("the io::Error");
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
    assert!(
        matches!(&e, Error::File { path, .. } if path == &missing),
        "{e:?}"
    );
    assert_eq!(server.count(), 1, "only the balance call reached the server");

    // A refused connection: the network error underneath.
    let port = refused_port().await;
    let refused = lasso_ai::Client::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .unwrap();
    let e = refused.credits().balance().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection);
    assert!(e.source().is_some(), "{e:?}");
}

#[test]
fn a_webhook_failure_has_a_typed_reason() {
    let payload = br#"{"event":"table.completed"}"#;
    let signed = webhook::sign(payload, "whsec_right");
    let e = webhook::verify(payload, Some(&signed), &["whsec_wrong"]).unwrap_err();
    assert_eq!(e.reason(), WebhookErrorReason::NoMatchingSignature);
    let e: Error = e.into();
    assert_eq!(e.kind(), ErrorKind::WebhookVerification);
    assert!(matches!(
        e,
        Error::WebhookVerification {
            reason: WebhookErrorReason::NoMatchingSignature,
            ..
        }
    ));
}

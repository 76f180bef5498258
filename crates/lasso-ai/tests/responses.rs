//! The response behind a result: `Call::with_response` gives a call's value with
//! the status, request id and headers of the response that carried it, so a
//! caller can quote a request id to support about a call that worked.

mod common;

use common::*;
use lasso_ai::{ErrorKind, RequestOptions, Upload, WithResponse};

#[tokio::test]
async fn a_call_with_response_gives_the_value_status_request_id_and_headers() {
    let server = TestServer::start([balance_ok()
        .with_header("X-Request-Id", "req_ok_1")
        .with_header("X-Ratelimit-Remaining", "99")])
    .await;
    let WithResponse { data, response, .. } =
        client(&server).credits().balance().with_response().await.unwrap();
    assert_eq!(data.balance, 42.5);
    assert_eq!(response.status, 200);
    assert_eq!(response.request_id.as_deref(), Some("req_ok_1"));
    // Header names lower-cased, as HTTP/2 and the other front doors give them.
    assert!(
        response
            .headers
            .contains(&("x-ratelimit-remaining".into(), "99".into())),
        "{:?}",
        response.headers
    );
    assert!(response
        .headers
        .iter()
        .any(|(name, value)| name == "content-type" && value == "application/json"));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn with_response_keeps_the_call_options_and_an_empty_answer_has_its_status() {
    let server = TestServer::start([Behaviour::empty(204).with_header("x-request-id", "req_del")]).await;
    let deleted = client(&server)
        .tables()
        .delete("tbl_1")
        .with_options(RequestOptions::new().header("X-Trace", "t-1"))
        .with_response()
        .await
        .unwrap();
    assert_eq!(deleted.data, ());
    assert_eq!(deleted.response.status, 204);
    assert_eq!(deleted.response.request_id.as_deref(), Some("req_del"));
    assert_eq!(server.single().header("x-trace"), Some("t-1"));

    // Options given after `with_response` count too.
    let server = TestServer::start([balance_ok()]).await;
    let balance = client(&server)
        .credits()
        .balance()
        .with_response()
        .with_options(RequestOptions::new().header("X-Trace", "t-2"))
        .await
        .unwrap();
    assert_eq!(balance.response.request_id, None);
    assert_eq!(server.single().header("x-trace"), Some("t-2"));
}

#[tokio::test]
async fn a_failed_call_with_response_is_the_same_typed_error() {
    let server = TestServer::start([Behaviour::envelope(404, "not_found", "No table", "req_404")]).await;
    let e = client(&server)
        .tables()
        .get("tbl_1")
        .with_response()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.request_id(), Some("req_404"));
}

#[tokio::test]
async fn a_helper_with_response_is_refused_before_anything_is_sent() {
    let server = TestServer::start([]).await;
    let e = client(&server)
        .files()
        .upload(Upload::bytes(&b"x"[..], "a.txt"))
        .with_response()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Configuration);
    assert!(e.to_string().contains("`files.upload` is a helper"), "{e}");
    assert_eq!(server.count(), 0);
}

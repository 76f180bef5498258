//! Successful responses: typed decoding that keeps what it does not know,
//! and a clear `decode` error when a 200 is not the expected JSON.

mod common;

use common::*;
use lasso_ai::__bindings::ClientExt;
use lasso_ai::{Error, RequestOptions, TableStatus};
use serde_json::{json, Value};

#[tokio::test]
async fn a_200_that_is_not_json_is_a_decode_error_with_a_snippet() {
    let page = "<html><body><h1>Maintenance</h1>\n<p>We will be back   soon.</p></body></html>";
    let server = TestServer::start([Behaviour::html(200, page), Behaviour::html(200, page)]).await;
    let client = client(&server);

    let typed = expect_err(client.credits().balance().await);
    let generic = expect_err(
        client
            .call("credits.balance", Value::Null, &RequestOptions::new())
            .await,
    );
    for e in [typed, generic] {
        assert_eq!(e.code(), "decode", "{e:?}");
        assert_eq!(e.status(), Some(200));
        assert!(matches!(e, Error::Decode { .. }));
        let m = e.message();
        assert!(
            m.starts_with("GET /credits/balance answered 200 (text/html; charset=utf-8)"),
            "{m}"
        );
        assert!(m.ends_with(": Maintenance We will be back soon."), "{m}");
        assert_eq!(e.raw_body(), Some(page));
    }
    assert_eq!(server.count(), 2, "a decode error is not retried");
}

#[tokio::test]
async fn a_200_with_the_wrong_shape_or_no_body_is_a_decode_error_for_typed_calls() {
    let server = TestServer::start([
        Behaviour::json(200, json!({"balance": "lots"})),
        Behaviour::empty(200),
        Behaviour::empty(200),
    ])
    .await;
    let client = client(&server);

    let e = expect_err(client.credits().balance().await);
    assert_eq!(e.code(), "decode");
    assert!(e.message().contains("(application/json)"), "{e}");
    assert!(e.message().contains("invalid type"), "{e}");

    let e = expect_err(client.credits().balance().await);
    assert_eq!(e.code(), "decode");
    assert!(e.message().contains("(no content type)"), "{e}");

    // `call` returns JSON, but an empty body is not the Balance object either.
    let e = expect_err(
        client
            .call("credits.balance", Value::Null, &RequestOptions::new())
            .await,
    );
    assert_eq!(e.code(), "decode");
    assert!(
        e.message()
            .contains("an empty body where the Balance object was expected"),
        "{e}"
    );
}

#[tokio::test]
async fn a_balance_keeps_unknown_fields_in_extra() {
    let body = json!({
        "balance": 1234.75,
        "currency": "credits",
        "reserved": 10,
        "plan": {"name": "growth", "renews_at": "2026-02-01"},
    });
    let server = TestServer::start([
        Behaviour::json(200, body.clone()),
        Behaviour::json(200, json!({"balance": 3})),
    ])
    .await;
    let client = client(&server);

    let b = expect_ok(client.credits().balance().await);
    assert_eq!(b.balance, 1234.75);
    assert_eq!(b.currency.as_deref(), Some("credits"));
    assert_eq!(b.extra.len(), 2);
    assert_eq!(b.extra["reserved"], json!(10));
    assert_eq!(b.extra["plan"], body["plan"]);
    assert_eq!(
        serde_json::to_value(&b).unwrap(),
        body,
        "round trip keeps everything"
    );

    let b = expect_ok(client.credits().balance().await);
    assert_eq!((b.balance, b.currency, b.extra.len()), (3.0, None, 0));
}

#[tokio::test]
async fn tables_get_returns_a_typed_table_and_keeps_unknown_statuses() {
    let newer = json!({
        "id": "tbl_1",
        "name": "Spring catalog",
        "status": "archived_by_robot",
        "progress": 100,
        "total_rows": 42,
        "files": [{"name": "a.pdf", "path": "u/a.pdf", "size": 10}],
        "locked": true,
        "created_at": "2026-01-01T00:00:00Z",
    });
    let known = json!({"id": "tbl_2", "name": "Autumn catalog", "status": "completed"});
    let server = TestServer::start([
        Behaviour::json(200, newer.clone()),
        Behaviour::json(200, known),
        Behaviour::json(200, newer.clone()),
    ])
    .await;
    let client = client(&server);

    let t = expect_ok(client.tables().get("tbl_1").await);
    assert_eq!(t.id, "tbl_1");
    assert_eq!(t.name.as_deref(), Some("Spring catalog"));
    assert_eq!(t.status, TableStatus::Other("archived_by_robot".into()));
    assert_eq!(t.status.as_str(), "archived_by_robot");
    assert!(!t.status.is_terminal());
    assert_eq!((t.progress, t.total_rows), (Some(100.0), Some(42)));
    let files = &t.files;
    assert_eq!((files.len(), files[0].size), (1, Some(10)));
    assert_eq!(t.locked, Some(true));
    assert!(t.extra.is_empty());
    assert_eq!(t.schema_id, None);

    let t = expect_ok(client.tables().get("tbl_2").await);
    assert_eq!(t.status, TableStatus::Completed);
    assert!(t.status.is_terminal());

    // The generic entry point returns the JSON untouched.
    let v = expect_ok(
        client
            .call("tables.get", json!({"table_id": "tbl_1"}), &RequestOptions::new())
            .await,
    );
    assert_eq!(v, newer);

    let targets: Vec<_> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/api/v1/tables/tbl_1",
            "/api/v1/tables/tbl_2",
            "/api/v1/tables/tbl_1"
        ]
    );
}

#[tokio::test]
async fn bad_arguments_fail_before_any_request() {
    let server = TestServer::start([]).await;
    let client = client(&server);
    let none = RequestOptions::new();

    let e = expect_err(client.call("tables.delete_everything", json!({}), &none).await);
    assert_eq!(e.code(), "configuration");
    assert!(
        e.message()
            .contains("unknown operation `tables.delete_everything`"),
        "{e}"
    );

    let e = expect_err(client.call("tables.get", json!({}), &none).await);
    assert_eq!(e.message(), "tables.get: missing required argument `table_id`");

    let e = expect_err(client.call("tables.get", json!(["tbl_1"]), &none).await);
    assert!(e.message().contains("arguments must be an object"), "{e}");

    let e = expect_err(client.tables().get("").await);
    assert!(e.message().contains("must not be empty"), "{e}");

    assert_eq!(server.count(), 0);
}

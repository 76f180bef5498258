//! Error responses end to end: every documented `error_type` with the
//! standard envelope, an HTML page and an empty body, request ids, the newer
//! fields and unknown types.

mod common;

use common::*;
use http::StatusCode;
use lasso_ai::__bindings::{ClientExt, ErrorExt};
use lasso_ai::{Error, ErrorKind, RequestOptions};
use serde_json::json;

/// Status, documented `error_type` (= `Error::code()`).
const DOCUMENTED: &[(u16, &str)] = &[
    (400, "invalid_request"),
    (401, "unauthenticated"),
    (402, "insufficient_credits"),
    (403, "forbidden"),
    (404, "not_found"),
    (409, "conflict"),
    (422, "validation_error"),
    (429, "rate_limited"),
    (500, "internal_error"),
    (503, "service_unavailable"),
];

fn reason(status: u16) -> &'static str {
    StatusCode::from_u16(status).unwrap().canonical_reason().unwrap()
}

async fn fail_once(behaviour: Behaviour) -> (Error, TestServer) {
    let server = TestServer::start([behaviour]).await;
    let client = builder(&server).max_retries(0).build().unwrap();
    let e = expect_err(client.credits().balance().await);
    assert_eq!(server.count(), 1, "max_retries(0) makes one attempt");
    (e, server)
}

#[tokio::test]
async fn documented_envelope_gives_code_status_message_and_request_id() {
    for &(status, error_type) in DOCUMENTED {
        let message = format!("the {error_type} message");
        let request_id = format!("req_{status}");
        let (e, _server) = fail_once(Behaviour::envelope(status, error_type, &message, &request_id)).await;

        assert_eq!(e.code(), error_type, "{e:?}");
        assert_eq!(e.status(), Some(status));
        assert_eq!(e.message(), message);
        let api = e.as_api().expect("an API error");
        assert_eq!(api.status, status);
        assert_eq!(api.error_type.as_deref(), Some(error_type));
        assert_eq!(api.kind().code(), error_type);
        assert_eq!(api.request_id.as_deref(), Some(request_id.as_str()));
        assert_eq!(api.body.as_ref().unwrap()["status_code"], status);
        assert!(e.raw_body().unwrap().contains(&message));
        assert_eq!(api.retry_after, None);
        assert_eq!(
            e.to_string(),
            format!("GET /credits/balance: {message} ({status} {error_type}, request_id {request_id})")
        );
    }
}

#[tokio::test]
async fn html_body_gives_the_status_class_and_a_snippet() {
    for &(status, code) in DOCUMENTED {
        let page = format!(
            "<html><head><title>Oops</title></head>\n<body><h1>Gateway says   no</h1>\n<p>upstream {status}</p></body></html>"
        );
        let behaviour = Behaviour::html(status, &page).with_header("X-Request-Id", &format!("hdr_{status}"));
        let (e, _server) = fail_once(behaviour).await;

        assert_eq!(e.code(), code, "{e:?}");
        assert_eq!(e.status(), Some(status));
        let expected = format!(
            "HTTP {status} {}: body: Oops Gateway says no upstream {status}",
            reason(status)
        );
        assert_eq!(e.message(), expected);
        let api = e.as_api().unwrap();
        assert_eq!(api.error_type, None);
        assert_eq!(api.body, None);
        assert_eq!(
            api.request_id.as_deref(),
            Some(format!("hdr_{status}").as_str()),
            "request id from the header"
        );
        assert_eq!(e.raw_body(), Some(page.as_str()));
    }
}

#[tokio::test]
async fn empty_body_gives_the_status_class() {
    for &(status, code) in DOCUMENTED {
        let (e, _server) = fail_once(Behaviour::empty(status)).await;
        assert_eq!(e.code(), code, "{e:?}");
        assert_eq!(e.status(), Some(status));
        assert_eq!(
            e.message(),
            format!("HTTP {status} {} (empty body)", reason(status))
        );
        let api = e.as_api().unwrap();
        assert_eq!(
            (api.error_type.as_deref(), api.request_id.as_deref()),
            (None, None)
        );
        assert_eq!(e.raw_body(), Some(""));
        assert_eq!(
            e.to_string(),
            format!(
                "GET /credits/balance: HTTP {status} {} (empty body) ({status})",
                reason(status)
            )
        );
    }
}

#[tokio::test]
async fn other_5xx_are_internal_errors() {
    for status in [502, 504] {
        let (e, _server) = fail_once(Behaviour::html(status, "<h1>Bad gateway</h1>")).await;
        assert_eq!(e.code(), "internal_error");
        assert_eq!(e.as_api().unwrap().kind(), ErrorKind::InternalError);
        assert!(
            e.message().starts_with(&format!("HTTP {status} ")),
            "{}",
            e.message()
        );
    }
}

#[tokio::test]
async fn body_request_id_wins_over_the_header_and_the_header_fills_in() {
    let both = Behaviour::envelope(404, "not_found", "Table not found", "req_body")
        .with_header("x-request-id", "req_header");
    let (e, _s) = fail_once(both).await;
    assert_eq!(e.as_api().unwrap().request_id.as_deref(), Some("req_body"));

    let header_only = Behaviour::json(
        404,
        json!({"status_code": 404, "error_type": "not_found", "message": "gone"}),
    )
    .with_header("X-Request-ID", "req_header");
    let (e, _s) = fail_once(header_only).await;
    assert_eq!(e.as_api().unwrap().request_id.as_deref(), Some("req_header"));
    assert!(
        e.to_string().ends_with("(404 not_found, request_id req_header)"),
        "{e}"
    );
}

#[tokio::test]
async fn newer_fields_code_retryable_and_details_are_parsed() {
    let body = json!({
        "status_code": 409,
        "error_type": "conflict",
        "message": "The row changed since you read it",
        "request_id": "req_c",
        "code": "stale_write",
        "retryable": false,
        "details": {"current_updated_at": "2026-01-01T00:00:00Z", "fields": ["price"]},
    });
    let (e, _s) = fail_once(Behaviour::json(409, body.clone())).await;
    assert_eq!(e.code(), "conflict");
    let api = e.as_api().unwrap();
    assert_eq!(api.code.as_deref(), Some("stale_write"));
    assert_eq!(api.retryable, Some(false));
    assert_eq!(api.details, Some(body["details"].clone()));
    assert_eq!(api.body, Some(body));

    // A newer handler's body without the standard envelope, message under `error`.
    let (e, _s) = fail_once(Behaviour::json(
        422,
        json!({"error": "name is required", "code": "missing_field", "retryable": true}),
    ))
    .await;
    assert_eq!(e.code(), "validation_error");
    assert_eq!(e.message(), "name is required");
    let api = e.as_api().unwrap();
    assert_eq!(
        (api.code.as_deref(), api.retryable, api.error_type.as_deref()),
        (Some("missing_field"), Some(true), None)
    );
}

#[tokio::test]
async fn unknown_error_type_is_kept_as_it_came() {
    let (e, _s) = fail_once(Behaviour::envelope(
        400,
        "quota_exceeded_v2",
        "Daily quota exceeded",
        "req_q",
    ))
    .await;
    let api = e.as_api().unwrap();
    assert_eq!(api.error_type.as_deref(), Some("quota_exceeded_v2"));
    assert_eq!(e.code(), "invalid_request", "the status decides the class");
    assert_eq!(e.message(), "Daily quota exceeded");
    assert!(e.to_string().contains("400 quota_exceeded_v2"), "{e}");

    // An undocumented status with an unknown type: the generic class.
    let (e, _s) = fail_once(Behaviour::envelope(418, "teapot", "I am a teapot", "req_t")).await;
    assert_eq!(e.code(), "api_error");
    assert_eq!(e.as_api().unwrap().error_type.as_deref(), Some("teapot"));
    assert_eq!(e.as_api().unwrap().kind(), ErrorKind::ApiError);
}

#[tokio::test]
async fn documented_error_type_wins_over_the_status() {
    let (e, _s) = fail_once(Behaviour::envelope(
        400,
        "insufficient_credits",
        "Top up",
        "req_x",
    ))
    .await;
    assert_eq!(e.code(), "insufficient_credits");
    assert_eq!(e.status(), Some(400));
}

#[tokio::test]
async fn errors_through_call_and_tables_get_are_the_same() {
    let server = TestServer::start([
        Behaviour::envelope(404, "not_found", "Table not found", "req_1"),
        Behaviour::envelope(404, "not_found", "Table not found", "req_2"),
    ])
    .await;
    let client = builder(&server).max_retries(0).build().unwrap();
    let typed = expect_err(client.tables().get("tbl_missing").await);
    let generic = expect_err(
        client
            .call(
                "tables.get",
                json!({"table_id": "tbl_missing"}),
                &RequestOptions::new(),
            )
            .await,
    );
    for e in [&typed, &generic] {
        assert_eq!(e.code(), "not_found");
        assert_eq!(e.message(), "Table not found");
    }
    assert!(server
        .requests()
        .iter()
        .all(|r| r.target == "/api/v1/tables/tbl_missing"));
}

#[tokio::test]
async fn huge_error_body_is_capped() {
    let page = format!("<html><body>{}</body></html>", "x".repeat(200 * 1024));
    let (e, _s) = fail_once(Behaviour::html(500, &page)).await;
    assert_eq!(e.code(), "internal_error");
    assert!(e.raw_body().unwrap().len() <= lasso_ai::RAW_BODY_LIMIT);
    assert!(e.message().chars().count() < 300, "{}", e.message());
}

#[tokio::test]
async fn a_stale_write_carries_when_the_resource_last_changed() {
    // A Catalog handler answers without the standard envelope.
    let server = TestServer::start([Behaviour::json(
        409,
        serde_json::json!({"code": "stale_write", "current_updated_at": "2026-01-02T03:04:05Z", "attribute_key": "color"}),
    )])
    .await;
    let e = expect_err(client(&server).credits().balance().await);
    let api = e.as_api().unwrap();
    assert_eq!(e.code(), "conflict");
    assert_eq!(api.code.as_deref(), Some("stale_write"));
    assert_eq!(api.current_updated_at.as_deref(), Some("2026-01-02T03:04:05Z"));
    assert_eq!(api.attribute_key.as_deref(), Some("color"));
    let fields = e.to_fields();
    assert_eq!(fields["current_updated_at"], "2026-01-02T03:04:05Z");
    assert_eq!(fields["attribute_id"], serde_json::Value::Null);
}

//! Requests the API would bill but whose results could never be read are
//! refused before anything is sent, unless the caller opts in.

mod common;

use common::{client, expect_err, Behaviour, TestServer};
use lasso_ai::__bindings::ClientExt;
use lasso_ai::{RequestOptions, ENRICH_SYNC_LIMIT};
use serde_json::{json, Value};

fn records(n: usize) -> Value {
    (0..n).map(|i| json!({"name": format!("Mug {i}")})).collect()
}

fn accepted() -> Behaviour {
    Behaviour::json(202, json!({"id": "enr_1", "status": "processing"}))
}

#[tokio::test]
async fn an_enrich_of_six_records_without_a_webhook_is_refused_before_sending() {
    let server = TestServer::start([]).await;
    let e = expect_err(
        client(&server)
            .call(
                "enrich",
                json!({"items": records(ENRICH_SYNC_LIMIT + 1)}),
                &Default::default(),
            )
            .await,
    );
    assert_eq!(e.code(), "configuration");
    let text = e.to_string();
    for needed in [
        "6 records",
        "webhook_url",
        "at most 5",
        "allow_enrich_without_webhook",
    ] {
        assert!(text.contains(needed), "{needed:?} missing from: {text}");
    }
    assert_eq!(server.count(), 0, "nothing may be sent (it would be billed)");
}

#[tokio::test]
async fn a_webhook_url_five_records_or_an_explicit_opt_in_are_sent() {
    let server = TestServer::start([
        Behaviour::json(200, json!({"status": "completed", "results": []})),
        accepted(),
        accepted(),
        accepted(),
    ])
    .await;
    let c = client(&server);
    let none = RequestOptions::default();
    c.call("enrich", json!({"items": records(5)}), &none)
        .await
        .unwrap();
    let hook = json!({"items": records(6), "webhook_url": "https://example.com/hook"});
    c.call("enrich", hook, &none).await.unwrap();
    let via_extra = RequestOptions::new().extra_body("webhook_url", json!("https://example.com/hook"));
    c.call("enrich", json!({"items": records(6)}), &via_extra)
        .await
        .unwrap();
    let opted_in = RequestOptions::new().allow_enrich_without_webhook(true);
    c.call("enrich", json!({"items": records(50)}), &opted_in)
        .await
        .unwrap();
    assert_eq!(server.count(), 4);
}

//! `webhook_url` on table creation: `table.completed` is POSTed to a loopback
//! receiver with a verifiable signature, non-2xx answers are retried on the scaled
//! schedule, and every attempt is listed by `/__mock/webhook-deliveries`.

mod common;

use std::time::Duration;

use common::{start, Api, Receiver};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn completed_table_is_delivered_signed_and_retried() {
    // Scale 0.001: extraction 1.2 ms, retries after 30 ms, 300 ms, 1.8 s.
    let server = start(0.001).await;
    let api = Api::new(&server, 1);
    let secret = api.webhook_secret().await;
    assert_ne!(secret, Api::new(&server, 2).webhook_secret().await, "per company");
    let mut hooks = Receiver::start(vec![500, 503], Duration::ZERO).await;

    let reply = api
        .post(
            "/tables",
            json!({"schema_id": "schema_sample", "name": "Hooked", "source_text": "Bottle\nMug\n", "webhook_url": hooks.url}),
        )
        .await;
    let id = reply.expect(201)["id"].as_str().unwrap().to_owned();

    let mut delivery_ids = Vec::new();
    for _ in 0..3 {
        let hook = hooks.next().await;
        assert_eq!(hook.path, "/hooks/lasso");
        let payload = hook.verify(&secret, "table.completed");
        delivery_ids.push(hook.header("x-lasso-delivery-id").to_owned());
        assert_eq!(
            payload["data"],
            json!({"table_id": id, "status": "completed", "total_rows": 2})
        );
    }
    delivery_ids.dedup();
    assert_eq!(delivery_ids.len(), 3, "a new delivery id per attempt");
    // Delivered on the third attempt: no fourth.
    hooks.nothing_more(Duration::from_millis(300)).await;

    let log = api.control(Method::GET, "/webhook-deliveries").await;
    let attempts: Vec<(u64, Value, bool)> = log["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["attempt"].as_u64().unwrap(),
                d["status_code"].clone(),
                d["delivered"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        attempts,
        [
            (1, json!(500), false),
            (2, json!(503), false),
            (3, json!(204), true)
        ]
    );
}

#[tokio::test]
async fn failures_are_reported_and_retries_stop_after_three() {
    let server = start(0.0005).await;
    let api = Api::new(&server, 1);
    let mut hooks = Receiver::start(vec![500; 5], Duration::ZERO).await;
    api.post(
        "/tables",
        json!({"schema_id": "schema_sample", "name": "Broken", "source_text": "FAIL_EXTRACTION", "webhook_url": hooks.url}),
    )
    .await
    .expect(201);
    for _ in 0..4 {
        let payload = hooks.next().await.json();
        assert_eq!(payload["data"]["status"], "error");
        assert_eq!(payload["data"]["total_rows"], 0);
    }
    // Abandoned after three retries.
    hooks.nothing_more(Duration::from_millis(1500)).await;
}

#[tokio::test]
async fn non_loopback_targets_are_not_contacted() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    api.post(
        "/tables",
        json!({"schema_id": "schema_sample", "name": "x", "source_text": "a", "webhook_url": "https://hooks.example.com/lasso"}),
    )
    .await
    .expect(201);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let log = api.control(Method::GET, "/webhook-deliveries").await;
        if let Some(entry) = log["deliveries"].as_array().unwrap().first() {
            assert_eq!(entry["delivered"], false);
            assert!(entry["error"].as_str().unwrap().contains("loopback"));
            break;
        }
        assert!(std::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let response = api
        .control_request(Method::GET, "/webhook-secret")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        401,
        "the secret needs the company's key"
    );
}

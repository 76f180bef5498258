//! The `/__mock` control API: faults, stats, reset.

mod common;

use std::time::{Duration, Instant};

use common::{assert_envelope, json, start_api};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn rate_limit_once_then_success_executes_once() {
    let (_server, api) = start_api().await;
    let response = api
        .post_fault(&json!({
            "route": "GET /credits/balance",
            "times": 1,
            "status": 429,
            "headers": {"Retry-After": "0"}
        }))
        .await;
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(json(response).await, json!({"queued": true}));

    let response = api.fetch("/credits/balance").await;
    assert_eq!(response.headers()["retry-after"], "0");
    assert_envelope(response, 429, "rate_limited").await;

    let response = api.fetch("/credits/balance").await;
    assert_eq!(response.status().as_u16(), 200);

    let stats = api.stats().await;
    assert_eq!(stats["received"]["credits.balance"], 2);
    assert_eq!(stats["executed"]["credits.balance"], 1);
    assert_eq!(stats["faulted"]["credits.balance"], 1);
}

#[tokio::test]
async fn templates_custom_bodies_and_wildcards() {
    let (_server, api) = start_api().await;
    api.queue_fault(json!({
        "route": "GET /tables/{table_id}",
        "times": 2,
        "status": 503,
        "body": "{\"code\":\"attribute_rollout_read_failed\",\"retryable\":true}"
    }))
    .await;

    // Other operations are untouched.
    assert_eq!(api.fetch("/credits/balance").await.status().as_u16(), 200);
    for id in ["tbl_sample", "anything"] {
        let response = api.fetch(&format!("/tables/{id}")).await;
        assert_eq!(response.status().as_u16(), 503);
        assert_eq!(
            json(response).await,
            json!({"code": "attribute_rollout_read_failed", "retryable": true})
        );
    }
    assert_eq!(api.fetch("/tables/tbl_sample").await.status().as_u16(), 200);

    // "*" also covers unknown routes; a 2xx without body answers `{}`.
    api.queue_fault(json!({"route": "*", "status": 200})).await;
    let response = api.fetch("/not/a/route").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(json(response).await, json!({}));

    let stats = api.stats().await;
    assert_eq!(stats["faulted"]["tables.get"], 2);
    assert_eq!(stats["executed"]["tables.get"], 1);
    assert_eq!(stats["faulted"]["unknown"], 1);
}

#[tokio::test]
async fn faults_apply_only_after_authentication() {
    let (_server, api) = start_api().await;
    api.queue_fault(json!({"route": "*", "status": 500})).await;
    let response = api
        .http
        .get(format!("{}/credits/balance", api.url))
        .send()
        .await
        .unwrap();
    assert_envelope(response, 401, "unauthenticated").await;
    // The fault is still queued for the next authenticated call.
    assert_envelope(api.fetch("/credits/balance").await, 500, "internal_error").await;
    assert_eq!(api.fetch("/credits/balance").await.status().as_u16(), 200);
}

#[tokio::test]
async fn delay_ms_delays_the_answer() {
    let (_server, api) = start_api().await;
    api.queue_fault(
        json!({"route": "GET /credits/balance", "status": 200, "body": "{\"balance\":1}", "delay_ms": 200}),
    )
    .await;
    let started = Instant::now();
    let response = api.fetch("/credits/balance").await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(json(response).await, json!({"balance": 1}));
}

#[tokio::test]
async fn list_and_clear_faults() {
    let (_server, api) = start_api().await;
    api.queue_fault(json!({"route": "GET /credits/balance", "status": 429, "times": 3}))
        .await;
    api.fetch("/credits/balance").await;

    let listed = api.control(Method::GET, "/faults").await;
    let faults = listed["faults"].as_array().unwrap();
    assert_eq!(faults.len(), 1);
    assert_eq!(faults[0]["route"], "GET /credits/balance");
    assert_eq!(faults[0]["times"], 2);
    assert_eq!(faults[0]["status"], 429);

    let cleared = api.control(Method::DELETE, "/faults").await;
    assert_eq!(cleared["cleared"], 1);
    assert_eq!(api.fetch("/credits/balance").await.status().as_u16(), 200);
}

#[tokio::test]
async fn invalid_faults_are_422_naming_the_field() {
    let (_server, api) = start_api().await;
    let response = api
        .control_request(Method::POST, "/faults")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let message = assert_envelope(response, 422, "validation_error").await;
    assert!(message.starts_with("Invalid JSON body"), "{message}");

    let response = api.post_fault(&json!({"route": "*"})).await;
    let message = assert_envelope(response, 422, "validation_error").await;
    assert_eq!(message, "Missing required field: status");

    let response = api
        .post_fault(&json!({"route": "*", "status": 429, "times": 0}))
        .await;
    let message = assert_envelope(response, 422, "validation_error").await;
    assert!(message.contains("times"), "{message}");

    let listed = api.control(Method::GET, "/faults").await;
    assert_eq!(listed["faults"], json!([]));
}

#[tokio::test]
async fn reset_clears_stats_faults_and_state() {
    let (_server, api) = start_api().await;
    api.fetch("/credits/balance").await;
    api.queue_fault(json!({"route": "*", "status": 500})).await;

    let reset = api.control(Method::POST, "/reset").await;
    assert_eq!(reset, json!({"reset": true}));

    let stats = api.stats().await;
    for kind in ["received", "executed", "faulted"] {
        for (op, count) in stats[kind].as_object().unwrap() {
            assert_eq!(count, 0, "{kind}.{op}");
        }
    }
    assert_eq!(api.fetch("/credits/balance").await.status().as_u16(), 200);
    assert_eq!(api.fetch("/tables/tbl_sample").await.status().as_u16(), 200);
}

#[tokio::test]
async fn control_api_wrong_method_is_400() {
    let (_server, api) = start_api().await;
    let response = api.control_request(Method::PUT, "/stats").send().await.unwrap();
    assert_envelope(response, 400, "invalid_request").await;
}

#[tokio::test]
async fn the_journal_shows_requests_with_the_key_masked() {
    let (_server, api) = start_api().await;
    let response = api.fetch("/tables/tbl_sample?x=1").await;
    assert_eq!(response.status(), 200);
    let journal = api.control(Method::GET, "/requests").await;
    let requests = journal["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r["operation"], "tables.get");
    assert_eq!(r["method"], "GET");
    assert_eq!(r["query"], "x=1");
    let auth = r["headers"]["authorization"].as_str().unwrap();
    assert!(auth.starts_with("Bearer lasso_…"), "{auth}");
    assert!(!auth.contains(&common::key(1)[6..60]));

    api.control(Method::POST, "/reset").await;
    let journal = api.control(Method::GET, "/requests").await;
    assert_eq!(journal["requests"].as_array().unwrap().len(), 0);
}

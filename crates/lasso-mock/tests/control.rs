//! The `/__mock` control API: faults, stats, reset.

mod common;

use std::time::{Duration, Instant};

use common::{assert_envelope, bearer, client, json};
use lasso_mock::{MockConfig, MockServer};
use serde_json::{json, Value};

struct Harness {
    server: MockServer,
    http: reqwest::Client,
}

impl Harness {
    async fn new() -> Harness {
        Harness {
            server: MockServer::start(MockConfig::default()).await.unwrap(),
            http: client(),
        }
    }

    async fn api_get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.server.url()))
            .header("authorization", bearer(1))
            .send()
            .await
            .unwrap()
    }

    async fn queue(&self, fault: Value) -> reqwest::Response {
        self.http
            .post(format!("{}/__mock/faults", self.server.base()))
            .body(fault.to_string())
            .send()
            .await
            .unwrap()
    }

    async fn control(&self, method: reqwest::Method, path: &str) -> Value {
        let response = self
            .http
            .request(method, format!("{}/__mock{path}", self.server.base()))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
        json(response).await
    }

    async fn stats(&self) -> Value {
        self.control(reqwest::Method::GET, "/stats").await
    }
}

#[tokio::test]
async fn rate_limit_once_then_success_executes_once() {
    let h = Harness::new().await;
    let response = h
        .queue(json!({
            "route": "GET /credits/balance",
            "times": 1,
            "status": 429,
            "headers": {"Retry-After": "0"}
        }))
        .await;
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(json(response).await, json!({"queued": true}));

    let response = h.api_get("/credits/balance").await;
    assert_eq!(response.headers()["retry-after"], "0");
    assert_envelope(response, 429, "rate_limited").await;

    let response = h.api_get("/credits/balance").await;
    assert_eq!(response.status().as_u16(), 200);

    let stats = h.stats().await;
    assert_eq!(stats["received"]["credits.balance"], 2);
    assert_eq!(stats["executed"]["credits.balance"], 1);
    assert_eq!(stats["faulted"]["credits.balance"], 1);
}

#[tokio::test]
async fn templates_custom_bodies_and_wildcards() {
    let h = Harness::new().await;
    h.queue(json!({
        "route": "GET /tables/{table_id}",
        "times": 2,
        "status": 503,
        "body": "{\"code\":\"attribute_rollout_read_failed\",\"retryable\":true}"
    }))
    .await;

    // Other operations are untouched.
    assert_eq!(h.api_get("/credits/balance").await.status().as_u16(), 200);
    for id in ["tbl_sample", "anything"] {
        let response = h.api_get(&format!("/tables/{id}")).await;
        assert_eq!(response.status().as_u16(), 503);
        assert_eq!(
            json(response).await,
            json!({"code": "attribute_rollout_read_failed", "retryable": true})
        );
    }
    assert_eq!(h.api_get("/tables/tbl_sample").await.status().as_u16(), 200);

    // "*" also covers unknown routes; a 2xx without body answers `{}`.
    h.queue(json!({"route": "*", "status": 200})).await;
    let response = h.api_get("/not/a/route").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(json(response).await, json!({}));

    let stats = h.stats().await;
    assert_eq!(stats["faulted"]["tables.get"], 2);
    assert_eq!(stats["executed"]["tables.get"], 1);
    assert_eq!(stats["faulted"]["unknown"], 1);
}

#[tokio::test]
async fn faults_apply_only_after_authentication() {
    let h = Harness::new().await;
    h.queue(json!({"route": "*", "status": 500})).await;
    let response = h
        .http
        .get(format!("{}/credits/balance", h.server.url()))
        .send()
        .await
        .unwrap();
    assert_envelope(response, 401, "unauthenticated").await;
    // The fault is still queued for the next authenticated call.
    assert_envelope(h.api_get("/credits/balance").await, 500, "internal_error").await;
    assert_eq!(h.api_get("/credits/balance").await.status().as_u16(), 200);
}

#[tokio::test]
async fn delay_ms_delays_the_answer() {
    let h = Harness::new().await;
    h.queue(
        json!({"route": "GET /credits/balance", "status": 200, "body": "{\"balance\":1}", "delay_ms": 200}),
    )
    .await;
    let started = Instant::now();
    let response = h.api_get("/credits/balance").await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(json(response).await, json!({"balance": 1}));
}

#[tokio::test]
async fn list_and_clear_faults() {
    let h = Harness::new().await;
    h.queue(json!({"route": "GET /credits/balance", "status": 429, "times": 3}))
        .await;
    h.api_get("/credits/balance").await;

    let listed = h.control(reqwest::Method::GET, "/faults").await;
    let faults = listed["faults"].as_array().unwrap();
    assert_eq!(faults.len(), 1);
    assert_eq!(faults[0]["route"], "GET /credits/balance");
    assert_eq!(faults[0]["times"], 2);
    assert_eq!(faults[0]["status"], 429);

    let cleared = h.control(reqwest::Method::DELETE, "/faults").await;
    assert_eq!(cleared["cleared"], 1);
    assert_eq!(h.api_get("/credits/balance").await.status().as_u16(), 200);
}

#[tokio::test]
async fn invalid_faults_are_422_naming_the_field() {
    let h = Harness::new().await;
    let response = h
        .http
        .post(format!("{}/__mock/faults", h.server.base()))
        .body("{not json")
        .send()
        .await
        .unwrap();
    let message = assert_envelope(response, 422, "validation_error").await;
    assert!(message.starts_with("Invalid JSON body"), "{message}");

    let response = h.queue(json!({"route": "*"})).await;
    let message = assert_envelope(response, 422, "validation_error").await;
    assert_eq!(message, "Missing required field: status");

    let response = h.queue(json!({"route": "*", "status": 429, "times": 0})).await;
    let message = assert_envelope(response, 422, "validation_error").await;
    assert!(message.contains("times"), "{message}");

    let listed = h.control(reqwest::Method::GET, "/faults").await;
    assert_eq!(listed["faults"], json!([]));
}

#[tokio::test]
async fn reset_clears_stats_faults_and_state() {
    let h = Harness::new().await;
    h.api_get("/credits/balance").await;
    h.queue(json!({"route": "*", "status": 500})).await;

    let reset = h.control(reqwest::Method::POST, "/reset").await;
    assert_eq!(reset, json!({"reset": true}));

    let stats = h.stats().await;
    for kind in ["received", "executed", "faulted"] {
        for (op, count) in stats[kind].as_object().unwrap() {
            assert_eq!(count, 0, "{kind}.{op}");
        }
    }
    assert_eq!(h.api_get("/credits/balance").await.status().as_u16(), 200);
    assert_eq!(h.api_get("/tables/tbl_sample").await.status().as_u16(), 200);
}

#[tokio::test]
async fn control_api_wrong_method_is_400() {
    let h = Harness::new().await;
    let response = h
        .http
        .put(format!("{}/__mock/stats", h.server.base()))
        .send()
        .await
        .unwrap();
    assert_envelope(response, 400, "invalid_request").await;
}

#[tokio::test]
async fn the_journal_shows_requests_with_the_key_masked() {
    let h = Harness::new().await;
    let response = h.api_get("/tables/tbl_sample?x=1").await;
    assert_eq!(response.status(), 200);
    let journal = h.control(reqwest::Method::GET, "/requests").await;
    let requests = journal["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r["operation"], "tables.get");
    assert_eq!(r["method"], "GET");
    assert_eq!(r["query"], "x=1");
    let auth = r["headers"]["authorization"].as_str().unwrap();
    assert!(auth.starts_with("Bearer lasso_…"), "{auth}");
    assert!(!auth.contains(&common::key(1)[6..60]));

    h.control(reqwest::Method::POST, "/reset").await;
    let journal = h.control(reqwest::Method::GET, "/requests").await;
    assert_eq!(journal["requests"].as_array().unwrap().len(), 0);
}

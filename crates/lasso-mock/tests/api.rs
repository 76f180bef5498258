//! The emulated API: auth, envelope, credits and tables.

mod common;

use common::{assert_envelope, bearer, client, json, key};
use lasso_mock::{MockConfig, MockServer, REVOKED_KEY};

const MISSING: &str = "Missing or invalid Authorization header. Use: Bearer lasso_...";

#[tokio::test]
async fn rejects_bad_credentials_with_401_envelope() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let url = format!("{}/credits/balance", server.url());
    let http = client();

    let response = http.get(&url).send().await.unwrap();
    assert_eq!(assert_envelope(response, 401, "unauthenticated").await, MISSING);

    let cases = [
        format!("Basic {}", key(1)),
        format!("Token {}", key(1)),
        format!("Bearer sk_{}", "ab".repeat(32)),
        format!("Bearer lasso_{}", "ab".repeat(31)),
        format!("Bearer lasso_{}", "zz".repeat(32)),
    ];
    for header in &cases {
        let response = http
            .get(&url)
            .header("authorization", header)
            .send()
            .await
            .unwrap();
        let message = assert_envelope(response, 401, "unauthenticated").await;
        assert!(message.contains("Bearer lasso_"), "{header}: {message}");
    }

    let response = http
        .get(&url)
        .header("authorization", format!("Bearer {REVOKED_KEY}"))
        .send()
        .await
        .unwrap();
    let message = assert_envelope(response, 401, "unauthenticated").await;
    assert_eq!(message, "Invalid or deactivated API key");

    server.shutdown().await;
}

#[tokio::test]
async fn balance_starts_at_the_configured_amount() {
    let config = MockConfig {
        initial_balance: 1248.5,
        ..MockConfig::default()
    };
    let server = MockServer::start(config).await.unwrap();
    let response = client()
        .get(format!("{}/credits/balance", server.url()))
        .header("authorization", bearer(1))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body = json(response).await;
    assert_eq!(
        body,
        serde_json::json!({"balance": 1248.5, "currency": "credits"})
    );
}

#[tokio::test]
async fn sample_table_and_404() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let http = client();

    let response = http
        .get(format!("{}/tables/tbl_sample", server.url()))
        .header("authorization", bearer(1))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let table = json(response).await;
    assert_eq!(table["id"], "tbl_sample");
    assert_eq!(table["name"], "Sample products");
    assert_eq!(table["schema_id"], "schema_sample");
    assert_eq!(table["status"], "completed");
    assert_eq!(table["progress"], 100);
    assert_eq!(table["total_rows"], 3);
    assert_eq!(table["source_type"], "text");
    assert_eq!(table["files"], serde_json::json!([]));
    assert_eq!(table["locked"], false);
    for field in [
        "additional_context",
        "enhancement_context",
        "error_message",
        "locked_at",
        "locked_by",
    ] {
        assert!(table[field].is_null(), "{field}");
    }
    assert!(table["created_at"].as_str().unwrap().starts_with("2025-"));
    assert!(table["updated_at"].as_str().unwrap().ends_with('Z'));

    let response = http
        .get(format!("{}/tables/tbl_missing", server.url()))
        .header("authorization", bearer(1))
        .send()
        .await
        .unwrap();
    let message = assert_envelope(response, 404, "not_found").await;
    assert_eq!(message, "Table not found: tbl_missing");
}

#[tokio::test]
async fn every_key_is_its_own_company() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let http = client();
    for n in [1, 2] {
        let response = http
            .get(format!("{}/tables/tbl_sample", server.url()))
            .header("authorization", bearer(n))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let response = http
            .get(format!("{}/tables/tbl_other_company", server.url()))
            .header("authorization", bearer(n))
            .send()
            .await
            .unwrap();
        let message = assert_envelope(response, 404, "not_found").await;
        // The key never appears in a response.
        assert!(!message.contains(&key(n)[6..]));
    }
}

#[tokio::test]
async fn wrong_method_is_400_and_unknown_route_is_404_after_auth() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let http = client();
    let balance = format!("{}/credits/balance", server.url());
    let unknown = format!("{}/no/such/route", server.url());

    let response = http.post(&balance).send().await.unwrap();
    assert_envelope(response, 401, "unauthenticated").await;
    let response = http.get(&unknown).send().await.unwrap();
    assert_envelope(response, 401, "unauthenticated").await;

    let response = http
        .post(&balance)
        .header("authorization", bearer(1))
        .send()
        .await
        .unwrap();
    assert_envelope(response, 400, "invalid_request").await;
    let response = http
        .delete(&balance)
        .header("authorization", bearer(1))
        .send()
        .await
        .unwrap();
    assert_envelope(response, 400, "invalid_request").await;
    let response = http
        .get(&unknown)
        .header("authorization", bearer(1))
        .send()
        .await
        .unwrap();
    assert_envelope(response, 404, "not_found").await;

    let stats = json(
        http.get(format!("{}/__mock/stats", server.base()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(stats["received"]["unknown"], 3);
    assert_eq!(stats["received"]["credits.balance"], 0);
}

#[tokio::test]
async fn paths_outside_the_api_are_404_envelopes() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let response = client()
        .get(format!("{}/nothing/here", server.base()))
        .send()
        .await
        .unwrap();
    assert_envelope(response, 404, "not_found").await;
}

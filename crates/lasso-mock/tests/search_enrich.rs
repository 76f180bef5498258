//! Search and enrich: catalogue results shaped by columns/schemas, determinism,
//! validation, billing, async mode and webhook delivery.

mod common;

use std::time::Duration;

use common::{start, Api, Receiver};
use serde_json::{json, Value};

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn search_returns_matching_products_in_the_default_shape() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    let before = api.balance().await;
    let reply = api
        .post("/search", json!({"query": "Sony wireless headphones under $200"}))
        .await;
    let body = reply.expect(200);
    assert!(body["id"].as_str().unwrap().starts_with("search_"));
    assert_eq!(body["status"], "completed");
    assert_eq!(body["query"], "Sony wireless headphones under $200");
    assert_eq!(body["credits_used"], 5.0);
    let results = body["results"].as_array().unwrap();
    assert!(!results.is_empty() && results.len() <= 7);
    assert_eq!(body["total_results"], results.len());
    for result in results {
        let data = &result["data"];
        assert_eq!(
            keys(data),
            [
                "brand",
                "category",
                "description",
                "features",
                "image_url",
                "name",
                "price",
                "url"
            ]
        );
        assert!(data["price"].as_f64().unwrap() <= 200.0);
        assert!(data["features"].is_array());
        let confidence = result["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&confidence));
        assert_eq!(result["source_url"], data["url"]);
        assert!(result["source_title"].is_string());
    }
    assert_eq!(results[0]["data"]["brand"], "Sony");
    assert_eq!(api.balance().await, before - 5.0);

    // Deterministic: the same query gives the same results.
    let again = api
        .post("/search", json!({"query": "Sony wireless headphones under $200"}))
        .await
        .expect(200);
    assert_eq!(again["results"], body["results"]);
    assert_ne!(again["id"], body["id"]);
}

#[tokio::test]
async fn search_shapes_by_columns_and_schema() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    let reply = api
        .post(
            "/search",
            json!({"query": "espresso machine", "max_results": 3, "columns": [
                {"key": "product_name", "label": "Product name", "type": "text"},
                {"key": "price", "label": "Price", "type": "number"},
                {"key": "in_stock", "label": "In stock", "type": "boolean"},
                {"key": "gallery", "label": "Gallery", "type": "images"},
            ]}),
        )
        .await;
    let body = reply.expect(200);
    assert_eq!(body["results"].as_array().unwrap().len(), 3);
    let data = &body["results"][0]["data"];
    assert_eq!(keys(data), ["gallery", "in_stock", "price", "product_name"]);
    assert!(
        data["product_name"].as_str().unwrap().contains("Espresso"),
        "{data}"
    );
    assert!(data["price"].is_number() && data["in_stock"].is_boolean() && data["gallery"].is_array());

    let schema = api
        .post("/schemas", json!({"name": "Mini", "columns": [{"key": "sku", "label": "SKU", "type": "text"}, {"key": "ean", "label": "EAN", "type": "text"}]}))
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = api
        .post("/search", json!({"query": "backpack", "schema_id": schema}))
        .await;
    let data = &reply.expect(200)["results"][0]["data"];
    assert_eq!(keys(data), ["ean", "sku"]);
    assert_eq!(data["ean"].as_str().unwrap().len(), 13);
}

#[tokio::test]
async fn search_validation_and_unknown_schema() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    let before = api.balance().await;
    let cols = json!([{"key": "name", "label": "Name", "type": "text"}]);
    for (body, field) in [
        (json!({}), "query"),
        (json!({"query": ""}), "query"),
        (json!({"query": 3}), "query"),
        (json!({"query": "x", "max_results": 0}), "max_results"),
        (json!({"query": "x", "max_results": 8}), "max_results"),
        (
            json!({"query": "x", "schema_id": "schema_sample", "columns": cols}),
            "schema_id",
        ),
        (
            json!({"query": "x", "columns": [{"key": "name", "type": "text"}]}),
            "columns[0].label",
        ),
        (
            json!({"query": "x", "columns": [{"key": "name", "label": "N", "type": "str"}]}),
            "columns[0].type",
        ),
        (json!({"query": "x", "webhook_url": "ftp://x"}), "webhook_url"),
    ] {
        let message = api
            .post("/search", body.clone())
            .await
            .error_message(422, "validation_error");
        assert!(message.contains(field), "{body}: {message}");
    }
    api.post("/search", json!({"query": "x", "schema_id": "schema_nope"}))
        .await
        .error(404, "not_found");
    assert_eq!(api.balance().await, before, "failed requests are free");
}

#[tokio::test]
async fn enrich_fills_missing_fields_with_basis() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    let before = api.balance().await;
    let reply = api
        .post(
            "/enrich",
            json!({"items": [
                {"data": {"name": "Hydro Flask insulated bottle", "price": 30}},
                {"data": {"name": "Garmin GPS watch", "brand": null}},
            ], "columns": [
                {"key": "name", "label": "Name", "type": "text"},
                {"key": "brand", "label": "Brand", "type": "text"},
                {"key": "price", "label": "Price", "type": "number"},
                {"key": "color", "label": "Color", "type": "text"},
            ], "thinking": "hard"}),
        )
        .await;
    let body = reply.expect(200);
    assert!(body["id"].as_str().unwrap().starts_with("enrich_"));
    assert_eq!(body["status"], "completed");
    assert_eq!(body["credits_used"], 8.0);
    assert_eq!(api.balance().await, before - 8.0);
    let first = &body["items"][0];
    assert_eq!(
        first["data"]["name"], "Hydro Flask insulated bottle",
        "known values are kept"
    );
    assert_eq!(first["data"]["price"], 30);
    assert_eq!(first["data"]["brand"], "Hydro Flask");
    assert!(first["data"]["color"].is_string());
    let fields: Vec<&str> = first["basis"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["brand", "color"]);
    let basis = &first["basis"][0];
    assert_eq!(basis["confidence"], "high");
    assert!(basis["citations"][0]["url"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    assert!(basis["citations"][0]["title"].is_string() && basis["citations"][0]["excerpt"].is_string());
    assert!(basis["reasoning"].is_string());
    assert_eq!(body["items"][1]["data"]["brand"], "Garmin");

    // web_search off: no basis; thinking low costs 1 per item; default shape.
    let reply = api
        .post("/enrich", json!({"items": [{"data": {"name": "Dyson stick vacuum"}}], "web_search": false, "thinking": "low"}))
        .await;
    let body = reply.expect(200);
    assert!(body["items"][0].get("basis").is_none());
    assert_eq!(body["credits_used"], 1.0);
    assert_eq!(keys(&body["items"][0]["data"]).len(), 8);
    assert_eq!(body["items"][0]["data"]["brand"], "Dyson");
}

#[tokio::test]
async fn enrich_validation_and_async_threshold() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    for (body, field) in [
        (json!({}), "items"),
        (json!({"items": []}), "items"),
        (json!({"items": [{"name": "x"}]}), "items[0].data"),
        (json!({"items": [{"data": "x"}]}), "items[0].data"),
        (json!({"items": [{"data": {}}], "thinking": "deep"}), "thinking"),
        (
            json!({"items": [{"data": {}}], "web_search": "yes"}),
            "web_search",
        ),
    ] {
        let message = api
            .post("/enrich", body.clone())
            .await
            .error_message(422, "validation_error");
        assert!(message.contains(field), "{body}: {message}");
    }
    let too_many: Vec<Value> = (0..51).map(|_| json!({"data": {}})).collect();
    api.post("/enrich", json!({"items": too_many}))
        .await
        .error(422, "validation_error");

    let six: Vec<Value> = (0..6)
        .map(|i| json!({"data": {"name": format!("bottle {i}")}}))
        .collect();
    let reply = api.post("/enrich", json!({"items": six})).await;
    let body = reply.expect(202);
    assert_eq!(body["status"], "processing");
    assert_eq!(body["estimated_credits"], 12.0);
    assert!(body["id"].as_str().unwrap().starts_with("enrich_"));
}

#[tokio::test]
async fn async_search_and_enrich_deliver_signed_webhooks() {
    let server = start(0.01).await;
    let api = Api::new(&server, 1);
    let secret = api.webhook_secret().await;
    assert!(secret.starts_with("whsec_"));
    let mut hooks = Receiver::start(vec![], Duration::ZERO).await;

    let reply = api
        .post(
            "/search",
            json!({"query": "trail running shoes", "webhook_url": hooks.url}),
        )
        .await;
    let accepted = reply.expect(202);
    assert_eq!(accepted["status"], "processing");
    assert_eq!(accepted["estimated_credits"], 5.0);
    let hook = hooks.next().await;
    assert_eq!(hook.path, "/hooks/lasso");
    let payload = hook.verify(&secret, "search.completed");
    assert_eq!(payload["data"]["id"], accepted["id"]);
    assert!(!payload["data"]["results"].as_array().unwrap().is_empty());

    let reply = api
        .post(
            "/enrich",
            json!({"items": [{"data": {"name": "Osprey backpack"}}], "webhook_url": hooks.url}),
        )
        .await;
    let accepted = reply.expect(202);
    let payload = hooks.next().await.verify(&secret, "enrich.completed");
    assert_eq!(payload["data"]["id"], accepted["id"]);
    assert_eq!(payload["data"]["items"][0]["data"]["brand"], "Osprey");
}

//! Schemas: CRUD, validation, generate, delete conflicts, isolation, pagination.

mod common;

use common::{start, Api};
use serde_json::json;

fn columns() -> serde_json::Value {
    json!([
        {"key": "product_name", "label": "Product name", "type": "text", "required": true},
        {"key": "price", "label": "Price", "type": "number"},
        {"key": "color", "label": "Color", "type": "enum", "enum_values": ["red", "blue"], "image_config": {"x": 1}},
    ])
}

#[tokio::test]
async fn sample_schema_is_seeded_and_listed() {
    let server = start(0.05).await;
    let api = Api::new(&server, 1);
    let list = api.get("/schemas").await;
    let body = list.expect(200);
    assert_eq!(body["pagination"], json!({"page": 1, "limit": 25, "total": 1}));
    let item = &body["data"][0];
    assert_eq!(item["id"], "schema_sample");
    assert_eq!(item["columns_count"], 8);
    assert!(item.get("columns").is_none());
    let schema = api.get("/schemas/schema_sample").await;
    let schema = schema.expect(200);
    let keys: Vec<&str> = schema["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "name",
            "brand",
            "price",
            "description",
            "category",
            "image_url",
            "url",
            "features"
        ]
    );
    assert_eq!(schema["columns"][0]["kind"], "attribute");
    assert!(schema["columns"][0]["attribute_id"].is_string());
}

#[tokio::test]
async fn create_get_update_delete() {
    let server = start(0.05).await;
    let api = Api::new(&server, 1);
    let created = api
        .post(
            "/schemas",
            json!({"name": "Supplier feed", "description": "Core fields", "columns": columns()}),
        )
        .await;
    let schema = created.expect(201);
    let id = schema["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("schema_"));
    assert_eq!(schema["name"], "Supplier feed");
    assert_eq!(schema["is_default"], false);
    assert_eq!(schema["columns"][0]["required"], true);
    assert_eq!(schema["columns"][2]["enum_values"], json!(["red", "blue"]));
    assert_eq!(
        schema["columns"][2]["image_config"],
        json!({"x": 1}),
        "extra config is kept"
    );
    assert!(schema["created_at"].as_str().unwrap().ends_with('Z'));

    assert_eq!(api.get(&format!("/schemas/{id}")).await.expect(200), schema);
    let list = api.get("/schemas").await;
    assert_eq!(list.expect(200)["data"][0]["id"], id.as_str(), "newest first");

    let updated = api
        .put(
            &format!("/schemas/{id}"),
            json!({"name": "Renamed", "columns": [{"key": "sku", "label": "SKU", "type": "text"}]}),
        )
        .await;
    let updated = updated.expect(200);
    assert_eq!(updated["name"], "Renamed");
    assert_eq!(updated["description"], "Core fields");
    assert_eq!(updated["columns"].as_array().unwrap().len(), 1);

    let empty = api.put(&format!("/schemas/{id}"), json!({"columns": []})).await;
    assert!(empty.error_message(422, "validation_error").contains("columns"));

    assert_eq!(api.delete(&format!("/schemas/{id}")).await.status, 204);
    api.get(&format!("/schemas/{id}")).await.error(404, "not_found");
    api.delete(&format!("/schemas/{id}"))
        .await
        .error(404, "not_found");
}

#[tokio::test]
async fn validation_errors_name_the_field() {
    let server = start(0.05).await;
    let api = Api::new(&server, 1);
    let cases = [
        (json!({"columns": columns()}), "name"),
        (json!({"name": "x"}), "columns"),
        (json!({"name": "x", "columns": []}), "columns"),
        (
            json!({"name": "x", "columns": [{"key": "Bad Key", "label": "L", "type": "text"}]}),
            "columns[0].key",
        ),
        (
            json!({"name": "x", "columns": [{"key": "a", "type": "text"}]}),
            "columns[0].label",
        ),
        (
            json!({"name": "x", "columns": [{"key": "a", "label": "A", "type": "varchar"}]}),
            "columns[0].type",
        ),
        (json!({"name": 5, "columns": columns()}), "name"),
    ];
    for (body, field) in cases {
        let reply = api.post("/schemas", body.clone()).await;
        let message = reply.error_message(422, "validation_error");
        assert!(message.contains(field), "{body}: {message}");
    }
    let raw = api
        .send(
            api.request(reqwest::Method::POST, "/schemas")
                .header("content-type", "application/json")
                .body("{not json"),
        )
        .await;
    assert!(raw.error_message(400, "invalid_request").contains("JSON"));
}

#[tokio::test]
async fn delete_conflicts_while_a_table_uses_the_schema() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    let message = api
        .delete("/schemas/schema_sample")
        .await
        .error_message(409, "conflict");
    assert!(message.contains("tbl_sample"), "{message}");
    assert_eq!(api.delete("/tables/tbl_sample").await.status, 204);
    assert_eq!(api.delete("/schemas/schema_sample").await.status, 204);
}

#[tokio::test]
async fn generate_from_csv_and_text() {
    let server = start(0.05).await;
    let api = Api::new(&server, 1);
    let reply = api
        .post(
            "/schemas/generate",
            json!({"sample_data": "SKU,Product Name,Price,Image URL,In Stock\nA-1,Bottle,24.90,https://x.test/a.jpg,true", "name": "Gen"}),
        )
        .await;
    let schema = reply.expect(201);
    assert_eq!(schema["name"], "Gen");
    let cols: Vec<(String, String)> = schema["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["key"].as_str().unwrap().into(),
                c["type"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected = [
        ("sku", "text"),
        ("product_name", "text"),
        ("price", "number"),
        ("image_url", "image"),
        ("in_stock", "boolean"),
    ];
    assert_eq!(cols, expected.map(|(k, t)| (k.to_owned(), t.to_owned())));

    let reply = api
        .post(
            "/schemas/generate",
            json!({"sample_data": "Each product has a name, a brand, a price and a colour."}),
        )
        .await;
    let schema = reply.expect(201);
    assert!(schema["name"].as_str().unwrap().starts_with("Generated schema"));
    let keys: Vec<&str> = schema["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["name", "brand", "price", "color"]);

    api.post("/schemas/generate", json!({}))
        .await
        .error(422, "validation_error");
}

#[tokio::test]
async fn companies_are_isolated_and_lists_paginate() {
    let server = start(0.05).await;
    let a = Api::new(&server, 1);
    let b = Api::new(&server, 2);
    let mut ids = Vec::new();
    for n in 0..4 {
        let reply = a
            .post("/schemas", json!({"name": format!("S{n}"), "columns": columns()}))
            .await;
        ids.push(reply.expect(201)["id"].as_str().unwrap().to_owned());
    }
    b.get(&format!("/schemas/{}", ids[0]))
        .await
        .error(404, "not_found");
    b.delete(&format!("/schemas/{}", ids[0]))
        .await
        .error(404, "not_found");
    assert_eq!(b.get("/schemas").await.expect(200)["pagination"]["total"], 1);

    let page = a.get("/schemas?page=2&limit=2").await;
    let page = page.expect(200);
    assert_eq!(page["pagination"], json!({"page": 2, "limit": 2, "total": 5}));
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    for bad in ["limit=0", "limit=101", "page=0", "page=x"] {
        let message = a
            .get(&format!("/schemas?{bad}"))
            .await
            .error_message(400, "invalid_request");
        assert!(message.contains(bad.split('=').next().unwrap()), "{message}");
    }
}

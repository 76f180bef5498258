//! `/attributes`: the company attribute dictionary.

mod common;

use common::start_api;
use serde_json::json;

#[tokio::test]
async fn create_get_upsert_and_list() {
    let (server, api) = start_api().await;

    let created = api
        .post(
            "/attributes",
            json!({"key": "material", "label": "Material", "type": "text", "description": "Main material"}),
        )
        .await
        .expect(201);
    assert_eq!(created["key"], "material");
    assert_eq!(created["type"], "text");
    assert_eq!(created["status"], "active");
    assert_eq!(created["allow_custom_values"], true);
    assert_eq!(created["is_reviewed"], false);
    assert_eq!(created["format_output_type"], serde_json::Value::Null);
    assert!(uuid::Uuid::parse_str(created["id"].as_str().unwrap()).is_ok());
    for field in [
        "enum_values",
        "tags_values",
        "boolean_config",
        "number_config",
        "relation_config",
        "validation",
        "language",
        "image_config",
        "archived_at",
        "source_id",
        "external_id",
        "source_synced_at",
    ] {
        assert!(created[field].is_null(), "{field}: {created}");
    }

    // Upsert of the same key: 200, same id, omitted fields kept.
    let upserted = api
        .post(
            "/attributes",
            json!({"key": "material", "label": "Material name", "type": "text", "language": "en"}),
        )
        .await
        .expect(200);
    assert_eq!(upserted["id"], created["id"]);
    assert_eq!(upserted["label"], "Material name");
    assert_eq!(upserted["description"], "Main material");
    assert_eq!(upserted["language"], "en");

    // A format attribute defaults its output type to text.
    let format = api
        .post(
            "/attributes",
            json!({"key": "Title_Full", "label": "Title", "type": "format"}),
        )
        .await
        .expect(201);
    assert_eq!(format["format_output_type"], "text");

    // Keys with '/' are fetched URL-encoded.
    api.post(
        "/attributes",
        json!({"key": "dims/width", "label": "Width", "type": "number", "number_config": {"unit": "cm"}}),
    )
    .await
    .expect(201);
    let width = api.get("/attributes/dims%2Fwidth").await.expect(200);
    assert_eq!(width["key"], "dims/width");
    assert_eq!(width["number_config"]["unit"], "cm");
    let width = api
        .put("/attributes/dims%2Fwidth", json!({"label": "Width (cm)"}))
        .await
        .expect(200);
    assert_eq!(width["label"], "Width (cm)");

    let list = api.get("/attributes").await.expect(200);
    let keys: Vec<&str> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["Title_Full", "dims/width", "material"], "ordered by key");
    assert_eq!(list["pagination"], json!({"page": 1, "limit": 25, "total": 3}));

    let found = api.get("/attributes?search=MAT").await.expect(200);
    assert_eq!(found["pagination"]["total"], 1);
    assert_eq!(found["data"][0]["key"], "material");
    let numbers = api
        .get("/attributes?type=number&include_archived=true")
        .await
        .expect(200);
    assert_eq!(numbers["data"][0]["key"], "dims/width");
    assert_eq!(numbers["pagination"]["total"], 1);
    let page = api.get("/attributes?page=2&limit=2").await.expect(200);
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(page["pagination"], json!({"page": 2, "limit": 2, "total": 3}));

    server.shutdown().await;
}

#[tokio::test]
async fn validation_errors_name_the_field() {
    let (server, api) = start_api().await;
    let cases = [
        (json!({"label": "X", "type": "text"}), "key"),
        (json!({"key": "x", "type": "text"}), "label"),
        (json!({"key": "x", "label": "X"}), "type"),
        (json!({"key": "x", "label": "X", "type": "colour"}), "type"),
        (json!({"key": "_x", "label": "X", "type": "text"}), "key"),
        (json!({"key": "a-b", "label": "X", "type": "text"}), "key"),
        (
            json!({"key": "x", "label": "X", "type": "text", "enum_values": "red"}),
            "enum_values",
        ),
        (
            json!({"key": "x", "label": "X", "type": "text", "format_output_type": "number"}),
            "format_output_type",
        ),
        (
            json!({"key": "x", "label": "X", "type": "text", "number_config": {"unit": "kg"}}),
            "number_config",
        ),
        (
            json!({"key": "x", "label": "X", "type": "image", "image_config": {"colour": "red"}}),
            "image_config.colour",
        ),
        (
            json!({"key": "x", "label": "X", "type": "text", "surprise": 1}),
            "surprise",
        ),
    ];
    for (body, field) in cases {
        let error = api
            .post("/attributes", body.clone())
            .await
            .error(422, "validation_error");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(field), "{body} → {message}");
    }
    let error = api
        .get("/attributes?limit=101")
        .await
        .error(400, "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("limit"));
    let error = api.get("/attributes?page=0").await.error(400, "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("page"));
    let error = api
        .get("/attributes?type=colour")
        .await
        .error(400, "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("type"));
    api.get("/attributes/missing").await.error(404, "not_found");
    server.shutdown().await;
}

#[tokio::test]
async fn type_is_immutable() {
    let (server, api) = start_api().await;
    api.post(
        "/attributes",
        json!({"key": "color", "label": "Color", "type": "enum", "enum_values": ["red"]}),
    )
    .await
    .expect(201);
    let error = api
        .post(
            "/attributes",
            json!({"key": "color", "label": "Color", "type": "text"}),
        )
        .await
        .error(409, "conflict");
    assert_eq!(error["attribute_key"], "color");
    assert_eq!(error["code"], "attribute_type_immutable");
    let error = api
        .put("/attributes/color", json!({"type": "tags"}))
        .await
        .error(409, "conflict");
    assert_eq!(error["code"], "attribute_type_immutable");
    // The same type in an update is fine.
    api.put("/attributes/color", json!({"type": "enum", "label": "Colour"}))
        .await
        .expect(200);
    server.shutdown().await;
}

#[tokio::test]
async fn bulk_upsert_is_atomic() {
    let (server, api) = start_api().await;
    api.post(
        "/attributes",
        json!({"key": "brand", "label": "Brand", "type": "text"}),
    )
    .await
    .expect(201);

    let result = api
        .post(
            "/attributes",
            json!({"attributes": [
                {"key": "brand", "label": "Brand name", "type": "text"},
                {"key": "color", "label": "Color", "type": "enum", "enum_values": ["black", "white"]},
            ]}),
        )
        .await
        .expect(200);
    let data = result["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(data[0]["label"], "Brand name");
    assert_eq!(data[1]["enum_values"], json!(["black", "white"]));

    // One invalid item rejects the whole batch, naming the item.
    let error = api
        .post(
            "/attributes",
            json!({"attributes": [
                {"key": "size", "label": "Size", "type": "text"},
                {"key": "weight", "label": "Weight", "type": "weight"},
            ]}),
        )
        .await
        .error(422, "validation_error");
    assert!(
        error["message"].as_str().unwrap().contains("attributes[1].type"),
        "{error}"
    );
    // A type conflict in the batch too (409), and nothing was written.
    api.post(
        "/attributes",
        json!({"attributes": [
            {"key": "size", "label": "Size", "type": "text"},
            {"key": "brand", "label": "Brand", "type": "number"},
        ]}),
    )
    .await
    .error(409, "conflict");
    api.get("/attributes/size").await.error(404, "not_found");

    api.post("/attributes", json!({"attributes": []}))
        .await
        .error(422, "validation_error");
    let too_many: Vec<_> = (0..501)
        .map(|i| json!({"key": format!("k{i}"), "label": "K", "type": "text"}))
        .collect();
    api.post("/attributes", json!({"attributes": too_many}))
        .await
        .error(422, "validation_error");
    let max: Vec<_> = (0..500)
        .map(|i| json!({"key": format!("k{i}"), "label": "K", "type": "text"}))
        .collect();
    let result = api
        .post("/attributes", json!({"attributes": max}))
        .await
        .expect(200);
    assert_eq!(result["data"].as_array().unwrap().len(), 500);
    let error = api
        .post(
            "/attributes",
            json!({"attributes": [
                {"key": "dup", "label": "A", "type": "text"},
                {"key": "dup", "label": "B", "type": "text"},
            ]}),
        )
        .await
        .error(422, "validation_error");
    assert!(error["message"].as_str().unwrap().contains("duplicate"));
    server.shutdown().await;
}

#[tokio::test]
async fn update_with_stale_write_and_detach() {
    let (server, api) = start_api().await;
    let created = api
        .post(
            "/attributes",
            json!({"key": "finish", "label": "Finish", "type": "text"}),
        )
        .await
        .expect(201);
    let stamp = created["updated_at"].as_str().unwrap().to_owned();

    let updated = api
        .put(
            "/attributes/finish",
            json!({"label": "Surface finish", "is_reviewed": true, "detach": true, "expected_updated_at": stamp}),
        )
        .await
        .expect(200);
    assert_eq!(updated["label"], "Surface finish");
    assert_eq!(updated["is_reviewed"], true);
    assert_eq!(updated["source_id"], serde_json::Value::Null);
    assert_ne!(updated["updated_at"], created["updated_at"]);

    // The old stamp is stale now.
    let error = api
        .put(
            "/attributes/finish",
            json!({"label": "Again", "expected_updated_at": stamp}),
        )
        .await
        .error(409, "conflict");
    assert_eq!(error["code"], "stale_write");
    assert_eq!(error["current_updated_at"], updated["updated_at"]);
    assert_eq!(
        api.get("/attributes/finish").await.expect(200)["label"],
        "Surface finish"
    );

    api.put("/attributes/finish", json!({"expected_updated_at": "soon"}))
        .await
        .error(422, "validation_error");
    api.put("/attributes/nope", json!({"label": "X"}))
        .await
        .error(404, "not_found");
    // `key` is deprecated and does not rename.
    let same = api
        .put("/attributes/finish", json!({"key": "other"}))
        .await
        .expect(200);
    assert_eq!(same["key"], "finish");
    server.shutdown().await;
}

#[tokio::test]
async fn delete_refuses_attributes_in_use() {
    let (server, api) = start_api().await;
    api.post(
        "/attributes",
        json!({"key": "sku", "label": "SKU", "type": "text"}),
    )
    .await
    .expect(201);
    api.post(
        "/attributes",
        json!({"key": "unused", "label": "Unused", "type": "text"}),
    )
    .await
    .expect(201);
    let product = api
        .post(
            "/catalog",
            json!({"schema_id": "schema_x", "attributes": {"sku": "A-1"}}),
        )
        .await
        .expect(201);

    let error = api.delete("/attributes/sku").await.error(409, "conflict");
    assert_eq!(error["code"], "attribute_in_use");
    assert_eq!(error["key"], "sku");
    assert_eq!(error["total_count"], 1);
    assert_eq!(error["dependencies"]["catalog_products"]["count"], 1);
    assert_eq!(error["dependencies"]["schemas"]["count"], 0);

    assert_eq!(api.delete("/attributes/unused").await.status, 204);
    api.get("/attributes/unused").await.error(404, "not_found");
    api.delete("/attributes/unused").await.error(404, "not_found");

    // Once the product is gone, the attribute is free.
    let id = product["id"].as_str().unwrap();
    api.delete(&format!("/catalog/{id}")).await.expect(200);
    assert_eq!(api.delete("/attributes/sku").await.status, 204);
    server.shutdown().await;
}

#[tokio::test]
async fn rename_moves_product_values() {
    let (server, api) = start_api().await;
    let attribute = api
        .post(
            "/attributes",
            json!({"key": "colour", "label": "Colour", "type": "text"}),
        )
        .await
        .expect(201);
    api.post(
        "/attributes",
        json!({"key": "taken", "label": "Taken", "type": "text"}),
    )
    .await
    .expect(201);
    let mut ids = Vec::new();
    for value in ["red", "blue"] {
        let p = api
            .post(
                "/catalog",
                json!({"schema_id": "s", "attributes": {"colour": value, "name": "Mug"}}),
            )
            .await
            .expect(201);
        ids.push(p["id"].as_str().unwrap().to_owned());
    }
    api.post(
        "/catalog",
        json!({"schema_id": "s", "attributes": {"name": "Plain"}}),
    )
    .await
    .expect(201);

    let result = api
        .post("/attributes/colour/rename", json!({"new_key": "color"}))
        .await
        .expect(200);
    assert_eq!(result["success"], true);
    assert_eq!(result["partial"], false);
    assert_eq!(result["old_key"], "colour");
    assert_eq!(result["new_key"], "color");
    assert_eq!(result["updated_count"], 2);
    assert_eq!(result["error_count"], 0);
    assert_eq!(result["attribute"]["key"], "color");
    assert_eq!(result["attribute"]["id"], attribute["id"]);
    assert_eq!(
        result["results"],
        json!({
            "catalog_products": {"updated": 2, "errors": [], "error_count": 0, "code": "ok"},
            "schemas": {"updated": 0, "errors": [], "error_count": 0, "code": "ok"},
        })
    );
    let product = api.get(&format!("/catalog/{}", ids[0])).await.expect(200);
    assert_eq!(product["attributes"]["color"], "red");
    assert!(product["attributes"].get("colour").is_none());
    api.get("/attributes/colour").await.error(404, "not_found");
    api.get("/attributes/color").await.expect(200);

    // A retry with attribute_id after the rename already happened succeeds again.
    let retry = api
        .post(
            "/attributes/colour/rename",
            json!({"new_key": "color", "attribute_id": attribute["id"]}),
        )
        .await
        .expect(200);
    assert_eq!(retry["attribute"]["key"], "color");
    assert_eq!(retry["updated_count"], 0);

    let error = api
        .post("/attributes/color/rename", json!({"new_key": "taken"}))
        .await
        .error(409, "conflict");
    assert_eq!(error["attribute_key"], "taken");
    api.post("/attributes/color/rename", json!({}))
        .await
        .error(422, "validation_error");
    api.post("/attributes/color/rename", json!({"new_key": "bad key"}))
        .await
        .error(422, "validation_error");
    api.post("/attributes/ghost/rename", json!({"new_key": "spirit"}))
        .await
        .error(404, "not_found");
    server.shutdown().await;
}

#[tokio::test]
async fn companies_are_isolated() {
    let (server, api) = start_api().await;
    api.post(
        "/attributes",
        json!({"key": "secret", "label": "Secret", "type": "text"}),
    )
    .await
    .expect(201);
    let other = api.as_company(2);
    other.get("/attributes/secret").await.error(404, "not_found");
    other
        .put("/attributes/secret", json!({"label": "Mine"}))
        .await
        .error(404, "not_found");
    other.delete("/attributes/secret").await.error(404, "not_found");
    other
        .post("/attributes/secret/rename", json!({"new_key": "mine"}))
        .await
        .error(404, "not_found");
    assert_eq!(
        other.get("/attributes").await.expect(200)["pagination"]["total"],
        0
    );
    // The same key is independent per company, even with another type.
    other
        .post(
            "/attributes",
            json!({"key": "secret", "label": "Other", "type": "number"}),
        )
        .await
        .expect(201);
    assert_eq!(api.get("/attributes/secret").await.expect(200)["type"], "text");
    server.shutdown().await;
}

#[tokio::test]
async fn schema_columns_are_dependencies_and_follow_renames() {
    let (server, api) = start_api().await;
    // The seeded schema_sample has a `brand` column.
    api.post(
        "/attributes",
        json!({"key": "brand", "label": "Brand", "type": "text"}),
    )
    .await
    .expect(201);
    let error = api.delete("/attributes/brand").await.error(409, "conflict");
    assert_eq!(error["code"], "attribute_in_use");
    assert_eq!(error["dependencies"]["schemas"]["count"], 1);
    assert_eq!(error["total_count"], 1);

    let product = api
        .post(
            "/catalog",
            json!({"schema_id": "schema_sample", "attributes": {"brand": "Alp"}}),
        )
        .await
        .expect(201);
    let result = api
        .post("/attributes/brand/rename", json!({"new_key": "maker"}))
        .await
        .expect(200);
    assert_eq!(result["results"]["schemas"]["updated"], 1);
    assert_eq!(result["results"]["catalog_products"]["updated"], 1);
    assert_eq!(result["updated_count"], 2);
    // The product still validates against the renamed schema column.
    let path = format!("/catalog/{}", product["id"].as_str().unwrap());
    let updated = api
        .patch(&path, json!({"attributes": {"maker": "Alpine"}}))
        .await
        .expect(200);
    assert_eq!(updated["attributes"], json!({"maker": "Alpine"}));
    api.patch(&path, json!({"attributes": {"brand": "Old"}}))
        .await
        .error(422, "validation_error");
    // A key a schema column already uses is refused.
    api.post(
        "/attributes",
        json!({"key": "label", "label": "Label", "type": "text"}),
    )
    .await
    .expect(201);
    api.post("/attributes/label/rename", json!({"new_key": "price"}))
        .await
        .error(409, "conflict");
    server.shutdown().await;
}

//! Rows: list with sorting, create (unknown keys, limits), get, merge update,
//! idempotent delete, bulk update/delete, conflicts and isolation.

mod common;

use common::{start, Api};
use serde_json::json;

#[tokio::test]
async fn list_get_and_sort_the_sample_rows() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    let reply = api.get("/tables/tbl_sample/rows").await;
    let body = reply.expect(200);
    assert_eq!(body["pagination"], json!({"page": 1, "limit": 25, "total": 3}));
    let row = &body["data"][0];
    assert_eq!(row["id"], "row_sample_1");
    assert_eq!(row["row_index"], 0);
    assert_eq!(row["data"]["brand"], "Summit Gear");
    assert_eq!(row["validation_status"], "valid");
    assert_eq!(row["validation_errors"], json!([]));
    assert_eq!(row["enhancement_status"], json!({}));
    assert_eq!(row["is_edited"], false);
    assert!(row["created_at"].is_string());

    let prices = |body: &serde_json::Value| -> Vec<f64> {
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["data"]["price"].as_f64().unwrap())
            .collect()
    };
    let desc = api
        .get("/tables/tbl_sample/rows?sort_by=price&sort_order=desc")
        .await;
    assert_eq!(prices(&desc.expect(200)), [199.99, 139.0, 24.9]);
    let asc = api.get("/tables/tbl_sample/rows?sort_by=name").await.expect(200);
    let names: Vec<&str> = asc["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["data"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Alpine Steel Water Bottle 750 ml",
            "Sonora ANC Wireless Headphones",
            "Trail Runner GTX"
        ]
    );
    api.get("/tables/tbl_sample/rows?sort_order=sideways")
        .await
        .error(400, "invalid_request");
    let page = api.get("/tables/tbl_sample/rows?limit=2&page=2").await;
    assert_eq!(page.expect(200)["data"].as_array().unwrap().len(), 1);

    let one = api.get("/tables/tbl_sample/rows/row_sample_2").await;
    assert_eq!(one.expect(200)["data"]["name"], "Trail Runner GTX");
    api.get("/tables/tbl_sample/rows/row_nope")
        .await
        .error(404, "not_found");
    api.get("/tables/tbl_nope/rows").await.error(404, "not_found");
}

#[tokio::test]
async fn create_rows() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    let reply = api
        .post(
            "/tables/tbl_sample/rows",
            json!({"rows": [{"name": "Camp bowl", "price": 12.5}, {"name": "Summit flask", "price": "cheap"}]}),
        )
        .await;
    let body = reply.expect(201);
    assert_eq!(body["inserted_count"], 2);
    let rows = body["data"].as_array().unwrap();
    assert_eq!(rows[0]["row_index"], 3);
    assert_eq!(rows[1]["row_index"], 4);
    assert!(rows[0]["id"].as_str().unwrap().starts_with("row_"));
    assert_eq!(rows[1]["validation_status"], "warning");
    assert_eq!(rows[1]["validation_errors"][0]["column_key"], "price");
    assert_eq!(api.get("/tables/tbl_sample").await.expect(200)["total_rows"], 5);

    let message = api
        .post(
            "/tables/tbl_sample/rows",
            json!({"rows": [{"name": "a", "colour": "red"}, {"sku": "x"}]}),
        )
        .await
        .error_message(422, "validation_error");
    assert!(message.contains("colour") && message.contains("sku"), "{message}");
    assert_eq!(
        api.get("/tables/tbl_sample").await.expect(200)["total_rows"],
        5,
        "atomic"
    );

    let too_many: Vec<_> = (0..1001).map(|i| json!({"name": format!("p{i}")})).collect();
    api.post("/tables/tbl_sample/rows", json!({"rows": too_many}))
        .await
        .error(422, "validation_error");
    api.post("/tables/tbl_sample/rows", json!({"rows": []}))
        .await
        .error(422, "validation_error");
    api.post("/tables/tbl_sample/rows", json!({}))
        .await
        .error(422, "validation_error");
    api.post("/tables/tbl_sample/rows", json!({"rows": [1]}))
        .await
        .error(422, "validation_error");
    let thousand: Vec<_> = (0..1000)
        .map(|i| json!({"name": format!("p{i}"), "price": i}))
        .collect();
    assert_eq!(
        api.post("/tables/tbl_sample/rows", json!({"rows": thousand}))
            .await
            .expect(201)["inserted_count"],
        1000
    );
}

#[tokio::test]
async fn update_merges_and_delete_is_idempotent() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    let reply = api
        .put(
            "/tables/tbl_sample/rows/row_sample_1",
            json!({"data": {"price": 19.9}}),
        )
        .await;
    let row = reply.expect(200);
    assert_eq!(row["data"]["price"], 19.9);
    assert_eq!(row["data"]["brand"], "Summit Gear", "omitted keys are kept");
    assert_eq!(row["is_edited"], true);
    api.put("/tables/tbl_sample/rows/row_sample_1", json!({"price": 1}))
        .await
        .error(422, "validation_error");
    api.put(
        "/tables/tbl_sample/rows/row_sample_1",
        json!({"data": {"nope": 1}}),
    )
    .await
    .error(422, "validation_error");
    api.put("/tables/tbl_sample/rows/row_nope", json!({"data": {"price": 1}}))
        .await
        .error(404, "not_found");

    assert_eq!(
        api.delete("/tables/tbl_sample/rows/row_sample_1").await.status,
        204
    );
    assert_eq!(
        api.delete("/tables/tbl_sample/rows/row_sample_1").await.status,
        204
    );
    api.get("/tables/tbl_sample/rows/row_sample_1")
        .await
        .error(404, "not_found");
    assert_eq!(api.get("/tables/tbl_sample").await.expect(200)["total_rows"], 2);
}

#[tokio::test]
async fn bulk_update_and_delete() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    let reply = api
        .post(
            "/tables/tbl_sample/rows/bulk-update",
            json!({"row_ids": ["row_sample_1", "row_sample_2", "row_nope"], "column_key": "category", "value": "Outdoor"}),
        )
        .await;
    assert_eq!(reply.expect(200), json!({"updated_count": 2}));
    let row = api.get("/tables/tbl_sample/rows/row_sample_2").await.expect(200);
    assert_eq!(row["data"]["category"], "Outdoor");
    assert_eq!(row["is_edited"], true);
    // The newer revision writes unknown keys without validating them.
    let reply = api
        .post(
            "/tables/tbl_sample/rows/bulk-update",
            json!({"row_ids": ["row_sample_3"], "column_key": "extra", "value": null}),
        )
        .await;
    assert_eq!(reply.expect(200)["updated_count"], 1);
    api.post(
        "/tables/tbl_sample/rows/bulk-update",
        json!({"row_ids": ["row_sample_3"], "column_key": "x"}),
    )
    .await
    .error(422, "validation_error");

    let reply = api
        .post(
            "/tables/tbl_sample/rows/bulk-delete",
            json!({"row_ids": ["row_sample_1", "row_sample_3", "row_nope"]}),
        )
        .await;
    assert_eq!(reply.expect(200), json!({"deleted_count": 2}));
    assert_eq!(api.get("/tables/tbl_sample").await.expect(200)["total_rows"], 1);
    api.post("/tables/tbl_sample/rows/bulk-delete", json!({"row_ids": []}))
        .await
        .error(422, "validation_error");
}

#[tokio::test]
async fn writes_need_a_completed_unlocked_table() {
    let server = start(1.0).await;
    let api = Api::new(&server, 1);
    let id = api.create_text_table("Busy", "Bottle\nMug\n").await;
    api.get(&format!("/tables/{id}/rows"))
        .await
        .error(409, "conflict");
    api.post(&format!("/tables/{id}/rows"), json!({"rows": [{"name": "x"}]}))
        .await
        .error(409, "conflict");
    api.post(
        &format!("/tables/{id}/rows/bulk-delete"),
        json!({"row_ids": ["a"]}),
    )
    .await
    .error(409, "conflict");
}

#[tokio::test]
async fn rows_are_company_scoped() {
    let server = start(0.0).await;
    let a = Api::new(&server, 1);
    let b = Api::new(&server, 2);
    a.put(
        "/tables/tbl_sample/rows/row_sample_1",
        json!({"data": {"brand": "Changed"}}),
    )
    .await
    .expect(200);
    let theirs = b.get("/tables/tbl_sample/rows/row_sample_1").await;
    assert_eq!(
        theirs.expect(200)["data"]["brand"],
        "Summit Gear",
        "each company has its own sample"
    );
    let id = a.create_text_table("Mine", "Bottle\n").await;
    a.wait_table(&id).await;
    b.get(&format!("/tables/{id}/rows")).await.error(404, "not_found");
    b.post(&format!("/tables/{id}/rows"), json!({"rows": [{"name": "x"}]}))
        .await
        .error(404, "not_found");
}

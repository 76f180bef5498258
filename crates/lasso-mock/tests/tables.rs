//! Tables: creation and job progression, rows derived from the source, list filters,
//! update/delete with locks, columns, validation, the FAIL_EXTRACTION hook, isolation.

mod common;

use std::time::Duration;

use common::{start, Api};
use serde_json::json;

const SOURCE: &str =
    "SKU,Name,Price\nA-100,Alpine bottle,24.90\nA-101,Trail mug,18.50\nA-102,Summit flask,29.90\n";

#[tokio::test]
async fn job_goes_queued_processing_completed_with_progress() {
    let server = start(0.5).await;
    let api = Api::new(&server, 1);
    let reply = api
        .post(
            "/tables",
            json!({"schema_id": "schema_sample", "name": "August feed", "source_text": SOURCE,
                   "additional_context": "Prices use EUR."}),
        )
        .await;
    let table = reply.expect(201);
    let id = table["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("tbl_"));
    assert_eq!(table["status"], "queued_for_processing");
    assert_eq!(table["progress"], 0);
    assert_eq!(table["total_rows"], 0);
    assert_eq!(table["source_type"], "text");
    assert_eq!(table["additional_context"], "Prices use EUR.");
    assert_eq!(table["enhancement_context"], json!(null));
    assert_eq!(table["locked"], true);

    let mut seen: Vec<String> = Vec::new();
    let mut last_progress = 0;
    let mut mid_progress = false;
    let done = loop {
        let t = api.get(&format!("/tables/{id}")).await.expect(200);
        let status = t["status"].as_str().unwrap().to_owned();
        let progress = t["progress"].as_u64().unwrap();
        assert!(progress >= last_progress, "progress never goes back");
        last_progress = progress;
        if status == "processing" && progress > 0 && progress < 100 {
            mid_progress = true;
            // Rows are not readable before completion. The job may complete
            // between the two requests: then (only then) the read succeeds.
            for path in [
                format!("/tables/{id}/rows"),
                format!("/tables/{id}/export?format=csv"),
            ] {
                let reply = api.get(&path).await;
                let status = reply.status;
                if status == 409 {
                    reply.error(409, "conflict");
                } else {
                    let now = api.get(&format!("/tables/{id}")).await.expect(200)["status"].clone();
                    assert_eq!(now, "completed", "{path} answered {status} while processing");
                }
            }
        }
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if status == "completed" {
            break t;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(seen, ["queued_for_processing", "processing", "completed"]);
    assert!(mid_progress);
    assert_eq!(done["progress"], 100);
    assert_eq!(done["total_rows"], 3);
    assert_eq!(done["locked"], false);
    assert_ne!(done["updated_at"], done["created_at"]);

    let rows = api.get(&format!("/tables/{id}/rows")).await;
    let rows = rows.expect(200);
    assert_eq!(rows["pagination"]["total"], 3);
    assert_eq!(rows["data"][1]["data"]["name"], "Trail mug");
    assert_eq!(rows["data"][1]["data"]["price"], 18.5);
    assert_eq!(rows["data"][1]["row_index"], 1);
    assert_eq!(rows["data"][1]["is_edited"], false);
    assert_eq!(rows["data"][1]["validation_status"], "valid");
    // Every schema column is filled.
    assert_eq!(rows["data"][0]["data"].as_object().unwrap().len(), 8);
}

#[tokio::test]
async fn rows_are_deterministic_per_seed() {
    let first = start(0.0).await;
    let second = start(0.0).await;
    let text = "Sony wireless headphones 199.99 EUR\nGarmin GPS watch\n";
    let mut results = Vec::new();
    for server in [&first, &second] {
        let api = Api::new(server, 1);
        let id = api.create_text_table("Det", text).await;
        api.wait_table(&id).await;
        let rows = api.get(&format!("/tables/{id}/rows")).await.expect(200)["data"].clone();
        let data: Vec<_> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["data"].clone())
            .collect();
        results.push((id, data));
    }
    assert_eq!(results[0], results[1], "same seed, same ids and rows");
    assert_eq!(results[0].1.len(), 2);
    assert_eq!(results[0].1[0]["name"], "Sony wireless headphones");
}

#[tokio::test]
async fn list_filters_and_pagination() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    for name in ["Spring catalog", "Summer catalog", "Winter stock"] {
        api.create_text_table(name, "Bottle\nMug\n").await;
    }
    let list = api.get("/tables").await;
    let list = list.expect(200);
    assert_eq!(list["pagination"]["total"], 4);
    assert_eq!(list["data"][0]["name"], "Winter stock", "newest first");
    let item = list["data"][0].as_object().unwrap();
    for field in [
        "id",
        "name",
        "status",
        "total_rows",
        "schema_id",
        "created_at",
        "locked",
    ] {
        assert!(item.contains_key(field), "{field}");
    }
    assert!(!item.contains_key("files"));

    let found = api.get("/tables?search=CATALOG").await;
    assert_eq!(found.expect(200)["pagination"]["total"], 2);
    let completed = api.get("/tables?status=completed&limit=2&page=2").await;
    let completed = completed.expect(200);
    assert_eq!(
        completed["pagination"],
        json!({"page": 2, "limit": 2, "total": 4})
    );
    assert_eq!(completed["data"].as_array().unwrap().len(), 2);
    assert_eq!(
        api.get("/tables?status=error").await.expect(200)["pagination"]["total"],
        0
    );
    api.get("/tables?limit=500").await.error(400, "invalid_request");
}

#[tokio::test]
async fn update_and_delete_respect_the_lock() {
    let server = start(1.0).await;
    let api = Api::new(&server, 1);
    let id = api.create_text_table("Locked", SOURCE).await;
    let message = api
        .patch(&format!("/tables/{id}"), json!({"name": "x"}))
        .await
        .error_message(409, "conflict");
    assert!(message.contains("locked"), "{message}");
    api.delete(&format!("/tables/{id}")).await.error(409, "conflict");
    api.wait_table(&id).await;

    let schema = api
        .post(
            "/schemas",
            json!({"name": "Small", "columns": [{"key": "name", "label": "Name", "type": "text"}]}),
        )
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = api
        .patch(
            &format!("/tables/{id}"),
            json!({"name": "Renamed", "enhancement_context": "Formal tone", "schema_id": schema}),
        )
        .await;
    let table = reply.expect(200);
    assert_eq!(table["name"], "Renamed");
    assert_eq!(table["enhancement_context"], "Formal tone");
    assert_eq!(table["schema_id"], schema.as_str());
    let columns = api.get(&format!("/tables/{id}/columns")).await;
    let columns = columns.expect(200)["data"].as_array().unwrap().clone();
    assert_eq!(columns.len(), 1);
    assert_eq!(columns[0]["key"], "name");

    api.patch(&format!("/tables/{id}"), json!({"schema_id": "schema_nope"}))
        .await
        .error(404, "not_found");
    api.patch(&format!("/tables/{id}"), json!({"name": ""}))
        .await
        .error(422, "validation_error");
    assert_eq!(api.delete(&format!("/tables/{id}")).await.status, 204);
    api.get(&format!("/tables/{id}")).await.error(404, "not_found");
    api.delete(&format!("/tables/{id}")).await.error(404, "not_found");
}

#[tokio::test]
async fn columns_of_the_sample_table() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    let reply = api.get("/tables/tbl_sample/columns").await;
    let columns = reply.expect(200)["data"].as_array().unwrap().clone();
    assert_eq!(columns.len(), 8);
    assert_eq!(
        columns[2],
        json!({
            "id": columns[2]["id"], "attribute_id": columns[2]["attribute_id"], "kind": "attribute",
            "key": "price", "label": "Price", "type": "number", "required": false,
        })
    );
    api.get("/tables/tbl_nope/columns").await.error(404, "not_found");
}

#[tokio::test]
async fn create_validation() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    let cases = [
        (json!({"name": "x", "source_text": "a"}), "schema_id"),
        (json!({"schema_id": "schema_sample", "source_text": "a"}), "name"),
        (json!({"schema_id": "schema_sample", "name": "x"}), "source_text"),
        (
            json!({"schema_id": "schema_sample", "name": "x", "source_text": "a", "file_ids": ["f"]}),
            "file_ids",
        ),
        (
            json!({"schema_id": "schema_sample", "name": "x", "file_ids": []}),
            "file_ids",
        ),
        (
            json!({"schema_id": "schema_sample", "name": "x", "file_urls": ["not a url"]}),
            "file_urls[0]",
        ),
        (
            json!({"schema_id": "schema_sample", "name": "x", "source_text": ""}),
            "source_text",
        ),
        (
            json!({"schema_id": "schema_sample", "name": "x", "source_text": "a", "webhook_url": "nope"}),
            "webhook_url",
        ),
    ];
    for (body, field) in cases {
        let message = api
            .post("/tables", body.clone())
            .await
            .error_message(422, "validation_error");
        assert!(message.contains(field), "{body}: {message}");
    }
    let message = api
        .post(
            "/tables",
            json!({"schema_id": "schema_nope", "name": "x", "source_text": "a"}),
        )
        .await
        .error_message(404, "not_found");
    assert!(message.contains("schema_nope"));
}

#[tokio::test]
async fn fail_extraction_hook_and_file_urls() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    let before = api.balance().await;
    let id = api.create_text_table("Broken", "Bottle\nFAIL_EXTRACTION\n").await;
    let table = api.wait_table(&id).await;
    assert_eq!(table["status"], "error");
    assert!(table["error_message"]
        .as_str()
        .unwrap()
        .contains("FAIL_EXTRACTION"));
    assert_eq!(table["total_rows"], 0);
    assert_eq!(table["locked"], false);
    api.get(&format!("/tables/{id}/rows"))
        .await
        .error(409, "conflict");
    assert_eq!(api.balance().await, before, "a failed extraction is free");
    assert_eq!(
        api.get("/tables?status=failed").await.expect(200)["pagination"]["total"],
        1
    );

    let reply = api
        .post(
            "/tables",
            json!({"schema_id": "schema_sample", "name": "Urls", "file_urls": ["https://example.com/files/coffee-machines.pdf?x=1"]}),
        )
        .await;
    let table = reply.expect(201);
    assert_eq!(
        table["files"][0],
        json!({"name": "coffee-machines.pdf", "path": "https://example.com/files/coffee-machines.pdf?x=1", "size": 0})
    );
    let done = api.wait_table(table["id"].as_str().unwrap()).await;
    assert_eq!(done["status"], "completed");
    assert!(done["total_rows"].as_u64().unwrap() >= 2);
}

#[tokio::test]
async fn another_company_gets_404() {
    let server = start(0.0).await;
    let a = Api::new(&server, 1);
    let b = Api::new(&server, 2);
    let id = a.create_text_table("Private", SOURCE).await;
    a.wait_table(&id).await;
    for path in [
        format!("/tables/{id}"),
        format!("/tables/{id}/columns"),
        format!("/tables/{id}/rows"),
        format!("/tables/{id}/export?format=json"),
        format!("/tables/{id}/enhance/status"),
    ] {
        b.get(&path).await.error(404, "not_found");
    }
    b.patch(&format!("/tables/{id}"), json!({"name": "x"}))
        .await
        .error(404, "not_found");
    b.delete(&format!("/tables/{id}")).await.error(404, "not_found");
    assert_eq!(
        b.get("/tables").await.expect(200)["pagination"]["total"],
        1,
        "only its own sample"
    );
}

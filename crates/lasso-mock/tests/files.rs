//! Files: multipart upload (streamed, size counted), list, delete, errors, isolation,
//! and tables extracted from uploaded files.

mod common;

use common::{start, Api, Reply};
use serde_json::json;

const BOUNDARY: &str = "lasso-mock-test-boundary";

/// A multipart body with one part (reqwest is built without its multipart feature).
fn multipart(field: &str, filename: &str, content_type: Option<&str>, content: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
    )
    .into_bytes();
    if let Some(ct) = content_type {
        body.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
    }
    body.extend_from_slice(b"\r\n");
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(api: &Api, body: Vec<u8>) -> Reply {
    api.send(
        api.request(reqwest::Method::POST, "/files")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body),
    )
    .await
}

#[tokio::test]
async fn upload_list_delete() {
    let server = start(0.05).await;
    let api = Api::new(&server, 1);
    let reply = upload(&api, multipart("file", "catalog.pdf", None, b"%PDF-1.4 fake")).await;
    let file = reply.expect(201);
    let id = file["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("file_"));
    assert_eq!(file["filename"], "catalog.pdf");
    assert_eq!(file["size"], 13);
    assert_eq!(file["content_type"], "application/pdf");
    assert!(file["created_at"].as_str().unwrap().ends_with('Z'));

    let reply = upload(
        &api,
        multipart("file", "feed.csv", Some("text/csv"), b"a;b\n1;2\n"),
    )
    .await;
    assert_eq!(reply.expect(201)["content_type"], "text/csv");

    let list = api.get("/files?limit=1").await;
    let list = list.expect(200);
    assert_eq!(list["pagination"], json!({"page": 1, "limit": 1, "total": 2}));
    assert_eq!(list["data"][0]["filename"], "feed.csv", "newest first");
    assert_eq!(list["data"][0].as_object().unwrap().len(), 5);

    let other = Api::new(&server, 2);
    other
        .delete(&format!("/files/{id}"))
        .await
        .error(404, "not_found");
    assert_eq!(other.get("/files").await.expect(200)["pagination"]["total"], 0);

    assert_eq!(api.delete(&format!("/files/{id}")).await.status, 204);
    api.delete(&format!("/files/{id}")).await.error(404, "not_found");
    assert_eq!(api.get("/files").await.expect(200)["pagination"]["total"], 1);
}

#[tokio::test]
async fn missing_part_and_wrong_content_type() {
    let server = start(0.05).await;
    let api = Api::new(&server, 1);
    let message = upload(&api, multipart("document", "a.pdf", None, b"x"))
        .await
        .error_message(422, "validation_error");
    assert_eq!(message, "Missing required field: file");
    let reply = api.post("/files", json!({"file": "x"})).await;
    assert!(reply.error_message(400, "invalid_request").contains("multipart"));
}

#[tokio::test]
async fn large_uploads_are_counted_not_kept() {
    let server = start(0.05).await;
    let api = Api::new(&server, 1);
    // 12 MB: over axum's default body limit, and over what the mock keeps in memory.
    let content = vec![b'x'; 12 << 20];
    let reply = upload(&api, multipart("file", "big.bin", None, &content)).await;
    let file = reply.expect(201);
    assert_eq!(file["size"], 12 << 20);
    assert_eq!(file["content_type"], "application/octet-stream");
}

#[tokio::test]
async fn tables_from_uploaded_files() {
    let server = start(0.02).await;
    let api = Api::new(&server, 1);
    let csv = "Name;Brand;Price\nAlpine bottle;Summit;24,90\nTrail mug;Summit;18,50\nCamp bowl;Summit;12\n";
    let csv_id = upload(
        &api,
        multipart("file", "feed.csv", Some("text/csv"), csv.as_bytes()),
    )
    .await
    .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let pdf_id = upload(&api, multipart("file", "headphones-catalog.pdf", None, b"%PDF"))
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let reply = api
        .post(
            "/tables",
            json!({"schema_id": "schema_sample", "name": "From files", "file_ids": [csv_id, pdf_id]}),
        )
        .await;
    let table = reply.expect(201);
    assert_eq!(table["source_type"], "files");
    assert_eq!(table["files"][0]["name"], "feed.csv");
    assert_eq!(table["files"][0]["size"], csv.len());
    assert!(table["files"][0]["path"].as_str().unwrap().contains(&csv_id));
    let id = table["id"].as_str().unwrap().to_owned();
    let done = api.wait_table(&id).await;
    assert_eq!(done["status"], "completed");
    let total = done["total_rows"].as_u64().unwrap();
    assert!((3 + 2..=3 + 10).contains(&total), "{total}");
    let rows = api.get(&format!("/tables/{id}/rows?limit=100")).await;
    let rows = rows.expect(200)["data"].as_array().unwrap().clone();
    assert_eq!(rows[0]["data"]["name"], "Alpine bottle");
    assert_eq!(rows[0]["data"]["price"], 24.9);
    assert_eq!(rows[2]["data"]["price"], 12.0);
    assert_eq!(
        rows[3]["data"]["category"], "Headphones",
        "PDF rows come from the file name"
    );

    // Deleting a file does not affect tables built from it.
    assert_eq!(api.delete(&format!("/files/{csv_id}")).await.status, 204);
    assert_eq!(
        api.get(&format!("/tables/{id}")).await.expect(200)["total_rows"],
        total
    );

    let missing = api
        .post(
            "/tables",
            json!({"schema_id": "schema_sample", "name": "x", "file_ids": [csv_id]}),
        )
        .await;
    assert!(missing.error_message(404, "not_found").contains(&csv_id));
    let dup = api
        .post(
            "/tables",
            json!({"schema_id": "schema_sample", "name": "x", "file_ids": [pdf_id, pdf_id]}),
        )
        .await;
    assert!(dup.error_message(422, "validation_error").contains("Duplicate"));
}

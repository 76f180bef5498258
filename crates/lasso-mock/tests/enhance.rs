//! Enhancement: queueing and billing, cell-by-cell progress, generated values and
//! traces, bulk, cancel, errors.

mod common;

use std::time::{Duration, Instant};

use common::{start, Api};
use serde_json::{json, Value};

async fn wait_column(api: &Api, table: &str, column: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = api
            .get(&format!("/tables/{table}/enhance/status"))
            .await
            .expect(200);
        let c = &status["columns"][column];
        if c["completed"].as_u64().unwrap_or(0) + c["failed"].as_u64().unwrap_or(0)
            == c["total"].as_u64().unwrap_or(1)
        {
            return c.clone();
        }
        assert!(Instant::now() < deadline, "{status}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn cells_progress_one_by_one_and_write_values() {
    let server = start(1.0).await;
    let api = Api::new(&server, 1);
    let before = api.balance().await;
    let reply = api
        .post(
            "/tables/tbl_sample/enhance",
            json!({"row_ids": ["row_sample_1", "row_sample_2", "row_sample_3", "row_sample_1", "row_nope"],
                   "column_key": "description", "prompt": "Write a description of {{name}} by {{brand}}."}),
        )
        .await;
    let job = reply.expect(202);
    assert!(job["id"].as_str().unwrap().starts_with("enhance_"));
    assert_eq!(job["status"], "queued");
    assert_eq!(job["rows_queued"], 3, "duplicates once, unknown ids skipped");
    assert_eq!(job["estimated_credits"], 6.0);
    assert_eq!(api.balance().await, before - 6.0);

    let first =
        api.get("/tables/tbl_sample/enhance/status").await.expect(200)["columns"]["description"].clone();
    assert_eq!(first["total"], 3);
    assert_eq!(
        first["completed"].as_u64().unwrap()
            + first["pending"].as_u64().unwrap()
            + first["processing"].as_u64().unwrap(),
        3
    );
    // Watch the counts move cell by cell.
    let mut completed_seen = vec![];
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let c =
            api.get("/tables/tbl_sample/enhance/status").await.expect(200)["columns"]["description"].clone();
        let completed = c["completed"].as_u64().unwrap();
        assert!(c["processing"].as_u64().unwrap() <= 1);
        if completed_seen.last() != Some(&completed) {
            completed_seen.push(completed);
        }
        if completed == 3 {
            break;
        }
        assert!(Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(completed_seen.len() >= 3, "{completed_seen:?}");

    let row = api.get("/tables/tbl_sample/rows/row_sample_2").await;
    let row = row.expect(200);
    assert_ne!(
        row["data"]["description"],
        "Waterproof trail running shoe with a grippy outsole and a rock plate."
    );
    assert_eq!(row["enhancement_status"]["description"]["status"], "success");
    let confidence = row["enhancement_status"]["description"]["confidence"]
        .as_f64()
        .unwrap();
    assert!((0.0..=1.0).contains(&confidence));

    let traces = api.get("/tables/tbl_sample/rows/row_sample_2/traces").await;
    let traces = traces.expect(200)["data"].as_array().unwrap().clone();
    assert_eq!(traces.len(), 1);
    let trace = &traces[0];
    assert_eq!(trace["column_key"], "description");
    assert!(trace["model"].is_string());
    assert!(trace["request"]["user_content"]
        .as_str()
        .unwrap()
        .contains("Trail Runner GTX by Northpeak"));
    assert_eq!(trace["request"]["tools"], json!(["web_search"]));
    assert_eq!(trace["response"]["text"], row["data"]["description"]);
    assert!(trace["response"]["sources"][0]["url"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    assert_eq!(trace["response"]["tool_calls"][0]["tool"], "web_search");
    let filtered = api
        .get("/tables/tbl_sample/rows/row_sample_2/traces?column_key=price")
        .await;
    assert_eq!(filtered.expect(200)["data"], json!([]));
    let none = api
        .get("/tables/tbl_sample/rows/row_sample_2/traces?column_key=description")
        .await;
    assert_eq!(none.expect(200)["data"].as_array().unwrap().len(), 1);
    api.get("/tables/tbl_sample/rows/row_nope/traces")
        .await
        .error(404, "not_found");
}

#[tokio::test]
async fn bulk_translation_and_cancel() {
    let server = start(1.0).await;
    let api = Api::new(&server, 1);
    let before = api.balance().await;
    let reply = api
        .post(
            "/tables/tbl_sample/enhance/bulk",
            json!({"row_id": "row_sample_3", "columns": [
                {"key": "name", "prompt": "Translate {{name}} to Czech.", "target_language": "cs"},
                {"key": "category", "prompt": "Categorise {{name}}", "web_search": false},
            ]}),
        )
        .await;
    let job = reply.expect(202);
    assert_eq!(job["rows_queued"], 1);
    assert_eq!(job["estimated_credits"], 1.0);
    assert_eq!(api.balance().await, before - 1.0);
    wait_column(&api, "tbl_sample", "category").await;
    let row = api.get("/tables/tbl_sample/rows/row_sample_3").await;
    assert_eq!(
        row.expect(200)["data"]["name"],
        "Sonora ANC Wireless Headphones [cs]"
    );
    let traces = api
        .get("/tables/tbl_sample/rows/row_sample_3/traces?column_key=category")
        .await;
    assert_eq!(traces.expect(200)["data"][0]["request"]["tools"], json!([]));

    // A long job, then cancel it.
    let many: Vec<String> = (0..200).map(|i| format!("p{i}")).collect();
    let rows: Vec<Value> = many.iter().map(|n| json!({"name": n})).collect();
    let created = api.post("/tables/tbl_sample/rows", json!({"rows": rows})).await;
    let ids: Vec<String> = created.expect(201)["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    api.post(
        "/tables/tbl_sample/enhance",
        json!({"row_ids": ids, "column_key": "brand", "prompt": "Brand?"}),
    )
    .await
    .expect(202);
    let cancelled = api
        .post(
            "/tables/tbl_sample/enhance/cancel",
            json!({"column_key": "category"}),
        )
        .await;
    assert_eq!(cancelled.expect(200)["cancelled_count"], 0);
    let cancelled = api
        .send(api.request(reqwest::Method::POST, "/tables/tbl_sample/enhance/cancel"))
        .await;
    let count = cancelled.expect(200)["cancelled_count"].as_u64().unwrap();
    assert!(count > 100, "{count}");
    let brand = api.get("/tables/tbl_sample/enhance/status").await.expect(200)["columns"]["brand"].clone();
    assert_eq!(brand["pending"], 0);
    assert_eq!(brand["processing"], 0);
    assert_eq!(brand["total"].as_u64().unwrap(), 200 - count);
    let last = api.get(&format!("/tables/tbl_sample/rows/{}", ids[199])).await;
    assert_eq!(
        last.expect(200)["enhancement_status"]["brand"]["status"],
        "not_run"
    );
}

#[tokio::test]
async fn errors() {
    let server = start(1.0).await;
    let api = Api::new(&server, 1);
    let message = api
        .post(
            "/tables/tbl_sample/enhance",
            json!({"row_ids": ["row_sample_1"], "column_key": "colour", "prompt": "x"}),
        )
        .await
        .error_message(422, "validation_error");
    assert!(message.contains("colour"));
    for (body, field) in [
        (json!({"column_key": "name", "prompt": "x"}), "row_ids"),
        (
            json!({"row_ids": [], "column_key": "name", "prompt": "x"}),
            "row_ids",
        ),
        (json!({"row_ids": ["row_sample_1"], "prompt": "x"}), "column_key"),
        (
            json!({"row_ids": ["row_sample_1"], "column_key": "name"}),
            "prompt",
        ),
        (
            json!({"row_ids": ["nope"], "column_key": "name", "prompt": "x"}),
            "row_ids",
        ),
    ] {
        let message = api
            .post("/tables/tbl_sample/enhance", body)
            .await
            .error_message(422, "validation_error");
        assert!(message.contains(field), "{message}");
    }
    let too_many: Vec<String> = (0..1001).map(|i| i.to_string()).collect();
    api.post(
        "/tables/tbl_sample/enhance",
        json!({"row_ids": too_many, "column_key": "name", "prompt": "x"}),
    )
    .await
    .error(422, "validation_error");
    api.post(
        "/tables/tbl_sample/enhance/bulk",
        json!({"row_id": "row_sample_1", "columns": []}),
    )
    .await
    .error(422, "validation_error");
    api.post(
        "/tables/tbl_sample/enhance/bulk",
        json!({"row_id": "row_sample_1", "columns": [{"key": "name"}]}),
    )
    .await
    .error(422, "validation_error");
    api.post(
        "/tables/tbl_sample/enhance/bulk",
        json!({"row_id": "row_nope", "columns": [{"key": "name", "prompt": "x"}]}),
    )
    .await
    .error(404, "not_found");

    let id = api.create_text_table("Busy", "Bottle\n").await;
    api.post(
        &format!("/tables/{id}/enhance"),
        json!({"row_ids": ["a"], "column_key": "name", "prompt": "x"}),
    )
    .await
    .error(409, "conflict");
    assert_eq!(
        api.get(&format!("/tables/{id}/enhance/status")).await.expect(200),
        json!({"columns": {}})
    );
    api.get("/tables/tbl_nope/enhance/status")
        .await
        .error(404, "not_found");
}

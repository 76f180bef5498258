//! Tables as Arrow record batches (feature `arrow`), against lasso-mock over HTTP.

use lasso_ai::__bindings::ClientExt;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Field};
use futures_util::TryStreamExt;
use lasso_ai::{Client, RequestOptions};
use lasso_mock::{MockConfig, MockServer};
use serde_json::{json, Value};

const KEY: &str = "lasso_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const TYPES: [&str; 17] = [
    "text", "number", "url", "email", "date", "boolean", "richtext", "runnable", "format", "enum", "tags",
    "image", "images", "file", "files", "json", "relation",
];

async fn mock() -> (MockServer, Client) {
    let config = MockConfig {
        time_scale: 0.0,
        ..MockConfig::default()
    };
    let mock = MockServer::start(config).await.unwrap();
    let client = Client::builder()
        .api_key(KEY)
        .base_url(mock.url())
        .max_retries(0)
        .build()
        .unwrap();
    (mock, client)
}

async fn call(client: &Client, op: &str, args: Value) -> Value {
    client.call(op, args, &RequestOptions::default()).await.unwrap()
}

async fn completed(client: &Client, schema_id: &str, source: &str) -> String {
    let table = call(
        client,
        "tables.create",
        json!({"schema_id": schema_id, "name": "t", "source_text": source}),
    )
    .await;
    let id = table["id"].as_str().unwrap().to_owned();
    for _ in 0..200 {
        if call(client, "tables.get", json!({"table_id": id})).await["status"] == "completed" {
            return id;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("table {id} did not complete");
}

/// A completed table with one column per type (key = the type) holding exactly `rows`.
async fn typed_table(client: &Client, rows: Vec<Value>) -> String {
    let columns: Vec<Value> = TYPES
        .iter()
        .map(|t| json!({"key": t, "label": t, "type": t, "enum_values": (*t == "enum").then_some(["red", "blue"])}))
        .collect();
    let schema = call(
        client,
        "schemas.create",
        json!({"name": "all", "columns": columns}),
    )
    .await;
    let id = completed(client, schema["id"].as_str().unwrap(), "Steel mug, EUR 12.99").await;
    let extracted: Vec<Value> = client
        .paginate("tables.rows", json!({"table_id": id}))
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&Value> = extracted.iter().map(|r| &r["id"]).collect();
    if !ids.is_empty() {
        call(
            client,
            "tables.bulk_delete",
            json!({"table_id": id, "row_ids": ids}),
        )
        .await;
    }
    if !rows.is_empty() {
        call(
            client,
            "tables.create_rows",
            json!({"table_id": id, "rows": rows}),
        )
        .await;
    }
    id
}

async fn all(client: &Client, id: &str) -> (arrow_schema::SchemaRef, Vec<RecordBatch>) {
    let batches = client.table_batches(id, RequestOptions::default()).await.unwrap();
    let schema = batches.schema();
    (schema, batches.collect().await.unwrap())
}

fn strings(batch: &RecordBatch, column: &str) -> Vec<Option<String>> {
    let array = batch.column_by_name(column).unwrap().as_string::<i32>();
    array.iter().map(|s| s.map(str::to_owned)).collect()
}

#[tokio::test]
async fn each_column_type_has_its_arrow_type_nulls_included() {
    let (_mock, client) = mock().await;
    let full = json!({"text": "Mug", "number": 12.5, "url": "https://x.example", "email": "a@b.example",
        "date": "2026-05-01", "boolean": true, "richtext": "<b>M</b>", "runnable": "r", "format": "f",
        "enum": "red", "tags": ["a", "b"], "image": "https://x.example/i.png", "images": ["https://x.example/1.png"],
        "file": "https://x.example/f", "files": ["https://x.example/g"], "json": {"a": [1, null]}, "relation": ["p1"]});
    let nulls: serde_json::Map<String, Value> = TYPES.iter().map(|t| (t.to_string(), Value::Null)).collect();
    let id = typed_table(
        &client,
        vec![full, Value::Object(nulls), json!({"number": 3, "text": 42})],
    )
    .await;
    let (schema, batches) = all(&client, &id).await;
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(names, TYPES);
    let list = DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)));
    for field in schema.fields() {
        let expected = match field.name().as_str() {
            "number" => DataType::Float64,
            "boolean" => DataType::Boolean,
            "tags" | "images" | "files" => list.clone(),
            _ => DataType::Utf8,
        };
        assert_eq!(field.data_type(), &expected, "{}", field.name());
        assert!(field.is_nullable());
    }
    assert_eq!(batches.len(), 1);
    let batch = &batches[0];
    assert_eq!(batch.num_rows(), 3);
    let numbers = batch
        .column_by_name("number")
        .unwrap()
        .as_primitive::<Float64Type>();
    assert_eq!(
        (numbers.value(0), numbers.is_null(1), numbers.value(2)),
        (12.5, true, 3.0)
    );
    assert_eq!(
        strings(batch, "text"),
        [Some("Mug".into()), None, Some("42".into())]
    );
    assert_eq!(strings(batch, "json")[0].as_deref(), Some(r#"{"a":[1,null]}"#));
    assert_eq!(strings(batch, "relation")[0].as_deref(), Some(r#"["p1"]"#));
    let booleans = batch.column_by_name("boolean").unwrap().as_boolean();
    assert!(booleans.value(0) && booleans.is_null(1) && booleans.is_null(2));
    let tags = batch.column_by_name("tags").unwrap().as_list::<i32>();
    assert_eq!(
        tags.value(0).as_string::<i32>().iter().collect::<Vec<_>>(),
        [Some("a"), Some("b")]
    );
    assert!(tags.is_null(1) && tags.is_null(2));
}

#[tokio::test]
async fn an_unknown_column_type_falls_back_to_utf8() {
    let (mock, client) = mock().await;
    let id = typed_table(&client, vec![json!({"text": "Mug", "tags": ["a"], "number": 2})]).await;
    let columns = json!({"data": [{"key": "text", "type": "gallery"}, {"key": "tags", "type": "hologram"}, {"key": "number"}]});
    let fault =
        json!({"route": "GET /tables/{table_id}/columns", "status": 200, "body": columns.to_string()});
    mock.add_faults(&fault.to_string()).unwrap();
    let (schema, batches) = all(&client, &id).await;
    assert!(schema.fields().iter().all(|f| f.data_type() == &DataType::Utf8));
    let batch = &batches[0];
    assert_eq!(strings(batch, "text"), [Some("Mug".into())]);
    assert_eq!(strings(batch, "tags"), [Some(r#"["a"]"#.into())]);
    assert_eq!(strings(batch, "number"), [Some("2".into())]);
}

#[tokio::test]
async fn an_empty_table_gives_its_schema_and_no_batch() {
    let (_mock, client) = mock().await;
    let id = typed_table(&client, vec![]).await;
    let (schema, batches) = all(&client, &id).await;
    assert_eq!(schema.fields().len(), TYPES.len());
    assert!(batches.is_empty());
}

#[tokio::test]
async fn many_pages_come_whole_in_order_in_batches_of_10000() {
    let (_mock, client) = mock().await;
    let id = completed(&client, "schema_sample", "MOCK_ROWS=25050").await;
    let (_, batches) = all(&client, &id).await;
    assert_eq!(
        batches.iter().map(RecordBatch::num_rows).collect::<Vec<_>>(),
        [10_000, 10_000, 5_050]
    );
    let rows: Vec<Value> = client
        .paginate("tables.rows", json!({"table_id": id}))
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let names: Vec<Option<String>> = batches.iter().flat_map(|b| strings(b, "name")).collect();
    let expected: Vec<Option<String>> = rows
        .iter()
        .map(|r| r["data"]["name"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(names, expected);
}

#[tokio::test]
async fn a_page_failing_mid_stream_ends_the_stream_with_its_error() {
    let (mock, client) = mock().await;
    let id = completed(&client, "schema_sample", "MOCK_ROWS=30000").await;
    let mut batches = client
        .table_batches(&id, RequestOptions::default())
        .await
        .unwrap();
    assert_eq!(batches.next_batch().await.unwrap().unwrap().num_rows(), 10_000);
    mock.add_faults(r#"{"route": "GET /tables/{table_id}/rows", "status": 500, "times": 1000}"#)
        .unwrap();
    let e = batches.next_batch().await.unwrap_err();
    assert_eq!(e.status(), Some(500), "{e}");
    assert!(batches.next_batch().await.unwrap().is_none());
}

#[tokio::test]
async fn the_ipc_stream_reads_back_as_the_same_batches() {
    let (_mock, client) = mock().await;
    let id = completed(&client, "schema_sample", "MOCK_ROWS=250").await;
    let (schema, expected) = all(&client, &id).await;
    let bytes = client
        .table_batches(&id, RequestOptions::default())
        .await
        .unwrap()
        .to_ipc()
        .await
        .unwrap();
    let reader = arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes), None).unwrap();
    assert_eq!(reader.schema(), schema);
    let read: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
    assert_eq!(read, expected);
}

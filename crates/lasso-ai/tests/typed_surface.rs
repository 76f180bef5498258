//! The generated typed surface: arguments land where the operation table says,
//! optional ones are omitted, responses decode.

mod common;

use common::{client, Behaviour, TestServer};
use futures_util::TryStreamExt;
use lasso_ai::{SearchParams, TableSource, TablesCreateParams, TablesRowsParams};
use serde_json::{json, Map, Value};

#[tokio::test]
async fn named_arguments_go_to_the_body_and_unset_ones_are_omitted() {
    let server = TestServer::start([Behaviour::json(
        200,
        json!({"id": "s1", "status": "completed", "results": []}),
    )])
    .await;
    let params = SearchParams::new("mug").max_results(3);
    let result = client(&server).search(params).await.unwrap();
    assert_eq!(result.id.as_deref(), Some("s1"));
    let sent = server.single();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.json(), json!({"query": "mug", "max_results": 3}));
}

#[tokio::test]
async fn typed_responses_and_positional_arguments() {
    let table = json!({"id": "tbl_9", "name": "Mugs", "status": "queued_for_processing", "progress": 0, "locked": false});
    let server = TestServer::start([
        Behaviour::json(201, table),
        Behaviour::json(200, json!({"id": "row_1", "data": {"price": 3}})),
        Behaviour::json(200, json!({"cancelled_count": 0})),
        Behaviour::empty(204),
    ])
    .await;
    let c = client(&server);
    let params = TablesCreateParams::new("schema_1", "Mugs", TableSource::SourceText("Mug, 12 EUR".into()));
    let created = c.tables().create(params).await.unwrap();
    assert_eq!(created.status, lasso_ai::TableStatus::QueuedForProcessing);
    let mut data = Map::new();
    data.insert("price".into(), json!(3));
    c.tables().update_row("tbl_9", "row_1", data).await.unwrap();
    c.enhance().cancel("tbl_9", None).await.unwrap();
    c.tables().delete_row("tbl_9", "row_1").await.unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].json()["source_text"], "Mug, 12 EUR");
    assert!(requests[0].json().get("file_ids").is_none());
    assert_eq!(
        (requests[1].method.as_str(), requests[1].json()),
        ("PUT", json!({"data": {"price": 3}}))
    );
    assert!(requests[2].target.ends_with("/tables/tbl_9/enhance/cancel"));
    assert_eq!(requests[2].json(), json!({}));
    assert_eq!(requests[3].method, "DELETE");
}

#[tokio::test]
async fn list_operations_stream_every_item() {
    let page = |ids: &[&str], page: u64| {
        let data: Vec<Value> = ids
            .iter()
            .map(|id| json!({"id": id, "data": {"name": id}}))
            .collect();
        Behaviour::json(
            200,
            json!({"data": data, "pagination": {"page": page, "limit": 2, "total": 3}}),
        )
    };
    let server = TestServer::start([page(&["a", "b"], 1), page(&["c"], 2)]).await;
    let params = TablesRowsParams::new().limit(2);
    let rows: Vec<lasso_ai::Row> = client(&server)
        .tables()
        .iter_rows("tbl_1", params)
        .try_collect()
        .await
        .unwrap();
    let names: Vec<&Value> = rows.iter().map(|r| &r.data["name"]).collect();
    assert_eq!(names, [&json!("a"), &json!("b"), &json!("c")]);
    assert!(server.requests()[1].target.contains("page=2"));
}

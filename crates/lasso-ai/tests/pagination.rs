//! Auto-pagination: page/limit and cursor lists, stop rules, prefetching.

mod common;

use common::{client, expect_err, Behaviour, TestServer};
use futures_util::TryStreamExt;
use lasso_ai::__bindings::ClientExt;
use serde_json::{json, Value};

fn page(items: std::ops::Range<u64>, page: u64, limit: u64, total: u64) -> Behaviour {
    let data: Vec<Value> = items.map(|i| json!({ "id": format!("row_{i}") })).collect();
    Behaviour::json(
        200,
        json!({ "data": data, "pagination": { "page": page, "limit": limit, "total": total } }),
    )
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn page_lists_stop_when_page_times_limit_reaches_total() {
    // 6 items, limit 3: exactly two full pages and no third request.
    let server = TestServer::start([page(0..3, 1, 3, 6), page(3..6, 2, 3, 6)]).await;
    let items: Vec<Value> = client(&server)
        .paginate("tables.rows", json!({"table_id": "t", "limit": 3}))
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        ids(&items),
        (0..6).map(|i| format!("row_{i}")).collect::<Vec<_>>()
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(
        requests[0].target.ends_with("/tables/t/rows?limit=3"),
        "{}",
        requests[0].target
    );
    assert!(requests[1].target.contains("page=2"), "{}", requests[1].target);
}

#[tokio::test]
async fn a_short_page_ends_the_list_and_the_default_limit_is_100() {
    let server = TestServer::start([page(0..100, 1, 100, 250), page(100..150, 2, 100, 250)]).await;
    let items: Vec<Value> = client(&server)
        .paginate("tables.list", json!({}))
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 150);
    assert_eq!(server.count(), 2);
    assert!(server.requests()[0].target.contains("limit=100"));
}

#[tokio::test]
async fn an_empty_list_makes_one_request() {
    let server = TestServer::start([page(0..0, 1, 100, 0)]).await;
    let items: Vec<Value> = client(&server)
        .paginate("schemas.list", json!({}))
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert!(items.is_empty());
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn cursor_lists_follow_next_cursor() {
    let first = Behaviour::json(
        200,
        json!({"products": [{"id": "p1"}, {"id": "p2"}], "next_cursor": "c2"}),
    );
    let second = Behaviour::json(200, json!({"products": [{"id": "p3"}], "next_cursor": null}));
    let server = TestServer::start([first, second]).await;
    let items: Vec<Value> = client(&server)
        .paginate("catalog.list", json!({}))
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["p1", "p2", "p3"]);
    let requests = server.requests();
    assert!(
        requests[0].target.contains("page_size=100"),
        "{}",
        requests[0].target
    );
    assert!(requests[1].target.contains("cursor=c2"), "{}", requests[1].target);
}

#[tokio::test]
async fn has_more_false_ends_a_cursor_list() {
    let only = Behaviour::json(
        200,
        json!({"products": [{"id": "p1"}], "next_cursor": "c2", "has_more": false, "sync_timestamp": "x"}),
    );
    let server = TestServer::start([only]).await;
    let items: Vec<Value> = client(&server)
        .paginate("catalog.changes", json!({"since": "2026-01-01T00:00:00Z"}))
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn the_next_page_is_requested_before_the_caller_asks_for_it() {
    let server = TestServer::start([page(0..2, 1, 2, 4), page(2..4, 2, 2, 4)]).await;
    let c = client(&server);
    let mut pager = c
        .pager(
            "tables.rows",
            json!({"table_id": "t", "limit": 2}),
            Default::default(),
        )
        .unwrap();
    let first = pager.next_page().await.unwrap().unwrap();
    assert_eq!(first.len(), 2);
    for _ in 0..100 {
        if server.count() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(server.count(), 2, "page 2 was not prefetched");
    assert_eq!(pager.next_page().await.unwrap().unwrap().len(), 2);
    assert!(pager.next_page().await.unwrap().is_none());
}

#[tokio::test]
async fn an_error_page_ends_the_stream_with_the_typed_error() {
    let server = TestServer::start([
        page(0..2, 1, 2, 10),
        Behaviour::envelope(404, "not_found", "Table not found: t", "req-1"),
    ])
    .await;
    let c = common::builder(&server).max_retries(0).build().unwrap();
    let result: Result<Vec<Value>, _> = c
        .paginate("tables.rows", json!({"table_id": "t", "limit": 2}))
        .unwrap()
        .try_collect()
        .await;
    assert_eq!(expect_err(result).code(), "not_found");
}

#[tokio::test]
async fn non_list_operations_and_bad_shapes_are_clear_errors() {
    let server = TestServer::start([Behaviour::json(200, json!({"rows": []}))]).await;
    let c = client(&server);
    let e = c
        .pager("credits.balance", json!({}), Default::default())
        .unwrap_err();
    assert_eq!(e.code(), "configuration");
    assert!(e.to_string().contains("not a paginated list"));
    let result: Result<Vec<Value>, _> = c.paginate("files.list", json!({})).unwrap().try_collect().await;
    let e = expect_err(result);
    assert_eq!(e.code(), "decode");
    assert!(e.to_string().contains("`data` array"), "{e}");
}

#[tokio::test]
async fn an_arrow_read_of_a_server_serving_the_same_page_again_stops_with_a_pagination_error() {
    // A server that ignores `page` and names no page or total: every answer is the
    // same full page (read as the column list too, so the order of requests does not
    // matter). Without the guard the read never ends.
    let items: Vec<Value> = (0..100)
        .map(|i| json!({ "key": format!("k{i}"), "type": "text" }))
        .collect();
    let server = TestServer::always(Behaviour::json(
        200,
        json!({ "data": items, "pagination": { "limit": 100 } }),
    ))
    .await;
    let read = async {
        let mut batches = client(&server).table_batches("tbl_1", Default::default()).await?;
        while batches.next_batch().await?.is_some() {}
        Ok::<_, lasso_ai::Error>(())
    };
    let e = tokio::time::timeout(std::time::Duration::from_secs(20), read)
        .await
        .expect("the read ended")
        .unwrap_err();
    assert_eq!(e.kind(), lasso_ai::ErrorKind::Pagination, "{e}");
    assert!(e.to_string().contains("the same page twice"), "{e}");
    assert!(server.count() <= 3, "{} requests", server.count());
}

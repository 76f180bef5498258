//! Dropping a call's future (how the Node binding cancels a call whose
//! `AbortSignal` fired, and how `tokio::select!` / `timeout` cancel in Rust)
//! leaves nothing behind: a pager keeps the page it was fetching, an export
//! to a path removes its temporary file. Also: the polls of `wait_for_table`
//! use the client's own timeout.

mod common;

use lasso_ai::__bindings::ClientExt;
use std::time::{Duration, Instant};

use common::{builder, client, Behaviour, TestServer};
use serde_json::json;

fn page(ids: &[&str], total: u64) -> Behaviour {
    let data: Vec<_> = ids.iter().map(|id| json!({ "id": id })).collect();
    Behaviour::json(
        200,
        json!({ "data": data, "pagination": { "page": 1, "limit": 2, "total": total } }),
    )
}

#[tokio::test]
async fn a_dropped_next_page_keeps_its_page_in_the_pager() {
    let server = TestServer::start([page(&["a", "b"], 2).after(Duration::from_millis(300))]).await;
    let mut pager = client(&server)
        .pager(
            "tables.rows",
            json!({ "table_id": "t", "limit": 2 }),
            Default::default(),
        )
        .unwrap();
    // Cancelled while the page is on its way...
    let cancelled = tokio::time::timeout(Duration::from_millis(50), pager.next_page()).await;
    assert!(cancelled.is_err(), "the page came too early for this test");
    // ...the same request still delivers it: nothing lost, nothing sent twice.
    let items = pager.next_page().await.unwrap().unwrap();
    assert_eq!(items.len(), 2);
    assert!(pager.next_page().await.unwrap().is_none());
    assert_eq!(server.count(), 1);
}

// Both runtime flavours: on a multi-thread runtime the body is read by a task of its own.
#[tokio::test]
async fn a_dropped_export_to_a_path_removes_its_temporary_file() {
    a_dropped_export_to_a_path_removes_its_temporary_file_in("current").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_export_to_a_path_removes_its_temporary_file_on_a_multi_thread_runtime() {
    a_dropped_export_to_a_path_removes_its_temporary_file_in("multi").await;
}

async fn a_dropped_export_to_a_path_removes_its_temporary_file_in(flavour: &str) {
    let dir = std::env::temp_dir().join(format!("lasso-cancel-export-{}-{flavour}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("out.csv");
    let stalled = Behaviour::StallBody {
        status: 200,
        content_length: 1000,
        sent: b"name;price\n".to_vec(),
    };
    let server = TestServer::start([stalled]).await;
    let c = client(&server);
    let options = lasso_ai::RequestOptions::new();
    let mut export = Box::pin(c.export_table_to_path("tbl_1", "csv", None, &path, &options));
    // Let it create the temporary file and write the first bytes, then drop it.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let step = tokio::time::timeout(Duration::from_millis(20), export.as_mut()).await;
        assert!(step.is_err(), "the export finished: {step:?}");
        if std::fs::read_dir(&dir).unwrap().count() > 0 || Instant::now() > deadline {
            break;
        }
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "no temporary file was created"
    );
    drop(export);
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "the temporary file was left behind: {left:?}");
    assert!(!path.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn wait_for_table_polls_within_the_client_timeout() {
    // Each status request is cut at the client's 200 ms timeout and tried
    // again (a timeout is transient); the wait itself ends at its deadline.
    let slow =
        Behaviour::json(200, json!({ "id": "tbl_1", "status": "processing" })).after(Duration::from_secs(5));
    let server = TestServer::always(slow).await;
    let c = builder(&server)
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let e = c
        .wait_for_table(
            "tbl_1",
            Duration::from_millis(50),
            Duration::from_millis(1500),
            |_| {},
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "timeout", "{e}");
    assert!(e.to_string().contains("did not finish within 1.5 s"), "{e}");
    assert!(
        e.to_string()
            .contains("the last status request failed: GET /tables/{table_id} timed out"),
        "names the last failure: {e}"
    );
    assert!(
        started.elapsed() < Duration::from_millis(2200),
        "the wait took {:?}",
        started.elapsed()
    );
    assert!(server.count() >= 2, "{} polls", server.count());
}

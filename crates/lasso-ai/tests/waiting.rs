//! `wait_for_table`: terminal states, unknown statuses, progress reports, deadline.

mod common;

use lasso_ai::__bindings::{ClientExt, ErrorExt};
use std::time::{Duration, Instant};

use common::{client, expect_err, Behaviour, TestServer};
use serde_json::json;

fn table(status: &str, progress: u64) -> Behaviour {
    Behaviour::json(
        200,
        json!({"id": "tbl_1", "status": status, "progress": progress, "error_message": null}),
    )
}

const FAST: Duration = Duration::from_millis(10);

#[tokio::test]
async fn completes_and_reports_each_new_progress_value() {
    let server = TestServer::start([
        table("queued_for_processing", 0),
        table("processing", 40),
        table("processing", 40),
        table("reticulating_splines", 60), // unknown: keep waiting
        table("completed", 100),
    ])
    .await;
    let mut seen = Vec::new();
    let done = client(&server)
        .wait_for_table("tbl_1", FAST, Duration::from_secs(10), |p| {
            seen.push((p.status.clone(), p.progress))
        })
        .await
        .unwrap();
    assert_eq!(done["status"], "completed");
    assert_eq!(server.count(), 5);
    let statuses: Vec<_> = seen.iter().map(|(s, p)| format!("{s}:{}", p.unwrap())).collect();
    assert_eq!(
        statuses,
        [
            "queued_for_processing:0",
            "processing:40",
            "reticulating_splines:60",
            "completed:100"
        ]
    );
}

#[tokio::test]
async fn failed_error_and_cancelled_raise_job_failed_with_the_table() {
    for status in ["failed", "error", "cancelled"] {
        let failing = Behaviour::json(
            200,
            json!({"id": "tbl_1", "status": status, "progress": 30, "error_message": "bad PDF"}),
        );
        let server = TestServer::start([table("processing", 10), failing]).await;
        let e = expect_err(
            client(&server)
                .wait_for_table("tbl_1", FAST, Duration::from_secs(10), |_| {})
                .await,
        );
        assert_eq!(e.code(), "job_failed");
        assert!(
            e.to_string().contains(&format!("status `{status}`: bad PDF")),
            "{e}"
        );
        let fields = e.to_fields();
        assert_eq!(fields["status"], status);
        assert_eq!(fields["table"]["id"], "tbl_1");
    }
}

#[tokio::test]
async fn running_out_of_time_names_the_last_status_and_progress() {
    let server = TestServer::always(table("processing", 55)).await;
    let started = Instant::now();
    let e = expect_err(
        client(&server)
            .wait_for_table(
                "tbl_1",
                Duration::from_millis(50),
                Duration::from_millis(300),
                |_| {},
            )
            .await,
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(e.code(), "timeout");
    assert!(
        e.to_string().contains("last status `processing`, progress 55%"),
        "{e}"
    );
}

#[tokio::test]
async fn a_missing_table_is_not_found_at_once() {
    let server = TestServer::start([Behaviour::envelope(
        404,
        "not_found",
        "Table not found: tbl_1",
        "r1",
    )])
    .await;
    let e = expect_err(
        client(&server)
            .wait_for_table("tbl_1", FAST, Duration::from_secs(10), |_| {})
            .await,
    );
    assert_eq!(e.code(), "not_found");
    assert_eq!(server.count(), 1);
}

fn enhancement(columns: serde_json::Value) -> Behaviour {
    Behaviour::json(200, json!({ "columns": columns }))
}

#[tokio::test]
async fn an_enhancement_wait_polls_until_every_cell_is_done_and_reports_the_share_finished() {
    let server = TestServer::start([
        enhancement(json!({"desc": {"total": 4, "completed": 0, "failed": 0, "pending": 4, "processing": 0}})),
        enhancement(json!({"desc": {"total": 4, "completed": 2, "failed": 0, "pending": 1, "processing": 1},
                           "title": {"total": 2, "completed": 2, "failed": 0}})),
        Behaviour::envelope(503, "service_unavailable", "busy", "r"),
        enhancement(json!({"desc": {"total": 4, "completed": 3, "failed": 1}, "title": {"total": 2, "completed": 2, "failed": 0}})),
    ])
    .await;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    let status = client(&server)
        .enhance()
        .wait_for_completion("tbl_1")
        .column("desc")
        .interval(FAST)
        .timeout(Duration::from_secs(10))
        .on_progress(move |p| record.lock().unwrap().push((p.status.to_string(), p.progress)))
        .await
        .unwrap();
    assert_eq!(
        status.columns.as_ref().unwrap()["desc"].failed,
        Some(1),
        "done although a cell failed"
    );
    assert_eq!(
        *seen.lock().unwrap(),
        [
            ("processing".to_owned(), Some(0.0)),
            ("processing".to_owned(), Some(50.0)),
            ("completed".to_owned(), Some(100.0)),
        ]
    );
    assert!(server
        .requests()
        .iter()
        .all(|r| r.target == "/api/v1/tables/tbl_1/enhance/status"));
}

#[tokio::test]
async fn an_enhancement_where_every_cell_failed_is_a_job_failure_and_nothing_running_is_done() {
    let server = TestServer::start([
        enhancement(json!({"desc": {"total": 2, "completed": 0, "failed": 2}})),
        enhancement(json!({})),
    ])
    .await;
    let client = client(&server);
    let e = expect_err(
        client
            .enhance()
            .wait_for_completion("tbl_1")
            .interval(FAST)
            .timeout(Duration::from_secs(5))
            .await,
    );
    assert_eq!(e.code(), "job_failed", "{e}");
    assert!(e.to_string().contains("every one of its 2 cells failed"), "{e}");
    // The job is the enhancement's status, said so by its kind, and handed to the
    // other languages as `enhancement`, not `table`.
    let lasso_ai::Error::JobFailed { kind, job, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(*kind, lasso_ai::JobKind::Enhancement);
    assert_eq!(job["columns"]["desc"]["failed"], 2);
    let fields = lasso_ai::__bindings::ErrorExt::to_fields(&e);
    assert_eq!(fields["enhancement"], **job);
    assert!(
        fields["table"].is_null() && fields.get("job").is_none(),
        "{fields}"
    );
    let status = client
        .enhance()
        .wait_for_completion("tbl_1")
        .interval(FAST)
        .timeout(Duration::from_secs(5))
        .await
        .unwrap();
    assert!(status.columns.unwrap_or_default().is_empty());
}

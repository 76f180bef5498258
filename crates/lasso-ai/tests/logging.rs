//! What a client reports (issue 16): one DEBUG line per attempt with method,
//! path, outcome, duration, attempt and request id; INFO for a retry; WARN
//! for a call that failed for good; never the key or a body. To a client's
//! own logger, and to stderr with `LASSO_LOG` in a Rust program.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use lasso_ai::logging::Level;

/// The lines a logger heard.
type Heard = Arc<Mutex<Vec<(Level, String)>>>;

fn capture() -> (Heard, lasso_ai::logging::Logger) {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    (
        lines,
        Arc::new(move |level, line: &str| sink.lock().unwrap().push((level, line.to_owned()))),
    )
}

#[tokio::test]
async fn a_clients_logger_hears_each_attempt_the_retry_and_the_failure() {
    let server = TestServer::start([
        Behaviour::envelope(503, "service_unavailable", "busy", "req_1").with_header("Retry-After", "0"),
        Behaviour::envelope(404, "not_found", format!("no table for {KEY}").as_str(), "req_2"),
    ])
    .await;
    let (lines, logger) = capture();
    let client = builder(&server).logger(Level::Debug, logger).build().unwrap();
    expect_err(client.tables().get("tbl_1").await);
    let lines = lines.lock().unwrap().clone();
    let shown: Vec<String> = lines.iter().map(|(l, s)| format!("{l} {s}")).collect();
    assert_eq!(lines.len(), 4, "{shown:#?}");
    assert!(
        shown[0].starts_with("DEBUG GET /api/v1/tables/tbl_1 -> 503 in "),
        "{shown:#?}"
    );
    assert!(shown[0].ends_with("(attempt 1, request_id req_1)"), "{shown:#?}");
    assert!(
        shown[1].starts_with("INFO GET /api/v1/tables/tbl_1: retrying in "),
        "{shown:#?}"
    );
    assert!(shown[2].ends_with("(attempt 2, request_id req_2)"), "{shown:#?}");
    assert!(
        shown[3].starts_with("WARN GET /api/v1/tables/tbl_1 failed: no table for lasso_…"),
        "{shown:#?}"
    );
    for line in &shown {
        assert_secret_free(line);
    }
    // At `warn`, only the failure.
    let (lines, logger) = capture();
    let server = TestServer::start([Behaviour::envelope(404, "not_found", "gone", "r")]).await;
    let client = builder(&server).logger(Level::Warn, logger).build().unwrap();
    expect_err(client.tables().get("tbl_1").await);
    assert_eq!(lines.lock().unwrap().len(), 1);
}

/// `LASSO_LOG=info` in a Rust program without a logger: the lines on stderr.
/// Runs this test binary again as the program (environment variables are process-wide).
#[test]
fn lasso_log_prints_to_stderr() {
    if let Ok(url) = std::env::var("LASSO_LOGGING_CHILD") {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let client = lasso_ai::Client::builder()
                .api_key(KEY)
                .base_url(url)
                .build()
                .unwrap();
            let _ = client.tables().get("tbl_1").await;
        });
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start([
        Behaviour::envelope(503, "service_unavailable", "busy", "r1").with_header("Retry-After", "0"),
        Behaviour::envelope(404, "not_found", "gone", "r2"),
    ]));
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["lasso_log_prints_to_stderr", "--exact", "--nocapture"])
        .env("LASSO_LOGGING_CHILD", server.url())
        .env("LASSO_LOG", "info")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let ours: Vec<&str> = stderr.lines().filter(|l| l.starts_with("lasso ")).collect();
    assert_eq!(ours.len(), 2, "{stderr}");
    assert!(
        ours[0].starts_with("lasso info: GET /api/v1/tables/tbl_1: retrying in "),
        "{stderr}"
    );
    assert!(
        ours[1].starts_with("lasso warn: GET /api/v1/tables/tbl_1 failed: gone"),
        "{stderr}"
    );
    assert_secret_free(&stderr);
}

//! A hostile network (issue #12): servers and intermediaries that stall,
//! cut, redirect, repeat or answer early never cost a hang, a second charge,
//! unbounded memory or a wrong error class. Everything runs on loopback.

mod common;

use lasso_ai::__bindings::{ClientExt, ErrorExt};
use std::time::{Duration, Instant};

use common::*;
use futures_util::{StreamExt, TryStreamExt};
use lasso_ai::{Error, RequestOptions, Upload};
use serde_json::{json, Value};

/// Fails the test instead of hanging it.
async fn within<T>(limit: Duration, fut: impl std::future::IntoFuture<Output = T>) -> T {
    tokio::time::timeout(limit, fut.into_future())
        .await
        .unwrap_or_else(|_| panic!("still running after {limit:?}: a hang"))
}

fn short(server: &TestServer) -> lasso_ai::Client {
    builder(server)
        .timeout(Duration::from_millis(800))
        .build()
        .unwrap()
}

// --- 2. exports into memory -------------------------------------------------------------

#[tokio::test]
async fn an_in_memory_export_whose_body_stalls_times_out() {
    let server = TestServer::start([Behaviour::StallBody {
        status: 200,
        content_length: 1000,
        sent: b"a;b\n".to_vec(),
    }])
    .await;
    let started = Instant::now();
    let e = expect_err(
        within(
            Duration::from_secs(10),
            short(&server).export_table("tbl_1", "csv", None, &RequestOptions::new().max_retries(0)),
        )
        .await,
    );
    assert_eq!(e.code(), "timeout", "{e}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_in_memory_export_over_the_cap_says_to_stream_it_to_a_path() {
    let big = vec![b'x'; 3 << 20];
    let server = TestServer::always(Behaviour::Respond {
        status: 200,
        headers: vec![("Content-Type".into(), "text/csv".into())],
        body: big,
    })
    .await;
    let client = builder(&server).max_response_bytes(1 << 20).build().unwrap();
    let e = expect_err(
        client
            .export_table("tbl_1", "csv", None, &Default::default())
            .await,
    );
    assert_eq!(e.code(), "response_too_large", "{e}");
    assert!(
        e.to_string().contains("1 MiB") && e.to_string().contains("path"),
        "{e}"
    );
    assert_eq!(server.count(), 1, "not retried");
    // The same limit guards JSON answers.
    let e = expect_err(
        client
            .call("tables.get", json!({"table_id": "t"}), &Default::default())
            .await,
    );
    assert_eq!(e.code(), "response_too_large", "{e}");
    assert!(e.to_string().contains("max_response_bytes"), "{e}");
}

// --- 3 and 16. redirects of a billed POST ------------------------------------------------

#[tokio::test]
async fn a_post_redirected_with_303_is_not_replayed_as_a_get_nor_sent_again() {
    for status in [301, 302, 303] {
        let target = TestServer::always(Behaviour::json(200, json!({"id": "s", "results": []}))).await;
        let first =
            TestServer::always(Behaviour::redirect(status, &format!("{}/search", target.url()))).await;
        let e = expect_err(
            client(&first)
                .call("search", json!({"query": "boots"}), &Default::default())
                .await,
        );
        assert_eq!(first.count(), 1, "{status}: the POST was sent again");
        assert_eq!(target.count(), 0, "{status}: replayed as a GET");
        assert!(matches!(e, Error::Connection { not_sent: false, .. }), "{e:?}");
        let text = e.to_string();
        assert!(
            text.contains(&status.to_string()) && text.contains("/search"),
            "{text}"
        );
        assert!(text.contains("GET"), "{text}");
    }
}

#[tokio::test]
async fn a_post_is_never_sent_again_once_a_redirect_answered_it() {
    // 307 to a port where nothing listens: the first server answered, so
    // the failure is not "not sent" and the POST is not retried.
    let nowhere = refused_port().await;
    let first = TestServer::always(Behaviour::redirect(
        307,
        &format!("http://127.0.0.1:{nowhere}/api/v1/search"),
    ))
    .await;
    let e = expect_err(
        client(&first)
            .call("search", json!({"query": "q"}), &Default::default())
            .await,
    );
    assert_eq!(first.count(), 1);
    match e {
        Error::Connection { not_sent, .. } => assert!(!not_sent, "a redirect answered: it was sent"),
        other => panic!("expected a connection error, got {other:?}"),
    }
    // 307 to a server answering 503: not retried either.
    let busy = TestServer::always(Behaviour::envelope(503, "service_unavailable", "busy", "r")).await;
    let first = TestServer::always(Behaviour::redirect(307, &format!("{}/search", busy.url()))).await;
    let e = expect_err(
        client(&first)
            .call("search", json!({"query": "q"}), &Default::default())
            .await,
    );
    assert_eq!(e.code(), "service_unavailable");
    assert_eq!((first.count(), busy.count()), (1, 1));
}

#[tokio::test]
async fn a_get_still_follows_a_302() {
    let target = TestServer::start([balance_ok()]).await;
    let first = TestServer::start([Behaviour::redirect(
        302,
        &format!("{}/credits/balance", target.url()),
    )])
    .await;
    expect_ok(client(&first).credits().balance().await);
}

// --- 4. error bodies cut short ------------------------------------------------------------

#[tokio::test]
async fn an_error_whose_body_is_cut_or_stalls_keeps_its_status_and_is_not_retried() {
    let envelope = br#"{"status_code":401,"error_type":"unauthenticated","message":"Invalid"#.to_vec();
    let server = TestServer::always(Behaviour::ResetBody {
        status: 401,
        content_length: 500,
        sent: envelope,
    })
    .await;
    let e = expect_err(within(Duration::from_secs(10), short(&server).credits().balance()).await);
    assert_eq!(e.code(), "unauthenticated", "{e}");
    assert_eq!(server.count(), 1, "a 401 is never retried");

    let server = TestServer::always(Behaviour::StallBody {
        status: 404,
        content_length: 500,
        sent: b"{\"message\": \"no such".to_vec(),
    })
    .await;
    let e = expect_err(within(Duration::from_secs(10), short(&server).tables().get("t")).await);
    assert_eq!(e.code(), "not_found", "{e}");
    assert_eq!(server.count(), 1);
    assert!(e.as_api().unwrap().raw_body.contains("no such"), "{e:?}");
}

// --- 7. pagination that never ends ---------------------------------------------------------

fn cursor_page(ids: &[&str], cursor: &str) -> Behaviour {
    let items: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
    Behaviour::json(
        200,
        json!({"products": items, "next_cursor": cursor, "has_more": true}),
    )
}

#[tokio::test]
async fn a_cursor_that_comes_back_stops_the_list_with_a_typed_error() {
    let server = TestServer::always(cursor_page(&["a"], "same")).await;
    let client = client(&server);
    let stream = client
        .pager("catalog.list", json!({}), Default::default())
        .unwrap()
        .into_stream();
    let items: Vec<Result<Value, Error>> = within(Duration::from_secs(10), stream.collect()).await;
    let e = items.last().unwrap().as_ref().unwrap_err();
    assert_eq!(e.code(), "pagination", "{e}");
    assert!(e.to_string().contains("same"), "{e}");
    assert!(server.count() <= 3, "{} pages", server.count());
}

#[tokio::test]
async fn empty_pages_that_say_more_follow_stop_the_list() {
    let mut n = 0;
    let pages = std::iter::from_fn(move || {
        n += 1;
        Some(cursor_page(&[], &format!("c{n}")))
    });
    let server = TestServer::start(pages.take(50)).await;
    let client = client(&server);
    let e = expect_err(
        within(
            Duration::from_secs(10),
            client
                .pager("catalog.list", json!({}), Default::default())
                .unwrap()
                .into_stream()
                .try_collect::<Vec<Value>>(),
        )
        .await,
    );
    assert_eq!(e.code(), "pagination", "{e}");
    assert!(server.count() <= 4, "{} pages", server.count());
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_stops_the_list() {
    // Always page 1, full, with a total that never runs out.
    let items: Vec<Value> = (0..2).map(|i| json!({"id": format!("t{i}")})).collect();
    let server = TestServer::always(Behaviour::json(
        200,
        json!({"data": items, "pagination": {"page": 1, "limit": 2, "total": 1_000_000}}),
    ))
    .await;
    let client = client(&server);
    let e = expect_err(
        within(
            Duration::from_secs(10),
            client
                .pager("tables.list", json!({"limit": 2}), Default::default())
                .unwrap()
                .into_stream()
                .try_collect::<Vec<Value>>(),
        )
        .await,
    );
    assert_eq!(e.code(), "pagination", "{e}");
    assert!(server.count() <= 3, "{} pages", server.count());
}

#[tokio::test]
async fn huge_page_numbers_do_not_overflow() {
    // `page × limit` and `page + 1` past u64::MAX: the list ends, no panic.
    for (limit, total) in [(1u64, None), (2, Some(u64::MAX))] {
        let items: Vec<Value> = (0..limit).map(|i| json!({"id": i})).collect();
        let server = TestServer::always(Behaviour::json(
            200,
            json!({"data": items, "pagination": {"page": u64::MAX, "limit": limit, "total": total}}),
        ))
        .await;
        let client = client(&server);
        let got = within(
            Duration::from_secs(10),
            client
                .pager(
                    "tables.list",
                    json!({"page": u64::MAX, "limit": limit}),
                    Default::default(),
                )
                .unwrap()
                .into_stream()
                .collect::<Vec<_>>(),
        )
        .await;
        assert_eq!(got.len(), limit as usize, "{got:?}");
        assert!(got.iter().all(Result::is_ok), "{got:?}");
    }
}

// --- 10. bounded bodies elsewhere ---------------------------------------------------------

#[tokio::test]
async fn a_deletes_body_is_not_read() {
    // A 200 announcing 10 MB and then stalling: a delete has nothing to read.
    let server = TestServer::always(Behaviour::StallBody {
        status: 200,
        content_length: 10 << 20,
        sent: b"<html>".to_vec(),
    })
    .await;
    let started = Instant::now();
    expect_ok(within(Duration::from_secs(10), short(&server).tables().delete("t")).await);
    assert!(
        started.elapsed() < Duration::from_millis(700),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn total_timeout_bounds_a_whole_streamed_export() {
    // Chunks arrive faster than the idle timeout but the whole never ends.
    let server = TestServer::always(Behaviour::StallBody {
        status: 200,
        content_length: 10 << 20,
        sent: b"a;b\n".to_vec(),
    })
    .await;
    let dir = tempdir();
    let out = dir.join("out.csv");
    let started = Instant::now();
    let options = RequestOptions::new()
        .timeout(Duration::from_secs(30))
        .total_timeout(Duration::from_millis(600));
    let e = expect_err(
        within(
            Duration::from_secs(10),
            client(&server).export_table_to_path("t", "csv", None, &out, &options),
        )
        .await,
    );
    assert_eq!(e.code(), "timeout", "{e}");
    assert!(e.to_string().contains("total timeout"), "{e}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "a temporary file was left"
    );
}

// --- 11. header injection through file names ------------------------------------------------

#[tokio::test]
async fn an_upload_file_name_cannot_inject_a_header() {
    let server = TestServer::start([Behaviour::json(201, json!({"id": "f", "filename": "x"}))]).await;
    expect_ok(
        client(&server)
            .upload_file(
                Upload::bytes(&b"data"[..], "a\r\nX-Injected: 1\".csv"),
                &Default::default(),
            )
            .await,
    );
    let body = String::from_utf8_lossy(&server.single().body).into_owned();
    assert!(!body.contains("\r\nX-Injected"), "{body}");
    assert!(
        body.contains("filename=\"a%0D%0AX-Injected: 1%22.csv\""),
        "{body}"
    );
}

// --- 12. a cap on connections ----------------------------------------------------------------

#[tokio::test]
async fn thousands_of_concurrent_calls_use_a_bounded_number_of_connections() {
    let server = TestServer::always(balance_ok().after(Duration::from_millis(50))).await;
    let client = builder(&server)
        .max_connections(8)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let calls = (0..400).map(|_| {
        let client = client.clone();
        async move { client.credits().balance().await }
    });
    let results = within(Duration::from_secs(60), futures_util::future::join_all(calls)).await;
    assert!(
        results.iter().all(Result::is_ok),
        "{:?}",
        results.iter().find(|r| r.is_err())
    );
    assert!(
        server.peak_connections() <= 8,
        "{} connections at once",
        server.peak_connections()
    );
    assert_eq!(server.count(), 400);

    // The default cap is 64.
    let server = TestServer::always(balance_ok().after(Duration::from_millis(20))).await;
    let client = builder(&server).timeout(Duration::from_secs(30)).build().unwrap();
    let calls = (0..1000).map(|_| {
        let client = client.clone();
        async move { client.credits().balance().await }
    });
    let results = within(Duration::from_secs(60), futures_util::future::join_all(calls)).await;
    assert!(results.iter().all(Result::is_ok));
    assert!(
        server.peak_connections() <= lasso_ai::DEFAULT_MAX_CONNECTIONS,
        "{}",
        server.peak_connections()
    );
}

// --- 14. an error answered before the upload is sent -----------------------------------------

/// A server that answers `401` as soon as it has read a request's head, then
/// resets the connection while the client is still sending the body (what a
/// server that closes with unread data does).
async fn answers_before_the_body() -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (mut buf, mut head) = (vec![0u8; 8192], Vec::new());
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let body = br#"{"status_code":401,"error_type":"unauthenticated","message":"Invalid or deactivated API key","request_id":"req_early"}"#;
                let answer = format!(
                    "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
                let _ = socket.write_all(body).await;
                let _ = socket.set_zero_linger();
            });
        }
    });
    port
}

#[tokio::test]
async fn an_error_answered_while_an_upload_is_still_going_out_is_read() {
    let dir = tempdir();
    let path = dir.join("big.csv");
    std::fs::write(&path, vec![b'x'; 5 << 20]).unwrap();
    let port = answers_before_the_body().await;
    let client = lasso_ai::Client::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}/api/v1"))
        .max_retries(0)
        .build()
        .unwrap();
    // Before the fix about 1 try in 10 reported a connection failure.
    for _ in 0..100 {
        let e = expect_err(client.upload_file(Upload::path(&path), &Default::default()).await);
        assert_eq!(e.code(), "unauthenticated", "{e}");
        assert_eq!(e.request_id(), Some("req_early"));
    }
    // The emulator too: a revoked key is refused before the upload is read.
    let mock = lasso_mock::MockServer::start(lasso_mock::MockConfig::default())
        .await
        .unwrap();
    let revoked = lasso_ai::Client::builder()
        .api_key(lasso_mock::REVOKED_KEY)
        .base_url(mock.url())
        .max_retries(0)
        .build()
        .unwrap();
    for _ in 0..20 {
        let e = expect_err(
            revoked
                .upload_file(Upload::path(&path), &Default::default())
                .await,
        );
        assert_eq!(e.code(), "unauthenticated", "{e}");
    }
    // A 503 answered early is retried like any 503 (an upload is a POST the
    // server cannot have acted on), and the retry succeeds.
    let client = lasso_ai::Client::builder()
        .api_key(KEY)
        .base_url(mock.url())
        .build()
        .unwrap();
    for _ in 0..5 {
        mock.add_faults(r#"{"route": "POST /files", "status": 503, "headers": {"Retry-After": "0"}}"#)
            .unwrap();
        let file = expect_ok(client.upload_file(Upload::path(&path), &Default::default()).await);
        assert_eq!(file["filename"], "big.csv");
    }
    mock.shutdown().await;
}

// --- 15. 2xx bodies that are not what the operation returns ------------------------------------

#[tokio::test]
async fn a_success_whose_body_is_not_the_model_is_a_decode_error() {
    for body in [&b"[1,2]"[..], b"null", b"\"hello\"", b"", b"  ", b"42", b"true"] {
        let server = TestServer::always(Behaviour::Respond {
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_vec(),
        })
        .await;
        let client = client(&server);
        let e = expect_err(
            client
                .call("tables.get", json!({"table_id": "t"}), &Default::default())
                .await,
        );
        assert_eq!(e.code(), "decode", "{:?}: {e}", String::from_utf8_lossy(body));
        assert!(e.to_string().contains("Table"), "{e}");
        let e = expect_err(client.tables().get("t").await);
        assert_eq!(e.code(), "decode");
        assert_eq!(server.count(), 2, "a decode error is not retried");
    }
}

#[tokio::test]
async fn an_html_page_answering_an_export_is_never_taken_for_it() {
    let portal = "<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>";
    for format in ["csv", "xlsx", "json", "images"] {
        let server = TestServer::always(Behaviour::html(200, portal)).await;
        let client = client(&server);
        let e = expect_err(client.export_table("t", format, None, &Default::default()).await);
        assert_eq!(e.code(), "decode", "{format}: {e}");
        assert!(e.to_string().contains("HTML"), "{e}");
        let dir = tempdir();
        let out = dir.join(format!("out.{format}"));
        std::fs::write(&out, b"previous").unwrap();
        let e = expect_err(
            client
                .export_table_to_path("t", format, None, &out, &Default::default())
                .await,
        );
        assert_eq!(e.code(), "decode", "{format}: {e}");
        assert_eq!(
            std::fs::read(&out).unwrap(),
            b"previous",
            "the existing file was replaced"
        );
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "a temporary file was left"
        );
    }
    // The same page without a content type is still recognised.
    let server = TestServer::always(Behaviour::Respond {
        status: 200,
        headers: vec![],
        body: portal.as_bytes().to_vec(),
    })
    .await;
    let e = expect_err(
        client(&server)
            .export_table("t", "csv", None, &Default::default())
            .await,
    );
    assert_eq!(e.code(), "decode");
}

#[tokio::test]
async fn a_truncated_json_or_zip_export_never_replaces_the_file() {
    let cases: [(&str, &[u8], &str); 3] = [
        ("json", br#"{"data": [{"a": 1}, {"a""#, "application/json"),
        (
            "xlsx",
            b"PK\x03\x04 a zip that stops here",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("images", b"PK\x03\x04 cut", "application/zip"),
    ];
    for (format, body, content_type) in cases {
        let server = TestServer::always(Behaviour::Respond {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.to_vec(),
        })
        .await;
        let client = client(&server);
        let dir = tempdir();
        let out = dir.join("out");
        std::fs::write(&out, b"previous").unwrap();
        let e = expect_err(
            client
                .export_table_to_path("t", format, None, &out, &Default::default())
                .await,
        );
        assert_eq!(e.code(), "decode", "{format}: {e}");
        assert_eq!(std::fs::read(&out).unwrap(), b"previous");
        let e = expect_err(client.export_table("t", format, None, &Default::default()).await);
        assert_eq!(e.code(), "decode", "{format}: {e}");
    }
}

// --- 17. waits that survive a blip; the deadline bounds the wait ------------------------------

fn table(status: &str) -> Behaviour {
    Behaviour::json(200, json!({"id": "tbl_1", "status": status, "progress": 10}))
}

#[tokio::test]
async fn a_wait_rides_out_transient_failures_of_its_status_requests() {
    let server = TestServer::start([
        table("processing"),
        Behaviour::envelope(503, "service_unavailable", "busy", "r1"),
        Behaviour::Reset,
        Behaviour::envelope(429, "rate_limited", "slow down", "r2").with_header("Retry-After", "0"),
        Behaviour::envelope(502, "internal_error", "bad gateway", "r3"),
        Behaviour::Close,
        table("completed"),
    ])
    .await;
    let table = expect_ok(
        within(
            Duration::from_secs(30),
            client(&server).wait_for_table(
                "tbl_1",
                Duration::from_millis(10),
                Duration::from_secs(25),
                |_| {},
            ),
        )
        .await,
    );
    assert_eq!(table["status"], "completed");
    assert_eq!(server.count(), 7);
}

#[tokio::test]
async fn a_wait_fails_at_once_on_an_error_repeating_cannot_fix() {
    let server = TestServer::start([
        table("processing"),
        Behaviour::envelope(404, "not_found", "gone", "r"),
    ])
    .await;
    let e = expect_err(
        client(&server)
            .wait_for_table(
                "tbl_1",
                Duration::from_millis(10),
                Duration::from_secs(25),
                |_| {},
            )
            .await,
    );
    assert_eq!(e.code(), "not_found");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn the_deadline_bounds_the_whole_wait_even_when_a_status_request_hangs() {
    let server = TestServer::always(table("processing").after(Duration::from_secs(20))).await;
    // A per-attempt timeout far above the wait's own.
    let client = builder(&server).timeout(Duration::from_secs(30)).build().unwrap();
    let started = Instant::now();
    let e = expect_err(
        within(
            Duration::from_secs(15),
            client
                .tables()
                .wait_for_completion("tbl_1")
                .interval(Duration::from_millis(10))
                .timeout(Duration::from_secs(2)),
        )
        .await,
    );
    let took = started.elapsed();
    assert_eq!(e.code(), "timeout", "{e}");
    assert!(e.to_string().contains("did not finish within 2.0 s"), "{e}");
    assert!(took < Duration::from_millis(2600), "the 2 s wait took {took:?}");
}

#[tokio::test]
async fn the_progress_callback_can_stop_a_wait() {
    let server = TestServer::always(table("processing")).await;
    let waited = expect_ok(
        client(&server)
            .wait_for_job(
                lasso_ai::__bindings::Job::Extraction { table_id: "tbl_1" },
                Duration::from_millis(10),
                Duration::from_secs(10),
                |p| std::future::ready(std::ops::ControlFlow::Break(p.status.to_string())),
            )
            .await,
    );
    assert_eq!(waited, Err("processing".to_owned()));
    assert_eq!(server.count(), 1);
}

// --- Also: redaction of what servers echo, export files ---------------------------------------

#[tokio::test]
async fn a_job_failure_echoing_the_key_is_redacted() {
    let echoed = format!("worker crashed with header Bearer {KEY}");
    let server = TestServer::always(Behaviour::json(
        200,
        json!({"id": "t", "status": "failed", "error_message": echoed, "note": KEY.to_uppercase()}),
    ))
    .await;
    let e = expect_err(
        client(&server)
            .wait_for_table("t", Duration::from_millis(10), Duration::from_secs(5), |_| {})
            .await,
    );
    assert_eq!(e.code(), "job_failed");
    assert_secret_free(&e.to_fields().to_string());
}

#[tokio::test]
async fn an_upload_decode_error_echoing_the_key_is_redacted() {
    let server = TestServer::always(Behaviour::Respond {
        status: 201,
        headers: vec![],
        body: format!("not json, but the key: {KEY}").into_bytes(),
    })
    .await;
    let e = expect_err(
        client(&server)
            .upload_file(Upload::bytes(&b"x"[..], "a.csv"), &Default::default())
            .await,
    );
    assert_eq!(e.code(), "decode");
    assert_secret_free(&e.to_fields().to_string());
}

#[tokio::test]
async fn a_short_nonstandard_key_is_redacted_whole() {
    let key = secret("lasso_abc12");
    let server = TestServer::always(Behaviour::envelope(
        400,
        "invalid_request",
        &format!("bad key {key}"),
        "r",
    ))
    .await;
    let client = builder(&server)
        .api_key(&key)
        .allow_nonstandard_key(true)
        .build()
        .unwrap();
    let e = client.credits().balance().await.unwrap_err();
    let text = format!("{e} {e:?} {}", e.to_fields());
    assert!(!text.contains("abc12"), "{text}");
}

#[cfg(unix)]
#[tokio::test]
async fn exports_to_a_path_keep_the_files_mode_and_leave_no_temporary_file() {
    use std::os::unix::fs::PermissionsExt;
    let csv = || Behaviour::Respond {
        status: 200,
        headers: vec![("Content-Type".into(), "text/csv".into())],
        body: b"a;b\n1;2\n".to_vec(),
    };
    let server = TestServer::always(csv()).await;
    let client = client(&server);
    let dir = tempdir();
    let fresh = dir.join("fresh.csv");
    expect_ok(
        client
            .export_table_to_path("t", "csv", None, &fresh, &Default::default())
            .await,
    );
    let mode = std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777;
    let umask = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Umask:"))
                .map(|l| u32::from_str_radix(l[6..].trim(), 8).unwrap())
        })
        .unwrap_or(0o022);
    assert_eq!(mode, 0o666 & !umask, "{mode:o}");
    let private = dir.join("private.csv");
    std::fs::write(&private, b"old").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    expect_ok(
        client
            .export_table_to_path("t", "csv", None, &private, &Default::default())
            .await,
    );
    assert_eq!(std::fs::read(&private).unwrap(), b"a;b\n1;2\n");
    assert_eq!(
        std::fs::metadata(&private).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

/// A fresh empty directory under the system's temporary directory.
/// A scratch directory removed when the test ends (a 5 MB upload lives in one).
struct TempDir(std::path::PathBuf);

impl std::ops::Deref for TempDir {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::path::Path> for TempDir {
    fn as_ref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tempdir() -> TempDir {
    let dir = std::env::temp_dir().join(format!("lasso-hostile-{:016x}", rand_u64()));
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(std::process::id() as u64);
    h.finish()
}

// --- 5. deep arguments (the core's half; Python checks while converting) ----------------------

#[tokio::test]
async fn arguments_nested_deeper_than_the_limit_are_refused_before_sending() {
    fn nested(depth: usize) -> Value {
        (0..depth).fold(json!("leaf"), |inner, _| json!({ "x": inner }))
    }
    let server = TestServer::always(Behaviour::json(200, json!({"id": "r", "data": {}}))).await;
    let client = client(&server);
    let args = |data: Value| json!({"table_id": "t", "row_id": "r", "data": data});
    expect_ok(
        client
            .call("tables.update_row", args(nested(100)), &Default::default())
            .await,
    );
    let e = expect_err(
        client
            .call("tables.update_row", args(nested(1_000)), &Default::default())
            .await,
    );
    assert_eq!(e.code(), "configuration", "{e}");
    assert!(
        e.to_string()
            .contains(&lasso_ai::__bindings::MAX_ARGUMENT_DEPTH.to_string()),
        "{e}"
    );
    assert_eq!(server.count(), 1);
}

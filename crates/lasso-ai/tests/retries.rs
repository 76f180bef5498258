//! The billing-safe retry policy end to end, counting attempts at the server:
//! which method is retried after which failure, how many times, how long it
//! waits (backoff, `Retry-After`), and connection failures.
//!
//! Each table runs its cases concurrently (one server and one client per
//! case), so the suite pays the jittered backoff once per table.

mod common;

use lasso_ai::__bindings::ClientExt;
use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use common::*;
use http::Method;
use lasso_ai::{Error, RequestOptions};
use serde_json::{json, Value};
use tokio::task::JoinSet;

/// Client timeout in these tests (the `Timeout` failure answers after 3 s):
/// short, with a margin for loaded machines.
const TIMEOUT: Duration = Duration::from_millis(500);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fail {
    /// The server reads the request, then resets the connection.
    Reset,
    /// The server reads the request, then closes the connection.
    Close,
    /// The server reads the request and answers after the client's timeout.
    Timeout,
    /// The server answers with this status.
    Status(u16),
}

impl Fail {
    fn behaviour(self) -> Behaviour {
        match self {
            Fail::Reset => Behaviour::Reset,
            Fail::Close => Behaviour::Close,
            Fail::Timeout => ok().after(Duration::from_secs(3)),
            Fail::Status(status) => {
                Behaviour::json(status, json!({"message": format!("failing with {status}")}))
            }
        }
    }

    fn code(self) -> &'static str {
        match self {
            Fail::Reset | Fail::Close => "connection",
            Fail::Timeout => "timeout",
            Fail::Status(400) => "invalid_request",
            Fail::Status(401) => "unauthenticated",
            Fail::Status(402) => "insufficient_credits",
            Fail::Status(403) => "forbidden",
            Fail::Status(404) => "not_found",
            Fail::Status(409) => "conflict",
            Fail::Status(422) => "validation_error",
            Fail::Status(429) => "rate_limited",
            Fail::Status(503) => "service_unavailable",
            Fail::Status(500..=599) => "internal_error",
            Fail::Status(_) => "api_error",
        }
    }
}

const TRANSIENT: [Fail; 9] = [
    Fail::Reset,
    Fail::Close,
    Fail::Timeout,
    Fail::Status(408),
    Fail::Status(429),
    Fail::Status(500),
    Fail::Status(502),
    Fail::Status(503),
    Fail::Status(504),
];
const CLIENT_ERRORS: [u16; 7] = [400, 401, 402, 403, 404, 409, 422];

fn ok() -> Behaviour {
    Behaviour::json(200, json!({"ok": true}))
}

fn body_for(method: &Method) -> Option<Value> {
    matches!(*method, Method::POST | Method::PUT | Method::PATCH).then(|| json!({"name": "Shoes", "n": 1}))
}

/// One case: `method` against `script`; checks the outcome and the number of
/// attempts; returns a description of what went wrong, if anything.
async fn case(
    method: Method,
    fails: Vec<Fail>,
    then_ok: bool,
    max_retries: u32,
    attempts: usize,
) -> Result<(), String> {
    let label = format!("{method} {fails:?}{}", if then_ok { " then 200" } else { "" });
    let mut script: Vec<Behaviour> = fails.iter().map(|f| f.behaviour()).collect();
    if then_ok {
        script.push(ok());
    }
    let server = TestServer::start(script).await;
    let client = builder(&server)
        .timeout(TIMEOUT)
        .max_retries(max_retries)
        .build()
        .unwrap();
    let body = body_for(&method);
    let result = client
        .raw_request(method.clone(), "/things/1", body.clone(), &RequestOptions::new())
        .await;
    let requests = server.requests();

    let mut problems = Vec::new();
    if requests.len() != attempts {
        problems.push(format!("{} attempts, expected {attempts}", requests.len()));
    }
    for r in &requests {
        if r.method != method.as_str() || r.target != "/api/v1/things/1" {
            problems.push(format!("unexpected request line {} {}", r.method, r.target));
        }
        let sent: Option<Value> = (!r.body.is_empty()).then(|| r.json());
        if sent != body {
            problems.push(format!("attempt sent body {sent:?}, expected {body:?}"));
        }
        if r.all("authorization") != [format!("Bearer {KEY}")] {
            problems.push("an attempt lacks the Authorization header".into());
        }
    }
    // Backoff before retry n (0-based) is at least 0.25 s × 2^n.
    for (n, pair) in requests.windows(2).enumerate() {
        let gap = pair[1].at - pair[0].at;
        let floor = Duration::from_millis(240) * 2u32.pow(n as u32);
        if gap < floor {
            problems.push(format!(
                "retry {n} came {gap:?} after the previous attempt (< {floor:?})"
            ));
        }
    }
    let expected_last = fails.get(attempts.wrapping_sub(1)).copied();
    match (result, then_ok && attempts == fails.len() + 1) {
        (Ok(response), true) => {
            if response.status != 200 {
                problems.push(format!("final status {}", response.status));
            }
        }
        (Ok(_), false) => problems.push("succeeded, expected an error".into()),
        (Err(e), true) => problems.push(format!("failed, expected success: {}", checked(e))),
        (Err(e), false) => {
            let e = checked(e);
            let fail = expected_last.expect("an expected failure");
            if e.code() != fail.code() {
                problems.push(format!("code {}, expected {}: {e}", e.code(), fail.code()));
            }
            let gave_up = format!("gave up after {attempts} attempts");
            // Only a connection failure or a timeout counts its attempts, and only after several.
            let counted = matches!(fail, Fail::Reset | Fail::Close | Fail::Timeout) && attempts > 1;
            if counted && !e.message().contains(&gave_up) {
                problems.push(format!("message lacks `{gave_up}`: {e}"));
            }
            if !counted && e.message().contains("gave up after") {
                problems.push(format!("message counts attempts: {e}"));
            }
            if let Error::Connection { not_sent, .. } = &e {
                if *not_sent {
                    problems.push("a request the server read is reported as not sent".into());
                }
            }
            if let Fail::Status(status) = fail {
                if e.status() != Some(status) {
                    problems.push(format!("status {:?}, expected {status}", e.status()));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{label}: {}", problems.join("; ")))
    }
}

/// Runs the cases concurrently and reports every failing one.
async fn all<F: Future<Output = Result<(), String>> + Send + 'static>(cases: Vec<F>) {
    let started = Instant::now();
    let n = cases.len();
    let mut set = JoinSet::new();
    for c in cases {
        set.spawn(c);
    }
    let mut failures = Vec::new();
    while let Some(r) = set.join_next().await {
        if let Err(f) = r.expect("case panicked") {
            failures.push(f);
        }
    }
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_put_delete_make_three_attempts_on_every_transient_failure() {
    let mut cases = Vec::new();
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        for fail in TRANSIENT {
            cases.push(case(method.clone(), vec![fail; 3], false, 2, 3));
        }
    }
    all(cases).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_put_delete_succeed_when_the_last_attempt_succeeds() {
    let mut cases = Vec::new();
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        for fail in TRANSIENT {
            cases.push(case(method.clone(), vec![fail; 2], true, 2, 3));
        }
    }
    all(cases).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_patch_are_retried_on_429_and_503_only() {
    let mut cases = Vec::new();
    for method in [Method::POST, Method::PATCH] {
        for fail in [Fail::Status(429), Fail::Status(503)] {
            cases.push(case(method.clone(), vec![fail; 3], false, 2, 3));
            cases.push(case(method.clone(), vec![fail; 2], true, 2, 3));
        }
    }
    all(cases).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_patch_make_one_attempt_when_the_server_may_have_acted() {
    let mut cases = Vec::new();
    for method in [Method::POST, Method::PATCH] {
        for fail in TRANSIENT
            .into_iter()
            .filter(|f| !matches!(f, Fail::Status(429 | 503)))
        {
            // The script would succeed on the second attempt: there must be none.
            cases.push(case(method.clone(), vec![fail], true, 2, 1));
        }
    }
    all(cases).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_errors_are_never_retried() {
    let mut cases = Vec::new();
    for method in [
        Method::GET,
        Method::PUT,
        Method::DELETE,
        Method::POST,
        Method::PATCH,
    ] {
        for status in CLIENT_ERRORS {
            cases.push(case(method.clone(), vec![Fail::Status(status)], true, 2, 1));
        }
    }
    all(cases).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_retries_bounds_the_attempts() {
    all(vec![
        case(Method::GET, vec![Fail::Status(503); 1], true, 0, 1),
        case(Method::GET, vec![Fail::Status(503); 2], true, 1, 2),
        case(Method::GET, vec![Fail::Status(503); 3], true, 3, 4),
    ])
    .await;
}

#[tokio::test]
async fn typed_operations_go_through_the_same_retries() {
    let server = TestServer::start([
        Fail::Status(503).behaviour(),
        Fail::Reset.behaviour(),
        balance_ok(),
    ])
    .await;
    let client = builder(&server).timeout(TIMEOUT).build().unwrap();
    let balance = expect_ok(client.credits().balance().await);
    assert_eq!(balance.balance, 42.5);
    assert_eq!(server.count(), 3);

    // Per-request max_retries overrides the client's.
    let server = TestServer::start([Fail::Status(503).behaviour(), balance_ok()]).await;
    let client = builder(&server).timeout(TIMEOUT).build().unwrap();
    let e = expect_err(
        client
            .with_options(RequestOptions::new().max_retries(0))
            .credits()
            .balance()
            .await,
    );
    assert_eq!(e.code(), "service_unavailable");
    assert_eq!(server.count(), 1);
}

// ---------------------------------------------------------------------------
// Connection refused: the request never left, so every method is retried.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_refused_is_retried_for_every_method() {
    let port = refused_port().await;
    let client = lasso_ai::Client::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}/api/v1"))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();

    let started = Instant::now();
    let no_options = RequestOptions::new();
    let credits = client.credits();
    let (get, post) = tokio::join!(
        credits.balance(),
        client.raw_request(Method::POST, "/search", Some(json!({"q": "x"})), &no_options),
    );
    let elapsed = started.elapsed();

    for (what, e) in [("GET", expect_err(get)), ("POST", expect_err(post))] {
        assert_eq!(e.code(), "connection", "{what}: {e}");
        assert!(
            matches!(e, Error::Connection { not_sent: true, .. }),
            "{what}: {e:?}"
        );
        assert!(e.message().contains("gave up after 3 attempts"), "{what}: {e}");
        assert!(e.message().contains(&format!("127.0.0.1:{port}")), "{what}: {e}");
        assert!(e.message().contains("could not connect"), "{what}: {e}");
        assert_eq!(e.status(), None);
    }
    // Two backoffs: at least 0.25 s + 0.5 s, at most 0.5 s + 1 s.
    assert!(elapsed >= Duration::from_millis(740), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");

    // With no retries, one attempt and no attempt count in the message.
    let e = expect_err(
        client
            .with_options(RequestOptions::new().max_retries(0))
            .credits()
            .balance()
            .await,
    );
    assert_eq!(e.code(), "connection");
    assert!(!e.message().contains("gave up"), "{e}");
}

// ---------------------------------------------------------------------------
// Retry-After.

/// The gap between the first two attempts of a request answered `first` then 200.
async fn gap_after(method: Method, first: Behaviour) -> Duration {
    let server = TestServer::start([first, ok()]).await;
    let client = builder(&server).timeout(Duration::from_secs(5)).build().unwrap();
    let body = body_for(&method);
    expect_ok(
        client
            .raw_request(method, "/things/1", body, &RequestOptions::new())
            .await,
    );
    let r = server.requests();
    assert_eq!(r.len(), 2);
    r[1].at - r[0].at
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_in_seconds_http_date_and_milliseconds_is_honoured() {
    let in_three_seconds = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3));
    let rate_limited = || Behaviour::json(429, json!({"error_type": "rate_limited", "message": "slow down"}));
    let (seconds, seconds_post, date, millis, fraction) = tokio::join!(
        gap_after(Method::GET, rate_limited().with_header("Retry-After", "1")),
        gap_after(Method::POST, rate_limited().with_header("Retry-After", "1")),
        gap_after(
            Method::GET,
            Behaviour::empty(503).with_header("Retry-After", &in_three_seconds)
        ),
        // With both headers, the longer wait wins (a 0 never overrules the other).
        gap_after(
            Method::GET,
            rate_limited()
                .with_header("retry-after-ms", "800")
                .with_header("Retry-After", "0"),
        ),
        gap_after(Method::GET, rate_limited().with_header("Retry-After", "0.9")),
    );
    // The first backoff alone is at most 0.5 s: longer gaps come from the header.
    assert!(
        seconds >= Duration::from_millis(990) && seconds < Duration::from_secs(3),
        "{seconds:?}"
    );
    assert!(
        seconds_post >= Duration::from_millis(990) && seconds_post < Duration::from_secs(3),
        "{seconds_post:?}"
    );
    // An HTTP date has whole seconds: 3 s from now is 2–3 s away when read
    // (less whatever this test took to get there).
    assert!(
        date >= Duration::from_millis(1500) && date < Duration::from_secs(4),
        "{date:?}"
    );
    assert!(
        millis >= Duration::from_millis(790) && millis < Duration::from_secs(3),
        "{millis:?}"
    );
    assert!(
        fraction >= Duration::from_millis(890) && fraction < Duration::from_secs(3),
        "{fraction:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unparseable_retry_after_falls_back_to_backoff() {
    let gap = gap_after(
        Method::GET,
        Behaviour::empty(503).with_header("Retry-After", "soon"),
    )
    .await;
    assert!(
        gap >= Duration::from_millis(240) && gap < Duration::from_secs(2),
        "{gap:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_above_a_minute_is_not_waited_for() {
    let in_five_minutes = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(300));
    let cases = [
        (
            Behaviour::envelope(429, "rate_limited", "Too many requests", "req_r")
                .with_header("Retry-After", "120"),
            "rate_limited",
        ),
        (
            Behaviour::empty(429).with_header("retry-after-ms", "61000"),
            "rate_limited",
        ),
        (
            Behaviour::empty(503).with_header("Retry-After", &in_five_minutes),
            "service_unavailable",
        ),
    ];
    for method in [Method::GET, Method::POST] {
        for (behaviour, code) in cases.clone() {
            let server = TestServer::start([behaviour, ok()]).await;
            let client = builder(&server).build().unwrap();
            let started = Instant::now();
            let e = expect_err(
                client
                    .raw_request(
                        method.clone(),
                        "/things/1",
                        body_for(&method),
                        &RequestOptions::new(),
                    )
                    .await,
            );
            assert!(started.elapsed() < Duration::from_secs(2));
            assert_eq!(server.count(), 1, "{method} {code}: one attempt");
            assert_eq!(e.code(), code);
            let after = e.as_api().unwrap().retry_after.expect("retry_after is set");
            assert!(after > Duration::from_secs(60), "{after:?}");
            if code == "service_unavailable" {
                assert!(
                    after > Duration::from_secs(290) && after <= Duration::from_secs(300),
                    "{after:?}"
                );
            }
        }
    }
    let server = TestServer::start([Behaviour::empty(429).with_header("Retry-After", "120")]).await;
    let e = expect_err(builder(&server).build().unwrap().credits().balance().await);
    assert_eq!(e.as_api().unwrap().retry_after, Some(Duration::from_secs(120)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_rate_limit_error_keeps_its_retry_after() {
    let limited = || Behaviour::empty(429).with_header("Retry-After", "0");
    let server = TestServer::start([limited(), limited(), limited()]).await;
    let e = expect_err(builder(&server).build().unwrap().credits().balance().await);
    assert_eq!(server.count(), 3);
    assert_eq!(e.code(), "rate_limited");
    assert_eq!(e.as_api().unwrap().retry_after, Some(Duration::ZERO));
}

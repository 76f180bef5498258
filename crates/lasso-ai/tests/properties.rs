//! Property tests of the core's input-facing code: hostile bytes from a
//! server, hostile headers, webhook deliveries, keys and call arguments.
//!
//! Each target asserts that nothing panics and that its invariants hold:
//!
//! * `decoder`: `ApiError::from_response` on any status, headers and body
//!   (envelopes, partial JSON, HTML, binary): the kind follows `error_type` then
//!   the status, the message is never empty, the kept body is bounded.
//! * `retry_after`: `parse_retry_after`, `retry_after`, `backoff` and
//!   `is_retryable` on any header value: bounded delays that honour the
//!   server's floor, and a POST/PATCH never retried after an ambiguous failure.
//! * `webhook`: `verify` / `construct_event` on any payload, header and secrets:
//!   a signature verifies only its own payload with its own secret, and no
//!   error message contains a secret or the expected signature.
//! * `api_key`: the client builder on any key: accepted exactly when the
//!   documented rules say so, and no message or `Debug` shows the hidden part.
//! * `arguments`: `Client::call` of every operation with any arguments, against
//!   a loopback server: either a configuration error before sending, or exactly
//!   the request the operation table describes (method, each path parameter as
//!   one segment, query and body placement).
//!
//! `cargo test` runs `PROPTEST_CASES` cases per target (default 256). `just fuzz`
//! sets `LASSO_FUZZ_SECS`: each target then runs batches of new cases until that
//! many seconds have passed, and prints how many it ran (and its seed:
//! `LASSO_FUZZ_SEED` replays a run).

mod common;

use lasso_ai::__bindings::{ClientExt, ErrorExt};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use lasso_ai::__bindings::retry::{self, Failure, MAX_RETRY_AFTER};
use lasso_ai::webhook::{self, WebhookErrorReason};
use lasso_ai::{Client, Error, ErrorKind, RequestOptions, RAW_BODY_LIMIT};
use lasso_spec::{Loc, OPERATIONS};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::{json, Map, Value};

// --- the runner: a case count for `cargo test`, a time budget for `just fuzz` -------------

/// Runs `test` on values of `strategy`: `PROPTEST_CASES` cases, or, with
/// `LASSO_FUZZ_SECS`, batches of new cases until the budget is spent.
fn fuzz<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let budget = std::env::var("LASSO_FUZZ_SECS")
        .ok()
        .map(|s| Duration::from_secs_f64(s.parse().expect("LASSO_FUZZ_SECS")));
    let seed: u64 = std::env::var("LASSO_FUZZ_SEED")
        .ok()
        .map(|s| s.parse().expect("LASSO_FUZZ_SEED"))
        .unwrap_or_else(|| {
            if budget.is_some() {
                SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64
            } else {
                20260701
            }
        });
    let batch = Config::default().cases;
    let started = Instant::now();
    let mut cases: u64 = 0;
    let mut round: u64 = 0;
    loop {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        bytes[8..16].copy_from_slice(&round.to_le_bytes());
        let config = Config {
            cases: batch,
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes));
        if let Err(e) = runner.run(&strategy, &test) {
            panic!("{name}: {e}\n(seed {seed}, round {round}; replay with LASSO_FUZZ_SEED={seed})");
        }
        cases += u64::from(batch);
        round += 1;
        match budget {
            Some(b) if started.elapsed() < b => continue,
            _ => break,
        }
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!("fuzz target {name}: {cases} cases in {secs:.1} s (seed {seed}), no failure");
    if budget.is_some() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/fuzz");
        std::fs::create_dir_all(&dir).unwrap();
        let line = json!({"target": name, "cases": cases, "seconds": secs, "seed": seed});
        std::fs::write(dir.join(format!("{name}.json")), line.to_string()).unwrap();
    }
}

// --- strategies -----------------------------------------------------------------------

/// Text a server or a proxy might send, and text nobody should.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        "[ -~]{0,80}",
        "[0-9a-fA-F]{0,70}",
        Just(String::new()),
        Just(" ".into()),
        Just("é".repeat(3000)),
        Just("\u{0}\u{7f}\u{feff}".into()),
        "[<>/a-z0-9 =\"]{0,200}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        hostile_text().prop_map(Value::from),
        prop_oneof![
            Just("."),
            Just(".."),
            Just("/"),
            Just("%2e%2e"),
            Just("a/../b"),
            Just("?x=1#f"),
            Just("%")
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn error_body() -> impl Strategy<Value = Vec<u8>> {
    let error_type = prop_oneof![
        Just("invalid_request"),
        Just("unauthenticated"),
        Just("insufficient_credits"),
        Just("forbidden"),
        Just("not_found"),
        Just("conflict"),
        Just("validation_error"),
        Just("rate_limited"),
        Just("internal_error"),
        Just("service_unavailable"),
        Just("brand_new_type"),
        Just(""),
    ];
    let envelope = (
        prop::option::of(error_type),
        prop::option::of(json_value()),
        prop::option::of(hostile_text()),
        prop::option::of(json_value()),
        any::<bool>(),
    )
        .prop_map(|(t, message, rid, extra, error_key)| {
            let mut o = Map::new();
            if let Some(t) = t {
                o.insert("error_type".into(), json!(t));
            }
            if let Some(m) = message {
                o.insert(if error_key { "error" } else { "message" }.into(), m);
            }
            if let Some(r) = rid {
                o.insert("request_id".into(), json!(r));
            }
            if let Some(e) = extra {
                o.insert("details".into(), e.clone());
                o.insert("code".into(), e.clone());
                o.insert("retryable".into(), e);
            }
            serde_json::to_vec(&Value::Object(o)).unwrap()
        })
        .boxed();
    prop_oneof![
        envelope.clone(),
        envelope.prop_flat_map(|b| {
            let len = b.len();
            (Just(b), 0..=len).prop_map(|(b, cut)| b[..cut].to_vec())
        }),
        json_value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        prop::collection::vec(any::<u8>(), 0..600),
        prop::collection::vec(any::<u8>(), 4000..9000),
        hostile_text().prop_map(|t| format!("<html><body><h1>{t}</h1></body></html>").into_bytes()),
        (1usize..70_000).prop_map(|n| vec![b'x'; n]),
    ]
}

fn header_value_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "[ -~]{0,40}".prop_map(String::into_bytes),
        "-?[0-9]{1,25}(\\.[0-9]{0,12})?".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..40),
        any::<u64>().prop_map(|s| httpdate::fmt_http_date(
            UNIX_EPOCH + Duration::from_secs(s % 253_402_300_799)
        )
        .into_bytes()),
        Just(b"1e400".to_vec()),
        Just(b"NaN".to_vec()),
        Just(b"inf".to_vec()),
        Just(b"Wed, 21 Oct 2015 07:28:00 GMT".to_vec()),
    ]
}

fn headers() -> impl Strategy<Value = HeaderMap> {
    let name = prop_oneof![
        Just("retry-after"),
        Just("retry-after-ms"),
        Just("x-request-id"),
        Just("content-type"),
        Just("x-other"),
    ];
    prop::collection::vec((name, header_value_bytes()), 0..5).prop_map(|pairs| {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            if let Ok(v) = HeaderValue::from_bytes(&value) {
                map.append(HeaderName::from_static(name), v);
            }
        }
        map
    })
}

// --- decoder ----------------------------------------------------------------------------

#[test]
fn decoder() {
    let strategy = (
        100u16..1000,
        headers(),
        error_body(),
        prop::option::of(any::<u64>().prop_map(Duration::from_millis)),
    );
    fuzz("decoder", strategy, |(status, headers, body, retry_after)| {
        let status = StatusCode::from_u16(status).unwrap();
        let e = lasso_ai::__bindings::api_error_from_response(status, &headers, &body, retry_after);
        prop_assert_eq!(e.status, status.as_u16());
        prop_assert!(!e.message.trim().is_empty(), "empty message");
        // The kept body is cut at RAW_BODY_LIMIT bytes of input; lossy UTF-8 may turn
        // each invalid byte into U+FFFD (3 bytes), so bound characters and bytes.
        prop_assert!(
            e.raw_body.chars().count() <= RAW_BODY_LIMIT,
            "raw_body of {} chars",
            e.raw_body.chars().count()
        );
        prop_assert!(e.raw_body.len() <= 3 * RAW_BODY_LIMIT);
        prop_assert!(body.len() > RAW_BODY_LIMIT || e.raw_body == String::from_utf8_lossy(&body));
        // A message not taken from the body is the status plus a bounded snippet.
        let parsed: Option<Value> = serde_json::from_slice(&body).ok();
        let from_body = parsed.as_ref().and_then(Value::as_object).is_some_and(|o| {
            ["message", "error"].iter().any(|k| {
                o.get(*k)
                    .and_then(Value::as_str)
                    .is_some_and(|m| !m.trim().is_empty())
            })
        });
        if !from_body {
            prop_assert!(
                e.message.starts_with(&format!("HTTP {}", status.as_u16())),
                "{}",
                e.message
            );
            prop_assert!(
                e.message.chars().count() <= 260,
                "message of {} chars",
                e.message.chars().count()
            );
        }
        // The kind: a documented error_type first, then the status.
        let documented = parsed
            .as_ref()
            .and_then(|v| v.get("error_type"))
            .and_then(Value::as_str)
            .and_then(|t| {
                [
                    "invalid_request",
                    "unauthenticated",
                    "insufficient_credits",
                    "forbidden",
                    "not_found",
                    "conflict",
                    "validation_error",
                    "rate_limited",
                    "internal_error",
                    "service_unavailable",
                ]
                .contains(&t)
                .then_some(t)
            });
        let expected = documented.unwrap_or(match status.as_u16() {
            400 => "invalid_request",
            401 => "unauthenticated",
            402 => "insufficient_credits",
            403 => "forbidden",
            404 => "not_found",
            409 => "conflict",
            422 => "validation_error",
            429 => "rate_limited",
            503 => "service_unavailable",
            500..=599 => "internal_error",
            _ => "api_error",
        });
        prop_assert_eq!(e.kind().code(), expected);
        prop_assert_eq!(e.retry_after, retry_after);
        // Every view of the error works.
        let error = Error::from(e.clone());
        let fields = error.to_fields();
        prop_assert_eq!(fields["kind"].as_str(), Some(expected));
        let _ = (
            format!("{error}"),
            format!("{error:?}"),
            serde_json::to_string(&fields).unwrap(),
        );
        if e.kind() == ErrorKind::ApiError {
            prop_assert!(!(500..600).contains(&e.status) || documented.is_some());
        }
        // The newer API's error carried in a 200 body.
        if let Some(v) = &parsed {
            if let Some(inner) =
                lasso_ai::__bindings::api_error_from_success_body(StatusCode::OK, &headers, v)
            {
                prop_assert!(!inner.message.is_empty());
                prop_assert!(inner.error_type.is_some());
            }
        }
        Ok(())
    });
}

// --- Retry-After and the retry policy ---------------------------------------------------------

#[test]
fn retry_after() {
    let now = (0u64..4_000_000_000).prop_map(|s| UNIX_EPOCH + Duration::from_secs(s));
    let method = prop_oneof![
        Just(Method::GET),
        Just(Method::PUT),
        Just(Method::DELETE),
        Just(Method::POST),
        Just(Method::PATCH),
        Just(Method::HEAD),
        Just(Method::OPTIONS),
        Just(Method::from_bytes(b"PURGE").unwrap()),
    ];
    let failure = prop_oneof![
        Just(Failure::NotSent),
        Just(Failure::Connection),
        Just(Failure::Timeout),
        (0u16..1000).prop_map(Failure::Status),
    ];
    let strategy = (
        header_value_bytes(),
        now,
        headers(),
        0u32..64,
        prop::option::of(any::<u64>().prop_map(Duration::from_millis)),
        method,
        failure,
    );
    fuzz(
        "retry_after",
        strategy,
        |(value, now, headers, retry, floor, method, failure)| {
            let text = String::from_utf8_lossy(&value).into_owned();
            let parsed = retry::parse_retry_after(&text, now);
            // Delta-seconds are digits with an optional fraction, nothing else (no sign,
            // exponent, `inf` or `NaN`).
            let trimmed = text.trim();
            let (whole, fraction) = trimmed.split_once('.').unwrap_or((trimmed, "0"));
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            if let (true, Ok(secs)) = (digits(whole) && digits(fraction), trimmed.parse::<f64>()) {
                if secs.is_finite() && secs >= 0.0 {
                    let d = parsed.expect("a non-negative number of seconds parses");
                    prop_assert!(d <= Duration::from_secs(1_000_000_000), "{d:?}");
                    prop_assert!((d.as_secs_f64() - secs.min(1e9)).abs() <= 1e-6 * secs.max(1.0));
                } else {
                    prop_assert!(parsed.is_none(), "{text:?} gave {parsed:?}");
                }
            } else if let Ok(at) = httpdate::parse_http_date(text.trim()) {
                prop_assert_eq!(parsed, Some(at.duration_since(now).unwrap_or(Duration::ZERO)));
            } else {
                prop_assert!(parsed.is_none(), "{text:?} gave {parsed:?}");
            }
            // From headers: whatever they hold, no panic.
            let from_headers = retry::retry_after(&headers);
            if from_headers.is_some() {
                prop_assert!(headers.contains_key("retry-after") || headers.contains_key("retry-after-ms"));
            }
            // Backoff: jittered exponential up to 8 s, never below the server's floor.
            let delay = retry::backoff(retry, floor);
            let cap = Duration::from_secs(8).max(floor.unwrap_or_default());
            prop_assert!(delay <= cap, "{delay:?} > {cap:?}");
            prop_assert!(delay >= floor.unwrap_or_default());
            prop_assert!(delay >= Duration::from_millis(250).min(cap));
            // The policy: anything but GET/HEAD/PUT/DELETE/OPTIONS is retried only when the
            // server cannot have acted (not sent, 429, 503); 4xx other than 408/429 never.
            let retried = retry::is_retryable(&method, failure);
            let idempotent = [
                Method::GET,
                Method::HEAD,
                Method::PUT,
                Method::DELETE,
                Method::OPTIONS,
            ]
            .contains(&method);
            let server_did_not_act = matches!(failure, Failure::NotSent | Failure::Status(429 | 503));
            if !idempotent {
                prop_assert_eq!(retried, server_did_not_act, "{} {:?}", method, failure);
            }
            if let Failure::Status(s) = failure {
                if (400..500).contains(&s) && s != 408 && s != 429 {
                    prop_assert!(!retried);
                }
                if !(400..600).contains(&s) {
                    prop_assert!(!retried, "status {s}");
                }
            }
            prop_assert!(MAX_RETRY_AFTER == Duration::from_secs(60));
            Ok(())
        },
    );
}

// --- webhook verification ---------------------------------------------------------------------

fn secret() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{16,40}".prop_map(|s| format!("whsec_{s}"))
}

/// The secret's random part in 8-character windows: none may appear in a message.
fn assert_no_secret(text: &str, secret: &str) -> Result<(), TestCaseError> {
    let hidden: Vec<char> = secret.trim_start_matches("whsec_").chars().collect();
    for w in hidden.windows(8) {
        let w: String = w.iter().collect();
        prop_assert!(!text.contains(&w), "message shows part of a secret ({w}): {text}");
    }
    Ok(())
}

#[test]
fn webhook() {
    let header = prop_oneof![
        Just(None),
        hostile_text().prop_map(Some),
        "(sha256|SHA256|v1|sha1)=[0-9a-fA-F]{0,70}".prop_map(Some),
        "(sha256=[0-9a-f]{64}, ?){1,3}".prop_map(Some),
    ];
    let strategy = (
        prop::collection::vec(any::<u8>(), 0..300),
        header,
        prop::collection::vec(
            prop_oneof![secret(), Just(String::new()), Just("  ".into())],
            0..4,
        ),
        prop::collection::vec(secret(), 1..4),
        any::<prop::sample::Index>(),
        any::<u8>(),
        any::<bool>(),
    );
    fuzz(
        "webhook",
        strategy,
        |(payload, header, odd_secrets, secrets, at, flip, upper)| {
            // Anything goes in: no panic, and errors never show a secret or the right signature.
            let odd: Vec<&str> = odd_secrets.iter().map(String::as_str).collect();
            match webhook::verify(&payload, header.as_deref(), &odd) {
                Ok(()) => {
                    let header = header.as_deref().unwrap_or_default();
                    prop_assert!(odd.iter().any(|s| header
                        .to_ascii_lowercase()
                        .contains(&webhook::sign(&payload, s)[7..])));
                }
                Err(e) => {
                    for s in &odd {
                        if !s.trim().is_empty() {
                            assert_no_secret(e.message(), s)?;
                            prop_assert!(!e.message().contains(&webhook::sign(&payload, s)[7..]));
                        }
                    }
                }
            }
            let _ = webhook::construct_event(&payload, header.as_deref(), &odd);

            // A genuine signature verifies with its secret among others (rotation), in any case
            // and with white space; a changed payload or a foreign secret never verifies.
            let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
            let signer: &str = refs[at.index(refs.len())];
            let mut good = webhook::sign(&payload, signer);
            if upper {
                good = format!("SHA256={}", good[7..].to_ascii_uppercase());
            }
            let spaced = format!("  {good} ");
            prop_assert!(
                webhook::verify(&payload, Some(&spaced), &refs).is_ok(),
                "{spaced} does not verify"
            );
            let mut tampered = payload.clone();
            if tampered.is_empty() {
                tampered.push(flip);
            } else {
                let i = at.index(tampered.len());
                tampered[i] ^= flip.max(1);
            }
            let e = webhook::verify(&tampered, Some(&good), &refs).unwrap_err();
            prop_assert_eq!(e.reason(), WebhookErrorReason::NoMatchingSignature);
            for s in &refs {
                assert_no_secret(e.message(), s)?;
                prop_assert!(!e.message().contains(&webhook::sign(&tampered, s)[7..]));
                prop_assert!(!e
                    .message()
                    .to_ascii_lowercase()
                    .contains(&good[7..].to_ascii_lowercase()));
            }
            let others: Vec<&str> = refs.iter().copied().filter(|s| *s != signer).collect();
            if !others.is_empty() {
                let e = webhook::verify(&payload, Some(&good), &others).unwrap_err();
                prop_assert_eq!(e.reason(), WebhookErrorReason::NoMatchingSignature);
            }
            let err = Error::from(e);
            prop_assert_eq!(err.code(), "webhook_verification");
            for s in &refs {
                assert_no_secret(&format!("{err} {err:?} {}", err.to_fields()), s)?;
            }
            Ok(())
        },
    );
}

// --- API keys ---------------------------------------------------------------------------------

/// The documented rules, written independently of the core: `Err(rule)` or `Ok`.
fn key_model(raw: &str, lenient: bool) -> Result<(), &'static str> {
    let key = raw.trim();
    if key.is_empty() {
        return Err("empty");
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("characters");
    }
    if !key.starts_with("lasso_") {
        return Err("prefix");
    }
    if !lenient && key.len() != 70 {
        return Err("length");
    }
    if !lenient && !key[6..].bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("characters");
    }
    Ok(())
}

#[test]
fn api_key() {
    let key = prop_oneof![
        3 => ("[ \t\n]{0,2}", prop::option::of(Just("lasso_")), "[0-9a-f]{60,68}", "[ \t\n]{0,2}")
            .prop_map(|(a, p, k, b)| format!("{a}{}{k}{b}", p.unwrap_or_default())),
        3 => ("lasso_", "[0-9a-fA-F]{20,70}", "[-_.é\u{0}\u{7f} gG]{0,2}", "[0-9a-f]{0,10}")
            .prop_map(|(p, a, odd, b)| format!("{p}{a}{odd}{b}")),
        1 => "[0-9a-f]{64}".prop_map(|k| format!("lasso_{k}")),
        1 => "[!-~]{16,90}",
        1 => hostile_text(),
    ];
    fuzz("api_key", (key, any::<bool>()), |(raw, lenient)| {
        let built = Client::builder()
            .api_key(raw.clone())
            .base_url("http://127.0.0.1:9/api/v1")
            .allow_nonstandard_key(lenient)
            .build();
        let expected = key_model(&raw, lenient);
        let trimmed = raw.trim();
        let chars: Vec<char> = trimmed
            .strip_prefix("lasso_")
            .unwrap_or(trimmed)
            .chars()
            .collect();
        let hidden = &chars[..chars.len().saturating_sub(4)];
        let safe = |text: &str| -> Result<(), TestCaseError> {
            prop_assert!(
                trimmed.len() < 8 || !text.contains(trimmed),
                "shows the key: {text}"
            );
            for w in hidden.windows(8) {
                let w: String = w.iter().collect();
                prop_assert!(!text.contains(&w), "shows part of the key ({w}): {text}");
            }
            Ok(())
        };
        match (built, expected) {
            (Ok(client), Ok(())) => {
                safe(&format!("{client:?}"))?;
                let masked = client.masked_key();
                prop_assert!(masked.starts_with("lasso_…"));
                prop_assert!(masked.chars().count() <= "lasso_…".chars().count() + 4);
            }
            (Err(e), Err(rule)) => {
                prop_assert_eq!(e.code(), "invalid_api_key", "{}", e);
                match &e {
                    Error::InvalidApiKey { rule: got, .. } => prop_assert_eq!(*got, rule, "{}", e),
                    other => prop_assert!(false, "{other:?}"),
                }
                safe(&format!("{e} {e:?} {}", e.to_fields()))?;
            }
            (Ok(_), Err(rule)) => prop_assert!(false, "accepted a key the rules refuse ({rule})"),
            (Err(e), Ok(())) => prop_assert!(false, "refused a valid key: {e}"),
        }
        Ok(())
    });
}

// --- operation arguments ------------------------------------------------------------------------

/// Method, request target and body of the last request.
type Seen = Arc<Mutex<Option<(String, String, Vec<u8>)>>>;

/// A keep-alive HTTP/1.1 server on loopback answering `200 {}` to everything
/// and keeping the last request (method, target, body).
struct EchoServer {
    url: String,
    last: Seen,
}

impl EchoServer {
    fn start() -> EchoServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/api/v1", listener.local_addr().unwrap());
        let last = Arc::new(Mutex::new(None));
        let slot = last.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let slot = slot.clone();
                std::thread::spawn(move || serve(stream, slot));
            }
        });
        EchoServer { url, last }
    }

    fn take(&self) -> Option<(String, String, Vec<u8>)> {
        self.last.lock().unwrap().take()
    }
}

fn serve(mut stream: std::net::TcpStream, slot: Seen) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let mut parts = head.split("\r\n").next().unwrap_or_default().split(' ');
        let (method, target) = (
            parts.next().unwrap_or_default().to_owned(),
            parts.next().unwrap_or_default().to_owned(),
        );
        let length = head
            .split("\r\n")
            .filter_map(|l| l.split_once(':'))
            .find(|(n, _)| n.trim().eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        let mut rest = buf.split_off(head_end + 4);
        while rest.len() < length {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => rest.extend_from_slice(&chunk[..n]),
            }
        }
        buf = rest.split_off(length);
        *slot.lock().unwrap() = Some((method, target, rest));
        let reply = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
        if stream.write_all(reply).is_err() {
            return;
        }
    }
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// How many query pairs a value gives: lists are flattened, nulls dropped.
fn query_values(v: &Value) -> usize {
    match v {
        Value::Null => 0,
        Value::Array(items) => items.iter().map(query_values).sum(),
        _ => 1,
    }
}

/// Equal JSON, numbers compared as f64 with a relative tolerance (serde_json's
/// default float parser is not exactly round-trip).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// A one-thread runtime and a client of `server` that never retries.
fn echo_client(server: &EchoServer) -> (tokio::runtime::Runtime, Client) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = Client::builder()
        .api_key(common::KEY)
        .base_url(server.url.clone())
        .timeout(Duration::from_secs(5))
        .max_retries(0)
        .build()
        .unwrap();
    (runtime, client)
}

#[test]
fn arguments() {
    let server = EchoServer::start();
    let (runtime, client) = echo_client(&server);
    let op_index = 0..OPERATIONS.len();
    let args = prop_oneof![
        8 => (op_index.clone(), prop::collection::btree_map(
            prop_oneof![3 => Just("__param__".to_owned()), 1 => "[a-z_]{1,8}"],
            json_value(),
            0..6,
        ), prop::collection::vec((any::<prop::sample::Index>(), json_value()), 0..6))
            .prop_map(|(i, extra, declared)| {
                let op = &OPERATIONS[i];
                let mut args: Map<String, Value> = extra.into_iter().filter(|(k, _)| k != "__param__").collect();
                for (pick, value) in declared {
                    if !op.params.is_empty() {
                        args.insert(pick.get(op.params).name.to_owned(), value);
                    }
                }
                // Usually give every path parameter a plain value, so requests are sent.
                (i, Value::Object(args))
            }),
        1 => (op_index, json_value()).prop_map(|(i, v)| (i, v)),
    ];
    let fill = any::<bool>();
    fuzz(
        "arguments",
        (args, fill, "[A-Za-z0-9 _/?#%.é-]{1,12}"),
        |((i, mut args), fill_paths, plain)| {
            let op = &OPERATIONS[i];
            if fill_paths {
                if let Value::Object(map) = &mut args {
                    for p in op.params.iter().filter(|p| p.loc == Loc::Path) {
                        map.insert(p.name.to_owned(), json!(plain.clone()));
                    }
                }
            }
            server.take();
            let result = runtime.block_on(client.call(op.id, args.clone(), &RequestOptions::new()));
            let sent = server.take();
            if let Err(e) = &result {
                common::assert_secret_free(&format!("{e} {e:?}"));
                prop_assert_eq!(e.code(), "configuration", "{}: {}", op.id, e);
            }
            let Some((method, target, body)) = sent else {
                prop_assert!(result.is_err(), "{}: succeeded without a request", op.id);
                return Ok(());
            };
            // Sent: then the arguments were acceptable, and the request is the table's.
            let map = args.as_object().cloned().unwrap_or_default();
            prop_assert_eq!(method.as_str(), op.method.as_str());
            let (path, query) = target.split_once('?').unwrap_or((&target, ""));
            let path = path.strip_prefix("/api/v1").expect("below the base URL");
            let template: Vec<&str> = op.path.split('/').collect();
            let segments: Vec<&str> = path.split('/').collect();
            prop_assert_eq!(
                segments.len(),
                template.len(),
                "{} sent {} for {}",
                op.id,
                path,
                op.path
            );
            for (seg, tpl) in segments.iter().zip(&template) {
                if let Some(name) = tpl.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                    let want = match &map[name] {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    prop_assert_eq!(
                        percent_decode(seg),
                        want.into_bytes(),
                        "{}: segment {}",
                        op.id,
                        seg
                    );
                } else {
                    prop_assert_eq!(seg, tpl);
                }
            }
            let has_body = matches!(op.method.as_str(), "POST" | "PUT" | "PATCH");
            let body: Option<Value> =
                (!body.is_empty()).then(|| serde_json::from_slice(&body).expect("a JSON body"));
            prop_assert_eq!(body.is_some(), has_body, "{}: body {:?}", op.id, body);
            let query_names: BTreeMap<String, usize> = query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    String::from_utf8_lossy(&percent_decode(p.split('=').next().unwrap())).replace('+', " ")
                })
                .fold(BTreeMap::new(), |mut m, k| {
                    *m.entry(k).or_default() += 1;
                    m
                });
            for (name, value) in &map {
                let declared = op.params.iter().find(|p| p.name == name);
                if declared.is_some_and(|p| p.loc == Loc::Path || p.fixed.is_some())
                    || (value.is_null() && declared.is_some())
                {
                    continue;
                }
                let loc = declared
                    .map(|p| p.loc)
                    .unwrap_or(if has_body { Loc::Body } else { Loc::Query });
                match loc {
                    Loc::Body => {
                        let body = body.as_ref().unwrap();
                        let got = &body[name.as_str()];
                        prop_assert!(
                            same_json(got, value),
                            "{}: body field {}: sent {} for {}",
                            op.id,
                            name,
                            got,
                            value
                        );
                    }
                    Loc::Query => {
                        if query_values(value) > 0 {
                            prop_assert!(
                                query_names.contains_key(name.as_str()),
                                "{}: query lacks {} in {:?}",
                                op.id,
                                name,
                                query
                            );
                        }
                    }
                    Loc::Path => unreachable!(),
                }
            }
            for p in op.params.iter().filter(|p| p.fixed.is_some()) {
                prop_assert_eq!(&body.as_ref().unwrap()[p.name], &json!(p.fixed.unwrap()));
            }
            Ok(())
        },
    );
}

/// The URL parser resolves `.` and `..` segments, so `tables.delete_row` with row
/// id `..` would send `DELETE /tables/{table_id}` and delete the whole table: such
/// an argument is refused (found by the `arguments` target).
#[test]
fn a_dot_segment_path_argument_stays_in_its_segment() {
    let server = EchoServer::start();
    let (runtime, client) = echo_client(&server);
    for row_id in ["..", ".", "%2e%2e"] {
        let result = runtime.block_on(client.call(
            "tables.delete_row",
            json!({"table_id": "tbl_1", "row_id": row_id}),
            &RequestOptions::new(),
        ));
        let sent = server.take();
        match (result, sent) {
            (Err(e), None) => assert_eq!(e.code(), "configuration", "{e}"),
            (_, Some((method, target, _))) => {
                assert!(
                    target.starts_with("/api/v1/tables/tbl_1/rows/"),
                    "row id {row_id:?}: sent {method} {target}"
                )
            }
            (Ok(v), None) => panic!("{v}"),
        }
    }
}

/// Arguments that make the URL longer than `http::Uri` allows (64 KiB) are a
/// `configuration` error naming the length, not a connection failure to retry
/// (found by the `arguments` target).
#[test]
fn an_overlong_url_is_a_configuration_error() {
    let server = EchoServer::start();
    let (runtime, client) = echo_client(&server);
    let e = runtime
        .block_on(client.call(
            "tables.list",
            json!({"search": "é".repeat(12_000)}),
            &RequestOptions::new(),
        ))
        .unwrap_err();
    assert!(server.take().is_none());
    assert_eq!(e.code(), "configuration", "{e}");
    assert!(e.message().contains("bytes"), "{e}");
}

//! The fault matrix (tests/faults/matrix.json) through the core's generic
//! `Client::call`, the entry point of the Python and Node bindings.
//!
//! The four operations run concurrently, each with its own key (its own
//! company in the emulator) and going through every fault in order; every
//! case's outcome, elapsed time and emulator counters are checked, and all
//! failing cases are reported together. The Python (python/tests/test_faults.py)
//! and Node (node/test/faults.test.mjs) runners read the same table.

mod common;

use lasso_ai::__bindings::{ClientExt, ErrorExt};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use lasso_ai::{Client, Error, RequestOptions};
use lasso_mock::{MockConfig, MockHandle};
use serde_json::{json, Map, Value};

const FD_ALLOWANCE: usize = 16;
/// No case may take longer than this, whatever the table says (a hang).
const HARD_LIMIT: Duration = Duration::from_secs(15);

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read_json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo().join(path)).unwrap()).unwrap()
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

fn expectation<'a>(fault: &'a Value, op: &Value) -> &'a Value {
    let own = &fault[op["name"].as_str().unwrap()];
    if !own.is_null() {
        return own;
    }
    &fault[if op["billed"].as_bool().unwrap() {
        "billed"
    } else {
        "idempotent"
    }]
}

fn fault_spec(fault: &Value, op: &Value) -> Value {
    let mut spec: Map<String, Value> = fault["fault"].as_object().unwrap().clone();
    if let Some(extra) = expectation(fault, op)["fault"].as_object() {
        spec.extend(extra.clone());
    }
    spec.insert("route".into(), op["route"].clone());
    spec.insert("times".into(), json!(1));
    if let Some(headers) = spec.get_mut("headers").and_then(Value::as_object_mut) {
        for value in headers.values_mut() {
            let text = value.as_str().unwrap();
            if let Some(secs) = text.strip_prefix("@http-date+").and_then(|s| s.strip_suffix('s')) {
                let at = SystemTime::now() + Duration::from_secs_f64(secs.parse().unwrap());
                *value = json!(httpdate::fmt_http_date(at));
            }
        }
    }
    Value::Object(spec)
}

struct Control {
    http: reqwest::Client,
    base: String,
}

impl Control {
    async fn stats(&self, op: &str) -> (i64, i64) {
        let stats: Value = self
            .http
            .get(format!("{}/__mock/stats", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        (
            stats["received"][op].as_i64().unwrap(),
            stats["executed"][op].as_i64().unwrap(),
        )
    }

    async fn fault(&self, spec: &Value) {
        let response = self
            .http
            .post(format!("{}/__mock/faults", self.base))
            .json(spec)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "fault {spec} refused: {}",
            response.text().await.unwrap()
        );
    }
}

/// Checks one case; `Err` describes every mismatch.
fn check(
    op: &Value,
    fault: &Value,
    classes: &Value,
    outcome: &Result<Value, Error>,
    elapsed: Duration,
    counts: (i64, i64),
) -> Result<(), String> {
    let want = expectation(fault, op);
    let mut problems = Vec::new();
    match (want["ok"].as_bool() == Some(true), outcome) {
        (true, Ok(v)) => {
            let null_wanted = want["result_null"] == json!(true) || op["empty"] == json!(true);
            if null_wanted != v.is_null() || (!null_wanted && !v.is_object()) {
                problems.push(format!("unexpected result {v}"));
            }
        }
        (true, Err(e)) => problems.push(format!(
            "expected success, got {} ({}): {e}",
            e.code(),
            classes[e.code()]
        )),
        (false, Ok(v)) => problems.push(format!("expected {}, got {v}", want["error"])),
        (false, Err(e)) => {
            common::assert_secret_free(&format!("{e} {e:?}"));
            if e.code() != want["error"].as_str().unwrap() {
                problems.push(format!("expected {}, got {}: {e}", want["error"], e.code()));
            }
            if let Some(status) = want["status"].as_u64() {
                if e.status() != Some(status as u16) {
                    problems.push(format!("status {:?} instead of {status}", e.status()));
                }
            }
            if let Some(secs) = want["retry_after"].as_f64() {
                let got = e.as_api().and_then(|a| a.retry_after).map(|d| d.as_secs_f64());
                if got != Some(secs) {
                    problems.push(format!("retry_after {got:?} instead of {secs}"));
                }
            }
            if let Some(max) = want["raw_body_max"].as_u64() {
                let len = e.raw_body().map_or(0, str::len);
                if len as u64 > max {
                    problems.push(format!("raw_body of {len} bytes > {max}"));
                }
            }
        }
    }
    let secs = elapsed.as_secs_f64();
    if secs > want["max_s"].as_f64().unwrap() {
        problems.push(format!("took {secs:.2} s > {} s", want["max_s"]));
    }
    if secs < want["min_s"].as_f64().unwrap_or(0.0) {
        problems.push(format!("took {secs:.2} s < {} s", want["min_s"]));
    }
    let expected = (
        want["received"].as_i64().unwrap(),
        want["executed"].as_i64().unwrap(),
    );
    if counts != expected {
        problems.push(format!(
            "mock (received, executed) {counts:?}, expected {expected:?}"
        ));
    }
    if op["billed"] == json!(true) && counts.1 > 1 {
        problems.push(format!("a billed call ran {} times", counts.1));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

async fn run_operation(
    op: Value,
    matrix: Value,
    classes: Value,
    control: std::sync::Arc<Control>,
    url: String,
) -> Vec<String> {
    let client = Client::builder()
        .api_key(op["key"].as_str().unwrap())
        .base_url(url)
        .timeout(Duration::from_millis(
            matrix["client"]["timeout_ms"].as_u64().unwrap(),
        ))
        .max_retries(matrix["client"]["max_retries"].as_u64().unwrap() as u32)
        .build()
        .unwrap();
    let call = op["call"].as_str().unwrap();
    let mut failures = Vec::new();
    for fault in matrix["faults"].as_array().unwrap() {
        let before = control.stats(call).await;
        control.fault(&fault_spec(fault, &op)).await;
        let started = Instant::now();
        let outcome = tokio::time::timeout(
            HARD_LIMIT,
            client.call(call, op["args"].clone(), &RequestOptions::new()),
        )
        .await
        .unwrap_or_else(|_| Err(Error::internal_error(format!("hung for {HARD_LIMIT:?}"))));
        let elapsed = started.elapsed();
        let after = control.stats(call).await;
        let counts = (after.0 - before.0, after.1 - before.1);
        if let Err(problem) = check(&op, fault, &classes, &outcome, elapsed, counts) {
            failures.push(format!("{call} × {}: {problem}", fault["id"].as_str().unwrap()));
        }
    }
    failures
}

fn start_mock(args: &Value) -> MockHandle {
    let args: Vec<&str> = args
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let mut config = MockConfig::default();
    for pair in args.chunks(2) {
        match pair {
            ["--time-scale", v] => config.time_scale = v.parse().unwrap(),
            ["--balance", v] => config.initial_balance = v.parse().unwrap(),
            other => panic!("mock_args: {other:?} not handled by this runner"),
        }
    }
    lasso_mock::start_blocking(config).expect("lasso-mock starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_matrix() {
    let matrix = read_json("tests/faults/matrix.json");
    let classes = read_json("tests/conformance/error_classes.json")["classes"].take();
    // The emulator runs on its own thread and runtime, as a separate process would.
    let mock = start_mock(&matrix["mock_args"]);
    // The workspace builds reqwest without a crypto provider; the control API is plain
    // HTTP, but reqwest wants one installed to build a client without the SDK's TLS setup.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let control = std::sync::Arc::new(Control {
        http: reqwest::Client::builder().no_proxy().build().unwrap(),
        base: mock.base(),
    });
    let fds_before = open_fds();
    let tasks: Vec<_> = matrix["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|op| {
            tokio::spawn(run_operation(
                op.clone(),
                matrix.clone(),
                classes.clone(),
                control.clone(),
                mock.url(),
            ))
        })
        .collect();
    let mut failures = Vec::new();
    for task in tasks {
        failures.extend(task.await.unwrap());
    }
    let cases = matrix["operations"].as_array().unwrap().len() * matrix["faults"].as_array().unwrap().len();
    assert!(cases >= 80, "{cases} cases");
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // The emulator's side of a stalled connection lives on until its delay ends:
    // wait for it, then only pooled keep-alive connections may remain.
    let deadline = Instant::now() + Duration::from_secs(5);
    while open_fds() > fds_before + FD_ALLOWANCE && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let fds_after = open_fds();
    assert!(
        fds_after <= fds_before + FD_ALLOWANCE,
        "open file descriptors grew from {fds_before} to {fds_after}"
    );
    drop(control);
    mock.shutdown();
}

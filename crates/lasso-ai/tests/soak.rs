//! The Rust driver of `just soak` (tests/soak/run.py starts the emulator and
//! reads the JSON lines this prints). Ignored by `cargo test`; run by the recipe as
//! `cargo test -p lasso-ai --test soak -- --ignored --nocapture` with
//! `LASSO_SOAK_URL`, `LASSO_SOAK_REQUESTS` and `LASSO_SOAK_CONCURRENCY` set.
//!
//! Requests follow one fixed mix (tests/soak/README.md): every 20 requests, 14
//! `credits.balance`, 2 `tables.get`, 2 `tables.update_row`, 1 `tables.delete_row`
//! and 1 billed `search`.

use lasso_ai::__bindings::ClientExt;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use lasso_ai::{Client, RequestOptions};
use serde_json::{json, Value};

const KEY: &str = "lasso_50a450a450a450a450a450a450a450a450a450a450a450a450a450a450a450a4";

fn call_for(i: u64) -> (&'static str, Value) {
    match i % 20 {
        0..=13 => ("credits.balance", json!({})),
        14 | 15 => ("tables.get", json!({"table_id": "tbl_sample"})),
        16 | 17 => (
            "tables.update_row",
            json!({"table_id": "tbl_sample", "row_id": "row_sample_2", "data": {"brand": "Acme"}}),
        ),
        18 => (
            "tables.delete_row",
            json!({"table_id": "tbl_sample", "row_id": "row_sample_1"}),
        ),
        _ => ("search", json!({"query": "wireless headphones"})),
    }
}

/// (RSS in KiB, open file descriptors, of which sockets).
fn resources() -> (u64, usize, usize) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    let mut fds = 0;
    let mut sockets = 0;
    for entry in std::fs::read_dir("/proc/self/fd").unwrap().flatten() {
        fds += 1;
        if std::fs::read_link(entry.path()).is_ok_and(|t| t.to_string_lossy().starts_with("socket:")) {
            sockets += 1;
        }
    }
    (rss, fds, sockets)
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .map_or(default, |v| v.parse().expect(name))
}

#[test]
#[ignore = "the soak driver: run by `just soak`"]
fn soak() {
    let url = std::env::var("LASSO_SOAK_URL").expect("LASSO_SOAK_URL");
    let total = env("LASSO_SOAK_REQUESTS", 100_000);
    let concurrency = env("LASSO_SOAK_CONCURRENCY", 64);
    let report_every = env("LASSO_SOAK_REPORT_EVERY", 5_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let client = Client::builder().api_key(KEY).base_url(url).build().unwrap();
    let next = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicU64::new(0));
    let outcomes: Arc<Mutex<BTreeMap<String, u64>>> = Arc::default();
    let started = Instant::now();
    let (rss, fds, sockets) = resources();
    println!(
        "{}",
        json!({"event": "start", "done": 0, "rss_kb": rss, "fds": fds, "sockets": sockets})
    );
    runtime.block_on(async {
        let mut workers = Vec::new();
        for _ in 0..concurrency {
            let (client, next, done, outcomes) = (client.clone(), next.clone(), done.clone(), outcomes.clone());
            workers.push(tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        return;
                    }
                    let (op, args) = call_for(i);
                    let outcome = match client.call(op, args, &RequestOptions::new()).await {
                        Ok(_) => format!("{op} ok"),
                        Err(e) => format!("{op} {}", e.code()),
                    };
                    *outcomes.lock().unwrap().entry(outcome).or_default() += 1;
                    let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if n % report_every == 0 {
                        let (rss, fds, sockets) = resources();
                        println!("{}", json!({"event": "progress", "done": n, "rss_kb": rss, "fds": fds, "sockets": sockets, "seconds": started.elapsed().as_secs_f64()}));
                    }
                }
            }));
        }
        for w in workers {
            w.await.expect("a worker panicked");
        }
    });
    let (rss, fds, sockets) = resources();
    let outcomes = outcomes.lock().unwrap().clone();
    println!(
        "{}",
        json!({"event": "end", "done": done.load(Ordering::Relaxed), "rss_kb": rss, "fds": fds, "sockets": sockets,
               "seconds": started.elapsed().as_secs_f64(), "outcomes": outcomes})
    );
}

//! Ctrl-C during an upload, a wait and an export: exit 130, a clear report of
//! what the server already holds (and bills), and no partial file.

use std::io::Read;
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lasso_mock::MockConfig;

use crate::common::*;

/// Sends SIGINT, as Ctrl-C in a terminal does.
pub fn sigint(pid: u32) {
    let status = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Reads the child's stderr as it comes.
fn watch_stderr(child: &mut Child) -> Arc<Mutex<String>> {
    let seen = Arc::new(Mutex::new(String::new()));
    let mut stderr = child.stderr.take().unwrap();
    let sink = seen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 1024];
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    seen
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Interrupts `child` once `ready`, and returns its exit code, stdout and the stderr seen.
fn interrupt(mut child: Child, what: &str, mut ready: impl FnMut(&str) -> bool) -> Run {
    let seen = watch_stderr(&mut child);
    wait_until(what, || ready(&seen.lock().unwrap()));
    sigint(child.id());
    let mut run = finish(child);
    std::thread::sleep(Duration::from_millis(50));
    run.stderr = seen.lock().unwrap().clone();
    run
}

fn extract_dir() -> Scratch {
    let dir = Scratch::new("interrupt");
    dir.write("bottles.txt", SOURCE);
    dir.write("schema.json", SCHEMA);
    dir
}

#[test]
fn ctrl_c_during_an_upload() {
    let mock = Mock::start();
    mock.fault(r#"{"route": "POST /files", "kind": "slow_headers", "delay_ms": 20000}"#);
    let dir = extract_dir();
    let child = Lasso::new(
        Some(&mock),
        &[
            "extract",
            "bottles.txt",
            "--schema",
            "schema.json",
            "--export",
            "out.csv",
        ],
    )
    .dir(&dir.0)
    .spawn();
    let started = Instant::now();
    let run = interrupt(child, "the upload", |err| {
        err.contains("created schema") && started.elapsed() > Duration::from_millis(500)
    });
    assert_eq!(run.code, 130, "{run:?}");
    assert!(
        run.stderr.contains("interrupted: stopped by Ctrl-C"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("already created on the server:\n  - schema schema_"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("in flight when stopped: the upload of bottles.txt"),
        "{}",
        run.stderr
    );
    assert_eq!(dir.files(), ["bottles.txt", "schema.json"]);
}

#[test]
fn ctrl_c_during_the_wait() {
    // Extraction takes a minute here.
    let mock = Mock::with(MockConfig {
        time_scale: 50.0,
        ..MockConfig::default()
    });
    let dir = extract_dir();
    let child = Lasso::new(
        Some(&mock),
        &[
            "extract",
            "bottles.txt",
            "--schema",
            "schema.json",
            "--export",
            "out.csv",
            "--interval",
            "0.1",
        ],
    )
    .dir(&dir.0)
    .spawn();
    let run = interrupt(child, "the wait", |err| err.contains("created table"));
    assert_eq!(run.code, 130, "{run:?}");
    assert!(
        run.stderr.contains("  - file file_") && run.stderr.contains("(bottles.txt)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("its extraction was started and is billed"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("lasso tables get tbl_"), "{}", run.stderr);
    assert_eq!(dir.files(), ["bottles.txt", "schema.json"]);
}

#[test]
fn ctrl_c_during_an_export_leaves_no_partial_file() {
    let mock = Mock::start();
    mock.fault(r#"{"route": "GET /tables/{id}/export", "kind": "stall_body", "send_bytes": 5, "delay_ms": 20000, "execute": true}"#);
    let dir = Scratch::new("interrupt-export");
    let child = Lasso::new(Some(&mock), &["export", "tbl_sample", "-o", "out.csv"])
        .dir(&dir.0)
        .spawn();
    // The first bytes are in a temporary file beside out.csv when Ctrl-C comes.
    let temp_seen = || {
        dir.files()
            .iter()
            .any(|f| f.starts_with(".out.csv.") && f.ends_with(".part"))
    };
    let run = interrupt(child, "the export's temporary file", |_| temp_seen());
    assert_eq!(run.code, 130, "{run:?}");
    assert!(
        run.stderr.contains("nothing was created on the server"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("no partial file was left at out.csv"),
        "{}",
        run.stderr
    );
    assert!(dir.files().is_empty(), "{:?}", dir.files());
}

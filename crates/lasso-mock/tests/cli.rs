//! The `lasso-mock` binary and the blocking (own-thread) server.

mod common;

use std::process::Command;

use common::{bearer, client, json, raw_request, spawn_binary, BIN};
use lasso_mock::{start_blocking, MockConfig};

#[tokio::test]
async fn binary_announces_its_url_on_the_first_line() {
    let (mut child, url) = spawn_binary(&["--port", "0", "--balance", "5"]);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(url.ends_with("/api/v1"), "{url}");

    let response = client()
        .get(format!("{url}/credits/balance"))
        .header("authorization", bearer(1))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(json(response).await["balance"], 5.0);

    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn help_exits_0_and_bad_arguments_exit_2() {
    let help = Command::new(BIN).arg("--help").output().unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).starts_with("Usage: lasso-mock"));

    let bad = Command::new(BIN).args(["--port", "nope"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(bad.stdout.is_empty());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--port"));
}

#[test]
fn blocking_server_serves_and_stops_on_drop() {
    let handle = start_blocking(MockConfig::default()).unwrap();
    let port = handle.port();
    assert_eq!(handle.url(), format!("http://127.0.0.1:{port}/api/v1"));
    assert_eq!(handle.base(), format!("http://127.0.0.1:{port}"));

    let bearer = bearer(3);
    let get = |auth: Option<&str>| raw_request(port, "GET", "/api/v1/credits/balance", auth, "");
    let (status, body) = get(Some(&bearer)).unwrap();
    assert_eq!(status, 200);
    assert_eq!(body, r#"{"balance":1000.0,"currency":"credits"}"#);
    let (status, _) = get(None).unwrap();
    assert_eq!(status, 401);

    drop(handle);
    assert!(get(Some(&bearer)).is_err());
}

#[test]
fn a_keys_file_pins_keys_to_companies_and_refuses_others() {
    let dir = std::env::temp_dir().join(format!("lasso-mock-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b, other) = ("a".repeat(64), "b".repeat(64), "c".repeat(64));
    let file = dir.join("keys.txt");
    std::fs::write(
        &file,
        format!("# two keys, one company\nlasso_{a} acme\nlasso_{b} acme\n"),
    )
    .unwrap();
    let (mut child, url) = spawn_binary(&["--port", "0", "--keys", file.to_str().unwrap()]);
    let port: u16 = url
        .trim_end_matches("/api/v1")
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let request = |key: &str, method: &str, path: &str, body: &str| {
        let auth = format!("Bearer lasso_{key}");
        raw_request(port, method, &format!("/api/v1{path}"), Some(&auth), body).unwrap()
    };
    assert_eq!(request(&a, "GET", "/credits/balance", "").0, 200);
    assert_eq!(request(&other, "GET", "/credits/balance", "").0, 401);
    // Both keys of `acme` see the same data: a schema made with one is found with the other.
    let body = r#"{"name":"Shared","columns":[{"key":"name","label":"Name","type":"text"}]}"#;
    let (status, created) = request(&a, "POST", "/schemas", body);
    assert_eq!(status, 201);
    let id = serde_json::from_str::<serde_json::Value>(&created).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(request(&b, "GET", &format!("/schemas/{id}"), "").0, 200);
    child.kill().unwrap();
    let _ = child.wait();
    std::fs::remove_dir_all(&dir).unwrap();
}

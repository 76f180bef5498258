//! The `lasso-mock` binary and the blocking (own-thread) server.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{bearer, client, json, raw_get};
use lasso_mock::{start_blocking, MockConfig};

const BIN: &str = env!("CARGO_BIN_EXE_lasso-mock");

#[tokio::test]
async fn binary_announces_its_url_on_the_first_line() {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--balance", "5"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    let url = first_line
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {first_line:?}"))
        .to_owned();
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
    let (status, body) = raw_get(port, "/api/v1/credits/balance", Some(&bearer)).unwrap();
    assert_eq!(status, 200);
    assert_eq!(body, r#"{"balance":1000.0,"currency":"credits"}"#);
    let (status, _) = raw_get(port, "/api/v1/credits/balance", None).unwrap();
    assert_eq!(status, 401);

    drop(handle);
    assert!(raw_get(port, "/api/v1/credits/balance", Some(&bearer)).is_err());
}

#[test]
fn a_keys_file_pins_keys_to_companies_and_refuses_others() {
    use std::io::{BufRead, BufReader, Read, Write};
    let dir = std::env::temp_dir().join(format!("lasso-mock-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b, other) = ("a".repeat(64), "b".repeat(64), "c".repeat(64));
    let file = dir.join("keys.txt");
    std::fs::write(
        &file,
        format!("# two keys, one company\nlasso_{a} acme\nlasso_{b} acme\n"),
    )
    .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lasso-mock"))
        .args(["--port", "0", "--keys", file.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line
        .trim()
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches("/api/v1")
        .parse()
        .unwrap();
    let get = |key: &str, path: &str| {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET /api/v1{path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer lasso_{key}\r\nConnection: close\r\n\r\n").unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    };
    assert!(get(&a, "/credits/balance").starts_with("HTTP/1.1 200"));
    assert!(get(&other, "/credits/balance").starts_with("HTTP/1.1 401"));
    // Both keys of `acme` see the same data: a schema made with one is found with the other.
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let body = r#"{"name":"Shared","columns":[{"key":"name","label":"Name","type":"text"}]}"#;
    write!(s, "POST /api/v1/schemas HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer lasso_{a}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
    let mut created = String::new();
    s.read_to_string(&mut created).unwrap();
    let id = created
        .split("\"id\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert!(get(&b, &format!("/schemas/{id}")).starts_with("HTTP/1.1 200"));
    child.kill().unwrap();
    let _ = child.wait();
    std::fs::remove_dir_all(&dir).unwrap();
}

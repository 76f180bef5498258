//! Cross-language conformance: runs every scenario of tests/conformance/*.json
//! against lasso-mock. The Python (python/tests/test_conformance.py) and Node
//! (node/test/conformance.test.mjs) runners mirror this file; the format is
//! described in tests/conformance/README.md. Results go to
//! target/conformance/rust.json for `just conformance`.

use lasso_ai::__bindings::{ClientExt, ErrorExt};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use futures_util::TryStreamExt;
use lasso_ai::{Client, Error, RequestOptions, Upload};
use lasso_mock::{MockConfig, MockServer};
use serde_json::{json, Map, Value};

const KEY: &str = "lasso_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load() -> Vec<Value> {
    let dir = repo().join("tests/conformance");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/conformance")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("error_classes.json"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|p| {
            let file: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
            file["scenarios"].as_array().unwrap().clone()
        })
        .collect()
}

type Failed = String;

// --- the interpretation: identical in every runner -----------------------------------------

fn lookup(value: &Value, path: &str) -> Result<Value, Failed> {
    let mut value = value;
    for part in path.split('.').filter(|_| !path.is_empty()) {
        value = match value {
            Value::Array(items) if part.bytes().all(|b| b.is_ascii_digit()) => {
                items.get(part.parse::<usize>().unwrap())
            }
            Value::Object(map) => map.get(part),
            _ => None,
        }
        .ok_or_else(|| format!("nothing at `{path}`"))?;
    }
    Ok(value.clone())
}

/// `${name.path}` in strings: a whole-string reference keeps the saved value's type.
fn substitute(value: &Value, env: &Map<String, Value>) -> Result<Value, Failed> {
    let resolve = |reference: &str| {
        let (name, path) = reference.split_once('.').unwrap_or((reference, ""));
        lookup(
            env.get(name)
                .ok_or_else(|| format!("unknown variable `{name}`"))?,
            path,
        )
    };
    Ok(match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), substitute(v, env)?)))
                .collect::<Result<_, Failed>>()?,
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| substitute(v, env))
                .collect::<Result<_, _>>()?,
        ),
        Value::String(s) => {
            if let Some(whole) = s
                .strip_prefix("${")
                .and_then(|r| r.strip_suffix('}'))
                .filter(|r| !r.contains('}'))
            {
                return resolve(whole);
            }
            let (mut out, mut rest) = (String::new(), s.as_str());
            while let Some(start) = rest.find("${") {
                let Some(len) = rest[start..].find('}') else { break };
                out.push_str(&rest[..start]);
                match resolve(&rest[start + 2..start + len])? {
                    Value::String(v) => out.push_str(&v),
                    other => out.push_str(&other.to_string()),
                }
                rest = &rest[start + len + 1..];
            }
            out.push_str(rest);
            Value::String(out)
        }
        other => other.clone(),
    })
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn show(v: &Value) -> String {
    v.to_string().chars().take(200).collect()
}

/// Subset match: objects may have more keys, `null` means null or absent,
/// arrays must have the same length, numbers compare by value.
fn matches(expected: &Value, actual: &Value, at: &str) -> Result<(), Failed> {
    match (expected, actual) {
        (Value::Null, Value::Null) => Ok(()),
        (Value::Null, _) => Err(format!("{at}: expected null, got {}", show(actual))),
        _ if kind_of(expected) != kind_of(actual) => {
            Err(format!("{at}: expected {}, got {}", show(expected), show(actual)))
        }
        (Value::Object(e), Value::Object(a)) => e
            .iter()
            .try_for_each(|(k, v)| matches(v, a.get(k).unwrap_or(&Value::Null), &format!("{at}.{k}"))),
        (Value::Array(e), Value::Array(a)) if e.len() != a.len() => {
            Err(format!("{at}: expected {} items, got {}", e.len(), a.len()))
        }
        (Value::Array(e), Value::Array(a)) => e
            .iter()
            .zip(a)
            .enumerate()
            .try_for_each(|(i, (e, a))| matches(e, a, &format!("{at}[{i}]"))),
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => Ok(()),
        _ if expected == actual && !expected.is_number() => Ok(()),
        _ => Err(format!("{at}: expected {expected}, got {actual}")),
    }
}

fn check_outcome(
    expect: &Value,
    result: &Value,
    error: Option<&Value>,
    classes: &Value,
) -> Result<(), Failed> {
    if let Some(wanted) = expect.get("error") {
        let error = error.ok_or_else(|| format!("expected an error, got {}", show(result)))?;
        let mut wanted = wanted.as_object().unwrap().clone();
        let kind = wanted.remove("kind").unwrap();
        wanted.insert("class".into(), classes[kind.as_str().unwrap()].clone());
        return matches(&Value::Object(wanted), error, "error");
    }
    if let Some(error) = error {
        return Err(format!(
            "unexpected {}: {}",
            error["class"].as_str().unwrap(),
            error["message"]
        ));
    }
    if let Some(wanted) = expect.get("result") {
        matches(wanted, result, "result")?;
    }
    if let Some(count) = expect.get("count") {
        matches(count, &json!(result.as_array().map_or(0, Vec::len)), "count")?;
    }
    Ok(())
}

/// The last request the mock received, with its query string as an object.
fn request_view(entry: Option<&Value>) -> Value {
    let Some(entry) = entry else { return Value::Null };
    let mut query = Map::new();
    let raw = entry["query"].as_str().unwrap_or("");
    for (k, v) in url::form_urlencoded::parse(raw.as_bytes()) {
        let value = match query.remove(k.as_ref()) {
            None => json!(v),
            Some(Value::Array(mut items)) => {
                items.push(json!(v));
                Value::Array(items)
            }
            Some(first) => json!([first, v]),
        };
        query.insert(k.into_owned(), value);
    }
    let mut view = entry.clone();
    view["query"] = Value::Object(query);
    view
}

// --- the SDK and the mock, as this language reaches them ------------------------------------

fn error_view(e: &Error, classes: &Value) -> Value {
    let f = e.to_fields();
    json!({
        "class": classes[e.code()],
        "status": f["status_code"],
        "error_type": f["error_type"],
        "code": f["code"],
        "message": f["message"],
        "request_id": f["request_id"],
        "retryable": f["retryable"],
        "retry_after": f["retry_after"],
        "details": f["details"],
        "body": f["body"],
        "raw_body": f["raw_body"],
    })
}

fn make_client(base_url: &str, spec: &Value) -> Result<Client, Error> {
    let mut builder = Client::builder()
        .api_key(spec.get("api_key").map_or(KEY, |k| k.as_str().unwrap()))
        .base_url(spec.get("base_url").and_then(Value::as_str).unwrap_or(base_url));
    if let Some(t) = spec.get("timeout") {
        builder = builder.timeout(Duration::from_secs_f64(t.as_f64().unwrap()));
    }
    if let Some(n) = spec.get("max_retries") {
        builder = builder.max_retries(n.as_u64().unwrap() as u32);
    }
    if let Some(allow) = spec.get("allow_nonstandard_key") {
        builder = builder.allow_nonstandard_key(allow.as_bool().unwrap());
    }
    builder.build()
}

async fn call(client: &Client, step: &Value) -> Result<Value, Error> {
    let op = step["call"].as_str().unwrap();
    let args = step.get("args").cloned().unwrap_or(json!({}));
    let mut options = RequestOptions::new();
    if let Some(t) = step.pointer("/options/timeout") {
        options = options.timeout(Duration::from_secs_f64(t.as_f64().unwrap()));
    }
    if let Some(n) = step.pointer("/options/max_retries") {
        options = options.max_retries(n.as_u64().unwrap() as u32);
    }
    if step.get("iterate") == Some(&json!(true)) {
        let items: Vec<Value> = client
            .pager(op, args, options)?
            .into_stream()
            .try_collect()
            .await?;
        return Ok(Value::Array(items));
    }
    let text = |key: &str| args.get(key).and_then(Value::as_str);
    match op {
        "files.upload" => {
            let mut upload = Upload::bytes(
                text("content").unwrap().to_owned().into_bytes(),
                text("filename").unwrap(),
            );
            upload.content_type = text("content_type").map(str::to_owned);
            client.upload_file(upload, &options).await
        }
        "tables.wait_for_completion" => {
            let secs = |key: &str| Duration::from_secs_f64(args[key].as_f64().unwrap());
            client
                .wait_for_table(
                    text("table_id").unwrap(),
                    secs("interval"),
                    secs("timeout"),
                    |_| {},
                )
                .await
        }
        "tables.export" => {
            let (table_id, format) = (text("table_id").unwrap(), text("format").unwrap());
            let out = client
                .export_table(table_id, format, text("columns"), &options)
                .await?;
            let content = ["csv", "json"]
                .contains(&format)
                .then(|| String::from_utf8_lossy(&out.bytes).into_owned());
            Ok(
                json!({"content_type": out.content_type, "filename": out.filename, "size": out.bytes.len(), "text": content}),
            )
        }
        _ => client.call(op, args, &options).await,
    }
}

struct Mock {
    server: MockServer,
    http: reqwest::Client,
}

impl Mock {
    async fn control(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> Value {
        let mut request = self
            .http
            .request(method, format!("{}/__mock/{path}", self.server.base()));
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("control API");
        assert!(
            response.status().is_success(),
            "/__mock/{path}: {}",
            response.status()
        );
        response.json().await.expect("control API answers JSON")
    }
}

async fn run(mock: &Mock, scenario: &Value, classes: &Value) -> Result<(), Failed> {
    let mut env = Map::new();
    let url = mock.server.url();
    let fallback = make_client(&url, &json!({})).unwrap();
    for (n, raw) in scenario["steps"].as_array().unwrap().iter().enumerate() {
        let what = raw.get("call").and_then(Value::as_str).unwrap_or("fault");
        let outcome = async {
            let mut step = raw.clone();
            step.as_object_mut().unwrap().remove("save");
            let step = substitute(&step, &env)?;
            if let Some(fault) = step.get("fault") {
                mock.control(reqwest::Method::POST, "faults", Some(fault)).await;
                return Ok(());
            }
            let outcome = match step.get("client") {
                Some(spec) => match make_client(&url, spec) {
                    Ok(client) => call(&client, &step).await,
                    Err(e) => Err(e),
                },
                None => call(&fallback, &step).await,
            };
            let (result, error) = match outcome {
                Ok(v) => (v, None),
                Err(e) => (Value::Null, Some(error_view(&e, classes))),
            };
            check_outcome(
                step.get("expect").unwrap_or(&json!({})),
                &result,
                error.as_ref(),
                classes,
            )?;
            for (name, path) in raw.get("save").and_then(Value::as_object).into_iter().flatten() {
                env.insert(name.clone(), lookup(&result, path.as_str().unwrap())?);
            }
            if let Some(wanted) = step.get("request") {
                let requests = mock.control(reqwest::Method::GET, "requests", None).await;
                matches(
                    wanted,
                    &request_view(requests["requests"].as_array().unwrap().last()),
                    "request",
                )?;
            }
            if let Some(wanted) = step.get("stats") {
                matches(
                    wanted,
                    &mock.control(reqwest::Method::GET, "stats", None).await,
                    "stats",
                )?;
            }
            Ok::<(), Failed>(())
        };
        outcome
            .await
            .map_err(|e| format!("step {} ({what}): {e}", n + 1))?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance() {
    let scenarios = load();
    let classes: Value = serde_json::from_str::<Value>(
        &std::fs::read_to_string(repo().join("tests/conformance/error_classes.json")).unwrap(),
    )
    .unwrap()["classes"]
        .take();
    let server = MockServer::start(MockConfig {
        time_scale: 0.0,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    // The workspace builds reqwest without a crypto provider; the control API is plain HTTP.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mock = Mock {
        server,
        http: reqwest::Client::builder().no_proxy().build().unwrap(),
    };

    let mut results = Vec::new();
    let mut failures = BTreeMap::new();
    for scenario in &scenarios {
        let id = scenario["id"].as_str().unwrap();
        mock.control(reqwest::Method::POST, "reset", Some(&json!({})))
            .await;
        let outcome = run(&mock, scenario, &classes).await;
        match &outcome {
            Ok(()) => println!("ok   {id}"),
            Err(e) => {
                println!("FAIL {id}: {e}");
                failures.insert(id.to_owned(), e.clone());
            }
        }
        results.push(json!({"id": id, "ok": outcome.is_ok(), "error": outcome.err()}));
    }
    let out = repo().join("target/conformance");
    std::fs::create_dir_all(&out).unwrap();
    let report = json!({"language": "rust", "results": results});
    std::fs::write(
        out.join("rust.json"),
        serde_json::to_string_pretty(&report).unwrap(),
    )
    .unwrap();

    let mut ids: Vec<_> = scenarios.iter().map(|s| s["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), scenarios.len(), "scenario ids must be unique");
    let called: Vec<&str> = scenarios
        .iter()
        .flat_map(|s| s["steps"].as_array().unwrap())
        .filter_map(|s| s["call"].as_str())
        .collect();
    let uncovered: Vec<_> = lasso_spec::OPERATIONS
        .iter()
        .map(|op| op.id)
        .filter(|id| !called.contains(id))
        .collect();
    assert!(
        uncovered.is_empty(),
        "operations without a scenario: {uncovered:?}"
    );
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n{failures:#?}",
        failures.len(),
        scenarios.len()
    );
}

/// Every operation of the spec is called by at least one scenario, so each
/// is checked the same way in every language (`tests/manifest.json` lists them).
#[test]
fn every_operation_has_a_conformance_scenario() {
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(repo().join("tests/manifest.json")).unwrap()).unwrap();
    let called: std::collections::HashSet<String> = load()
        .iter()
        .flat_map(|scenario| scenario["steps"].as_array().cloned().unwrap_or_default())
        .filter_map(|step| step["call"].as_str().map(str::to_owned))
        .collect();
    let missing: Vec<&str> = manifest["operation_ids"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .filter(|id| !called.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "operations without a conformance scenario in tests/conformance/*.json: {missing:?}"
    );
}

//! End to end against lasso-mock: every command, JSON and NDJSON parsed back,
//! an exit code per error class. These also run against the `lasso` of the
//! Python wheel and of the npm package (`LASSO_CLI=…`, see the justfile).

use lasso_mock::MockConfig;
use serde_json::{json, Value};

use crate::common::*;

#[test]
fn auth_status_reports_the_masked_key_and_the_balance() {
    let mock = Mock::start();
    let run = lasso(&mock, &["auth", "status"]).ok();
    let status = run.json();
    assert_eq!(status["valid"], true);
    assert_eq!(status["balance"], json!(1000.0));
    assert_eq!(status["api_key"], "lasso_…cdef");
    assert_eq!(status["base_url"], mock.url());
    assert_eq!(status["source"], "environment variable LASSO_API_KEY");
    assert!(!run.stdout.contains(KEY) && !run.stderr.contains(KEY));

    // A key the API refuses: exit 3, and still no key in the output.
    let revoked = lasso_mock::REVOKED_KEY;
    let run = Lasso::new(Some(&mock), &["auth", "status"])
        .env("LASSO_API_KEY", revoked)
        .run();
    assert_eq!(run.code, 3, "{run:?}");
    assert_eq!(run.json()["valid"], false);
    assert_eq!(run.json()["error"], "unauthenticated");
    assert!(
        run.stderr.starts_with("error: AuthenticationError: "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("request_id"), "{}", run.stderr);
    assert!(!run.stdout.contains(revoked) && !run.stderr.contains(revoked));

    // No key at all, or a malformed one: exit 3 before any request.
    let run = Lasso::new(None, &["auth", "status"]).run();
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stderr.contains("InvalidApiKeyError") && run.stderr.contains("LASSO_API_KEY"));
    let run = Lasso::new(Some(&mock), &["--api-key", "lasso_short", "auth", "status"]).run();
    assert_eq!(run.code, 3, "{run:?}");
}

#[test]
fn the_key_comes_from_a_file_or_stdin_with_a_warning_when_others_can_read_it() {
    use std::os::unix::fs::PermissionsExt;
    let mock = Mock::start();
    let dir = Scratch::new("keyfile");
    let file = dir.write("key", &format!("{KEY}\n"));
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let path = file.to_str().unwrap();
    let run = Lasso::new(Some(&mock), &["--api-key-file", path, "auth", "status"])
        .env_remove("LASSO_API_KEY")
        .run()
        .ok();
    assert!(
        run.stderr.contains("warning: the key file") && run.stderr.contains("chmod 600"),
        "{}",
        run.stderr
    );
    assert!(run.json()["source"].as_str().unwrap().starts_with("file "));
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let run = Lasso::new(Some(&mock), &["--api-key-file", path, "auth", "status"])
        .env_remove("LASSO_API_KEY")
        .run()
        .ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let run = Lasso::new(Some(&mock), &["--api-key-file", "-", "auth", "status"])
        .env_remove("LASSO_API_KEY")
        .stdin(KEY.as_bytes())
        .run()
        .ok();
    assert_eq!(run.json()["source"], "standard input");
}

#[test]
fn the_config_file_holds_profiles_written_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mock = Mock::start();
    let dir = Scratch::new("config");
    let config = dir.path("lasso/config.toml");
    let login = Lasso::new(None, &["auth", "login", "--store-base-url", &mock.url()])
        .env("LASSO_CONFIG", &config)
        .stdin(format!("{KEY}\n").as_bytes())
        .run()
        .ok();
    assert_eq!(login.json()["api_key"], "lasso_…cdef");
    let mode = std::fs::metadata(&config).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(!login.stdout.contains(KEY) && !login.stderr.contains(KEY));
    // Flags, then environment, then the file.
    let run = Lasso::new(None, &["auth", "status"])
        .env("LASSO_CONFIG", &config)
        .run()
        .ok();
    assert!(run.json()["source"]
        .as_str()
        .unwrap()
        .ends_with("config.toml [default]"));
    assert!(!run.stderr.contains("warning"));
    // A file others can read works, with a warning.
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = Lasso::new(None, &["auth", "status"])
        .env("LASSO_CONFIG", &config)
        .run()
        .ok();
    assert!(run.stderr.contains("warning: the config file"), "{}", run.stderr);
    // Profiles.
    let run = Lasso::new(None, &["--profile", "staging", "auth", "status"])
        .env("LASSO_CONFIG", &config)
        .run();
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("no profile [staging]"));
    Lasso::new(None, &["auth", "logout"])
        .env("LASSO_CONFIG", &config)
        .run()
        .ok();
    let run = Lasso::new(None, &["auth", "status"])
        .env("LASSO_CONFIG", &config)
        .run();
    assert_eq!(run.code, 3, "{run:?}");
}

#[test]
fn api_list_and_help_come_from_the_spec() {
    let run = Lasso::new(None, &["api", "--list"]).run().ok();
    let listed = run.ndjson();
    let ids: Vec<&str> = listed.iter().map(|o| o["id"].as_str().unwrap()).collect();
    let spec: Vec<&str> = lasso_spec::OPERATIONS.iter().map(|o| o.id).collect();
    assert_eq!(ids, spec);
    let search = listed.iter().find(|o| o["id"] == "search").unwrap();
    assert_eq!(
        (search["method"].as_str(), search["billed"].as_bool()),
        (Some("POST"), Some(true))
    );
    let rows = listed.iter().find(|o| o["id"] == "tables.rows").unwrap();
    assert_eq!(rows["paging"], "page/limit");

    let help = Lasso::new(None, &["api", "tables.rows", "--help"])
        .run()
        .ok()
        .stdout;
    for needle in [
        "GET /tables/{table_id}/rows",
        "Billed:   no",
        "--all",
        "--limit <INT>",
        "<TABLE_ID>",
    ] {
        assert!(help.contains(needle), "{needle} not in\n{help}");
    }
    let help = Lasso::new(None, &["api", "search", "--help"]).run().ok().stdout;
    assert!(help.contains("Billed:   yes"), "{help}");
    assert!(help.contains("query") && help.contains("required"), "{help}");
}

#[test]
fn api_calls_any_operation_and_follows_pages_as_ndjson() {
    let mock = Mock::start();
    let table = lasso(&mock, &["api", "tables.get", "tbl_sample"]).ok().json();
    assert_eq!(table["id"], "tbl_sample");
    let page = lasso(&mock, &["api", "tables.rows", "tbl_sample", "--limit", "2"])
        .ok()
        .json();
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    let rows = lasso(
        &mock,
        &["api", "tables.rows", "tbl_sample", "--limit", "1", "--all"],
    )
    .ok()
    .ndjson();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["row_sample_1", "row_sample_2", "row_sample_3"]);
    // -F typed, -f raw, --json body (inline, @file, stdin).
    let dir = Scratch::new("api");
    let cols = r#"[{"key":"name","label":"Name","type":"text"}]"#;
    let made = lasso(
        &mock,
        &[
            "api",
            "schemas.create",
            "-f",
            "name=S1",
            "-F",
            &format!("columns={cols}"),
        ],
    )
    .ok()
    .json();
    assert_eq!(made["name"], "S1");
    let body = dir.write("body.json", &format!(r#"{{"name": "S2", "columns": {cols}}}"#));
    let made = lasso(
        &mock,
        &["api", "schemas.create", "--json", &format!("@{}", body.display())],
    )
    .ok()
    .json();
    assert_eq!(made["name"], "S2");
    let made = Lasso::new(
        Some(&mock),
        &["api", "schemas.create", "--json", "-", "--name", "S3"],
    )
    .stdin(format!(r#"{{"name": "ignored", "columns": {cols}}}"#).as_bytes())
    .run()
    .ok()
    .json();
    assert_eq!(made["name"], "S3");
    // A missing required argument is bad usage (2), before any request.
    let run = lasso(&mock, &["api", "credits.stats", "--from", "2026-01-01"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("missing required argument `to`"),
        "{}",
        run.stderr
    );
    // A wrong type for a typed flag too.
    let run = lasso(&mock, &["api", "tables.list", "--limit", "many"]);
    assert_eq!(run.code, 2, "{run:?}");
}

#[test]
fn exit_codes_per_error_class() {
    let mock = Mock::start();
    let code = |args: &[&str]| {
        let run = lasso(&mock, args);
        assert!(run.stderr.lines().any(|l| l.starts_with("error: ")), "{run:?}");
        assert!(!run.stderr.contains(KEY));
        run.code
    };
    // Bad usage: clap's own, and the API refusing the request.
    assert_eq!(Lasso::new(None, &["tables", "nope"]).run().code, 2);
    assert_eq!(Lasso::new(None, &["--no-such-flag"]).run().code, 2);
    mock.fault(r#"{"route": "GET /tables", "status": 400}"#);
    assert_eq!(code(&["tables", "list"]), 2);
    // A file to upload that does not exist is bad usage too, named by its path.
    let run = lasso(&mock, &["files", "upload", "/nonexistent/catalog.pdf"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("LocalFileNotFoundError: cannot upload /nonexistent/catalog.pdf"),
        "{run:?}"
    );
    // Not found.
    assert_eq!(code(&["tables", "get", "tbl_missing"]), 4);
    // Rate limited, server error (no retries, so at once).
    mock.fault(r#"{"route": "GET /credits/balance", "status": 429, "headers": {"Retry-After": "0"}}"#);
    assert_eq!(code(&["--max-retries", "0", "api", "credits.balance"]), 5);
    mock.fault(r#"{"route": "GET /credits/balance", "status": 500}"#);
    assert_eq!(code(&["--max-retries", "0", "api", "credits.balance"]), 6);
    mock.fault(r#"{"route": "GET /credits/balance", "status": 503}"#);
    assert_eq!(code(&["--max-retries", "0", "api", "credits.balance"]), 6);
    // Network: nothing listens there.
    let closed = Lasso::new(None, &["--max-retries", "0", "api", "credits.balance"])
        .env("LASSO_API_KEY", KEY)
        .env("LASSO_BASE_URL", "http://127.0.0.1:9/api/v1")
        .run();
    assert_eq!(closed.code, 7, "{closed:?}");
    assert!(closed.stderr.contains("APIConnectionError"));
    // Job failed: the emulator fails files named FAIL_EXTRACTION.
    let dir = Scratch::new("jobfail");
    let file = dir.write("FAIL_EXTRACTION.txt", SOURCE);
    let schema = dir.write("schema.json", SCHEMA);
    let run = lasso(
        &mock,
        &[
            "extract",
            file.to_str().unwrap(),
            "--schema",
            schema.to_str().unwrap(),
            "--wait",
            "--interval",
            "0.05",
        ],
    );
    assert_eq!(run.code, 8, "{run:?}");
    assert!(run.stderr.contains("JobFailedError"), "{}", run.stderr);
    // Not enough credits.
    let poor = Mock::with(MockConfig {
        initial_balance: 0.0,
        ..MockConfig::default()
    });
    let run = lasso(&poor, &["search", "bottle"]);
    assert_eq!(run.code, 9, "{run:?}");
    assert!(run.stderr.contains("InsufficientCreditsError"), "{}", run.stderr);
}

#[test]
fn verbose_errors_carry_every_field_without_the_key() {
    let mock = Mock::start();
    let run = lasso(&mock, &["--verbose", "tables", "get", "tbl_missing"]);
    assert_eq!(run.code, 4);
    let detail_start = run.stderr.find('{').expect("details");
    let detail: Value = serde_json::from_str(&run.stderr[detail_start..]).unwrap();
    assert_eq!(detail["kind"], "not_found");
    assert_eq!(detail["status_code"], 404);
    assert!(detail["request_id"].is_string());
    assert!(!run.stderr.contains(KEY));
}

#[test]
fn shortcuts_search_enrich_tables_schemas_files() {
    let mock = Mock::start();
    let dir = Scratch::new("shortcuts");
    let found = lasso(&mock, &["search", "water bottle", "--max-results", "2"])
        .ok()
        .json();
    assert!(found["results"].as_array().unwrap().len() <= 2);
    let records = dir.write("records.json", r#"[{"name": "Hydro Flask 32 oz"}]"#);
    let enriched = lasso(
        &mock,
        &["enrich", "--json", records.to_str().unwrap(), "--thinking", "low"],
    )
    .ok()
    .json();
    assert_eq!(enriched["items"].as_array().unwrap().len(), 1);

    let list = lasso(&mock, &["tables", "list"]).ok().json();
    assert!(list["data"].is_array());
    let all = lasso(&mock, &["tables", "list", "--all"]).ok().ndjson();
    assert!(all.iter().any(|t| t["id"] == "tbl_sample"));
    assert_eq!(
        lasso(&mock, &["tables", "get", "tbl_sample"]).ok().json()["id"],
        "tbl_sample"
    );
    let rows = lasso(&mock, &["tables", "rows", "tbl_sample", "--all"])
        .ok()
        .ndjson();
    assert_eq!(rows.len(), 3);

    let schema = lasso(
        &mock,
        &[
            "schemas",
            "create",
            "--name",
            "Mugs",
            "--column",
            "name",
            "--column",
            "price:number:Price",
        ],
    )
    .ok()
    .json();
    assert_eq!(schema["name"], "Mugs");
    assert_eq!(schema["columns"][1]["type"], "number");
    let file = dir.write("schema.json", SCHEMA);
    let schema = lasso(&mock, &["schemas", "create", "--json", file.to_str().unwrap()])
        .ok()
        .json();
    assert_eq!(schema["name"], "Bottles");
    let generated = lasso(&mock, &["schemas", "generate", "--text", "name,price\nMug,9.90"])
        .ok()
        .json();
    assert!(generated["columns"].is_array());

    let a = dir.write("a.txt", SOURCE);
    let b = dir.write("b.csv", "name,price\nMug,9.90\n");
    let uploaded = lasso(
        &mock,
        &["files", "upload", a.to_str().unwrap(), b.to_str().unwrap()],
    )
    .ok()
    .ndjson();
    let names: Vec<&str> = uploaded.iter().map(|f| f["filename"].as_str().unwrap()).collect();
    assert_eq!(names, ["a.txt", "b.csv"]);
    let files = lasso(&mock, &["files", "list", "--all"]).ok().ndjson();
    assert_eq!(files.len(), 2);
}

#[test]
fn extract_does_the_quick_start_in_one_command() {
    let mock = Mock::start();
    let dir = Scratch::new("extract");
    dir.write("bottles.txt", SOURCE);
    dir.write("schema.json", SCHEMA);
    let run = Lasso::new(
        Some(&mock),
        &[
            "extract",
            "bottles.txt",
            "--schema",
            "schema.json",
            "--export",
            "bottles.csv",
            "--interval",
            "0.05",
        ],
    )
    .dir(&dir.0)
    .run()
    .ok();
    let summary = run.json();
    assert_eq!(summary["table"]["status"], "completed");
    assert_eq!(summary["files"][0]["filename"], "bottles.txt");
    assert_eq!(summary["export"]["format"], "csv");
    let csv = std::fs::read_to_string(dir.path("bottles.csv")).unwrap();
    assert_eq!(summary["export"]["bytes"], csv.len());
    assert!(csv.starts_with("name"), "{csv}");
    // Piped: the notes on stderr, but no bar, cursor movement or colour.
    assert!(run.stderr.contains("✓ created table"), "{}", run.stderr);
    assert!(
        !run.stderr.contains('\r') && !run.stderr.contains('\x1b'),
        "{:?}",
        run.stderr
    );
    assert_eq!(dir.files(), ["bottles.csv", "bottles.txt", "schema.json"]);
    // With a schema id, no wait.
    let schema_id = summary["schema_id"].as_str().unwrap();
    let quick = Lasso::new(
        Some(&mock),
        &[
            "--quiet",
            "extract",
            "bottles.txt",
            "--schema",
            schema_id,
            "--name",
            "N",
        ],
    )
    .dir(&dir.0)
    .run()
    .ok();
    assert_eq!(quick.stderr, "");
    assert_eq!(quick.json()["table"]["name"], "N");
}

#[test]
fn export_writes_each_format_whole() {
    let mock = Mock::start();
    let dir = Scratch::new("export");
    for (name, magic) in [
        ("t.csv", &b"name"[..]),
        ("t.xlsx", b"PK"),
        ("t.json", b"["),
        ("images.zip", b"PK"),
    ] {
        let path = dir.path(name);
        let saved = lasso(&mock, &["export", "tbl_sample", "-o", path.to_str().unwrap()])
            .ok()
            .json();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(saved["bytes"], bytes.len(), "{name}");
        assert!(
            bytes.starts_with(magic),
            "{name}: {:?}",
            &bytes[..8.min(bytes.len())]
        );
    }
    let run = lasso(
        &mock,
        &["export", "tbl_sample", "-o", dir.path("t.txt").to_str().unwrap()],
    );
    assert_eq!(run.code, 2);
    let run = lasso(
        &mock,
        &[
            "export",
            "tbl_missing",
            "--format",
            "csv",
            "-o",
            dir.path("m.csv").to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 4);
    assert_eq!(dir.files(), ["images.zip", "t.csv", "t.json", "t.xlsx"]);
    // The binary operation through `api` too.
    let path = dir.path("api.csv");
    lasso(
        &mock,
        &[
            "api",
            "tables.export",
            "tbl_sample",
            "--format",
            "csv",
            "-o",
            path.to_str().unwrap(),
        ],
    )
    .ok();
    assert!(path.exists());
    let path = dir.path("api.xlsx");
    lasso(
        &mock,
        &["api", "tables.export", "tbl_sample", "-o", path.to_str().unwrap()],
    )
    .ok();
    assert!(
        std::fs::read(&path).unwrap().starts_with(b"PK"),
        "the format comes from the extension"
    );
}

#[test]
fn webhooks_verify_a_delivery() {
    let body = br#"{"event":"webhook.test","timestamp":"2025-03-12T14:30:00.000Z","data":{}}"#;
    let secret = "whsec_cli_test";
    let header = lasso_ai::webhook::sign(body, secret);
    let run = Lasso::new(
        None,
        &["webhooks", "verify", "--secret", secret, "--header", &header],
    )
    .stdin(body)
    .run()
    .ok();
    assert_eq!(run.json()["event"], "webhook.test");
    let line = format!("X-Lasso-Signature: {header}");
    Lasso::new(None, &["webhooks", "verify", "--header", &line])
        .env("LASSO_WEBHOOK_SECRET", secret)
        .stdin(body)
        .run()
        .ok();
    let run = Lasso::new(
        None,
        &[
            "webhooks",
            "verify",
            "--secret",
            "whsec_other",
            "--header",
            &header,
        ],
    )
    .stdin(body)
    .run();
    assert_eq!(run.code, 10, "{run:?}");
    assert!(run.stderr.contains("WebhookVerificationError") && !run.stderr.contains(secret));
    let run = Lasso::new(
        None,
        &[
            "webhooks",
            "verify",
            "--secret",
            secret,
            "--header",
            &header,
            "--tolerance",
            "60",
        ],
    )
    .stdin(body)
    .run();
    assert_eq!(run.code, 10, "an old event is refused: {run:?}");
}

#[test]
fn output_modes_table_pretty_ndjson_and_jq() {
    let mock = Mock::start();
    let table = lasso(&mock, &["--output", "table", "tables", "rows", "tbl_sample"])
        .ok()
        .stdout;
    assert!(table.contains("row_sample_1") && table.contains("│"), "{table}");
    let table = lasso(
        &mock,
        &["--output", "table", "tables", "rows", "tbl_sample", "--all"],
    )
    .ok()
    .stdout;
    assert_eq!(table.matches("row_sample_").count(), 3, "{table}");
    let pretty = lasso(&mock, &["--output", "pretty", "tables", "get", "tbl_sample"])
        .ok()
        .stdout;
    assert!(pretty.starts_with("{\n  \"id\""), "{pretty}");
    let lines = lasso(&mock, &["--output", "ndjson", "tables", "rows", "tbl_sample"])
        .ok()
        .ndjson();
    assert_eq!(lines.len(), 3);
    let ids = lasso(&mock, &["--jq", ".data[].id", "tables", "rows", "tbl_sample"])
        .ok()
        .stdout;
    assert_eq!(ids, "row_sample_1\nrow_sample_2\nrow_sample_3\n");
    let names = lasso(
        &mock,
        &["--jq", ".data.name", "tables", "rows", "tbl_sample", "--all"],
    )
    .ok()
    .stdout;
    assert_eq!(names.lines().count(), 3);
    let run = lasso(&mock, &["--jq", "nope", "tables", "list"]);
    assert_eq!(run.code, 2);
}

#[test]
fn completion_scripts() {
    for (shell, needle) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef lasso"),
        ("fish", "complete -c lasso"),
    ] {
        let script = Lasso::new(None, &["completion", shell]).run().ok().stdout;
        assert!(script.contains(needle), "{shell}");
        assert!(
            script.contains("extract") && script.contains("tables.rows"),
            "{shell}"
        );
    }
}

#[test]
fn mock_serves_the_emulator_until_stopped() {
    use std::io::BufRead;
    let mut child = Lasso::new(None, &["mock", "--port", "0", "--time-scale", "0"]).spawn();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("listening on ").expect(&line).to_owned();
    let run = Lasso::new(None, &["auth", "status"])
        .env("LASSO_API_KEY", KEY)
        .env("LASSO_BASE_URL", &url)
        .run()
        .ok();
    assert_eq!(run.json()["balance"], json!(1000.0));
    crate::interrupt::sigint(child.id());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "Ctrl-C stops the emulator cleanly");
}

#[test]
fn help_lists_every_command_and_the_exit_codes() {
    let help = Lasso::new(None, &["--help"]).run().ok().stdout;
    for cmd in [
        "auth",
        "api",
        "search",
        "enrich",
        "tables",
        "schemas",
        "files",
        "extract",
        "export",
        "webhooks",
        "mock",
        "completion",
    ] {
        assert!(help.contains(&format!("  {cmd}")), "{cmd} not in\n{help}");
    }
    for (code, name) in lasso_cli::exit::TABLE {
        assert!(help.contains(&format!("{code:>3}  {name}")), "{code} {name}");
    }
    let version = Lasso::new(None, &["--version"]).run().ok().stdout;
    assert_eq!(version.trim(), format!("lasso {}", lasso_cli::VERSION));
}

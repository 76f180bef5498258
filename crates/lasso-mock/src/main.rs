//! `lasso-mock` command line: start the emulator, announce the URL, serve until
//! SIGINT/SIGTERM.

use std::io::Write;
use std::process::ExitCode;

use lasso_mock::{MockConfig, MockServer};

const USAGE: &str = "\
Usage: lasso-mock [--port N] [--seed N] [--balance F] [--time-scale F] [--keys FILE]
                  [--faults SPEC] [--faults-probability P] [--faults-seed N]

Local emulator of the Lasso API on 127.0.0.1.

Options:
  --port N       TCP port to listen on (default 0: pick a free port)
  --seed N       seed for deterministic resource ids (default 42)
  --balance F    initial credit balance of every company (default 1000)
  --time-scale F multiply emulated durations (extraction, enhancement, webhook
                 retries) by F; 0 finishes jobs at once (default 1)
  --keys FILE    accept only these keys: a JSON object {\"lasso_<64 hex>\": \"company\"}
                 or lines `lasso_<64 hex> company`; keys of one company share its
                 data, other keys get 401 (default: any well-formed key is its
                 own company)
  --faults SPEC  queue faults at start: a JSON file, or inline JSON (a fault object
                 as for POST /__mock/faults, an array of them, or {\"faults\": [...]});
                 may be repeated
  --faults-probability P
                 every API request fails with probability P (0-1): 429, 500, 502
                 (HTML), 503 or a connection reset, in equal shares
  --faults-seed N
                 seed of the random faults (default: --seed)
  -h, --help     print this help

The first line on stdout is `listening on http://127.0.0.1:PORT/api/v1`.
Control API: http://127.0.0.1:PORT/__mock/{faults,stats,reset}";

#[derive(Debug, PartialEq)]
enum Command {
    Run(Options),
    Help,
}

#[derive(Clone, Debug, PartialEq, Default)]
struct Options {
    config: MockConfig,
    /// Fault specs (JSON text), in the order given.
    faults: Vec<String>,
    fault_probability: Option<f64>,
    fault_seed: Option<u64>,
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Run(options)) => options,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("lasso-mock: {message}");
            eprintln!("Try 'lasso-mock --help' for usage.");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("lasso-mock: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(serve(options))
}

async fn serve(options: Options) -> ExitCode {
    let port = options.config.port;
    let seed = options.config.seed;
    let server = match MockServer::start(options.config).await {
        Ok(server) => server,
        Err(err) => {
            eprintln!("lasso-mock: cannot listen on 127.0.0.1:{port}: {err}");
            return ExitCode::FAILURE;
        }
    };
    for spec in &options.faults {
        if let Err(err) = server.add_faults(spec) {
            eprintln!("lasso-mock: --faults: {err}");
            eprintln!("Try 'lasso-mock --help' for usage.");
            server.shutdown().await;
            return ExitCode::from(2);
        }
    }
    if let Some(probability) = options.fault_probability {
        server.add_random_faults(probability, options.fault_seed.unwrap_or(seed));
    }
    // Other tools read this exact first line to learn the port, so flush right away.
    // A closed stdout must not stop the server, hence the ignored results.
    {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "listening on {}", server.url());
        let _ = stdout.flush();
    }
    wait_for_signal().await;
    server.shutdown().await;
    ExitCode::SUCCESS
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// A `--faults` value: inline JSON when it starts with `{` or `[`, else a file path.
/// Reads a `--keys` file: a JSON object `{key: company}`, or lines `key company`
/// (blank lines and `#` comments ignored). Keys are checked when the server starts.
fn load_keys(path: &str) -> Result<std::collections::HashMap<String, String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("--keys {path}: {e}"))?;
    let keys: std::collections::HashMap<String, String> = if text.trim_start().starts_with('{') {
        serde_json::from_str(&text)
            .map_err(|e| format!("--keys {path}: not a JSON object of strings: {e}"))?
    } else {
        let mut keys = std::collections::HashMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, company) = line
                .split_once(char::is_whitespace)
                .ok_or_else(|| format!("--keys {path}:{}: expected `lasso_<64 hex> company`", n + 1))?;
            keys.insert(key.to_owned(), company.trim().to_owned());
        }
        keys
    };
    if keys.is_empty() {
        return Err(format!("--keys {path}: no keys in the file"));
    }
    Ok(keys)
}

fn load_fault_spec(value: &str) -> Result<String, String> {
    if value.trim_start().starts_with(['{', '[']) {
        return Ok(value.to_owned());
    }
    std::fs::read_to_string(value).map_err(|err| format!("--faults: cannot read '{value}': {err}"))
}

/// Hand-rolled parsing: a handful of options do not justify a CLI framework. Accepts
/// both `--port 8080` and `--port=8080`.
fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut options = Options::default();
    let config = &mut options.config;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name.to_owned(), Some(value.to_owned())),
            _ => (arg, None),
        };
        if name == "-h" || name == "--help" {
            return Ok(Command::Help);
        }
        if !matches!(
            name.as_str(),
            "--port"
                | "--seed"
                | "--balance"
                | "--time-scale"
                | "--keys"
                | "--faults"
                | "--faults-probability"
                | "--faults-seed"
        ) {
            return Err(format!("unknown argument '{name}'"));
        }
        let value = match inline.or_else(|| args.next()) {
            Some(value) => value,
            None => return Err(format!("{name} needs a value")),
        };
        match name.as_str() {
            "--port" => {
                config.port = value
                    .parse()
                    .map_err(|_| format!("--port expects a port number 0-65535, got '{value}'"))?;
            }
            "--seed" => {
                config.seed = value
                    .parse()
                    .map_err(|_| format!("--seed expects a non-negative integer, got '{value}'"))?;
            }
            "--time-scale" => {
                config.time_scale = value
                    .parse::<f64>()
                    .ok()
                    .filter(|scale| scale.is_finite() && *scale >= 0.0)
                    .ok_or_else(|| format!("--time-scale expects a non-negative number, got '{value}'"))?;
            }
            "--keys" => config.keys = Some(load_keys(&value)?),
            "--faults" => options.faults.push(load_fault_spec(&value)?),
            "--faults-probability" => {
                options.fault_probability = Some(
                    value
                        .parse::<f64>()
                        .ok()
                        .filter(|p| (0.0..=1.0).contains(p))
                        .ok_or_else(|| {
                            format!("--faults-probability expects a number from 0 to 1, got '{value}'")
                        })?,
                );
            }
            "--faults-seed" => {
                options.fault_seed =
                    Some(value.parse().map_err(|_| {
                        format!("--faults-seed expects a non-negative integer, got '{value}'")
                    })?);
            }
            _ => {
                config.initial_balance = value
                    .parse::<f64>()
                    .ok()
                    .filter(|balance| balance.is_finite() && *balance >= 0.0)
                    .ok_or_else(|| format!("--balance expects a non-negative number, got '{value}'"))?;
            }
        }
    }
    Ok(Command::Run(options))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults_and_values() {
        assert_eq!(parse(&[]), Ok(Command::Run(Options::default())));
        let expected = Options {
            config: MockConfig {
                port: 8080,
                seed: 7,
                initial_balance: 12.5,
                time_scale: 0.5,
                keys: None,
            },
            ..Options::default()
        };
        assert_eq!(
            parse(&[
                "--port",
                "8080",
                "--seed",
                "7",
                "--balance",
                "12.5",
                "--time-scale",
                "0.5"
            ]),
            Ok(Command::Run(expected.clone()))
        );
        assert_eq!(
            parse(&["--port=8080", "--seed=7", "--balance=12.5", "--time-scale=0.5"]),
            Ok(Command::Run(expected))
        );
        assert_eq!(parse(&["--port", "1", "--help"]), Ok(Command::Help));
    }

    #[test]
    fn fault_options() {
        let inline = r#"{"route":"*","status":500}"#;
        let Ok(Command::Run(options)) = parse(&[
            "--faults",
            inline,
            "--faults=[]",
            "--faults-probability",
            "0.25",
            "--faults-seed=9",
        ]) else {
            panic!("parses");
        };
        assert_eq!(options.faults, vec![inline.to_owned(), "[]".to_owned()]);
        assert_eq!(options.fault_probability, Some(0.25));
        assert_eq!(options.fault_seed, Some(9));
        assert!(parse(&["--faults", "/no/such/file.json"])
            .unwrap_err()
            .contains("cannot read"));
        assert!(parse(&["--faults-probability", "2"]).is_err());
    }

    #[test]
    fn errors() {
        for args in [
            &["--port"][..],
            &["--port", "70000"],
            &["--port", "x"],
            &["--seed", "-1"],
            &["--balance", "NaN"],
            &["--balance", "-5"],
            &["--time-scale", "-1"],
            &["--time-scale", "inf"],
            &["--verbose"],
            &["8080"],
        ] {
            assert!(parse(args).is_err(), "{args:?}");
        }
    }
}

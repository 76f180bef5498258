//! `lasso-mock` command line: start the emulator, announce the URL, serve until
//! SIGINT/SIGTERM.

use std::io::Write;
use std::process::ExitCode;

use lasso_mock::{MockConfig, MockServer};

const USAGE: &str = "\
Usage: lasso-mock [--port N] [--seed N] [--balance F] [--time-scale F]

Local emulator of the Lasso API on 127.0.0.1.

Options:
  --port N       TCP port to listen on (default 0: pick a free port)
  --seed N       seed for deterministic resource ids (default 42)
  --balance F    initial credit balance of every company (default 1000)
  --time-scale F multiply emulated durations (extraction, enhancement, webhook
                 retries) by F; 0 finishes jobs at once (default 1)
  -h, --help     print this help

The first line on stdout is `listening on http://127.0.0.1:PORT/api/v1`.
Control API: http://127.0.0.1:PORT/__mock/{faults,stats,reset}";

#[derive(Debug, PartialEq)]
enum Command {
    Run(MockConfig),
    Help,
}

fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Run(config)) => config,
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
    runtime.block_on(serve(config))
}

async fn serve(config: MockConfig) -> ExitCode {
    let port = config.port;
    let server = match MockServer::start(config).await {
        Ok(server) => server,
        Err(err) => {
            eprintln!("lasso-mock: cannot listen on 127.0.0.1:{port}: {err}");
            return ExitCode::FAILURE;
        }
    };
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

/// Hand-rolled parsing: three options do not justify a CLI framework. Accepts both
/// `--port 8080` and `--port=8080`.
fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut config = MockConfig::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name.to_owned(), Some(value.to_owned())),
            _ => (arg, None),
        };
        if name == "-h" || name == "--help" {
            return Ok(Command::Help);
        }
        if !matches!(name.as_str(), "--port" | "--seed" | "--balance" | "--time-scale") {
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
            _ => {
                config.initial_balance = value
                    .parse::<f64>()
                    .ok()
                    .filter(|balance| balance.is_finite() && *balance >= 0.0)
                    .ok_or_else(|| format!("--balance expects a non-negative number, got '{value}'"))?;
            }
        }
    }
    Ok(Command::Run(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults_and_values() {
        assert_eq!(parse(&[]), Ok(Command::Run(MockConfig::default())));
        let expected = MockConfig {
            port: 8080,
            seed: 7,
            initial_balance: 12.5,
            time_scale: 0.5,
        };
        assert_eq!(
            parse(&["--port", "8080", "--seed", "7", "--balance", "12.5", "--time-scale", "0.5"]),
            Ok(Command::Run(expected.clone()))
        );
        assert_eq!(
            parse(&["--port=8080", "--seed=7", "--balance=12.5", "--time-scale=0.5"]),
            Ok(Command::Run(expected))
        );
        assert_eq!(parse(&["--port", "1", "--help"]), Ok(Command::Help));
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

//! Helpers: an emulator per test (in process, with fault injection), the
//! `lasso` under test run as a child process, and scratch directories.
//!
//! The command under test is `$LASSO_CLI` when set (split on spaces, e.g.
//! `.venv/bin/lasso` or `node node/bin/lasso.js`: the Python and Node front
//! doors run the `shared` tests this way), else this crate's binary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use lasso_mock::{MockConfig, MockServer};
use serde_json::Value;

/// A well-formed key the emulator accepts (its own company).
pub const KEY: &str = "lasso_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// An emulator on a runtime of its own.
pub struct Mock {
    server: Option<MockServer>,
    runtime: tokio::runtime::Runtime,
}

impl Mock {
    pub fn start() -> Mock {
        Mock::with(MockConfig {
            time_scale: 0.05,
            ..MockConfig::default()
        })
    }

    pub fn with(config: MockConfig) -> Mock {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(MockServer::start(config)).unwrap();
        Mock {
            server: Some(server),
            runtime,
        }
    }

    pub fn url(&self) -> String {
        self.server.as_ref().unwrap().url()
    }

    /// Queues faults (`POST /__mock/faults` syntax).
    pub fn fault(&self, spec: &str) {
        self.server.as_ref().unwrap().add_faults(spec).unwrap();
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }
}

/// A scratch directory, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "lasso-cli-{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, content).unwrap();
        path
    }

    /// The names of the files in it, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The command under test (program and leading arguments).
pub fn program() -> Vec<String> {
    match std::env::var("LASSO_CLI") {
        Ok(cmd) if !cmd.trim().is_empty() => cmd.split_whitespace().map(str::to_owned).collect(),
        _ => vec![env!("CARGO_BIN_EXE_lasso").to_owned()],
    }
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as one JSON document.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not one JSON document ({e}):\n{}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }

    /// stdout as NDJSON.
    pub fn ndjson(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
            .collect()
    }

    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "lasso failed:\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }
}

/// A `lasso` command with a clean environment: the mock's URL and key, and
/// a config file that does not exist (so the user's never interferes).
pub struct Lasso {
    cmd: Command,
    stdin: Option<Vec<u8>>,
}

impl Lasso {
    pub fn new(mock: Option<&Mock>, args: &[&str]) -> Lasso {
        let program = program();
        let mut cmd = Command::new(&program[0]);
        cmd.args(&program[1..]).args(args);
        for var in [
            "LASSO_API_KEY",
            "LASSO_BASE_URL",
            "LASSO_PROFILE",
            "LASSO_WEBHOOK_SECRET",
            "NO_COLOR",
        ] {
            cmd.env_remove(var);
        }
        cmd.env(
            "LASSO_CONFIG",
            std::env::temp_dir().join("lasso-cli-tests-no-such-config.toml"),
        );
        if let Some(mock) = mock {
            cmd.env("LASSO_API_KEY", KEY).env("LASSO_BASE_URL", mock.url());
        }
        Lasso { cmd, stdin: None }
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Lasso {
        self.cmd.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Lasso {
        self.cmd.env_remove(key);
        self
    }

    pub fn dir(mut self, dir: &Path) -> Lasso {
        self.cmd.current_dir(dir);
        self
    }

    pub fn stdin(mut self, input: &[u8]) -> Lasso {
        self.stdin = Some(input.to_vec());
        self
    }

    pub fn spawn(mut self) -> Child {
        self.cmd
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.cmd.spawn().expect("lasso starts");
        if let Some(input) = self.stdin.take() {
            let mut stdin = child.stdin.take().unwrap();
            std::thread::spawn(move || {
                let _ = stdin.write_all(&input);
            });
        }
        child
    }

    pub fn run(self) -> Run {
        let child = self.spawn();
        finish(child)
    }
}

pub fn finish(child: Child) -> Run {
    let output = child.wait_with_output().unwrap();
    let code = output.status.code().unwrap_or_else(|| {
        use std::os::unix::process::ExitStatusExt;
        128 + output.status.signal().unwrap_or(0)
    });
    Run {
        code,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `lasso ARGS` against `mock`.
pub fn lasso(mock: &Mock, args: &[&str]) -> Run {
    Lasso::new(Some(mock), args).run()
}

/// A schema file for `extract`.
pub const SCHEMA: &str = r#"{"name": "Bottles", "columns": [
  {"key": "name", "label": "Name", "type": "text", "required": true},
  {"key": "price", "label": "Price", "type": "number"}]}"#;

/// A small source file for `extract`.
pub const SOURCE: &str =
    "Trail bottle 750 ml, EUR 24.90\nSummit flask 1 l, EUR 34.50\nCity cup 350 ml, EUR 14.00\n";

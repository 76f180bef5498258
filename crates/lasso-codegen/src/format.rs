//! Every generated file goes through its language's formatter before it is written
//! or compared, so the committed files look like hand-formatted ones and the
//! language's own format check passes on them: rustfmt with the workspace's
//! `rustfmt.toml`, the pinned ruff of `.venv` (`python/requirements-dev.txt`,
//! settings in `python/pyproject.toml`) and the pinned prettier of
//! `node/node_modules` (`node/package.json`, settings in `node/.prettierrc.json`), and
//! the pinned ktfmt (Kotlin's style, 4 spaces) from the local Maven repository.
//! `./just setup` installs the last three.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository's root (this crate is `crates/lasso-codegen`).
pub fn root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// `text`, the contents of the generated file at `path` (from the repository's
/// root), as its language's formatter writes it. JSON is written formatted.
pub fn format(path: &str, text: String) -> Result<String, String> {
    let root = root();
    let file = root.join(path);
    let file = file.to_string_lossy();
    let (program, args, hint): (PathBuf, Vec<String>, &str) =
        match Path::new(path).extension().and_then(|e| e.to_str()) {
            Some("rs") => (
                std::env::var_os("RUSTFMT").map_or_else(|| "rustfmt".into(), PathBuf::from),
                vec![
                    "--edition".into(),
                    "2021".into(),
                    "--config-path".into(),
                    root.join("rustfmt.toml").to_string_lossy().into_owned(),
                ],
                "run `rustup component add rustfmt`",
            ),
            Some("py") => (
                root.join(".venv/bin/ruff"),
                vec![
                    "format".into(),
                    "--stdin-filename".into(),
                    file.into_owned(),
                    "-".into(),
                ],
                "run `./just setup`",
            ),
            Some("kt") => (
                "java".into(),
                vec![
                    "-jar".into(),
                    ktfmt_jar().to_string_lossy().into_owned(),
                    "--kotlinlang-style".into(),
                    format!("--stdin-name={file}"),
                    "-".into(),
                ],
                "run `./just setup` (it fetches ktfmt into ~/.m2 with Maven)",
            ),
            Some("ts") => (
                root.join("node/node_modules/.bin/prettier"),
                vec!["--stdin-filepath".into(), file.into_owned()],
                "run `./just setup`",
            ),
            _ => return Ok(text),
        };
    run(&program, &args, &root, &text, hint).map_err(|why| format!("{path}: {why}"))
}

/// The version of ktfmt that formats the generated Kotlin (`./just setup` fetches it).
pub const KTFMT_VERSION: &str = "0.61";

/// The ktfmt jar in the local Maven repository (`~/.m2/repository`).
fn ktfmt_jar() -> PathBuf {
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from);
    home.join(format!(
        ".m2/repository/com/facebook/ktfmt/{KTFMT_VERSION}/ktfmt-{KTFMT_VERSION}-with-dependencies.jar"
    ))
}

/// Runs `program args` in `dir` with `input` on its standard input; its output.
fn run(program: &Path, args: &[String], dir: &Path, input: &str, hint: &str) -> Result<String, String> {
    let name = program.display();
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the formatter {name} ({e}): {hint}"))?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // Written from another thread: a formatter may fill its output pipe before
    // it has read all of its input.
    let output = std::thread::scope(|s| {
        s.spawn(move || {
            // A formatter that stops reading fails, and says why on stderr.
            let _ = stdin.write_all(input.as_bytes());
        });
        child.wait_with_output()
    })
    .map_err(|e| format!("the formatter {name} failed: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "the formatter {name} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("the formatter {name} wrote non-UTF-8 output: {e}"))
}

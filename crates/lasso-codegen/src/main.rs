//! `cargo run -p lasso-codegen` rewrites the generated language surfaces;
//! `cargo run -p lasso-codegen -- --check` fails when they are stale.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut stale = Vec::new();
    for (path, text) in lasso_codegen::outputs() {
        let file: PathBuf = root.join(path);
        let current = std::fs::read_to_string(&file).unwrap_or_default();
        if current == text {
            continue;
        }
        if check {
            stale.push(path);
        } else if let Err(e) = std::fs::write(&file, text) {
            eprintln!("cannot write {}: {e}", file.display());
            return ExitCode::FAILURE;
        } else {
            println!("wrote {path}");
        }
    }
    if !stale.is_empty() {
        eprintln!(
            "stale generated files (run `./just codegen`): {}",
            stale.join(", ")
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

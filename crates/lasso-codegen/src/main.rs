//! `./just codegen` (`cargo run -p lasso-codegen`) rewrites every generated file;
//! `cargo run -p lasso-codegen -- --check` fails when one is stale.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let root = lasso_codegen::format::root();
    let mut stale = Vec::new();
    let outputs = match lasso_codegen::outputs() {
        Ok(outputs) => outputs,
        Err(e) => {
            eprintln!("lasso-codegen: {e}");
            return ExitCode::FAILURE;
        }
    };
    for (path, text) in outputs {
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

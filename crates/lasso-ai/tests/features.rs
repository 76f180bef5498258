//! What depending on lasso-ai does to a user's build, read from `cargo tree`
//! (resolved for this crate alone, as a dependent resolves it): no serde_json
//! `preserve_order`, no tokio features beyond what the core uses, `webhooks`
//! alone without tokio or hyper, `native-tls` alone without rustls, one
//! version of rustls-platform-verifier. The
//! builds with `--no-default-features` are checked by `./just lint`, and a
//! program outside the workspace by `./just dependents`.

use std::process::Command;

/// `cargo tree -p lasso-ai` with these arguments, normal dependencies only, one
/// line per crate or feature, for the host unless `args` names a `--target`.
fn tree(args: &[&str]) -> String {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "tree",
            "-q",
            "--offline",
            "-p",
            "lasso-ai",
            "-e",
            "normal",
            "--prefix",
            "none",
        ])
        .args(args)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo tree {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The features of `package` that the tree switches on.
fn features_of(package: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["-e", "features", "-i", package];
    args.extend_from_slice(extra);
    let prefix = format!("{package} feature \"");
    let mut found: Vec<String> = tree(&args)
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .filter_map(|l| l.split('"').next())
        .map(str::to_owned)
        .collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn serde_json_keeps_its_default_map_so_a_dependent_s_json_is_unchanged() {
    let features = features_of("serde_json", &[]);
    assert!(
        !features.iter().any(|f| f == "preserve_order"),
        "lasso-ai switches on serde_json/preserve_order, which reorders every dependent's JSON maps: {features:?}"
    );
}

#[test]
fn tokio_gets_only_the_features_the_core_uses() {
    let features = features_of("tokio", &[]);
    for forced in ["macros", "signal", "rt-multi-thread", "full"] {
        assert!(
            !features.iter().any(|f| f == forced),
            "lasso-ai forces tokio/{forced} on its users: {features:?}"
        );
    }
}

#[test]
fn webhooks_alone_builds_without_tokio_hyper_or_a_tls_stack() {
    let crates = tree(&["--no-default-features", "--features", "webhooks"]);
    for heavy in ["tokio ", "hyper ", "rustls ", "reqwest "] {
        assert!(
            !crates.lines().any(|l| l.starts_with(heavy)),
            "`webhooks` alone pulls in {heavy}:\n{crates}"
        );
    }
    assert!(crates.lines().any(|l| l.starts_with("hmac ")), "{crates}");
}

#[test]
fn native_tls_alone_builds_without_rustls() {
    let crates = tree(&["--no-default-features", "--features", "native-tls"]);
    for other in ["rustls ", "hyper-rustls ", "ring "] {
        assert!(
            !crates.lines().any(|l| l.starts_with(other)),
            "`native-tls` alone pulls in {other}:\n{crates}"
        );
    }
    for wanted in ["native-tls ", "hyper-tls "] {
        assert!(crates.lines().any(|l| l.starts_with(wanted)), "{crates}");
    }
}

#[test]
fn one_version_of_each_tls_crate() {
    // macOS: where rustls-platform-verifier is used (Linux reads the trust store
    // itself); its crates are in the offline registry, unlike every platform's.
    let crates = tree(&["--target", "x86_64-apple-darwin"]);
    assert!(
        crates.lines().any(|l| l.starts_with("rustls-platform-verifier ")),
        "{crates}"
    );
    for name in ["rustls-platform-verifier ", "rustls ", "hyper "] {
        // `name vX.Y.Z`, without the `(*)` of a crate listed again.
        let mut versions: Vec<String> = crates
            .lines()
            .filter(|l| l.starts_with(name))
            .map(|l| l.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
            .collect();
        versions.sort_unstable();
        versions.dedup();
        assert!(versions.len() <= 1, "several versions: {versions:?}");
    }
}

//! One version for everything: the workspace's `version` (Cargo.toml) is the version
//! of every crate, the Python package (maturin reads it from Cargo.toml), the npm
//! packages, the Maven artifact, the install lines of the READMEs and the newest entry
//! of CHANGELOG.md. A release bumps them together; this test names what was missed.
//! (`scripts/dist/inspect_artifacts.py` checks the same of the built artifacts.)

use std::path::Path;

fn read(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text between `before` and the next `after` following it, for each occurrence.
fn between<'a>(text: &'a str, before: &str, after: &str) -> Vec<&'a str> {
    text.match_indices(before)
        .filter_map(|(at, _)| {
            let rest = &text[at + before.len()..];
            rest.find(after).map(|end| &rest[..end])
        })
        .collect()
}

fn workspace_version() -> String {
    let cargo = read("Cargo.toml");
    let package = &cargo[cargo.find("[workspace.package]").expect("[workspace.package]")..];
    between(package, "\nversion = \"", "\"")[0].to_string()
}

#[test]
fn every_package_and_install_line_has_the_workspace_version() {
    let v = workspace_version();
    let mut wrong: Vec<String> = Vec::new();
    let expect = |wrong: &mut Vec<String>, what: &str, found: Vec<&str>| {
        if found.is_empty() || found.iter().any(|f| *f != v) {
            wrong.push(format!("{what}: {found:?}"));
        }
    };

    // The internal crates are depended on at the workspace version (crates.io needs it).
    let cargo = read("Cargo.toml");
    for krate in ["lasso-ai", "lasso-spec", "lasso-mock", "lasso-cli"] {
        let line = between(&cargo, &format!("\n{krate} = {{"), "}");
        expect(
            &mut wrong,
            &format!("Cargo.toml [workspace.dependencies] {krate}"),
            line.iter()
                .flat_map(|l| between(l, "version = \"", "\""))
                .collect(),
        );
    }
    for manifest in [
        "crates/lasso-ai/Cargo.toml",
        "crates/lasso-spec/Cargo.toml",
        "crates/lasso-mock/Cargo.toml",
        "crates/lasso-cli/Cargo.toml",
        "bindings/pyo3/Cargo.toml",
        "bindings/napi/Cargo.toml",
        "bindings/uniffi/Cargo.toml",
    ] {
        let text = read(manifest);
        if !text.contains("\nversion.workspace = true") {
            wrong.push(format!("{manifest}: not `version.workspace = true`"));
        }
    }
    // Python: maturin takes the version of bindings/pyo3, i.e. the workspace's.
    let pyproject = read("python/pyproject.toml");
    if !pyproject.contains("dynamic = [\"version\"]") || pyproject.contains("\nversion = ") {
        wrong.push("python/pyproject.toml: the version must stay dynamic (from Cargo.toml)".into());
    }
    let package_json = read("node/package.json");
    expect(
        &mut wrong,
        "node/package.json",
        between(&package_json, "\n  \"version\": \"", "\""),
    );
    expect(
        &mut wrong,
        "node/src/version.ts",
        between(&read("node/src/version.ts"), "export const VERSION = \"", "\""),
    );
    let pom = read("kotlin/pom.xml");
    expect(
        &mut wrong,
        "kotlin/pom.xml",
        between(
            &pom,
            "<artifactId>lasso-sdk</artifactId>\n  <version>",
            "</version>",
        ),
    );
    expect(
        &mut wrong,
        "kotlin LassoClient.kt VERSION",
        between(
            &read("kotlin/src/main/kotlin/ai/lasso/LassoClient.kt"),
            "const val VERSION: String = \"",
            "\"",
        ),
    );
    expect(
        &mut wrong,
        "kotlin/README.md dependency",
        between(
            &read("kotlin/README.md"),
            "<artifactId>lasso-sdk</artifactId>\n  <version>",
            "</version>",
        ),
    );
    expect(
        &mut wrong,
        "README.md Maven line",
        between(&read("README.md"), "ai.lasso:lasso-sdk:", "`"),
    );
    let changelog = read("CHANGELOG.md");
    expect(
        &mut wrong,
        "CHANGELOG.md newest release",
        between(&changelog, "\n## [", "]")
            .into_iter()
            .filter(|h| *h != "Unreleased")
            .take(1)
            .collect(),
    );

    assert!(
        wrong.is_empty(),
        "not at the workspace version {v}:\n  {}",
        wrong.join("\n  ")
    );
}

//! The Configuration table of the top README, Rust column: every name in it is an
//! item of this crate's public API, as `public-api.txt` lists it (that listing is
//! itself checked against the source by `public_api.rs`).

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .parent()
        .unwrap()
}

/// The table's rows as (setting, env var cell, Rust cell).
fn rows() -> Vec<(String, String, String)> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme.find("## Configuration").expect("a Configuration section");
    let end = readme[start + 1..]
        .find("\n## ")
        .map_or(readme.len(), |i| start + 1 + i);
    readme[start..end]
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Setting"))
        .map(|line| {
            let cells: Vec<String> = line
                .trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_owned())
                .collect();
            assert_eq!(cells.len(), 7, "{line}");
            (cells[0].clone(), cells[1].clone(), cells[2].clone())
        })
        .collect()
}

/// The `code` spans of a cell.
fn names(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// Where a name of the Rust column lives, as the listing spells items: `.x(…)` is a
/// builder or per-call setter, `wait_for_completion(id).x(…)` a wait setter, a
/// `Type::item` or a `CONSTANT` an item of the crate root, a bare name a field or
/// setter of `RequestOptions` (listed after `RequestOptions::…` in the same cell).
fn candidates(name: &str) -> Vec<String> {
    let path = name.split('(').next().unwrap();
    if let Some(setter) = name.strip_prefix("wait_for_completion(id).") {
        let setter = setter.split('(').next().unwrap();
        return vec![format!("lasso_ai::WaitForCompletion::{setter}(")];
    }
    if let Some(method) = path.strip_prefix("client.") {
        return vec![format!("lasso_ai::Client::{method}(")];
    }
    if let Some(setter) = path.strip_prefix('.') {
        return vec![
            format!("lasso_ai::ClientBuilder::{setter}("),
            format!("lasso_ai::RequestOptions::{setter}("),
        ];
    }
    if path.contains("::") {
        return vec![format!("lasso_ai::{path}("), format!("lasso_ai::{path}:")];
    }
    if path.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
        return vec![format!("lasso_ai::{path}:")];
    }
    vec![format!("lasso_ai::RequestOptions::{path}(")]
}

#[test]
fn every_rust_name_of_the_configuration_table_is_public_api() {
    let listing = std::fs::read_to_string(root().join("crates/lasso-ai/public-api.txt")).unwrap();
    let rows = rows();
    assert!(rows.len() >= 15, "{} rows", rows.len());
    let mut missing = Vec::new();
    for (setting, env, rust) in &rows {
        let cell = names(rust);
        assert!(!cell.is_empty(), "{setting}: no Rust name");
        for name in cell {
            // An environment variable the row names (e.g. "else `LASSO_LOG` to stderr").
            if env.contains(&format!("`{name}`")) {
                continue;
            }
            let found = candidates(name).iter().any(|c| listing.contains(c.as_str()));
            if !found {
                missing.push(format!("{setting}: `{name}` (looked for {:?})", candidates(name)));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not in the public API:\n{}",
        missing.join("\n")
    );
}

#[test]
fn a_name_that_is_not_public_api_is_caught() {
    let listing = std::fs::read_to_string(root().join("crates/lasso-ai/public-api.txt")).unwrap();
    for made_up in [
        ".time_out(d)",
        "RequestOptions::retries",
        "wait_for_completion(id).every(d)",
        "NO_LIMIT",
    ] {
        assert!(
            !candidates(made_up).iter().any(|c| listing.contains(c.as_str())),
            "{made_up} was taken for public API"
        );
    }
}

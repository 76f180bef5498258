//! Every file that restates the spec, generated from [`lasso_spec`]: the operation
//! table ([`lasso_spec::OPERATIONS`]), the models and the error table: Rust, Python,
//! TypeScript and Kotlin. Every language
//! exposes every operation with the same names, arguments and response types and
//! raises the same error classes (ARCHITECTURE.md, rules 2 and 3); the emulator's
//! endpoint list and `tests/manifest.json` come from the same tables.

pub mod api_docs;
pub mod format;
mod json;
mod kotlin;
mod kotlin_client;
mod kotlin_errors;
mod kotlin_helpers;
mod kotlin_types;
mod manifest;
mod mock;
mod names;
mod python;
mod python_client;
mod python_errors;
mod python_types;
mod rust;
mod rust_errors;
mod rust_examples;
mod rust_types;
mod typescript;
mod typescript_client;
mod typescript_errors;
mod typescript_helpers;
mod typescript_types;

use lasso_spec::models::model_named;
use lasso_spec::operation::{Operation, Paging, Ty, OPERATIONS};

/// Each generated file, as committed: its path from the repository root and its
/// contents, formatted by its language's formatter (see [`mod@format`]). Fails when a
/// formatter is missing or fails.
pub fn outputs() -> Result<Vec<(&'static str, String)>, String> {
    let rendered = rendered_with_manifest()?;
    // One formatter process per file, all at once.
    let mut files: Vec<(&'static str, String)> = std::thread::scope(|s| {
        let jobs: Vec<_> = rendered
            .into_iter()
            .map(|(path, text)| (path, s.spawn(move || format::format(path, text))))
            .collect();
        jobs.into_iter()
            .map(|(path, job)| Ok((path, job.join().expect("a formatter thread panicked")?)))
            .collect::<Result<_, String>>()
    })?;
    // The generated regions of a hand-written file: written in ktfmt's layout by the
    // generator, since ktfmt would reformat the hand-written rest too.
    let path = kotlin_client::PATH;
    let current =
        std::fs::read_to_string(format::root().join(path)).map_err(|e| format!("cannot read {path}: {e}"))?;
    files.push((path, kotlin_client::apply(&current)?));
    Ok(files)
}

/// Each generated file as the generators write it, before formatting, and
/// `tests/manifest.json` (which reads the spec's source to hash it).
pub fn rendered_with_manifest() -> Result<Vec<(&'static str, String)>, String> {
    let mut files = rendered();
    files.push(("tests/manifest.json", manifest::render()?));
    Ok(files)
}

/// Each generated file but the manifest, as the generators write it, before formatting.
pub fn rendered() -> Vec<(&'static str, String)> {
    vec![
        ("python/lasso/_generated.py", python::render(&groups())),
        ("node/src/generated.ts", typescript::render(&groups())),
        (typescript_helpers::PATH, typescript_helpers::render(&groups())),
        ("crates/lasso-ai/src/generated.rs", rust::render(&groups())),
        ("crates/lasso-ai/src/types.rs", rust_types::render()),
        ("crates/lasso-ai/src/error_kind.rs", rust_errors::render()),
        (
            "crates/lasso-ai/tests/doc_examples.rs",
            rust_examples::render_tests(&groups()),
        ),
        ("python/lasso/types.py", python_types::render()),
        ("node/src/types.ts", typescript_types::render()),
        ("node/src/client-options.ts", typescript_client::render()),
        ("python/lasso/_error_classes.py", python_errors::render()),
        ("node/src/error-classes.ts", typescript_errors::render()),
        ("tests/conformance/error_classes.json", json::error_classes()),
        ("crates/lasso-mock/src/operation_generated.rs", mock::render()),
        ("crates/lasso-mock/src/accepted.rs", mock::render_accepted()),
        (KOTLIN_OPERATIONS, kotlin::render(&groups())),
        (KOTLIN_TYPES, kotlin_types::render()),
        (KOTLIN_ERRORS, kotlin_errors::render()),
        (KOTLIN_HELPERS, kotlin_helpers::render(&groups())),
        (
            api_docs::Lang::Node.path(),
            api_docs::render(api_docs::Lang::Node, &groups()),
        ),
        (
            api_docs::Lang::Kotlin.path(),
            api_docs::render(api_docs::Lang::Kotlin, &groups()),
        ),
        (
            api_docs::Lang::Python.path(),
            api_docs::render(api_docs::Lang::Python, &groups()),
        ),
        (
            api_docs::Lang::Rust.path(),
            api_docs::render(api_docs::Lang::Rust, &groups()),
        ),
    ]
}

/// The Kotlin package's generated files (`kotlin/`, package `ai.lasso`).
pub const KOTLIN_OPERATIONS: &str = "kotlin/src/main/kotlin/ai/lasso/generated/Operations.kt";
/// The Kotlin response models and enumerations.
pub const KOTLIN_TYPES: &str = "kotlin/src/main/kotlin/ai/lasso/generated/Types.kt";
/// The Kotlin exception classes and the code → class table.
pub const KOTLIN_ERRORS: &str = "kotlin/src/main/kotlin/ai/lasso/generated/Exceptions.kt";
/// The Kotlin helper methods (waits, uploads, exports) over the hand-written runtime.
pub const KOTLIN_HELPERS: &str = "kotlin/src/main/kotlin/ai/lasso/generated/HelperMethods.kt";

/// Operations grouped by resource (`""` for the client's own methods, like
/// `search`), in table order; custom operations are served by hand-written helpers.
pub(crate) struct Group {
    /// `tables`, `catalog.webhooks`, or `""`.
    pub resource: &'static str,
    pub ops: Vec<&'static Operation>,
}

pub(crate) fn groups() -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for op in OPERATIONS.iter().filter(|op| !op.custom) {
        let resource = names::resource_of(op.id);
        match groups.iter_mut().find(|g| g.resource == resource) {
            Some(g) => g.ops.push(op),
            None => groups.push(Group {
                resource,
                ops: vec![op],
            }),
        }
    }
    groups
}

/// The model of the items a list operation's iterator yields.
pub(crate) fn item_model(op: &Operation) -> Option<&'static str> {
    let model = model_named(op.returns?)?;
    match op.paging {
        Paging::None => None,
        Paging::Page => model.items_of("data"),
        Paging::Cursor { items, .. } => model.items_of(items),
    }
}

/// Every model the generated methods of `groups` return or iterate, sorted.
pub(crate) fn returned_models(groups: &[Group]) -> Vec<&'static str> {
    let mut names: Vec<&str> = groups
        .iter()
        .flat_map(|g| &g.ops)
        .flat_map(|op| [op.returns, item_model(op)])
        .flatten()
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Every model the generated methods of `groups` return or iterate, and every
/// enumeration their parameters take, sorted: what the Python and TypeScript
/// surfaces import from their types module.
pub(crate) fn referenced_types(groups: &[Group]) -> Vec<&'static str> {
    let mut names = returned_models(groups);
    names.extend(
        groups
            .iter()
            .flat_map(|g| &g.ops)
            .flat_map(|op| op.params)
            .filter_map(|p| match p.ty {
                Ty::Enum(name) | Ty::EnumList(name) => Some(name),
                _ => None,
            }),
    );
    names.sort_unstable();
    names.dedup();
    names
}

/// The first line of every generated file: what made it and how to remake it.
/// `source` is the file of `crates/lasso-spec/src` it comes from (`""`: the whole crate).
pub(crate) fn header(comment: &str, source: &str) -> String {
    let from = match source {
        "" => "crates/lasso-spec".to_owned(),
        file => format!("crates/lasso-spec/src/{file}"),
    };
    format!("{comment} Generated by lasso-codegen from {from}: do not edit (run `./just codegen`).\n")
}

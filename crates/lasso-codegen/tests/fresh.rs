//! Fails when a generated file no longer matches lasso-spec (or the generators, or
//! a formatter's output): run `./just codegen` and commit the result.

/// Every generated file: the method surfaces, the response types, the error classes.
const GENERATED: &[&str] = &[
    "python/lasso/_generated.py",
    "node/src/generated.ts",
    "node/src/generated-helpers.ts",
    "crates/lasso-ai/src/generated.rs",
    "crates/lasso-ai/src/types.rs",
    "crates/lasso-ai/src/error_kind.rs",
    "crates/lasso-ai/tests/doc_examples.rs",
    "python/lasso/types.py",
    "node/src/types.ts",
    "node/src/client-options.ts",
    "python/lasso/_error_classes.py",
    "node/src/error-classes.ts",
    "tests/conformance/error_classes.json",
    "crates/lasso-mock/src/operation_generated.rs",
    "crates/lasso-mock/src/accepted.rs",
    "kotlin/src/main/kotlin/ai/lasso/generated/Operations.kt",
    "kotlin/src/main/kotlin/ai/lasso/generated/Types.kt",
    "kotlin/src/main/kotlin/ai/lasso/generated/Exceptions.kt",
    "kotlin/src/main/kotlin/ai/lasso/generated/HelperMethods.kt",
    "node/api.md",
    "kotlin/api.md",
    "python/api.md",
    "crates/lasso-ai/api.md",
    "tests/manifest.json",
    // Hand-written, with generated regions (the client's options).
    "kotlin/src/main/kotlin/ai/lasso/LassoClient.kt",
];

const METHODS: &[&str] = &[
    "python/lasso/_generated.py",
    "node/src/generated.ts",
    "crates/lasso-ai/src/generated.rs",
    "kotlin/src/main/kotlin/ai/lasso/generated/Operations.kt",
];

const TYPES: &[&str] = &[
    "crates/lasso-ai/src/types.rs",
    "python/lasso/types.py",
    "node/src/types.ts",
    "kotlin/src/main/kotlin/ai/lasso/generated/Types.kt",
];

#[test]
fn generated_files_are_up_to_date() {
    let root = lasso_codegen::format::root();
    let outputs = lasso_codegen::outputs().unwrap_or_else(|e| panic!("{e}"));
    let paths: Vec<&str> = outputs.iter().map(|(path, _)| *path).collect();
    assert_eq!(paths, GENERATED, "a generated file is not checked here");
    let stale: Vec<&str> = outputs
        .iter()
        .filter(|(path, expected)| std::fs::read_to_string(root.join(path)).ok().as_ref() != Some(expected))
        .map(|(path, _)| *path)
        .collect();
    assert!(
        stale.is_empty(),
        "stale generated files: {}; run `./just codegen` and commit them",
        stale.join(", ")
    );
}

#[test]
fn every_generated_method_names_its_operation() {
    for (path, text) in lasso_codegen::rendered()
        .into_iter()
        .filter(|(p, _)| METHODS.contains(p))
    {
        for op in lasso_spec::operation::OPERATIONS.iter().filter(|op| !op.custom) {
            assert!(text.contains(&format!("\"{}\"", op.id)), "{path} lacks {}", op.id);
        }
    }
}

#[test]
fn every_model_and_enum_is_in_every_language() {
    use lasso_spec::models::{ENUMS, MODELS};
    for (path, text) in lasso_codegen::rendered()
        .into_iter()
        .filter(|(p, _)| TYPES.contains(p))
    {
        let names = ENUMS.iter().map(|e| e.name).chain(
            MODELS
                .iter()
                // Python 3.9 has no generic TypedDict: each page spells out `Page`'s fields.
                .filter(|m| !(path.ends_with(".py") && m.is_generic()))
                .map(|m| m.name),
        );
        for name in names {
            let declared = [
                format!("pub struct {name}"),
                format!("pub enum {name} "),
                format!("pub type {name} "),
                format!("class {name}("),
                format!("\n{name} = "),
                format!("export interface {name}"),
                format!("export type {name} "),
                format!("public data class {name}("),
                format!("public data class {name}<T>("),
                format!("public class {name} private constructor"),
                format!("public typealias {name} = "),
            ];
            assert!(
                declared.iter().any(|d| text.contains(d.as_str())),
                "{path} lacks {name}"
            );
        }
    }
}

#[test]
fn every_error_class_and_code_is_in_every_language() {
    use lasso_spec::errors::{error_classes, ERRORS};
    let rendered = lasso_codegen::rendered();
    let text = |path: &str| &rendered.iter().find(|(p, _)| *p == path).unwrap().1;
    for e in error_classes() {
        let name = format!("{}Error", e.class);
        assert!(text("python/lasso/_error_classes.py").contains(&format!("\nclass {name}(")));
        assert!(text("python/lasso/_error_classes.py").contains(&format!("    \"{name}\",\n")));
        assert!(text("node/src/error-classes.ts").contains(&format!("\nexport class {name} extends ")));
        let kotlin = format!("{}Exception", e.class);
        assert!(text(lasso_codegen::KOTLIN_ERRORS).contains(&format!("\npublic open class {kotlin}(")));
    }
    for e in ERRORS {
        let name = format!("{}Error", e.class);
        assert!(text("python/lasso/_error_classes.py").contains(&format!("    \"{}\": {name},\n", e.code)));
        assert!(text("node/src/error-classes.ts").contains(&format!("  {}: {name},\n", e.code)));
        assert!(text("tests/conformance/error_classes.json").contains(&format!("\"{}\": \"{name}\"", e.code)));
        let kotlin = format!("{}Exception", e.class);
        assert!(text(lasso_codegen::KOTLIN_ERRORS).contains(&format!("        \"{}\" to {{ m, f, ", e.code)));
        assert!(text(lasso_codegen::KOTLIN_ERRORS).contains(&format!("-> {kotlin}(m, f")));
    }
}

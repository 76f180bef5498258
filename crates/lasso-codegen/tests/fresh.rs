//! Fails when a generated language surface no longer matches the operation table or
//! the response models: run `./just codegen` and commit the result.

/// Every generated file: the method surfaces, then the response types.
const GENERATED: &[&str] = &[
    "python/lasso/_generated.py",
    "node/src/generated.ts",
    "crates/lasso-ai/src/generated.rs",
    "crates/lasso-ai/src/types.rs",
    "python/lasso/types.py",
    "node/src/types.ts",
];

const TYPES: &[&str] = &[
    "crates/lasso-ai/src/types.rs",
    "python/lasso/types.py",
    "node/src/types.ts",
];

#[test]
fn generated_files_are_up_to_date() {
    let root = lasso_codegen::format::root();
    let outputs = lasso_codegen::outputs().unwrap_or_else(|e| panic!("{e}"));
    let paths: Vec<&str> = outputs.iter().map(|(path, _)| *path).collect();
    assert_eq!(paths, GENERATED, "a generated file is not checked here");
    for (path, expected) in outputs {
        let committed = std::fs::read_to_string(root.join(path)).unwrap_or_default();
        assert!(
            committed == expected,
            "{path} is stale: run `./just codegen` and commit it"
        );
    }
}

#[test]
fn every_generated_method_names_its_operation() {
    for (path, text) in lasso_codegen::rendered()
        .into_iter()
        .filter(|(p, _)| !TYPES.contains(p))
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
            ];
            assert!(
                declared.iter().any(|d| text.contains(d.as_str())),
                "{path} lacks {name}"
            );
        }
    }
}

//! Fails when a generated language surface no longer matches the operation table:
//! run `./just codegen` and commit the result.

use std::path::Path;

#[test]
fn generated_files_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for (path, expected) in lasso_codegen::outputs() {
        let committed = std::fs::read_to_string(root.join(path)).unwrap_or_default();
        assert!(
            committed == expected,
            "{path} is stale: run `./just codegen` and commit it"
        );
    }
}

#[test]
fn every_generated_method_names_its_operation() {
    for (path, text) in lasso_codegen::outputs() {
        for op in lasso_ai::operation::OPERATIONS.iter().filter(|op| !op.custom) {
            assert!(text.contains(&format!("\"{}\"", op.id)), "{path} lacks {}", op.id);
        }
    }
}

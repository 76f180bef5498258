//! The Python and TypeScript resource classes, generated from
//! [`lasso_ai::operation::OPERATIONS`] so that every language exposes every
//! operation with the same names and arguments (ARCHITECTURE.md, rule 2).

mod names;
mod python;
mod rust;
mod typescript;

use lasso_ai::operation::{Operation, OPERATIONS};

/// Each generated file: its path from the repository root and its contents.
pub fn outputs() -> Vec<(&'static str, String)> {
    vec![
        ("python/lasso/_generated.py", python::render(&groups())),
        ("node/src/generated.ts", typescript::render(&groups())),
        ("crates/lasso-ai/src/generated.rs", rust::render(&groups())),
    ]
}

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

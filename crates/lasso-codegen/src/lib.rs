//! The language surfaces, generated from [`lasso_ai::operation::OPERATIONS`] and
//! [`lasso_ai::models`] so that every language exposes every operation with the
//! same names, arguments and response types (ARCHITECTURE.md, rule 2).

mod names;
mod python;
mod python_types;
mod rust;
mod rust_types;
mod typescript;
mod typescript_types;

use lasso_ai::models::model_named;
use lasso_ai::operation::{Operation, Paging, OPERATIONS};

/// Each generated file: its path from the repository root and its contents.
pub fn outputs() -> Vec<(&'static str, String)> {
    vec![
        ("python/lasso/_generated.py", python::render(&groups())),
        ("node/src/generated.ts", typescript::render(&groups())),
        ("crates/lasso-ai/src/generated.rs", rust::render(&groups())),
        ("crates/lasso-ai/src/types.rs", rust_types::render()),
        ("python/lasso/types.py", python_types::render()),
        ("node/src/types.ts", typescript_types::render()),
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

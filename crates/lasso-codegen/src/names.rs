//! Names derived from operation ids and parameter names.

use lasso_spec::operation::Operation;

/// `tables.create_rows` → `tables`; `catalog.webhooks.list` → `catalog.webhooks`; `search` → ``.
pub fn resource_of(id: &'static str) -> &'static str {
    id.rsplit_once('.').map(|(r, _)| r).unwrap_or("")
}

/// `tables.create_rows` → `create_rows`.
pub fn method_of(id: &str) -> &str {
    id.rsplit_once('.').map(|(_, m)| m).unwrap_or(id)
}

/// The auto-paginating twin of a list operation in snake case (Python, Rust):
/// `iter` for `list`, `iter_rows` for `rows`.
pub fn snake_iter_name(op: &Operation) -> String {
    match method_of(op.id) {
        "list" => "iter".to_owned(),
        other => format!("iter_{other}"),
    }
}

/// `catalog.webhooks` → `CatalogWebhooks`.
pub fn class_of(resource: &str) -> String {
    resource.split(['.', '_']).map(capitalize).collect()
}

/// `create_rows` → `createRows`.
pub fn camel(snake: &str) -> String {
    let mut parts = snake.split('_');
    let mut out = parts.next().unwrap_or("").to_owned();
    out.extend(parts.map(capitalize));
    out
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A Python identifier for a wire name (`from` → `from_`).
pub fn python_ident(name: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "from", "import", "class", "def", "global", "lambda", "pass", "in", "is", "not", "and", "or",
    ];
    if KEYWORDS.contains(&name) {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

/// A wire value as a type or variant name: `queued_for_processing` →
/// `QueuedForProcessing`, `product.created` → `ProductCreated`.
pub fn variant_of(value: &str) -> String {
    value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(capitalize)
        .collect()
}

/// `doc` with each `{Class}` of the spec's error table spelt by `class_name`, in
/// backticks: `raises {InvalidApiKey}` → ``raises `InvalidApiKeyError` ``.
pub fn with_error_classes(doc: &str, class_name: fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = doc;
    while let Some((before, after)) = rest.split_once('{') {
        let (class, tail) = after.split_once('}').expect("a `{` in a doc closes");
        out.push_str(before);
        out.push_str(&format!("`{}`", class_name(class)));
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// The sentence that gives a client option's default, ` Default 64.`, with
/// `duration` saying a duration's (in milliseconds) in the language's unit.
pub fn default_sentence(o: &lasso_spec::ClientOption, duration: impl Fn(u64) -> String) -> String {
    match (o.ty, o.default) {
        (lasso_spec::ClientOptionTy::Duration, Some(ms)) => duration(ms),
        (lasso_spec::ClientOptionTy::Bytes, Some(bytes)) if bytes % (1 << 20) == 0 => {
            format!(" Default {} MiB.", bytes >> 20)
        }
        (_, Some(n)) => format!(" Default {n}."),
        (_, None) => String::new(),
    }
}

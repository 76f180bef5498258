//! `node/src/generated.ts`: one method per operation, with a params interface each.

use std::fmt::Write;

use lasso_spec::operation::{Loc, Operation, Paging, Param, ResponseKind, Ty};

use crate::names::{camel, class_of, method_of};
use crate::Group;

/// What an operation resolves to: its model (see `Operation::returns`), `void`
/// for an empty response.
pub(crate) fn response_type(op: &Operation) -> String {
    match op.returns {
        _ if op.response == ResponseKind::Empty => "void".to_owned(),
        Some(model) => model.to_owned(),
        None => "JsonObject".to_owned(),
    }
}

/// The items of a list operation, as its iterator yields them.
pub(crate) fn item_type(op: &Operation) -> &'static str {
    crate::item_model(op).unwrap_or("JsonObject")
}

pub fn render(groups: &[Group]) -> String {
    let mut out = crate::header("//", "operations.rs");
    out.push_str("import type { APIPromise } from \"./api-promise\";\nimport { APIResource, type Caller, type RequestOptions } from \"./resources/base\";\n");
    writeln!(
        out,
        "import type {{ {} }} from \"./types\";\n",
        crate::referenced_types(groups).join(", ")
    )
    .unwrap();
    out.push_str(
        "/** A JSON object as the API returns it. */\n\
         export type JsonObject = Record<string, unknown>;\n\n\
         /** The arguments that were given (`undefined` ones are not sent). */\n\
         function given(args: Record<string, unknown>): Record<string, unknown> {\n  \
           for (const key of Object.keys(args)) if (args[key] === undefined) delete args[key];\n  \
           return args;\n}\n",
    );
    for group in groups {
        for op in &group.ops {
            render_params(&mut out, op);
        }
    }
    for group in groups.iter().filter(|g| !g.resource.is_empty()) {
        let children: Vec<&Group> = groups
            .iter()
            .filter(|c| {
                c.resource
                    .strip_prefix(group.resource)
                    .and_then(|r| r.strip_prefix('.'))
                    .is_some_and(|r| !r.contains('.'))
            })
            .collect();
        write!(
            out,
            "\n/** `client.{}`: {} operations. */\nexport class {} extends APIResource {{\n",
            camel_path(group.resource),
            group.resource,
            class_of(group.resource)
        )
        .unwrap();
        if !children.is_empty() {
            for c in &children {
                writeln!(
                    out,
                    "  /** `{}` operations. */\n  readonly {}: {};",
                    c.resource,
                    camel(method_of(c.resource)),
                    class_of(c.resource)
                )
                .unwrap();
            }
            out.push_str("\n  /** @param client The owning client. */\n  constructor(client: Caller) {\n    super(client);\n");
            for c in &children {
                writeln!(
                    out,
                    "    this.{} = new {}(client);",
                    camel(method_of(c.resource)),
                    class_of(c.resource)
                )
                .unwrap();
            }
            out.push_str("  }\n");
        }
        for op in &group.ops {
            render_method(&mut out, op, "this._client");
        }
        out.push_str("}\n");
    }
    let top: Vec<&Group> = groups
        .iter()
        .filter(|g| !g.resource.is_empty() && !g.resource.contains('.'))
        .collect();
    out.push_str("\n/** The client's own operations and its resource namespaces. */\nexport abstract class ClientMethods implements Caller {\n");
    for g in &top {
        writeln!(
            out,
            "  /** `{}` operations. */\n  readonly {}: {};",
            g.resource,
            camel(g.resource),
            class_of(g.resource)
        )
        .unwrap();
    }
    out.push_str(
        "\n  /** Builds the resource namespaces, each calling through this client. */\n  constructor() {\n",
    );
    for g in &top {
        writeln!(
            out,
            "    this.{} = new {}(this);",
            camel(g.resource),
            class_of(g.resource)
        )
        .unwrap();
    }
    out.push_str("  }\n\n  /** @internal */\n  abstract _call<T = unknown>(operation: string, args?: Record<string, unknown>, options?: RequestOptions): APIPromise<T>;\n");
    out.push_str("\n  /** @internal */\n  abstract _iterate<T = unknown>(operation: string, args?: Record<string, unknown>, options?: RequestOptions): AsyncIterableIterator<T>;\n");
    for op in groups
        .iter()
        .filter(|g| g.resource.is_empty())
        .flat_map(|g| &g.ops)
    {
        render_method(&mut out, op, "this");
    }
    out.push_str("}\n");
    out
}

pub(crate) fn camel_path(resource: &str) -> String {
    resource.split('.').map(camel).collect::<Vec<_>>().join(".")
}

fn ts_type(ty: Ty) -> String {
    match ty {
        Ty::Str => "string".into(),
        Ty::Int | Ty::Num => "number".into(),
        Ty::Bool => "boolean".into(),
        Ty::StrList => "string[]".into(),
        Ty::Obj => "Record<string, unknown>".into(),
        Ty::ObjList => "Record<string, unknown>[]".into(),
        Ty::Any => "unknown".into(),
        // The enumeration's type of `./types`: its known values, or any string.
        Ty::Enum(name) => name.into(),
        Ty::EnumList(name) => format!("{name}[]"),
    }
}

/// The TS type of a named argument. A number sent in the query string may
/// also be given as a numeric string (`page_size: '25'`, as the API docs do).
/// `null` is allowed only where the API takes it (`undefined` is never sent).
pub(crate) fn param_type(p: &Param) -> String {
    let ty = match (p.loc, p.ty) {
        (Loc::Query, Ty::Int | Ty::Num) => "number | string".to_owned(),
        (_, ty) => ts_type(ty),
    };
    match p.nullable {
        true => format!("{ty} | null"),
        false => ty,
    }
}

/// The `@param options` and `@returns` lines of every method.
const OPTIONS_DOC: &str =
    "   * @param options Per-request `timeout` (ms), `maxRetries`, and `signal` to cancel the call \
                           (it then rejects with an `AbortError`).\n   \
                           * @returns The result; `.withResponse()` also gives the response's status, headers and request id.\n";

/// The `@param options` line of every iterator.
const ITER_OPTIONS_DOC: &str =
    "   * @param options `timeout` (ms) and `maxRetries` for each page's request; `signal` stops the \
                                iteration (the pending step rejects with an `AbortError`).\n";

pub(crate) fn params_name(op: &Operation) -> String {
    format!(
        "{}Params",
        op.id.split(['.', '_']).map(class_of).collect::<String>()
    )
}

pub(crate) fn named(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| p.fixed.is_none() && !p.positional)
}

fn render_params(out: &mut String, op: &Operation) {
    if named(op).next().is_none() {
        return;
    }
    // No index signature: an unknown key is a type error (and refused at run time by
    // the core); fields newer than this SDK go in the options' `extraBody` / `extraQuery`.
    write!(
        out,
        "\n/** Arguments of `{}`. Fields newer than this SDK go in the call's `{}` option. */\nexport interface {} {{\n",
        op.id,
        if op.method.has_body() { "extraBody" } else { "extraQuery" },
        params_name(op)
    )
    .unwrap();
    for p in named(op) {
        if !p.doc.is_empty() {
            // Where the API takes `null`, say so (unless the doc does).
            let null = if p.nullable && !p.doc.contains("`null`") {
                " Takes `null`."
            } else {
                ""
            };
            writeln!(out, "  /** {}{null} */", p.doc).unwrap();
        }
        writeln!(
            out,
            "  {}{}: {};",
            p.name,
            if p.required { "" } else { "?" },
            param_type(p)
        )
        .unwrap();
    }
    out.push_str("}\n");
}

fn render_method(out: &mut String, op: &Operation, client: &str) {
    let positional: Vec<&Param> = op.params.iter().filter(|p| p.positional).collect();
    let mut sig: Vec<String> = positional
        .iter()
        .map(|p| {
            format!(
                "{}{}: {}",
                camel(p.name),
                if p.required { "" } else { "?" },
                param_type(p)
            )
        })
        .collect();
    let has_named = named(op).next().is_some();
    if has_named {
        let required = named(op).any(|p| p.required);
        sig.push(format!(
            "params{}: {}",
            if required { "" } else { "?" },
            params_name(op)
        ));
    }
    sig.push("options?: RequestOptions".to_owned());
    let mut args: Vec<String> = positional
        .iter()
        .map(|p| format!("{}: {}", p.name, camel(p.name)))
        .collect();
    args.extend(
        op.params
            .iter()
            .filter_map(|p| p.fixed.map(|v| format!("{}: \"{v}\"", p.name))),
    );
    if has_named {
        args.insert(0, "...params".to_owned());
    }
    let ret = response_type(op);
    writeln!(out, "\n  /**\n   * `{} {}`: {}", op.method, op.path, op.summary).unwrap();
    for p in &positional {
        writeln!(
            out,
            "   * @param {} {}",
            camel(p.name),
            if p.doc.is_empty() { "The id." } else { p.doc }
        )
        .unwrap();
    }
    if has_named {
        out.push_str("   * @param params The operation's arguments (snake_case, as in the API).\n");
    }
    out.push_str(OPTIONS_DOC);
    out.push_str("   */\n");
    writeln!(
        out,
        "  {}({}): APIPromise<{ret}> {{\n    return {client}._call<{ret}>(\"{}\", given({{ {} }}), options);\n  }}",
        camel(method_of(op.id)),
        sig.join(", "),
        op.id,
        args.join(", ")
    )
    .unwrap();
    if op.paging != Paging::None {
        render_iter(out, op, &positional, has_named, &sig, &args, client);
    }
}

/// `list` → `iter`, `rows` → `iterRows`: every item of a list operation, page after page.
pub(crate) fn iter_name(op: &Operation) -> String {
    match method_of(op.id) {
        "list" => "iter".to_owned(),
        other => format!("iter{}", class_of(other)),
    }
}

/// The async-iterator twin of a list operation, driving the core's pager.
fn render_iter(
    out: &mut String,
    op: &Operation,
    positional: &[&Param],
    has_named: bool,
    sig: &[String],
    args: &[String],
    client: &str,
) {
    let item = item_type(op);
    let size = match op.paging {
        Paging::Page => "limit",
        Paging::Cursor { size, .. } => size,
        Paging::None => return,
    };
    writeln!(
        out,
        "\n  /**\n   * Every item of `{} {}`, page after page: `for await (const item of …)`.\n   * \
         Pages of {size} = 100 unless set; the next page is fetched while the current one is consumed.",
        op.method, op.path
    )
    .unwrap();
    for p in positional {
        writeln!(
            out,
            "   * @param {} {}",
            camel(p.name),
            if p.doc.is_empty() { "The id." } else { p.doc }
        )
        .unwrap();
    }
    if has_named {
        out.push_str("   * @param params The operation's arguments (snake_case, as in the API).\n");
    }
    out.push_str(ITER_OPTIONS_DOC);
    out.push_str("   */\n");
    writeln!(
        out,
        "  {}({}): AsyncIterableIterator<{item}> {{\n    return {client}._iterate<{item}>(\"{}\", given({{ {} }}), options);\n  }}",
        iter_name(op),
        sig.join(", "),
        op.id,
        args.join(", ")
    )
    .unwrap();
}

#[cfg(test)]
mod tests {
    use lasso_spec::operation::{Paging, OPERATIONS};

    use super::{iter_name, render};

    #[test]
    fn iterator_names() {
        let name = |id| iter_name(OPERATIONS.iter().find(|op| op.id == id).unwrap());
        assert_eq!(name("tables.list"), "iter");
        assert_eq!(name("tables.rows"), "iterRows");
        assert_eq!(name("credits.usage"), "iterUsage");
        assert_eq!(name("catalog.list"), "iter");
        assert_eq!(name("catalog.changes"), "iterChanges");
    }

    #[test]
    fn numbers_in_the_query_also_take_numeric_strings() {
        let ts = render(&crate::groups());
        let catalog = ts.split("export interface CatalogListParams {").nth(1).unwrap();
        assert!(
            catalog.contains("  page_size?: number | string;"),
            "{}",
            &catalog[..400]
        );
        // Body numbers stay numbers: the API wants JSON numbers there.
        let search = ts.split("export interface SearchParams {").nth(1).unwrap();
        assert!(search.contains("  max_results?: number;"));
    }

    #[test]
    fn every_method_documents_its_options_and_the_signal() {
        let ts = render(&crate::groups());
        let lines: Vec<&str> = ts.lines().collect();
        let mut methods = 0;
        for (i, line) in lines.iter().enumerate() {
            if !(line.contains("options?: RequestOptions): ") && line.ends_with('{')) {
                continue;
            }
            methods += 1;
            assert_eq!(lines[i - 1].trim(), "*/", "no JSDoc right before {line}");
            let doc: Vec<&str> = lines[..i]
                .iter()
                .rev()
                .take_while(|l| !l.trim().starts_with("/**"))
                .copied()
                .collect();
            let doc = doc.join("\n");
            assert!(
                doc.contains("@param options ") && doc.contains("`signal`"),
                "{line}: {doc}"
            );
        }
        // A method per generated operation, and an iterator per list operation.
        let expected: usize = OPERATIONS
            .iter()
            .filter(|op| !op.custom)
            .map(|op| if op.paging == Paging::None { 1 } else { 2 })
            .sum();
        assert_eq!(methods, expected);
    }

    #[test]
    fn every_list_operation_has_an_async_iterator() {
        let ts = render(&crate::groups());
        let lists: Vec<_> = OPERATIONS
            .iter()
            .filter(|op| op.paging != Paging::None && !op.custom)
            .collect();
        assert!(!lists.is_empty());
        for op in lists {
            let call = format!("._iterate<{}>(\"{}\"", super::item_type(op), op.id);
            assert!(ts.contains(&call), "no iterator drives {}", op.id);
            assert!(
                ts.contains(&format!("  {}(", iter_name(op))),
                "no {} method",
                iter_name(op)
            );
        }
        assert!(ts.contains("abstract _iterate<T = unknown>"));
    }
}

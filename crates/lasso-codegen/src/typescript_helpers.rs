//! `node/src/generated-helpers.ts`: the Node client's helper methods (waits,
//! uploads, exports, Arrow tables), one per descriptor of
//! [`lasso_spec::helpers::HELPERS`] that Node has, on subclasses of the
//! generated resource classes (`client.export` has no operations: its class
//! extends `APIResource`). Each method hands its arguments to the Node runtime
//! of `node/src/helpers.ts` (option checks, the progress bar, `Blob`s, the
//! export core). The option interfaces are generated here too: their keys are
//! the descriptors' parameters, their docs the descriptors' in JavaScript's
//! terms where a type reads otherwise (see `param_doc`).

use std::collections::BTreeSet;
use std::fmt::Write;

use lasso_spec::helpers::{ArrowForm, Helper, HelperKind, HelperParam, HelperReturn, HelperTy, Sdk, HELPERS};
use lasso_spec::operation::{Operation, OPERATIONS};

use crate::names::{camel, class_of, method_of, resource_of};
use crate::python::wrap;
use crate::typescript::camel_path;
use crate::Group;

/// Where the methods are written, from the repository root.
pub const PATH: &str = "node/src/generated-helpers.ts";

/// Descriptor parameters Node does not take: the napi binding has no total
/// timeout for an export yet.
const NOT_IN_NODE: &[&str] = &["total_timeout"];

/// Enumerations Node's helpers name otherwise: the export methods have always
/// taken the closed `ExportFormat` union of `helpers.ts`.
const NODE_ENUMS: &[(&str, &str)] = &[("TableExportFormat", "ExportFormat")];

/// The doc of the per-call options every helper ends with.
const OPTIONS_DOC: &str = "`timeout` (ms) and `maxRetries` for each request it sends, and `signal` to \
                           stop it (it then rejects with an `AbortError`).";

/// The helpers Node has, in table order.
fn node_helpers() -> impl Iterator<Item = &'static Helper> {
    HELPERS.iter().filter(|h| h.is_in(Sdk::Node))
}

/// A helper's parameters as Node takes them.
fn params(h: &Helper) -> impl Iterator<Item = &HelperParam> {
    h.params.iter().filter(|p| !NOT_IN_NODE.contains(&p.name))
}

fn positional(h: &Helper) -> impl Iterator<Item = &HelperParam> {
    params(h).filter(|p| p.positional)
}

fn keyword(h: &Helper) -> impl Iterator<Item = &HelperParam> {
    params(h).filter(|p| !p.positional)
}

/// `table_id` → `tableId`; durations are milliseconds: `interval` → `intervalMs`.
fn node_name(p: &HelperParam) -> String {
    match p.ty {
        HelperTy::Duration => format!("{}Ms", camel(p.name)),
        _ => camel(p.name),
    }
}

fn node_type(ty: HelperTy) -> String {
    match ty {
        HelperTy::Str | HelperTy::Path => "string".into(),
        HelperTy::Duration => "number".into(),
        HelperTy::Bool => "boolean".into(),
        HelperTy::ProgressCallback => "ProgressCallback".into(),
        HelperTy::FileSource => "UploadInput".into(),
        HelperTy::Columns => "readonly string[] | string".into(),
        HelperTy::Enum(e) => NODE_ENUMS
            .iter()
            .find(|(spec, _)| *spec == e)
            .map_or(e, |(_, node)| node)
            .into(),
    }
}

/// `name: type`, `name?: type | null` (an optional one may be given as `null`).
fn declaration(p: &HelperParam) -> String {
    match p.required {
        true => format!("{}: {}", node_name(p), node_type(p.ty)),
        false => format!("{}?: {} | null", node_name(p), node_type(p.ty)),
    }
}

/// The object a helper's keyword parameters are given in.
struct Keywords {
    /// The argument's name (the per-call options then are `requestOptions`).
    arg: &'static str,
    /// Its interface in `helpers.ts`.
    interface: &'static str,
    /// The interface with a required `path`, when the result depends on one.
    to_path: Option<&'static str>,
    /// Options only Node has: name, type, doc.
    node_only: &'static [(&'static str, &'static str, &'static str)],
    /// Whether it defaults to `{}` (the runtime then checks it is an object).
    defaults_to_empty: bool,
}

fn keywords(h: &Helper) -> Option<Keywords> {
    let (arg, interface, to_path, node_only): (_, _, _, &'static [(_, _, _)]) = match h.kind {
        HelperKind::Wait(_) => (
            "options",
            "WaitForCompletionOptions",
            None,
            &[(
                "signal",
                "AbortSignalLike | null",
                "Stops waiting when it fires: the poll in flight is dropped and the Promise \
                 rejects at once with an `AbortError` (the same as the `signal` of the last argument).",
            )],
        ),
        HelperKind::Upload => ("params", "UploadParams", None, &[]),
        HelperKind::Export(_) => ("params", "ExportParams", Some("ExportToPathParams"), &[]),
        HelperKind::Arrow(_) | HelperKind::DataFrame => return None,
    };
    Some(Keywords {
        arg,
        interface,
        to_path,
        node_only,
        defaults_to_empty: arg == "options",
    })
}

/// The keyword parameters of `h`'s interface. The waits share theirs (the
/// enhancement's `columnKey` is added to its own signature); the core's
/// export takes the columns and a path for every format, so every export
/// method takes every export's keyword parameters.
fn interface_keys(h: &Helper) -> Vec<&'static HelperParam> {
    let siblings: Vec<&Helper> = node_helpers()
        .filter(|o| std::mem::discriminant(&o.kind) == std::mem::discriminant(&h.kind))
        .collect();
    let union = matches!(h.kind, HelperKind::Export(_));
    let mut keys: Vec<&HelperParam> = Vec::new();
    for p in siblings.iter().flat_map(|s| keyword(s)) {
        let shared = union || siblings.iter().all(|s| keyword(s).any(|q| q.name == p.name));
        if shared && !keys.iter().any(|k| k.name == p.name) {
            keys.push(p);
        }
    }
    keys
}

/// `h`'s keyword parameters that its interface does not have.
fn extras(h: &Helper) -> Vec<&HelperParam> {
    let shared = interface_keys(h);
    keyword(h)
        .filter(|p| !shared.iter().any(|k| k.name == p.name))
        .collect()
}

/// The keyword object's type: the interface, and `h`'s extras inline.
fn keyword_type(h: &Helper, k: &Keywords) -> String {
    match extras(h).as_slice() {
        [] => k.interface.to_owned(),
        extra => {
            let fields: Vec<String> = extra.iter().map(|p| declaration(p)).collect();
            format!("{} & {{ {} }}", k.interface, fields.join("; "))
        }
    }
}

/// What a call resolves to in memory, and whether a `path` makes it a `SavedExport`.
fn returns(h: &Helper) -> (String, bool) {
    let ty = match h.returns {
        HelperReturn::Model(m) => m.to_owned(),
        HelperReturn::Rows => "JsonObject[]".into(),
        HelperReturn::Text => "string".into(),
        HelperReturn::Bytes => "NodeBuffer".into(),
        HelperReturn::Download => "ExportedFile".into(),
        HelperReturn::ArrowBatches => "ArrowTable".into(),
        other => panic!("{}: Node has no type for {other:?}", h.id),
    };
    (ty, keywords(h).is_some_and(|k| k.to_path.is_some()))
}

/// `GET /tables/{table_id}`, … : what a helper sends.
fn sends(h: &Helper) -> String {
    let ops: Vec<&Operation> = h
        .sends
        .iter()
        .filter_map(|id| OPERATIONS.iter().find(|op| op.id == *id))
        .collect();
    crate::api_docs::requests(&ops)
}

/// A parameter's doc for Node: the descriptor's, unless its type reads
/// otherwise in JavaScript.
fn param_doc(p: &HelperParam) -> String {
    match (p.ty, p.default) {
        (HelperTy::Duration, Some(ms)) => format!("{} In milliseconds, default {ms}.", p.doc),
        (HelperTy::Duration, None) => format!("{} In milliseconds.", p.doc),
        (HelperTy::Bool, Some(b)) => format!("{} Default `{b}`.", p.doc),
        (HelperTy::ProgressCallback, _) => "Called with `(status, progress)` at each change; an async callback \
                                            is awaited. If it throws (or rejects), the wait stops and rejects \
                                            with that error."
            .into(),
        (HelperTy::FileSource, _) => "A path (streamed from disk by the core), a `Buffer` / `Uint8Array` / \
                                      `ArrayBuffer`, or a `Blob` / `File` (read into memory first)."
            .into(),
        (HelperTy::Columns, _) => format!("{} An array, or one comma-separated string.", p.doc),
        // An upload's name and type: a `File` carries its own; bytes carry none.
        (HelperTy::Str, _) if p.name == "filename" => {
            "The name the server stores (default: the path's or the `File`'s name; required for bytes).".into()
        }
        (HelperTy::Str, _) if p.name == "content_type" => {
            "The part's content type (default: the `Blob`'s `type`, else from the file name's extension).".into()
        }
        (HelperTy::Path, _) => "Write the export to this file instead of returning it: streamed to a \
                                temporary file beside it, renamed into place once complete (a failure \
                                leaves no partial file); the call then resolves to a `SavedExport`."
            .into(),
        _ => p.doc.to_owned(),
    }
}

/// What the descriptor's `doc` says in JavaScript terms: the waits' and the
/// Arrow table's are the same in every language; an upload's and an export's
/// speak of streams and of results that Node shapes otherwise.
fn description(h: &Helper) -> String {
    let node = match h.kind {
        HelperKind::Upload => {
            "A path is streamed from disk by the core, so a large file never has to fit in memory. \
             A `Blob` / `File` is read into memory first (its `name` and `type` are used unless \
             `filename` / `contentType` are given). The content type is otherwise inferred from the \
             file name's extension."
        }
        HelperKind::Export(_) => {
            "Without `path` the body is read into memory (up to the client's `maxResponseBytes`); \
             with it, it is written to that file and never read back."
        }
        HelperKind::Arrow(_) => "`apache-arrow` is an optional peer dependency: `npm install apache-arrow`.",
        _ => "",
    };
    let doc = match h.kind {
        HelperKind::Wait(_) | HelperKind::Arrow(_) => h.doc,
        _ => "",
    };
    [summary(h).as_str(), doc, node]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// How the export summaries speak of Python's `path`, which returns the
/// content after writing it; Node resolves to a `SavedExport` instead.
const PYTHON_PATH_CLAUSE: &str = ", also written to `path` when given";

/// The descriptor's summary, less what only Python's results do.
fn summary(h: &Helper) -> String {
    match h.summary.split_once(PYTHON_PATH_CLAUSE) {
        Some((before, after)) => format!("{before}{after}"),
        None => h.summary.to_owned(),
    }
}

/// The TSDoc of a helper method.
fn tsdoc(h: &Helper) -> String {
    let text = format!("{}: {}", sends(h), description(h));
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| wrap(p, 0).replace('\n', "\n   * "))
        .collect();
    let mut out = format!("  /**\n   * {}\n   *\n", paragraphs.join("\n   *\n   * "));
    for p in positional(h) {
        writeln!(out, "   * @param {} {}", node_name(p), param_doc(p)).unwrap();
    }
    let per_call = match keywords(h) {
        Some(k) => {
            writeln!(
                out,
                "   * @param {} Its options: {{@link {}}}.",
                k.arg, k.interface
            )
            .unwrap();
            for p in extras(h) {
                writeln!(out, "   *   Also `{}`: {}", node_name(p), param_doc(p)).unwrap();
            }
            per_call_name(&k)
        }
        None => "options",
    };
    writeln!(out, "   * @param {per_call} {OPTIONS_DOC}").unwrap();
    let (ty, saved) = returns(h);
    if saved {
        writeln!(
            out,
            "   * @returns `{ty}` in memory, or the `SavedExport` of the file written when `path` is given."
        )
        .unwrap();
    }
    let throws: &[&str] = match h.kind {
        HelperKind::Wait(_) => &[
            "{JobFailedError} The job failed.",
            "{APITimeoutError} `timeoutMs` passed; the message names the last status and progress.",
            "{AbortError} The `signal` fired.",
        ],
        HelperKind::Arrow(_) => &["{ConfigurationError} `apache-arrow` is not installed."],
        _ => &[],
    };
    for t in throws {
        writeln!(out, "   * @throws {t}").unwrap();
    }
    out.push_str("   */\n");
    out
}

fn per_call_name(k: &Keywords) -> &'static str {
    if k.arg == "options" {
        "requestOptions"
    } else {
        "options"
    }
}

/// The parameter list, the keyword object typed `keyword_ty` (default: its own type).
fn signature(h: &Helper, keyword_ty: Option<&str>) -> String {
    let mut sig: Vec<String> = positional(h).map(declaration).collect();
    let per_call = match keywords(h) {
        Some(k) => {
            let ty = keyword_ty.map_or_else(|| keyword_type(h, &k), str::to_owned);
            sig.push(if k.defaults_to_empty {
                format!("{}: {ty} = {{}}", k.arg)
            } else if k.to_path == Some(ty.as_str()) {
                format!("{}: {ty}", k.arg)
            } else {
                format!("{}?: {ty}", k.arg)
            });
            per_call_name(&k)
        }
        None => "options",
    };
    sig.push(format!("{per_call}?: RequestOptions"));
    sig.join(", ")
}

/// Every descriptor key the keyword object takes: its own, then its interface's.
fn accepted_keys(h: &Helper) -> Vec<&HelperParam> {
    let mut keys = extras(h);
    keys.extend(interface_keys(h));
    keys
}

/// The option interfaces, each once, with the keys of its helpers.
fn render_interfaces(out: &mut String) {
    let mut done: Vec<&str> = Vec::new();
    for h in node_helpers() {
        let Some(k) = keywords(h) else { continue };
        if done.contains(&k.interface) {
            continue;
        }
        done.push(k.interface);
        let users: Vec<String> = node_helpers()
            .filter(|o| keywords(o).is_some_and(|ko| ko.interface == k.interface))
            .map(|o| {
                format!(
                    "`client.{}.{}`",
                    camel_path(resource_of(o.id)),
                    camel(method_of(o.id))
                )
            })
            .collect();
        write!(
            out,
            "\n/** Options of {}. */\nexport interface {} {{\n",
            users.join(", "),
            k.interface
        )
        .unwrap();
        for p in interface_keys(h) {
            writeln!(
                out,
                "  /** {} */\n  {}?: {};",
                param_doc(p),
                node_name(p),
                node_type(p.ty)
            )
            .unwrap();
        }
        for (name, ty, doc) in k.node_only {
            writeln!(out, "  /** {doc} */\n  {name}?: {ty};").unwrap();
        }
        out.push_str("}\n");
        let (Some(to_path), Some(path)) = (
            k.to_path,
            interface_keys(h).into_iter().find(|p| p.ty == HelperTy::Path),
        ) else {
            continue;
        };
        writeln!(
            out,
            "\n/** {{@link {base}}} with a `{name}`: the export is written to that file. */\n\
             export interface {to_path} extends {base} {{\n  {name}: {ty};\n}}",
            base = k.interface,
            name = node_name(path),
            ty = node_type(path.ty)
        )
        .unwrap();
    }
}

/// The call of the runtime: whether the method awaits, and its body.
fn body(h: &Helper) -> (bool, String) {
    let positional: Vec<String> = positional(h).map(node_name).collect();
    match h.kind {
        HelperKind::Wait(job) => {
            let extras: Vec<String> = extras(h).iter().map(|p| node_name(p)).collect();
            assert!(
                extras.iter().all(|e| e == "columnKey"),
                "{}: the Node wait takes no {extras:?}",
                h.id
            );
            let defaults: Vec<String> = interface_keys(h)
                .iter()
                .filter_map(|p| p.default.map(|d| format!("{}: {d}", node_name(p))))
                .collect();
            let (pick, options, column) = match extras.is_empty() {
                true => (String::new(), "options", "null"),
                // `null` options are no options here (`columnKey` comes out of them first).
                false => (
                    "const { columnKey, ...rest } = options ?? {};\n    ".to_owned(),
                    "rest",
                    "optionalString(\"columnKey\", columnKey)",
                ),
            };
            let (ty, _) = returns(h);
            let call = format!(
                "waitFor(this._client, \"{}\", tableId, {column}, {options}, {{ {} }}, requestOptions)",
                job.as_str(),
                defaults.join(", ")
            );
            (true, format!("{pick}return (await {call}) as {ty};"))
        }
        HelperKind::Arrow(ArrowForm::Batches) => {
            (false, "return arrowTable(this._client, tableId, options);".into())
        }
        HelperKind::Upload => (
            false,
            format!(
                "return uploadFile(this._client, {}, params, options);",
                positional.join(", ")
            ),
        ),
        HelperKind::Export(format) => {
            let format = format.map_or("format".to_owned(), |f| format!("\"{}\"", f.as_str()));
            let call = format!("exportTable(this._client, tableId, {format}, params, options)");
            match h.returns {
                HelperReturn::Rows => (true, format!("return exportedRows(await {call}, tableId);")),
                HelperReturn::Text => (true, format!("return exportedText(await {call});")),
                HelperReturn::Bytes => (true, format!("return exportedBytes(await {call});")),
                _ => (false, format!("return {call};")),
            }
        }
        _ => panic!("{}: Node has no such helper", h.id),
    }
}

fn render_method(out: &mut String, h: &Helper) {
    let name = camel(method_of(h.id));
    out.push('\n');
    out.push_str(&tsdoc(h));
    let (ty, saved) = returns(h);
    let returns = match saved {
        true => {
            let k = keywords(h).expect("a helper returning a saved file takes a path");
            let to_path = k.to_path.expect("a helper returning a saved file takes a path");
            let in_memory = format!("{} & {{ path?: undefined }}", keyword_type(h, &k));
            writeln!(
                out,
                "  {name}({}): Promise<SavedExport>;",
                signature(h, Some(to_path))
            )
            .unwrap();
            writeln!(
                out,
                "  {name}({}): Promise<{ty}>;",
                signature(h, Some(&in_memory))
            )
            .unwrap();
            writeln!(
                out,
                "  {name}({}): Promise<{ty} | SavedExport>;",
                signature(h, None)
            )
            .unwrap();
            format!("{ty} | SavedExport")
        }
        false => ty,
    };
    let (awaits, body) = body(h);
    writeln!(
        out,
        "  {}{name}({}): Promise<{returns}> {{\n    {body}\n  }}",
        if awaits { "async " } else { "" },
        signature(h, None)
    )
    .unwrap();
}

/// What `helpers.ts` exports that the generated methods may use.
const RUNTIME: &[&str] = &[
    "arrowTable",
    "exportTable",
    "exportedBytes",
    "exportedRows",
    "exportedText",
    "optionalString",
    "uploadFile",
    "waitFor",
];
const RUNTIME_TYPES: &[&str] = &[
    "ArrowTable",
    "ExportFormat",
    "ExportedFile",
    "HelperCaller",
    "NodeBuffer",
    "ProgressCallback",
    "SavedExport",
    "UploadInput",
];

/// Whether `text` names the identifier `name`.
fn mentions(text: &str, name: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '#';
    text.match_indices(name)
        .any(|(i, _)| !text[..i].ends_with(ident) && !text[i + name.len()..].starts_with(ident))
}

pub fn render(groups: &[Group]) -> String {
    let mut resources: Vec<&str> = node_helpers().map(|h| resource_of(h.id)).collect();
    resources.dedup();
    let mut classes = String::new();
    render_interfaces(&mut classes);
    let mut generated = BTreeSet::new();
    for resource in &resources {
        let helpers: Vec<&Helper> = node_helpers()
            .filter(|h| resource_of(h.id) == *resource)
            .collect();
        let class = class_of(resource);
        let base = if groups.iter().any(|g| g.resource == *resource) {
            generated.insert(format!("{class} as Generated{class}"));
            format!("Generated{class}")
        } else {
            "APIResource".to_owned()
        };
        let names: Vec<String> = helpers
            .iter()
            .map(|h| format!("`{}`", camel(method_of(h.id))))
            .collect();
        write!(
            classes,
            "\n/** `client.{}`: {}the helpers {}. */\nexport class {class} extends {base} {{\n  \
             /** @param _client The owning client, which does the helpers' work too. */\n  \
             constructor(\n    /** The owning client, which does the helpers' work too. */\n    \
             protected override readonly _client: HelperCaller,\n  ) {{\n    super(_client);\n  }}\n",
            camel_path(resource),
            if base == "APIResource" {
                ""
            } else {
                "its operations, plus "
            },
            names.join(", ")
        )
        .unwrap();
        for h in helpers {
            render_method(&mut classes, h);
        }
        classes.push_str("}\n");
    }
    if mentions(&classes, "JsonObject") {
        generated.insert("type JsonObject".to_owned());
    }
    let models: BTreeSet<&str> = node_helpers()
        .filter_map(|h| match h.returns {
            HelperReturn::Model(m) => Some(m),
            _ => None,
        })
        .collect();
    let runtime: Vec<String> = RUNTIME
        .iter()
        .filter(|n| mentions(&classes, n))
        .map(|n| n.to_string())
        .chain(
            RUNTIME_TYPES
                .iter()
                .filter(|n| mentions(&classes, n))
                .map(|n| format!("type {n}")),
        )
        .collect();
    let base = match mentions(&classes, "APIResource") {
        true => "APIResource, type AbortSignalLike, type RequestOptions",
        false => "type AbortSignalLike, type RequestOptions",
    };
    let mut out = crate::header("//", "helpers.rs");
    write!(
        out,
        "/**\n * The helper methods of the client's resources (waits, uploads, exports, Arrow tables),\n \
         * one per helper descriptor of crates/lasso-spec; the Node runtime they call is in `./helpers`.\n \
         *\n * @module\n */\n\
         import {{ {} }} from \"./generated\";\n\
         import {{ {} }} from \"./helpers\";\n\
         import {{ {base} }} from \"./resources/base\";\n\
         import type {{ {} }} from \"./types\";\n{classes}",
        generated.into_iter().collect::<Vec<_>>().join(", "),
        runtime.join(", "),
        models.into_iter().collect::<Vec<_>>().join(", ")
    )
    .unwrap();
    out
}

/// The rows of the helper table of `node/api.md`: each Node helper's call and what it sends.
pub(crate) fn api_doc_rows() -> String {
    let mut out = String::new();
    for h in node_helpers() {
        let mut args: Vec<String> = positional(h)
            .map(|p| format!("{}{}", node_name(p), if p.required { "" } else { "?" }))
            .collect();
        let per_call = match keywords(h) {
            Some(k) => {
                let keys: Vec<String> = accepted_keys(h)
                    .iter()
                    .map(|p| node_name(p))
                    .chain(k.node_only.iter().map(|(n, _, _)| n.to_string()))
                    .map(|n| format!("{n}?"))
                    .collect();
                args.push(format!("{{ {} }}", keys.join(", ")));
                per_call_name(&k)
            }
            None => "options",
        };
        args.push(format!("{per_call}?"));
        let (ty, saved) = returns(h);
        let ty = if saved { format!("{ty} | SavedExport") } else { ty };
        let ns = camel_path(resource_of(h.id));
        let call = format!(
            "client.{ns}.{}({}): Promise<{ty}>",
            camel(method_of(h.id)),
            args.join(", ")
        );
        writeln!(
            out,
            "| `{}` | {}: {} |",
            call.replace('|', "\\|"),
            sends(h),
            summary(h).replace('|', "\\|")
        )
        .unwrap();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of `class` in the generated file.
    fn class_text<'a>(ts: &'a str, class: &str) -> &'a str {
        let start = ts
            .find(&format!("export class {class} "))
            .unwrap_or_else(|| panic!("no class {class}"));
        let end = ts[start..].find("\n}\n").expect("a class ends");
        &ts[start..start + end]
    }

    #[test]
    fn every_node_helper_is_a_method_of_its_resource_and_no_other_is() {
        let ts = render(&crate::groups());
        for h in HELPERS {
            let name = camel(method_of(h.id));
            let class = class_of(resource_of(h.id));
            let found = ts.contains(&format!("export class {class} "))
                && class_text(&ts, &class).lines().any(|l| {
                    l.starts_with(&format!("  {name}(")) || l.starts_with(&format!("  async {name}("))
                });
            assert_eq!(found, h.is_in(Sdk::Node), "{}: method {class}.{name}", h.id);
        }
    }

    #[test]
    fn the_waits_default_to_the_descriptors_defaults() {
        let ts = render(&crate::groups());
        let waits: Vec<&Helper> = node_helpers()
            .filter(|h| matches!(h.kind, HelperKind::Wait(_)))
            .collect();
        assert_eq!(waits.len(), 2);
        for h in waits {
            let class = class_text(&ts, &class_of(resource_of(h.id)));
            for p in params(h).filter(|p| p.default.is_some()) {
                let given = format!("{}: {}", node_name(p), p.default.unwrap());
                assert!(class.contains(&given), "{}: {given}", h.id);
            }
        }
    }

    #[test]
    fn every_option_interface_has_every_key_of_its_helpers() {
        let ts = render(&crate::groups());
        let mut checked = 0;
        for h in node_helpers() {
            let Some(k) = keywords(h) else { continue };
            let start = ts
                .find(&format!("export interface {} {{", k.interface))
                .unwrap_or_else(|| panic!("no interface {}", k.interface));
            let body = &ts[start..start + ts[start..].find("\n}\n").unwrap()];
            for p in keyword(h).filter(|p| !extras(h).iter().any(|e| e.name == p.name)) {
                let field = format!("  {}?: {};", node_name(p), node_type(p.ty));
                assert!(body.contains(&field), "{}: {}: {field}", h.id, k.interface);
                checked += 1;
            }
            for (name, ty, _) in k.node_only {
                assert!(body.contains(&format!("  {name}?: {ty};")), "{}: {name}", h.id);
            }
        }
        assert!(checked >= 10, "{checked}");
    }

    #[test]
    fn the_docs_speak_of_node_not_python() {
        // Python writes a `path` and returns the content; Node returns the saved file.
        let ts = render(&crate::groups());
        assert!(!ts.contains(PYTHON_PATH_CLAUSE));
        assert!(HELPERS.iter().any(|h| h.summary.contains(PYTHON_PATH_CLAUSE)));
        for skipped in NOT_IN_NODE {
            assert!(HELPERS.iter().flat_map(|h| h.params).any(|p| p.name == *skipped));
            assert!(!ts.contains(&camel(skipped)), "{skipped}");
        }
    }

    #[test]
    fn node_api_md_lists_every_helper() {
        let md = crate::api_docs::render(crate::api_docs::Lang::Node, &crate::groups());
        for h in node_helpers() {
            let call = format!(
                "`client.{}.{}(",
                camel_path(resource_of(h.id)),
                camel(method_of(h.id))
            );
            assert!(md.contains(&call), "node/api.md: {call}");
        }
        assert!(!md.contains(PYTHON_PATH_CLAUSE));
    }
}

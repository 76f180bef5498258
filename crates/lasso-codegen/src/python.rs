//! `python/lasso/_generated.py`: every method of the Python clients, sync
//! (`Tables`, `_ClientMethods`) and async (`AsyncTables`, `_AsyncClientMethods`,
//! `async def`), from the spec: one per operation (plus its `iter…` twin for a
//! list), one per helper descriptor (waits, uploads, exports, data frames),
//! and the typed surface of `client.with_raw_response` (only read by type
//! checkers). Every method ends with the same per-call options.

use std::fmt::Write;

use lasso_spec::helpers::{ArrowForm, Helper, HelperKind, HelperParam, HelperReturn, HelperTy, Sdk, HELPERS};
use lasso_spec::operation::{Method, Operation, Paging, Param, RequestKind, ResponseKind, Ty};

use crate::names::{class_of, method_of, python_ident, resource_of, snake_iter_name};
use crate::Group;

/// Which client the generated classes serve.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Flavor {
    Sync,
    Async,
}

impl Flavor {
    /// The class name of a resource: `Tables` or `AsyncTables`.
    fn class(self, resource: &str) -> String {
        match self {
            Flavor::Sync => class_of(resource),
            Flavor::Async => format!("Async{}", class_of(resource)),
        }
    }

    fn base(self) -> &'static str {
        match self {
            Flavor::Sync => "_Resource",
            Flavor::Async => "_AsyncResource",
        }
    }

    fn def(self) -> &'static str {
        match self {
            Flavor::Sync => "def",
            Flavor::Async => "async def",
        }
    }

    fn awaits(self) -> &'static str {
        match self {
            Flavor::Sync => "",
            Flavor::Async => "await ",
        }
    }

    /// The last argument of a `_native` helper call.
    fn asynchronous(self) -> &'static str {
        match self {
            Flavor::Sync => "",
            Flavor::Async => ", asynchronous=True",
        }
    }
}

/// A resource of the Python clients: its generated operations and its helpers.
struct Resource {
    /// `tables`, `catalog.webhooks`, or `""` (the client's own methods).
    name: &'static str,
    ops: Vec<&'static Operation>,
    helpers: Vec<&'static Helper>,
}

fn resources(groups: &[Group]) -> Vec<Resource> {
    let mut out: Vec<Resource> = groups
        .iter()
        .map(|g| Resource {
            name: g.resource,
            ops: g.ops.clone(),
            helpers: Vec::new(),
        })
        .collect();
    for h in HELPERS.iter().filter(|h| h.is_in(Sdk::Python)) {
        let name = resource_of(h.id);
        match out.iter_mut().find(|r| r.name == name) {
            Some(r) => r.helpers.push(h),
            None => out.push(Resource {
                name,
                ops: Vec::new(),
                helpers: vec![h],
            }),
        }
    }
    out
}

pub fn render(groups: &[Group]) -> String {
    let mut out = crate::header("#", "");
    out.push_str(
        "\"\"\"Every method of `LassoClient` and `AsyncLassoClient`: one per operation of the\n\
         spec (and an `iter…` twin per list), one per helper (waits, uploads, exports),\n\
         each ending with the per-call options (`timeout`, `max_retries`, `extra_headers`,\n\
         `extra_query`, and `extra_body` where a JSON body is sent).\"\"\"\n\n\
         from __future__ import annotations\n\n\
         import os\n\
         from typing import TYPE_CHECKING, Any, AsyncIterator, Dict, Iterator, List, Literal, Optional, Union, overload\n\n\
         from . import _arrow, _helpers, _native\n\
         from ._base import NOT_GIVEN, Body, Headers, NotGiven, Query, Timeout, _args, _AsyncCalls, _AsyncResource, _Calls, _KeywordChecked, _Resource, _seconds\n",
    );
    // Only type checkers read these: `import lasso` never loads `lasso.types`.
    out.push_str(
        "\nif TYPE_CHECKING:\n    \
         from pandas import DataFrame  # type: ignore[import-untyped, unused-ignore]\n    \
         from polars import DataFrame as PolarsDataFrame  # type: ignore[import-not-found, unused-ignore]\n\n    \
         from ._base import RawResponse\n    \
         from ._helpers import (\n        AsyncProgressCallback,\n        Columns,\n        ExportedContent,\n        \
         FileInput,\n        PathArg,\n        ProgressCallback,\n        SavedExport,\n    )\n    \
         from .types import (\n",
    );
    let mut names = crate::referenced_types(groups);
    for h in HELPERS {
        if let HelperReturn::Model(m) = h.returns {
            names.push(m);
        }
        names.extend(h.params.iter().filter_map(|p| match p.ty {
            HelperTy::Enum(e) => Some(e),
            _ => None,
        }));
    }
    names.sort_unstable();
    names.dedup();
    for name in names {
        writeln!(out, "        {name},").unwrap();
    }
    out.push_str("    )\n");
    let resources = resources(groups);
    crate::python_client::render(&mut out);
    render_flavor(&mut out, &resources, Flavor::Sync);
    render_flavor(&mut out, &resources, Flavor::Async);
    render_raw(&mut out, &resources);
    out
}

fn render_flavor(out: &mut String, resources: &[Resource], flavor: Flavor) {
    for r in resources.iter().filter(|r| !r.name.is_empty()) {
        write!(out, "\n\nclass {}({}):\n", flavor.class(r.name), flavor.base()).unwrap();
        writeln!(out, "    \"\"\"`client.{}`: {} operations.\"\"\"", r.name, r.name).unwrap();
        let children: Vec<&Resource> = resources.iter().filter(|c| is_child(r.name, c.name)).collect();
        render_children(out, &children, flavor);
        for op in &r.ops {
            render_method(out, op, flavor);
        }
        for h in &r.helpers {
            render_helper(out, h, flavor);
        }
    }
    let (class, what) = match flavor {
        Flavor::Sync => ("_ClientMethods", "client's"),
        Flavor::Async => ("_AsyncClientMethods", "async client's"),
    };
    write!(
        out,
        "\n\nclass {class}({}):\n    \"\"\"The {what} own operations and its resource namespaces.\"\"\"\n\n",
        match flavor {
            Flavor::Sync => "_Calls",
            Flavor::Async => "_AsyncCalls",
        }
    )
    .unwrap();
    let top: Vec<&Resource> = resources
        .iter()
        .filter(|r| !r.name.is_empty() && !r.name.contains('.'))
        .collect();
    for r in &top {
        writeln!(out, "    {}: {}", r.name, flavor.class(r.name)).unwrap();
    }
    out.push_str("\n    def _init_resources(self) -> None:\n        self._client = self\n");
    for r in &top {
        writeln!(out, "        self.{} = {}(self)", r.name, flavor.class(r.name)).unwrap();
    }
    for op in resources
        .iter()
        .filter(|r| r.name.is_empty())
        .flat_map(|r| &r.ops)
    {
        render_method(out, op, flavor);
    }
}

fn is_child(parent: &str, candidate: &str) -> bool {
    candidate
        .strip_prefix(parent)
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(|r| !r.contains('.'))
}

fn render_children(out: &mut String, children: &[&Resource], flavor: Flavor) {
    if children.is_empty() {
        return;
    }
    out.push('\n');
    for c in children {
        writeln!(out, "    {}: {}", method_of(c.name), flavor.class(c.name)).unwrap();
    }
    out.push_str("\n    def __init__(self, client: Any) -> None:\n        super().__init__(client)\n");
    for c in children {
        writeln!(
            out,
            "        self.{} = {}(self._client)",
            method_of(c.name),
            flavor.class(c.name)
        )
        .unwrap();
    }
}

pub(crate) fn py_type(ty: Ty) -> String {
    match ty {
        Ty::Str => "str".into(),
        Ty::Int => "int".into(),
        Ty::Num => "float".into(),
        Ty::Bool => "bool".into(),
        Ty::StrList => "List[str]".into(),
        Ty::Obj => "Dict[str, Any]".into(),
        Ty::ObjList => "List[Dict[str, Any]]".into(),
        Ty::Any => "Any".into(),
        // The enumeration's type of `lasso.types`: its known values, or any string.
        Ty::Enum(name) => name.into(),
        Ty::EnumList(name) => format!("List[{name}]"),
    }
}

/// The type a parameter is given as: `None` too where the API takes `null`.
pub(crate) fn given_type(p: &Param) -> String {
    match p.nullable {
        true => format!("Optional[{}]", py_type(p.ty)),
        false => py_type(p.ty),
    }
}

/// Whether an operation sends a JSON body (and so takes `extra_body`).
fn has_json_body(op: &Operation) -> bool {
    op.method.has_body() && op.request == RequestKind::Json && op.method != Method::Delete
}

/// The per-call options every method ends with.
fn option_params(body: bool) -> Vec<String> {
    let mut out = vec![
        "timeout: Timeout = NOT_GIVEN".to_owned(),
        "max_retries: Union[int, NotGiven] = NOT_GIVEN".to_owned(),
        "extra_headers: Optional[Headers] = None".to_owned(),
        "extra_query: Optional[Query] = None".to_owned(),
    ];
    if body {
        out.push("extra_body: Optional[Body] = None".to_owned());
    }
    out
}

/// The per-call options, passed on (positionally, as `_native` takes them).
fn option_args(body: bool) -> &'static str {
    if body {
        "timeout, max_retries, extra_headers, extra_query, extra_body"
    } else {
        "timeout, max_retries, extra_headers, extra_query, None"
    }
}

/// The parameters after `self`: positional ones, then keyword-only ones
/// (required first), the operation's opt-ins, then the per-call options.
pub(crate) fn signature(op: &Operation, params: &[&Param]) -> Vec<String> {
    let mut sig = vec!["self".to_owned()];
    for p in params.iter().filter(|p| p.positional) {
        let name = python_ident(p.name);
        sig.push(if p.required {
            format!("{name}: {}", given_type(p))
        } else {
            format!("{name}: Union[{}, NotGiven] = NOT_GIVEN", given_type(p))
        });
    }
    sig.push("*".to_owned());
    let keyword = || params.iter().filter(|p| !p.positional);
    for p in keyword().filter(|p| p.required) {
        sig.push(format!("{}: {}", python_ident(p.name), given_type(p)));
    }
    for p in keyword().filter(|p| !p.required) {
        sig.push(format!(
            "{}: Union[{}, NotGiven] = NOT_GIVEN",
            python_ident(p.name),
            given_type(p)
        ));
    }
    for o in op.opt_ins {
        sig.push(format!("{}: bool = False", o.name));
    }
    sig.extend(option_params(has_json_body(op)));
    sig
}

pub(crate) fn write_def(out: &mut String, def: &str, name: &str, sig: &[String], returns: &str) {
    write!(out, "\n    {def} {name}(\n").unwrap();
    for s in sig {
        writeln!(out, "        {s},").unwrap();
    }
    writeln!(out, "    ) -> {returns}:").unwrap();
}

/// A docstring: the summary, then `Args:` for the documented parameters.
pub(crate) fn write_doc(out: &mut String, doc: &str, args: &[(String, String)]) {
    writeln!(out, "        \"\"\"{doc}").unwrap();
    if !args.is_empty() {
        out.push_str("\n        Args:\n");
        for (name, doc) in args {
            writeln!(out, "            {name}: {doc}").unwrap();
        }
    }
    out.push_str("        \"\"\"\n");
}

fn param_docs(op: &Operation, params: &[&Param], size_doc: Option<(&str, &str)>) -> Vec<(String, String)> {
    let mut docs: Vec<(String, String)> = params
        .iter()
        .filter(|p| !p.doc.is_empty())
        .map(|p| {
            let null = if p.nullable {
                " ``None`` sends ``null``."
            } else {
                ""
            };
            let doc = match size_doc {
                Some((size, doc)) if p.name == size => doc.to_owned(),
                _ => format!("{}{null}", p.doc),
            };
            (python_ident(p.name), doc)
        })
        .collect();
    docs.extend(op.opt_ins.iter().map(|o| (o.name.to_owned(), o.doc.to_owned())));
    docs
}

/// The arguments sent: a dict literal, filtered of `NOT_GIVEN` when any is optional.
fn args_dict(params: &[&Param]) -> String {
    let args: Vec<String> = params
        .iter()
        .map(|p| format!("\"{}\": {}", p.name, python_ident(p.name)))
        .collect();
    let dict = format!("{{{}}}", args.join(", "));
    if params.iter().all(|p| p.required) {
        dict
    } else {
        format!("_args({dict})")
    }
}

pub(crate) fn returns_of(op: &Operation) -> &'static str {
    match op.returns {
        _ if op.response == ResponseKind::Empty => "None",
        Some(model) => model,
        None => "Dict[str, Any]",
    }
}

fn opt_ins_arg(op: &Operation) -> String {
    match op.opt_ins {
        [] => String::new(),
        opt_ins => {
            let given: Vec<String> = opt_ins
                .iter()
                .map(|o| format!("[\"{0}\"] if {0} else []", o.name))
                .collect();
            format!(", {}", given.join(" + "))
        }
    }
}

fn render_method(out: &mut String, op: &Operation, flavor: Flavor) {
    let params: Vec<&Param> = op.params.iter().filter(|p| p.fixed.is_none()).collect();
    let sig = signature(op, &params);
    let returns = returns_of(op);
    write_def(out, flavor.def(), method_of(op.id), &sig, returns);
    let billed = if op.billed { " Spends credits." } else { "" };
    let doc = format!("``{} {}``: {}{billed}", op.method, op.path, op.summary);
    write_doc(out, &doc, &param_docs(op, &params, None));
    let call = format!(
        "{}self._request(\"{}\", {}, {}{})",
        flavor.awaits(),
        op.id,
        args_dict(&params),
        option_args(has_json_body(op)),
        opt_ins_arg(op)
    );
    if op.response == ResponseKind::Empty {
        writeln!(out, "        {call}").unwrap();
    } else {
        // `_request` returns `Any`: the annotated local tells type checkers what
        // comes back (local annotations are never evaluated at run time).
        writeln!(
            out,
            "        response: {returns} = {call}\n        return response"
        )
        .unwrap();
    }
    if op.paging != Paging::None {
        render_iterator(out, op, flavor, &params, &sig);
    }
}

/// `iter` (for `list`) or `iter_<name>`: every item of every page.
fn render_iterator(out: &mut String, op: &Operation, flavor: Flavor, params: &[&Param], sig: &[String]) {
    let name = snake_iter_name(op);
    let item = crate::item_model(op).unwrap_or("Dict[str, Any]");
    let returns = match flavor {
        Flavor::Sync => format!("Iterator[{item}]"),
        Flavor::Async => format!("AsyncIterator[{item}]"),
    };
    let how = match flavor {
        Flavor::Sync => "for item in",
        Flavor::Async => "async for item in",
    };
    let size = match op.paging {
        Paging::Cursor { size, .. } => size,
        _ => "limit",
    };
    let doc = format!(
        "Every item of ``{}``, page after page, the next page fetched while this one is used: \
         ``{how} client.{}.{name}(...)``.",
        op.id,
        resource_of(op.id)
    );
    let size_doc = "Items per page fetched, 1–100 (default 100 here, unlike the list's 25).";
    write_def(out, "def", &name, sig, &returns);
    write_doc(out, &doc, &param_docs(op, params, Some((size, size_doc))));
    writeln!(
        out,
        "        return self._paginate(\"{}\", {}, {})",
        op.id,
        args_dict(params),
        option_args(has_json_body(op))
    )
    .unwrap();
}

// --- helpers ------------------------------------------------------------------------------

/// The Python name of a helper's parameter: the waits' durations are
/// `interval_s` and `timeout_s` (as in `lasso-ai` 0.1.2), so that `timeout`
/// stays the per-attempt option of every method.
pub(crate) fn helper_param_name(p: &HelperParam) -> String {
    match (p.ty, p.name) {
        (HelperTy::Duration, "interval" | "timeout") => format!("{}_s", p.name),
        _ => p.name.to_owned(),
    }
}

/// `3000` (milliseconds) → `3.0` (seconds).
fn seconds_literal(ms: &str) -> String {
    let ms: f64 = ms
        .parse()
        .expect("a duration default is a number of milliseconds");
    format!("{:?}", ms / 1000.0)
}

/// `name: type = default` for one helper parameter; `path` as the overload has it.
fn helper_param(p: &HelperParam, flavor: Flavor, path: &str) -> String {
    let name = helper_param_name(p);
    let ty = match p.ty {
        HelperTy::Str => "str".to_owned(),
        HelperTy::Duration => "float".to_owned(),
        HelperTy::Bool => "bool".to_owned(),
        HelperTy::ProgressCallback => match flavor {
            Flavor::Sync => "ProgressCallback".to_owned(),
            Flavor::Async => "AsyncProgressCallback".to_owned(),
        },
        HelperTy::FileSource => "FileInput".to_owned(),
        HelperTy::Columns => "Columns".to_owned(),
        HelperTy::Path => return format!("{name}: {path}"),
        HelperTy::Enum(e) => e.to_owned(),
    };
    match (p.required && p.legacy_name.is_none(), p.default, p.ty) {
        (true, _, _) => format!("{name}: {ty}"),
        (false, Some(ms), HelperTy::Duration) => format!("{name}: {ty} = {}", seconds_literal(ms)),
        (false, Some(b), HelperTy::Bool) => {
            format!("{name}: {ty} = {}", if b == "true" { "True" } else { "False" })
        }
        (false, _, HelperTy::Columns) => format!("{name}: {ty} = None"),
        _ => format!("{name}: Optional[{ty}] = None"),
    }
}

/// The helper's parameters after `self`, with the `path` parameter typed
/// `path` (the overloads narrow it), then legacy names and the per-call options.
pub(crate) fn helper_signature(h: &Helper, flavor: Flavor, path: &str) -> Vec<String> {
    let mut sig = vec!["self".to_owned()];
    let mut star = false;
    for p in h.params {
        if !p.positional && !star {
            sig.push("*".to_owned());
            star = true;
        }
        sig.push(helper_param(p, flavor, path));
    }
    if !star {
        sig.push("*".to_owned());
    }
    for p in h.params {
        if let Some(legacy) = p.legacy_name {
            sig.push(format!("{legacy}: Optional[PathArg] = None"));
        }
    }
    sig.extend(option_params(false));
    sig
}

/// What a helper returns in Python, given whether a `path` was.
fn helper_returns(h: &Helper, saved: bool) -> String {
    match (h.returns, saved) {
        (HelperReturn::Model(m), _) => m.to_owned(),
        (HelperReturn::Rows, _) => "List[Dict[str, Any]]".to_owned(),
        // With a path too: the file is written, then its content returned, as
        // `lasso-ai` 0.1.2's `export.xlsx(path=...)` does (`download` is the
        // one that only writes).
        (HelperReturn::Text, _) => "str".to_owned(),
        (HelperReturn::Bytes, _) => "bytes".to_owned(),
        (HelperReturn::Download, false) => "ExportedContent".to_owned(),
        (HelperReturn::Download, true) => "SavedExport".to_owned(),
        (HelperReturn::DataFrame, _) => "DataFrame".to_owned(),
        (HelperReturn::ArrowBatches, _) => "_arrow.TableArrowStream".to_owned(),
        (HelperReturn::PolarsFrame, _) => "PolarsDataFrame".to_owned(),
    }
}

/// Whether a helper has overloads: its result's type depends on whether a path was given.
fn is_overloaded(h: &Helper) -> bool {
    h.params.iter().any(|p| p.ty == HelperTy::Path) && helper_returns(h, false) != helper_returns(h, true)
}

/// What the helper's implementation is annotated to return (both results when overloaded).
pub(crate) fn helper_result(h: &Helper) -> String {
    match is_overloaded(h) {
        true => format!("Union[{}, {}]", helper_returns(h, false), helper_returns(h, true)),
        false => helper_returns(h, false),
    }
}

pub(crate) fn helper_docs(h: &Helper) -> Vec<(String, String)> {
    let mut docs: Vec<(String, String)> = h
        .params
        .iter()
        .map(|p| {
            let default = match (p.ty, p.default) {
                (HelperTy::Duration, Some(ms)) => {
                    format!(
                        " In seconds, default {}.",
                        seconds_literal(ms).trim_end_matches(".0")
                    )
                }
                (HelperTy::Duration, None) => " In seconds.".to_owned(),
                _ => String::new(),
            };
            (helper_param_name(p), format!("{}{default}", p.doc))
        })
        .collect();
    for p in h.params {
        if let Some(legacy) = p.legacy_name {
            docs.push((
                legacy.to_owned(),
                format!("The name `lasso-ai` 0.1.2 gave `{}` (a path).", p.name),
            ));
        }
    }
    docs
}

fn render_helper(out: &mut String, h: &Helper, flavor: Flavor) {
    let name = method_of(h.id);
    let has_path = h.params.iter().any(|p| p.ty == HelperTy::Path);
    let overloaded = is_overloaded(h);
    let mut doc = if h.doc.is_empty() {
        h.summary.to_owned()
    } else {
        format!("{}\n\n        {}", h.summary, wrap(h.doc, 8))
    };
    if matches!(
        (h.kind, flavor),
        (HelperKind::Arrow(ArrowForm::Batches), Flavor::Async)
    ) {
        doc.push_str(
            "\n\n        The async client has every page fetched and decoded when it returns, so reading\n        \
             the batches never blocks the event loop.",
        );
    }
    if overloaded {
        for (path, saved) in [("None = None", false), ("PathArg", true)] {
            out.push_str("\n    @overload");
            write_def(
                out,
                flavor.def(),
                name,
                &helper_signature(h, flavor, path),
                &helper_returns(h, saved),
            );
            out.push_str("        ...\n");
        }
    }
    let returns = helper_result(h);
    write_def(
        out,
        flavor.def(),
        name,
        &helper_signature(h, flavor, "Optional[PathArg] = None"),
        &returns,
    );
    write_doc(out, &doc, &helper_docs(h));
    let (aw, asy) = (flavor.awaits(), flavor.asynchronous());
    let options = "_seconds(timeout), max_retries, extra_headers, extra_query";
    match h.kind {
        HelperKind::Wait(job) => {
            let column = if h.params.iter().any(|p| p.name == "column_key") {
                "column_key"
            } else {
                "None"
            };
            write!(
                out,
                "        report = _helpers.ProgressReport(on_progress, progress)\n        try:\n            \
                 result: {returns} = {aw}_native.wait_for_job(\n                self._client._native,\n                \
                 \"{}\",\n                table_id,\n                {column},\n                interval_s,\n                \
                 _seconds(timeout_s),\n                report.callback,\n                {options},\n                None{asy},\n            )\n        \
                 finally:\n            report.close()\n        return result\n",
                job.as_str()
            )
            .unwrap();
        }
        HelperKind::Upload => {
            write!(
                out,
                "        source, name = _helpers.upload_source(file, filename, file_path)\n        \
                 result: {returns} = {aw}_native.upload_file(\n            self._client._native, source, name, \
                 content_type, {options}, None{asy}\n        )\n        return result\n"
            )
            .unwrap();
        }
        HelperKind::Export(format) => {
            let format = format.map_or("format".to_owned(), |f| format!("\"{}\"", f.as_str()));
            let columns = if h.params.iter().any(|p| p.ty == HelperTy::Columns) {
                "_helpers.columns(columns)"
            } else {
                "None"
            };
            let path = if has_path { "path" } else { "None" };
            let decode = match h.returns {
                HelperReturn::Rows => "rows",
                HelperReturn::Text => "text",
                HelperReturn::Download => "download",
                _ => "bytes",
            };
            let call = format!(
                "{aw}_native.export_table(\n            self._client._native,\n            table_id,\n            {format},\n            \
                 {columns},\n            {path},\n            total_timeout,\n            \"{decode}\",\n            {options},\n            None{asy},\n        )"
            );
            write!(out, "        result: {returns} = {call}\n        return result\n").unwrap();
        }
        HelperKind::Arrow(form) => render_arrow(out, form, flavor, &returns),
        HelperKind::DataFrame => {
            let opts = "timeout=timeout, max_retries=max_retries, extra_headers=extra_headers, extra_query=extra_query";
            let (rows, columns, build) = match flavor {
                Flavor::Sync => (
                    format!("[row[\"data\"] for row in self.iter_rows(table_id, limit=100, {opts})]"),
                    format!("self.columns(table_id, {opts})"),
                    "_helpers.dataframe(pd, rows, columns)",
                ),
                Flavor::Async => (
                    format!("[row[\"data\"] async for row in self.iter_rows(table_id, limit=100, {opts})]"),
                    format!("(await self.columns(table_id, {opts}))"),
                    // Built on a worker thread: a large frame would stall the event loop.
                    "await _helpers.off_loop(_helpers.dataframe, pd, rows, columns)",
                ),
            };
            // Through Arrow when pyarrow is installed and no per-call option is given.
            let fast = format!("return _arrow.dataframe_like_rows({aw}self.to_arrow(table_id))");
            write!(
                out,
                "        pd = _helpers.pandas()\n        \
                 if _arrow.fast_path(timeout, max_retries, extra_headers, extra_query):\n            {fast}\n        \
                 rows = {rows}\n        \
                 columns = None if rows else [c[\"key\"] for c in {columns}[\"data\"]]\n        \
                 result: DataFrame = {build}\n        return result\n"
            )
            .unwrap();
        }
    }
}

/// The body of `to_arrow` / `to_pandas` / `to_polars`: the core's record
/// batches (all read before an async client returns them, so reading never
/// blocks the loop), or a frame built from them by `_arrow`.
fn render_arrow(out: &mut String, form: ArrowForm, flavor: Flavor, returns: &str) {
    let aw = flavor.awaits();
    let opts = "timeout=_seconds(timeout), max_retries=max_retries, extra_headers=extra_headers, extra_query=extra_query";
    let (library, build) = match form {
        ArrowForm::Batches => {
            let (asynchronous, read) = match flavor {
                Flavor::Sync => ("", ""),
                Flavor::Async => (
                    ", asynchronous=True",
                    "        await native.read_all(asynchronous=True)\n",
                ),
            };
            write!(
                out,
                "        native = {aw}_native.open_table_batches(self._client._native, table_id, {opts}{asynchronous})\n\
                 {read}        return _arrow.TableArrowStream(native)\n"
            )
            .unwrap();
            return;
        }
        ArrowForm::Pandas => (
            "pandas",
            "_arrow.pandas_from(stream, \"to_pandas\", dtype_backend)",
        ),
        ArrowForm::Polars => ("polars", "_arrow.polars_from(stream, \"to_polars\")"),
    };
    // The missing extra is named before anything is fetched.
    let opts = opts.replace("_seconds(timeout)", "timeout");
    write!(
        out,
        "        _arrow.require_extra(\"{library}\", \"to_{library}\")\n        \
         stream = {aw}self.to_arrow(table_id, {opts})\n        \
         result: {returns} = {build}\n        return result\n"
    )
    .unwrap();
}

/// `text` wrapped at about 100 columns, continuation lines indented by `indent`.
pub(crate) fn wrap(text: &str, indent: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        if line > 0 && line + word.len() > 100 {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

// --- client.with_raw_response -----------------------------------------------------------

/// The surface of `client.with_raw_response` for type checkers: the same
/// operations, each returning `RawResponse[...]` of its result. At run time
/// `with_raw_response` is a copy of the client whose calls return those.
fn render_raw(out: &mut String, resources: &[Resource]) {
    out.push_str("\n\nif TYPE_CHECKING:\n");
    for flavor in [Flavor::Sync, Flavor::Async] {
        let prefix = match flavor {
            Flavor::Sync => "Raw",
            Flavor::Async => "AsyncRaw",
        };
        for r in resources
            .iter()
            .filter(|r| !r.name.is_empty() && !r.ops.is_empty())
        {
            write!(out, "\n    class {prefix}{}:\n", class_of(r.name)).unwrap();
            writeln!(
                out,
                "        \"\"\"`client.with_raw_response.{}`.\"\"\"\n",
                r.name
            )
            .unwrap();
            for c in resources
                .iter()
                .filter(|c| is_child(r.name, c.name) && !c.ops.is_empty())
            {
                writeln!(out, "        {}: {prefix}{}", method_of(c.name), class_of(c.name)).unwrap();
            }
            for op in &r.ops {
                render_raw_method(out, op, flavor);
            }
        }
        write!(
            out,
            "\n    class {prefix}Client:\n        \"\"\"`client.with_raw_response`: each call returns its \
             `RawResponse` (status, headers, request id and the parsed result).\"\"\"\n\n"
        )
        .unwrap();
        for r in resources
            .iter()
            .filter(|r| !r.name.is_empty() && !r.name.contains('.') && !r.ops.is_empty())
        {
            writeln!(out, "        {}: {prefix}{}", r.name, class_of(r.name)).unwrap();
        }
        for op in resources
            .iter()
            .filter(|r| r.name.is_empty())
            .flat_map(|r| &r.ops)
        {
            render_raw_method(out, op, flavor);
        }
    }
}

fn render_raw_method(out: &mut String, op: &Operation, flavor: Flavor) {
    let params: Vec<&Param> = op.params.iter().filter(|p| p.fixed.is_none()).collect();
    write!(out, "\n        {} {}(\n", flavor.def(), method_of(op.id)).unwrap();
    for s in signature(op, &params) {
        writeln!(out, "            {s},").unwrap();
    }
    writeln!(out, "        ) -> RawResponse[{}]: ...", returns_of(op)).unwrap();
}

//! `python/lasso/_generated.py`: one method per operation, for the sync
//! client (`Tables`, `_ClientMethods`) and the async one (`AsyncTables`,
//! `_AsyncClientMethods`, whose methods are `async def`).

use std::fmt::Write;

use lasso_spec::operation::{Operation, Paging, Param, ResponseKind, Ty};

use crate::names::{class_of, method_of, python_ident};
use crate::Group;

/// Which client the generated classes serve.
#[derive(Clone, Copy, PartialEq)]
enum Flavor {
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

    fn call(self) -> &'static str {
        match self {
            Flavor::Sync => "self._request",
            Flavor::Async => "await self._request",
        }
    }
}

pub fn render(groups: &[Group]) -> String {
    let mut out = crate::header("#", "operations.rs");
    out.push_str(
        "\"\"\"Resource methods of the Lasso API, one per operation of the core's table.\"\"\"\n\n\
         from __future__ import annotations\n\n\
         from typing import TYPE_CHECKING, Any, AsyncIterator, Dict, Iterator, List, Optional, Union\n\n\
         from ._base import NOT_GIVEN, NotGiven, _args, _AsyncResource, _Resource\n",
    );
    // Only type checkers read the response types: `import lasso` never loads `lasso.types`.
    out.push_str("\nif TYPE_CHECKING:\n    from .types import (\n");
    for name in crate::referenced_types(groups) {
        writeln!(out, "        {name},").unwrap();
    }
    out.push_str("    )\n");
    render_flavor(&mut out, groups, Flavor::Sync);
    render_flavor(&mut out, groups, Flavor::Async);
    out
}

fn render_flavor(out: &mut String, groups: &[Group], flavor: Flavor) {
    for group in groups.iter().filter(|g| !g.resource.is_empty()) {
        let children: Vec<&Group> = groups
            .iter()
            .filter(|c| is_child(group.resource, c.resource))
            .collect();
        write!(
            out,
            "\n\nclass {}({}):\n",
            flavor.class(group.resource),
            flavor.base()
        )
        .unwrap();
        writeln!(
            out,
            "    \"\"\"`client.{}`: {} operations.\"\"\"",
            group.resource, group.resource
        )
        .unwrap();
        render_children(out, &children, "self._client", flavor);
        for op in &group.ops {
            render_method(out, op, flavor);
        }
    }
    match flavor {
        Flavor::Sync => out.push_str(
            "\n\nclass _ClientMethods:\n    \"\"\"The client's own operations and its resource namespaces.\"\"\"\n\n",
        ),
        Flavor::Async => out.push_str(
            "\n\nclass _AsyncClientMethods:\n    \"\"\"The async client's own operations and its resource namespaces.\"\"\"\n\n",
        ),
    }
    let top: Vec<&Group> = groups
        .iter()
        .filter(|g| !g.resource.is_empty() && !g.resource.contains('.'))
        .collect();
    for g in &top {
        writeln!(out, "    {}: {}", g.resource, flavor.class(g.resource)).unwrap();
    }
    write!(
        out,
        "\n    {} _request(\n        self,\n        operation: str,\n        args: Optional[Dict[str, Any]] = None,\n        *,\n        timeout: Optional[float] = None,\n        max_retries: Optional[int] = None,\n    ) -> Any:\n        raise NotImplementedError\n\n    def _init_resources(self) -> None:\n",
        flavor.def()
    )
    .unwrap();
    for g in &top {
        writeln!(
            out,
            "        self.{} = {}(self)",
            g.resource,
            flavor.class(g.resource)
        )
        .unwrap();
    }
    for op in groups
        .iter()
        .filter(|g| g.resource.is_empty())
        .flat_map(|g| &g.ops)
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

fn render_children(out: &mut String, children: &[&Group], client: &str, flavor: Flavor) {
    if children.is_empty() {
        return;
    }
    out.push('\n');
    for c in children {
        let attr = method_of(c.resource);
        writeln!(out, "    {attr}: {}", flavor.class(c.resource)).unwrap();
    }
    out.push_str("\n    def __init__(self, client: Any) -> None:\n        super().__init__(client)\n");
    for c in children {
        writeln!(
            out,
            "        self.{} = {}({client})",
            method_of(c.resource),
            flavor.class(c.resource)
        )
        .unwrap();
    }
}

fn py_type(ty: Ty) -> String {
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
fn given_type(p: &Param) -> String {
    match p.nullable {
        true => format!("Optional[{}]", py_type(p.ty)),
        false => py_type(p.ty),
    }
}

/// The parameters after `self`: positional ones, then keyword-only ones
/// (required first), then the per-call options and `**extra`.
fn signature(params: &[&Param]) -> Vec<String> {
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
    sig.push("timeout: Optional[float] = None".to_owned());
    sig.push("max_retries: Optional[int] = None".to_owned());
    sig.push("**extra: Any".to_owned());
    sig
}

fn write_def(
    out: &mut String,
    def: &str,
    name: &str,
    sig: &[String],
    returns: &str,
    doc: &str,
    params: &[&Param],
) {
    write!(out, "\n    {def} {name}(\n").unwrap();
    for s in sig {
        writeln!(out, "        {s},").unwrap();
    }
    writeln!(out, "    ) -> {returns}:").unwrap();
    writeln!(out, "        \"\"\"{doc}").unwrap();
    let documented: Vec<&&Param> = params.iter().filter(|p| !p.doc.is_empty()).collect();
    if !documented.is_empty() {
        out.push_str("\n        Args:\n");
        for p in documented {
            let null = if p.nullable {
                " ``None`` sends ``null``."
            } else {
                ""
            };
            writeln!(out, "            {}: {}{null}", python_ident(p.name), p.doc).unwrap();
        }
    }
    out.push_str("        \"\"\"\n");
}

fn args_dict(params: &[&Param]) -> String {
    let args: Vec<String> = params
        .iter()
        .map(|p| format!("\"{}\": {}", p.name, python_ident(p.name)))
        .collect();
    format!("_args({{{}}}, extra)", args.join(", "))
}

fn render_method(out: &mut String, op: &Operation, flavor: Flavor) {
    let params: Vec<&Param> = op.params.iter().filter(|p| p.fixed.is_none()).collect();
    let sig = signature(&params);
    let returns = match op.returns {
        _ if op.response == ResponseKind::Empty => "None",
        Some(model) => model,
        None => "Dict[str, Any]",
    };
    let doc = format!("``{} {}``: {}", op.method, op.path, op.summary);
    write_def(out, flavor.def(), method_of(op.id), &sig, returns, &doc, &params);
    let call = format!(
        "{}(\"{}\", {}, timeout=timeout, max_retries=max_retries)",
        flavor.call(),
        op.id,
        args_dict(&params)
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
    let name = match method_of(op.id) {
        "list" => "iter".to_owned(),
        other => format!("iter_{other}"),
    };
    let item = crate::item_model(op).unwrap_or("Dict[str, Any]");
    let returns = match flavor {
        Flavor::Sync => format!("Iterator[{item}]"),
        Flavor::Async => format!("AsyncIterator[{item}]"),
    };
    let how = match flavor {
        Flavor::Sync => "for item in",
        Flavor::Async => "async for item in",
    };
    let doc = format!(
        "Every item of ``{}``, page after page (100 a page unless ``{}`` is given; the next page is fetched while this one is used): ``{how} client.{}.{name}(...)``.",
        op.id,
        match op.paging {
            Paging::Cursor { size, .. } => size,
            _ => "limit",
        },
        crate::names::resource_of(op.id)
    );
    write_def(out, "def", &name, sig, &returns, &doc, params);
    writeln!(
        out,
        "        return self._paginate(\"{}\", {}, timeout=timeout, max_retries=max_retries)",
        op.id,
        args_dict(params)
    )
    .unwrap();
}

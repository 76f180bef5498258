//! `kotlin/src/main/kotlin/ai/lasso/generated/Operations.kt`: a resource class per
//! resource with a `suspend` method per operation (named arguments, optional ones
//! defaulting to `NotGiven`, so that "not given" and `null` stay apart up to the core), its `CompletableFuture` twin for Java, a `Flow` per
//! list operation, and `ClientMethods`, the client's own operations and namespaces.
//! The hand-written `LassoClient` extends `ClientMethods`.

use std::fmt::Write;

use lasso_spec::operation::{Operation, Paging, Param, ResponseKind, Ty};

use crate::kotlin_types::decode_model;
use crate::names::{camel, class_of, method_of};
use crate::Group;

/// Kotlin's hard keywords, which need backticks as names.
const KEYWORDS: &[&str] = &[
    "as",
    "break",
    "class",
    "continue",
    "do",
    "else",
    "false",
    "for",
    "fun",
    "if",
    "in",
    "interface",
    "is",
    "null",
    "object",
    "package",
    "return",
    "super",
    "this",
    "throw",
    "true",
    "try",
    "typealias",
    "typeof",
    "val",
    "var",
    "when",
    "while",
];

/// A Kotlin identifier for a wire name: `table_id` → `tableId` (`in` → `` `in` ``).
pub fn ident(name: &str) -> String {
    let c = camel(name);
    if KEYWORDS.contains(&c.as_str()) {
        format!("`{c}`")
    } else {
        c
    }
}

/// The Kotlin type of an argument, without nullability.
pub(crate) fn arg_type(ty: Ty) -> String {
    match ty {
        Ty::Enum(name) => return name.to_owned(),
        Ty::EnumList(name) => return format!("List<{name}>"),
        _ => {}
    }
    match ty {
        Ty::Str => "String",
        Ty::Int => "Int",
        Ty::Num => "Double",
        Ty::Bool => "Boolean",
        Ty::StrList => "List<String>",
        Ty::Obj => "Map<String, Any?>",
        Ty::ObjList => "List<Map<String, Any?>>",
        Ty::Any => "Any?",
        Ty::Enum(_) | Ty::EnumList(_) => unreachable!("handled above"),
    }
    .to_owned()
}

/// The `NotGiven` constant an optional argument of this type defaults to.
fn not_given(ty: Ty) -> String {
    if let Ty::Enum(name) = ty {
        return format!("{name}.NOT_GIVEN");
    }
    match ty {
        Ty::Str => "NotGiven.STRING",
        Ty::Int => "NotGiven.INT",
        Ty::Num => "NotGiven.DOUBLE",
        Ty::Bool => "NotGiven.BOOLEAN",
        Ty::StrList | Ty::ObjList | Ty::EnumList(_) => "NotGiven.LIST",
        Ty::Obj => "NotGiven.MAP",
        Ty::Any => "NotGiven.ANY",
        Ty::Enum(_) => unreachable!("handled above"),
    }
    .to_owned()
}

/// What an operation returns: its model, `Unit` for an empty response.
pub(crate) fn response_type(op: &Operation) -> String {
    match op.returns {
        _ if op.response == ResponseKind::Empty => "Unit".to_owned(),
        Some(model) => model.to_owned(),
        None => "JsonElement".to_owned(),
    }
}

/// The arguments a method takes, in order: positional ones, then the others.
pub(crate) fn arguments(op: &Operation) -> Vec<&Param> {
    let mut args: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.fixed.is_none() && p.positional)
        .collect();
    args.extend(
        op.params
            .iter()
            .filter(|p| p.fixed.is_none() && !p.positional && p.required),
    );
    args.extend(
        op.params
            .iter()
            .filter(|p| p.fixed.is_none() && !p.positional && !p.required),
    );
    args
}

/// `name: Type` or `name: Type? = NotGiven.X`.
pub(crate) fn declaration(p: &Param) -> String {
    let ty = arg_type(p.ty);
    if p.required {
        format!("{}: {ty}", ident(p.name))
    } else if p.ty == Ty::Any {
        format!("{}: Any? = {}", ident(p.name), not_given(p.ty))
    } else {
        format!("{}: {ty}? = {}", ident(p.name), not_given(p.ty))
    }
}

/// The `Args()` expression collecting an operation's arguments.
fn args_expr(op: &Operation) -> String {
    let mut out = String::from("Args()");
    for p in op.params {
        match p.fixed {
            Some(value) => write!(out, ".put(\"{}\", \"{value}\")", p.name).unwrap(),
            None if p.required => write!(out, ".put(\"{}\", {})", p.name, ident(p.name)).unwrap(),
            None => write!(out, ".opt(\"{}\", {})", p.name, ident(p.name)).unwrap(),
        }
    }
    out.push_str(".extra(extra)");
    out
}

pub fn render(groups: &[Group]) -> String {
    let mut out = crate::header("//", "operations.rs");
    out.push_str(
        "@file:Suppress(\"RedundantVisibilityModifier\", \"UNUSED_PARAMETER\")\n\npackage ai.lasso\n\n\
         import java.util.concurrent.CompletableFuture\n\
         import kotlinx.coroutines.flow.Flow\n\
         import kotlinx.serialization.json.JsonElement\n",
    );
    for group in groups.iter().filter(|g| !g.resource.is_empty()) {
        let children = children(groups, group.resource);
        write!(
            out,
            "\n/** `client.{}`: {} operations. */\npublic open class {} internal constructor(internal val caller: Caller) {{\n",
            camel_path(group.resource),
            group.resource,
            class_of(group.resource)
        )
        .unwrap();
        for c in &children {
            writeln!(
                out,
                "    /** `{}` operations. */\n    public val {}: {} by lazy {{ {}(caller) }}\n",
                c.resource,
                camel(method_of(c.resource)),
                class_of(c.resource),
                class_of(c.resource)
            )
            .unwrap();
        }
        for op in &group.ops {
            render_method(&mut out, op);
        }
        out.push_str("}\n");
    }
    out.push_str(
        "\n/** The client's own operations and its resource namespaces; [LassoClient] is one. */\n\
         public abstract class ClientMethods internal constructor() {\n    internal abstract val caller: Caller\n\n",
    );
    for g in groups
        .iter()
        .filter(|g| !g.resource.is_empty() && !g.resource.contains('.'))
    {
        writeln!(
            out,
            "    /** `{}` operations. */\n    public open val {}: {} by lazy {{ {}(caller) }}\n",
            g.resource,
            camel(g.resource),
            class_of(g.resource),
            class_of(g.resource)
        )
        .unwrap();
    }
    for op in groups
        .iter()
        .filter(|g| g.resource.is_empty())
        .flat_map(|g| &g.ops)
    {
        render_method(&mut out, op);
    }
    out.push_str("}\n");
    out
}

/// The resources directly below `resource` (`catalog.webhooks` below `catalog`).
fn children<'a>(groups: &'a [Group], resource: &str) -> Vec<&'a Group> {
    groups
        .iter()
        .filter(|c| {
            c.resource
                .strip_prefix(resource)
                .and_then(|r| r.strip_prefix('.'))
                .is_some_and(|r| !r.contains('.'))
        })
        .collect()
}

pub(crate) fn camel_path(resource: &str) -> String {
    resource.split('.').map(camel).collect::<Vec<_>>().join(".")
}

/// The KDoc lines of a method's arguments.
fn param_docs(out: &mut String, args: &[&Param]) {
    for p in args {
        let doc = if p.doc.is_empty() { "The id." } else { p.doc };
        writeln!(out, "     * @param {} {doc}", ident(p.name).trim_matches('`')).unwrap();
    }
    out.push_str(
        "     * @param options Per-call `timeout`, `maxRetries` and `totalTimeout`.\n     \
         * @param extra Arguments newer than this SDK, by wire name, sent as given.\n",
    );
}

fn render_method(out: &mut String, op: &Operation) {
    let args = arguments(op);
    let mut sig: Vec<String> = args.iter().map(|p| declaration(p)).collect();
    sig.push("options: RequestOptions? = null".to_owned());
    sig.push("extra: Map<String, Any?> = emptyMap()".to_owned());
    let mut names: Vec<String> = args.iter().map(|p| ident(p.name)).collect();
    names.push("options".to_owned());
    names.push("extra".to_owned());
    let name = ident(method_of(op.id));
    let ret = response_type(op);
    writeln!(out, "    /**\n     * `{} {}`: {}", op.method, op.path, op.summary).unwrap();
    if args.iter().any(|p| !p.required) {
        out.push_str(
            "     *\n     * Optional arguments default to [NotGiven]: left out, they are not sent.\n",
        );
    }
    out.push_str("     *\n");
    param_docs(out, &args);
    out.push_str("     */\n");
    let call = if op.response == ResponseKind::Empty {
        format!("caller.callEmpty(\"{}\", {}, options)", op.id, args_expr(op))
    } else {
        let decode = op.returns.map_or("it".to_owned(), |m| decode_model(m, "it"));
        format!(
            "caller.call(\"{}\", {}, options) {{ {decode} }}",
            op.id,
            args_expr(op)
        )
    };
    writeln!(
        out,
        "    public suspend fun {name}({}): {ret} =\n        {call}\n",
        sig.join(", ")
    )
    .unwrap();
    writeln!(
        out,
        "    /** [{}] for Java: a `CompletableFuture`; cancelling it cancels the call. */\n    @JvmOverloads\n    \
         public fun {}Async({}): CompletableFuture<{ret}> =\n        caller.future {{ {name}({}) }}\n",
        name.trim_matches('`'),
        name.trim_matches('`'),
        sig.join(", "),
        names.join(", ")
    )
    .unwrap();
    if op.paging != Paging::None {
        render_iter(out, op, &args, &sig);
    }
}

/// `list` → `iter`, `rows` → `iterRows`: every item of a list operation, page after page.
pub fn iter_name(op: &Operation) -> String {
    match method_of(op.id) {
        "list" => "iter".to_owned(),
        other => format!("iter{}", class_of(other)),
    }
}

/// The `Flow` twin of a list operation, driving the core's pager.
fn render_iter(out: &mut String, op: &Operation, args: &[&Param], sig: &[String]) {
    let Some(item) = crate::item_model(op) else {
        return;
    };
    let size = match op.paging {
        Paging::Page => "limit",
        Paging::Cursor { size, .. } => size,
        Paging::None => return,
    };
    writeln!(
        out,
        "    /**\n     * Every item of `{} {}`, page after page, as a cold [Flow]: each collection \
         starts from the first page. Pages of `{size}` = 100 unless set; the next page is \
         fetched while the current one is collected, and no further (back-pressure). \
         Cancelling the collection drops the page in flight.\n     *",
        op.method, op.path
    )
    .unwrap();
    param_docs(out, args);
    out.push_str("     */\n");
    writeln!(
        out,
        "    public fun {}({}): Flow<{item}> =\n        caller.paginate(\"{}\", {}, options) {{ {} }}\n",
        iter_name(op),
        sig.join(", "),
        op.id,
        args_expr(op),
        decode_model(item, "it")
    )
    .unwrap();
}

#[cfg(test)]
mod tests {
    use lasso_spec::operation::{Paging, OPERATIONS};

    use super::{iter_name, render};

    #[test]
    fn every_operation_has_a_suspend_method_a_future_and_lists_a_flow() {
        let kt = render(&crate::groups());
        for op in OPERATIONS.iter().filter(|op| !op.custom) {
            let call = format!("(\"{}\", ", op.id);
            assert!(kt.contains(&call), "no method calls {}", op.id);
            if op.paging != Paging::None {
                assert!(
                    kt.contains(&format!("fun {}(", iter_name(op))),
                    "no Flow for {}",
                    op.id
                );
                assert!(kt.contains(&format!("caller.paginate(\"{}\"", op.id)));
            }
        }
        let suspend = kt.matches("public suspend fun ").count();
        let futures = kt.matches("CompletableFuture<").count();
        assert_eq!(suspend, OPERATIONS.iter().filter(|op| !op.custom).count());
        assert_eq!(futures, suspend);
    }

    #[test]
    fn optional_arguments_default_to_not_given() {
        let kt = render(&crate::groups());
        assert!(
            kt.contains("maxResults: Int? = NotGiven.INT"),
            "search's max_results"
        );
        assert!(kt.contains(".opt(\"max_results\", maxResults)"));
        assert!(kt.contains("query: String,"), "search's query is required");
    }
}

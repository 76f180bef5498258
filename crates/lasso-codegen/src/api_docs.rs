//! `api.md` of each package: the API reference, as Stainless SDKs ship one. Every
//! resource and method of the spec with its parameters, return type, pagination and
//! billing, in the language's own spelling (one generator, the language a
//! parameter). The helpers (uploads, exports, waits) are listed after.

use std::fmt::Write;

use lasso_spec::helpers::{Helper, Sdk, HELPERS};
use lasso_spec::operation::{Operation, Paging, Param, ResponseKind, OPERATIONS};

use crate::names::{camel, method_of, resource_of, snake_iter_name, variant_of};
use crate::python::Flavor;
use crate::rust::Slot;
use crate::{kotlin, python, rust, typescript, Group};

/// The language an `api.md` is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// `node/api.md`: `@lasso-ai/sdk`.
    Node,
    /// `kotlin/api.md`: `ai.lasso:lasso-sdk`.
    Kotlin,
    /// `python/api.md`: the `lasso` package.
    Python,
    /// `crates/lasso-ai/api.md`: the `lasso-ai` crate.
    Rust,
}

impl Lang {
    /// Where the reference is written, from the repository root.
    pub fn path(self) -> &'static str {
        match self {
            Lang::Node => "node/api.md",
            Lang::Kotlin => "kotlin/api.md",
            Lang::Python => "python/api.md",
            Lang::Rust => "crates/lasso-ai/api.md",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Lang::Node => "Node / TypeScript (`@lasso-ai/sdk`)",
            Lang::Kotlin => "Kotlin / Java (`ai.lasso:lasso-sdk`)",
            Lang::Python => "Python (`lasso`)",
            Lang::Rust => "Rust (`lasso-ai`)",
        }
    }

    fn conventions(self) -> &'static str {
        match self {
            Lang::Node => {
                "Every method returns an `APIPromise` (a Promise with `.withResponse()`, which also \
                 gives the response's `status`, `headers` and `requestId`) and takes `options?: \
                 RequestOptions` last: `timeout` (ms; `Infinity` for none), `maxRetries`, `headers`, \
                 `extraQuery`, `extraBody`, `allowEnrichWithoutWebhook` and `signal`. Positional ids \
                 are camelCase; the other parameters are one object whose keys are the API's own \
                 (snake_case). The parameter types are strict: an unknown key is a type error and, \
                 at run time, a `ConfigurationError` naming the close match; send fields newer than \
                 this SDK through `extraBody` / `extraQuery`. Response types are in \
                 [`src/types.ts`](src/types.ts)."
            }
            Lang::Kotlin => {
                "Every method is a `suspend` function with named arguments (camelCase), and a \
                 `…Async` twin returning a `CompletableFuture` for Java. An optional argument \
                 defaults to a `NotGiven` constant and is then not sent; `null` is sent as `null` \
                 where the API takes it. Every method also takes `options: RequestOptions?` \
                 (`timeout`, `maxRetries`, `totalTimeout` as `Duration`s, `Duration.INFINITE` for \
                 none; `headers`, `extraQuery`, `extraBody`, `allowEnrichWithoutWebhook`) and \
                 `extra: Map<String, Any?>` (arguments newer than this SDK, by wire name). \
                 `client.withResponse { … }` gives a result with its response's `status`, `headers` \
                 and `requestId`. Response types are the data classes of \
                 [`generated/Types.kt`](src/main/kotlin/ai/lasso/generated/Types.kt)."
            }
            Lang::Python => {
                "Every method is shown on `LassoClient`; `AsyncLassoClient` has the same ones as \
                 coroutines (`await client.tables.get(table_id)`), and its `iter…` twins are async \
                 iterators (`async for row in client.tables.iter_rows(table_id)`). Ids are positional, \
                 every other parameter is keyword-only, with the API's own (snake_case) name (`from_` \
                 for `from`). An optional parameter left out (`NOT_GIVEN`) is not sent; `None` is sent \
                 as `null` only where the type is `Optional[…]`. Every method ends with the per-call \
                 options: `timeout` (seconds for each attempt, `None` for none), `max_retries`, \
                 `extra_headers`, `extra_query`, and `extra_body` where a JSON body is sent (fields \
                 newer than this SDK). `client.with_options(…)` gives a client sharing the connection \
                 pool whose calls default to other options; `client.with_raw_response.tables.get(…)` \
                 (any operation) returns a `RawResponse` with the status, headers, request id and \
                 `parse()`. Responses are plain dicts, typed by the `TypedDict`s of \
                 [`lasso/types.py`](lasso/types.py)."
            }
            Lang::Rust => {
                "Every operation is a method of a resource handle (`client.tables()`, \
                 `client.catalog().webhooks()`) returning a `Call<T>`: nothing is sent until it is \
                 awaited, and it gives `Result<T, lasso_ai::Error>`. Ids are `&str` arguments; the \
                 other arguments are one `…Params` struct, whose `new(…)` takes the required ones (in \
                 the order shown) and which has a setter per optional one and `.extra(name, value)` for \
                 fields newer than this SDK. Enumerations are enums, and a choice of exactly one \
                 parameter is an enum too (`TableSource`). Per-call options go in a `RequestOptions` \
                 (`timeout`, `max_retries`, `header`, `extra_query`, `extra_body`, `total_timeout`, \
                 `allow_enrich_without_webhook`) given to `.with_options(…)` on a call or a stream; \
                 `.with_response()` on a call gives its value with the response's status, request id \
                 and headers. The client needs a tokio runtime. Response types are the structs of \
                 [`src/types.rs`](src/types.rs), re-exported at the crate's root."
            }
        }
    }

    /// The info string of the signatures' code blocks.
    fn fence(self) -> &'static str {
        match self {
            Lang::Node => "ts",
            Lang::Kotlin => "kotlin",
            Lang::Python => "python",
            Lang::Rust => "rust",
        }
    }
}

/// The whole `api.md` of `lang`.
pub(crate) fn render(lang: Lang, groups: &[Group]) -> String {
    let mut out = format!(
        "<!-- Generated by lasso-codegen from crates/lasso-spec: do not edit (run `./just codegen`). -->\n\n\
         # API reference: {}\n\n{}\n\n\
         **Billing.** A method marked *billed* spends credits. It is sent again after a failure \
         only when the server cannot have acted on it: the request was never sent (the connection \
         was refused, say), or the answer was 429 or 503; never after a timeout, a connection broken once the request \
         may have gone out, or any other answer.\n\n\
         ## Resources\n\n",
        lang.title(),
        lang.conventions()
    );
    for g in groups {
        writeln!(
            out,
            "- [`{}`](#{}): {}",
            namespace(lang, g.resource),
            anchor(&namespace(lang, g.resource)),
            g.ops
                .iter()
                .map(|op| method_name(lang, op))
                .collect::<Vec<_>>()
                .join(", ")
        )
        .unwrap();
    }
    out.push_str("- [Helpers](#helpers): uploads, exports and waits\n");
    out.push_str("- [Client options](#client-options): what a client is built with\n");
    for g in groups {
        write!(out, "\n## {}\n", namespace(lang, g.resource)).unwrap();
        for op in &g.ops {
            render_op(&mut out, lang, g.resource, op);
        }
    }
    match lang {
        Lang::Python => out.push_str(&python_helpers()),
        Lang::Rust => out.push_str(&rust_helpers()),
        Lang::Kotlin => out.push_str(&crate::kotlin_helpers::api_md()),
        Lang::Node => out.push_str(helpers(lang)),
    }
    out.push_str(&client_options(lang));
    out
}

/// The `## Client options` section: the constructor's options (Rust: the
/// builder's setters), from `lasso_spec::CLIENT_OPTIONS`.
fn client_options(lang: Lang) -> String {
    let (intro, rows) = match lang {
        Lang::Python => (
            "`LassoClient(api_key=None, base_url=None, *, …)`; `AsyncLassoClient` takes the same.",
            crate::python_client::reference(),
        ),
        Lang::Node => (
            "`new LassoClient(options?: ClientOptions)`, or `new LassoClient(apiKey)`.",
            crate::typescript_client::reference(),
        ),
        Lang::Kotlin => (
            "`LassoClient(apiKey = …, …)` with named arguments; from Java, `LassoClient.builder()` \
             has a setter of each name.",
            crate::kotlin_client::reference(),
        ),
        Lang::Rust => (
            "`Client::builder()` (or `ClientBuilder::from_env()`), then these setters and `.build()`.",
            rust_client_options(),
        ),
    };
    let mut out = format!(
        "\n## Client options\n\n{intro} Omitted options come from the environment (`LASSO_API_KEY`, \
         `LASSO_BASE_URL`, the proxy variables), then from the defaults.\n\n\
         | option | type | description |\n|---|---|---|\n"
    );
    for [name, ty, doc] in rows {
        writeln!(
            out,
            "| `{name}` | `{}` | {} |",
            ty.replace('|', "\\|"),
            doc.replace('|', "\\|")
        )
        .unwrap();
    }
    out
}

/// The `ClientBuilder` setter of each option: (setter, its argument, the option).
fn rust_setters() -> Vec<(&'static str, &'static str, &'static lasso_spec::ClientOption)> {
    use lasso_spec::client_options::{ClientOptionTy as T, CLIENT_OPTIONS};
    let mut out = Vec::new();
    for o in CLIENT_OPTIONS {
        let setters: &[(&str, &str)] = match (o.ty, o.name) {
            (T::Headers, _) => &[("header", "name, value")],
            (T::Proxy, _) => &[("proxy", "url"), ("no_proxy", "")],
            (T::CaBundle, _) => &[("ca_bundle", "CaBundle")],
            (T::Logger, _) => &[("logger", "Level, Logger")],
            // The logger's level is its setter's first argument.
            (T::LogLevel, _) => &[],
            (T::Duration, _) => &[(o.name, "Duration")],
            (T::Bool, _) => &[(o.name, "bool")],
            (T::Count, "max_retries") => &[(o.name, "u32")],
            (T::Count | T::Bytes, _) => &[(o.name, "usize")],
            _ => &[(o.name, "impl Into<String>")],
        };
        out.extend(setters.iter().map(|(setter, arg)| (*setter, *arg, o)));
    }
    out
}

fn rust_client_options() -> Vec<[String; 3]> {
    rust_setters()
        .into_iter()
        .map(|(setter, arg, o)| {
            let default = crate::names::default_sentence(o, |ms| match ms % 1000 {
                0 => format!(" Default {} s.", ms / 1000),
                _ => format!(" Default {ms} ms."),
            });
            let doc = crate::names::with_error_classes(o.doc, |class| format!("Error::{class}"));
            let doc = match setter {
                "no_proxy" => "No proxy at all, whatever the environment says.".to_owned(),
                _ => format!("{doc}{default}"),
            };
            // The "type" is the setter's argument.
            let arg = if arg.is_empty() { "()" } else { arg };
            [format!(".{setter}"), arg.to_owned(), doc]
        })
        .collect()
}

/// `client`, `client.tables`, `client.catalog.webhooks`.
fn namespace(lang: Lang, resource: &str) -> String {
    match (lang, resource) {
        (_, "") => "client".to_owned(),
        (Lang::Node, r) => format!("client.{}", typescript::camel_path(r)),
        (Lang::Kotlin, r) => format!("client.{}", kotlin::camel_path(r)),
        (Lang::Python, r) => format!("client.{r}"),
        (Lang::Rust, r) => format!(
            "client.{}",
            r.split('.')
                .map(|s| format!("{s}()"))
                .collect::<Vec<_>>()
                .join(".")
        ),
    }
}

/// A GitHub-style heading anchor.
fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn method_name(lang: Lang, op: &Operation) -> String {
    match lang {
        Lang::Node | Lang::Kotlin => camel(method_of(op.id)),
        Lang::Python | Lang::Rust => method_of(op.id).to_owned(),
    }
}

/// One row of a method's parameter table.
struct Row {
    shown: String,
    ty: String,
    required: bool,
    /// `path`, `query`, `body`, or `option` (an opt-in of the per-call options).
    loc: String,
    doc: String,
}

impl Row {
    fn of(p: &Param, shown: String, ty: String) -> Row {
        let nullable = if p.nullable && !p.doc.contains("`null`") {
            " Takes `null`."
        } else {
            ""
        };
        Row {
            shown,
            ty,
            required: p.required,
            loc: format!("{:?}", p.loc).to_lowercase(),
            doc: format!("{}{nullable}", p.doc),
        }
    }
}

/// The method's parameters as the language passes them, in the order of its signature.
fn rows(lang: Lang, op: &Operation) -> Vec<Row> {
    let all: Vec<&Param> = op.params.iter().filter(|p| p.fixed.is_none()).collect();
    match lang {
        Lang::Node => {
            let mut ordered: Vec<&Param> = all.iter().copied().filter(|p| p.positional).collect();
            ordered.extend(all.iter().copied().filter(|p| !p.positional));
            ordered
                .into_iter()
                .map(|p| {
                    let shown = if p.positional {
                        camel(p.name)
                    } else {
                        p.name.to_owned()
                    };
                    Row::of(p, shown, typescript::param_type(p))
                })
                .collect()
        }
        Lang::Kotlin => kotlin::arguments(op)
            .into_iter()
            .map(|p| {
                let nullable = if p.nullable { "?" } else { "" };
                let ty = format!("{}{nullable}", kotlin::arg_type(p.ty));
                Row::of(p, kotlin::ident(p.name), ty)
            })
            .collect(),
        Lang::Python => {
            // Python's signature has Kotlin's order: positional, then required, then optional.
            let mut rows: Vec<Row> = kotlin::arguments(op)
                .into_iter()
                .map(|p| Row::of(p, crate::names::python_ident(p.name), python::given_type(p)))
                .collect();
            rows.extend(op.opt_ins.iter().map(|o| Row {
                shown: o.name.to_owned(),
                ty: "bool".to_owned(),
                required: false,
                loc: "option".to_owned(),
                doc: o.doc.to_owned(),
            }));
            rows
        }
        Lang::Rust => {
            let mut rows: Vec<Row> = all
                .iter()
                .filter(|p| p.positional)
                .map(|p| Row::of(p, rust::ident(p.name), rust::arg_type(p)))
                .collect();
            for slot in rust::slots(op) {
                rows.push(match slot {
                    Slot::One(p) => Row::of(p, rust::ident(p.name), rust::field_type(p)),
                    Slot::Choice(name, params) => Row {
                        shown: rust::choice_field(name),
                        ty: name.to_owned(),
                        required: true,
                        loc: format!("{:?}", params[0].loc).to_lowercase(),
                        doc: format!(
                            "Exactly one of: {}.",
                            params
                                .iter()
                                .map(|p| format!(
                                    "`{name}::{}({})` (`{}`): {}",
                                    variant_of(p.name),
                                    rust::field_type(p),
                                    p.name,
                                    p.doc.trim_end_matches('.')
                                ))
                                .collect::<Vec<_>>()
                                .join("; ")
                        ),
                    },
                });
            }
            rows
        }
    }
}

/// The type an operation's method gives (in `Call<…>`, `APIPromise<…>`, …).
fn response_type(lang: Lang, op: &Operation) -> String {
    match lang {
        Lang::Node => typescript::response_type(op),
        Lang::Kotlin => kotlin::response_type(op),
        Lang::Python => python::returns_of(op).to_owned(),
        Lang::Rust => rust::response_type(op).to_owned(),
    }
}

/// The method's declaration, as the code block shows it.
fn signature(lang: Lang, ns: &str, name: &str, op: &Operation) -> String {
    let returns = response_type(lang, op);
    match lang {
        Lang::Node => {
            let mut args: Vec<String> = op
                .params
                .iter()
                .filter(|p| p.positional)
                .map(|p| camel(p.name))
                .collect();
            if typescript::named(op).next().is_some() {
                let required = typescript::named(op).any(|p| p.required);
                args.push(format!(
                    "params{}: {}",
                    if required { "" } else { "?" },
                    typescript::params_name(op)
                ));
            }
            args.push("options?".to_owned());
            format!("{ns}.{name}({}): APIPromise<{returns}>", args.join(", "))
        }
        Lang::Kotlin => {
            let mut args: Vec<String> = kotlin::arguments(op)
                .iter()
                .map(|p| kotlin::declaration(p))
                .collect();
            args.push("options: RequestOptions? = null".to_owned());
            args.push("extra: Map<String, Any?> = emptyMap()".to_owned());
            format!("suspend fun {name}({}): {returns}", args.join(", "))
        }
        Lang::Python => {
            let params: Vec<&Param> = op.params.iter().filter(|p| p.fixed.is_none()).collect();
            python_call(ns, name, &python::signature(op, &params), &returns)
        }
        Lang::Rust => {
            let call = format!(
                "{ns}.{name}({}) -> Call<{returns}>",
                rust::method_args(op).join(", ")
            );
            let slots = rust::slots(op);
            if slots.is_empty() {
                return call;
            }
            let (args, _) = rust::constructor(&slots);
            format!("{call}\n{}::new({})", rust::params_name(op), args.join(", "))
        }
    }
}

/// `ns.name(` then a parameter a line (a generated signature, `self` first), `) -> returns`.
fn python_call(ns: &str, name: &str, sig: &[String], returns: &str) -> String {
    let params: String = sig
        .iter()
        .filter(|s| *s != "self")
        .map(|s| format!("    {s},\n"))
        .collect();
    format!("{ns}.{name}(\n{params}) -> {returns}")
}

fn render_op(out: &mut String, lang: Lang, resource: &str, op: &Operation) {
    let ns = namespace(lang, resource);
    let name = method_name(lang, op);
    write!(
        out,
        "\n### `{ns}.{name}`\n\n`{} {}`: {}\n\n```{}\n{}\n```\n",
        op.method,
        op.path,
        op.summary,
        lang.fence(),
        signature(lang, &ns, &name, op)
    )
    .unwrap();
    let rows = rows(lang, op);
    if !rows.is_empty() {
        out.push_str("\n| parameter | type | required | in | description |\n|---|---|---|---|---|\n");
        for r in rows {
            writeln!(
                out,
                "| `{}` | `{}` | {} | {} | {} |",
                r.shown,
                r.ty.replace('|', "\\|"),
                if r.required { "yes" } else { "no" },
                r.loc,
                r.doc.replace('|', "\\|")
            )
            .unwrap();
        }
    }
    let result = match op.response {
        ResponseKind::Empty => "nothing (the API answers with no content)".to_owned(),
        _ => format!("`{}`", response_type(lang, op)),
    };
    writeln!(out, "\n- **Returns** {result}.").unwrap();
    match op.paging {
        Paging::None => {}
        paging => {
            let how = match paging {
                Paging::Page => "numbered pages (`page`, `limit`)".to_owned(),
                Paging::Cursor { size, .. } => format!("a cursor (`cursor`, page size `{size}`)"),
                Paging::None => unreachable!(),
            };
            let item = crate::item_model(op);
            let iter = match lang {
                Lang::Node => format!(
                    "`{ns}.{}(…)` is an `AsyncIterableIterator<{}>` over every item",
                    typescript::iter_name(op),
                    item.unwrap_or("JsonObject")
                ),
                Lang::Kotlin => format!(
                    "`{ns}.{}(…)` is a cold `Flow<{}>` over every item",
                    kotlin::iter_name(op),
                    item.unwrap_or("JsonObject")
                ),
                Lang::Python => {
                    let item = item.unwrap_or("Dict[str, Any]");
                    format!(
                        "`{ns}.{}(…)`, with the same parameters, is an `Iterator[{item}]` \
                         (`AsyncIterator[{item}]` from `AsyncLassoClient`) over every item",
                        snake_iter_name(op)
                    )
                }
                Lang::Rust => {
                    let item = item.unwrap_or("Value");
                    let iter = snake_iter_name(op);
                    let decoded = if item == "Row" {
                        format!(" (`{iter}_as::<D>(…)`: each row's `data` decoded as your `D`)")
                    } else {
                        String::new()
                    };
                    format!(
                        "`{ns}.{iter}(…)`, with the same arguments, is a `ListStream<{item}>`, a `Stream` \
                         of `Result<{item}, Error>` over every item{decoded}"
                    )
                }
            };
            writeln!(
                out,
                "- **Pagination** by {how}; {iter}, 100 a page unless set, the next page fetched while this one is consumed."
            )
            .unwrap();
        }
    }
    writeln!(
        out,
        "- **Billing** {}.",
        if op.billed {
            "billed: spends credits"
        } else {
            "not billed"
        }
    )
    .unwrap();
}

/// The hand-written helpers of each language, for the operations the generator leaves out.
fn helpers(lang: Lang) -> &'static str {
    match lang {
        Lang::Node => {
            // Built once: the rows come from the helper descriptors.
            static NODE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            NODE.get_or_init(|| {
                format!(
                    "\n## Helpers\n\n\
                     Methods over the core's helpers (see [README.md](README.md)), for what is not a plain call: \
                     generated from the helper descriptors of `crates/lasso-spec`.\n\n\
                     | helper | does |\n|---|---|\n\
                     {}\
                     | `client.withOptions(options): LassoClient` | a client sharing the pool, with other per-call defaults |\n\
                     | `webhooks.verify` / `constructWebhookEvent` / `signWebhook` | webhook signatures |\n",
                    crate::typescript_helpers::api_doc_rows()
                )
            })
        }
        Lang::Kotlin => unreachable!("rendered by kotlin_helpers::api_md"),
        Lang::Python | Lang::Rust => unreachable!("rendered by python_helpers and rust_helpers"),
    }
}

/// What a helper sends (from its descriptor, or a Rust-only helper's own list),
/// and whether that is billed.
pub(crate) fn sends(ids: &[&str]) -> String {
    let ops: Vec<&Operation> = ids
        .iter()
        .map(|id| {
            OPERATIONS
                .iter()
                .find(|op| op.id == *id)
                .expect("a helper sends an operation of the table")
        })
        .collect();
    let billed = if ops.iter().any(|op| op.billed) {
        "billed"
    } else {
        "not billed"
    };
    format!("{}; {billed}", requests(&ops))
}

/// `` `GET /tables/{table_id}`, … ``: the requests of these operations.
pub(crate) fn requests(ops: &[&Operation]) -> String {
    ops.iter()
        .map(|op| format!("`{} {}`", op.method, op.path))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Python's helpers, each from its descriptor in [`HELPERS`], declared as
/// `python/lasso/_generated.py` declares it.
fn python_helpers() -> String {
    let mut out = String::from(
        "\n## Helpers\n\n\
         The methods that are more than one plain call, generated like the others (from the spec's \
         helper descriptors). On `AsyncLassoClient` each is a coroutine, and a wait's `on_progress` \
         may be an `async def` (awaited before the wait goes on). Their durations are in seconds. \
         `FileInput`, `Columns`, `PathArg`, `ProgressCallback`, `ExportedContent` and `SavedExport` \
         are defined in [`lasso/_helpers.py`](lasso/_helpers.py), `TableArrowStream` in \
         [`lasso/_arrow.py`](lasso/_arrow.py); `DataFrame` is pandas' and `PolarsDataFrame` polars'.\n",
    );
    for h in HELPERS.iter().filter(|h| h.is_in(Sdk::Python)) {
        let ns = namespace(Lang::Python, resource_of(h.id));
        let name = method_of(h.id);
        let sig = python::helper_signature(h, Flavor::Sync, "Optional[PathArg] = None");
        write!(out, "\n### `{ns}.{name}`\n\n{}\n", h.summary).unwrap();
        if !h.doc.is_empty() {
            write!(out, "\n{}\n", h.doc).unwrap();
        }
        write!(
            out,
            "\n```python\n{}\n```\n\n| parameter | description |\n|---|---|\n",
            python_call(&ns, name, &sig, &python::helper_result(h))
        )
        .unwrap();
        for (param, doc) in python::helper_docs(h) {
            writeln!(out, "| `{param}` | {} |", doc.replace('|', "\\|")).unwrap();
        }
        writeln!(out, "\n- **Sends** {}.", sends(h.sends)).unwrap();
    }
    out
}

/// A helper as the `lasso-ai` crate spells it: a builder (setters, then
/// `.await`), not the descriptor's parameter list, so it is written here; the
/// test below checks each declaration it names against the crate.
struct RustHelper {
    /// The helper of [`HELPERS`] it is; `None`: one only the crate has.
    id: Option<&'static str>,
    /// How it is called, with its result.
    call: &'static str,
    /// What it does, its setters and errors.
    does: String,
    /// The operations a helper that is not in [`HELPERS`] sends.
    own_sends: &'static [&'static str],
    /// What declares it: (a file of `crates/lasso-ai`, text it holds). The
    /// listing `public-api.txt` for the default features, the source behind others.
    #[cfg_attr(not(test), allow(dead_code))]
    declared: &'static [(&'static str, &'static str)],
}

const PUBLIC_API: &str = "public-api.txt";

/// Every helper of the `lasso-ai` crate: the [`HELPERS`] it has, then its own.
fn rust_helper_table() -> Vec<RustHelper> {
    use lasso_spec::helpers::{WAIT_INTERVAL_MS, WAIT_TIMEOUT_MS};
    // `client.export().format(…)` in one format.
    let export = |id, call, format: &str, what: &str, declared| RustHelper {
        id: Some(id),
        call,
        does: format!(
            "`client.export().format(table_id, TableExportFormat::{format})`: {what}. The same setters \
             (`.to_path(path)`, `.columns(keys)`, `.with_options(…)`)."
        ),
        own_sends: &[],
        declared,
    };
    vec![
        RustHelper {
            id: Some("tables.wait_for_completion"),
            call: "client.tables().wait_for_completion(table_id: &str) -> WaitForCompletion<Table>",
            does: format!(
                "Awaited, polls until the extraction ends and gives the table. Setters: \
                 `.interval(Duration)` (default {} s), `.timeout(Duration)` (default {} s, for the \
                 whole wait), `.on_progress(impl FnMut(&Progress) + Send + 'static)`, \
                 `.with_options(RequestOptions)`. `Error::JobFailed` (carrying the table) when it \
                 ends `failed`, `error` or `cancelled`; `Error::Timeout` when the time is up.",
                WAIT_INTERVAL_MS / 1000,
                WAIT_TIMEOUT_MS / 1000
            ),
            own_sends: &[],
            declared: &[
                (
                    PUBLIC_API,
                    "pub fn lasso_ai::Tables::wait_for_completion(self, table_id: &str) -> WaitForCompletion<Table>",
                ),
                (PUBLIC_API, "pub fn lasso_ai::WaitForCompletion::interval(self, interval: Duration) -> Self"),
                (PUBLIC_API, "pub fn lasso_ai::WaitForCompletion::timeout(self, timeout: Duration) -> Self"),
                (
                    PUBLIC_API,
                    "pub fn lasso_ai::WaitForCompletion::on_progress(self, on_progress: impl FnMut(&Progress) + Send + 'static) -> Self",
                ),
                ("src/waiting.rs", "Duration::from_millis(lasso_spec::helpers::WAIT_INTERVAL_MS)"),
                ("src/waiting.rs", "Duration::from_millis(lasso_spec::helpers::WAIT_TIMEOUT_MS)"),
            ],
        },
        RustHelper {
            id: Some("enhance.wait_for_completion"),
            call: "client.enhance().wait_for_completion(table_id: &str) -> WaitForCompletion<EnhanceStatus>",
            does: "Awaited, polls the enhancement status until every cell is completed or failed and \
                   gives it; the same setters, and `.column(column_key)` to wait for one column's cells. \
                   `Error::JobFailed` when every cell failed."
                .to_owned(),
            own_sends: &[],
            declared: &[
                (
                    PUBLIC_API,
                    "pub fn lasso_ai::Enhance::wait_for_completion(self, table_id: &str) -> WaitForCompletion<EnhanceStatus>",
                ),
                (
                    PUBLIC_API,
                    "pub fn lasso_ai::WaitForCompletion::column(self, column_key: impl Into<String>) -> Self",
                ),
            ],
        },
        RustHelper {
            id: Some("files.upload"),
            call: "client.files().upload(upload: Upload) -> Call<FileObject>",
            does: "`Upload::path(path)` streams a file from disk, `Upload::bytes(bytes, filename)` sends \
                   bytes, `Upload::new(UploadSource::Stream { .. })` a stream of yours; `.filename(…)` and \
                   `.content_type(…)` set what is stored (default: the path's file name, and the type its \
                   extension gives). A file that cannot be read is `Error::File`, before anything is sent."
                .to_owned(),
            own_sends: &[],
            declared: &[
                (PUBLIC_API, "pub fn lasso_ai::Files::upload(self, upload: Upload) -> Call<FileObject>"),
                (PUBLIC_API, "pub fn lasso_ai::Upload::path(path: impl Into<PathBuf>) -> Upload"),
                (
                    PUBLIC_API,
                    "pub fn lasso_ai::Upload::bytes(bytes: impl Into<Bytes>, filename: impl Into<String>) -> Upload",
                ),
                (PUBLIC_API, "pub fn lasso_ai::Upload::new(source: UploadSource) -> Upload"),
                (PUBLIC_API, "pub lasso_ai::UploadSource::Stream"),
                (PUBLIC_API, "pub fn lasso_ai::Upload::filename(self, filename: impl Into<String>) -> Upload"),
                (
                    PUBLIC_API,
                    "pub fn lasso_ai::Upload::content_type(self, content_type: impl Into<String>) -> Upload",
                ),
                (PUBLIC_API, "pub lasso_ai::Error::File {"),
            ],
        },
        RustHelper {
            id: Some("export.download"),
            call: "client.export().format(table_id: &str, format: TableExportFormat) -> ExportRequest",
            does: "Awaited, the export in memory: a `Download` (`bytes`, `content_type`, `filename`), at \
                   most the client's `max_response_bytes`. `.to_path(path) -> Call<SavedExport>` streams it \
                   to a temporary file beside `path`, renamed into place once complete (`path`, `size`, \
                   `content_type`, `filename`). `.columns(keys)` keeps only these columns; \
                   `.with_options(…)`, where `total_timeout` bounds the whole download."
                .to_owned(),
            own_sends: &[],
            declared: &[
                (
                    PUBLIC_API,
                    "pub fn lasso_ai::Export::format(self, table_id: &str, format: TableExportFormat) -> ExportRequest",
                ),
                (
                    PUBLIC_API,
                    "pub fn lasso_ai::ExportRequest::to_path(self, path: impl AsRef<Path>) -> Call<SavedExport>",
                ),
                (
                    PUBLIC_API,
                    "pub fn lasso_ai::ExportRequest::columns(self, keys: impl IntoIterator<Item = impl Into<String>>) -> Self",
                ),
                (
                    PUBLIC_API,
                    "pub fn lasso_ai::ExportRequest::with_options(self, options: RequestOptions) -> Self",
                ),
                (PUBLIC_API, "pub lasso_ai::SavedExport::size: u64"),
                (PUBLIC_API, "pub lasso_ai::Download::bytes: bytes::Bytes"),
            ],
        },
        export(
            "export.json",
            "client.export().json(table_id: &str) -> ExportRequest",
            "Json",
            "the rows as JSON, which `Download::rows::<T>()` decodes into your type",
            &[
                (PUBLIC_API, "pub fn lasso_ai::Export::json(self, table_id: &str) -> ExportRequest"),
                (
                    PUBLIC_API,
                    "pub fn lasso_ai::Download::rows<T: DeserializeOwned>(&self) -> Result<Vec<T>, Error>",
                ),
            ],
        ),
        export(
            "export.csv",
            "client.export().csv(table_id: &str) -> ExportRequest",
            "Csv",
            "the CSV text (semicolon-delimited)",
            &[(PUBLIC_API, "pub fn lasso_ai::Export::csv(self, table_id: &str) -> ExportRequest")],
        ),
        export(
            "export.xlsx",
            "client.export().xlsx(table_id: &str) -> ExportRequest",
            "Xlsx",
            "the Excel workbook",
            &[(PUBLIC_API, "pub fn lasso_ai::Export::xlsx(self, table_id: &str) -> ExportRequest")],
        ),
        export(
            "export.images",
            "client.export().images(table_id: &str) -> ExportRequest",
            "Images",
            "a ZIP of the images of image columns",
            &[(PUBLIC_API, "pub fn lasso_ai::Export::images(self, table_id: &str) -> ExportRequest")],
        ),
        RustHelper {
            id: None,
            call: "client.table_batches(table_id: &str, options: RequestOptions) -> Result<TableBatches, Error>",
            does: "An `async fn` (cargo feature `arrow`): the table's rows as Arrow record batches typed by \
                   its column definitions, through `.schema()`, `.next_batch()`, `.into_stream()` or \
                   `.collect()`; `.to_ipc()` (feature `arrow-ipc`) gives Arrow IPC stream bytes."
                .to_owned(),
            own_sends: &["tables.columns", "tables.rows"],
            declared: &[
                ("src/arrow.rs", "pub async fn table_batches(\n        &self,\n        table_id: &str,\n        options: RequestOptions,\n    ) -> Result<TableBatches, Error>"),
                ("src/arrow.rs", "pub fn schema(&self) -> SchemaRef"),
                ("src/arrow.rs", "pub async fn next_batch(&mut self)"),
                ("src/arrow.rs", "pub fn into_stream(self)"),
                ("src/arrow.rs", "pub async fn collect(mut self)"),
                ("src/arrow.rs", "pub async fn to_ipc(mut self)"),
            ],
        },
        RustHelper {
            id: None,
            call: "client.with_options(options: RequestOptions) -> Client",
            does: "A client sharing the connection pool whose every call uses these options (a call's \
                   own `.with_options(…)` still wins)."
                .to_owned(),
            own_sends: &[],
            declared: &[(
                PUBLIC_API,
                "pub fn lasso_ai::Client::with_options(&self, options: RequestOptions) -> Client",
            )],
        },
        RustHelper {
            id: None,
            call: "lasso_ai::webhook::verify(payload: &[u8], signature_header: Option<&str>, secrets: &[&str]) -> Result<(), WebhookError>",
            does: "Checks a webhook delivery's signature (cargo feature `webhooks`, on by default); \
                   `construct_event` checks and parses it, `sign` signs a payload (for tests)."
                .to_owned(),
            own_sends: &[],
            declared: &[
                (
                    PUBLIC_API,
                    "pub fn lasso_ai::webhook::verify(payload: &[u8], signature_header: Option<&str>, secrets: &[&str]) -> Result<(), WebhookError>",
                ),
                (PUBLIC_API, "pub fn lasso_ai::webhook::construct_event("),
                (PUBLIC_API, "pub fn lasso_ai::webhook::sign(payload: &[u8], secret: &str) -> String"),
            ],
        },
    ]
}

/// The `lasso-ai` crate's helpers, as [`rust_helper_table`] spells them.
fn rust_helpers() -> String {
    let mut out = String::from(
        "\n## Helpers\n\n\
         The methods that are more than one plain call. The waits and exports are builders: set \
         what you need, then `.await`.\n\n| method | does | sends |\n|---|---|---|\n",
    );
    for r in rust_helper_table() {
        let sent = match r.id {
            Some(id) => {
                let h: &Helper = lasso_spec::helpers::helper(id).expect("a helper of HELPERS");
                sends(h.sends)
            }
            None if r.own_sends.is_empty() => "nothing".to_owned(),
            None => sends(r.own_sends),
        };
        writeln!(out, "| `{}` | {} | {sent} |", r.call, r.does.replace('|', "\\|")).unwrap();
    }
    out
}

#[cfg(test)]
mod tests {
    use lasso_spec::operation::OPERATIONS;

    use super::*;

    #[test]
    fn every_client_option_is_in_each_reference_and_the_rust_setters_exist() {
        let listing = std::fs::read_to_string(crate::format::root().join("crates/lasso-ai").join(PUBLIC_API))
            .expect("public-api.txt");
        let section = |lang| {
            let md = render(lang, &crate::groups());
            md[md.find("\n## Client options").expect("the section")..].to_owned()
        };
        let rust = section(Lang::Rust);
        for (setter, _, _) in rust_setters() {
            let declared = format!("pub fn lasso_ai::ClientBuilder::{setter}(");
            assert!(listing.contains(&declared), "no {declared} in {PUBLIC_API}");
            assert!(rust.contains(&format!("| `.{setter}` |")), "Rust: {setter}");
        }
        for (lang, sdk) in [
            (Lang::Python, Sdk::Python),
            (Lang::Node, Sdk::Node),
            (Lang::Kotlin, Sdk::Kotlin),
        ] {
            let section = section(lang);
            for o in lasso_spec::CLIENT_OPTIONS.iter().filter(|o| o.is_in(sdk)) {
                let named = match lang {
                    Lang::Python => o.python_name.unwrap_or(o.name).to_owned(),
                    _ => camel(o.name),
                };
                assert!(section.contains(&format!("| `{named}` |")), "{lang:?}: {named}");
            }
        }
    }

    const LANGS: [Lang; 4] = [Lang::Node, Lang::Kotlin, Lang::Python, Lang::Rust];

    #[test]
    fn every_generated_operation_is_documented_in_each_language() {
        for lang in LANGS {
            let md = render(lang, &crate::groups());
            for op in OPERATIONS.iter().filter(|op| !op.custom) {
                let line = format!("`{} {}`: {}", op.method, op.path, op.summary);
                assert!(md.contains(&line), "{lang:?}: {line}");
            }
            let billed = OPERATIONS.iter().filter(|op| !op.custom && op.billed).count();
            assert_eq!(md.matches("- **Billing** billed").count(), billed, "{lang:?}");
        }
        let node = render(Lang::Node, &crate::groups());
        assert!(node.contains("### `client.tables.list`"));
        assert!(node.contains("`client.tables.iter(…)` is an `AsyncIterableIterator<Table>`"));
        let kotlin = render(Lang::Kotlin, &crate::groups());
        assert!(
            kotlin.contains("| `maxResults` | `Int` | no | body |"),
            "{}",
            &kotlin[..2000]
        );
        let python = render(Lang::Python, &crate::groups());
        assert!(python.contains("### `client.catalog.webhooks.deliveries`"));
        assert!(python.contains("client.tables.get_row(\n    table_id: str,\n    row_id: str,\n    *,\n"));
        assert!(python.contains(
            "`client.tables.iter_rows(…)`, with the same parameters, is an `Iterator[Row]` \
             (`AsyncIterator[Row]` from `AsyncLassoClient`)"
        ));
        assert!(python.contains("| `allow_enrich_without_webhook` | `bool` | no | option |"));
        let rust = render(Lang::Rust, &crate::groups());
        assert!(rust.contains("### `client.catalog().webhooks().deliveries`"));
        assert!(rust.contains("client.tables().get(table_id: &str) -> Call<Table>\n"));
        assert!(rust.contains(
            "TablesCreateParams::new(schema_id: impl Into<String>, name: impl Into<String>, source: TableSource)"
        ));
        assert!(
            rust.contains("| `source` | `TableSource` | yes | body | Exactly one of: `TableSource::FileIds(")
        );
        assert!(rust.contains("is a `ListStream<Row>`"));
    }

    /// Every method heading of `md`, in order.
    fn headings(md: &str) -> Vec<&str> {
        md.lines().filter_map(|l| l.strip_prefix("### ")).collect()
    }

    #[test]
    fn every_python_helper_is_documented_from_its_descriptor() {
        let md = render(Lang::Python, &crate::groups());
        let helpers = &md[md.find("\n## Helpers\n").expect("a Helpers section")..];
        let expected: Vec<String> = HELPERS
            .iter()
            .filter(|h| h.is_in(Sdk::Python))
            .map(|h| format!("`client.{}`", h.id))
            .collect();
        assert_eq!(headings(helpers), expected);
        for h in HELPERS.iter().filter(|h| h.is_in(Sdk::Python)) {
            let (_, after) = helpers.split_once(&format!("### `client.{}`", h.id)).unwrap();
            let section = after.split("\n### ").next().unwrap();
            assert!(section.contains(h.summary), "{}", h.id);
            for p in h.params {
                let name = python::helper_param_name(p);
                assert!(section.contains(&format!("\n    {name}: ")), "{}: {name}", h.id);
                assert!(
                    section.contains(&format!("| `{name}` | {}", p.doc)),
                    "{}: {name}",
                    h.id
                );
            }
        }
    }

    #[test]
    fn every_rust_helper_is_documented_as_the_crate_declares_it() {
        let table = rust_helper_table();
        let documented: Vec<&str> = table.iter().filter_map(|r| r.id).collect();
        let expected: Vec<&str> = HELPERS
            .iter()
            .filter(|h| h.is_in(Sdk::Rust))
            .map(|h| h.id)
            .collect();
        assert_eq!(
            documented, expected,
            "a helper the crate has is missing, or one it lacks is shown"
        );
        let md = render(Lang::Rust, &crate::groups());
        let crate_dir = crate::format::root().join("crates/lasso-ai");
        for r in &table {
            assert!(md.contains(&format!("| `{}` | ", r.call)), "{}", r.call);
            assert!(!r.declared.is_empty(), "{}: nothing checks it", r.call);
            for (file, text) in r.declared {
                let source = std::fs::read_to_string(crate_dir.join(file)).unwrap();
                assert!(
                    source.contains(text),
                    "{}: crates/lasso-ai/{file} lacks {text:?}",
                    r.call
                );
            }
        }
    }
}

//! `kotlin/src/main/kotlin/ai/lasso/generated/HelperMethods.kt`: the Kotlin methods of
//! the helper descriptors ([`HELPERS`] with [`Sdk::Kotlin`]): waits, uploads and
//! exports, on `TablesResource`, `EnhanceResource`, `FilesResource` and `Export`, with
//! their `…Async` twins for Java. Each method only shapes its arguments; the work is
//! the hand-written runtime's (`Helpers.kt`: `waitForJob`, `uploadJson`,
//! `exportTable`), which calls the core. The helper rows of
//! `kotlin/api.md` come from the same forms.

use std::fmt::Write;

use lasso_spec::helpers::{helper, Helper, HelperKind, HelperParam, HelperReturn, HelperTy, Sdk, HELPERS};

use crate::api_docs::sends;
use crate::kotlin::{camel_path, ident};
use crate::kotlin_types::decode_model;
use crate::names::{class_of, method_of, resource_of};
use crate::Group;

/// Parameters the Kotlin binding does not take (yet): the terminal progress bar
/// (Python's and Node's) and an export's total timeout (uniffi's `exportTable`
/// has no such argument; `options.totalTimeout` bounds each call).
const LEFT_OUT: &[&str] = &["progress", "total_timeout"];

/// The Java twins (`…Async`, returning a `CompletableFuture`): the helper, the form
/// and its arguments, in order. Java calls a `@JvmOverloads` twin by position, so
/// each list is a published signature that may only grow at its end; forms not
/// listed have no twin.
const JAVA_TWINS: &[(&str, Shape, &[&str])] = &[
    (
        "tables.wait_for_completion",
        Shape::Single,
        &["tableId", "interval", "timeout"],
    ),
    (
        "enhance.wait_for_completion",
        Shape::Single,
        &["tableId", "columnKey", "interval", "timeout"],
    ),
    ("files.upload", Shape::Path, &["path", "contentType"]),
    ("export.csv", Shape::Path, &["tableId", "path"]),
];

/// Which overload of a helper a Kotlin method is: Kotlin overloads by argument
/// type where Python and Node take one parameter of several types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// The helper's only form.
    Single,
    /// With a `Path`: an upload reads it, an export writes it.
    Path,
    /// An upload of a `ByteArray`.
    Data,
    /// An export held in memory.
    Memory,
}

/// One Kotlin parameter.
struct KtParam {
    name: String,
    ty: String,
    /// The Kotlin default; `None`: required.
    default: Option<String>,
    /// A duration's default in milliseconds (the Java twin's default comes from it).
    millis: Option<u64>,
    doc: String,
}

/// One generated Kotlin method of a helper.
struct Form {
    helper: &'static Helper,
    shape: Shape,
    name: String,
    params: Vec<KtParam>,
    returns: String,
    body: String,
}

/// The Kotlin methods of `h`, one per [`Shape`] it has.
fn forms(h: &'static Helper) -> Vec<Form> {
    let shapes: &[Shape] = match h.kind {
        HelperKind::Wait(_) => &[Shape::Single],
        HelperKind::Upload => &[Shape::Path, Shape::Data],
        HelperKind::Export(_) => &[Shape::Path, Shape::Memory],
        HelperKind::DataFrame | HelperKind::Arrow(_) => {
            panic!(
                "{}: Kotlin has no form of this kind; leave Sdk::Kotlin out of its sdks",
                h.id
            )
        }
    };
    shapes.iter().map(|&shape| form(h, shape)).collect()
}

fn form(h: &'static Helper, shape: Shape) -> Form {
    let params = params(h, shape);
    let name = match (h.kind, shape) {
        // `export.download` is `toPath` / `toMemory`, the names its forms have in Kotlin.
        (HelperKind::Export(None), Shape::Path) => "toPath".to_owned(),
        (HelperKind::Export(None), _) => "toMemory".to_owned(),
        _ => ident(method_of(h.id)),
    };
    let returns = match (h.kind, h.returns, shape) {
        // Every Kotlin export is the download's: an `ExportedFile` or a `SavedExport`.
        (HelperKind::Export(_), _, Shape::Path) => "SavedExport".to_owned(),
        (HelperKind::Export(_), _, _) => "ExportedFile".to_owned(),
        (_, HelperReturn::Model(m), _) => m.to_owned(),
        (_, other, _) => panic!("{}: no Kotlin type for {other:?}", h.id),
    };
    let body = body(h, shape, &params, &returns);
    Form {
        helper: h,
        shape,
        name,
        params,
        returns,
        body,
    }
}

/// The descriptor parameters a Kotlin form takes: a format's export takes the
/// download's (the format fixed), since every Kotlin export returns the download's result.
fn sources(h: &'static Helper) -> Vec<&'static HelperParam> {
    match h.kind {
        HelperKind::Export(Some(_)) => helper("export.download")
            .expect("export.download is described")
            .params
            .iter()
            .filter(|p| p.name != "format")
            .collect(),
        _ => h.params.iter().collect(),
    }
}

/// The form's parameters: required ones first (Kotlin callers pass those by
/// position), then the optional ones, each in the descriptor's order.
fn params(h: &'static Helper, shape: Shape) -> Vec<KtParam> {
    let all: Vec<KtParam> = sources(h)
        .into_iter()
        .filter(|p| !LEFT_OUT.contains(&p.name))
        .filter_map(|p| param(p, shape))
        .collect();
    let (mut required, optional): (Vec<KtParam>, Vec<KtParam>) =
        all.into_iter().partition(|p| p.default.is_none());
    required.extend(optional);
    required
}

fn param(p: &HelperParam, shape: Shape) -> Option<KtParam> {
    let (name, ty, doc) = match (p.ty, shape) {
        (HelperTy::FileSource, Shape::Data) => ("data".to_owned(), "ByteArray", "The file's content."),
        (HelperTy::FileSource, _) => ("path".to_owned(), "Path", "The file, streamed from disk."),
        (HelperTy::Path, Shape::Path) => ("path".to_owned(), "Path", "Where to write the export."),
        (HelperTy::Path, _) => return None,
        (ty, _) => (ident(p.name), kotlin_type(ty), p.doc),
    };
    // The file or path a form is named for is required; bytes carry no name to take
    // the file name from.
    let required = p.required
        || matches!(p.ty, HelperTy::FileSource | HelperTy::Path)
        || (shape == Shape::Data && p.name == "filename");
    let millis = match (p.ty, p.default) {
        (HelperTy::Duration, Some(ms)) => Some(ms.parse().expect("a duration default is in milliseconds")),
        _ => None,
    };
    let default = match (required, p.ty, millis, p.default) {
        (true, ..) => None,
        (_, _, Some(ms), _) => Some(kotlin_duration(ms)),
        (_, HelperTy::Bool, _, Some(b)) => Some(b.to_owned()),
        _ => Some("null".to_owned()),
    };
    let doc = match (&default, doc.split_once(" (default:")) {
        (Some(d), _) if millis.is_some() => format!("{doc} Default: `{d}`."),
        // Required here: the descriptor's default does not apply.
        (None, Some((before, _))) => format!("{before}."),
        _ => doc.to_owned(),
    };
    let ty = match default.as_deref() {
        Some("null") => format!("{ty}?"),
        _ => ty.to_owned(),
    };
    Some(KtParam {
        name,
        ty,
        default,
        millis,
        doc,
    })
}

/// The Kotlin type of a helper parameter, without nullability.
fn kotlin_type(ty: HelperTy) -> &'static str {
    match ty {
        HelperTy::Str => "String",
        HelperTy::Duration => "Duration",
        HelperTy::Bool => "Boolean",
        HelperTy::ProgressCallback => "(suspend (Progress) -> Unit)",
        HelperTy::Columns => "List<String>",
        HelperTy::FileSource | HelperTy::Path => "Path",
        // A `String` in the published signatures (`toPath(tableId, "csv", …)`); any
        // value the API adds works.
        HelperTy::Enum(_) => "String",
    }
}

/// `3000` → `3.seconds`, `300000` → `5.minutes`.
fn kotlin_duration(ms: u64) -> String {
    let (n, unit, _) = duration_unit(ms);
    format!("{n}.{unit}")
}

/// `3000` → `java.time.Duration.ofSeconds(3)`.
fn java_duration(ms: u64) -> String {
    let (n, _, of) = duration_unit(ms);
    format!("java.time.Duration.{of}({n})")
}

/// A number of milliseconds in its largest whole unit: the count, Kotlin's
/// extension and `java.time.Duration`'s factory.
fn duration_unit(ms: u64) -> (u64, &'static str, &'static str) {
    match ms {
        ms if ms % 60_000 == 0 => (ms / 60_000, "minutes", "ofMinutes"),
        ms if ms % 1_000 == 0 => (ms / 1_000, "seconds", "ofSeconds"),
        ms => (ms, "milliseconds", "ofMillis"),
    }
}

/// The expression a form returns: a call into the hand-written runtime.
fn body(h: &Helper, shape: Shape, params: &[KtParam], returns: &str) -> String {
    let has = |name: &str| params.iter().any(|p| p.name == name);
    let or_null = |name: &str| {
        if has(name) {
            name.to_owned()
        } else {
            "null".to_owned()
        }
    };
    let decoded = h.sends.first().expect("a helper sends an operation");
    match h.kind {
        HelperKind::Wait(job) => {
            let json = format!(
                "waitForJob(caller, \"{}\", tableId, {}, interval, timeout, onProgress, options)",
                job.as_str(),
                or_null("columnKey")
            );
            format!("decoded(\"{decoded}\") {{ {} }}", decode_model(returns, &json))
        }
        HelperKind::Upload => {
            let json = format!(
                "uploadJson({}, {}, filename, contentType, options)",
                or_null("path"),
                or_null("data")
            );
            format!("decoded(\"{decoded}\") {{ {} }}", decode_model(returns, &json))
        }
        HelperKind::Export(format) => {
            let format = format.map_or("format".to_owned(), |f| format!("\"{}\"", f.as_str()));
            match shape {
                Shape::Path => {
                    format!("exportTable(caller, tableId, {format}, columns, path, options).saved(path)")
                }
                _ => format!("exportTable(caller, tableId, {format}, columns, null, options).inMemory()"),
            }
        }
        HelperKind::DataFrame | HelperKind::Arrow(_) => unreachable!("no Kotlin form"),
    }
}

/// What a form does, in Kotlin's terms: the first line of its KDoc and a note on
/// how it behaves (the descriptors' `doc` paragraphs of uploads and exports speak of
/// streams and of results Kotlin does not have).
fn description(f: &Form) -> (String, String) {
    let h = f.helper;
    let first = match h.kind {
        HelperKind::Export(Some(format)) => {
            let core = if f.shape == Shape::Path {
                "toPath"
            } else {
                "toMemory"
            };
            format!("The `{}` export: `{core}` with that format.", format.as_str())
        }
        _ => h.summary.to_owned(),
    };
    let note = match (h.kind, f.shape) {
        (HelperKind::Wait(_), _) => format!(
            "{}\n\nCancelling the coroutine stops the wait and drops the poll in flight; a [timeout] of \
             [Duration.INFINITE] never passes. [options] apply to each poll.",
            h.doc
        ),
        (HelperKind::Upload, Shape::Path) => {
            "Streamed from disk, never read into memory whole; the file name \
             and content type come from the path unless given."
                .to_owned()
        }
        (HelperKind::Export(_), Shape::Path) => {
            "Streamed to a temporary file beside [path], renamed into place \
             once complete and checked: a failure or a cancelled coroutine leaves no partial file and an \
             existing one untouched."
                .to_owned()
        }
        (HelperKind::Export(_), _) => "In memory: at most the client's `maxResponseBytes`.".to_owned(),
        _ => String::new(),
    };
    (first, note)
}

fn signature(params: &[KtParam]) -> String {
    params
        .iter()
        .map(|p| match &p.default {
            Some(d) => format!("{}: {} = {d}", p.name, p.ty),
            None => format!("{}: {}", p.name, p.ty),
        })
        .chain(["options: RequestOptions? = null".to_owned()])
        .collect::<Vec<_>>()
        .join(", ")
}

fn render_form(out: &mut String, f: &Form) {
    let (first, note) = description(f);
    out.push_str("    /**\n");
    for paragraph in [first, note].iter().filter(|p| !p.is_empty()) {
        for line in paragraph.lines() {
            writeln!(out, "     *{}{line}", if line.is_empty() { "" } else { " " }).unwrap();
        }
        out.push_str("     *\n");
    }
    for p in &f.params {
        writeln!(out, "     * @param {} {}", p.name, p.doc).unwrap();
    }
    out.push_str("     * @param options Per-call `timeout`, `maxRetries` and `totalTimeout`.\n     */\n");
    writeln!(
        out,
        "    public suspend fun {}({}): {} =\n        {}\n",
        f.name,
        signature(&f.params),
        f.returns,
        f.body
    )
    .unwrap();
    if let Some(twin) = java_twin(f) {
        render_twin(out, f, twin);
    }
}

/// The arguments of the form's Java twin, when it has one.
fn java_twin(f: &Form) -> Option<&'static [&'static str]> {
    JAVA_TWINS
        .iter()
        .find(|(id, shape, _)| *id == f.helper.id && *shape == f.shape)
        .map(|(_, _, args)| *args)
}

/// The Java twin's parameters: durations as `java.time.Duration`.
fn twin_params(f: &Form, args: &[&str]) -> Vec<KtParam> {
    args.iter()
        .map(|name| {
            let p = f
                .params
                .iter()
                .find(|p| p.name == *name)
                .unwrap_or_else(|| panic!("{}: the Java twin's {name} is not a parameter", f.helper.id));
            KtParam {
                name: p.name.clone(),
                ty: match p.ty.as_str() {
                    "Duration" => "java.time.Duration".to_owned(),
                    other => other.to_owned(),
                },
                default: p.millis.map(java_duration).or_else(|| p.default.clone()),
                millis: p.millis,
                doc: p.doc.clone(),
            }
        })
        .collect()
}

fn render_twin(out: &mut String, f: &Form, args: &[&str]) {
    let params = twin_params(f, args);
    let sig: Vec<String> = params
        .iter()
        .map(|p| match &p.default {
            Some(d) => format!("{}: {} = {d}", p.name, p.ty),
            None => format!("{}: {}", p.name, p.ty),
        })
        .collect();
    // Named arguments: the twin may skip some, and they pick the overload.
    let call: Vec<String> = params
        .iter()
        .map(|p| match p.millis {
            Some(_) => format!("{0} = {0}.toKotlinMillis()", p.name),
            None => format!("{0} = {0}", p.name),
        })
        .collect();
    let overloads = if params.iter().any(|p| p.default.is_some()) {
        "    @JvmOverloads\n"
    } else {
        ""
    };
    writeln!(
        out,
        "    /** [{0}] for Java: a `CompletableFuture`; cancelling it cancels the call. */\n{overloads}    \
         public fun {0}Async({1}): CompletableFuture<{2}> =\n        caller.future {{ {0}({3}) }}\n",
        f.name,
        sig.join(", "),
        f.returns,
        call.join(", ")
    )
    .unwrap();
}

/// The Kotlin helpers by resource, in [`HELPERS`] order.
fn by_resource() -> Vec<(&'static str, Vec<&'static Helper>)> {
    let mut resources: Vec<(&str, Vec<&Helper>)> = Vec::new();
    for h in HELPERS.iter().filter(|h| h.is_in(Sdk::Kotlin)) {
        let resource = resource_of(h.id);
        match resources.iter_mut().find(|(r, _)| *r == resource) {
            Some((_, hs)) => hs.push(h),
            None => resources.push((resource, vec![h])),
        }
    }
    resources
}

/// The class of a resource's helpers: a subclass of its generated operations
/// (`TablesResource`), or a class of its own when it has none (`Export`).
fn class_line(groups: &[Group], resource: &str, helpers: &[&Helper], methods: &str) -> String {
    let class = class_of(resource);
    if groups.iter().any(|g| g.resource == resource) {
        format!(
            "/** `client.{}`: the generated `{resource}` operations, plus {methods}. */\n\
             public class {class}Resource internal constructor(caller: Caller) : {class}(caller) {{\n",
            camel_path(resource)
        )
    } else {
        let mut ids: Vec<&str> = helpers.iter().flat_map(|h| h.sends.iter().copied()).collect();
        ids.dedup();
        format!(
            "/** `client.{}`: {methods}. Sends {}. */\npublic class {class} internal constructor(private val caller: Caller) {{\n",
            camel_path(resource),
            sends(&ids)
        )
    }
}

/// The Kotlin file of every helper's methods.
pub fn render(groups: &[Group]) -> String {
    let mut classes = String::new();
    for (resource, helpers) in by_resource() {
        let forms: Vec<Form> = helpers.iter().copied().flat_map(forms).collect();
        let mut names: Vec<String> = forms.iter().map(|f| format!("[{}]", f.name)).collect();
        names.dedup();
        classes.push('\n');
        classes.push_str(&class_line(groups, resource, &helpers, &names.join(", ")));
        for f in &forms {
            render_form(&mut classes, f);
        }
        classes.push_str("}\n");
    }
    let mut out = crate::header("//", "helpers.rs");
    out.push_str("@file:Suppress(\"RedundantVisibilityModifier\")\n\npackage ai.lasso\n\n");
    // ktfmt drops the imports a file does not use.
    out.push_str(
        "import java.nio.file.Path\nimport java.util.concurrent.CompletableFuture\nimport kotlin.time.Duration\n\
         import kotlin.time.Duration.Companion.milliseconds\nimport kotlin.time.Duration.Companion.minutes\n\
         import kotlin.time.Duration.Companion.seconds\n",
    );
    out.push_str(&classes);
    out
}

/// The Helpers section of `kotlin/api.md`: a row per generated method and Java
/// twin, then the hand-written conveniences that no descriptor has.
pub(crate) fn api_md() -> String {
    let mut out = "\n## Helpers\n\n\
                   Over the core (see [README.md](README.md)), for what is not a plain call; the \
                   waits, uploads and exports are generated from `crates/lasso-spec/src/helpers.rs`.\n\n\
                   | helper | does |\n|---|---|\n"
        .to_owned();
    for (resource, helpers) in by_resource() {
        let ns = format!("client.{}", camel_path(resource));
        for f in helpers.into_iter().flat_map(forms) {
            let (first, _) = description(&f);
            writeln!(
                out,
                "| `{ns}.{}({}): {}` | {} Sends {}. |",
                f.name,
                signature(&f.params),
                f.returns,
                first.replace('|', "\\|"),
                sends(f.helper.sends)
            )
            .unwrap();
            if let Some(args) = java_twin(&f) {
                let params = twin_params(&f, args);
                let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
                writeln!(
                    out,
                    "| `{ns}.{}Async({}): CompletableFuture<{}>` | `{}` for Java |",
                    f.name,
                    names.join(", "),
                    f.returns,
                    f.name
                )
                .unwrap();
            }
        }
    }
    out.push_str(
        "| `client.withOptions(options): LassoClient` | a client sharing the pool, with other per-call defaults |\n\
         | `client.withResponse { … }: RawResponse<T>` | a result with its response's status, headers and request id |\n\
         | `Webhooks.verify` / `constructEvent` / `sign` | webhook signatures |\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kotlin_helper_is_generated() {
        let kt = render(&crate::groups());
        let md = api_md();
        let mut methods = 0;
        for h in HELPERS.iter().filter(|h| h.is_in(Sdk::Kotlin)) {
            let forms = forms(h);
            assert!(!forms.is_empty(), "{}: no Kotlin method", h.id);
            if h.kind != HelperKind::Export(None) {
                let name = crate::names::camel(method_of(h.id));
                assert!(
                    kt.contains(&format!("public suspend fun {name}(")),
                    "{}: no {name}",
                    h.id
                );
            }
            let ns = format!("client.{}", camel_path(resource_of(h.id)));
            for f in &forms {
                let declared = format!(
                    "public suspend fun {}({}): {} =",
                    f.name,
                    signature(&f.params),
                    f.returns
                );
                assert!(kt.contains(&declared), "{}: {declared}", h.id);
                assert!(md.contains(&format!("| `{ns}.{}(", f.name)), "api.md: {}", h.id);
            }
            methods += forms.len();
        }
        assert_eq!(kt.matches("public suspend fun ").count(), methods);
    }

    #[test]
    fn helpers_kotlin_lacks_are_refused_not_skipped() {
        let frame = helper("tables.results_as_dataframe").unwrap();
        assert!(!frame.is_in(Sdk::Kotlin));
        assert!(std::panic::catch_unwind(|| forms(frame)).is_err());
    }

    #[test]
    fn the_published_signatures_and_defaults_stay() {
        let kt = render(&crate::groups());
        for expected in [
            "waitForCompletion(tableId: String, interval: Duration = 3.seconds, timeout: Duration = 5.minutes, \
             onProgress: (suspend (Progress) -> Unit)? = null, options: RequestOptions? = null): Table",
            "waitForCompletion(tableId: String, columnKey: String? = null, interval: Duration = 3.seconds",
            "waitForCompletionAsync(tableId: String, interval: java.time.Duration = java.time.Duration.ofSeconds(3), \
             timeout: java.time.Duration = java.time.Duration.ofMinutes(5)): CompletableFuture<Table>",
            "upload(path: Path, filename: String? = null, contentType: String? = null, options: RequestOptions? = null)",
            "upload(data: ByteArray, filename: String, contentType: String? = null, options: RequestOptions? = null)",
            "@JvmOverloads\n    public fun uploadAsync(path: Path, contentType: String? = null): CompletableFuture<FileObject>",
            "toPath(tableId: String, format: String, path: Path, columns: List<String>? = null, options: \
             RequestOptions? = null): SavedExport",
            "toMemory(tableId: String, format: String, columns: List<String>? = null, options: RequestOptions? = null)",
            "images(tableId: String, path: Path, columns: List<String>? = null, options: RequestOptions? = null)",
            "public fun csvAsync(tableId: String, path: Path): CompletableFuture<SavedExport>",
        ] {
            assert!(kt.contains(expected), "{expected}");
        }
        assert_eq!(kt.matches("Async(").count(), JAVA_TWINS.len());
    }

    #[test]
    fn every_java_twin_names_a_form_and_its_parameters() {
        for (id, shape, args) in JAVA_TWINS {
            let h = helper(id).unwrap_or_else(|| panic!("{id}"));
            let f = forms(h)
                .into_iter()
                .find(|f| f.shape == *shape)
                .unwrap_or_else(|| panic!("{id}: no {shape:?} form"));
            assert_eq!(twin_params(&f, args).len(), args.len());
        }
    }

    #[test]
    fn durations_read_in_their_largest_whole_unit() {
        assert_eq!(kotlin_duration(300_000), "5.minutes");
        assert_eq!(kotlin_duration(3_000), "3.seconds");
        assert_eq!(kotlin_duration(1_500), "1500.milliseconds");
        assert_eq!(java_duration(1_500), "java.time.Duration.ofMillis(1500)");
    }
}

//! The crate's public API, listed one item per line in `public-api.txt` (beside
//! `Cargo.toml`) and compared with what rustdoc reports of the current source: an
//! item added, removed or changed in signature fails this test until the listing is
//! updated on purpose (`LASSO_BLESS=1 cargo test -p lasso-ai --test public_api`), so
//! every change of the public surface shows in a diff.
//!
//! The listing comes from rustdoc's JSON output of the stable toolchain
//! (`RUSTC_BOOTSTRAP=1` unlocks `--output-format json`; no nightly, no extra tool).
//! Items hidden from the docs (`#[doc(hidden)]`, such as `__bindings`) are not listed,
//! nor are auto-trait and blanket implementations.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const LISTING: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/public-api.txt");

#[test]
fn the_public_api_is_the_committed_listing() {
    let doc = rustdoc_json();
    let listing: String = PublicApi::new(&doc)
        .lines()
        .into_iter()
        .map(|l| l + "\n")
        .collect();
    if std::env::var_os("LASSO_BLESS").is_some() {
        std::fs::write(LISTING, &listing).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(LISTING).unwrap_or_default();
    if committed != listing {
        let old: BTreeSet<&str> = committed.lines().collect();
        let new: BTreeSet<&str> = listing.lines().collect();
        let mut diff = String::new();
        for gone in old.difference(&new) {
            diff.push_str(&format!("- {gone}\n"));
        }
        for added in new.difference(&old) {
            diff.push_str(&format!("+ {added}\n"));
        }
        panic!(
            "the public API differs from crates/lasso-ai/public-api.txt; if the change is \
             intended, run `LASSO_BLESS=1 cargo test -p lasso-ai --test public_api` and commit \
             the listing:\n{diff}"
        );
    }
}

/// Runs rustdoc on the library (default features) and reads its JSON.
fn rustdoc_json() -> Value {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.parent().unwrap().parent().unwrap();
    // A target directory of its own: with RUSTC_BOOTSTRAP set, cargo rebuilds
    // the dependencies under the same file names, replacing the ones the
    // enclosing `cargo test` still links its doc tests against (E0463).
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("public-api");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(root)
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("RUSTDOCFLAGS")
        .args(["rustdoc", "-q", "-p", "lasso-ai", "--lib", "--target-dir"])
        .arg(&target_dir)
        .args(["--", "-Z", "unstable-options", "--output-format", "json"])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo rustdoc failed");
    let doc_dir = match std::env::var("CARGO_BUILD_TARGET") {
        Ok(triple) if !triple.is_empty() => target_dir.join(triple).join("doc"),
        _ => target_dir.join("doc"),
    };
    let path = doc_dir.join("lasso_ai.json");
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

struct PublicApi<'a> {
    index: &'a serde_json::Map<String, Value>,
    lines: BTreeSet<String>,
    seen: HashSet<(String, String)>,
    /// Where each item was first listed, for the types its impls belong to.
    paths: HashMap<String, String>,
}

impl<'a> PublicApi<'a> {
    fn new(doc: &'a Value) -> Self {
        PublicApi {
            index: doc["index"].as_object().unwrap(),
            lines: BTreeSet::new(),
            seen: HashSet::new(),
            paths: HashMap::new(),
        }
    }

    fn lines(mut self) -> Vec<String> {
        let root = self
            .index
            .values()
            .find(|i| i["inner"]["module"]["is_crate"] == true)
            .unwrap();
        self.module(root, "lasso_ai");
        self.lines.into_iter().collect()
    }

    fn item(&self, id: &Value) -> Option<&'a Value> {
        self.index.get(&id.to_string())
    }

    fn module(&mut self, module: &'a Value, path: &str) {
        for id in module["inner"]["module"]["items"].as_array().unwrap() {
            let Some(item) = self.item(id) else { continue };
            if item["visibility"] != "public" {
                continue;
            }
            if let Some(u) = item["inner"].get("use") {
                let target = u["id"].as_u64().and_then(|id| self.item(&Value::from(id)));
                match (target, u["is_glob"].as_bool().unwrap_or(false)) {
                    (Some(t), true) => self.module(t, path),
                    (Some(t), false) => self.named(t, u["name"].as_str().unwrap(), path),
                    (None, _) => {
                        self.lines.insert(format!(
                            "pub use {path}::{} = {}",
                            u["name"].as_str().unwrap(),
                            u["source"].as_str().unwrap()
                        ));
                    }
                }
            } else {
                self.named(item, item["name"].as_str().unwrap_or("_"), path);
            }
        }
    }

    fn named(&mut self, item: &'a Value, name: &str, parent: &str) {
        let path = format!("{parent}::{name}");
        if !self.seen.insert((item["id"].to_string(), path.clone())) {
            return;
        }
        self.paths.entry(item["id"].to_string()).or_insert(path.clone());
        let inner = &item["inner"];
        let (kind, body) = inner.as_object().unwrap().iter().next().unwrap();
        match kind.as_str() {
            "module" => {
                self.lines.insert(format!("pub mod {path}"));
                self.module(item, &path);
            }
            "function" => {
                self.lines.insert(format!("pub {}", function(body, &path)));
            }
            "constant" => {
                self.lines
                    .insert(format!("pub const {path}: {}", ty(&body["type"])));
            }
            "static" => {
                self.lines
                    .insert(format!("pub static {path}: {}", ty(&body["type"])));
            }
            "type_alias" => {
                self.lines.insert(format!(
                    "pub type {path}{} = {}",
                    generics(&body["generics"]),
                    ty(&body["type"])
                ));
            }
            "macro" => {
                self.lines.insert(format!("pub macro {path}!"));
            }
            "trait" => {
                self.lines
                    .insert(format!("pub trait {path}{}", generics(&body["generics"])));
                for id in body["items"].as_array().unwrap() {
                    let Some(member) = self.item(id) else { continue };
                    self.member(member, &path);
                }
            }
            "struct" => {
                let fields = match &body["kind"] {
                    Value::Object(k) if k.contains_key("plain") => {
                        k["plain"]["fields"].as_array().cloned().unwrap_or_default()
                    }
                    Value::Object(k) if k.contains_key("tuple") => {
                        k["tuple"].as_array().cloned().unwrap_or_default()
                    }
                    _ => Vec::new(),
                };
                let attrs = non_exhaustive(item);
                self.lines
                    .insert(format!("{attrs}pub struct {path}{}", generics(&body["generics"])));
                for id in fields.iter().filter(|id| !id.is_null()) {
                    let Some(field) = self.item(id) else { continue };
                    if field["visibility"] == "public" {
                        self.lines.insert(format!(
                            "pub {path}::{}: {}",
                            field["name"].as_str().unwrap(),
                            ty(&field["inner"]["struct_field"])
                        ));
                    }
                }
                self.impls(body, &path);
            }
            "enum" => {
                let attrs = non_exhaustive(item);
                self.lines
                    .insert(format!("{attrs}pub enum {path}{}", generics(&body["generics"])));
                for id in body["variants"].as_array().unwrap() {
                    let Some(variant) = self.item(id) else { continue };
                    let vname = variant["name"].as_str().unwrap();
                    let vattrs = non_exhaustive(variant);
                    let k = &variant["inner"]["variant"]["kind"];
                    let shape = if let Some(fields) = k.get("tuple") {
                        let tys: Vec<String> = fields
                            .as_array()
                            .unwrap()
                            .iter()
                            .filter_map(|id| self.item(id))
                            .map(|f| ty(&f["inner"]["struct_field"]))
                            .collect();
                        format!("({})", tys.join(", "))
                    } else if let Some(s) = k.get("struct") {
                        let fs: Vec<String> = s["fields"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .filter_map(|id| self.item(id))
                            .map(|f| {
                                format!(
                                    "{}: {}",
                                    f["name"].as_str().unwrap(),
                                    ty(&f["inner"]["struct_field"])
                                )
                            })
                            .collect();
                        format!(" {{ {} }}", fs.join(", "))
                    } else {
                        String::new()
                    };
                    self.lines.insert(format!("{vattrs}pub {path}::{vname}{shape}"));
                }
                self.impls(body, &path);
            }
            "union" => {
                self.lines.insert(format!("pub union {path}"));
            }
            other => {
                self.lines.insert(format!("pub {other} {path}"));
            }
        }
    }

    fn member(&mut self, member: &'a Value, path: &str) {
        let name = member["name"].as_str().unwrap_or("_");
        let inner = &member["inner"];
        if let Some(f) = inner.get("function") {
            self.lines
                .insert(format!("pub {}", function(f, &format!("{path}::{name}"))));
        } else if let Some(c) = inner.get("assoc_const").or_else(|| inner.get("constant")) {
            self.lines
                .insert(format!("pub const {path}::{name}: {}", ty(&c["type"])));
        } else if let Some(t) = inner.get("assoc_type") {
            let value = t
                .get("type")
                .filter(|v| !v.is_null())
                .map(|v| format!(" = {}", ty(v)))
                .unwrap_or_default();
            self.lines.insert(format!("pub type {path}::{name}{value}"));
        }
    }

    fn impls(&mut self, body: &'a Value, path: &str) {
        for id in body["impls"].as_array().into_iter().flatten() {
            let Some(imp) = self.item(id) else { continue };
            let imp = &imp["inner"]["impl"];
            if imp["is_synthetic"] == true || !imp["blanket_impl"].is_null() {
                continue;
            }
            match &imp["trait"] {
                Value::Null => {
                    for id in imp["items"].as_array().unwrap() {
                        let Some(member) = self.item(id) else { continue };
                        if member["visibility"] == "public" {
                            self.member(member, path);
                        }
                    }
                }
                tr => {
                    let neg = if imp["is_negative"] == true { "!" } else { "" };
                    self.lines.insert(format!(
                        "impl{} {neg}{} for {}",
                        generics(&imp["generics"]),
                        path_ty(tr),
                        ty(&imp["for"])
                    ));
                }
            }
        }
    }
}

fn non_exhaustive(item: &Value) -> &'static str {
    let attrs = item["attrs"].to_string();
    if attrs.contains("non_exhaustive") {
        "#[non_exhaustive] "
    } else {
        ""
    }
}

fn function(f: &Value, path: &str) -> String {
    let header = &f["header"];
    let mut out = String::new();
    if header["is_const"] == true {
        out.push_str("const ");
    }
    if header["is_async"] == true {
        out.push_str("async ");
    }
    if header["is_unsafe"] == true {
        out.push_str("unsafe ");
    }
    let inputs: Vec<String> = f["sig"]["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            let (name, t) = (pair[0].as_str().unwrap(), &pair[1]);
            if name == "self" {
                match ty(t).as_str() {
                    "Self" => "self".to_owned(),
                    "&Self" => "&self".to_owned(),
                    "&mut Self" => "&mut self".to_owned(),
                    other => format!("self: {other}"),
                }
            } else {
                format!("{name}: {}", ty(t))
            }
        })
        .collect();
    out.push_str(&format!(
        "fn {path}{}({})",
        generics(&f["generics"]),
        inputs.join(", ")
    ));
    if let Some(o) = f["sig"]["output"].as_object() {
        out.push_str(&format!(" -> {}", ty(&Value::Object(o.clone()))));
    }
    out.push_str(&where_clause(&f["generics"]));
    out
}

fn generics(g: &Value) -> String {
    let params: Vec<String> = g["params"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let name = p["name"].as_str().unwrap();
            let kind = &p["kind"];
            if let Some(t) = kind.get("type") {
                if t["is_synthetic"] == true {
                    return None;
                }
                let b = bounds(&t["bounds"]);
                let d = t["default"]
                    .as_object()
                    .map(|d| format!(" = {}", ty(&Value::Object(d.clone()))))
                    .unwrap_or_default();
                Some(if b.is_empty() {
                    format!("{name}{d}")
                } else {
                    format!("{name}: {b}{d}")
                })
            } else if kind.get("const").is_some() {
                Some(format!("const {name}: {}", ty(&kind["const"]["type"])))
            } else {
                Some(name.to_owned())
            }
        })
        .collect();
    if params.is_empty() {
        String::new()
    } else {
        format!("<{}>", params.join(", "))
    }
}

fn where_clause(g: &Value) -> String {
    let preds: Vec<String> = g["where_predicates"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let b = p.get("bound_predicate")?;
            Some(format!("{}: {}", ty(&b["type"]), bounds(&b["bounds"])))
        })
        .collect();
    if preds.is_empty() {
        String::new()
    } else {
        format!(" where {}", preds.join(", "))
    }
}

fn bounds(b: &Value) -> String {
    b.as_array()
        .into_iter()
        .flatten()
        .map(|b| {
            if let Some(t) = b.get("trait_bound") {
                let m = if t["modifier"] == "maybe" { "?" } else { "" };
                format!("{m}{}", path_ty(&t["trait"]))
            } else if let Some(l) = b.get("outlives") {
                l.as_str().unwrap_or("'_").to_owned()
            } else {
                "use<..>".to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn path_ty(p: &Value) -> String {
    let mut out = p["path"].as_str().unwrap_or("?").to_owned();
    out.push_str(&args(&p["args"]));
    out
}

fn args(a: &Value) -> String {
    if let Some(ab) = a.get("angle_bracketed") {
        let mut parts: Vec<String> = ab["args"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|g| {
                if let Some(t) = g.get("type") {
                    ty(t)
                } else if let Some(l) = g.get("lifetime") {
                    l.as_str().unwrap_or("'_").to_owned()
                } else {
                    "_".to_owned()
                }
            })
            .collect();
        for c in ab["constraints"].as_array().into_iter().flatten() {
            let name = c["name"].as_str().unwrap_or("?");
            if let Some(t) = c["binding"].get("equality").and_then(|e| e.get("type")) {
                parts.push(format!("{name} = {}", ty(t)));
            } else if let Some(b) = c["binding"].get("constraint") {
                parts.push(format!("{name}: {}", bounds(b)));
            }
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("<{}>", parts.join(", "))
        }
    } else if let Some(p) = a.get("parenthesized") {
        let inputs: Vec<String> = p["inputs"].as_array().into_iter().flatten().map(ty).collect();
        let output = p["output"]
            .as_object()
            .map(|o| format!(" -> {}", ty(&Value::Object(o.clone()))))
            .unwrap_or_default();
        format!("({}){output}", inputs.join(", "))
    } else {
        String::new()
    }
}

fn ty(t: &Value) -> String {
    let Some((kind, v)) = t.as_object().and_then(|o| o.iter().next()) else {
        return "?".to_owned();
    };
    match kind.as_str() {
        "resolved_path" => path_ty(v),
        "generic" | "primitive" => v.as_str().unwrap().to_owned(),
        "borrowed_ref" => {
            let l = v["lifetime"]
                .as_str()
                .map(|l| format!("{l} "))
                .unwrap_or_default();
            let m = if v["is_mutable"] == true { "mut " } else { "" };
            format!("&{l}{m}{}", ty(&v["type"]))
        }
        "raw_pointer" => {
            let m = if v["is_mutable"] == true { "mut" } else { "const" };
            format!("*{m} {}", ty(&v["type"]))
        }
        "tuple" => {
            let items: Vec<String> = v.as_array().unwrap().iter().map(ty).collect();
            format!("({})", items.join(", "))
        }
        "slice" => format!("[{}]", ty(v)),
        "array" => format!("[{}; {}]", ty(&v["type"]), v["len"].as_str().unwrap_or("_")),
        "impl_trait" => format!("impl {}", bounds(v)),
        "dyn_trait" => {
            let traits: Vec<String> = v["traits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| path_ty(&t["trait"]))
                .collect();
            let l = v["lifetime"]
                .as_str()
                .map(|l| format!(" + {l}"))
                .unwrap_or_default();
            format!("dyn {}{l}", traits.join(" + "))
        }
        "qualified_path" => format!(
            "<{} as {}>::{}",
            ty(&v["self_type"]),
            v["trait"]
                .as_object()
                .map(|t| path_ty(&Value::Object(t.clone())))
                .unwrap_or_default(),
            v["name"].as_str().unwrap_or("?")
        ),
        "function_pointer" => "fn(..)".to_owned(),
        "infer" => "_".to_owned(),
        other => other.to_owned(),
    }
}

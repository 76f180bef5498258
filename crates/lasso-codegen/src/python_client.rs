//! The constructor both Python clients share (`_ClientOptions.__init__` in
//! `python/lasso/_generated.py`), from `lasso_spec::CLIENT_OPTIONS`: its
//! keyword arguments, their docs, and the call that hands them to the core.

use std::fmt::Write;

use lasso_spec::client_options::{ClientOption, ClientOptionTy, CLIENT_OPTIONS};
use lasso_spec::helpers::Sdk;

use crate::names::{default_sentence, with_error_classes};
use crate::python::{wrap, write_def, write_doc};
use crate::python_errors;

/// The option's Python name.
fn name(o: &ClientOption) -> &'static str {
    o.python_name.unwrap_or(o.name)
}

/// `name: type = default`.
fn param(o: &ClientOption) -> String {
    let (ty, default) = match o.ty {
        ClientOptionTy::ApiKey | ClientOptionTy::BaseUrl | ClientOptionTy::Str => ("Optional[str]", "None"),
        // `None` is no limit, as httpx and openai-python read it.
        ClientOptionTy::Duration => ("Timeout", "NOT_GIVEN"),
        // `NOT_GIVEN` too, as `with_options(max_retries=...)` takes it.
        ClientOptionTy::Count => ("Union[int, NotGiven, None]", "None"),
        ClientOptionTy::Bytes => ("Optional[int]", "None"),
        ClientOptionTy::Headers => ("Optional[Headers]", "None"),
        ClientOptionTy::Bool => ("bool", "False"),
        ClientOptionTy::Proxy => ("Union[str, Literal[False], None]", "None"),
        ClientOptionTy::CaBundle => ("Union[str, bytes, \"os.PathLike[str]\", None]", "None"),
        ClientOptionTy::Logger | ClientOptionTy::LogLevel => unreachable!("not a Python option"),
    };
    format!("{}: {ty} = {default}", name(o))
}

/// The option's doc, with Python's units and defaults; `rst`: in a docstring
/// (``literals``, a class as a `reference`), else Markdown.
fn text(o: &ClientOption, rst: bool) -> String {
    let tick = if rst { "``" } else { "`" };
    let default = default_sentence(o, |ms| {
        format!(
            " In seconds (default {}); {tick}None{tick} for no limit.",
            ms as f64 / 1000.0
        )
    });
    let extra = match o.ty {
        ClientOptionTy::BaseUrl => format!(" Second positionally, as in {tick}lasso-ai{tick} 0.1.2."),
        ClientOptionTy::Proxy => format!(" {tick}False{tick} for none."),
        _ => String::new(),
    };
    let doc = with_error_classes(&o.doc.replace('`', tick), python_errors::class_name);
    format!("{doc}{default}{extra}")
}

/// The constructor's options for the API reference: name, `type = default`, doc.
pub(crate) fn reference() -> Vec<[String; 3]> {
    CLIENT_OPTIONS
        .iter()
        .filter(|o| o.is_in(Sdk::Python))
        .map(|o| {
            let (name, ty) = param(o)
                .split_once(": ")
                .map(|(n, t)| (n.to_owned(), t.to_owned()))
                .expect("name: type");
            [name, ty, text(o, false)]
        })
        .collect()
}

/// The `_ClientOptions` class.
pub fn render(out: &mut String) {
    let options: Vec<&ClientOption> = CLIENT_OPTIONS.iter().filter(|o| o.is_in(Sdk::Python)).collect();
    out.push_str(
        // `_KeywordChecked`: a misspelt option is named with its closest match.
        "\n\nclass _ClientOptions(_KeywordChecked):\n    \
         \"\"\"The constructor of `LassoClient` and `AsyncLassoClient`.\"\"\"\n",
    );
    let mut sig = vec!["self".to_owned()];
    for (i, o) in options.iter().enumerate() {
        if i == 2 {
            sig.push("*".to_owned());
        }
        sig.push(param(o));
    }
    write_def(out, "def", "__init__", &sig, "None");
    let args: Vec<(String, String)> = options
        .iter()
        .map(|o| (name(o).to_owned(), wrap(&text(o, true), 16)))
        .collect();
    write_doc(
        out,
        "A client; every option but the key and the base URL is keyword-only.\n\n        \
         The key is checked here, before any request, and never shown: ``repr()`` prints the\n        \
         base URL and ``lasso_…`` with the key's last four characters.",
        &args,
    );
    out.push_str("        self._native = self._native_client(\n");
    for o in &options {
        let value = match o.ty {
            ClientOptionTy::Duration => format!("_seconds({})", name(o)),
            _ => name(o).to_owned(),
        };
        writeln!(out, "            {}={value},", o.name).unwrap();
    }
    out.push_str(
        "        )\n        self._init_resources()\n\n    \
         def _native_client(self, **options: Any) -> _native.NativeClient:\n        \
         \"\"\"The core's client for these options (`_client.py`).\"\"\"\n        \
         raise NotImplementedError\n\n    \
         def _init_resources(self) -> None:\n        \
         \"\"\"Creates the resource namespaces (`client.tables`…).\"\"\"\n        \
         raise NotImplementedError\n",
    );
}

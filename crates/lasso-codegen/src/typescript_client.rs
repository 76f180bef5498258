//! `node/src/client-options.ts`: the `ClientOptions` interface of
//! `new LassoClient({...})` and the run-time type of each option, from
//! `lasso_spec::CLIENT_OPTIONS`.

use std::fmt::Write;

use lasso_spec::client_options::{ClientOption, ClientOptionTy, CLIENT_OPTIONS};
use lasso_spec::helpers::Sdk;

use crate::names::{camel, default_sentence, with_error_classes};
use crate::python_errors::class_name;

/// The TypeScript type, and the `typeof` names `checkOptions` accepts (`false`: the value itself).
fn types(ty: ClientOptionTy) -> (&'static str, &'static str) {
    match ty {
        ClientOptionTy::ApiKey | ClientOptionTy::BaseUrl | ClientOptionTy::Str | ClientOptionTy::CaBundle => {
            ("string", "string")
        }
        ClientOptionTy::Duration | ClientOptionTy::Count | ClientOptionTy::Bytes => ("number", "number"),
        ClientOptionTy::Headers => ("Record<string, string>", "object"),
        ClientOptionTy::Bool => ("boolean", "boolean"),
        ClientOptionTy::Proxy => ("string | false", "string|false"),
        ClientOptionTy::Logger => ("LogFn", "function"),
        ClientOptionTy::LogLevel => ("LogLevel", "string"),
    }
}

/// The option's TSDoc text, with Node's units and defaults.
fn doc(o: &ClientOption) -> String {
    let default = default_sentence(o, |ms| {
        format!(" Default {} ms; `Infinity`: none.", thousands(ms))
    });
    let extra = match o.ty {
        ClientOptionTy::Proxy => " `false`: none.",
        // As Node's own `https` reads it (client.ts).
        ClientOptionTy::CaBundle => " Default: `NODE_EXTRA_CA_CERTS`.",
        _ => "",
    };
    format!("{}{default}{extra}", with_error_classes(o.doc, class_name))
}

/// `60000` → `60 000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// The options for the API reference: name, type, doc.
pub(crate) fn reference() -> Vec<[String; 3]> {
    CLIENT_OPTIONS
        .iter()
        .filter(|o| o.is_in(Sdk::Node))
        .map(|o| [camel(o.name), types(o.ty).0.to_owned(), doc(o)])
        .collect()
}

pub fn render() -> String {
    let options: Vec<&ClientOption> = CLIENT_OPTIONS.iter().filter(|o| o.is_in(Sdk::Node)).collect();
    let mut out = crate::header("//", "client_options.rs");
    out.push_str(
        "import type { LogFn, LogLevel } from \"./client\";\n\n\
         /** Settings of a {@link LassoClient}. Durations are in milliseconds. */\n\
         export interface ClientOptions {\n",
    );
    for o in &options {
        writeln!(
            out,
            "  /** {} */\n  {}?: {};",
            doc(o),
            camel(o.name),
            types(o.ty).0
        )
        .unwrap();
    }
    out.push_str(
        "}\n\n/** What `checkOptions` accepts for each option: `typeof` names, or `false` itself. */\n\
         export const CLIENT_OPTION_TYPES: Readonly<Record<keyof ClientOptions, string>> = {\n",
    );
    for o in &options {
        writeln!(out, "  {}: \"{}\",", camel(o.name), types(o.ty).1).unwrap();
    }
    out.push_str("};\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_spaced() {
        assert_eq!(super::thousands(60_000), "60 000");
        assert_eq!(super::thousands(300_000), "300 000");
        assert_eq!(super::thousands(999), "999");
    }
}

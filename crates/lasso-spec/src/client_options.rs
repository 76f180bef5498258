//! The options a client is built with, described once: every SDK's constructor
//! (Python's keyword arguments, Node's `ClientOptions`, Kotlin's named
//! arguments) is generated from [`CLIENT_OPTIONS`], with its names, defaults and
//! docs. The core (`lasso-ai`'s `ClientBuilder`) checks the values.

use crate::helpers::Sdk;

/// One option of a client's constructor.
#[derive(Debug)]
pub struct ClientOption {
    /// Its name (each language spells it its own way: `max_retries` / `maxRetries`).
    pub name: &'static str,
    /// Its type.
    pub ty: ClientOptionTy,
    /// What it does, for generated docs (each language adds its units and
    /// how to say "none"). An error class is written `{InvalidApiKey}` (its
    /// name in [`crate::ERRORS`]), for each language to spell.
    pub doc: &'static str,
    /// The core's default, in the type's unit (milliseconds for a duration,
    /// bytes for a size), when there is one.
    pub default: Option<u64>,
    /// Python's name when it differs, for code written for other Python SDKs.
    pub python_name: Option<&'static str>,
    /// The SDKs whose constructor takes it (the Rust crate has `ClientBuilder`).
    pub sdks: &'static [Sdk],
}

/// The type of a client option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientOptionTy {
    /// The API key (first by position where a language has positions).
    ApiKey,
    /// The API root (second by position).
    BaseUrl,
    /// A duration.
    Duration,
    /// A count.
    Count,
    /// A size in bytes.
    Bytes,
    /// Extra headers for every request.
    Headers,
    /// A string.
    Str,
    /// A boolean, `false` unless given.
    Bool,
    /// A proxy URL, or none at all.
    Proxy,
    /// Certificate authorities to trust: a PEM file path or PEM text.
    CaBundle,
    /// A function that hears the client's log lines.
    Logger,
    /// The lowest level the logger hears.
    LogLevel,
}

/// The front doors: Python, Node and Kotlin.
const FRONT_DOORS: &[Sdk] = &[Sdk::Python, Sdk::Node, Sdk::Kotlin];
/// Node and Kotlin, whose clients take a logger (Python's log through `logging`).
const WITH_LOGGER: &[Sdk] = &[Sdk::Node, Sdk::Kotlin];

const fn option(name: &'static str, ty: ClientOptionTy, doc: &'static str) -> ClientOption {
    ClientOption {
        name,
        ty,
        doc,
        default: None,
        python_name: None,
        sdks: FRONT_DOORS,
    }
}

impl ClientOption {
    const fn default(self, value: u64) -> ClientOption {
        ClientOption {
            default: Some(value),
            ..self
        }
    }

    const fn python(self, name: &'static str) -> ClientOption {
        ClientOption {
            python_name: Some(name),
            ..self
        }
    }

    const fn only(self, sdks: &'static [Sdk]) -> ClientOption {
        ClientOption { sdks, ..self }
    }

    /// Whether `sdk`'s constructor takes it.
    pub fn is_in(&self, sdk: Sdk) -> bool {
        self.sdks.contains(&sdk)
    }
}

use ClientOptionTy::*;

/// Every option, in the order of Kotlin's named arguments (the API key and the
/// base URL first: positional in Python and Kotlin).
pub static CLIENT_OPTIONS: &[ClientOption] = &[
    option(
        "api_key",
        ApiKey,
        "`lasso_` + 64 hex characters; default: the `LASSO_API_KEY` environment variable. \
         Checked before any request: a missing or malformed key raises {InvalidApiKey}.",
    ),
    option(
        "base_url",
        BaseUrl,
        "The API root; default: `LASSO_BASE_URL`, else `https://hub.banditshq.com/api/v1`. \
         `http://` is accepted for loopback hosts only (e.g. `lasso-mock`).",
    ),
    option(
        "timeout",
        Duration,
        "Time allowed for one attempt, reading the body included.",
    )
    .default(60_000),
    option(
        "connect_timeout",
        Duration,
        "Time allowed to establish a connection.",
    )
    .default(10_000),
    option(
        "max_retries",
        Count,
        "Retries after a failed first attempt; a billed call is retried only when the server \
         cannot have acted on it.",
    )
    .default(2),
    option(
        "headers",
        Headers,
        "Extra headers sent with every request (`Authorization` cannot be overridden).",
    )
    .python("default_headers"),
    option(
        "proxy",
        Proxy,
        "An `http://host:port` proxy for `https://` requests (CONNECT tunnels: TLS runs end to \
         end). Default: `HTTPS_PROXY` / `ALL_PROXY`, hosts in `NO_PROXY` excepted. A loopback \
         `http://` base URL never uses a proxy.",
    ),
    option(
        "ca_bundle",
        CaBundle,
        "Extra certificate authorities to trust, as a PEM file path or PEM text; the system's \
         store stays trusted (`SSL_CERT_FILE` and `SSL_CERT_DIR` replace it).",
    ),
    option(
        "max_connections",
        Count,
        "Requests in flight at once; more calls wait for a free slot instead of opening more sockets.",
    )
    .default(64),
    option(
        "max_response_bytes",
        Bytes,
        "The largest body read into memory, in bytes; a larger answer raises {ResponseTooLarge} \
         (export to a path for more).",
    )
    .default(256 << 20),
    option(
        "user_agent_suffix",
        Str,
        "Appended to the `User-Agent`, e.g. `my-app/1.2`.",
    ),
    option(
        "allow_nonstandard_key",
        Bool,
        "Accept keys of a format newer than this SDK (another length or alphabet).",
    ),
    option(
        "logger",
        Logger,
        "Hears the client's log lines: one `debug` line per attempt (method, path, status, \
         duration, attempt, request id), `info` for a retry, `warn` for a call that failed for \
         good; never the key or a body. Default: with `LASSO_LOG` set, lines at that level and \
         above go to stderr.",
    )
    .only(WITH_LOGGER),
    option(
        "log_level",
        LogLevel,
        "The lowest level the logger hears; default: `LASSO_LOG`, else warn.",
    )
    .only(WITH_LOGGER),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_classes_named_in_docs_exist() {
        for o in CLIENT_OPTIONS {
            for class in o
                .doc
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}'))
                .map(|(c, _)| c)
            {
                assert!(
                    crate::ERRORS.iter().any(|e| e.class == class),
                    "{}: {{{class}}}",
                    o.name
                );
            }
        }
    }

    #[test]
    fn the_key_and_base_url_come_first_and_names_are_unique() {
        assert_eq!(CLIENT_OPTIONS[0].ty, ApiKey);
        assert_eq!(CLIENT_OPTIONS[1].ty, BaseUrl);
        let mut names: Vec<&str> = CLIENT_OPTIONS.iter().map(|o| o.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CLIENT_OPTIONS.len());
    }
}

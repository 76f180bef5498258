//! How a front door spells the SDK's option names in error messages.
//!
//! The core's messages name options as Rust and Python spell them
//! (`base_url`, `max_response_bytes`, `allow_enrich_without_webhook`). A
//! front door whose options are camelCase (Node, Kotlin) asks for
//! [`OptionNames::Camel`] when it hands an error over, so that its users
//! read `baseUrl`, the name they actually type.

use std::borrow::Cow;

use crate::error::Error;

/// The spelling of option names in messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum OptionNames {
    /// `base_url`, `max_retries`: Rust and Python.
    #[default]
    Snake,
    /// `baseUrl`, `maxRetries`: Node and Kotlin.
    Camel,
}

/// Every option name (snake_case) that a core message may mention. Only
/// these are respelled: a word of the API (`webhook_url`, an argument) keeps
/// its wire name in every language.
pub const OPTION_NAMES: &[&str] = &[
    "allow_enrich_without_webhook",
    "allow_nonstandard_key",
    "api_key",
    "base_url",
    "ca_bundle",
    "connect_timeout",
    "extra_body",
    "extra_query",
    "log_level",
    "max_connections",
    "max_response_bytes",
    "max_retries",
    "total_timeout",
    "user_agent_suffix",
];

impl OptionNames {
    /// `name` (snake_case) as this front door spells it.
    pub fn spell(self, name: &str) -> Cow<'_, str> {
        match self {
            OptionNames::Snake => Cow::Borrowed(name),
            OptionNames::Camel => {
                let mut out = String::with_capacity(name.len());
                let mut upper = false;
                for c in name.chars() {
                    if c == '_' {
                        upper = true;
                    } else if upper {
                        out.extend(c.to_uppercase());
                        upper = false;
                    } else {
                        out.push(c);
                    }
                }
                Cow::Owned(out)
            }
        }
    }

    /// `text` with every whole-word option name of [`OPTION_NAMES`] respelled.
    pub fn respell(self, text: &str) -> String {
        if self == OptionNames::Snake {
            return text.to_owned();
        }
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find(|c: char| word(c)) {
            out.push_str(&rest[..start]);
            let tail = &rest[start..];
            let end = tail.find(|c: char| !word(c)).unwrap_or(tail.len());
            let token = &tail[..end];
            match OPTION_NAMES.contains(&token) {
                true => out.push_str(&self.spell(token)),
                false => out.push_str(token),
            }
            rest = &tail[end..];
        }
        out.push_str(rest);
        out
    }
}

impl Error {
    /// This error's message with its option names spelled as a front door
    /// spells them. Only the SDK's own errors about its settings and
    /// arguments are touched; an API error's message is the server's.
    pub(crate) fn spelled_message(&self, names: OptionNames) -> Cow<'_, str> {
        match self {
            Error::Configuration { message }
            | Error::InvalidApiKey { message, .. }
            | Error::ResponseTooLarge { message, .. }
                if names != OptionNames::Snake =>
            {
                Cow::Owned(names.respell(message))
            }
            other => Cow::Borrowed(other.message()),
        }
    }

    /// This error with its message spelled as by [`Error::spelled_message`].
    pub(crate) fn spelled(self, names: OptionNames) -> Error {
        let respelled = |message: String| names.respell(&message);
        match self {
            _ if names == OptionNames::Snake => self,
            Error::Configuration { message } => Error::Configuration {
                message: respelled(message),
            },
            Error::InvalidApiKey { rule, message } => Error::InvalidApiKey {
                rule,
                message: respelled(message),
            },
            Error::ResponseTooLarge {
                status,
                limit,
                message,
            } => Error::ResponseTooLarge {
                status,
                limit,
                message: respelled(message),
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_spelling_of_option_names_only() {
        let camel = OptionNames::Camel;
        assert_eq!(
            camel.spell("allow_enrich_without_webhook"),
            "allowEnrichWithoutWebhook"
        );
        assert_eq!(
            camel.respell("base_url `x` is bad; pass webhook_url, or set allow_enrich_without_webhook."),
            "baseUrl `x` is bad; pass webhook_url, or set allowEnrichWithoutWebhook."
        );
        assert_eq!(camel.respell("my_base_url_x stays"), "my_base_url_x stays");
        assert_eq!(OptionNames::Snake.respell("base_url"), "base_url");
        let e = Error::config("raise max_response_bytes").spelled(camel);
        assert_eq!(e.to_string(), "raise maxResponseBytes");
    }
}

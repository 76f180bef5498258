//! The API key: validated before any network call, never shown.

use http::HeaderValue;

use crate::error::Error;

/// Every key starts with this.
pub const KEY_PREFIX: &str = "lasso_";
/// `lasso_` plus 64 hex characters (32 random bytes).
pub const KEY_LENGTH: usize = 70;

/// A validated API key. Its `Debug` shows only the masked form.
#[derive(Clone)]
pub struct ApiKey {
    secret: String,
}

impl ApiKey {
    /// Trims surrounding white space and checks the documented format.
    ///
    /// With `lenient`, keys of another length or alphabet are accepted (for
    /// key formats newer than this SDK); an empty key, a missing prefix or a
    /// character that cannot go in an HTTP header is always refused.
    pub fn parse(raw: Option<&str>, lenient: bool) -> Result<ApiKey, Error> {
        let raw = raw.ok_or_else(|| {
            invalid(
                "missing",
                "No API key was given. Pass one to the client (api_key=... / apiKey) or set the \
             LASSO_API_KEY environment variable; keys are created in the Lasso dashboard under \
             Settings → API Keys.",
            )
        })?;
        let key = raw.trim();
        if key.is_empty() {
            return Err(invalid(
                "empty",
                "The API key is empty. Set LASSO_API_KEY or pass the key created in the Lasso \
                 dashboard (Settings → API Keys).",
            ));
        }
        let masked = mask(key);
        if key.chars().any(|c| !(c.is_ascii_graphic())) {
            return Err(invalid(
                "characters",
                format!(
                    "The API key {masked} contains characters that cannot be sent in an HTTP \
                     header (spaces, control or non-ASCII characters). Copy the key again from \
                     the dashboard, without quotes or line breaks."
                ),
            ));
        }
        if !key.starts_with(KEY_PREFIX) {
            return Err(invalid(
                "prefix",
                format!(
                    "The API key {masked} does not start with `{KEY_PREFIX}`. Lasso keys look \
                     like `lasso_` followed by 64 hexadecimal characters; check that you copied \
                     the whole key."
                ),
            ));
        }
        if !lenient {
            if key.len() != KEY_LENGTH {
                return Err(invalid(
                    "length",
                    format!(
                        "The API key {masked} is {} characters long; Lasso keys are {KEY_LENGTH} \
                         (`lasso_` plus 64 hexadecimal characters). Check that you copied the \
                         whole key, or enable the non-standard key option if your key format is \
                         newer than this SDK.",
                        key.len()
                    ),
                ));
            }
            if !key[KEY_PREFIX.len()..].bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid(
                    "characters",
                    format!(
                        "The API key {masked} has characters other than hexadecimal digits after \
                         `{KEY_PREFIX}`. Copy the key again from the dashboard, or enable the \
                         non-standard key option if your key format is newer than this SDK."
                    ),
                ));
            }
        }
        Ok(ApiKey {
            secret: key.to_owned(),
        })
    }

    /// `lasso_…` plus the last four characters: safe to show.
    pub fn masked(&self) -> String {
        mask(&self.secret)
    }

    /// `text` with every occurrence of the key (or of its part after `lasso_`)
    /// replaced by the masked form: for messages that quote what a server or
    /// the caller sent back, which may contain the key.
    pub(crate) fn redact<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        let tail = &self.secret[KEY_PREFIX.len().min(self.secret.len())..];
        if tail.len() < 8 || !text.contains(tail) {
            return std::borrow::Cow::Borrowed(text);
        }
        let masked = self.masked();
        std::borrow::Cow::Owned(text.replace(&self.secret, &masked).replace(tail, "…"))
    }

    /// The `Authorization` header value, marked sensitive so that `http`'s
    /// own `Debug` output hides it.
    pub(crate) fn bearer(&self) -> HeaderValue {
        let mut value = HeaderValue::try_from(format!("Bearer {}", self.secret))
            .expect("validated keys are visible ASCII");
        value.set_sensitive(true);
        value
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.masked())
    }
}

/// `lasso_…abcd`. Short or malformed keys show less, so that a masked key
/// never reveals more than four characters of the secret.
fn mask(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() < 16 {
        return "lasso_…".to_owned();
    }
    let tail: String = chars[chars.len() - 4..]
        .iter()
        .map(|c| if c.is_ascii_graphic() { *c } else { '?' })
        .collect();
    format!("lasso_…{tail}")
}

fn invalid(rule: &'static str, message: impl Into<String>) -> Error {
    Error::InvalidApiKey {
        rule,
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "lasso_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn rule(raw: Option<&str>, lenient: bool) -> &'static str {
        match ApiKey::parse(raw, lenient) {
            Err(Error::InvalidApiKey { rule, message }) => {
                assert!(
                    !message.contains(&GOOD[6..60]),
                    "message leaks the key: {message}"
                );
                rule
            }
            other => panic!("expected an invalid key, got {other:?}"),
        }
    }

    #[test]
    fn accepts_a_documented_key_and_trims_it() {
        let key = ApiKey::parse(Some(&format!("  {GOOD}\n")), false).unwrap();
        assert_eq!(key.masked(), "lasso_…cdef");
        assert_eq!(format!("{key:?}"), "lasso_…cdef");
    }

    #[test]
    fn rejects_each_rule() {
        assert_eq!(rule(None, false), "missing");
        assert_eq!(rule(Some(" \n"), false), "empty");
        assert_eq!(rule(Some(&GOOD[..40]), false), "length");
        assert_eq!(rule(Some(&format!("sk_{}", &GOOD[6..])), false), "prefix");
        assert_eq!(rule(Some(&format!("{}é", &GOOD[..69])), false), "characters");
        assert_eq!(rule(Some(&format!("{}zz", &GOOD[..68])), false), "characters");
        assert_eq!(
            rule(Some(&format!("{}\u{7}{}", &GOOD[..30], &GOOD[31..])), true),
            "characters"
        );
        assert_eq!(rule(Some(""), true), "empty");
    }

    #[test]
    fn lenient_accepts_other_lengths_and_alphabets() {
        assert!(ApiKey::parse(Some("lasso_Zx-9_shortButFine"), true).is_ok());
        assert_eq!(rule(Some("nope_abc"), true), "prefix");
    }

    #[test]
    fn redacts_the_key_and_its_secret_part_from_texts() {
        let key = ApiKey::parse(Some(GOOD), false).unwrap();
        let echoed = format!("bad token {GOOD} (also {})", &GOOD[6..]);
        let clean = key.redact(&echoed);
        assert!(!clean.contains(&GOOD[6..40]), "{clean}");
        assert!(clean.contains("lasso_…cdef"));
        assert!(matches!(
            key.redact("nothing here"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn masks_short_keys_completely() {
        assert_eq!(mask("lasso_abc"), "lasso_…");
    }
}

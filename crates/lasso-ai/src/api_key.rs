//! The API key: validated before any network call, never shown.

// Much of it serves the client only (`--no-default-features` leaves the types).
#![cfg_attr(not(feature = "client"), allow(dead_code))]

use std::borrow::Cow;
use std::collections::HashSet;

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
                "No API key was given. Pass one to the client (its api_key option) or set the \
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

    /// `text` with the key replaced by its masked form, and every run of
    /// [`REDACTED_RUN`] or more characters of its secret part (after `lasso_`)
    /// by `…`, whatever their case: for messages that quote what a server or
    /// the caller sent back, which may contain the key whole, cut or re-cased
    /// (a proxy that upper-cases headers, a log line truncated mid-key).
    pub(crate) fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let secret = self
            .secret
            .strip_prefix(KEY_PREFIX)
            .unwrap_or(&self.secret)
            .as_bytes();
        let text = replace_folded(text, &self.secret, &self.masked());
        // A lenient key may be short: shorter runs than this are only removed
        // as the whole key (above), else common words would be cut.
        if secret.len() < REDACTED_RUN {
            return text;
        }
        let grams: HashSet<[u8; REDACTED_RUN]> = secret.windows(REDACTED_RUN).map(fold).collect();
        // Byte ranges covered by a window equal to one of the secret's. The
        // secret is ASCII, so every range starts and ends on a char boundary.
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (at, window) in text.as_bytes().windows(REDACTED_RUN).enumerate() {
            if grams.contains(&fold(window)) {
                match runs.last_mut() {
                    Some((_, end)) if *end >= at => *end = at + REDACTED_RUN,
                    _ => runs.push((at, at + REDACTED_RUN)),
                }
            }
        }
        if runs.is_empty() {
            return text;
        }
        let mut out = String::with_capacity(text.len());
        let mut kept = 0;
        for (start, end) in runs {
            out.push_str(&text[kept..start]);
            out.push('…');
            kept = end;
        }
        out.push_str(&text[kept..]);
        Cow::Owned(out)
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

/// `text` with every occurrence of `needle` (ASCII case ignored) replaced.
fn replace_folded<'a>(text: &'a str, needle: &str, with: &str) -> Cow<'a, str> {
    let (hay, pat) = (text.to_ascii_lowercase(), needle.to_ascii_lowercase());
    if pat.is_empty() || !hay.contains(&pat) {
        return Cow::Borrowed(text);
    }
    // ASCII lowercasing keeps byte offsets, so matches index `text` too.
    let mut out = String::with_capacity(text.len());
    let mut kept = 0;
    for (at, _) in hay.match_indices(&pat) {
        if at < kept {
            continue;
        }
        out.push_str(&text[kept..at]);
        out.push_str(with);
        kept = at + pat.len();
    }
    out.push_str(&text[kept..]);
    Cow::Owned(out)
}

/// Shorter runs of the secret's characters are left alone: eight hex digits
/// are 4 billion possibilities, so a longer run in a message is the key's.
const REDACTED_RUN: usize = 8;

/// An ASCII-lowercased copy of an `REDACTED_RUN`-byte window.
fn fold(window: &[u8]) -> [u8; REDACTED_RUN] {
    let mut folded = [0; REDACTED_RUN];
    for (f, b) in folded.iter_mut().zip(window) {
        *f = b.to_ascii_lowercase();
    }
    folded
}

/// `lasso_…abcd`. Short or malformed keys show less, so that a masked key
/// never reveals more than four characters of the secret.
/// `lasso_…` (only when the key has that prefix: a key of another service,
/// `sk_…`, must not look like a Lasso key in a message) plus the last four
/// characters of a key long enough to keep the rest hidden.
fn mask(key: &str) -> String {
    let prefix = if key.starts_with(KEY_PREFIX) {
        KEY_PREFIX
    } else {
        ""
    };
    let chars: Vec<char> = key.chars().collect();
    if chars.len() < 16 {
        return format!("{prefix}…");
    }
    let tail: String = chars[chars.len() - 4..]
        .iter()
        .map(|c| if c.is_ascii_graphic() { *c } else { '?' })
        .collect();
    format!("{prefix}…{tail}")
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
        assert!(matches!(key.redact("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn redacts_cut_and_recased_parts_of_the_key() {
        let key = ApiKey::parse(Some(GOOD), false).unwrap();
        let secret = &GOOD[6..];
        for echoed in [
            format!("token {}… (truncated)", &secret[..20]),
            format!("AUTHORIZATION: BEARER {}", GOOD.to_ascii_uppercase()),
            format!("middle {} end", &secret[17..29].to_ascii_uppercase()),
            format!("two {}|{}", &secret[..8], &secret[40..52]),
        ] {
            let clean = key.redact(&echoed);
            let folded = clean.to_ascii_lowercase();
            for window in secret.as_bytes().windows(REDACTED_RUN) {
                let window = std::str::from_utf8(window).unwrap();
                assert!(!folded.contains(window), "{echoed:?} -> {clean:?}");
            }
            assert!(clean.contains('…'), "{clean}");
        }
        // Seven characters of the key in a row are not enough to be it.
        let short = format!("id {} here", &secret[..7]);
        assert_eq!(key.redact(&short), short.as_str());
        assert_eq!(key.redact("é…✓ ünïcode"), "é…✓ ünïcode");
    }

    #[test]
    fn masks_short_keys_completely() {
        assert_eq!(mask("lasso_abc"), "lasso_…");
    }

    #[test]
    fn the_mask_shows_the_lasso_prefix_only_when_the_key_has_it() {
        assert_eq!(mask(GOOD), "lasso_…cdef");
        assert_eq!(mask(&format!("sk_{}", "a1".repeat(20))), "…a1a1");
        assert_eq!(mask("sk_short"), "…");
        let e = ApiKey::parse(Some(&format!("sk_{}", "a1".repeat(20))), false)
            .err()
            .unwrap();
        assert!(!e.to_string().contains("lasso_…"), "{e}");
    }
}

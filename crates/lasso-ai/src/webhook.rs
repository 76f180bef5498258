//! Webhook signature verification (lasso-api.md §1.8).
//!
//! Lasso signs each delivery with
//! `X-Lasso-Signature: sha256=<lowercase hex HMAC-SHA256(secret, raw body)>`.
//! [`verify`] checks that header against the raw request body in constant
//! time, with one secret or several (while rotating), and [`construct_event`]
//! verifies and then parses the event. Neither needs a client or an API key.
//!
//! ```
//! use lasso_ai::webhook;
//!
//! let secret = "whsec_0123456789abcdef";
//! let body = br#"{"event":"webhook.test","data":{}}"#;
//! let header = webhook::sign(body, secret); // what Lasso sends
//!
//! webhook::verify(body, Some(&header), &[secret])?;
//! let event = webhook::construct_event(body, Some(&header), &[secret])?;
//! assert_eq!(event["event"], "webhook.test");
//!
//! let err = webhook::verify(b"tampered", Some(&header), &[secret]).unwrap_err();
//! assert_eq!(err.reason(), webhook::WebhookErrorReason::NoMatchingSignature);
//! # Ok::<(), lasso_ai::Error>(())
//! ```
//!
//! The signed material is the body only: there is no timestamp header, so
//! the scheme itself has no replay protection. The event's own `timestamp`
//! field is inside the signed body, so [`verify_with_tolerance`] can refuse a
//! delivery signed long ago (off by default: the docs give no window); also
//! deduplicate on `X-Lasso-Delivery-Id` if replays matter to you.
//!
//! Secrets are trimmed of surrounding white space (a trailing newline from an
//! environment file would otherwise never match).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::error::{capped_text, snippet, Error, RAW_BODY_LIMIT};
pub use crate::webhook_error::{WebhookError, WebhookErrorReason};

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Lasso-Signature";
/// The only signature scheme Lasso uses: `sha256=<hex>`.
pub const SIGNATURE_SCHEME: &str = "sha256";
/// Length of a SHA-256 HMAC in hex characters.
const SIGNATURE_HEX_LEN: usize = 64;

type HmacSha256 = Hmac<Sha256>;

/// Verifies `signature_header` (the value of `X-Lasso-Signature`) against the
/// raw request body `payload` with any of `secrets`.
///
/// The header is `sha256=<hex>` (hex in either case, surrounding white space
/// ignored); several comma-separated signatures are accepted, and elements of
/// another scheme are ignored. Several secrets are accepted so that an
/// endpoint keeps verifying while its secret is rotated. Each comparison runs
/// in constant time.
///
/// ```
/// # use lasso_ai::webhook;
/// let (old, new) = ("whsec_old", "whsec_new");
/// let header = webhook::sign(b"{}", new);
/// assert!(webhook::verify(b"{}", Some(&header), &[old, new]).is_ok());
/// assert!(webhook::verify(b"{}", None, &[old]).is_err());
/// ```
pub fn verify(payload: &[u8], signature_header: Option<&str>, secrets: &[&str]) -> Result<(), WebhookError> {
    if secrets.is_empty() {
        return Err(WebhookError::no_secret());
    }
    if let Some(i) = secrets.iter().position(|s| s.trim().is_empty()) {
        return Err(WebhookError::new(
            WebhookErrorReason::NoSecret,
            if secrets.len() == 1 {
                "the webhook secret is empty: pass the endpoint's signing secret (the `secret` returned once \
                 when the webhook was created, starting `whsec_`); check that the variable holding it is set"
                    .to_owned()
            } else {
                format!(
                    "webhook secret #{} of {} is empty: every secret must be an endpoint signing secret \
                     (starting `whsec_`); check that the variables holding them are set",
                    i + 1,
                    secrets.len()
                )
            },
        ));
    }
    let signatures = parse_header(signature_header)?;
    for secret in secrets {
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(secret.trim().as_bytes())
            .expect("HMAC takes keys of any length");
        mac.update(payload);
        for signature in &signatures {
            if mac.clone().verify_slice(signature).is_ok() {
                return Ok(());
            }
        }
    }
    Err(WebhookError::new(
        WebhookErrorReason::NoMatchingSignature,
        format!(
            "the {SIGNATURE_HEADER} signature does not match the payload for {}: make sure you pass the raw \
             request body exactly as received (not parsed and re-serialized JSON, not decoded or trimmed) and \
             the signing secret of this webhook endpoint; if the request did not come from Lasso, reject it",
            if secrets.len() == 1 {
                "the given secret".to_owned()
            } else {
                format!("any of the {} given secrets", secrets.len())
            }
        ),
    ))
}

/// [`verify`], then checks that the event's `timestamp` (inside the signed
/// body, so it cannot be altered) is within `tolerance` of `now`: a delivery
/// signed long ago, e.g. replayed, is refused with
/// [`WebhookErrorReason::TimestampOutsideTolerance`].
///
/// ```
/// # use lasso_ai::webhook;
/// use std::time::{Duration, SystemTime};
/// let body = br#"{"event":"table.completed","timestamp":"2025-03-12T14:30:00.000Z","data":{}}"#;
/// let header = webhook::sign(body, "whsec_x");
/// let later = SystemTime::UNIX_EPOCH + Duration::from_secs(1_741_790_000 + 3600);
/// let err = webhook::verify_with_tolerance(body, Some(&header), &["whsec_x"], Duration::from_secs(300), later)
///     .unwrap_err();
/// assert_eq!(err.reason(), webhook::WebhookErrorReason::TimestampOutsideTolerance);
/// ```
pub fn verify_with_tolerance(
    payload: &[u8],
    signature_header: Option<&str>,
    secrets: &[&str],
    tolerance: Duration,
    now: SystemTime,
) -> Result<(), WebhookError> {
    verify(payload, signature_header, secrets)?;
    let timestamp = serde_json::from_slice::<serde_json::Value>(payload)
        .ok()
        .and_then(|event| event.get("timestamp")?.as_str().and_then(parse_rfc3339));
    let Some(signed_at) = timestamp else {
        return Err(WebhookError::new(
            WebhookErrorReason::MissingTimestamp,
            "the webhook body has no readable `timestamp` (RFC 3339) to check the tolerance against: \
             verify without a tolerance, or make sure the body is a Lasso event",
        ));
    };
    let skew = now
        .duration_since(signed_at)
        .or_else(|e| Ok::<_, ()>(e.duration()))
        .unwrap_or_default();
    if skew > tolerance {
        return Err(WebhookError::new(
            WebhookErrorReason::TimestampOutsideTolerance,
            format!(
                "the webhook event's timestamp is {} s from now, more than the tolerance of {} s: \
                 a replayed or long-delayed delivery (or a clock that is off); reject it",
                skew.as_secs(),
                tolerance.as_secs()
            ),
        ));
    }
    Ok(())
}

/// [`verify`], or with a `tolerance` [`verify_with_tolerance`] against the
/// system clock: the form every front door calls.
pub fn verify_within(
    payload: &[u8],
    signature_header: Option<&str>,
    secrets: &[&str],
    tolerance: Option<Duration>,
) -> Result<(), WebhookError> {
    match tolerance {
        None => verify(payload, signature_header, secrets),
        Some(t) => verify_with_tolerance(payload, signature_header, secrets, t, SystemTime::now()),
    }
}

/// [`construct_event`] with an optional tolerance, as in [`verify_within`].
pub fn construct_event_within(
    payload: &[u8],
    signature_header: Option<&str>,
    secrets: &[&str],
    tolerance: Option<Duration>,
) -> Result<serde_json::Value, Error> {
    verify_within(payload, signature_header, secrets, tolerance)?;
    construct_event(payload, signature_header, secrets)
}

/// An RFC 3339 date-time (`2025-03-12T14:30:00.000Z`, `…+01:00`) as a time.
fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let num = |s: &str| -> Option<i64> {
        s.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse().ok())
            .flatten()
    };
    let (date, rest) = text.split_once(['T', 't', ' '])?;
    let mut ymd = date.splitn(3, '-');
    let (y, m, d) = (num(ymd.next()?)?, num(ymd.next()?)?, num(ymd.next()?)?);
    let zone_at = rest.find(['Z', 'z', '+', '-'])?;
    let (clock, zone) = rest.split_at(zone_at);
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut parts = hms.splitn(3, ':');
    let (hh, mm, ss) = (num(parts.next()?)?, num(parts.next()?)?, num(parts.next()?)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let (oh, om) = zone[1..].split_once(':')?;
            sign * (num(oh)? * 3600 + num(om)? * 60)
        }
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    let secs = days * 86_400 + hh * 3600 + mm * 60 + ss - offset;
    let nanos = if fraction.is_empty() {
        0
    } else {
        let digits: String = fraction.chars().take(9).collect();
        num(&digits)? as u32 * 10u32.pow(9 - digits.len() as u32)
    };
    let since = Duration::new(u64::try_from(secs).ok()?, nanos);
    UNIX_EPOCH.checked_add(since)
}

/// Verifies the delivery like [`verify`], then parses the body as JSON and
/// returns the event (`{"event": …, "timestamp": …, "data": …}`).
///
/// A verification failure is [`Error::WebhookVerification`]; a verified body
/// that is not JSON is [`Error::Decode`] (with no HTTP status).
pub fn construct_event(
    payload: &[u8],
    signature_header: Option<&str>,
    secrets: &[&str],
) -> Result<serde_json::Value, Error> {
    verify(payload, signature_header, secrets)?;
    serde_json::from_slice(payload).map_err(|e| {
        let snippet = snippet(payload);
        Error::Decode {
            status: 0,
            message: format!(
                "the webhook body is correctly signed but is not valid JSON ({e}){}",
                if snippet.is_empty() {
                    " (empty body)".to_owned()
                } else {
                    format!(": body: {snippet}")
                }
            ),
            raw_body: capped_text(payload, RAW_BODY_LIMIT),
            source: None,
        }
    })
}

/// The `X-Lasso-Signature` value Lasso sends for `payload` signed with
/// `secret` (trimmed, as [`verify`] reads it): `sha256=<lowercase hex>`.
/// Handy to test a webhook handler.
///
/// An empty secret gives a signature that [`verify`] never accepts (it
/// rejects empty secrets); [`try_sign`] reports it instead.
///
/// ```
/// assert_eq!(
///     lasso_ai::webhook::sign(b"what do ya want for nothing?", "Jefe"),
///     "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
/// );
/// ```
pub fn sign(payload: &[u8], secret: &str) -> String {
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(secret.trim().as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(payload);
    format!("{SIGNATURE_SCHEME}={}", hex::encode(mac.finalize().into_bytes()))
}

/// [`sign`], but an empty secret is a [`WebhookErrorReason::NoSecret`] error.
pub fn try_sign(payload: &[u8], secret: &str) -> Result<String, WebhookError> {
    if secret.trim().is_empty() {
        return Err(WebhookError::new(
            WebhookErrorReason::NoSecret,
            "the webhook secret is empty: pass the endpoint's signing secret (starting `whsec_`)",
        ));
    }
    Ok(sign(payload, secret))
}

/// The decoded `sha256=` signatures of the header, at least one.
fn parse_header(header: Option<&str>) -> Result<Vec<Vec<u8>>, WebhookError> {
    let header = match header.map(str::trim) {
        Some(h) if !h.is_empty() => h,
        _ => {
            return Err(WebhookError::new(
                WebhookErrorReason::MissingHeader,
                format!(
                    "the request has no {SIGNATURE_HEADER} header: pass that header's value (e.g. \
                     request.headers[\"{SIGNATURE_HEADER}\"]). Lasso signs deliveries only when the \
                     webhook has a secret; an unsigned request cannot be trusted"
                ),
            ))
        }
    };
    let mut signatures = Vec::new();
    let mut problem: Option<String> = None;
    for element in header.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let Some((scheme, value)) = element.split_once('=') else {
            problem.get_or_insert_with(|| "an element has no `sha256=` prefix".to_owned());
            continue;
        };
        if !scheme.trim().eq_ignore_ascii_case(SIGNATURE_SCHEME) {
            problem.get_or_insert_with(|| "it has no `sha256=` signature".to_owned());
            continue;
        }
        let value = value.trim();
        if !value.bytes().all(|b| b.is_ascii_hexdigit()) {
            problem.get_or_insert_with(|| "the signature after `sha256=` is not hexadecimal".to_owned());
            continue;
        }
        if value.len() != SIGNATURE_HEX_LEN {
            problem.get_or_insert_with(|| {
                format!(
                    "the signature after `sha256=` has {} hex characters instead of {SIGNATURE_HEX_LEN}",
                    value.len()
                )
            });
            continue;
        }
        signatures.push(hex::decode(value).expect("checked: 64 hex digits"));
    }
    if signatures.is_empty() {
        return Err(WebhookError::new(
            WebhookErrorReason::MalformedHeader,
            format!(
                "the {SIGNATURE_HEADER} header is malformed: {}; expected `sha256=` followed by 64 hex \
                 characters. Pass the header's value unchanged",
                problem.unwrap_or_else(|| "it holds no signature".to_owned())
            ),
        ));
    }
    Ok(signatures)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_3f1c0e5a9b7d4c2e8a6f1b3d5c7e9a0b2d4f6a8c0e2b4d6f8a1c3e5b7d9f0a2c";
    const BODY: &[u8] = br#"{"event":"webhook.test","timestamp":"2025-03-12T14:30:00.000Z","data":{}}"#;

    fn reason(r: Result<(), WebhookError>) -> WebhookErrorReason {
        r.expect_err("verification should fail").reason()
    }

    #[test]
    fn secrets_are_trimmed() {
        let header = sign(BODY, SECRET);
        verify(BODY, Some(&header), &[&format!("{SECRET}\n")]).unwrap();
        verify(BODY, Some(&header), &[&format!("  {SECRET}\r\n")]).unwrap();
        assert_eq!(sign(BODY, &format!("{SECRET}\n")), header);
    }

    #[test]
    fn the_tolerance_uses_the_signed_timestamp() {
        let header = sign(BODY, SECRET);
        // BODY's timestamp: 2025-03-12T14:30:00.000Z = 1741789800.
        let at = UNIX_EPOCH + Duration::from_secs(1_741_789_800);
        let five_min = Duration::from_secs(300);
        verify_with_tolerance(BODY, Some(&header), &[SECRET], five_min, at).unwrap();
        verify_with_tolerance(
            BODY,
            Some(&header),
            &[SECRET],
            five_min,
            at + Duration::from_secs(299),
        )
        .unwrap();
        verify_with_tolerance(
            BODY,
            Some(&header),
            &[SECRET],
            five_min,
            at - Duration::from_secs(299),
        )
        .unwrap();
        for off in [at + Duration::from_secs(301), at - Duration::from_secs(301)] {
            let e = verify_with_tolerance(BODY, Some(&header), &[SECRET], five_min, off).unwrap_err();
            assert_eq!(e.reason(), WebhookErrorReason::TimestampOutsideTolerance);
        }
        // The signature is checked first.
        let e = verify_with_tolerance(b"{}", Some(&header), &[SECRET], five_min, at).unwrap_err();
        assert_eq!(e.reason(), WebhookErrorReason::NoMatchingSignature);
        let unstamped = br#"{"event":"x"}"#;
        let e = verify_with_tolerance(unstamped, Some(&sign(unstamped, SECRET)), &[SECRET], five_min, at)
            .unwrap_err();
        assert_eq!(e.reason(), WebhookErrorReason::MissingTimestamp);
    }

    #[test]
    fn rfc3339_dates() {
        let t = |s: &str| parse_rfc3339(s).map(|t| t.duration_since(UNIX_EPOCH).unwrap().as_millis());
        assert_eq!(t("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(t("2025-03-12T14:30:00.000Z"), Some(1_741_789_800_000));
        assert_eq!(t("2025-03-12T15:30:00.250+01:00"), Some(1_741_789_800_250));
        assert_eq!(t("2000-02-29T00:00:00Z"), Some(951_782_400_000));
        for bad in [
            "",
            "2025-13-01T00:00:00Z",
            "2025-03-12",
            "2025-03-12T14:30:00",
            "soon",
            "2025-03-12T1a:30:00Z",
        ] {
            assert_eq!(t(bad), None, "{bad}");
        }
    }

    #[test]
    fn known_vector() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign(b"what do ya want for nothing?", "Jefe"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn valid_signature() {
        let header = sign(BODY, SECRET);
        verify(BODY, Some(&header), &[SECRET]).unwrap();
        // Upper-case hex, scheme in any case, surrounding white space.
        let upper = format!("  SHA256={}\n", header["sha256=".len()..].to_uppercase());
        verify(BODY, Some(&upper), &[SECRET]).unwrap();
    }

    #[test]
    fn tampered_body() {
        let header = sign(BODY, SECRET);
        let mut body = BODY.to_vec();
        body[10] ^= 1;
        assert_eq!(
            reason(verify(&body, Some(&header), &[SECRET])),
            WebhookErrorReason::NoMatchingSignature
        );
        assert_eq!(
            reason(verify(&BODY[..BODY.len() - 1], Some(&header), &[SECRET])),
            WebhookErrorReason::NoMatchingSignature
        );
    }

    #[test]
    fn tampered_signature() {
        let header = sign(BODY, SECRET);
        let last = header.chars().last().unwrap();
        let flipped = format!(
            "{}{}",
            &header[..header.len() - 1],
            if last == '0' { '1' } else { '0' }
        );
        assert_eq!(
            reason(verify(BODY, Some(&flipped), &[SECRET])),
            WebhookErrorReason::NoMatchingSignature
        );
        assert_eq!(
            reason(verify(BODY, Some(&sign(BODY, "whsec_other")), &[SECRET])),
            WebhookErrorReason::NoMatchingSignature
        );
    }

    #[test]
    fn rotated_secrets() {
        let (old, new) = ("whsec_old_secret_value", "whsec_new_secret_value");
        let header = sign(BODY, new);
        verify(BODY, Some(&header), &[old, new]).unwrap();
        verify(BODY, Some(&header), &[new, old]).unwrap();
        let err = verify(BODY, Some(&header), &[old, "whsec_third"]).unwrap_err();
        assert_eq!(err.reason(), WebhookErrorReason::NoMatchingSignature);
        assert!(
            err.message().contains("any of the 2 given secrets"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn several_signatures_in_the_header() {
        let good = sign(BODY, SECRET);
        let other = sign(BODY, "whsec_other");
        verify(BODY, Some(&format!("{other}, {good}")), &[SECRET]).unwrap();
        // Elements of another scheme are ignored.
        verify(BODY, Some(&format!("v2=abc,{good}")), &[SECRET]).unwrap();
        assert_eq!(
            reason(verify(BODY, Some(&format!("{other},")), &[SECRET])),
            WebhookErrorReason::NoMatchingSignature
        );
    }

    #[test]
    fn missing_header() {
        assert_eq!(
            reason(verify(BODY, None, &[SECRET])),
            WebhookErrorReason::MissingHeader
        );
        assert_eq!(
            reason(verify(BODY, Some("  "), &[SECRET])),
            WebhookErrorReason::MissingHeader
        );
    }

    #[test]
    fn malformed_headers() {
        let hex = &sign(BODY, SECRET)["sha256=".len()..];
        let cases = [
            (hex.to_owned(), "no `sha256=` prefix"),
            (format!("sha1={hex}"), "no `sha256=` signature"),
            (format!("sha256={}zz", &hex[..62]), "not hexadecimal"),
            (
                format!("sha256={}", &hex[..63]),
                "63 hex characters instead of 64",
            ),
            (format!("sha256={hex}00"), "66 hex characters"),
            ("sha256=".to_owned(), "0 hex characters"),
            (",,".to_owned(), "holds no signature"),
        ];
        for (header, why) in cases {
            let err = verify(BODY, Some(&header), &[SECRET]).unwrap_err();
            assert_eq!(err.reason(), WebhookErrorReason::MalformedHeader, "{header}");
            assert!(err.message().contains(why), "{header}: {}", err.message());
            assert!(!err.message().contains(hex), "the message echoes the signature");
        }
    }

    #[test]
    fn empty_secrets() {
        let header = sign(BODY, SECRET);
        assert_eq!(
            reason(verify(BODY, Some(&header), &[])),
            WebhookErrorReason::NoSecret
        );
        assert_eq!(
            reason(verify(BODY, Some(&header), &[""])),
            WebhookErrorReason::NoSecret
        );
        assert_eq!(
            reason(verify(BODY, Some(&header), &[SECRET, " "])),
            WebhookErrorReason::NoSecret
        );
        // Checked before the header, so a misconfiguration is reported first.
        assert_eq!(reason(verify(BODY, None, &[""])), WebhookErrorReason::NoSecret);
        assert_eq!(
            try_sign(BODY, "").unwrap_err().reason(),
            WebhookErrorReason::NoSecret
        );
        assert_eq!(try_sign(BODY, SECRET).unwrap(), header);
    }

    #[test]
    fn messages_never_contain_the_secret_or_the_expected_signature() {
        let expected = sign(BODY, SECRET);
        let expected_hex = &expected["sha256=".len()..];
        let wrong = sign(BODY, "whsec_wrong");
        let results = [
            verify(BODY, None, &[SECRET]),
            verify(BODY, Some("nonsense"), &[SECRET]),
            verify(BODY, Some(&wrong), &[SECRET]),
            verify(b"other", Some(&expected), &[SECRET]),
            verify(BODY, Some(&wrong), &[SECRET, ""]),
        ];
        for r in results {
            let err = r.unwrap_err();
            let error: Error = err.clone().into();
            for text in [
                err.message().to_owned(),
                format!("{err:?}"),
                format!("{error}"),
                error.fields_json().to_string(),
            ] {
                assert!(!text.contains(SECRET), "{text}");
                assert!(!text.contains("3f1c0e5a9b7d"), "{text}");
                assert!(!text.contains(expected_hex), "{text}");
            }
        }
    }

    #[test]
    fn construct_event_verifies_then_parses() {
        let header = sign(BODY, SECRET);
        let event = construct_event(BODY, Some(&header), &[SECRET]).unwrap();
        assert_eq!(event["event"], "webhook.test");

        let err = construct_event(b"{}", Some(&header), &[SECRET]).unwrap_err();
        assert_eq!(err.code(), "webhook_verification");
        assert_eq!(err.fields_json()["reason"], "no_matching_signature");
        assert_eq!(err.status(), None);

        let not_json = b"<html>hello</html>";
        let err = construct_event(not_json, Some(&sign(not_json, SECRET)), &[SECRET]).unwrap_err();
        assert_eq!(err.code(), "decode");
        assert_eq!(err.status(), None);
        assert_eq!(err.raw_body(), Some("<html>hello</html>"));
        assert!(err.message().contains("not valid JSON"), "{}", err.message());
        assert!(!err.message().contains(SECRET));
    }

    #[test]
    fn error_fields() {
        let err: Error = verify(BODY, None, &[SECRET]).unwrap_err().into();
        assert_eq!(err.code(), "webhook_verification");
        let fields = err.fields_json();
        assert_eq!(fields["kind"], "webhook_verification");
        assert_eq!(fields["reason"], "missing_header");
        assert_eq!(fields["status_code"], serde_json::Value::Null);
        assert_eq!(fields["message"], err.message());
        let np: Error = WebhookError::payload_not_raw("a dict", "`request.get_data()`").into();
        assert_eq!(np.fields_json()["reason"], "payload_not_raw");
        assert!(np.message().contains("a dict") && np.message().contains("request.get_data()"));
    }

    #[test]
    fn random_bodies_round_trip_and_any_bit_flip_fails() {
        let mut rng = fastrand::Rng::with_seed(0x1a55_0c0d);
        for i in 0..300 {
            let len = if i % 50 == 0 { 0 } else { rng.usize(0..2048) };
            let body: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
            let secret: String = format!(
                "whsec_{}",
                (0..rng.usize(1..64))
                    .map(|_| rng.alphanumeric())
                    .collect::<String>()
            );
            let header = sign(&body, &secret);
            assert!(header.starts_with("sha256=") && header.len() == 7 + 64);
            verify(&body, Some(&header), &[&secret]).unwrap();
            verify(&body, Some(&header), &["whsec_decoy", &secret]).unwrap();
            if !body.is_empty() {
                let mut tampered = body.clone();
                let at = rng.usize(..tampered.len());
                tampered[at] ^= 1 << rng.u8(0..8);
                assert_eq!(
                    reason(verify(&tampered, Some(&header), &[&secret])),
                    WebhookErrorReason::NoMatchingSignature
                );
            }
            let mut extended = body.clone();
            extended.push(rng.u8(..));
            assert_eq!(
                reason(verify(&extended, Some(&header), &[&secret])),
                WebhookErrorReason::NoMatchingSignature
            );
            let other_secret = format!("{secret}x");
            assert_eq!(
                reason(verify(&body, Some(&header), &[&other_secret])),
                WebhookErrorReason::NoMatchingSignature
            );
        }
    }
}

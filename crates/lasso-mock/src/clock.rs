//! The emulator's one clock: UTC timestamps without a date-time crate, as
//! milliseconds since the Unix epoch, formatted as `2026-05-01T12:00:00.000Z` (the
//! docs' format) and parsed back from any reasonable ISO 8601 / RFC 3339 form, and
//! calendar dates as day numbers (`YYYY-MM-DD`).

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, as an `i64` so that arithmetic never wraps.
pub type Millis = i64;

pub const MS_PER_DAY: Millis = 86_400_000;

/// Current wall-clock time in milliseconds.
pub fn now_ms() -> Millis {
    ms_of(SystemTime::now())
}

/// A point in time in milliseconds (the epoch for anything before it).
pub fn ms_of(time: SystemTime) -> Millis {
    time.duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as Millis)
        .unwrap_or(0)
}

/// The current time as `2026-05-01T12:00:00.000Z`.
pub fn now_iso() -> String {
    format_ms(now_ms())
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// `2026-05-01T12:00:00.000Z`.
pub fn format_ms(ms: Millis) -> String {
    let days = ms.div_euclid(MS_PER_DAY);
    let rest = ms.rem_euclid(MS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    let (h, m, s, milli) = (
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000,
    );
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{milli:03}Z")
}

/// `2026-05-01` for a day number.
pub fn format_date(days: i64) -> String {
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Day number of a timestamp.
pub fn day_of(ms: Millis) -> i64 {
    ms.div_euclid(MS_PER_DAY)
}

fn digits(s: &[u8]) -> Option<i64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

/// Parses a strict `YYYY-MM-DD` calendar date into a day number.
pub fn parse_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = u32::try_from(digits(&b[5..7])?).ok()?;
    let day = u32::try_from(digits(&b[8..10])?).ok()?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// The date of a `YYYY-MM-DD` date or of an RFC 3339 date-time (its date part; the
/// time and zone are not looked at).
pub fn parse_date_or_datetime(text: &str) -> Option<i64> {
    if text.len() == 10 {
        return parse_date(text);
    }
    let (date, rest) = text.split_at_checked(10)?;
    if !rest.starts_with(['T', 't', ' ']) {
        return None;
    }
    parse_date(date)
}

/// Parses ISO 8601 / RFC 3339: a date, optionally followed by `T` (or a space) and
/// `HH:MM[:SS[.fraction]]` and a zone (`Z`, `±HH:MM`, `±HHMM`, `±HH`; none means UTC).
/// Fractions below a millisecond are truncated.
pub fn parse_ms(text: &str) -> Option<Millis> {
    let text = text.trim();
    if text.len() < 10 {
        return None;
    }
    let days = parse_date(text.get(..10)?)?;
    let rest = &text[10..];
    if rest.is_empty() {
        return Some(days * MS_PER_DAY);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let b = rest.as_bytes();
    if b.len() < 5 || b[2] != b':' {
        return None;
    }
    let hour = digits(&b[0..2])?;
    let minute = digits(&b[3..5])?;
    let mut i = 5;
    let mut second = 0;
    let mut milli = 0;
    if b.get(i) == Some(&b':') {
        second = digits(b.get(i + 1..i + 3)?)?;
        i += 3;
        if matches!(b.get(i), Some(b'.') | Some(b',')) {
            let start = i + 1;
            let mut end = start;
            while end < b.len() && b[end].is_ascii_digit() {
                end += 1;
            }
            if end == start {
                return None;
            }
            let frac = &b[start..end.min(start + 3)];
            milli = digits(frac)? * 10_i64.pow(3 - frac.len() as u32);
            i = end;
        }
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let offset_min = match &b[i..] {
        [] | [b'Z'] | [b'z'] => 0,
        [sign @ (b'+' | b'-'), zone @ ..] => {
            let (h, m) = match zone {
                [h1, h2] => (digits(&[*h1, *h2])?, 0),
                [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = h * 60 + m;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return None,
    };
    let local = days * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + milli;
    Some(local - offset_min * 60_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for ms in [0, 1_741_617_000_123, 951_782_400_000, -1, 4_102_444_799_999] {
            assert_eq!(parse_ms(&format_ms(ms)), Some(ms), "{}", format_ms(ms));
        }
        assert_eq!(format_ms(1_741_617_000_123), "2025-03-10T14:30:00.123Z");
    }

    #[test]
    fn parses_variants() {
        let base = parse_ms("2026-05-01T12:00:00Z").unwrap();
        assert_eq!(parse_ms("2026-05-01T12:00:00.000Z"), Some(base));
        assert_eq!(parse_ms("2026-05-01T14:00:00+02:00"), Some(base));
        assert_eq!(parse_ms("2026-05-01T07:00:00-0500"), Some(base));
        assert_eq!(parse_ms("2026-05-01T12:00Z"), Some(base));
        assert_eq!(parse_ms("2026-05-01 12:00:00"), Some(base));
        assert_eq!(parse_ms("2026-05-01T12:00:00.000999Z"), Some(base));
        assert_eq!(parse_ms("2026-05-01"), Some(base - 12 * 3_600_000));
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-02-30",
            "2026-05-01T25:00Z",
            "2026-05-01T12:00:00X",
            "2026-05-01T12:00:00.",
        ] {
            assert_eq!(parse_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(
            parse_date("2024-02-29").map(format_date).as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-2-29"), None);
        for bad in ["2025-13-01", "20250101", "abcd-ef-gh", ""] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
        let days = parse_date("2025-03-10").unwrap();
        assert_eq!(day_of(1_741_617_000_123), days);
        assert_eq!(parse_date_or_datetime("2025-03-10T00:00:00Z"), Some(days));
        assert_eq!(parse_date_or_datetime("2025-03-10"), Some(days));
        assert_eq!(parse_date_or_datetime("2025-03-10X"), None);
    }
}

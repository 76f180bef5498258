//! Strict arguments: a name an operation does not declare is refused before
//! anything is sent, naming the argument meant. For front doors whose
//! arguments are an untyped bag at run time (a JavaScript object): a typo
//! there would otherwise be sent to the API as a field of its own, and a
//! request option put among the arguments (`maxRetries`) would become a
//! query parameter. Fields newer than this SDK go through the explicit
//! escape hatch, `RequestOptions::extra_body` / `extra_query`.

use serde_json::Value;

use crate::error::Error;
use crate::naming::OptionNames;
use crate::operation;

/// The per-call options of the front doors, in either spelling: given as an
/// argument, they get a message of their own.
const REQUEST_OPTIONS: &[&str] = &[
    "timeout",
    "max_retries",
    "connect_timeout",
    "total_timeout",
    "headers",
    "extra_query",
    "extra_body",
    "signal",
    "allow_enrich_without_webhook",
];

/// Refuses an argument that `operation` does not declare, with a message
/// naming the close match (`max_result` → `max_results`, `maxResults` →
/// `max_results`), or saying where a request option belongs. Unknown
/// operations and non-object arguments are left to the call, which reports them.
pub fn check_arguments(operation: &str, args: &Value, names: OptionNames) -> Result<(), Error> {
    let (Some(op), Value::Object(args)) = (operation::find(operation), args) else {
        return Ok(());
    };
    for name in args.keys() {
        if op.params.iter().any(|p| p.name == name) {
            continue;
        }
        let snake = snake_case(name);
        if REQUEST_OPTIONS.contains(&snake.as_str()) {
            return Err(Error::config(format!(
                "{operation}: `{name}` is a request option, not an argument of the API: give it in the \
                 call's options (the argument after the parameters), where `{}` belongs",
                names.spell(&snake)
            )));
        }
        let declared: Vec<&str> = op
            .params
            .iter()
            .filter(|p| p.fixed.is_none())
            .map(|p| p.name)
            .collect();
        let hint = match closest(&snake, &declared) {
            Some(meant) => format!("did you mean `{meant}`? "),
            None if declared.is_empty() => "it takes no arguments. ".to_owned(),
            None => format!("its arguments are {}. ", quoted(&declared)),
        };
        let hatch = match op.method.has_body() {
            true => names.spell("extra_body"),
            false => names.spell("extra_query"),
        };
        return Err(Error::config(format!(
            "{operation}: unknown argument `{name}`; {hint}A field newer than this SDK goes in the \
             call's `{hatch}` option"
        )));
    }
    Ok(())
}

/// `maxResults` → `max_results` (a camelCase spelling of a wire name).
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The name among `declared` that `name` most likely meant (its snake_case
/// form, or a few edits away): the "did you mean" of every front door, for API
/// arguments here and for a binding's own options. Names are compared in
/// snake_case, so camelCase options (`maxRetry` → `maxRetries`) match alike.
pub fn closest_name<'a>(name: &str, declared: &[&'a str]) -> Option<&'a str> {
    let snake: Vec<String> = declared.iter().map(|d| snake_case(d)).collect();
    let snake_refs: Vec<&str> = snake.iter().map(String::as_str).collect();
    let meant = closest(&snake_case(name), &snake_refs)?;
    let i = snake_refs.iter().position(|s| *s == meant)?;
    Some(declared[i])
}

/// The declared name meant by a name in its snake_case form `snake`: the same
/// name, or the nearest by edit distance when close enough (at most 3 edits,
/// and no more than a third of the name: `max_retry` → `max_retries`, `limt`
/// → `limit`).
fn closest<'a>(snake: &str, declared: &[&'a str]) -> Option<&'a str> {
    if let Some(exact) = declared.iter().find(|d| d.eq_ignore_ascii_case(snake)) {
        return Some(exact);
    }
    let lower = snake.to_ascii_lowercase();
    declared
        .iter()
        .map(|d| (edit_distance(&lower, d), *d))
        .filter(|(distance, _)| *distance <= 3 && *distance * 3 <= snake.len().max(3))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, d)| d)
}

/// Levenshtein distance, with a swap of two neighbours counted as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn message(op: &str, args: Value, names: OptionNames) -> String {
        check_arguments(op, &args, names).unwrap_err().to_string()
    }

    #[test]
    fn declared_arguments_pass() {
        let args = json!({"query": "q", "max_results": 3, "webhook_url": null});
        assert!(check_arguments("search", &args, OptionNames::Camel).is_ok());
        assert!(check_arguments("tables.get", &json!({"table_id": "t"}), OptionNames::Camel).is_ok());
        assert!(check_arguments(
            "catalog.webhooks.test",
            &json!({"id": "w", "action": "test"}),
            OptionNames::Camel
        )
        .is_ok());
    }

    #[test]
    fn a_typo_names_the_close_match_and_the_escape_hatch() {
        let m = message(
            "search",
            json!({"query": "q", "max_result": 3}),
            OptionNames::Camel,
        );
        assert!(
            m.contains("unknown argument `max_result`; did you mean `max_results`?"),
            "{m}"
        );
        assert!(m.contains("`extraBody`"), "{m}");
        let m = message(
            "search",
            json!({"query": "q", "maxResults": 3}),
            OptionNames::Camel,
        );
        assert!(m.contains("did you mean `max_results`?"), "{m}");
        let m = message("tables.list", json!({"limt": 5}), OptionNames::Snake);
        assert!(
            m.contains("did you mean `limit`?") && m.contains("`extra_query`"),
            "{m}"
        );
        let m = message("tables.list", json!({"zzzzzz": 5}), OptionNames::Camel);
        assert!(
            m.contains("its arguments are `page`, `limit`, `search`, `status`"),
            "{m}"
        );
        let m = message("tables.get", json!({"table_id": "t", "x": 1}), OptionNames::Camel);
        assert!(m.contains("unknown argument `x`"), "{m}");
    }

    #[test]
    fn the_closest_name_is_a_few_edits_away_or_none() {
        let names = ["timeout", "max_retries", "extra_headers", "extra_query"];
        assert_eq!(closest_name("max_retry", &names), Some("max_retries"));
        assert_eq!(closest_name("maxRetries", &names), Some("max_retries"));
        assert_eq!(closest_name("timeot", &names), Some("timeout"));
        assert_eq!(closest_name("extra_header", &names), Some("extra_headers"));
        let camel = ["timeout", "maxRetries", "extraHeaders"];
        assert_eq!(closest_name("maxRetry", &camel), Some("maxRetries"));
        assert_eq!(closest_name("extraHeader", &camel), Some("extraHeaders"));
        // Three edits in a six-letter name are more than a third of it.
        assert_eq!(closest_name("tim", &names), None);
        assert_eq!(closest_name("zzzzzz", &names), None);
    }

    #[test]
    fn a_request_option_among_the_arguments_says_where_it_goes() {
        let m = message(
            "tables.list",
            json!({"limit": 5, "maxRetries": 0}),
            OptionNames::Camel,
        );
        assert!(m.contains("`maxRetries` is a request option"), "{m}");
        assert!(m.contains("where `maxRetries` belongs"), "{m}");
        let m = message("tables.list", json!({"timeout": 5}), OptionNames::Camel);
        assert!(m.contains("`timeout` is a request option"), "{m}");
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("limt", "limit"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
